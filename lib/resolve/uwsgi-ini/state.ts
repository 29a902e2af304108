/**
 * The state uWSGI 2.0 keeps while it builds its option list (core/uwsgi.c, core/config.c,
 * core/ini.c): the exported options in order, the logic block being read, the files read so far,
 * loaded plugins, strict mode, and what would make uWSGI exit. The work on it is split by concern:
 * includes.ts (reading ini files, magic variables), options.ts (add_exported_option and the
 * immediate options), logic.ts (if-* / for blocks), passes.ts ($() @() %()), configure.ts (the
 * setters that exit on a value) and command-line.ts (how `uwsgi --ini` starts).
 */
import * as path from 'path';
import type { Finding } from '../../core/finding';
import { endOffsetOf, startOffsetOf, type LineIndex, type SourceLocation } from '../../core/source';
import { budgetMessage, type BudgetName } from '../../input/budget';
import { ReadGate } from '../../input/gate';
import { getUwsgiOption } from '../../knowledge/uwsgi-options';
import type { UwsgiOptionInfo } from '../../knowledge/uwsgi-options';
import { finding } from '../../parsers/uwsgi-ini/syntax';
import { defaultRuntime } from './magic';
import type { FileMagic, UwsgiRuntime } from './magic';
import type { ResolveUwsgiOptions, ResolvedUwsgiOption, ValueSegment } from './types';

/** One entry of uWSGI's exported option list. */
export interface ExportedOption {
  key: string;
  /** null only for command-line flags without a value (`--show-config`). */
  value: string | null;
  configured: boolean;
  segments: ValueSegment[];
  synthetic: boolean;
  inherited: boolean;
  immediate: boolean;
  role: ResolvedUwsgiOption['role'];
  known: boolean;
  rawValue: string;
  bare: boolean;
  keyLocation: SourceLocation;
  valueLocation: SourceLocation;
  entryLocation: SourceLocation;
  includedFrom: SourceLocation[];
  file: string;
  section: string;
  keyTemplated?: boolean;
  valueTemplated?: boolean;
  inBlock?: SourceLocation;
}

export const LOGIC_TERMINATORS = new Set(['end', 'endfor', 'endif', 'end-if', 'end-for']);
export const INCLUDE_SETTERS = new Set(['uwsgi_opt_load_ini', 'uwsgi_opt_load', 'uwsgi_opt_load_yml', 'uwsgi_opt_load_json',
  'uwsgi_opt_load_xml', 'uwsgi_opt_load_config', 'uwsgi_opt_load_sqlite3', 'uwsgi_opt_load_ldap']);
export const MAX_INCLUDE_DEPTH = 64;
/** Variables uWSGI sets for itself; parse_sys_envs (core/utils.c) does not turn them into options. */
export const IGNORED_UWSGI_ENV = new Set(['UWSGI_RELOADS', 'UWSGI_VASSALS_DIR', 'UWSGI_EMPEROR_FD', 'UWSGI_BROODLORD_NUM',
  'UWSGI_EMPEROR_FD_CONFIG', 'UWSGI_EMPEROR_PROXY', 'UWSGI_JAIL_PID', 'UWSGI_ORIGINAL_PROC_NAME']);
export const MAX_LOGIC_REPEAT = 100000;

/** Plugins uWSGI's default (pip, monolithic) build embeds, as its `buildconf/base.ini` and `default.ini` list them. */
const MONOLITHIC_PLUGINS = new Set(['python', 'http', 'corerouter', 'fastrouter', 'rawrouter', 'sslrouter', 'cache', 'ping', 'nagios', 'rrdtool', 'carbon',
  'rpc', 'ugreen', 'signal', 'syslog', 'rsyslog', 'logsocket', 'router_uwsgi', 'router_redirect', 'router_basicauth', 'zergpool', 'redislog',
  'mongodblog', 'router_rewrite', 'router_http', 'logfile', 'router_cache', 'router_static', 'spooler', 'cheaper_busyness', 'symcall',
  'transformation_tofile', 'transformation_gzip', 'transformation_chunked', 'transformation_offload', 'router_memcached', 'router_redis',
  'router_hash', 'router_expires', 'router_metrics', 'transformation_template', 'stats_pusher_socket', 'router_fcgi']);

/** Where a key/value read from a file lives, and how it got there. */
export interface EntryMeta {
  keyLocation: SourceLocation;
  valueLocation: SourceLocation;
  entryLocation: SourceLocation;
  rawValue: string;
  bare: boolean;
  includedFrom: SourceLocation[];
  file: string;
  section: string;
  inherited: boolean;
  /** Given on the command line, not read from a file. */
  commandLine?: boolean;
  /** A template's expression stands in the key / the value (rendered template variants only). */
  keyTemplated?: boolean;
  valueTemplated?: boolean;
  /** Read inside a logic block (`if-*`, `for*`): the block's head line. */
  inBlock?: SourceLocation;
}

export interface LogicState {
  opt: string | null;
  arg: string | null;
  ifFailed: boolean;
  running: boolean;
  head?: SourceLocation;
}

export class UwsgiResolver {
  readonly opts: ExportedOption[] = [];
  readonly findings: Finding[] = [];
  readonly files: string[] = [];
  readonly runtime: UwsgiRuntime;
  readonly env: Record<string, string>;
  readonly version: '2.0' | '2.1';
  readonly loadedPlugins = new Set<string>();
  fatal?: { message: string; location?: SourceLocation };
  strict = false;
  readonly logic: LogicState = { opt: null, arg: null, ifFailed: false, running: false };
  lastFile: string | null = null;
  /** The first file's magic values (%O %P ...), worked out when a file first uses a %-variable. */
  firstMagic?: () => FileMagic;
  readonly stack: string[] = [];
  readonly lineIndexes = new Map<string, LineIndex>();
  readonly parsedFiles = new Set<string>();
  readonly tooLarge = new Set<string>();
  readonly fileKeys = new Set<string>();
  /** Every name a `%(...)` expression asked for during the placeholder pass, found or not. */
  readonly referencedKeys = new Set<string>();
  readonly firstByKey = new Map<string, ExportedOption>();
  readonly available?: Set<string>;
  readonly gate: ReadGate;
  readonly budgetReported = new Set<string>();
  readonly outsideReported = new Set<string>();

  constructor(readonly options: ResolveUwsgiOptions) {
    this.runtime = { ...defaultRuntime(options.cwd), ...(options.runtime ?? {}) };
    if (options.cwd !== undefined) this.runtime.cwd = options.cwd;
    this.env = options.env ?? {};
    this.version = options.version ?? '2.0';
    this.gate = options.gate ?? new ReadGate({ roots: [this.runtime.cwd], cwd: this.runtime.cwd });
    if (options.availablePlugins) this.available = new Set(options.availablePlugins.map((p) => p.replace(/_plugin\.so$/, '')));
  }

  lineIndexOf = (file: string): LineIndex | undefined => this.lineIndexes.get(file);

  /**
   * add_exported_option (options.ts) and uwsgi_ini_config (includes.ts), set by index.ts: the
   * modules that read files and run logic blocks add options, and the options they add may read
   * files, so they reach each other through the resolver rather than by importing each other.
   */
  addExportedOption: (key: string, value: string | null, segments: ValueSegment[], meta: EntryMeta, placeholderOnly: boolean) => void = () => undefined;
  loadIni: (arg: string, includedFrom: SourceLocation[], inherited: boolean, at: SourceLocation, rootText?: string, isRoot?: boolean) => void = () => undefined;

  setFatal(message: string, location?: SourceLocation): void {
    if (!this.fatal) this.fatal = { message, location };
  }

  report(ruleId: string, severity: Finding['severity'], message: string, location: SourceLocation): void {
    this.findings.push(finding(ruleId, severity, message, location));
  }

  /**
   * The option entry for `key`, if it exists with its plugin loaded. A build that is not known to be
   * modular (`build: 'unknown'`, a pip install or a distro package, which the files do not always
   * tell) has the plugins a monolithic build compiles in (python, http, the routers) when the
   * config loads no plugin itself.
   */
  optionInfo(key: string): UwsgiOptionInfo | undefined {
    const info = getUwsgiOption(key, this.version);
    if (!info) return undefined;
    if (info.plugin !== 'core' && !this.loadedPlugins.has(info.plugin) && !this.builtIn(info.plugin)) return undefined;
    return info;
  }

  /**
   * Strict mode met a key that is no option here. uWSGI exits, unless the key is an option of a
   * plugin a monolithic (pip) build compiles in and the build is not known: then it exits only on a
   * modular (distro) build without that plugin, which the message says.
   */
  strictUnknown(key: string, at: SourceLocation): void {
    const info = getUwsgiOption(key, this.version);
    if (info && this.options.build === 'unknown' && MONOLITHIC_PLUGINS.has(info.plugin)) {
      this.report('strict-unknown-option', 'warning',
        `strict mode: "${key}" is an option of the ${info.plugin} plugin, which no \`plugins =\` line loads: on a modular (distro) build uWSGI exits ("[strict-mode] unknown config directive"); a pip (monolithic) build has it built in`, at);
      return;
    }
    this.report('strict-unknown-option', 'error', `strict mode: "${key}" is not a uWSGI option here, so uWSGI exits ("[strict-mode] unknown config directive")`, at);
    this.setFatal(`[strict-mode] unknown config directive: ${key}`, at);
  }

  /** Is `plugin` compiled in, as far as the files tell? */
  builtIn(plugin: string): boolean {
    return this.options.build === 'unknown' && this.loadedPlugins.size === 0 && MONOLITHIC_PLUGINS.has(plugin);
  }

  /** uwsgi_get_exported_opt: the first entry named `key` (its value may be null for a flag). */
  exportedValue(key: string): ExportedOption | undefined {
    return this.firstByKey.get(key);
  }

  pushOption(o: ExportedOption): boolean {
    if (!this.gate.budget.spend('nodes')) {
      this.budgetExceeded('nodes', `reading ${o.file}`, o.entryLocation);
      return false;
    }
    this.opts.push(o);
    if (!this.firstByKey.has(o.key)) this.firstByKey.set(o.key, o);
    return true;
  }

  resolvePath(p: string): string {
    return path.isAbsolute(p) ? p : path.join(this.runtime.cwd, p);
  }

  /**
   * Files outside the gate's roots (after following symlinks) are not read: a finding names the path
   * as written (never its contents). Keeps `ini = /etc/passwd` or `@(/etc/shadow)` from being read.
   */
  reportOutside(what: string, at: SourceLocation): void {
    const key = `${what}\0${at.file}\0${startOffsetOf(at)}`;
    if (this.outsideReported.has(key)) return;
    this.outsideReported.add(key);
    this.report('include-outside', 'warning',
      `${what} is outside the paths given to deploylint, so it was not read; give its directory too (or --allow-read DIR) to check it`, at);
  }

  /** Is `real` one of the files whose include/inherit lines led here? */
  inChain(real: string, includedFrom: SourceLocation[]): boolean {
    for (const loc of includedFrom) {
      const r = this.gate.realPath(this.resolvePath(loc.file));
      if ((typeof r === 'string' ? r : loc.file) === real) return true;
    }
    return false;
  }

  /** One `budget-exceeded` finding per budget and file; the caller stops that piece of work. */
  budgetExceeded(name: BudgetName, what: string, at: SourceLocation): void {
    const key = `${name}\0${at.file}`;
    if (this.budgetReported.has(key)) return;
    this.budgetReported.add(key);
    this.report('budget-exceeded', 'warning', budgetMessage(name, this.gate.budget.limits[name], what), at);
  }

  sourceText(file: string, location: SourceLocation): string {
    const index = this.lineIndexes.get(file);
    if (!index) return '';
    return index.text.slice(startOffsetOf(location), endOffsetOf(location));
  }
}
