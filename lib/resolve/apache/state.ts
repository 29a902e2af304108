/**
 * What httpd's reader carries from line to line while it builds the configuration (server/config.c
 * ap_build_config and friends): defines, loaded modules, ServerRoot, include depth, macros, the
 * findings so far and which of them httpd would stop at. The concerns that act on it live beside
 * it, one module each: read.ts (lines into nodes), read-directives.ts, conditionals.ts,
 * includes.ts, macros.ts, expand.ts, walk.ts (the start-up checks of the walk phase).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../../core/finding';
import type { SourceLocation } from '../../core/source';
import { budgetMessage, type BudgetName } from '../../input/budget';
import { ReadGate, type Refusal } from '../../input/gate';
import { DEBIAN_BUILTIN_MODULES, moduleNamesForIfModule } from '../../knowledge/apache-directives';
import { DEFAULT_TARGETS } from '../../knowledge/targets';
import { decodeConfigBytes, LineReader } from '../../parsers/apache/syntax';
import type { LogicalLine } from '../../parsers/apache/lexer';
import { parseDebianEnvvars } from './envvars';
import type { ApacheIncludeRecord, LoadModuleLine, ResolveApacheOptions, ResolvedNode } from './types';

/** Directive names that are template markup: `{% if %}`, `{{ var }}`, `{# #}`, `%PUBLICPORT%`, `@@ServerRoot@@`. */
export const TEMPLATE_MARKUP = /^(\{[{%#]|%[A-Za-z_][A-Za-z0-9_]*%|@@?[A-Za-z_][A-Za-z0-9_]*@@?)/;
/** Template markup anywhere in an argument. */
const TEMPLATE_ARGUMENT = /\{\{|\{%|%[A-Z_][A-Z0-9_]*%|@@[A-Za-z_][A-Za-z0-9_]*@@/;

/** A mod_macro definition: parameter names and the body's logical lines. */
export interface MacroDef {
  name: string;
  params: string[];
  body: string[];
  bodyLocations: SourceLocation[];
  defLine: number;
  defFile: string;
}

/** Lines of one file (or macro expansion) being read. */
export interface Cursor {
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

export type ProbeResult = 'file' | 'dir' | 'other' | 'none' | 'outside';

export class ApacheReadState {
  readonly findings: Finding[] = [];
  private readonly phased: Phased[] = [];
  /** Files already reported as templates (one note each). */
  private readonly templateFiles = new Set<string>();
  readonly files: string[] = [];
  readonly includes: ApacheIncludeRecord[] = [];
  readonly defines = new Map<string, string | null>();
  readonly env: Record<string, string>;
  serverRoot: string;
  readonly loadedIds = new Set<string>();
  /** The LoadModule lines that loaded a module, in order (see ResolvedApacheConfig.loadModuleLines). */
  readonly loadModuleLines: LoadModuleLine[] = [];
  loadedNames = new Set<string>();
  readonly loadedKnown: boolean;
  readonly wholeTree: boolean;
  readonly version: string;
  includeDepth = 0;
  /**
   * Line of the Include directive executed last. httpd keeps one such value for DUMP_INCLUDES and
   * does not restore it after a nested Include, so later files of the same glob show the nested line.
   */
  lastIncludeLine = 0;
  readonly gate: ReadGate;
  readonly rootPath: string;
  /** Include directives already reported for leaving the gate's roots (one report each). */
  readonly outsideReported = new Set<SourceLocation>();
  /** Budgets already reported, per file (one finding each). */
  private readonly budgetReported = new Set<string>();
  /** The root file's text, read once (kind detection and reading). */
  readonly rootText: { text: string } | { error: string; code: string };
  /** Set on an include recursion: httpd gives up reading there, and so do we (globs could branch forever). */
  aborted = false;
  readonly macros = new Map<string, MacroDef>();
  macrosEverDefined = false;
  readonly macroUses: string[] = [];
  /** WSGIDaemonProcess names seen by the walk, with the ServerName of their VirtualHost. */
  readonly wsgiDaemons = new Map<string, string | null>();
  readonly authzAliases = new Set<string>();
  /** `${VAR}`s of a snippet already noted as coming from the environment (one note each). */
  readonly notedVariables = new Set<string>();
  /**
   * Read a file's (or a macro expansion's) text into nodes: read.ts's readText, set by index.ts, so
   * that includes.ts and macros.ts can read what they pull in without importing the reader.
   */
  readText: (text: string, displayPath: string, chain: SourceLocation[]) => ResolvedNode[] = () => [];

  constructor(
    file: string,
    readonly options: ResolveApacheOptions,
  ) {
    // httpd reads a relative -f from its ServerRoot; with no ServerRoot given, a relative path is
    // the caller's (the shell's) and is read from the working directory, as the user means it.
    this.rootPath = options.text !== undefined ? file
      : path.posix.isAbsolute(file) ? path.posix.normalize(file)
      : options.serverRoot !== undefined ? path.posix.join(path.resolve(options.serverRoot), file) : path.resolve(file);
    this.serverRoot = path.resolve(options.serverRoot ?? path.dirname(path.resolve(this.rootPath)));
    this.gate = options.gate ?? new ReadGate({ roots: [path.dirname(path.resolve(this.rootPath)), ...(options.serverRoot !== undefined ? [options.serverRoot] : [])] });
    this.rootText = options.text !== undefined ? { text: options.text } : this.openFile(this.rootPath);
    // apache2ctl sources Debian's envvars before starting httpd: do the same when no env is given
    // (through the gate: an envvars that links to /proc/self/environ or is a FIFO is not read)
    this.env = options.env ?? (path.basename(file) === 'apache2.conf' ? this.readEnvvars(path.join(path.dirname(path.resolve(this.rootPath)), 'envvars')) : {});
    this.version = options.httpdVersion ?? DEFAULT_TARGETS.httpd;
    for (const d of options.defines ?? []) this.defines.set(d, null);
    const base = path.basename(file);
    const looksWhole =
      // A vhost or conf.d file may load a module of its own (kolla's wsgi-*.conf load mod_wsgi);
      // only a config that sets ServerRoot or loads an MPM is a whole server.
      base === 'apache2.conf' || base === 'httpd.conf' || /^\s*(ServerRoot\s|LoadModule\s+mpm_)/im.test('text' in this.rootText ? this.rootText.text.slice(0, 1 << 20) : '');
    this.wholeTree = looksWhole || options.loadedModules !== undefined;
    this.loadedKnown = this.wholeTree;
    for (const id of DEBIAN_BUILTIN_MODULES) this.loadedIds.add(id);
    for (const m of options.loadedModules ?? []) this.loadedIds.add(normalizeModuleId(m));
    this.refreshLoadedNames();
  }

  private readEnvvars(file: string): Record<string, string> {
    if (this.gate.probe(file) !== 'file') return {};
    const read = this.gate.readFile(file);
    return read.ok ? parseDebianEnvvars(decodeConfigBytes(read.bytes).text, path.dirname(path.resolve(file))) : {};
  }

  refreshLoadedNames(): void {
    this.loadedNames = moduleNamesForIfModule(this.loadedIds);
  }

  /** The error `apache2 -t` would stop at: the first of the read phase, else the first of the walk. */
  httpdError(): Finding | null {
    const firstRead = this.phased.find((p) => p.phase === 'read');
    const firstWalk = this.phased.find((p) => p.phase === 'walk');
    return (firstRead ?? firstWalk)?.finding ?? null;
  }

  /* ---------------- findings ---------------- */

  fail(phase: 'read' | 'walk', ruleId: string, message: string, location: SourceLocation, severity: Finding['severity'] = 'error'): Finding {
    const finding: Finding = { ruleId, severity, message, location };
    this.findings.push(finding);
    if (severity === 'error') this.phased.push({ finding, phase });
    return finding;
  }

  /** httpd would stop here, but the finding reported is another (a template note, a did-you-mean). */
  failSilently(phase: 'read' | 'walk', ruleId: string, message: string, location: SourceLocation): void {
    this.phased.push({ finding: { ruleId, severity: 'error', message, location }, phase });
  }

  /**
   * An argument httpd refuses. When the argument is template markup (`processes={{ workers }}`,
   * `%PUBLICPORT%`), httpd would still stop there (kept as httpdError), but the file is a template
   * whose values are unknown until rendered: one note per file instead of an error per line.
   */
  failArguments(message: string, node: ResolvedNode): void {
    // a rendered template's value is unknown until the template is rendered: nothing to judge
    if (node.args.some((a) => a.templated)) {
      this.failSilently('walk', 'apache-directive-arguments', message, node.location);
      return;
    }
    const templated = node.args.find((a) => TEMPLATE_ARGUMENT.test(a.raw));
    if (!templated) {
      this.fail('walk', 'apache-directive-arguments', message, node.location);
      return;
    }
    this.failSilently('walk', 'apache-directive-arguments', message, node.location);
    this.noteTemplate(node.location, `${templated.raw} is template markup`);
  }

  noteTemplate(location: SourceLocation, what: string): void {
    if (this.templateFiles.has(location.file)) return;
    this.templateFiles.add(location.file);
    this.findings.push({
      ruleId: 'template-placeholder', severity: 'info', location,
      message: `This file is a template (${what}): deploylint reads it as written and does not check templated values; lint the rendered file for exact results.`,
    });
  }

  warn(ruleId: string, message: string, location: SourceLocation): void {
    this.findings.push({ ruleId, severity: 'warning', message, location });
  }

  /** One `budget-exceeded` finding per budget and file; the caller stops that piece of work. */
  budgetExceeded(name: BudgetName, what: string, location: SourceLocation): void {
    const key = `${name}\0${location.file}`;
    if (this.budgetReported.has(key)) return;
    this.budgetReported.add(key);
    this.fail('read', 'budget-exceeded', budgetMessage(name, this.gate.budget.limits[name], what), location, 'warning');
  }

  /* ---------------- files ---------------- */

  /** ap_server_root_relative: relative paths join ServerRoot; the result is normalised. */
  fullPath(p: string): string {
    const joined = path.posix.isAbsolute(p) ? p : this.serverRoot.replace(/\/+$/, '') + '/' + p;
    let norm = path.posix.normalize(joined);
    if (norm.length > 1 && norm.endsWith('/')) norm = norm.slice(0, -1);
    return norm;
  }

  /** Read a config file through the gate; errors in httpd's words where httpd has some. */
  openFile(p: string): { text: string } | { error: string; code: string } {
    // httpd reads /dev/null as an empty config (ap_pcfg_openfile allows that one device)
    if (p === '/dev/null') return { text: '' };
    const read = this.gate.readFile(p);
    if (read.ok) return { text: decodeConfigBytes(read.bytes).text };
    return refusalError(read);
  }

  /**
   * Existence tests httpd makes on its host (IfFile, ServerRoot, LoadModule objects): inside the
   * roots, or anywhere when host checks are on (existence only, never contents).
   */
  probe(p: string): ProbeResult {
    const inside = this.gate.probe(p);
    // a dangling symbolic link exists for httpd's apr_stat(APR_FINFO_LINK) tests
    if (inside === 'none' && isSymlink(p) && this.gate.check(path.dirname(path.resolve(p))).ok) return 'other';
    if (inside !== 'outside' || this.options.checkHostFiles === false) return inside;
    try {
      const st = fs.statSync(p);
      return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
    } catch {
      return isSymlink(p) ? 'other' : 'none';
    }
  }
}

/** `mod_proxy.c`, `proxy_module`, `mod_proxy` → httpd's module identifier (`proxy_module`). */
export function normalizeModuleId(m: string): string {
  if (m.endsWith('_module')) return m;
  if (m.endsWith('.c')) {
    const base = m.slice(0, -2);
    const special: Record<string, string> = { core: 'core_module', http_core: 'http_module', event: 'mpm_event_module', prefork: 'mpm_prefork_module', worker: 'mpm_worker_module' };
    if (special[base]) return special[base];
    return base.replace(/^mod_/, '') + '_module';
  }
  return m.replace(/^mod_/, '') + '_module';
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A gate refusal as httpd words the failure (`No such file or directory`). */
export function refusalError(refusal: Refusal): { error: string; code: string } {
  if (refusal.code === 'outside') return { error: 'outside the paths given to deploylint (not read)', code: 'EOUTSIDE' };
  if (refusal.code === 'not-regular') return { error: 'Access denied by server: not a regular file', code: 'ENOTREG' };
  if (refusal.errno) return { error: strerror(refusal.errno), code: refusal.errno };
  return { error: refusal.reason, code: refusal.code };
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
