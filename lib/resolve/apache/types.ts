/**
 * Contract of the Apache parser as the rest of deploylint sees it: the *resolved* tree after
 * Include/IncludeOptional, Define/${VAR} and the config-time conditionals (<IfModule>, <IfDefine>,
 * <IfVersion>, <IfFile>, <IfDirective>, <IfSection>) have been applied the way httpd applies them.
 * The lossless syntax tree lives beside this file.
 */
import type { Finding } from '../../core/finding';
import type { SourceLocation } from '../../core/source';

export interface ApacheArgument {
  /** The word after quote removal, escapes and ${VAR} substitution, as httpd hands it to the module. */
  value: string;
  /** The word exactly as written. */
  raw: string;
  quoted: boolean;
  location: SourceLocation;
  /**
   * Part of the word is a template's expression (`{{ wsgi_directory }}/keystone-wsgi-public`): its
   * value is not known until rendered. Rules judge the literal parts only, never the whole value.
   */
  templated?: boolean;
}

interface ResolvedNodeBase {
  /** Name as written (`proxypass`, `ProxyPass`): compare with `lname`. */
  name: string;
  /** Lower-cased name, for case-insensitive matching as httpd does. */
  lname: string;
  args: ApacheArgument[];
  /** The whole directive (all continuation lines) or, for a section, its opening tag. */
  location: SourceLocation;
  nameLocation: SourceLocation;
  /** Include/IncludeOptional directives (outermost first) through which this node's file was read. */
  includeChain: SourceLocation[];
  /**
   * Config-time conditions that could not be decided (e.g. `<IfModule mod_wsgi.c>` in a snippet
   * given alone, where the loaded modules are unknown). Children of such a section are kept and the
   * condition is recorded here, so rules can soften what they say.
   */
  assumedConditions: string[];
  /** Everything after the name as httpd stores it (`dir->args`: after ${VAR} expansion, raw quotes kept). */
  argsText?: string;
  /** Line httpd reports for this node: the last physical line of a continued line. */
  line?: number;
  /** Name as httpd's command table spells it (`Timeout`, `<Location`), for DUMP_CONFIG. */
  directive?: string;
  /**
   * File name as httpd reports it when it is not `location.file`: lines expanded from a mod_macro
   * `Use` are read from `macro 'name' (defined on line N of "F") used on line M of "G"`, and `line`
   * then counts lines of that macro body. `location` still points at the real source line.
   */
  httpdFile?: string;
}

export interface ResolvedDirective extends ResolvedNodeBase {
  kind: 'directive';
}

export interface ResolvedSection extends ResolvedNodeBase {
  kind: 'section';
  /** `</Name>` location when present. */
  closeLocation?: SourceLocation;
  children: ResolvedNode[];
}

export type ResolvedNode = ResolvedDirective | ResolvedSection;

export interface ResolvedApacheConfig {
  /** The file given. */
  file: string;
  serverRoot: string;
  /** Top-level nodes in httpd's order (includes inlined, decided conditionals flattened away). */
  nodes: ResolvedNode[];
  findings: Finding[];
  /** Every file read, in order. */
  files: string[];
  /**
   * Modules loaded (httpd's module identifiers such as `proxy_uwsgi_module`, and source names such
   * as `mod_proxy_uwsgi.c`), or null when this is a snippet and the server tree is unknown.
   */
  loadedModules: Set<string> | null;
  /**
   * The LoadModule lines that loaded a module, in reading order. httpd consumes them while reading (they
   * are not in `nodes`); a fix that loads one more module puts its line beside them.
   */
  loadModuleLines?: LoadModuleLine[];
  /** True when the input is a whole server tree (has ServerRoot / LoadModule / is apache2.conf or httpd.conf). */
  wholeTree: boolean;
  /** Every configuration file read through Include/IncludeOptional, in order (for DUMP_INCLUDES). */
  includes?: ApacheIncludeRecord[];
  /** Names set by -D / Define at the end of reading, with their value (null when defined without one). */
  defines?: Record<string, string | null>;
  /** The error `apache2 -t` would stop at, or null when it would say Syntax OK. */
  httpdError?: Finding | null;
}

export interface LoadModuleLine {
  /** Module identifier (`proxy_http_module`). */
  id: string;
  /** The whole line. */
  location: SourceLocation;
  args: ApacheArgument[];
}

export interface ApacheIncludeRecord {
  /** File path as httpd prints it. */
  file: string;
  /** Include nesting depth: 0 for the main file. */
  depth: number;
  /** Line of the Include directive that read it (0 for the main file). */
  includeLine: number;
}

export interface ResolveApacheOptions {
  /**
   * Environment for ${VAR} not set by Define (Debian's envvars can be loaded into it). When absent
   * and the file is an `apache2.conf` with an `envvars` beside it, that file is read, as apache2ctl does.
   */
  env?: Record<string, string>;
  /** -D NAME defines given on the command line. */
  defines?: string[];
  serverRoot?: string;
  /**
   * For a rendered template variant given as `text`: whether [start, end) of that text holds a
   * template expression (lib/templates). Arguments there are marked `templated`.
   */
  templated?: (start: number, end: number) => boolean;
  /** Target httpd version for <IfVersion>, default '2.4.71'. */
  httpdVersion?: string;
  /** Text of the root file when it does not come from disk (stdin). */
  text?: string;
  /** Modules known to be loaded when the caller knows better than the tree. */
  loadedModules?: string[];
  /**
   * Check User/Group names (and mod_wsgi's user=/group=) against this machine's accounts, as httpd
   * does when it reads them ("bad user name X"). Only meaningful when linting on the server itself.
   */
  checkHostAccounts?: boolean;
  /**
   * Check that files httpd opens while reading exist on this machine (LoadModule/LoadFile objects,
   * DefaultRuntimeDir, SSL certificate files, `<IfFile>`), as `apache2 -t` does, even outside the
   * gate's roots (existence only, never contents). Default true for the resolver (the oracle runs it
   * that way); lint() turns it off unless asked, as configs are linted from a repository or a copy.
   */
  checkHostFiles?: boolean;
  /**
   * The read gate every file and directory read goes through (lib/input/gate.ts): a path whose real
   * path leaves its roots is not read, and the Include that asked for it is reported
   * (`include-outside`). Default: a gate rooted at the given file's directory (and `serverRoot`
   * when the caller gives one). A ServerRoot directive in the config never widens it.
   */
  gate?: import('../../input/gate').ReadGate;
}
