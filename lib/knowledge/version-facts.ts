/**
 * Version facts as data, in the shape of pluto's versions.yaml: what a component added, deprecated
 * or removed, in which release, what replaces it, and where that is written down. The table is
 * data/service-entry-points.tsv: the WSGI scripts, modules, in-tree WSGI files and paste apps of 27
 * OpenStack services, each row read from the project's setup.cfg and tree at its release tags
 * (removals are never taken from release notes alone: cloudkitty's and blazar's notes announce
 * removals their setup.cfg never made). Rules look entries up here and judge them against the
 * release targeted (`targets.services.<component>`, defaults in targets.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { knowledgeDataDir } from '../core/package-root';

/** What a deployment points at: a pbr script, an importable module, a WSGI file in the tree, a paste app. */
export type VersionFactKind = 'wsgi-script' | 'wsgi-module' | 'wsgi-file' | 'paste-app';

export interface VersionFact {
  /** The project that ships the item, as named in `targets` (`glance`, `nova`, `freezer-api`). */
  component: string;
  kind: VersionFactKind;
  /**
   * The item as deployments write it: a script's file name (`keystone-wsgi-public`), a module with
   * its callable (`keystone.wsgi.api:application`), a file's path inside the repository
   * (`aodh/api/app.wsgi`), a paste file (`barbican-admin-paste.ini`) or file#app
   * (`api-paste.ini#heat-api-cloudwatch`).
   */
  item: string;
  /** First release that has it; undefined when it predates the releases checked. */
  addedIn?: string;
  /** No release ever shipped it (a name that only samples or notes use). */
  neverShipped: boolean;
  /** First release that deprecates it (warning from there on), when a source says so. */
  deprecatedIn?: string;
  /** First release without it, after which no release has it again (error from there on). */
  removedIn?: string;
  /** What to use instead, best first: only one that exists in the targeted release is offered. */
  replacements: Replacement[];
  /** The OpenStack series of the removal, for messages (`2025.2 Flamingo`). */
  removedInSeries?: string;
  source: string;
}

/** One candidate replacement, as data: `module=pkg.mod:application`, `script=name`, `paste=file#app`, `none=why`. */
export type Replacement =
  | { kind: 'module'; value: string }
  | { kind: 'script'; value: string }
  | { kind: 'paste'; value: string }
  | { kind: 'none'; value: string };

function dataFile(): string {
  return path.join(knowledgeDataDir(), 'service-entry-points.tsv');
}

function parseReplacements(text: string): Replacement[] {
  return text.split(' | ').map((part) => part.trim()).filter(Boolean).map((part) => {
    const eq = part.indexOf('=');
    const kind = part.slice(0, eq) as Replacement['kind'];
    if (!['module', 'script', 'paste', 'none'].includes(kind)) throw new Error(`service-entry-points.tsv: bad replacement '${part}'`);
    return { kind, value: part.slice(eq + 1) } as Replacement;
  });
}

let table: VersionFact[] | undefined;

/** Every row of data/service-entry-points.tsv, read once. */
export function versionFacts(): readonly VersionFact[] {
  if (table) return table;
  const [header, ...rows] = fs.readFileSync(dataFile(), 'utf8').split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
  const col = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`service-entry-points.tsv: no column ${name}`);
    return index;
  };
  const c = {
    component: col('component'), kind: col('kind'), item: col('item'), added: col('addedIn'), deprecated: col('deprecatedIn'),
    removed: col('removedIn'), replacement: col('replacement'), series: col('series'), source: col('source'),
  };
  table = rows.map((f) => ({
    component: f[c.component],
    kind: f[c.kind] as VersionFactKind,
    item: f[c.item],
    addedIn: f[c.added] && f[c.added] !== 'never' ? f[c.added] : undefined,
    neverShipped: f[c.added] === 'never',
    deprecatedIn: f[c.deprecated] || undefined,
    removedIn: f[c.removed] || undefined,
    replacements: parseReplacements(f[c.replacement] ?? ''),
    removedInSeries: /removed (\d{4}\.\d(?: [A-Z][a-z]+)?)/.exec(f[c.series] ?? '')?.[1],
    source: f[c.source],
  }));
  return table;
}

/**
 * Compares two releases of one component numerically. Releases before the numbered scheme carry
 * their date-based name (`2012.2`, `2014.1`): those come before every numbered release.
 */
export function compareReleases(a: string, b: string): number {
  const dated = (v: string) => Number.parseInt(v, 10) >= 2000;
  if (dated(a) !== dated(b)) return dated(a) ? -1 : 1;
  const pa = a.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Where a release stands for an item: shipped, not yet added, removed, deprecated (still shipped), or never shipped by any release. */
export type ReleaseState = 'shipped' | 'deprecated' | 'not-yet' | 'removed' | 'never';

export function stateIn(fact: VersionFact, release: string): ReleaseState {
  if (fact.neverShipped) return 'never';
  if (fact.removedIn && compareReleases(release, fact.removedIn) >= 0) return 'removed';
  if (fact.addedIn && compareReleases(release, fact.addedIn) < 0) return 'not-yet';
  if (fact.deprecatedIn && compareReleases(release, fact.deprecatedIn) >= 0) return 'deprecated';
  return 'shipped';
}

/** The module part of `pkg.mod:callable` (a callable defaults to `application`). */
function moduleName(text: string): string {
  return text.trim().split(':')[0];
}

/** The last path segments of `file`, `/`-separated, for suffix matching (`/usr/bin/x` -> `usr/bin/x`). */
function segments(file: string): string[] {
  return file.trim().replace(/\\/g, '/').replace(/\/+$/, '').split('/').filter(Boolean);
}

function endsWithSegments(file: string, suffix: string): boolean {
  const have = segments(file);
  const want = suffix.split('/');
  return want.length <= have.length && want.every((part, i) => have[have.length - want.length + i] === part);
}

/**
 * The fact about what a uWSGI `module` names (`keystone.wsgi.api:application`, `wsgi = x.y`): the
 * module row with that module path, whatever the callable.
 */
function moduleFactUncached(module: string): VersionFact | undefined {
  const name = moduleName(module);
  return versionFacts().find((fact) => fact.kind === 'wsgi-module' && moduleName(fact.item) === name);
}

/**
 * The fact about a file a deployment points at (uWSGI `wsgi-file`, a `mount` target, Apache
 * `WSGIScriptAlias`): a script by its file name, an in-tree WSGI file by its path inside the
 * repository, or a module by its source file (`.../keystone/wsgi/api.py`, `.../ironic/wsgi/__init__.py`).
 */
function fileFactUncached(file: string): VersionFact | undefined {
  const base = segments(file).pop() ?? '';
  const facts = versionFacts();
  return facts.find((fact) => fact.kind === 'wsgi-script' && fact.item === base)
    ?? facts.find((fact) => fact.kind === 'wsgi-file' && endsWithSegments(file, fact.item))
    ?? facts.find((fact) => {
      if (fact.kind !== 'wsgi-module') return false;
      const modulePath = moduleName(fact.item).split('.').join('/');
      return endsWithSegments(file, `${modulePath}.py`) || endsWithSegments(file, `${modulePath}/__init__.py`);
    });
}

/**
 * The fact about a paste config a uWSGI `paste` / `ini-paste` line loads (`config:/etc/x/api-paste.ini#name`):
 * a whole file that was removed, or an app of it selected with `#name`.
 */
function pasteFactUncached(uri: string): VersionFact | undefined {
  const [file, app] = uri.trim().replace(/^config:/, '').split('#');
  const base = segments(file).pop() ?? '';
  return versionFacts().find((fact) => {
    if (fact.kind !== 'paste-app') return false;
    const [factFile, factApp] = fact.item.split('#');
    return factFile === base && (factApp === undefined || factApp === app);
  });
}

/** The row of a replacement, when the table has one (to know in which releases it exists). */
function replacementFact(replacement: Replacement): VersionFact | undefined {
  if (replacement.kind === 'module') return moduleFact(replacement.value);
  if (replacement.kind === 'script') return versionFacts().find((fact) => fact.kind === 'wsgi-script' && fact.item === replacement.value);
  return undefined;
}

/**
 * The first replacement that exists in the releases targeted (`releaseOf(component)`; a component
 * without a target counts as having it), or the `none` reason, or undefined when the table offers
 * none that exists there.
 */
export function replacementIn(fact: VersionFact, releaseOf: (component: string) => string | undefined): Replacement | undefined {
  for (const replacement of fact.replacements) {
    if (replacement.kind === 'none' || replacement.kind === 'paste') return replacement;
    const row = replacementFact(replacement);
    const release = row ? releaseOf(row.component) : undefined;
    if (!row || release === undefined) return replacement;
    const state = stateIn(row, release);
    if (state === 'shipped' || state === 'deprecated') return replacement;
  }
  return undefined;
}

/** The facts are fixed for the process: each lookup is worked out once per text (thousands of instances name a few modules). */
function memoFact(find: (text: string) => VersionFact | undefined): (text: string) => VersionFact | undefined {
  const memo = new Map<string, VersionFact | null>();
  return (text) => {
    let hit = memo.get(text);
    if (hit === undefined) {
      hit = find(text) ?? null;
      if (memo.size > 50_000) memo.clear();
      memo.set(text, hit);
    }
    return hit ?? undefined;
  };
}

/** The fact about what a uWSGI `module` names (see moduleFactUncached). */
export const moduleFact = memoFact(moduleFactUncached);
/** The fact about a file a deployment points at (see fileFactUncached). */
export const fileFact = memoFact(fileFactUncached);
/** The fact about a paste app URI (see pasteFactUncached). */
export const pasteFact = memoFact(pasteFactUncached);
