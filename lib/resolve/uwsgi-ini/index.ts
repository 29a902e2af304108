/**
 * uWSGI ini resolution: the option list uWSGI 2.0 would build from `uwsgi --ini FILE`, every value
 * with its segments and origins (uwsgi-facts.md 1-1.3): read the whole file, substitute magic `%X`
 * variables in the raw text, split lines, keep the keys of the wanted section, run immediate options
 * while reading (`ini`/`include` load other files in place, `if-*`/`for` blocks filter or repeat the
 * keys after them, `set-placeholder`, `plugins`, `strict`), then the `$()`, `@()` and `%()` passes
 * over every value not applied yet, then the options of `inherit =` files (unexpanded). Never throws:
 * problems become findings; when uWSGI would exit instead, `fatal` says why.
 */
import { resolveRoot } from './command-line';
import { runConfigure, result } from './configure';
import { loadIni } from './includes';
import { addExportedOption } from './options';
import { runPasses } from './passes';
import { UwsgiResolver } from './state';
import type { ResolveUwsgiOptions, ResolvedUwsgiConfig } from './types';

export type { ResolveUwsgiOptions, ResolvedUwsgiConfig, ResolvedUwsgiOption, ValueSegment } from './types';
export { printResolvedUwsgi } from './show-config';
export { defaultRuntime, magicHash } from './magic';
export type { UwsgiRuntime } from './magic';

/** Split `path[:section]` the way uWSGI does: at the last ':' (after the last '/' for URLs). */
export function splitSectionArgument(arg: string): { file: string; section?: string } {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(arg);
  const from = scheme ? arg.lastIndexOf('/') : 0;
  const colon = arg.lastIndexOf(':');
  if (colon < from || colon < 0) return { file: arg };
  const section = arg.slice(colon + 1);
  return { file: arg.slice(0, colon), section: section === '' ? undefined : section };
}

/**
 * Resolve a uWSGI ini as `uwsgi --ini PATH` would read it. `path` may end in `:section`;
 * `options.section` overrides it. Relative includes are resolved from `options.cwd` (uWSGI's
 * working directory). Never throws.
 */
export function resolveUwsgiIni(path: string, options: ResolveUwsgiOptions = {}): ResolvedUwsgiConfig {
  // a section given apart means `path` is the file's name as it is, colons and all
  const split = options.section !== undefined ? { file: path, section: options.section } : splitSectionArgument(path);
  const section = options.section ?? split.section ?? 'uwsgi';
  const argument = options.section !== undefined ? `${split.file}:${options.section}` : path;
  const s = new UwsgiResolver(options);
  s.addExportedOption = (key, value, segments, meta, placeholderOnly) => addExportedOption(s, key, value, segments, meta, placeholderOnly);
  s.loadIni = (arg, includedFrom, inherited, at, rootText, isRoot) => loadIni(s, arg, includedFrom, inherited, at, rootText, isRoot);
  try {
    resolveRoot(s, argument, options.text, split.file);
    runPasses(s);
    runConfigure(s);
  } catch (err) {
    // a bug here must not take the whole lint run down: report it where the file starts
    s.findings.push({
      ruleId: 'internal-error', severity: 'error',
      message: `deploylint could not resolve this file: ${(err as Error).message}`,
      location: { file: split.file, range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } },
    });
  }
  return result(s, argument, split.file, section);
}
