import * as path from 'path';
import type { Finding, Severity } from '../core/finding';
import { SEVERITY_RANK } from '../core/finding';

/** Stable order for every format: file, then position, then rule id. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => {
    const fa = a.location.file;
    const fb = b.location.file;
    if (fa !== fb) return fa < fb ? -1 : 1;
    const sa = a.location.range.start;
    const sb = b.location.range.start;
    if (sa.line !== sb.line) return sa.line - sb.line;
    if (sa.column !== sb.column) return sa.column - sb.column;
    if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
    return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
  });
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Path for humans: relative to cwd when inside it, else as given. */
export function displayPath(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Last line/column that belongs to a half-open range: an end at column 1 of a later line ends on the line before. */
export function inclusiveEnd(f: Finding): { line: number; column: number } {
  const { start, end } = f.location.range;
  if (end.line > start.line && end.column === 1) return { line: end.line - 1, column: Number.MAX_SAFE_INTEGER };
  return { line: end.line, column: end.column };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function skipSummaryLines(skipped: { byReason: Record<string, number>; unreadable: string[] } | undefined): string[] {
  if (!skipped) return [];
  const lines: string[] = [];
  const reasons = Object.entries(skipped.byReason).filter(([, n]) => n > 0);
  if (reasons.length > 0) {
    const total = reasons.reduce((s, [, n]) => s + n, 0);
    lines.push(`Skipped ${plural(total, 'path')}: ${reasons.map(([r, n]) => `${n} ${r}`).join(', ')}.`);
  }
  if (skipped.unreadable.length > 0) {
    lines.push(`Could not read ${plural(skipped.unreadable.length, 'file')}: ${skipped.unreadable.join(', ')}.`);
  }
  return lines;
}
