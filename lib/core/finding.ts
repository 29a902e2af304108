import type { SourceLocation } from './source';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

export interface RelatedLocation {
  location: SourceLocation;
  message: string;
}

/**
 * A text edit for `--fix`: replace `range` in `file` with `text`. Offsets are 0-based UTF-16 indexes
 * into the file's decoded text (lib/core/text.ts decodeBytes), as every position is. `start`/`end`
 * (1-based line and column) are filled in for output only (JSON, SARIF); nothing reads them back.
 */
export interface TextEdit {
  file: string;
  range: { startOffset: number; endOffset: number; start?: { line: number; column: number }; end?: { line: number; column: number } };
  text: string;
}

/**
 * How far a fix may be trusted (ruff's applicability):
 * - `safe`: changes nothing but what the finding is about; `--fix` applies it;
 * - `unsafe`: changes behaviour beyond the finding (raises a timeout, moves a setting, switches a
 *   protocol); applied only with `--unsafe-fixes`;
 * - `display-only`: shown (JSON, SARIF, editors) but never applied by `--fix`: the right edit depends
 *   on something the files do not say.
 */
export type FixApplicability = 'safe' | 'unsafe' | 'display-only';

/** An automatic fix: byte-range edits on the original text, possibly in several files (a route and its socket). */
export interface Fix {
  description: string;
  edits: TextEdit[];
  /** Absent: the rule's default (`fixApplicability` in its metadata, else `safe`); the engine fills it in. */
  applicability?: FixApplicability;
  /**
   * What the fix sets, e.g. `uwsgi-option:/etc/uwsgi/glance.ini:uwsgi:buffer-size`: two fixes that claim
   * the same thing are never applied in one `--fix` pass (the second is recomputed after a re-lint), so a
   * renamed key and an inserted line cannot both set one option.
   */
  claims?: string[];
}

/**
 * One problem found in the input. Parsers report these too (rule ids such as `syntax-error`,
 * `include-not-found`), so a parse problem and a rule finding reach the user the same way.
 */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  location: SourceLocation;
  related?: RelatedLocation[];
  fix?: Fix;
}

/** Findings in reading order: by file, then line, column and rule id. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.location.file !== b.location.file) return a.location.file < b.location.file ? -1 : 1;
  return a.location.range.start.line - b.location.range.start.line
    || a.location.range.start.column - b.location.range.start.column
    || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
