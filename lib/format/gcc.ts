/**
 * `file:line:column: severity: message [rule-id]`, one finding per line, the shape compilers print
 * and editors, CI matchers and Emacs/Vim quickfix already understand. Severity words are gcc's:
 * `error`, `warning`, and `note` for info (VS Code's built-in `$gcc` matcher takes only error and
 * warning lines; `.github/deploylint-matcher.json` takes all three and maps note to notice).
 * Paths, messages and rule ids have their control characters escaped (util.ts escapeControl), so
 * each finding is exactly one line and nothing in it drives the terminal.
 */
import type { Severity } from '../core/finding';
import type { FormatContext, FormatResult } from './types';
import { displayPath, escapeControl, sortFindings } from './util';

export const GCC_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

export function format(result: FormatResult, ctx: FormatContext): string {
  return sortFindings(result.findings)
    .map((f) => {
      const s = f.location.range.start;
      // everything from input is escaped: a file name with a newline must not start a fake line
      const file = escapeControl(displayPath(f.location.file, ctx.cwd));
      return `${file}:${s.line}:${s.column}: ${GCC_SEVERITY[f.severity]}: ${escapeControl(f.message)} [${escapeControl(f.ruleId)}]\n`;
    })
    .join('');
}
