/**
 * uWSGI ini parser: a lossless syntax tree (syntax.ts), resolution into the option list uWSGI 2.0
 * would build (resolve.ts), and the `--show-config` rendering of that list (show-config.ts).
 */
import { UwsgiResolver } from './resolve';
import type { ResolveUwsgiOptions, ResolvedUwsgiConfig } from './types';

export type { ResolveUwsgiOptions, ResolvedUwsgiConfig, ResolvedUwsgiOption, ValueSegment } from './types';
export {
  parseUwsgiIni, printUwsgiIni, printUwsgiIniBytes, readUwsgiIniFile, decodeUwsgiIni, looksBinary,
} from './syntax';
export type {
  UwsgiIniDocument, UwsgiIniLine, UwsgiIniEntry, UwsgiIniSectionHeader, UwsgiIniComment, UwsgiIniBlank, UwsgiIniJunk,
  UwsgiIniLineKind, ParseUwsgiIniOptions,
} from './syntax';
export { printResolvedUwsgi } from './show-config';

export { defaultRuntime, magicHash } from './magic';
export type { UwsgiRuntime } from './magic';
export { isUwsgiFalse } from './resolve';

/**
 * Split `path[:section]` the way uWSGI does: at the last ':' (after the last '/' for URLs). A
 * colon that is part of an existing file's name is kept when `exists` says so.
 */
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
  const split = splitSectionArgument(path);
  const section = options.section ?? split.section ?? 'uwsgi';
  const argument = options.section !== undefined ? `${split.file}:${options.section}` : path;
  const resolver = new UwsgiResolver(options);
  try {
    resolver.resolveRoot(argument, options.text);
    resolver.runPasses();
    resolver.runConfigure();
  } catch (err) {
    // a bug here must not take the whole lint run down: report it where the file starts
    resolver.findings.push({
      ruleId: 'internal-error', severity: 'error',
      message: `deploylint could not resolve this file: ${(err as Error).message}`,
      location: { file: split.file, range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } },
    });
  }
  return resolver.result(argument, split.file, section);
}
