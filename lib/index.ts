/**
 * deploylint's programmatic API: what the CLI uses, for editors and other tools.
 */
export { lint, compareFindings, ResolveCache } from './lint';
export type { LintInputFile, LintOptions, LintResult, FileReport, InputKind } from './lint';
export type { Finding, Severity, RelatedLocation, TextEdit } from './core/finding';
export type { Position, Range, SourceLocation } from './core/source';
export { loadRules, findRule } from './engine/registry';
export type { Rule, RuleMeta } from './engine/types';
export { buildDeployment } from './model';
export { parseUwsgiIni, printUwsgiIni } from './parsers/uwsgi-ini';
export { resolveUwsgiIni, printResolvedUwsgi } from './resolve/uwsgi-ini';
export { parseApacheConfig, printApacheConfig } from './parsers/apache';
export { resolveApacheConfig, dumpApacheConfig, dumpApacheIncludes } from './resolve/apache';
