/**
 * Apache httpd directives as data: every directive documented for httpd 2.4 (data/apache-directives.tsv,
 * from the manual's mod/*.xml), the mod_wsgi 4.9 directives (data/apache-wsgi-directives.tsv), and
 * where httpd 2.4.71 on Debian really accepts each directive (data/apache-directive-contexts.tsv,
 * measured with `apache2 -t` with every Debian module loaded; the manual's context column is not
 * always what the code enforces). Tables are read on first use.
 */
import { editDistance } from '../core/edit-distance';
import { knowledgeDataDir } from '../core/package-root';
import * as fs from 'fs';
import * as path from 'path';

export type ApacheContext = 'server config' | 'virtual host' | 'directory' | '.htaccess';

export interface ApacheDirectiveInfo {
  /** Name as the manual spells it (`TimeOut`). */
  name: string;
  lname: string;
  /** Module as the manual names it: `core`, `mod_proxy`, `mpm_common`, `event`. */
  module: string;
  type: 'directive' | 'section';
  contexts: ApacheContext[];
  override: string;
  default: string;
  syntax: string;
  moduleStatus: string;
  compatibility: string;
}

/** Where a directive was tried in the measurement, and what httpd said. */
export type MeasuredScope = 'top' | 'vhost' | 'directory' | 'location' | 'files' | 'proxy' | 'if';
/** `ok`: accepted (or refused only for its arguments); `not-allowed`: the override check refused it;
 * `cannot-occur`: the handler refused the enclosing section; `invalid`: unknown even with all modules. */
export type MeasuredVerdict = 'ok' | 'not-allowed' | 'cannot-occur' | 'invalid';

function readTsv(file: string): string[][] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(knowledgeDataDir(), file), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t'));
}

let byName: Map<string, ApacheDirectiveInfo[]> | null = null;
let measured: Map<string, Partial<Record<MeasuredScope, MeasuredVerdict>>> | null = null;

function load(): Map<string, ApacheDirectiveInfo[]> {
  if (byName) return byName;
  byName = new Map();
  const add = (r: string[]) => {
    const info: ApacheDirectiveInfo = {
      name: r[0],
      lname: r[0].toLowerCase(),
      module: r[1],
      type: r[2] === 'section' ? 'section' : 'directive',
      contexts: (r[3] || '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean) as ApacheContext[],
      override: r[4] || '',
      default: r[5] || '',
      syntax: r[6] || '',
      moduleStatus: r[7] || '',
      compatibility: r[8] || '',
    };
    const list = byName!.get(info.lname) ?? [];
    list.push(info);
    byName!.set(info.lname, list);
  };
  for (const r of readTsv('apache-directives.tsv')) add(r);
  for (const r of readTsv('apache-wsgi-directives.tsv')) add(r);
  // Old names httpd 2.4 still registers under their own name, with the new directive's meaning.
  for (const [old, current] of Object.entries(OLD_NAMES)) {
    const info = byName.get(current.toLowerCase())?.[0];
    if (info && !byName.has(old.toLowerCase())) byName.set(old.toLowerCase(), [{ ...info, name: old, lname: old.toLowerCase() }]);
  }
  return byName;
}

/**
 * Directives renamed in 2.3 whose old names httpd 2.4 still accepts: the manual says so for
 * MaxConnectionsPerChild ("The old name MaxRequestsPerChild is still supported", mpm_common.xml), and
 * `apache2 -t` on 2.4.71 (Debian, event MPM) accepts `MaxRequestsPerChild 128` and `MaxClients 100`
 * at server scope (Syntax OK) and refuses the first in a <VirtualHost> with the new name's wording
 * ("MaxRequestsPerChild cannot occur within <VirtualHost> section").
 */
const OLD_NAMES: Record<string, string> = {
  MaxRequestsPerChild: 'MaxConnectionsPerChild',
  MaxClients: 'MaxRequestWorkers',
};

function stripSectionName(name: string): string {
  let n = name.toLowerCase();
  if (n.startsWith('<')) n = n.slice(1);
  if (n.endsWith('>')) n = n.slice(0, -1);
  return n;
}

/** The directive (or section: `Directory`, `<Directory`) by name, case-insensitively. */
export function getApacheDirective(name: string): ApacheDirectiveInfo | undefined {
  return load().get(stripSectionName(name))?.[0];
}

/** Every documented registration of a name (a few names exist in more than one module). */
export function getApacheDirectives(name: string): ApacheDirectiveInfo[] {
  return load().get(stripSectionName(name)) ?? [];
}

/** Module (manual's name, e.g. `mod_proxy`) that defines the directive. */
export function moduleOfDirective(name: string): string | undefined {
  return getApacheDirective(name)?.module;
}

export function allApacheDirectives(): ApacheDirectiveInfo[] {
  return [...load().values()].flat();
}

const SCOPES: MeasuredScope[] = ['top', 'vhost', 'directory', 'location', 'files', 'proxy', 'if'];
let canonical: Map<string, string> | null = null;

function loadMeasured(): Map<string, Partial<Record<MeasuredScope, MeasuredVerdict>>> {
  if (measured) return measured;
  measured = new Map();
  canonical = new Map();
  for (const r of readTsv('apache-directive-contexts.tsv')) {
    const entry: Partial<Record<MeasuredScope, MeasuredVerdict>> = {};
    SCOPES.forEach((scope, i) => {
      if (r[i + 1]) entry[scope] = r[i + 1] as MeasuredVerdict;
    });
    measured.set(stripSectionName(r[0]), entry);
    canonical.set(stripSectionName(r[0]), r[0].replace(/^</, ''));
  }
  return measured;
}

/** What httpd 2.4.71 did with the directive placed directly in `scope`, or undefined if not measured. */
export function measuredDirectiveContext(name: string, scope: MeasuredScope): MeasuredVerdict | undefined {
  return loadMeasured().get(stripSectionName(name))?.[scope];
}

/**
 * The name as httpd's command table spells it (what its messages and DUMP_CONFIG print), e.g.
 * `Timeout` where the manual writes `TimeOut`; for sections, without `<`.
 */
export function canonicalDirectiveName(name: string): string | undefined {
  loadMeasured();
  const key = stripSectionName(name);
  return canonical!.get(key) ?? getApacheDirective(key)?.name;
}

export interface MeasuredArity {
  /** Scope the counts were measured in. */
  scope: MeasuredScope;
  /** Message for 0..4 plain arguments when httpd refused that count (4 stands for 4 or more). */
  byCount: Record<number, { message: string; anyScope: boolean } | undefined>;
  /** FLAG directives: the message for a value other than On/Off. */
  flag?: string;
}

let arity: Map<string, MeasuredArity> | null = null;

/** Argument counts httpd refuses for a directive (measured with `apache2 -t`), or undefined. */
export function measuredArity(name: string): MeasuredArity | undefined {
  if (!arity) {
    arity = new Map();
    for (const r of readTsv('apache-directive-arity.tsv')) {
      const key = r[0].toLowerCase();
      const entry = arity.get(key) ?? { scope: r[1] as MeasuredScope, byCount: {} };
      if (r[2] === 'flag') entry.flag = r[3];
      else entry.byCount[Number(r[2])] = { message: r[3], anyScope: r[4] === 'any' };
      arity.set(key, entry);
    }
  }
  return arity.get(name.toLowerCase());
}

/* ---------- module names ----------
 * Three spellings meet here: the manual's module (`mod_proxy_uwsgi`, `core`, `event`), httpd's module
 * identifier used by LoadModule and <IfModule> (`proxy_uwsgi_module`), and the module's source file
 * name, also accepted by <IfModule> (`mod_proxy_uwsgi.c`).
 */

const SPECIAL_IDS: Record<string, { id: string; source: string }> = {
  core: { id: 'core_module', source: 'core.c' },
  http_core: { id: 'http_module', source: 'http_core.c' },
  event: { id: 'mpm_event_module', source: 'event.c' },
  prefork: { id: 'mpm_prefork_module', source: 'prefork.c' },
  worker: { id: 'mpm_worker_module', source: 'worker.c' },
  mpm_winnt: { id: 'mpm_winnt_module', source: 'mpm_winnt.c' },
  mpm_netware: { id: 'mpm_netware_module', source: 'mpm_netware.c' },
  mpmt_os2: { id: 'mpm_mpmt_os2_module', source: 'mpmt_os2.c' },
};

/** Module identifier (`proxy_uwsgi_module`) for the manual's module name (`mod_proxy_uwsgi`). */
export function moduleIdOf(manualModule: string): string {
  const special = SPECIAL_IDS[manualModule];
  if (special) return special.id;
  return `${manualModule.replace(/^mod_/, '')}_module`;
}

/** Source file name (`mod_proxy_uwsgi.c`) for a module identifier (`proxy_uwsgi_module`). */
export function moduleSourceName(moduleId: string): string {
  for (const v of Object.values(SPECIAL_IDS)) if (v.id === moduleId) return v.source;
  return `mod_${moduleId.replace(/_module$/, '')}.c`;
}

/** Modules compiled into Debian's apache2 2.4.71 (`apache2 -l`), as module identifiers. */
export const DEBIAN_BUILTIN_MODULES: readonly string[] = [
  'core_module',
  'so_module',
  'watchdog_module',
  'http_module',
  'log_config_module',
  'logio_module',
  'version_module',
  'unixd_module',
];

/** Both names httpd answers to in <IfModule> for each loaded module identifier. */
export function moduleNamesForIfModule(moduleIds: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const id of moduleIds) {
    out.add(id);
    out.add(moduleSourceName(id));
  }
  return out;
}

/**
 * Whether the module that defines `manualModule` is among `loaded` (identifiers). `mpm_common`
 * directives are registered by whichever MPM is loaded (Listen and a few more by core itself).
 */
export function isManualModuleLoaded(manualModule: string, loaded: Set<string>): boolean {
  if (manualModule === 'mpm_common') {
    return loaded.has('mpm_event_module') || loaded.has('mpm_prefork_module') || loaded.has('mpm_worker_module');
  }
  return loaded.has(moduleIdOf(manualModule));
}

let knownModuleNames: Set<string> | null = null;

/**
 * Whether deploylint knows the module an <IfModule> argument names (either spelling): httpd's
 * documented modules, mod_wsgi and the built-ins. Third-party modules (mod_auth_openidc, ...) are not.
 */
export function isKnownModuleName(name: string): boolean {
  if (!knownModuleNames) {
    const ids = new Set<string>(DEBIAN_BUILTIN_MODULES);
    for (const d of allApacheDirectives()) ids.add(moduleIdOf(d.module));
    knownModuleNames = moduleNamesForIfModule(ids);
  }
  return knownModuleNames.has(name);
}

/** Did-you-mean for an unknown directive: the closest known names (case-insensitive), best first. */
export function suggestApacheDirective(name: string, max = 2): string[] {
  const wanted = name.toLowerCase();
  const limit = Math.max(1, Math.min(2, Math.floor(wanted.length / 5)));
  const scored = new Map<string, number>();
  for (const d of allApacheDirectives()) {
    const distance = editDistance(wanted, d.name.toLowerCase(), limit);
    if (distance <= limit && d.name.toLowerCase() !== wanted) scored.set(d.name, Math.min(distance, scored.get(d.name) ?? Infinity));
  }
  return [...scored].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).slice(0, max).map(([n]) => n);
}

/**
 * The DocumentRoot a server uses when no DocumentRoot line applies: Debian's apache2 is built with
 * /var/www/html (measured on 2.4.71: a request with no DocumentRoot written logs "AH00128: File does
 * not exist: /var/www/html/..."), and RHEL's httpd.conf sets the same directory.
 */
export const STOCK_DOCUMENT_ROOT = '/var/www/html';

/**
 * Directories the stock main configs grant under their `<Directory /> Require all denied`: Debian's
 * apache2.conf grants /var/www, /usr/share and /usr/lib/cgi-bin (serve-cgi-bin.conf), RHEL's
 * httpd.conf /var/www. Elsewhere a request mapped to a file needs a grant of its own.
 */
export const STOCK_DIRECTORY_GRANTS: readonly string[] = ['/var/www/', '/usr/share/', '/usr/lib/cgi-bin/'];
