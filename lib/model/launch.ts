/**
 * Which uWSGI instance a unit starts. A unit names the ini file by its path on the server
 * (`/etc/uwsgi/apps-enabled/glance-api.ini`); the run has the file by its path in a repository
 * (`etc/uwsgi/glance-api.ini`) or a copy. An instance is started by a launch whose ini path is its
 * own path, ends with its path relative to a common tail, or has its file name when no other file
 * of the run has that name; the section must match too.
 */
import * as path from 'path';
import type { UwsgiLaunch } from '../resolve/launch';
import { templateInnerName } from '../input/kind';
import type { UwsgiInstance } from './types';

export function linkLaunches(instances: UwsgiInstance[], launches: UwsgiLaunch[]): void {
  if (launches.length === 0) return;
  const byName = new Map<string, UwsgiInstance[]>();
  for (const i of instances) {
    const name = path.basename(i.file);
    byName.set(name, [...(byName.get(name) ?? []), i]);
  }
  for (const launch of launches) {
    for (const ini of launch.inis) {
      const section = ini.section ?? 'uwsgi';
      // a templated path (`%APP_DIR%uwsgi.ini`, `<%= $base %>/etc/uwsgi/app.ini`): what follows the
      // last expression is literal, and is the file when exactly one file of the run fits it
      const tail = literalTail(ini.path);
      if (tail === null) {
        const candidates = instances.filter((i) => i.section === section && sameFile(i.file, ini.path));
        const named = (byName.get(path.basename(ini.path)) ?? []).filter((i) => i.section === section);
        const chosen = candidates.length > 0 ? candidates : named.length === 1 ? named : [];
        for (const instance of chosen) instance.launch ??= launch;
        continue;
      }
      const name = path.posix.basename(tail);
      if (name === '' || !name.includes('.')) continue;
      const relative = tail.replace(/^\/+/, '');
      const fits = instances.filter((i) => i.section === section && (relative.includes('/') ? sameFile(i.file, relative) : namesFile(i.file, name)));
      if (fits.length === 1) fits[0].launch ??= launch;
    }
  }
}

const TEMPLATE_EXPRESSION = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|<%[\s\S]*?%>|%[A-Za-z_][A-Za-z0-9_]*%|@@?[A-Za-z_][A-Za-z0-9_]*@@?|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g;

/** The literal text after a templated path's last expression; null for a path with none. */
function literalTail(p: string): string | null {
  let end = -1;
  for (const m of p.matchAll(TEMPLATE_EXPRESSION)) end = m.index! + m[0].length;
  return end < 0 ? null : p.slice(end);
}

/** Is `file` the file called `name` once deployed (itself, or a template of it: `uwsgi.ini.j2`, `uwsgi.tpl`)? */
function namesFile(file: string, name: string): boolean {
  const base = path.basename(file);
  if (base === name) return true;
  const inner = templateInnerName(base.toLowerCase()).name;
  return inner === name.toLowerCase() || (!inner.includes('.') && inner === name.toLowerCase().replace(/\.[^.]*$/, ''));
}

/** The same file: equal paths, or one path is the other's tail (`/etc/uwsgi/x.ini` and `repo/etc/uwsgi/x.ini`). */
function sameFile(instanceFile: string, launchPath: string): boolean {
  const a = path.posix.normalize(instanceFile);
  const b = path.posix.normalize(launchPath);
  if (a === b) return true;
  const tail = b.replace(/^\/+/, '');
  return tail.includes('/') && (a.endsWith(`/${tail}`) || b.endsWith(`/${a.replace(/^\/+/, '')}`));
}
