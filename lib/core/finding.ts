import type { SourceLocation } from './source';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

export interface RelatedLocation {
  location: SourceLocation;
  message: string;
}

/** A text edit for `--fix`: replace `range` in `file` with `text`. */
export interface TextEdit {
  file: string;
  range: { startOffset: number; endOffset: number };
  text: string;
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
  fix?: { description: string; edits: TextEdit[] };
}

/** Findings in reading order: by file, then line, column and rule id. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.location.file !== b.location.file) return a.location.file < b.location.file ? -1 : 1;
  return a.location.range.start.line - b.location.range.start.line
    || a.location.range.start.column - b.location.range.start.column
    || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
