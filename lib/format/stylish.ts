/**
 * Default human format: findings grouped by file, columns aligned, a summary line and a pointer to
 * `deploylint explain`. Colour comes from chalk at the level the CLI decided (0 = plain text).
 * Everything taken from input (paths, messages, rule ids, notes naming files) has its control
 * characters escaped (util.ts escapeControl) before any colour is added, so only deploylint's own
 * colour codes reach the terminal.
 *
 * With `width` set (the CLI sets it to the terminal's width when stdout is a terminal), messages are
 * wrapped under a hanging indent at the message column, at most 100 columns of text for
 * readability, code spans kept whole (wrap.ts), and the rule id right-aligned on the message's last
 * line or the line below. Without it (a pipe, a file, CI logs) every finding stays on one line, as
 * ESLint's and ruff's do, so `grep` and line-based tools see the whole finding.
 */
import type { Finding, RelatedLocation, Severity } from '../core/finding';
import type { FormatContext, FormatResult } from './types';
import { countBySeverity, displayPath, escapeControl, plural, skipSummaryLines, sortFindings } from './util';
import { wrapText } from './wrap';

/** Narrowest and widest message text when wrapping. */
const MIN_TEXT = 40;
const MAX_TEXT = 100;

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

function relatedText(rel: RelatedLocation, cwd: string): string {
  const rs = rel.location.range.start;
  return `${escapeControl(displayPath(rel.location.file, cwd))}:${rs.line}:${rs.column}: ${escapeControl(rel.message)}`;
}

/** Lines of our own (summary, notes): wrapped to the width when there is one, without an indent. */
function fitted(text: string, width: number | undefined): string[] {
  return width === undefined || text.length <= width ? [text] : wrapText(text, width);
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
    let idW = 0;
    let relW = 0;
    for (const r of rows) {
      posW = Math.max(posW, r.pos.length);
      sevW = Math.max(sevW, r.sev.length);
      msgW = Math.max(msgW, r.msg.length);
      idW = Math.max(idW, r.id.length);
      for (const rel of r.related) relW = Math.max(relW, relatedText(rel, ctx.cwd).length + 2);
    }
    const hang = ' '.repeat(2 + posW + 2 + sevW + 2);
    // wrap only when a line would not fit: findings that fit are laid out as without a width
    const wrap = ctx.width !== undefined && hang.length + Math.max(Math.min(100, msgW) + 2 + idW, msgW, relW) > ctx.width;
    const textW = Math.min(MAX_TEXT, Math.max(MIN_TEXT, (ctx.width ?? 0) - hang.length));
    msgW = Math.min(100, msgW);
    for (const r of rows) {
      const head = `  ${p.dim(pad(r.pos, posW))}  ${p.severity[r.sev](pad(r.sev, sevW))}  `;
      if (!wrap) out.push(`${head}${pad(r.msg, msgW)}  ${p.dim(r.id)}`);
      else {
        const lines = wrapText(r.msg, textW);
        const last = lines[lines.length - 1];
        // the rule id right-aligned at the text's right edge: on the last line when it fits there
        if (last.length + 2 + r.id.length <= textW) lines[lines.length - 1] = `${last}${' '.repeat(textW - last.length - r.id.length)}${p.dim(r.id)}`;
        else lines.push(`${' '.repeat(Math.max(0, textW - r.id.length))}${p.dim(r.id)}`);
        lines.forEach((line, i) => out.push(`${i === 0 ? head : hang}${line}`));
      }
      for (const rel of r.related) {
        const text = relatedText(rel, ctx.cwd);
        if (!wrap) out.push(`${hang}${p.dim(`↳ ${text}`)}`);
        else wrapText(text, textW - 2).forEach((line, i) => out.push(`${hang}${p.dim(`${i === 0 ? '↳' : ' '} ${line}`)}`));
      }
    }
  }
  const counts = countBySeverity(findings);
  if (findings.length > 0) {
    const mark = counts.error > 0 ? p.severity.error('✖') : counts.warning > 0 ? p.severity.warning('✖') : p.severity.info('✖');
    out.push('', `${mark} ${p.summary(`${plural(findings.length, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info')})`)}`);
    const ids = [...new Set(findings.map((f) => f.ruleId))].sort();
    const example = escapeControl(ids[0]);
    for (const line of fitted(`Run \`deploylint explain <rule-id>\` (e.g. \`deploylint explain ${example}\`) for what each rule means and how to fix it.`, ctx.width)) out.push(p.dim(line));
  }
  if (findings.length === 0 && result.files.length > 0) {
    // a clean run says so, rather than nothing (which also looks like "nothing was checked")
    out.push(`${p.severity.info('✔')} ${p.summary(`${plural(result.files.length, 'file')} checked, no problems.`)}`);
  }
  const notes = [...skipSummaryLines(ctx.skipped), ...(ctx.notes ?? [])];
  if (notes.length > 0) {
    if (findings.length === 0 && result.files.length === 0) out.push('');
    for (const n of notes) for (const line of fitted(escapeControl(n), ctx.width)) out.push(p.dim(line));
  }
  return out.length > 0 ? out.join('\n') + '\n' : '';
}
