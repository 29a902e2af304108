/**
 * GitHub Actions workflow commands: each finding becomes an annotation on the pull request diff.
 * Escaping follows the runner's own rules (actions/toolkit `command.ts`): in the message `%`, CR and
 * LF are percent-encoded; in property values `:` and `,` are encoded as well. Any other control
 * character from input (ESC, C1, bidi controls) is shown as a visible escape (util.ts escapeControl).
 */
import type { Severity } from '../core/finding';
import type { FormatContext, FormatResult } from './types';
import { displayPath, escapeControl, sortFindings } from './util';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** The runner's escaping, after every other control character (ESC, C1, bidi...) is made a visible escape. */
export function escapeData(s: string): string {
  return escapeControl(s, '\r\n').replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function format(result: FormatResult, ctx: FormatContext): string {
  return sortFindings(result.findings)
    .map((f) => {
      const { start, end } = f.location.range;
      const props: [string, string | number][] = [
        ['file', displayPath(f.location.file, ctx.cwd).split('\\').join('/')],
        ['line', start.line],
        ['col', start.column],
      ];
      if (end.line > start.line || end.column > start.column) {
        props.push(['endLine', end.line], ['endColumn', end.column]);
      }
      props.push(['title', f.ruleId]);
      const propText = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
      return `::${COMMAND[f.severity]} ${propText}::${escapeData(f.message)}\n`;
    })
    .join('');
}
