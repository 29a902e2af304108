/**
 * Which uWSGI instance a unit starts. A unit names the ini file by its path on the server
 * (`/etc/uwsgi/apps-enabled/glance-api.ini`); the run has the file by its path in a repository
 * (`etc/uwsgi/glance-api.ini`) or a copy. An instance is started by a launch whose ini path is its
 * own path, ends with its path relative to a common tail, or has its file name when no other file
 * of the run has that name; the section must match too.
 */
import * as path from 'path';
import type { UwsgiLaunch } from '../resolve/launch';
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
      if (/[{}<>%$@]/.test(ini.path)) continue; // a templated path: which file is not known
      const section = ini.section ?? 'uwsgi';
      const candidates = instances.filter((i) => i.section === section && sameFile(i.file, ini.path));
      const named = (byName.get(path.basename(ini.path)) ?? []).filter((i) => i.section === section);
      const chosen = candidates.length > 0 ? candidates : named.length === 1 ? named : [];
      for (const instance of chosen) instance.launch ??= launch;
    }
  }
}

/** The same file: equal paths, or one path is the other's tail (`/etc/uwsgi/x.ini` and `repo/etc/uwsgi/x.ini`). */
function sameFile(instanceFile: string, launchPath: string): boolean {
  const a = path.posix.normalize(instanceFile);
  const b = path.posix.normalize(launchPath);
  if (a === b) return true;
  const tail = b.replace(/^\/+/, '');
  return tail.includes('/') && (a.endsWith(`/${tail}`) || b.endsWith(`/${a.replace(/^\/+/, '')}`));
}
