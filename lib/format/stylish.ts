/**
 * Default human format: findings grouped by file, columns aligned, a summary line and a pointer to
 * `deploylint explain`. Colour comes from chalk at the level the CLI decided (0 = plain text).
 * Everything taken from input (paths, messages, rule ids, notes naming files) has its control
 * characters escaped (util.ts escapeControl) before any colour is added, so only deploylint's own
 * colour codes reach the terminal.
 */
import type { Finding, Severity } from '../core/finding';
import type { FormatContext, FormatResult } from './types';
import { countBySeverity, displayPath, escapeControl, plural, skipSummaryLines, sortFindings } from './util';

type Paint = (s: string) => string;
interface Palette { underline: Paint; dim: Paint; bold: Paint; severity: Record<Severity, Paint>; summary: Paint }

function palette(level: 0 | 1 | 2 | 3): Palette {
  if (level === 0) {
    const id: Paint = (s) => s;
    return { underline: id, dim: id, bold: id, severity: { error: id, warning: id, info: id }, summary: id };
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const chalk = require('chalk') as typeof import('chalk');
  const c = new chalk.Instance({ level });
  return {
    underline: (s) => c.underline(s),
    dim: (s) => c.dim(s),
    bold: (s) => c.bold(s),
    severity: { error: (s) => c.red(s), warning: (s) => c.yellow(s), info: (s) => c.blue(s) },
    summary: (s) => c.bold(s),
  };
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - s.length));
}

export function format(result: FormatResult, ctx: FormatContext): string {
  const p = palette(ctx.colorLevel);
  const findings = sortFindings(result.findings);
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.location.file) ?? [];
    list.push(f);
    byFile.set(f.location.file, list);
  }
  for (const [file, list] of byFile) {
    out.push('', p.underline(escapeControl(displayPath(file, ctx.cwd))));
    const rows = list.map((f) => {
      const s = f.location.range.start;
      return { pos: `${s.line}:${s.column}`, sev: f.severity, msg: escapeControl(f.message), id: escapeControl(f.ruleId), related: f.related ?? [] };
    });
    // loops, not Math.max(...rows): a spread of 100,000+ arguments overflows V8's stack
    let posW = 0;
    let sevW = 0;
    let msgW = 0;
    for (const r of rows) {
      posW = Math.max(posW, r.pos.length);
      sevW = Math.max(sevW, r.sev.length);
      msgW = Math.max(msgW, r.msg.length);
    }
    msgW = Math.min(100, msgW);
    for (const r of rows) {
      out.push(`  ${p.dim(pad(r.pos, posW))}  ${p.severity[r.sev](pad(r.sev, sevW))}  ${pad(r.msg, msgW)}  ${p.dim(r.id)}`);
      for (const rel of r.related) {
        const rs = rel.location.range.start;
        const where = `${escapeControl(displayPath(rel.location.file, ctx.cwd))}:${rs.line}:${rs.column}`;
        out.push(`  ${' '.repeat(posW)}  ${' '.repeat(sevW)}  ${p.dim(`↳ ${where}: ${escapeControl(rel.message)}`)}`);
      }
    }
  }
  const counts = countBySeverity(findings);
  if (findings.length > 0) {
    const mark = counts.error > 0 ? p.severity.error('✖') : counts.warning > 0 ? p.severity.warning('✖') : p.severity.info('✖');
    out.push('', `${mark} ${p.summary(`${plural(findings.length, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info')})`)}`);
    const ids = [...new Set(findings.map((f) => f.ruleId))].sort();
    const example = escapeControl(ids[0]);
    out.push(p.dim(`Run \`deploylint explain <rule-id>\` (e.g. \`deploylint explain ${example}\`) for what each rule means and how to fix it.`));
  }
  const notes = [...skipSummaryLines(ctx.skipped), ...(ctx.notes ?? [])];
  if (notes.length > 0) {
    if (findings.length === 0) out.push('');
    for (const n of notes) out.push(p.dim(escapeControl(n)));
  }
  return out.length > 0 ? out.join('\n') + '\n' : '';
}
