/**
 * Resolution of a uWSGI ini the way uWSGI 2.0 builds its option list (uwsgi-facts.md 1-1.3):
 * read the whole file, substitute magic `%X` variables in the raw text, split lines, keep the keys of
 * the wanted section, run immediate options while reading (`ini`/`include` load other files in place,
 * `if-*`/`for` blocks filter or repeat the keys after them, `set-placeholder`, `plugins`, `strict`),
 * then run the `$()`, `@()` and `%()` passes over every value not applied yet, then append the
 * options of `inherit =` files (unexpanded). Never throws: problems become findings; when uWSGI would
 * exit instead, `fatal` says why.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../../core/finding';
import { matchSafeRegex } from '../../core/safe-regex';
import { LineIndex } from '../../core/source';
import type { SourceLocation } from '../../core/source';
import { getUwsgiOption, sourcePluginOf } from '../../knowledge/uwsgi-options';
import type { UwsgiOptionInfo } from '../../knowledge/uwsgi-options';
import { shapeLine } from './lines';
import { defaultRuntime, fileMagic, magicSubstitute, magicTable, mapEnd, mapStart, piecesIn } from './magic';
import type { FileMagic, MagicResult, UwsgiRuntime } from './magic';
import { applyConfigPass, managePlaceholder } from './passes';
import { spliceSegments } from './segments';
import { decodeUwsgiIni, finding, parseUwsgiIni } from './syntax';
import type { ResolveUwsgiOptions, ResolvedUwsgiConfig, ResolvedUwsgiOption, ValueSegment } from './types';

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
}

const LOGIC_TERMINATORS = new Set(['end', 'endfor', 'endif', 'end-if', 'end-for']);
const INCLUDE_SETTERS = new Set(['uwsgi_opt_load_ini', 'uwsgi_opt_load', 'uwsgi_opt_load_yml', 'uwsgi_opt_load_json',
  'uwsgi_opt_load_xml', 'uwsgi_opt_load_config', 'uwsgi_opt_load_sqlite3', 'uwsgi_opt_load_ldap']);
const MAX_INCLUDE_DEPTH = 64;
/** Variables uWSGI sets for itself; parse_sys_envs (core/utils.c) does not turn them into options. */
const IGNORED_UWSGI_ENV = new Set(['UWSGI_RELOADS', 'UWSGI_VASSALS_DIR', 'UWSGI_EMPEROR_FD', 'UWSGI_BROODLORD_NUM',
  'UWSGI_EMPEROR_FD_CONFIG', 'UWSGI_EMPEROR_PROXY', 'UWSGI_JAIL_PID', 'UWSGI_ORIGINAL_PROC_NAME']);
const MAX_LOGIC_REPEAT = 100000;

/** Where a key/value read from a file lives, and how it got there. */
interface EntryMeta {
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
}

interface LogicState {
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
  private readonly logic: LogicState = { opt: null, arg: null, ifFailed: false, running: false };
  private lastFile: string | null = null;
  private firstMagic?: FileMagic;
  private readonly stack: string[] = [];
  private readonly lineIndexes = new Map<string, LineIndex>();
  private readonly parsedFiles = new Set<string>();
  private readonly tooLarge = new Set<string>();
  private readonly fileKeys = new Set<string>();
  /** Every name a `%(...)` expression asked for during the placeholder pass, found or not. */
  readonly referencedKeys = new Set<string>();
  private readonly firstByKey = new Map<string, ExportedOption>();
  private readonly available?: Set<string>;
  private readonly allowedRoots?: string[];

  constructor(private readonly options: ResolveUwsgiOptions) {
    this.runtime = { ...defaultRuntime(options.cwd), ...(options.runtime ?? {}) };
    if (options.cwd !== undefined) this.runtime.cwd = options.cwd;
    this.env = options.env ?? {};
    this.version = options.version ?? '2.0';
    if (options.allowedRoots) {
      this.allowedRoots = options.allowedRoots.map((r) => {
        try {
          return fs.realpathSync(path.resolve(this.runtime.cwd, r));
        } catch {
          return path.resolve(this.runtime.cwd, r);
        }
      });
    }
    if (options.availablePlugins) this.available = new Set(options.availablePlugins.map((p) => p.replace(/_plugin\.so$/, '')));
  }

  lineIndexOf = (file: string): LineIndex | undefined => this.lineIndexes.get(file);

  setFatal(message: string, location?: SourceLocation): void {
    if (!this.fatal) this.fatal = { message, location };
  }

  private report(ruleId: string, severity: Finding['severity'], message: string, location: SourceLocation): void {
    this.findings.push(finding(ruleId, severity, message, location));
  }

  /** The option entry for `key`, if it exists with its plugin loaded. */
  optionInfo(key: string): UwsgiOptionInfo | undefined {
    const info = getUwsgiOption(key, this.version);
    if (!info) return undefined;
    if (info.plugin !== 'core' && !this.loadedPlugins.has(info.plugin)) return undefined;
    return info;
  }

  /** uwsgi_get_exported_opt: the first entry named `key` (its value may be null for a flag). */
  exportedValue(key: string): ExportedOption | undefined {
    return this.firstByKey.get(key);
  }

  private pushOption(o: ExportedOption): void {
    this.opts.push(o);
    if (!this.firstByKey.has(o.key)) this.firstByKey.set(o.key, o);
  }

  private resolvePath(p: string): string {
    return path.isAbsolute(p) ? p : path.join(this.runtime.cwd, p);
  }

  /**
   * With `allowedRoots`, files outside them (after following symlinks) are not read: a finding
   * says so. Keeps a lint run from reading /etc/passwd because a config says `ini = /etc/passwd`.
   */
  private isOutsideAllowed(full: string, what: string, at: SourceLocation): boolean {
    if (!this.allowedRoots) return false;
    let real = full;
    try {
      real = fs.realpathSync(full);
    } catch {
      real = path.resolve(full);
    }
    if (this.allowedRoots.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep))) return false;
    this.report('include-outside', 'warning',
      `${what} is outside the paths given to deploylint, so it was not read; pass its directory too to check it`, at);
    return true;
  }

  /**
   * Entry point: the command line `uwsgi [before...] --ini ARGUMENT [after...]`. Command-line
   * options join the same list as the file's, in order, so an if-block left open at the end of the
   * file filters the options that follow it on the command line too.
   */
  resolveRoot(argument: string, rootText?: string): void {
    const pseudo = this.pseudoLocation(argument);
    // parse_sys_envs: UWSGI_FOO_BAR=x becomes `foo-bar = x`, before the command line
    for (const [name, value] of Object.entries(this.env)) {
      if (!name.startsWith('UWSGI_') || IGNORED_UWSGI_ENV.has(name)) continue;
      const key = name.slice(6).toLowerCase().replace(/_/g, '-');
      this.addCommandLineOption(key, value, { file: `$${name}`, range: pseudo.range });
    }
    const before = this.options.commandLine?.before ?? [{ key: 'show-config', value: null }];
    for (const o of before) this.addCommandLineOption(o.key, o.value, pseudo);
    this.addCommandLineOption('ini', argument, pseudo, rootText);
    for (const o of this.options.commandLine?.after ?? []) this.addCommandLineOption(o.key, o.value, pseudo);
    if (this.logic.opt && this.logic.head) {
      this.report('logic-unterminated', 'warning',
        `this ${this.logic.opt} block is never closed: it also filters every option given after the file on the command line; add "end${this.logic.opt.startsWith('for') ? 'for' : 'if'} ="`,
        this.logic.head);
    }
  }

  private addCommandLineOption(key: string, value: string | null, at: SourceLocation, rootText?: string): void {
    if (key === 'ini' && rootText !== undefined) {
      this.pushOption(this.syntheticOption(key, value, at));
      this.loadIni(value ?? '', [], false, at, rootText, true);
      return;
    }
    const meta: EntryMeta = {
      keyLocation: at, valueLocation: at, entryLocation: at, rawValue: value ?? '', bare: value === null,
      includedFrom: [], file: at.file, section: 'uwsgi', inherited: false, commandLine: true,
    };
    this.addExportedOption(key, value, value === null ? [] : [{ text: value, via: 'argument' }], meta, false);
  }

  private pseudoLocation(file: string): SourceLocation {
    return { file, range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } };
  }

  private syntheticOption(key: string, value: string | null, at: SourceLocation): ExportedOption {
    return {
      key, value, configured: true, segments: value === null ? [] : [{ text: value, via: 'argument' }], synthetic: true,
      inherited: false, immediate: true, role: key === 'ini' ? 'include' : 'option', known: true, rawValue: value ?? '',
      bare: value === null, keyLocation: at, valueLocation: at, entryLocation: at, includedFrom: [], file: at.file, section: 'uwsgi',
    };
  }

  /** uwsgi_ini_config: `arg` is `file[:section]` or `:section` (another section of the last ini read). */
  loadIni(arg: string, includedFrom: SourceLocation[], inherited: boolean, at: SourceLocation, rootText?: string, isRoot = false): void {
    let file = arg;
    let sectionAsked = 'uwsgi';
    let sectionGiven = '';
    const schemeMatch = /^[a-z][a-z0-9+.-]*:\/\//i.exec(arg);
    const searchFrom = schemeMatch ? arg.lastIndexOf('/') : 0;
    const colon = arg.lastIndexOf(':');
    if (colon >= searchFrom && colon >= 0) {
      file = arg.slice(0, colon);
      const sec = arg.slice(colon + 1);
      if (sec !== '') {
        sectionAsked = sec;
        sectionGiven = sec;
      }
      if (colon === 0) file = this.lastFile ?? '';
    }
    if (schemeMatch) {
      this.report('include-unsupported', 'warning', `deploylint does not fetch ${schemeMatch[0]} configs; ${arg} was not read`, at);
      return;
    }
    if (this.stack.length >= MAX_INCLUDE_DEPTH) {
      this.report('include-loop', 'error', `includes nested more than ${MAX_INCLUDE_DEPTH} deep at ${arg}: uWSGI would recurse until it crashes`, at);
      this.setFatal('include nesting too deep', at);
      return;
    }
    const full = this.resolvePath(file);
    if (!isRoot && rootText === undefined && this.isOutsideAllowed(full, arg, at)) return;
    let real = full;
    try {
      real = fs.realpathSync(full);
    } catch {
      // reported below when reading fails
    }
    const stackKey = `${real}\0${sectionAsked}`;
    if (this.stack.includes(stackKey)) {
      this.report('include-loop', 'error',
        `${arg} includes itself (through ${this.stack.length} level${this.stack.length === 1 ? '' : 's'}): uWSGI would recurse until it crashes`, at);
      this.setFatal(`include loop at ${arg}`, at);
      return;
    }
    let text: string;
    let encoding: 'utf-8' | 'latin1' = 'utf-8';
    if (rootText !== undefined) {
      text = rootText;
    } else {
      let bytes: Buffer;
      try {
        const st = fs.statSync(full);
        if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
        // a FIFO or device would block or never end: uWSGI would wait on it, deploylint reports it
        if (!st.isFile()) throw Object.assign(new Error('not a regular file (FIFO, socket or device)'), { code: 'ENOTREG' });
        bytes = fs.readFileSync(full);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const what = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${(err as Error).message})`;
        this.report('include-not-found', 'error',
          `${file === '' ? 'the config file' : file} ${what}${includedFrom.length ? ' (relative paths are resolved from uWSGI\'s working directory, not from the including file; write %d to mean the including file\'s directory)' : ''}: uWSGI exits`,
          at);
        this.setFatal(`cannot read ${file}`, at);
        return;
      }
      ({ text, encoding } = decodeUwsgiIni(bytes));
    }
    this.lastFile = file;
    if (!this.fileKeys.has(real)) {
      this.fileKeys.add(real);
      this.files.push(file);
    }
    const lineIndex = new LineIndex(text);
    this.lineIndexes.set(file, lineIndex);
    if (!this.parsedFiles.has(file)) {
      this.parsedFiles.add(file);
      const doc = parseUwsgiIni(text, file, { encoding });
      for (const f of doc.findings) this.findings.push(f);
      if (!doc.complete) this.tooLarge.add(file);
    }
    if (this.tooLarge.has(file)) return;

    const magic = fileMagic(file, sectionGiven, this.runtime.cwd);
    if (!this.firstMagic) this.firstMagic = magic;
    const table = magicTable(magic, this.firstMagic, this.runtime);
    const sub = magicSubstitute(text, table);
    // latin1-decoded files hold one byte per character, so only UTF-8 text can split a character
    if (encoding === 'utf-8') this.checkNonAsciiMagic(text, file, lineIndex);

    this.stack.push(stackKey);
    let gotSection = false;
    this.readLines(sub, text.length, file, lineIndex, sectionAsked, includedFrom, inherited, () => {
      gotSection = true;
    });
    this.stack.pop();
    if (!gotSection) {
      this.report('ini-section-not-found', 'warning',
        `section [${sectionAsked}] not found in ${file}: uWSGI reads no option from it (it only logs a warning)`, at);
    }
  }

  private checkNonAsciiMagic(text: string, file: string, lineIndex: LineIndex): void {
    for (let i = text.indexOf('%'); i >= 0 && i + 1 < text.length; i = text.indexOf('%', i + 2)) {
      if (text.charCodeAt(i + 1) > 0x7f) {
        this.report('ini-percent-non-ascii', 'warning',
          'uWSGI replaces "%" and the next byte, which here is half of a non-ASCII character; write "%%"', { file, range: lineIndex.range(i, i + 2) });
        return;
      }
    }
  }

  private readLines(
    sub: MagicResult, srcLength: number, file: string, lineIndex: LineIndex, sectionAsked: string,
    includedFrom: SourceLocation[], inherited: boolean, found: () => void,
  ): void {
    const t = sub.text;
    const loc = (start: number, end: number): SourceLocation => {
      const s = mapStart(sub.pieces, srcLength, start);
      const e = end === start ? s : Math.max(s, mapEnd(sub.pieces, end));
      return { file, range: lineIndex.range(s, e) };
    };
    let section = '';
    let pos = 0;
    while (pos < t.length) {
      let nl = t.indexOf('\n', pos);
      if (nl < 0) nl = t.length;
      const shape = shapeLine(t, pos, nl);
      if (shape.kind === 'section') {
        section = t.slice(shape.nameStart, shape.nameEnd);
      } else if (shape.kind === 'entry' && section === sectionAsked) {
        found();
        const key = t.slice(shape.keyStart, shape.keyEnd);
        const value = t.slice(shape.valueStart, shape.valueEnd);
        const valueLocation = loc(shape.valueStart, shape.valueEnd);
        const segments: ValueSegment[] = [];
        for (const p of piecesIn(sub.pieces, shape.valueStart, shape.valueEnd)) {
          const from = Math.max(p.outStart, shape.valueStart);
          const to = Math.min(p.outEnd, shape.valueEnd);
          if (p.variable === undefined) {
            const s = p.srcStart + (from - p.outStart);
            segments.push({ text: t.slice(from, to), via: 'literal', location: { file, range: lineIndex.range(s, s + (to - from)) } });
          } else {
            segments.push({
              text: t.slice(from, to), via: 'magic', expression: `%${p.variable}`,
              location: { file, range: lineIndex.range(p.srcStart, p.srcEnd) },
            });
          }
        }
        if (segments.length === 0 && value === '') segments.push({ text: '', via: 'literal', location: valueLocation });
        const meta: EntryMeta = {
          keyLocation: loc(shape.keyStart, shape.keyEnd),
          valueLocation,
          entryLocation: loc(shape.start, shape.end),
          rawValue: this.sourceText(file, valueLocation),
          bare: shape.equals < 0,
          includedFrom,
          file,
          section,
          inherited,
        };
        this.addExportedOption(key, value, segments, meta, false);
      }
      pos = nl + 1;
    }
  }

  private sourceText(file: string, location: SourceLocation): string {
    const index = this.lineIndexes.get(file);
    if (!index) return '';
    return index.text.slice(location.range.start.offset, location.range.end.offset);
  }

  /** add_exported_option_do, including the logic-block state machine and immediate options. */
  addExportedOption(key: string, value: string | null, segments: ValueSegment[], meta: EntryMeta, placeholderOnly: boolean): void {
    const logic = this.logic;
    if (!logic.running) {
      if (LOGIC_TERMINATORS.has(key)) {
        logic.opt = null;
        logic.arg = null;
        logic.ifFailed = false;
      }
      if (logic.opt) {
        logic.running = true;
        try {
          this.runLogic(key, value, segments, meta);
        } finally {
          logic.running = false;
        }
        return;
      }
    }
    const info = this.optionInfo(key);
    const entry: ExportedOption = {
      key, value, configured: false, segments, synthetic: meta.commandLine === true, inherited: meta.inherited,
      immediate: false, role: 'option', known: info !== undefined, rawValue: meta.rawValue, bare: meta.bare,
      keyLocation: meta.keyLocation, valueLocation: meta.valueLocation, entryLocation: meta.entryLocation,
      includedFrom: meta.includedFrom, file: meta.file, section: meta.section,
    };
    this.pushOption(entry);
    if (placeholderOnly) {
      entry.role = 'placeholder';
      entry.configured = true;
      if (getUwsgiOption(key, this.version)) {
        this.report('placeholder-shadows-option', 'error', `"${key}" is an option name and cannot be a placeholder: uWSGI exits`, meta.keyLocation);
        this.setFatal(`you cannot use ${key} as a placeholder`, meta.keyLocation);
      }
      return;
    }
    if (!info) {
      if (this.strict) {
        this.report('strict-unknown-option', 'error', `strict mode: "${key}" is not a uWSGI option here, so uWSGI exits ("[strict-mode] unknown config directive")`, meta.keyLocation);
        this.setFatal(`[strict-mode] unknown config directive: ${key}`, meta.keyLocation);
      }
      return;
    }
    if (info.setter === 'uwsgi_opt_logic') entry.role = 'logic';
    if (LOGIC_TERMINATORS.has(key)) entry.role = 'logic';
    if (INCLUDE_SETTERS.has(info.setter)) entry.role = 'include';
    if (info.setter === 'uwsgi_opt_set_placeholder') entry.role = 'placeholder';
    if (info.immediate) {
      entry.configured = true;
      entry.immediate = true;
      this.runImmediate(info, entry, meta);
    }
  }

  private runImmediate(info: UwsgiOptionInfo, entry: ExportedOption, meta: EntryMeta): void {
    const value = entry.value ?? '';
    const chain = meta.commandLine ? [] : [...meta.includedFrom, meta.entryLocation];
    switch (info.setter) {
      case 'uwsgi_opt_load_ini':
        this.loadIni(value, chain, meta.inherited, meta.valueLocation, undefined, meta.commandLine === true);
        return;
      case 'uwsgi_opt_load':
        this.loadByExtension(value, chain, meta.inherited, meta.valueLocation);
        return;
      case 'uwsgi_opt_load_yml': case 'uwsgi_opt_load_json': case 'uwsgi_opt_load_xml': case 'uwsgi_opt_load_config':
      case 'uwsgi_opt_load_sqlite3': case 'uwsgi_opt_load_ldap':
        this.report('include-unsupported', 'warning', `deploylint reads only ini files; the options in ${value} are not checked`, meta.valueLocation);
        return;
      case 'uwsgi_opt_logic':
        if (this.logic.opt) {
          this.report('logic-nested', 'error', `"${entry.key}" inside another if/for block: uWSGI does not support nesting and exits`, meta.keyLocation);
          this.setFatal(`recursive logic in options is not supported (option = ${entry.key})`, meta.keyLocation);
          return;
        }
        this.logic.opt = entry.key;
        this.logic.arg = value;
        this.logic.head = meta.entryLocation;
        return;
      case 'uwsgi_opt_set_placeholder': {
        const eq = value.indexOf('=');
        if (eq < 0) {
          this.report('syntax-error', 'error', `${entry.key} needs name=value: uWSGI exits`, meta.valueLocation);
          this.setFatal(`invalid placeholder syntax: ${value}`, meta.valueLocation);
          return;
        }
        const name = value.slice(0, eq);
        const v = value.slice(eq + 1);
        const segs = spliceSegments(entry.segments, 0, eq + 1, [], this.lineIndexOf);
        this.addExportedOption(name, v, segs, { ...meta, bare: false }, true);
        return;
      }
      case 'uwsgi_opt_load_plugin':
        this.loadPlugins(entry.key, value, meta);
        return;
      case 'uwsgi_opt_exit':
        this.report('uwsgi-exit', 'warning', `"${entry.key}" makes uWSGI exit while it reads the config`, meta.keyLocation);
        this.setFatal(`${entry.key} = ${value}`, meta.keyLocation);
        return;
      default:
        if (entry.key === 'strict') this.strict = !isUwsgiFalse(value);
    }
  }

  private loadPlugins(key: string, value: string, meta: EntryMeta): void {
    for (const raw of value.split(',')) {
      const name = raw.trim();
      if (name === '') continue;
      let file = name;
      const colon = file.indexOf(':');
      if (colon >= 0) file = file.slice(colon + 1);
      const bar = file.indexOf('|');
      if (bar >= 0) file = file.slice(0, bar);
      file = file.replace(/_plugin\.so$/, '');
      if (this.available && !this.available.has(file) && !file.includes('/')) {
        if (key.startsWith('need-')) {
          this.report('plugin-not-found', 'error', `plugin "${file}" is not installed: uWSGI exits`, meta.valueLocation);
          this.setFatal(`unable to load plugin "${file}"`, meta.valueLocation);
        } else {
          this.report('plugin-not-found', 'warning', `plugin "${file}" is not installed: uWSGI logs "UNABLE to load uWSGI plugin" and goes on without it`, meta.valueLocation);
        }
        continue;
      }
      this.loadedPlugins.add(sourcePluginOf(file));
    }
  }

  /** uwsgi_opt_load: dispatch on the file extension. */
  private loadByExtension(value: string, chain: SourceLocation[], inherited: boolean, at: SourceLocation): void {
    const colon = value.lastIndexOf(':');
    const file = colon > 0 ? value.slice(0, colon) : value;
    if (/\.ini$/.test(file)) {
      this.loadIni(value, chain, inherited, at);
    } else if (/\.(ya?ml|json|js|xml)$/.test(file)) {
      this.report('include-unsupported', 'warning', `deploylint reads only ini files; the options in ${value} are not checked`, at);
    } else {
      this.report('include-unsupported', 'error', `uWSGI cannot tell the format of ${value} from its extension and exits ("unable to load configuration from ${value}"); name it .ini`, at);
      this.setFatal(`unable to load configuration from ${value}`, at);
    }
  }

  /** The if-* / for* functions of core/config.c, called for each key inside the block. */
  private runLogic(key: string, value: string | null, segments: ValueSegment[], meta: EntryMeta): void {
    const logic = this.logic;
    const data = logic.arg ?? '';
    const head = logic.head;
    const add = (p: string | null, subst: boolean): void => {
      let v = value;
      let segs = segments;
      if (subst && p !== null && v !== null) ({ value: v, segments: segs } = substituteUnderscore(v, segments, p, head, this.lineIndexOf));
      this.addExportedOption(key, v, segs, meta, false);
    };
    const test = (ok: boolean, p: string | null = data, subst = true): void => {
      logic.ifFailed = !ok;
      if (ok) add(p, subst);
    };
    const splitEq = (): { name: string; expected?: string } => {
      const eq = data.indexOf('=');
      return eq < 0 ? { name: data } : { name: data.slice(0, eq), expected: data.slice(eq + 1) };
    };
    switch (logic.opt) {
      case 'for':
        for (const token of data.split(' ')) if (token !== '') add(token, true);
        return;
      case 'for-times': {
        const n = atoi(data);
        if (n > MAX_LOGIC_REPEAT) {
          this.report('logic-too-many', 'warning', `for-times = ${n}: deploylint expands only the first ${MAX_LOGIC_REPEAT}`, head ?? meta.keyLocation);
        }
        for (let i = 1; i <= Math.min(n, MAX_LOGIC_REPEAT); i++) add(String(i), true);
        return;
      }
      case 'for-glob': {
        for (const match of globLikeC(data, this.runtime.cwd)) add(match, true);
        return;
      }
      case 'for-readline': {
        let text: string;
        if (this.isOutsideAllowed(this.resolvePath(data), `for-readline = ${data}`, head ?? meta.keyLocation)) return;
        try {
          if (!fs.statSync(this.resolvePath(data)).isFile()) throw new Error('not a regular file');
          text = fs.readFileSync(this.resolvePath(data), 'latin1');
        } catch {
          this.report('include-not-found', 'warning', `for-readline: cannot open ${data}; uWSGI logs the error and skips the block`, head ?? meta.keyLocation);
          return;
        }
        for (const line of fgetsLines(text)) add(line, true);
        return;
      }
      case 'if-env': case 'ifenv': case 'if-not-env': {
        const { name, expected } = splitEq();
        const p = Object.prototype.hasOwnProperty.call(this.env, name) ? this.env[name] : null;
        const negate = logic.opt === 'if-not-env';
        if (!negate) test(p !== null && (expected === undefined || expected === p), p);
        else test(!(p !== null && (expected === undefined || expected === p)), p);
        return;
      }
      case 'if-opt': case 'if-not-opt': {
        const { name, expected } = splitEq();
        const p = this.exportedValue(name)?.value ?? null;
        if (logic.opt === 'if-opt') test(p !== null && (expected === undefined || expected === p), p);
        else test(!(p !== null && (expected === undefined || expected === p)), p);
        return;
      }
      case 'if-exists': case 'ifexists': case 'if-not-exists': {
        const ok = fileAccessible(this.resolvePath(data));
        test(logic.opt === 'if-not-exists' ? !ok : ok);
        return;
      }
      case 'if-file': case 'if-not-file': {
        const ok = statKind(this.resolvePath(data)) === 'file';
        test(logic.opt === 'if-not-file' ? !ok : ok);
        return;
      }
      case 'if-dir': case 'ifdir': case 'if-directory': case 'if-not-dir': {
        const ok = statKind(this.resolvePath(data)) === 'dir';
        test(logic.opt === 'if-not-dir' ? !ok : ok);
        return;
      }
      case 'if-plugin': case 'ifplugin': case 'if-not-plugin': {
        const ok = this.loadedPlugins.has(data);
        test(logic.opt === 'if-not-plugin' ? !ok : ok);
        return;
      }
      case 'if-hostname': case 'if-not-hostname': {
        const ok = this.runtime.hostname === data;
        test(logic.opt === 'if-not-hostname' ? !ok : ok);
        return;
      }
      case 'if-hostname-match': case 'if-not-hostname-match': {
        let ok = false;
        try {
          ok = matchSafeRegex(data, this.runtime.hostname) === 'match'; // RE2, linear; unsupported or undecided = no match, like an invalid pattern
        } catch {
          ok = false;
        }
        test(logic.opt === 'if-not-hostname-match' ? !ok : ok);
        return;
      }
      case 'if-reload': case 'if-not-reload': {
        // uwsgi_setup_reload: a UWSGI_RELOADS variable in the environment means this start is a reload
        const reload = Object.prototype.hasOwnProperty.call(this.env, 'UWSGI_RELOADS');
        test(logic.opt === 'if-reload' ? reload : !reload, null, false);
        return;
      }
      default:
        // a logic option deploylint does not model: keep the key, as most blocks would
        this.addExportedOption(key, value, segments, meta, false);
    }
  }

  /** The `$()`, `@()` and `%()` passes (core/uwsgi.c after uwsgi_commandline_config). */
  runPasses(): void {
    applyConfigPass(this, '$', (k) => (Object.prototype.hasOwnProperty.call(this.env, k) ? { text: this.env[k], via: 'env' } : null));
    applyConfigPass(this, '@', (k, opt) => this.readReference(k, opt));
    applyConfigPass(this, '%', (k) => {
      for (const token of k.split(' ')) {
        if (token !== '' && !/^(\d+|[-+*/]|\+\+|--)$/.test(token)) this.referencedKeys.add(token);
      }
      return managePlaceholder(this, k);
    });
  }

  private readReference(p: string, opt: ExportedOption): { text: string; via: string; location?: SourceLocation } | null {
    const full = this.resolvePath(p);
    if (this.isOutsideAllowed(full, `@(${p})`, opt.valueLocation)) return null;
    let text: string;
    try {
      if (!fs.statSync(full).isFile()) throw new Error('not a regular file');
      text = fs.readFileSync(full, 'latin1');
    } catch {
      this.report('include-not-found', 'error', `@(${p}): ${p} cannot be read, so uWSGI exits`, opt.valueLocation);
      this.setFatal(`open("${p}") failed`, opt.valueLocation);
      return null;
    }
    // uwsgi_simple_file_read: C string, one trailing newline dropped
    const nul = text.indexOf('\0');
    if (nul >= 0) text = text.slice(0, nul);
    if (text.endsWith('\n')) text = text.slice(0, -1);
    const decoded = Buffer.from(text, 'latin1').toString('utf8');
    return { text: decoded, via: 'reference', location: { file: p, range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } } };
  }

  /**
   * uwsgi_configure: every option not applied yet, in order. `inherit` appends its file's options at
   * the end (they are applied in turn, unexpanded). The few setters that exit on a value regardless
   * of the machine are checked here (invalid chmod-socket, empty socket, version); under strict mode
   * an unknown key exits.
   */
  runConfigure(): void {
    let sharedSockets = 0;
    for (let i = 0; i < this.opts.length; i++) {
      const o = this.opts[i];
      if (o.configured) continue;
      o.configured = true;
      const info = this.optionInfo(o.key);
      if (!info) {
        if (this.strict) {
          this.report('strict-unknown-option', 'error', `strict mode: "${o.key}" is not a uWSGI option here, so uWSGI exits ("[strict-mode] unknown config directive")`, o.keyLocation);
          this.setFatal(`[strict-mode] unknown config directive: ${o.key}`, o.keyLocation);
        }
        continue;
      }
      const value = o.value;
      if (info.setter === 'uwsgi_opt_load') {
        o.role = 'include';
        this.loadByExtension(value ?? '', [...o.includedFrom, o.entryLocation], true, o.valueLocation);
      } else if (info.setter === 'uwsgi_opt_chmod_socket' || info.setter === 'uwsgi_opt_logfile_chmod') {
        if (value !== null && value !== '1' && !/^[0-7]{3}$/.test(value)) {
          this.report('uwsgi-invalid-value', 'error',
            `${o.key} takes exactly three octal digits (like 660) or 1; "${value}" makes uWSGI exit ("invalid chmod value")`, o.valueLocation);
          this.setFatal(`invalid chmod value: ${value}`, o.valueLocation);
        }
      } else if (info.setter === 'uwsgi_opt_add_shared_socket') {
        sharedSockets++;
      } else if (['uwsgi_opt_add_socket', 'uwsgi_opt_add_socket_no_defer', 'uwsgi_opt_add_lazy_socket'].includes(info.setter)) {
        const name = (value ?? '').replace(/^[ \t\n\v\f\r]+/, '');
        if (value !== null && name === '') {
          this.report('uwsgi-invalid-value', 'error', `${o.key} has no address: uWSGI exits ("invalid/empty uwsgi socket name")`, o.entryLocation);
          this.setFatal('invalid/empty uwsgi socket name', o.entryLocation);
        } else if (name.startsWith('=')) {
          // "=N" reuses shared socket N (uwsgi_new_socket); it must be declared before
          const n = atoi(name.slice(1));
          if (n >= 0 && n >= sharedSockets) {
            this.report('uwsgi-invalid-value', 'error',
              `${o.key} = ${name} refers to shared socket ${n}, but ${sharedSockets === 0 ? 'no shared-socket is' : `only ${sharedSockets} shared-socket${sharedSockets === 1 ? ' is' : 's are'}`} declared before it: uWSGI exits`, o.valueLocation);
            this.setFatal(`unable to use shared socket ${n}`, o.valueLocation);
          }
        }
      } else if (info.setter === 'uwsgi_opt_print' && info.target !== 'NULL' && info.target !== '') {
        this.report('uwsgi-exit', 'warning', `"${o.key}" makes uWSGI print its version and exit instead of starting`, o.keyLocation);
        this.setFatal(`${o.key} prints and exits`, o.keyLocation);
      }
    }
  }

  result(argument: string, file: string, section: string): ResolvedUwsgiConfig {
    const options: ResolvedUwsgiOption[] = [];
    const exported = this.opts.map((o) => ({ key: o.key, value: o.value, commandLine: o.synthetic }));
    for (const o of this.opts) {
      if (o.synthetic) continue;
      const uwsgiValue = o.value ?? '';
      options.push({
        key: o.key,
        value: o.bare && uwsgiValue === '' ? 'true' : uwsgiValue,
        uwsgiValue,
        rawValue: o.rawValue,
        bare: o.bare,
        keyLocation: o.keyLocation,
        valueLocation: o.valueLocation,
        entryLocation: o.entryLocation,
        segments: o.segments,
        includedFrom: o.includedFrom,
        role: o.role,
        immediate: o.immediate,
        inherited: o.inherited,
        known: o.role !== 'placeholder' || getUwsgiOption(o.key, this.version) !== undefined ? this.optionInfo(o.key) !== undefined : false,
        file: o.file,
        section: o.section,
      });
    }
    return {
      file, section, argument, options, exported, findings: this.findings, files: this.files,
      fatal: this.fatal, loadedPlugins: [...this.loadedPlugins], strict: this.strict,
      referencedKeys: [...this.referencedKeys],
    };
  }
}

/** uwsgi_opt_true's reading: false only for false/off/no (any case) and exactly "0". */
export function isUwsgiFalse(value: string): boolean {
  const v = value.toLowerCase();
  return v === 'false' || v === 'off' || v === 'no' || value === '0';
}

/** uwsgi_substitute(value, "%(_)", p): every occurrence, left to right. */
function substituteUnderscore(
  value: string, segments: ValueSegment[], p: string, head: SourceLocation | undefined, lookup: (f: string) => LineIndex | undefined,
): { value: string; segments: ValueSegment[] } {
  let v = value;
  let segs = segments;
  let from = 0;
  for (;;) {
    const at = v.indexOf('%(_)', from);
    if (at < 0) break;
    segs = spliceSegments(segs, at, at + 4, [{ text: p, via: 'logic', expression: '%(_)', location: head }], lookup);
    v = v.slice(0, at) + p + v.slice(at + 4);
    from = at + p.length;
  }
  return { value: v, segments: segs };
}

/** C atoi: optional spaces and sign, then digits; anything else gives 0. */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  return Number.isFinite(n) ? Math.max(-2147483648, Math.min(2147483647, n)) : 0;
}

/** Lines as fgets(line, 1024) reads them (long lines come in 1023-byte pieces), chomped of CR/LF. */
function fgetsLines(text: string): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < text.length && out.length < MAX_LOGIC_REPEAT) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 ? text.length : nl + 1;
    const end = Math.min(lineEnd, pos + 1023);
    let line = text.slice(pos, end);
    pos = end;
    line = line.replace(/[\r\n]+$/, '');
    out.push(Buffer.from(line, 'latin1').toString('utf8'));
  }
  return out;
}

function fileAccessible(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function statKind(p: string): 'file' | 'dir' | 'other' | 'none' {
  try {
    const st = fs.statSync(p);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'none';
  }
}

/** glob(3) with GLOB_MARK | GLOB_NOCHECK, sorted: directories get a trailing "/", no match gives the pattern. */
function globLikeC(pattern: string, cwd: string): string[] {
  let matches: string[] = [];
  try {
    // loaded on first use: for-glob is rare and fast-glob costs start-up time
    const fg = require('fast-glob') as typeof import('fast-glob');
    matches = fg.sync(pattern, { cwd, onlyFiles: false, markDirectories: true, dot: false, absolute: path.isAbsolute(pattern) });
  } catch {
    matches = [];
  }
  if (matches.length === 0) return [pattern];
  return matches.sort().slice(0, MAX_LOGIC_REPEAT);
}

