/**
 * `file:line:column: severity: message [rule-id]`, one finding per line, the shape compilers print
 * and editors, CI matchers and Emacs/Vim quickfix already understand. Severity words are gcc's:
 * `error`, `warning`, and `note` for info (VS Code's built-in `$gcc` matcher takes only error and
 * warning lines; `.github/deploylint-matcher.json` takes all three and maps note to notice).
 */
import type { Severity } from '../core/finding';
import type { FormatContext, FormatResult } from './types';
import { displayPath, sortFindings } from './util';

export const GCC_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

export function format(result: FormatResult, ctx: FormatContext): string {
  return sortFindings(result.findings)
    .map((f) => {
      const s = f.location.range.start;
      const msg = f.message.replace(/\r?\n/g, ' ');
      return `${displayPath(f.location.file, ctx.cwd)}:${s.line}:${s.column}: ${GCC_SEVERITY[f.severity]}: ${msg} [${f.ruleId}]\n`;
    })
    .join('');
}
