/**
 * Stable machine format, documented in docs/json-format.md. Changing a field's meaning or removing
 * one needs a new `version`; adding fields does not.
 */
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
      ...(f.fix ? { fix: { description: f.fix.description } } : {}),
    };
  });
  const files = result.files.map((r) => ({ path: r.path, kind: r.kind, included: r.included, ...(r.template ? { template: r.template } : {}) }));
  const out: Record<string, unknown> = { version: JSON_FORMAT_VERSION, findings, files };
  if (ctx.skipped) out.skipped = { byReason: ctx.skipped.byReason, unreadable: ctx.skipped.unreadable };
  return escapeJsonControls(JSON.stringify(out, null, 2)) + '\n';
}
