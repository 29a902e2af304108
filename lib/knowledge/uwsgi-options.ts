/**
 * Every uWSGI option as data, read lazily from the two tables extracted from uWSGI's source
 * (data/uwsgi-options-2.0.30.tsv for the released 2.0 line, data/uwsgi-options.tsv for master, the
 * 2.1 development line). See ../shared/knowledge/uwsgi-facts.md for how they were made.
 */
import { editDistance } from '../core/edit-distance';
import { knowledgeDataDir } from '../core/package-root';
import * as fs from 'fs';
import * as path from 'path';

export type UwsgiVersionLine = '2.0' | '2.1';

/** How an option's value is taken on the command line (in an ini file every key has a value). */
export type UwsgiArgumentKind = 'required' | 'optional' | 'none';

export interface UwsgiOptionInfo {
  name: string;
  /** Short command-line flag (`p` for processes), if any. */
  shortFlag?: string;
  argument: UwsgiArgumentKind;
  /** `core` or the plugin directory that defines it (`python`, `http`, ...). */
  plugin: string;
  help: string;
  /** The C setter function; it decides scalar (last wins) versus list (accumulates). */
  setter: string;
  target: string;
  /** UWSGI_OPT_* flags, e.g. UWSGI_OPT_IMMEDIATE, UWSGI_OPT_MASTER. */
  flags: string[];
  /** The #if around the option in the source, when there is one. */
  buildCondition?: string;
  /** Source file and line in the tree the table was extracted from. */
  source: string;
  /** Options with the same setter and target (alias candidates), plus options sharing the short flag. */
  aliases: string[];
  /** True when repeating the key accumulates values (list setters); false when the last one wins. */
  list: boolean;
  /** Applied while the file is read (ini, include, plugins, if-*, for, set-placeholder, listen, ...). */
  immediate: boolean;
  /** For the 2.1 table: whether uWSGI 2.0.30 has the option too. For the 2.0 table: always true. */
  inUwsgi2030: boolean;
  version: UwsgiVersionLine;
}

/**
 * Setters that never accumulate. Everything else that adds to a list (uwsgi_opt_add_*, routes,
 * daemons, sockets, crons, hooks, env) accumulates; see uwsgi-facts.md section 1 "Duplicate keys".
 */
const SCALAR_SETTERS = new Set([
  'uwsgi_opt_set_int', 'uwsgi_opt_set_rawint', 'uwsgi_opt_set_16bit', 'uwsgi_opt_set_64bit',
  'uwsgi_opt_set_megabytes', 'uwsgi_opt_set_str', 'uwsgi_opt_set_str_spaced', 'uwsgi_opt_true',
  'uwsgi_opt_false', 'uwsgi_opt_set_null', 'uwsgi_opt_chmod_socket', 'uwsgi_opt_set_umask',
  'uwsgi_opt_set_uid', 'uwsgi_opt_set_gid', 'uwsgi_opt_uid', 'uwsgi_opt_gid', 'uwsgi_opt_set_immediate_uid',
  'uwsgi_opt_set_immediate_gid', 'uwsgi_opt_set_logger', 'uwsgi_opt_set_req_logger',
  'uwsgi_opt_set_worker_logger', 'uwsgi_opt_log_date', 'uwsgi_opt_max_vars', 'uwsgi_opt_fileserve_mode',
  'uwsgi_opt_logfile_chmod', 'uwsgi_opt_set_unshare', 'uwsgi_opt_set_cap', 'uwsgi_opt_set_emperor_cap',
  'uwsgi_opt_pcre_jit', 'uwsgi_opt_deprecated', 'uwsgi_opt_noop', 'uwsgi_opt_https2',
  'uwsgi_opt_setup_gevent', 'uwsgi_opt_setup_asyncio', 'uwsgi_opt_setup_tornado', 'uwsgi_opt_setup_coroae',
  'uwsgi_opt_setup_goroutines', 'uwsgi_opt_scd', 'uwsgi_opt_snmp', 'uwsgi_opt_snmp_community',
  'uwsgi_opt_legion_quorum', 'uwsgi_opt_zabbix_template', 'uwsgi_opt_corerouter_use_pattern',
  'uwsgi_opt_corerouter_use_base', 'uwsgi_opt_corerouter_fallback_key', 'uwsgi_opt_ssa',
]);

/**
 * An option table, parsed lazily: loading splits the file into rows and indexes them by name, short
 * flag and plugin (the leading columns); a row becomes a UwsgiOptionInfo when it is first asked for. A single-file run asks
 * for a dozen of the ~1,400 options, so parsing them all would be most of the CLI's start-up work.
 */
interface OptionTable {
  version: UwsgiVersionLine;
  rows: string[];
  columns: Columns;
  /** Row of each name; a few names appear twice (mime-file, mimefile under different #ifs): the first row wins. */
  rowOf: Map<string, number>;
  byName: Map<string, UwsgiOptionInfo>;
  names: string[];
  /** Names by short flag, in table order. */
  byShort: Map<string, string[]>;
  /** Names by plugin (`core` for none), in table order. */
  byPlugin: Map<string, string[]>;
}

interface Columns {
  name: number; short: number; arg: number; plugin: number; help: number; setter: number; target: number;
  flags: number; cond: number; source: number; same: number; in2030: number;
}

const tables = new Map<UwsgiVersionLine, OptionTable>();

function loadTable(version: UwsgiVersionLine): OptionTable {
  const cached = tables.get(version);
  if (cached) return cached;
  const file = path.join(knowledgeDataDir(), version === '2.0' ? 'uwsgi-options-2.0.30.tsv' : 'uwsgi-options.tsv');
  const text = fs.readFileSync(file, 'utf8');
  const rows = text.split('\n');
  const header = rows[0].split('\t');
  const col = (name: string): number => header.indexOf(name);
  const columns: Columns = {
    name: col('name'), short: col('short_flag'), arg: col('takes_argument'), plugin: col('plugin'),
    help: col('help'), setter: col('setter'), target: col('target'), flags: col('flags'),
    cond: col('build_condition'), source: col('source'), same: col('same_setter_and_target_as'),
    in2030: col('in_2.0.30'),
  };
  // One pass over the rows reads only the leading columns the index needs: name, short flag, plugin.
  const rowOf = new Map<string, number>();
  const byShort = new Map<string, string[]>();
  const byPlugin = new Map<string, string[]>();
  const leading = Math.max(columns.name, columns.short, columns.plugin) + 1;
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i];
    if (row === '') continue;
    const f = row.split('\t', leading);
    const name = f[columns.name];
    if (!name || rowOf.has(name)) continue;
    rowOf.set(name, i);
    const flag = f[columns.short];
    if (flag) push(byShort, flag, name);
    push(byPlugin, f[columns.plugin] || 'core', name);
  }
  const table: OptionTable = { version, rows, columns, rowOf, byName: new Map(), names: [...rowOf.keys()], byShort, byPlugin };
  tables.set(version, table);
  return table;
}

function push(map: Map<string, string[]>, key: string, name: string): void {
  const names = map.get(key);
  if (names) names.push(name);
  else map.set(key, [name]);
}

function optionAt(table: OptionTable, name: string): UwsgiOptionInfo | undefined {
  const known = table.byName.get(name);
  if (known) return known;
  const i = table.rowOf.get(name);
  if (i === undefined) return undefined;
  const c = table.columns;
  const f = table.rows[i].split('\t');
  const flags = (f[c.flags] ?? '').split('|').map((s) => s.trim()).filter((s) => s !== '' && s !== '0');
  const setter = f[c.setter] ?? '';
  const arg = f[c.arg];
  const info: UwsgiOptionInfo = {
    name,
    shortFlag: f[c.short] || undefined,
    argument: arg === 'none' || arg === 'optional' ? arg : 'required',
    plugin: f[c.plugin] || 'core',
    help: f[c.help] ?? '',
    setter,
    target: f[c.target] ?? '',
    flags,
    buildCondition: f[c.cond] || undefined,
    source: f[c.source] ?? '',
    aliases: (f[c.same] ?? '').split(/[,\s]+/).filter((s) => s !== ''),
    list: !SCALAR_SETTERS.has(setter),
    immediate: flags.includes('UWSGI_OPT_IMMEDIATE'),
    inUwsgi2030: c.in2030 < 0 ? true : f[c.in2030] === 'yes',
    version: table.version,
  };
  // Options that share a short flag are aliases of one another.
  if (info.shortFlag) {
    for (const other of table.byShort.get(info.shortFlag) ?? []) if (other !== name && !info.aliases.includes(other)) info.aliases.push(other);
  }
  table.byName.set(name, info);
  return info;
}

/** The option named exactly `name` (uWSGI matches keys with a case-sensitive strcmp), if it exists. */
export function getUwsgiOption(name: string, version: UwsgiVersionLine = '2.0'): UwsgiOptionInfo | undefined {
  return optionAt(loadTable(version), name);
}

/** The names of the options a plugin adds (`core` for uWSGI's own), in table order, without parsing the other rows. */
export function uwsgiOptionNamesOfPlugin(plugin: string, version: UwsgiVersionLine = '2.0'): readonly string[] {
  return loadTable(version).byPlugin.get(plugin) ?? [];
}

/** Every option name of that version line, in table order. */
export function allUwsgiOptionNames(version: UwsgiVersionLine = '2.0'): readonly string[] {
  return loadTable(version).names;
}

/** True when repeating the option accumulates (sockets, routes, env, ...); false when the last wins. Unknown: undefined. */
export function isListOption(name: string, version: UwsgiVersionLine = '2.0'): boolean | undefined {
  return getUwsgiOption(name, version)?.list;
}

/** The plugin (source directory name, e.g. `python`, `http`) that defines the option; `core` for core options. */
export function pluginOfOption(name: string, version: UwsgiVersionLine = '2.0'): string | undefined {
  return getUwsgiOption(name, version)?.plugin;
}

/**
 * Plugin file names as Debian/Ubuntu ship them (uwsgi-plugin-python3 installs python3_plugin.so,
 * the http router is http_plugin.so) mapped to the plugin directory whose options they provide.
 * Anything not listed maps to itself.
 */
const DISTRO_PLUGIN_TO_SOURCE: Record<string, string> = {
  python3: 'python', python311: 'python', python312: 'python', python310: 'python', python39: 'python',
  python2: 'python', python27: 'python', python: 'python',
  pypy3: 'pypy', rack_ruby: 'rack', ruby: 'rack', psgi: 'psgi', php: 'php', php7: 'php', php8: 'php',
  lua: 'lua', lua51: 'lua', lua52: 'lua', luajit: 'lua', gevent_python3: 'gevent', gevent3: 'gevent',
  asyncio_python3: 'asyncio', asyncio3: 'asyncio', tornado_python3: 'tornado', greenlet_python3: 'greenlet',
};

/** The source plugin a `plugins =` name loads (python3 -> python). Strips `_plugin.so`, `modifier:` and `|init`. */
export function sourcePluginOf(loadedName: string): string {
  let name = loadedName.trim();
  const colon = name.indexOf(':');
  if (colon >= 0) name = name.slice(colon + 1);
  const bar = name.indexOf('|');
  if (bar >= 0) name = name.slice(0, bar);
  name = name.replace(/^.*\//, '').replace(/_plugin\.so$/, '').replace(/\.so$/, '').toLowerCase();
  return DISTRO_PLUGIN_TO_SOURCE[name] ?? name;
}

/** The plugin names a Debian user writes in `plugins =` to get the options of `sourcePlugin`. */
export function distroPluginNames(sourcePlugin: string): string[] {
  if (sourcePlugin === 'core') return [];
  if (sourcePlugin === 'python') return ['python3'];
  return [sourcePlugin];
}

/**
 * Did-you-mean for an unknown key: the closest option names by edit distance (underscores are
 * compared as dashes, since `socket_timeout` is the common mistake), best first, at most `max`.
 */
export function suggestUwsgiOption(name: string, version: UwsgiVersionLine = '2.0', max = 3): string[] {
  const wanted = name.trim().toLowerCase().replace(/_/g, '-');
  if (wanted === '') return [];
  const exact = getUwsgiOption(wanted, version);
  if (exact && wanted !== name) return [wanted];
  const limit = Math.max(1, Math.min(3, Math.floor(wanted.length / 4)));
  const scored: Array<{ name: string; d: number }> = [];
  for (const candidate of loadTable(version).names) {
    const d = editDistance(wanted, candidate, limit);
    if (d <= limit && candidate !== name) scored.push({ name: candidate, d });
  }
  scored.sort((x, y) => x.d - y.d || x.name.length - y.name.length || (x.name < y.name ? -1 : 1));
  return scored.slice(0, max).map((s) => s.name);
}
