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

/**
 * Characters that must never reach an output raw when they come from input (messages quoting config
 * values, file names, rule ids from suppression comments): C0 controls (ESC starts a terminal
 * escape sequence, CR rewrites the line, LF starts a fake one for a problem matcher), DEL, C1
 * controls (U+009B is a one-character CSI), the Unicode line and paragraph separators, and the bidi
 * controls that reorder what is shown (U+202A-U+202E embeddings and overrides, U+2066-U+2069
 * isolates, and the LRM/RLM/ALM marks U+200E, U+200F, U+061C).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hexEscape(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Input-derived text made safe for a terminal or a line-oriented format: every character above is
 * shown as a visible escape (`\x1b`, `\n`, `\r`, `\t`, `\x9b`, `\u202e`). `keep` leaves some of them
 * for a format that encodes them itself (GitHub's `%0A`, XML's `&#10;`). Colour codes a formatter
 * adds afterwards are not touched.
 */
export function escapeControl(s: string, keep = ''): string {
  return s.replace(CONTROL, (c) => (keep.includes(c) ? c : NAMED[c] ?? hexEscape(c)));
}

/**
 * JSON text from JSON.stringify, which escapes C0 controls but leaves DEL, C1 controls, U+2028/9
 * and bidi controls raw: those become `\uXXXX` too, so the output has no raw control character and
 * parses to exactly the same data. They can only occur inside string literals, so this is safe (the
 * C0 range is left alone: JSON.stringify has escaped it in strings, and its own indentation is LF).
 */
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
export function escapeJsonControls(json: string): string {
  return json.replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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

/** What discovery skipped, as summary lines; file names in them are escaped (the CLI also writes these to stderr). */
export function skipSummaryLines(skipped: { byReason: Record<string, number>; unreadable: string[] } | undefined): string[] {
  if (!skipped) return [];
  const lines: string[] = [];
  const reasons = Object.entries(skipped.byReason).filter(([, n]) => n > 0);
  if (reasons.length > 0) {
    const total = reasons.reduce((s, [, n]) => s + n, 0);
    lines.push(`Skipped ${plural(total, 'path')}: ${reasons.map(([r, n]) => `${n} ${escapeControl(r)}`).join(', ')}.`);
  }
  if (skipped.unreadable.length > 0) {
    lines.push(`Could not read ${plural(skipped.unreadable.length, 'file')}: ${skipped.unreadable.map((f) => escapeControl(f)).join(', ')}.`);
  }
  return lines;
}
