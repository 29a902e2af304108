/**
 * Reads an Apache config the way httpd 2.4 does (server/config.c ap_build_config, core.c
 * include_config / start_ifmod / ap_soak_end_container, util.c ap_resolve_env and the fnmatch
 * include walk), producing the resolved tree of the contract in types.ts.
 *
 * httpd has two phases and stops at the first error of either: the read phase (structure, Include,
 * Define, LoadModule, the config-time conditionals) and the walk phase (every other directive: unknown
 * commands, contexts). We keep going after an error so a linter sees as much as possible, but record
 * which finding httpd itself would have stopped at in `httpdError`.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../../core/finding';
import { matchSafeRegex } from '../../core/safe-regex';
import type { SourceLocation } from '../../core/source';
import {
  DEBIAN_BUILTIN_MODULES,
  getApacheDirective,
  getApacheDirectives,
  isManualModuleLoaded,
  measuredDirectiveContext,
  moduleNamesForIfModule,
  canonicalDirectiveName,
  isKnownModuleName,
  suggestApacheDirective,
  type MeasuredScope,
} from '../../knowledge/apache-directives';
import { checkDirectiveArguments } from './checks';
import { readDebianEnvvars } from './envvars';
import { hasWildcard, fnmatch } from './fnmatch';
import { isHttpdSpace, joinedToOffset, splitLogicalLines, splitWords, type LogicalLine } from './lexer';
import { decodeConfigBytes, LineReader } from './syntax';
import type { ApacheArgument, ApacheIncludeRecord, ResolveApacheOptions, ResolvedApacheConfig, ResolvedNode, ResolvedSection } from './types';

const MAX_INCLUDE_DEPTH = 128;
const MPM_MODULES = new Set(['prefork', 'worker', 'event', 'mpm_common']);
const MAX_DIR_DEPTH = 128;
export const DEFAULT_HTTPD_VERSION = '2.4.71';

const INCLUDE_HELP = 'Name(s) of the config file(s) to be included; fails if the wildcard does not match at least one file';
const INCLUDE_OPTIONAL_HELP = 'Name or pattern of the config file(s) to be included; ignored if the file does not exist or the pattern does not match any files';

/** Sections decided while reading; they leave no node in the tree. */
const CONDITIONAL_SECTIONS = new Set(['<ifmodule', '<ifdefine', '<iffile', '<ifdirective', '<ifsection', '<ifversion']);
const CONDITIONAL_CANONICAL: Record<string, string> = {
  '<ifmodule': '<IfModule',
  '<ifdefine': '<IfDefine',
  '<iffile': '<IfFile',
  '<ifdirective': '<IfDirective',
  '<ifsection': '<IfSection',
  '<ifversion': '<IfVersion',
};

/** Where a section puts its children, for context checks (httpd's cmd->override and find_parent). */
const SECTION_SCOPE: Record<string, MeasuredScope> = {
  virtualhost: 'vhost',
  directory: 'directory',
  directorymatch: 'directory',
  location: 'location',
  locationmatch: 'location',
  files: 'files',
  filesmatch: 'files',
  proxy: 'proxy',
  proxymatch: 'proxy',
  if: 'if',
  elseif: 'if',
  else: 'if',
};

/** Core containers whose handler needs an argument before the closing '>'. */
const SECTIONS_NEEDING_ARGS = new Set([
  'directory',
  'directorymatch',
  'location',
  'locationmatch',
  'files',
  'filesmatch',
  'virtualhost',
  'proxy',
  'proxymatch',
  'limit',
  'limitexcept',
  'if',
  'elseif',
  'authnprovideralias',
  'authzprovideralias',
  'macro',
]);

/** A mod_macro definition: parameter names and the body's logical lines. */
interface MacroDef {
  name: string;
  params: string[];
  body: string[];
  bodyLocations: SourceLocation[];
  defLine: number;
  defFile: string;
}

/** mod_macro substitution: at each position the longest parameter name that matches is replaced. */
function substituteMacroArgs(line: string, params: string[], values: string[]): string {
  if (!params.length) return line;
  const order = params.map((p, i) => [p, values[i]] as const).sort((a, b) => b[0].length - a[0].length);
  let out = '';
  for (let i = 0; i < line.length; ) {
    const hit = order.find(([p]) => p !== '' && line.startsWith(p, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else {
      out += line[i];
      i++;
    }
  }
  return out;
}

interface AssumedList {
  cond: string;
  prev: AssumedList | null;
}

interface Cursor {
  lines: LogicalLine[];
  i: number;
  reader: LineReader;
  file: string;
}

interface Phased {
  finding: Finding;
  /** Order key: read-phase errors stop httpd before the walk phase. */
  phase: 'read' | 'walk';
}

function locationOfLine(cur: Cursor, line: LogicalLine): SourceLocation {
  return cur.reader.lineLocation(line);
}

/** Directive names that are template markup: `{% if %}`, `{{ var }}`, `{# #}`, `%PUBLICPORT%`, `@@ServerRoot@@`. */
const TEMPLATE_MARKUP = /^(\{[{%#]|%[A-Za-z_][A-Za-z0-9_]*%|@@?[A-Za-z_][A-Za-z0-9_]*@@?)/;
/** Template markup anywhere in an argument. */
const TEMPLATE_ARGUMENT = /\{\{|\{%|%[A-Z_][A-Z0-9_]*%|@@[A-Za-z_][A-Za-z0-9_]*@@/;

/**
 * More than a tenth of the first 8 KiB is control bytes or invalid UTF-8: binary data, not a config.
 * A few NUL bytes are not enough: httpd reads such a file and cuts each line at its NUL.
 */
function isMostlyBinary(text: string): boolean {
  const n = Math.min(text.length, 8192);
  if (n < 64) return false;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) odd++;
  }
  return odd / n > 0.1;
}

export function resolveApacheConfig(file: string, options: ResolveApacheOptions = {}): ResolvedApacheConfig {
  return new ApacheResolver(file, options).run();
}

class ApacheResolver {
  private readonly findings: Finding[] = [];
  private readonly phased: Phased[] = [];
  /** Files already reported as templates (one note each). */
  private readonly templateFiles = new Set<string>();
  private readonly files: string[] = [];
  private readonly includes: ApacheIncludeRecord[] = [];
  private readonly defines = new Map<string, string | null>();
  private readonly env: Record<string, string>;
  private serverRoot: string;
  private readonly loadedIds = new Set<string>();
  private loadedNames = new Set<string>();
  private readonly loadedKnown: boolean;
  private readonly wholeTree: boolean;
  private readonly version: string;
  /** File being read at each include depth, for loop reports. */
  private includeDepth = 0;
  /**
   * Line of the Include directive executed last. httpd keeps one such value for DUMP_INCLUDES and
   * does not restore it after a nested Include, so later files of the same glob show the nested line.
   */
  private lastIncludeLine = 0;
  /** ServerRoot set by a ServerRoot directive (its tree may be read even outside readRoots). */
  private directiveServerRoot: string | null = null;
  private readonly readRoots: string[] | null;
  /** Include directives already reported for leaving readRoots (one report each). */
  private readonly outsideReported = new Set<SourceLocation>();
  /** Set on an include recursion: httpd gives up reading there, and so do we (globs could branch forever). */
  private aborted = false;

  constructor(
    private readonly file: string,
    private readonly options: ResolveApacheOptions,
  ) {
    // apache2ctl sources Debian's envvars before starting httpd: do the same when no env is given
    const envvars = path.join(path.dirname(path.resolve(file)), 'envvars');
    this.env = options.env ?? (path.basename(file) === 'apache2.conf' && fs.existsSync(envvars) ? readDebianEnvvars(envvars) : {});
    this.readRoots = options.readRoots ? options.readRoots.map((r) => realOrSelf(path.resolve(r))) : null;
    this.version = options.httpdVersion ?? DEFAULT_HTTPD_VERSION;
    this.serverRoot = path.resolve(options.serverRoot ?? path.dirname(path.resolve(file)));
    for (const d of options.defines ?? []) this.defines.set(d, null);
    const base = path.basename(file);
    const text = options.text;
    const looksWhole =
      // A vhost or conf.d file may load a module of its own (kolla's wsgi-*.conf load mod_wsgi);
      // only a config that sets ServerRoot or loads an MPM is a whole server.
      base === 'apache2.conf' || base === 'httpd.conf' || /^\s*(ServerRoot\s|LoadModule\s+mpm_)/im.test(text ?? this.peek(file));
    this.wholeTree = looksWhole || options.loadedModules !== undefined;
    this.loadedKnown = this.wholeTree;
    for (const id of DEBIAN_BUILTIN_MODULES) this.loadedIds.add(id);
    for (const m of options.loadedModules ?? []) this.loadedIds.add(normalizeModuleId(m));
    this.refreshLoadedNames();
  }

  private peek(file: string): string {
    try {
      if (!fs.statSync(file).isFile()) return '';
      const fd = fs.openSync(file, 'r');
      try {
        const buf = Buffer.alloc(1 << 20);
        const n = fs.readSync(fd, buf, 0, buf.length, 0);
        return buf.subarray(0, n).toString('latin1');
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return '';
    }
  }

  private refreshLoadedNames(): void {
    this.loadedNames = moduleNamesForIfModule(this.loadedIds);
  }

  run(): ResolvedApacheConfig {
    const rootPath = this.options.text !== undefined ? this.file : this.fullPath(this.file);
    const nodes: ResolvedNode[] = [];
    const text = this.options.text;
    if (text !== undefined) {
      this.files.push(rootPath);
      this.includes.push({ file: rootPath, depth: 0, includeLine: 0 });
      for (const n of this.readText(text, rootPath, [])) nodes.push(n);
    } else {
      const opened = this.openFile(rootPath);
      if ('error' in opened) {
        this.fail('read', 'syntax-error', `Could not open configuration file ${rootPath}: ${opened.error}`, {
          file: rootPath,
          range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
        });
      } else {
        this.files.push(rootPath);
        this.includes.push({ file: rootPath, depth: 0, includeLine: 0 });
        for (const n of this.readText(opened.text, rootPath, [])) nodes.push(n);
      }
    }
    this.walk(nodes, []);
    const firstRead = this.phased.find((p) => p.phase === 'read');
    const firstWalk = this.phased.find((p) => p.phase === 'walk');
    const defines: Record<string, string | null> = {};
    for (const [k, v] of this.defines) defines[k] = v;
    return {
      file: rootPath,
      serverRoot: this.serverRoot,
      nodes,
      findings: this.findings,
      files: this.files,
      loadedModules: this.loadedKnown ? new Set(this.loadedNames) : null,
      wholeTree: this.wholeTree,
      includes: this.includes,
      defines,
      httpdError: (firstRead ?? firstWalk)?.finding ?? null,
    };
  }

  /* ---------------- findings ---------------- */

  private fail(phase: 'read' | 'walk', ruleId: string, message: string, location: SourceLocation, severity: Finding['severity'] = 'error'): Finding {
    const finding: Finding = { ruleId, severity, message, location };
    this.findings.push(finding);
    if (severity === 'error') this.phased.push({ finding, phase });
    return finding;
  }

  /**
   * An argument httpd refuses. When the argument is template markup (`processes={{ workers }}`,
   * `%PUBLICPORT%`), httpd would still stop there (kept as httpdError), but the file is a template
   * whose values are unknown until rendered: one note per file instead of an error per line.
   */
  private failArguments(message: string, node: ResolvedNode): void {
    const templated = node.args.find((a) => TEMPLATE_ARGUMENT.test(a.raw));
    if (!templated) {
      this.fail('walk', 'apache-directive-arguments', message, node.location);
      return;
    }
    this.phased.push({ finding: { ruleId: 'apache-directive-arguments', severity: 'error', message, location: node.location }, phase: 'walk' });
    this.noteTemplate(node.location, `${templated.raw} is template markup`);
  }

  private noteTemplate(location: SourceLocation, what: string): void {
    if (this.templateFiles.has(location.file)) return;
    this.templateFiles.add(location.file);
    this.findings.push({
      ruleId: 'template-placeholder', severity: 'info', location,
      message: `This file is a template (${what}): deploylint reads it as written and does not check templated values; lint the rendered file for exact results.`,
    });
  }

  private warn(ruleId: string, message: string, location: SourceLocation): void {
    this.findings.push({ ruleId, severity: 'warning', message, location });
  }

  /* ---------------- files ---------------- */

  /** ap_server_root_relative: relative paths join ServerRoot; the result is normalised. */
  private fullPath(p: string): string {
    const joined = path.posix.isAbsolute(p) ? p : this.serverRoot.replace(/\/+$/, '') + '/' + p;
    let norm = path.posix.normalize(joined);
    if (norm.length > 1 && norm.endsWith('/')) norm = norm.slice(0, -1);
    return norm;
  }

  private openFile(p: string): { text: string } | { error: string; code: string } {
    try {
      const st = fs.statSync(p);
      if (st.isDirectory()) return { error: 'Is a directory', code: 'EISDIR' };
      // httpd's ap_pcfg_openfile refuses FIFOs, sockets and devices (reading a FIFO would block)
      if (!st.isFile() && p !== '/dev/null') return { error: 'Access denied by server: not a regular file', code: 'ENOTREG' };
      const buf = fs.readFileSync(p);
      return { text: decodeConfigBytes(buf).text };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
      return { error: strerror(code), code };
    }
  }

  private readText(text: string, displayPath: string, chain: SourceLocation[]): ResolvedNode[] {
    if (isMostlyBinary(text)) {
      // Not a config at all (an image, a compiled module, a tarball): one finding, not a flood of
      // "invalid command" for every line of noise.
      this.fail('read', 'binary-file', `${displayPath} is a binary file, not an Apache configuration`, {
        file: displayPath, range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
      });
      return [];
    }
    const cur: Cursor = { lines: splitLogicalLines(text), i: 0, reader: new LineReader(displayPath, text), file: displayPath };
    if (text.indexOf('\0') >= 0) {
      for (const l of cur.lines) {
        if (l.nulAt === undefined) continue;
        const at = joinedToOffset(l, l.nulAt);
        this.warn('apache-nul-byte', 'NUL byte in a directive line: httpd reads lines as C strings and ignores everything after it', cur.reader.loc(at, at + 1));
      }
    }
    return this.buildBody(cur, null, chain, []).nodes;
  }

  /* ---------------- ${VAR} ---------------- */

  /** ap_resolve_env over the whole trimmed line; returns the text and, per output char, its joined index. */
  private expand(cur: Cursor, line: LogicalLine): { text: string; map: number[] | null } {
    const src = line.text;
    if (src.indexOf('${') < 0) return { text: src, map: null };
    let out = '';
    const map: number[] = [];
    const base = line.textStartInJoined;
    let i = 0;
    while (i < src.length) {
      if (src.charCodeAt(i) === 36 && src.charCodeAt(i + 1) === 123) {
        const close = src.indexOf('}', i + 2);
        if (close < 0) {
          // no '}' left: nothing further can expand (and rescanning per '${' would be quadratic)
          for (let k = i; k < src.length; k++) map.push(base + k);
          out += src.slice(i);
          break;
        }
        if (close > i + 2) {
          const name = src.slice(i + 2, close);
          let value: string | undefined;
          if (name.indexOf(':') < 0) {
            const d = this.defines.get(name);
            value = typeof d === 'string' ? d : Object.prototype.hasOwnProperty.call(this.env, name) ? this.env[name] : undefined;
            // A snippet given alone, with no environment supplied, runs in a server whose
            // environment is unknown (Debian's envvars sets APACHE_LOG_DIR and friends): the
            // variable is assumed to be set there, not reported.
            if (value === undefined && (this.wholeTree || this.options.env !== undefined)) {
              this.warn('apache-undefined-variable', `Config variable \${${name}} is not defined`, cur.reader.joinedLocation(line, base + i, base + close + 1));
            }
          }
          if (value !== undefined) {
            out += value;
            for (let k = 0; k < value.length; k++) map.push(base + i);
            i = close + 1;
            continue;
          }
          out += src.slice(i, close + 1);
          for (let k = i; k <= close; k++) map.push(base + k);
          i = close + 1;
          continue;
        }
      }
      out += src[i];
      map.push(base + i);
      i++;
    }
    return { text: out, map };
  }

  private argLocation(cur: Cursor, line: LogicalLine, map: number[] | null, start: number, end: number): SourceLocation {
    const base = line.textStartInJoined;
    if (!map) return cur.reader.joinedLocation(line, base + start, base + end);
    const s = map[start] ?? base + line.text.length;
    const e = end > start ? (map[end - 1] ?? s) + 1 : s;
    // a substituted value maps every character to its ${...}: widen to the whole reference
    return cur.reader.joinedLocation(line, s, Math.max(e, s));
  }

  /* ---------------- reading (ap_build_config) ---------------- */

  /**
   * Reads lines until EOF or, for a true conditional body, until its `</Name>` line. Each body has
   * its own section stack, as in httpd: sections cannot cross a file or conditional boundary.
   */
  private buildBody(cur: Cursor, endTag: string | null, chain: SourceLocation[], rootAssumed: string[]): { nodes: ResolvedNode[] } {
    const out: ResolvedNode[] = [];
    // One frame per open true (or undecided) conditional body, kept on an explicit stack rather than
    // by recursion so that thousands of nested <IfModule> cannot exhaust the call stack. Each body
    // has its own section stack and splices its nodes into the container that was open around it.
    interface Frame {
      target: ResolvedNode[];
      stack: ResolvedSection[];
      endLine: string | null;
      /** Undecided conditions around this body, innermost last, as a shared list (no copying per level). */
      assumed: AssumedList | null;
      /** `assumed` as an array, built once when a node first needs it. */
      assumedArray?: string[];
    }
    const frames: Frame[] = [{ target: out, stack: [], endLine: endTag ? `</${endTag.slice(1).toLowerCase()}>` : null, assumed: null, assumedArray: rootAssumed }];
    let frame = frames[0];
    let stack = frame.stack;
    const assumedNow = (): string[] => {
      if (!frame.assumedArray) {
        const conds: string[] = [];
        for (let a = frame.assumed; a; a = a.prev) conds.push(a.cond);
        frame.assumedArray = [...rootAssumed, ...conds.reverse()];
      }
      return frame.assumedArray;
    };
    const emit = (n: ResolvedNode) => (stack.length ? stack[stack.length - 1].children : frame.target).push(n);
    const enter = (f: Frame) => {
      frames.push(f);
      frame = f;
      stack = f.stack;
    };
    const leave = () => {
      frames.pop();
      frame = frames[frames.length - 1];
      stack = frame.stack;
    };
    while (cur.i < cur.lines.length && !this.aborted) {
      const line = cur.lines[cur.i++];
      const t = line.text;
      if (t === '' || t.charCodeAt(0) === 35) continue;
      const endLine = frame.endLine;
      if (endLine && stack.length === 0 && t.length === endLine.length && t.toLowerCase() === endLine) {
        if (frames.length === 1) return { nodes: out };
        leave();
        continue;
      }
      const { text: exp, map } = this.expand(cur, line);
      const words = splitWords(exp);
      if (!words.length) continue;
      const first = words[0];
      let cmd = first.value;
      if (cmd === '') continue;
      if (cmd[1] !== '/' && cmd.length > 0 && cmd.endsWith('>')) cmd = cmd.slice(0, -1);
      let rest = words.length > 1 ? exp.slice(words[1].start) : '';
      if (cmd.startsWith('<') && !cmd.startsWith('</') && rest === '') rest = '>';
      const lcmd = cmd.toLowerCase();
      const lineLoc = locationOfLine(cur, line);
      const nameLocation = this.argLocation(cur, line, map, first.start, first.end);
      const args: ApacheArgument[] = words.slice(1).map((w) => ({
        value: w.value,
        raw: w.raw,
        quoted: w.quoted,
        location: this.argLocation(cur, line, map, w.start, w.end),
      }));

      if (this.macroEnabled()) {
        if (lcmd === '<macro') {
          this.defineMacro(cur, line, rest, lineLoc);
          continue;
        }
        if (lcmd === 'use') {
          for (const n of this.useMacro(cur, line, args, lineLoc, chain)) emit(n);
          continue;
        }
        if (lcmd === 'undefmacro') {
          if (args[0]) this.macros.delete(args[0].value.toLowerCase());
          continue;
        }
      }

      if (CONDITIONAL_SECTIONS.has(lcmd)) {
        const canonical = CONDITIONAL_CANONICAL[lcmd];
        const gt = rest.lastIndexOf('>');
        // mod_version wants the '>' at the very end (its operators contain '>' themselves)
        if (gt < 0 || (lcmd === '<ifversion' && !/>\s*$/.test(rest))) {
          this.fail('read', 'syntax-error', `${canonical}> directive missing closing '>'`, lineLoc);
          this.soak(cur, canonical, lineLoc, true);
          continue;
        }
        let arg = rest.slice(0, gt);
        if (arg.trim() === '') {
          this.fail('read', 'syntax-error', `${canonical}> directive requires additional arguments`, lineLoc);
          this.soak(cur, canonical, lineLoc, true);
          continue;
        }
        const decision = this.decide(lcmd, arg, cur, line, lineLoc);
        if (decision === false) {
          this.soak(cur, canonical, lineLoc, false);
          continue;
        }
        const innerAssumed = decision === true ? frame.assumed : { cond: `${cmd} ${arg.trim()}>`, prev: frame.assumed };
        enter({
          target: stack.length ? stack[stack.length - 1].children : frame.target,
          stack: [],
          endLine: `</${canonical.slice(1).toLowerCase()}>`,
          assumed: innerAssumed,
          assumedArray: decision === true ? frame.assumedArray : undefined,
        });
        continue;
      }

      switch (lcmd) {
        case 'include':
        case 'includeoptional': {
          const optional = lcmd === 'includeoptional';
          if (args.length !== 1) {
            this.fail('read', 'syntax-error', `${optional ? 'IncludeOptional' : 'Include'} takes one argument, ${optional ? INCLUDE_OPTIONAL_HELP : INCLUDE_HELP}`, lineLoc);
            continue;
          }
          const includeLoc = { ...lineLoc };
          for (const n of this.include(args[0].value, optional, line.lastLine, includeLoc, chain)) emit(n);
          continue;
        }
        case 'define': {
          if (args.length < 1 || args.length > 2) {
            this.fail('read', 'syntax-error', 'Define takes 1-2 arguments, Define a variable, optionally to a value.  Same as passing -D to the command line.', lineLoc);
            continue;
          }
          if (args[0].value.includes(':')) {
            this.fail('read', 'syntax-error', "Variable name must not contain ':'", lineLoc);
            continue;
          }
          this.defines.set(args[0].value, args.length === 2 ? args[1].value : null);
          continue;
        }
        case 'undefine': {
          if (args.length !== 1) {
            this.fail('read', 'syntax-error', 'UnDefine takes one argument, Undefine the existence of a variable. Undo a Define.', lineLoc);
            continue;
          }
          if (args[0].value.includes(':')) {
            this.fail('read', 'syntax-error', "Variable name must not contain ':'", lineLoc);
            continue;
          }
          this.defines.delete(args[0].value);
          continue;
        }
        case 'loadmodule': {
          if (args.length !== 2) {
            this.fail('read', 'syntax-error', 'LoadModule takes two arguments, a module name and the name of a shared object file to load it from', lineLoc);
            continue;
          }
          const id = args[0].value;
          if (DEBIAN_BUILTIN_MODULES.includes(id)) {
            this.fail('read', 'syntax-error', `module ${id} is built-in and can't be loaded`, lineLoc);
            continue;
          }
          if (this.loadedIds.has(id)) {
            this.warn('apache-module-already-loaded', `module ${id} is already loaded, skipping`, lineLoc);
            continue;
          }
          const so = this.fullPath(args[1].value);
          if (this.options.checkHostFiles !== false && !existsFile(so)) {
            this.fail('read', 'syntax-error', `Cannot load ${so} into server: ${so}: cannot open shared object file: No such file or directory`, lineLoc);
            continue;
          }
          this.loadedIds.add(id);
          this.refreshLoadedNames();
          continue;
        }
        case 'loadfile': {
          if (args.length < 1) {
            this.fail('read', 'syntax-error', 'LoadFile requires at least one argument, shared object file or library to load into the server at runtime', lineLoc);
            continue;
          }
          for (const a of args) {
            const so = this.fullPath(a.value);
            if (this.options.checkHostFiles !== false && !existsFile(so)) {
              this.fail('read', 'syntax-error', `Cannot load ${so} into server: ${so}: cannot open shared object file: No such file or directory`, lineLoc);
              break;
            }
          }
          continue;
        }
        case 'serverroot': {
          if (args.length !== 1) {
            this.fail('read', 'syntax-error', 'ServerRoot takes one argument, Common directory of server-related files (logs, confs, etc.)', lineLoc);
            continue;
          }
          const dir = this.fullPath(args[0].value);
          if (!isDirectory(dir)) {
            this.fail('read', 'syntax-error', 'ServerRoot must be a valid directory', lineLoc);
            continue;
          }
          this.serverRoot = dir;
          this.directiveServerRoot = dir;
          continue;
        }
        case 'defaultruntimedir': {
          if (args.length === 1 && this.options.checkHostFiles !== false && !isDirectory(this.fullPath(args[0].value))) {
            this.fail('read', 'syntax-error', 'DefaultRuntimeDir must be a valid directory, absolute or relative to ServerRoot', lineLoc);
          }
          continue;
        }
      }

      if (cmd.startsWith('</')) {
        const top = stack[stack.length - 1];
        if (!top) {
          this.fail('read', 'syntax-error', `${cmd} without matching <${cmd.slice(2)} section`, lineLoc);
          continue;
        }
        if (!cmd.endsWith('>')) {
          this.fail('read', 'syntax-error', `</${cmd.slice(2)}> directive missing closing '>'`, lineLoc);
          continue;
        }
        const closeName = cmd.slice(2, -1);
        if (closeName.toLowerCase() !== top.lname) {
          this.fail('read', 'syntax-error', `Expected </${top.name}> but saw </${closeName}>`, lineLoc);
          continue;
        }
        top.closeLocation = lineLoc;
        stack.pop();
        continue;
      }

      if (cmd.startsWith('<')) {
        const name = cmd.slice(1);
        const gt = rest.lastIndexOf('>');
        let sectionArgs = args;
        if (gt >= 0 && words.length > 1) {
          const restStart = words[1].start;
          sectionArgs = splitWords(exp.slice(0, restStart + gt), restStart).map((w) => ({
            value: w.value,
            raw: w.raw,
            quoted: w.quoted,
            location: this.argLocation(cur, line, map, w.start, w.end),
          }));
        } else if (gt >= 0) sectionArgs = [];
        const section: ResolvedSection = {
          kind: 'section',
          name,
          lname: name.toLowerCase(),
          args: sectionArgs,
          location: lineLoc,
          nameLocation,
          includeChain: chain,
          assumedConditions: assumedNow(),
          argsText: rest,
          line: line.lastLine,
          directive: '<' + (canonicalDirectiveName(name) ?? name),
          children: [],
        };
        emit(section);
        stack.push(section);
        continue;
      }

      emit({
        kind: 'directive',
        name: cmd,
        lname: lcmd,
        args,
        location: lineLoc,
        nameLocation,
        includeChain: chain,
        assumedConditions: assumedNow(),
        argsText: rest,
        line: line.lastLine,
        directive: canonicalDirectiveName(cmd) ?? cmd,
      });
    }
    // end of file: open conditional bodies end silently (httpd's ap_build_cont_config stops at EOF)
    while (frames.length > 1) leave();
    if (!endTag && stack.length && !this.aborted) {
      const parts = stack
        .slice()
        .reverse()
        .map((s) => `${cur.file}:${s.line}: <${s.name}> was not closed.`);
      this.fail('read', 'syntax-error', parts.join('\n'), stack[0].location);
    }
    return { nodes: out };
  }

  /** ap_soak_end_container: skip a false conditional's body, checking only section nesting. */
  private soak(cur: Cursor, directive: string, openLoc: SourceLocation, quiet: boolean): void {
    const err = this.soakInner(cur, directive);
    if (err && !quiet) this.fail('read', 'syntax-error', err, openLoc);
  }

  private soakInner(cur: Cursor, directive: string): string | null {
    // iterative: a skipped body may nest sections thousands deep
    const open: string[] = [directive];
    while (cur.i < cur.lines.length) {
      const line = cur.lines[cur.i++];
      const t = line.text;
      if (t.charCodeAt(0) !== 60 /* < */) continue;
      const first = splitWords(t)[0];
      if (!first) continue;
      let name = first.value;
      const expected = open[open.length - 1];
      if (t.charCodeAt(1) === 47 /* / */) {
        name = name.slice(0, -1);
        if (name.slice(2).toLowerCase() !== expected.slice(1).toLowerCase()) {
          return `Expected </${expected.slice(1)}> but saw ${name}>`;
        }
        open.pop();
        if (!open.length) return null;
        continue;
      }
      open.push(name.endsWith('>') ? name.slice(0, -1) : name);
    }
    return `Expected </${open[open.length - 1].slice(1)}> before end of configuration`;
  }

  /* ---------------- conditionals ---------------- */

  /** true / false, or 'assume' when the snippet does not say (children kept, condition recorded). */
  private decide(lcmd: string, rawArg: string, cur: Cursor, line: LogicalLine, loc: SourceLocation): boolean | 'assume' {
    let arg = rawArg;
    let negate = false;
    // leading whitespace after the command was already skipped; '!' may be followed by blanks
    let p = 0;
    while (p < arg.length && isHttpdSpace(arg.charCodeAt(p))) p++;
    arg = arg.slice(p);
    if (lcmd !== '<ifversion' && arg.startsWith('!')) {
      negate = true;
      arg = arg.slice(1);
      let q = 0;
      while (q < arg.length && isHttpdSpace(arg.charCodeAt(q))) q++;
      arg = arg.slice(q);
    }
    const word = splitWords(arg)[0]?.value ?? '';
    let result: boolean | 'assume';
    switch (lcmd) {
      case '<ifmodule':
        if (this.loadedNames.has(word)) result = true;
        else if (this.loadedKnown) result = false;
        else result = 'assume';
        break;
      case '<ifdefine':
        result = this.defines.has(word);
        break;
      case '<iffile': {
        if (!this.wholeTree) result = 'assume';
        else {
          const f = this.fullPath(word);
          result = fs.existsSync(f) || isSymlink(f);
        }
        break;
      }
      case '<ifdirective':
      case '<ifsection': {
        const infos = getApacheDirectives(word).filter((d) => (lcmd === '<ifsection' ? d.type === 'section' : d.type === 'directive'));
        if (!infos.length) result = false;
        else if (infos.some((d) => isManualModuleLoaded(d.module, this.loadedIds) || d.module === 'core')) result = true;
        else result = this.loadedKnown ? false : 'assume';
        break;
      }
      case '<ifversion':
        return this.ifVersion(rawArg.trim(), loc);
      default:
        result = true;
    }
    if (result === 'assume') return 'assume';
    return negate ? !result : result;
  }

  private ifVersion(arg: string, loc: SourceLocation): boolean {
    const words = splitWords(arg).map((w) => w.value);
    let op = '=';
    let ver: string;
    if (words.length >= 2) {
      op = words[0];
      ver = words[1];
    } else ver = words[0] ?? '';
    let negate = false;
    if (op.startsWith('!')) {
      negate = true;
      op = op.slice(1);
    }
    const cur = this.version;
    let res: boolean;
    if (ver.startsWith('/') && ver.endsWith('/') && ver.length > 1) {
      res = safeRegex(ver.slice(1, -1), cur);
    } else if (op === '~') {
      res = safeRegex(ver, cur);
    } else {
      const c = compareVersions(cur, ver);
      switch (op) {
        case '=':
        case '==':
          res = c === 0;
          break;
        case '>':
          res = c > 0;
          break;
        case '>=':
          res = c >= 0;
          break;
        case '<':
          res = c < 0;
          break;
        case '<=':
          res = c <= 0;
          break;
        default:
          this.warn('syntax-error', `unrecognized operator '${op}'`, loc);
          res = false;
      }
    }
    return negate ? !res : res;
  }

  /* ---------------- Include ---------------- */

  private include(pattern: string, optional: boolean, includeLine: number, loc: SourceLocation, chain: SourceLocation[]): ResolvedNode[] {
    if (this.aborted) return [];
    this.includeDepth++;
    try {
      if (this.includeDepth > MAX_INCLUDE_DEPTH) {
        this.aborted = true;
        this.fail('read', 'include-loop', `Exceeded maximum include depth of ${MAX_INCLUDE_DEPTH}, There appears to be a recursion.`, loc);
        return [];
      }
      this.lastIncludeLine = includeLine;
      const full = this.fullPath(pattern);
      const newChain = [...chain, loc];
      const out: ResolvedNode[] = [];
      const err = hasWildcard(full)
        ? this.includeWildcard(null, full.replace(/^\/+/, ''), '/', optional, includeLine, newChain, out, loc)
        : this.includePlain(full, 0, optional, includeLine, newChain, out, loc);
      if (err && err.message) {
        // a snippet read alone does not know its ServerRoot: a relative Include that is not found
        // there may well exist on the server, so it is reported without claiming httpd would fail
        const unknownRoot = !this.wholeTree && this.options.serverRoot === undefined && !path.posix.isAbsolute(pattern);
        if (unknownRoot && err.ruleId === 'include-not-found') {
          this.fail('read', err.ruleId, `${err.message} (ServerRoot unknown: assumed to be the file's directory)`, loc, 'warning');
        } else this.fail('read', err.ruleId, err.message, loc);
      }
      return out;
    } finally {
      this.includeDepth--;
    }
  }

  /** May this path be read under `readRoots`? Reports the Include once when it may not. */
  private mayRead(p: string, loc: SourceLocation): boolean {
    if (!this.readRoots) return true;
    const roots = [...this.readRoots];
    if (this.directiveServerRoot) roots.push(realOrSelf(this.directiveServerRoot));
    if (this.options.serverRoot !== undefined) roots.push(realOrSelf(path.resolve(this.options.serverRoot)));
    const candidates = [path.resolve(p), realOrSelf(path.resolve(p))];
    const inside = candidates.every((c) => roots.some((r) => c === r || c.startsWith(r.endsWith('/') ? r : r + '/')));
    if (!inside && !this.outsideReported.has(loc)) {
      this.outsideReported.add(loc);
      this.fail('read', 'include-outside', `Include outside the given paths: ${p} (not read)`, loc, 'warning');
    }
    return inside;
  }

  /** process_resource_config_nofnmatch: a file, or a directory read recursively in sorted order. */
  private includePlain(
    p: string,
    dirDepth: number,
    optional: boolean,
    includeLine: number,
    chain: SourceLocation[],
    out: ResolvedNode[],
    loc: SourceLocation,
  ): { ruleId: string; message: string } | null {
    if (!this.mayRead(p, loc)) return null;
    if (isDirectory(p)) {
      if (dirDepth > MAX_DIR_DEPTH) {
        return { ruleId: 'include-loop', message: `Directory ${p} exceeds the maximum include directory nesting level of ${MAX_DIR_DEPTH}. You have probably a recursion somewhere.` };
      }
      let entries: string[];
      try {
        entries = fs.readdirSync(p).filter((e) => e !== '.' && e !== '..');
      } catch (e) {
        return { ruleId: 'include-not-found', message: `Could not open config directory ${p}: ${strerror((e as NodeJS.ErrnoException).code ?? 'EIO')}` };
      }
      entries.sort(byteCompare);
      for (const e of entries) {
        const err = this.includePlain(joinPath(p, e), dirDepth + 1, optional, includeLine, chain, out, loc);
        if (err) return err;
      }
      return null;
    }
    const opened = this.openFile(p);
    if ('error' in opened) {
      if (optional && opened.code === 'ENOENT') return null;
      return { ruleId: 'include-not-found', message: `Could not open configuration file ${p}: ${opened.error}` };
    }
    this.files.push(p);
    this.includes.push({ file: p, depth: this.includeDepth, includeLine: this.lastIncludeLine });
    for (const n of this.readText(opened.text, p, chain)) out.push(n);
    return this.aborted ? { ruleId: 'include-loop', message: '' } : null;
  }

  /** process_resource_config_fnmatch: walk one path component at a time. */
  private includeWildcard(
    dir: string | null,
    rest: string,
    root: string,
    optional: boolean,
    includeLine: number,
    chain: SourceLocation[],
    out: ResolvedNode[],
    loc: SourceLocation,
  ): { ruleId: string; message: string } | null {
    const slash = rest.indexOf('/');
    const part = slash >= 0 ? rest.slice(0, slash) : rest;
    const after = slash >= 0 ? rest.slice(slash + 1) : null;
    const base = dir ?? root;
    if (!hasWildcard(part)) {
      const next = dir === null ? root + part : joinPath(dir, part);
      if (after !== null) return this.includeWildcard(next, after, root, optional, includeLine, chain, out, loc);
      return this.includePlain(next, 0, optional, includeLine, chain, out, loc);
    }
    if (!this.mayRead(base, loc)) return null;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(base, { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
      if (code === 'ENOENT' && optional) return null;
      return { ruleId: 'include-not-found', message: `Include/IncludeOptional: Could not open directory ${base}: ${strerror(code)}` };
    }
    const candidates: string[] = [];
    for (const d of entries) {
      if (d.name === '.' || d.name === '..') continue;
      if (!fnmatch(part, d.name)) continue;
      // a wildcard inside the path only walks into real directories (apr reports symlinks as links)
      if (after !== null && !d.isDirectory()) continue;
      candidates.push(joinPath(base, d.name));
    }
    if (!candidates.length) {
      if (optional) return null;
      return { ruleId: 'include-not-found', message: `Include/IncludeOptional: No matches for the wildcard '${part}' in '${base}', failing` };
    }
    candidates.sort(byteCompare);
    for (const c of candidates) {
      const err =
        after === null
          ? this.includePlain(c, 0, optional, includeLine, chain, out, loc)
          : this.includeWildcard(c, after, root, optional, includeLine, chain, out, loc);
      if (err) return err;
    }
    return null;
  }

  /* ---------------- walk phase ---------------- */

  private readonly wsgiDaemons = new Map<string, string | null>();
  private readonly macros = new Map<string, MacroDef>();
  private macrosEverDefined = false;
  private readonly macroUses: string[] = [];

  /** <Macro>/Use/UndefMacro are read-time commands when mod_macro is (or may be) loaded. */
  private macroEnabled(): boolean {
    return !this.loadedKnown || this.loadedIds.has('macro_module');
  }

  private defineMacro(cur: Cursor, line: LogicalLine, rest: string, lineLoc: SourceLocation): void {
    const gt = rest.lastIndexOf('>');
    const words = splitWords(gt >= 0 ? rest.slice(0, gt) : rest).map((w) => w.value);
    const name = (words[0] ?? '').toLowerCase();
    const body: string[] = [];
    const bodyLocations: SourceLocation[] = [];
    let depth = 1;
    while (cur.i < cur.lines.length) {
      const l = cur.lines[cur.i++];
      const lt = l.text.toLowerCase();
      if (lt.startsWith('</macro')) {
        if (--depth === 0) break;
      } else if (lt.startsWith('<macro')) depth++;
      // mod_macro keeps blank lines but drops comments (measured: they do not count in its line numbers)
      if (l.text.charCodeAt(0) === 35) continue;
      body.push(l.text);
      bodyLocations.push(cur.reader.lineLocation(l));
    }
    if (depth > 0) {
      this.fail('read', 'syntax-error', `macro '${name}' (defined on line ${line.lastLine} of "${cur.file}")\n\tcontents error: expected token not found: </Macro>`, lineLoc);
      return;
    }
    this.macros.set(name, { name, params: words.slice(1), body, bodyLocations, defLine: line.lastLine, defFile: cur.file });
    this.macrosEverDefined = true;
  }

  /** Use: the macro body with its arguments substituted, read as a file of its own (as mod_macro does). */
  private useMacro(cur: Cursor, line: LogicalLine, args: ApacheArgument[], lineLoc: SourceLocation, chain: SourceLocation[]): ResolvedNode[] {
    const name = (args[0]?.value ?? '').toLowerCase();
    const def = this.macros.get(name);
    if (!def) {
      this.fail('read', 'syntax-error', this.macrosEverDefined ? `macro '${name}' undefined` : 'no macro defined before Use', lineLoc);
      return [];
    }
    const values = args.slice(1).map((a) => a.value);
    if (values.length !== def.params.length) {
      this.fail('read', 'syntax-error', `macro '${name}' (defined on line ${def.defLine} of "${def.defFile}") used with ${values.length} arguments instead of ${def.params.length}`, lineLoc);
      return [];
    }
    if (this.macroUses.includes(name)) {
      this.fail('read', 'syntax-error', `recursive use of macro '${name}' is invalid`, lineLoc);
      return [];
    }
    const pseudo = `macro '${name}' (defined on line ${def.defLine} of "${def.defFile}") used on line ${line.lastLine} of "${cur.file}"`;
    const text = def.body.map((l) => substituteMacroArgs(l, def.params, values)).join('\n') + '\n';
    const before = this.findings.length;
    this.macroUses.push(name);
    const nodes = this.readText(text, pseudo, [...chain, lineLoc]);
    this.macroUses.pop();
    // point everything back at the real lines of the macro body
    const real = (loc: SourceLocation): SourceLocation => (loc.file === pseudo ? def.bodyLocations[loc.range.start.line - 1] ?? lineLoc : loc);
    const stack: ResolvedNode[] = [...nodes];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.location.file === pseudo || n.httpdFile !== undefined) {
        n.httpdFile ??= pseudo;
        const loc = real(n.location);
        n.location = loc;
        n.nameLocation = loc;
        for (const a of n.args) a.location = loc;
        if (n.kind === 'section' && n.closeLocation) n.closeLocation = real(n.closeLocation);
      }
      if (n.kind === 'section') for (const c of n.children) stack.push(c);
    }
    for (let k = before; k < this.findings.length; k++) {
      const f = this.findings[k];
      if (f.location.file === pseudo) {
        f.location = real(f.location);
        f.related = [...(f.related ?? []), { location: lineLoc, message: `in macro '${name}' as expanded by this Use` }];
      }
    }
    return nodes;
  }

  private readonly authzAliases = new Set<string>();

  /** httpd's ap_walk_config: tree order, a section before its children. Iterative (deep nesting). */
  private walk(rootNodes: ResolvedNode[], rootAncestors: ResolvedSection[]): void {
    const frames: { nodes: ResolvedNode[]; idx: number; ancestors: ResolvedSection[] }[] = [{ nodes: rootNodes, idx: 0, ancestors: rootAncestors }];
    while (frames.length) {
      const frame = frames[frames.length - 1];
      if (frame.idx >= frame.nodes.length) {
        frames.pop();
        continue;
      }
      const { nodes, ancestors } = frame;
      const idx = frame.idx++;
      const node = nodes[idx];
      const cmdName = node.kind === 'section' ? '<' + node.name : node.name;
      const infos = getApacheDirectives(cmdName).filter((d) => (node.kind === 'section') === (d.type === 'section') || d.type === 'directive');
      // measured with the event MPM loaded: directives of the other MPMs count as known too
      const known =
        infos.length > 0 && (measuredDirectiveContext(cmdName, 'top') !== 'invalid' || infos.some((d) => MPM_MODULES.has(d.module)));
      const loaded = !this.loadedKnown || infos.some((d) => d.module === 'core' || isManualModuleLoaded(d.module, this.loadedIds));
      if (!known && !this.loadedKnown && node.assumedConditions.some(guardsUnknownModule)) {
        // in a snippet, inside an assumed <IfModule> of a module we have no table for, the directive
        // may well be that module's: say so without claiming httpd would fail
        this.warn('apache-unknown-directive', `Unknown directive '${cmdName}': not in httpd's or mod_wsgi's directive tables (assumed to belong to the module of ${node.assumedConditions.filter(guardsUnknownModule).join(', ')})`, node.location);
        if (node.kind === 'section') frames.push({ nodes: node.children, idx: 0, ancestors: [...ancestors, node] });
        continue;
      }
      if (!known || !loaded) {
        const message = `Invalid command '${cmdName}', perhaps misspelled or defined by a module not included in the server configuration`;
        if (TEMPLATE_MARKUP.test(cmdName)) {
          // A template (jinja, devstack's %VAR%, autoconf's @@VAR@@) is not a config yet: httpd
          // would stop here (kept as httpdError), but one note per file says more than an error
          // per template line.
          this.phased.push({ finding: { ruleId: 'apache-invalid-command', severity: 'error', message, location: node.location }, phase: 'walk' });
          this.noteTemplate(node.location, `\`${cmdName}\` is template markup, not a directive`);
          continue;
        }
        if (!known && !this.loadedKnown) {
          // A snippet given alone: the server's modules are unknown, so a directive no table knows
          // may belong to a third-party module (mod_auth_openidc's OIDC*, mod_shib...). It is an
          // error only when it looks like a typo of a known directive.
          const suggestions = suggestApacheDirective(node.name);
          if (suggestions.length === 0) {
            this.phased.push({ finding: { ruleId: 'apache-invalid-command', severity: 'error', message, location: node.location }, phase: 'walk' });
            this.warn('apache-unknown-directive', `Unknown directive '${cmdName}': not in httpd's or mod_wsgi's directive tables; httpd refuses to start unless the module that provides it is loaded`, node.location);
            if (node.kind === 'section') frames.push({ nodes: node.children, idx: 0, ancestors: [...ancestors, node] });
            continue;
          }
          // httpdError keeps httpd's own words; the finding adds the suggestion.
          this.phased.push({ finding: { ruleId: 'apache-invalid-command', severity: 'error', message, location: node.location }, phase: 'walk' });
          this.findings.push({ ruleId: 'apache-invalid-command', severity: 'error', message: `${message}. Did you mean '${suggestions.join("' or '")}'?`, location: node.location });
          continue;
        }
        this.fail('walk', 'apache-invalid-command', message, node.location);
        continue;
      }
      const ctxErr = this.contextError(node, ancestors);
      if (ctxErr) {
        this.fail('walk', 'apache-directive-context', ctxErr, node.location);
        continue;
      }
      const argErr = checkDirectiveArguments(node, {
        serverRoot: this.serverRoot,
        wholeTree: this.wholeTree,
        wsgiDaemons: this.wsgiDaemons,
        ancestors,
        serverLevel: !ancestors.some((a) => SECTION_SCOPE[a.lname] && SECTION_SCOPE[a.lname] !== 'vhost'),
        checkHostAccounts: this.options.checkHostAccounts === true,
        checkHostFiles: this.options.checkHostFiles !== false,
        loaded: this.loadedKnown ? this.loadedIds : null,
        authzAliases: this.authzAliases,
      });
      if (argErr && node.kind === 'directive') {
        this.failArguments(argErr, node);
        continue;
      }
      if (node.kind === 'section') {
        const canon = canonicalDirectiveName(node.name) ?? node.name;
        const argsText = node.argsText ?? '';
        const gt = argsText.lastIndexOf('>');
        if (node.lname === 'else') {
          if (gt < 0) {
            this.fail('walk', 'syntax-error', `<${canon}> directive missing closing '>'`, node.location);
            continue;
          }
          if (argsText.slice(0, gt).trim() !== '') {
            this.fail('walk', 'syntax-error', '<Else> does not take an argument', node.location);
            continue;
          }
        } else if (SECTIONS_NEEDING_ARGS.has(node.lname)) {
          if (gt < 0) {
            this.fail('walk', 'syntax-error', `<${canon}> directive missing closing '>'`, node.location);
            continue;
          }
          if (argsText.slice(0, gt).trim() === '') {
            this.fail('walk', 'syntax-error', `<${canon}> directive requires additional arguments`, node.location);
            continue;
          }
        }
        if (argErr) {
          this.failArguments(argErr, node);
          continue;
        }
        if (node.lname === 'authzprovideralias' && node.args[1]) this.authzAliases.add(node.args[1].value.toLowerCase());
        if (node.lname === 'else' || node.lname === 'elseif') {
          let prev: ResolvedNode | undefined;
          for (let k = idx - 1; k >= 0; k--) {
            const n = nodes[k];
            if (n.kind === 'section' && (n.lname === 'if' || n.lname === 'elseif' || n.lname === 'else')) {
              prev = n;
              break;
            }
          }
          if (!prev || prev.kind !== 'section' || prev.lname === 'else') {
            this.fail('walk', 'syntax-error', '<Else> or <ElseIf> section without previous <If> or <ElseIf> section in same scope', node.location);
            continue;
          }
        }
        frames.push({ nodes: node.children, idx: 0, ancestors: [...ancestors, node] });
      }
    }
  }

  private contextError(node: ResolvedNode, ancestors: ResolvedSection[]): string | null {
    const cmdName = node.kind === 'section' ? '<' + node.name : node.name;
    const canon = (node.kind === 'section' ? '<' : '') + (canonicalDirectiveName(node.name) ?? node.name);
    const gt = node.kind === 'section' ? '>' : '';
    const parent = ancestors[ancestors.length - 1];
    // the override check: decided by the innermost directory-like section, else top level / vhost
    let overrideScope: MeasuredScope = 'top';
    for (const a of ancestors) {
      const s = SECTION_SCOPE[a.lname];
      if (s === 'vhost' && overrideScope === 'top') overrideScope = 'vhost';
      else if (s && s !== 'vhost') overrideScope = s;
    }
    const verdict = (scope: MeasuredScope) => this.scopeVerdict(cmdName, node.kind === 'section', scope);
    if (verdict(overrideScope) === 'not-allowed') {
      return parent ? `${canon} not allowed in <${parent.name}> context` : `${canon} not allowed here`;
    }
    // handler checks (ap_check_cmd_context), in httpd's order
    const inVhost = ancestors.some((a) => a.lname === 'virtualhost');
    if (inVhost && verdict('vhost') === 'cannot-occur') return `${canon}${gt} cannot occur within <VirtualHost> section`;
    const order: [MeasuredScope, string[]][] = [
      ['directory', ['directory', 'directorymatch']],
      ['location', ['location', 'locationmatch']],
      ['files', ['files', 'filesmatch']],
      ['if', ['if', 'elseif', 'else']],
      ['proxy', ['proxy', 'proxymatch']],
    ];
    for (const [scope, names] of order) {
      if (verdict(scope) !== 'cannot-occur') continue;
      for (let k = ancestors.length - 1; k >= 0; k--) {
        if (names.includes(ancestors[k].lname)) return `${canon}${gt} cannot occur within <${ancestors[k].name}> section`;
      }
    }
    return null;
  }

  private scopeVerdict(cmdName: string, isSection: boolean, scope: MeasuredScope): 'ok' | 'not-allowed' | 'cannot-occur' {
    const m = measuredDirectiveContext(cmdName, scope);
    if (m === 'not-allowed' || m === 'cannot-occur') return m;
    if (m === 'ok' || m === 'invalid') return 'ok';
    const info = getApacheDirective(cmdName);
    if (!info || isSection) return 'ok';
    const c = info.contexts;
    switch (scope) {
      case 'top':
        return c.includes('server config') || c.includes('virtual host') ? 'ok' : 'not-allowed';
      case 'vhost':
        if (c.includes('virtual host')) return 'ok';
        return c.includes('server config') ? 'cannot-occur' : 'not-allowed';
      default:
        return c.includes('directory') ? 'ok' : 'not-allowed';
    }
  }
}

/* ---------------- helpers ---------------- */

/** `<IfModule name>` (not negated) naming a module without a directive table here. */
function guardsUnknownModule(cond: string): boolean {
  const m = /^<IfModule\s+([^!\s>][^\s>]*)/i.exec(cond);
  return !!m && !isKnownModuleName(m[1]);
}

function normalizeModuleId(m: string): string {
  if (m.endsWith('_module')) return m;
  if (m.endsWith('.c')) {
    const base = m.slice(0, -2);
    const special: Record<string, string> = { core: 'core_module', http_core: 'http_module', event: 'mpm_event_module', prefork: 'mpm_prefork_module', worker: 'mpm_worker_module' };
    if (special[base]) return special[base];
    return base.replace(/^mod_/, '') + '_module';
  }
  return m.replace(/^mod_/, '') + '_module';
}

export { normalizeModuleId };

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : dir + '/' + name;
}

function byteCompare(a: string, b: string): number {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function existsFile(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function strerror(code: string): string {
  switch (code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ELOOP':
      return 'Too many levels of symbolic links';
    case 'ENOTDIR':
      return 'Not a directory';
    default:
      return code;
  }
}

/**
 * `<IfVersion ~ re>` / `<IfVersion /re/>`: mod_version compiles the pattern with AP_REG_EXTENDED
 * (case-sensitive). Matched with RE2 in linear time (lib/core/safe-regex), never V8's RegExp: the
 * pattern is the config's. A pattern RE2 cannot run (a PCRE feature it lacks, or too large) or a
 * subject beyond its budget counts as no match, as an invalid pattern always has here: the section
 * is skipped. Reporting it would need the resolver's findings; not matching keeps the walk going.
 */
function safeRegex(re: string, s: string): boolean {
  return matchSafeRegex(re, s) === 'match';
}

/** mod_version: compare major.minor.patch numerically. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d < 0 ? -1 : 1;
  }
  return 0;
}

export { joinedToOffset };
