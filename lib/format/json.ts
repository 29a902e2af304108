/**
 * Stable machine format, documented in docs/json-format.md. Changing a field's meaning or removing
 * one needs a new `version`; adding fields does not.
 */
import type { Finding, Fix } from '../core/finding';
import type { FixSummary } from '../fix';
import type { FormatContext, FormatResult } from './types';
import { escapeJsonControls, sortFindings } from './util';

export const JSON_FORMAT_VERSION = 1;

export function format(result: FormatResult, ctx: FormatContext): string {
  const findings = sortFindings(result.findings).map((f) => {
    const { start, end } = f.location.range;
    return {
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      file: f.location.file,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      related: (f.related ?? []).map((r) => ({
        file: r.location.file,
        line: r.location.range.start.line,
        column: r.location.range.start.column,
        message: r.message,
      })),
      ...(f.fix ? { fix: jsonFix(f.fix) } : {}),
    };
  });
  const files = result.files.map((r) => ({ path: r.path, kind: r.kind, included: r.included, ...(r.template ? { template: r.template } : {}), ...(r.writes ? { writes: r.writes } : {}) }));
  const out: Record<string, unknown> = { version: JSON_FORMAT_VERSION, findings, files };
  if (result.fixes) out.fixes = jsonFixSummary(result.fixes);
  if (ctx.skipped) out.skipped = { byReason: ctx.skipped.byReason, unreadable: ctx.skipped.unreadable };
  return escapeJsonControls(JSON.stringify(out, null, 2)) + '\n';
}

/** A fix: what it does, how far to trust it, and its edits (offsets, and 1-based line/column when known). */
function jsonFix(fix: Fix) {
  return {
    description: fix.description,
    applicability: fix.applicability ?? 'safe',
    edits: fix.edits.map((e) => ({ file: e.file, range: e.range, text: e.text })),
  };
}

/** `fixes`, present with --fix, --fix-dry-run and --diff. */
function jsonFixSummary(summary: FixSummary) {
  const at = (f: Finding) => ({ ruleId: f.ruleId, file: f.location.file, line: f.location.range.start.line, column: f.location.range.start.column });
  return {
    mode: summary.mode,
    applied: summary.applied.map((a) => ({ ...at(a.finding), description: a.fix.description, applicability: a.fix.applicability ?? 'safe', pass: a.pass })),
    notApplied: summary.refused.map((r) => ({ ...at(r.finding), description: r.fix.description, applicability: r.fix.applicability ?? 'safe', reason: r.reason, rolledBack: r.rolledBack })),
    moreWithUnsafeFixes: summary.moreWithUnsafe,
    displayOnly: summary.displayOnly,
    files: summary.files.map((f) => ({ path: f.name, written: f.written, ...(f.refused ? { refused: f.refused } : {}) })),
  };
}
