/**
 * Contract of the uWSGI ini parser as the rest of deploylint sees it. The syntax tree (lossless,
 * printable back byte for byte) is defined beside this file by the parser; what the model needs is
 * the *resolved* configuration: every option uWSGI would receive, in order, with where each came from.
 */
import type { Finding } from '../../core/finding';
import type { SourceLocation } from '../../core/source';

/** One piece of a resolved value and where it came from (literal text, a %(key), a $(ENV), a %d ...). */
export interface ValueSegment {
  text: string;
  /** Where the text was written; for an expansion, the location of the key or env it came from, if any. */
  location?: SourceLocation;
  /** How it got here: 'literal', 'placeholder', 'env', 'magic', 'reference' (@(file)), ... */
  via: string;
  /** For an expansion, the expression as written, e.g. `%(base)` or `$(HOME)`. */
  expression?: string;
}

export interface ResolvedUwsgiOption {
  /** Option name as uWSGI receives it (after magic-variable expansion of the key text). */
  key: string;
  /** Final value as uWSGI receives it (quotes are kept, as uWSGI keeps them). Bare keys give "true". */
  value: string;
  /** The value text as written in the file, before any expansion. */
  rawValue: string;
  /** True for a bare key without `=` (a boolean flag). */
  bare: boolean;
  keyLocation: SourceLocation;
  valueLocation: SourceLocation;
  /** The whole `key = value` line (without the line ending). */
  entryLocation: SourceLocation;
  segments: ValueSegment[];
  /** The `ini = ...` lines (outermost first) through which this option's file was included; empty for the root file. */
  includedFrom: SourceLocation[];
  /** The exact string uWSGI holds and `--show-config` prints: like `value`, but '' for a bare key. */
  uwsgiValue: string;
  /** 'option' for settings; 'include' (ini/include/inherit/...), 'logic' (if-*, for, end*), 'placeholder' (set-placeholder and what it defines). */
  role: 'option' | 'include' | 'logic' | 'placeholder';
  /** Applied while the file is read (uWSGI's UWSGI_OPT_IMMEDIATE): such values get no $() / %() expansion. */
  immediate: boolean;
  /** Came in through `inherit =`: appended after everything else, never expanded, and its scalars win. */
  inherited: boolean;
  /** The key is an option of the uWSGI version line with its plugin loaded (false: uWSGI ignores it, or exits under strict). */
  known: boolean;
  /** File and section the line was read from. */
  file: string;
  section: string;
  /** A template's expression stands in the key (rendered template variants): not a name uWSGI will see. */
  keyTemplated?: boolean;
  /**
   * Read inside a logic block (`if-env`, `if-exists`, `for`...): the block's head line. The option is
   * there only while the block's condition holds, so a line added next to it would be conditional too.
   */
  inBlock?: SourceLocation;
  /** A template's expression stands in the value: its value is unknown until rendered. */
  valueTemplated?: boolean;
}

export interface ResolvedUwsgiConfig {
  /** The root file as given. */
  file: string;
  /** The section read ('uwsgi' unless `file.ini:section`). */
  section: string;
  options: ResolvedUwsgiOption[];
  /** Parse and resolution problems, each positioned (syntax-error, include-not-found, include-loop, ...). */
  findings: Finding[];
  /** Every file read while resolving, root first. */
  files: string[];
  /** The root argument exactly as uWSGI would get it after `--ini` (path plus `:section` if one was asked). */
  argument: string;
  /** Set when uWSGI would exit before starting (missing include, strict mode and an unknown key, nested logic...). */
  fatal?: { message: string; location?: SourceLocation };
  /** Plugins loaded by `plugins =` / `need-plugin =` as uWSGI names their options' source (python3 -> python). */
  loadedPlugins: string[];
  /** `strict = true` was read. */
  strict: boolean;
  /** Names `%(...)` expressions asked for in the placeholder pass (found or not): custom keys used as placeholders. */
  referencedKeys: string[];
  /** uWSGI's whole option list in its order, command-line options included (what `--show-config` prints); value null = a flag. */
  exported: Array<{ key: string; value: string | null; commandLine: boolean }>;
}

export interface ResolveUwsgiOptions {
  /** Section to read; default 'uwsgi' (or the `:section` suffix of the path). */
  section?: string;
  /** Environment for $(VAR); default empty (the real process environment only if the caller passes it). */
  env?: Record<string, string>;
  /** Text of the root file when it does not come from disk (stdin). */
  text?: string;
  /** Directory relative `ini =` paths are resolved from (uWSGI uses its working directory); default the process cwd. */
  cwd?: string;
  /** Values magic variables expose (%h hostname, %V version, %k cores, ...); defaults from this machine. */
  runtime?: Partial<import('./magic').UwsgiRuntime>;
  /** Plugin names `plugins =` can load (e.g. the *_plugin.so names of a distro); default: any name loads. */
  availablePlugins?: string[];
  /**
   * For a rendered template variant given as `text`: whether [start, end) of that text holds a
   * template expression (lib/templates). Options there are marked keyTemplated / valueTemplated.
   */
  templated?: (start: number, end: number) => boolean;
  /**
   * Which uWSGI build reads the file: 'modular' (default: a distro package, where an option of a
   * plugin not named in `plugins =` is unknown, as the oracle's Debian uWSGI reads it) or 'unknown'
   * (lint(): a pip build embeds python, http and the routers, so a file that names no plugin is not
   * judged as if they were missing).
   */
  build?: 'modular' | 'unknown';
  /** Option table to judge keys with: '2.0' (default) or '2.1'. */
  version?: '2.0' | '2.1';
  /**
   * The read gate every file read goes through (lib/input/gate.ts): included, inherited and
   * referenced files whose real path leaves its roots are not read (finding `include-outside`).
   * Default: a gate rooted at `cwd`.
   */
  gate?: import('../../input/gate').ReadGate;
  /** Command-line options around `--ini` (default: `--show-config` before, nothing after). value null = a flag. */
  commandLine?: { before?: Array<{ key: string; value: string | null }>; after?: Array<{ key: string; value: string | null }> };
}
