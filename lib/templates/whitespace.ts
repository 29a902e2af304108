/**
 * Whitespace control, applied to the text tokens around each tag exactly as the engines do it
 * lexically (before any branch is chosen), so a variant's text is what the engine would print:
 *
 * - Jinja and Go: `{%-`, `{{-`, `{#-` remove all whitespace (newlines included) before the tag, back to
 *   the previous tag; `-%}`, `-}}`, `-#}` all whitespace after it. Jinja's `trim_blocks` removes the one
 *   newline right after a block or comment tag (`+%}` keeps it); `lstrip_blocks` removes the blanks
 *   between the start of the line and a block tag (`{%+` keeps them).
 * - ERB (Puppet's trim mode `-`): `<%-` removes the indentation of a tag that starts its line; `-%>`
 *   removes the newline right after the tag. EPP: the same, and `-%>` also removes blanks before that
 *   newline.
 *
 * Text tokens are slices of the source, so trimming only moves their ends: offsets stay exact.
 */
import type { Token } from './scan';

export interface WhitespaceConfig {
  trimBlocks: boolean;
  lstripBlocks: boolean;
  angleDialect: 'erb' | 'epp';
}

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

export function applyWhitespaceControl(text: string, tokens: Token[], cfg: WhitespaceConfig): Token[] {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'text') continue;
    const jinjaBlock = t.family === 'curly' && t.delim !== 'expr' && !text.startsWith('{{', t.start);
    // ---- before the tag
    if (t.trimLeft && t.family === 'curly') {
      for (let j = i - 1; j >= 0 && tokens[j].kind === 'text' && !tokens[j].raw; j--) {
        const tk = tokens[j];
        let e = tk.end;
        while (e > tk.start && isWs(text.charCodeAt(e - 1))) e--;
        tk.end = e;
        if (e > tk.start) break;
      }
    } else if ((t.trimLeft && t.family === 'angle') || (jinjaBlock && cfg.lstripBlocks && !t.plusLeft)) {
      let b = t.start;
      while (b > 0 && isBlank(text.charCodeAt(b - 1))) b--;
      const prev = tokens[i - 1];
      if ((b === 0 || text.charCodeAt(b - 1) === 10) && prev && prev.kind === 'text' && prev.end === t.start) {
        prev.end = Math.max(prev.start, b);
      }
    }
    // ---- after the tag
    const next = tokens[i + 1];
    if (!next || next.kind !== 'text' || next.start !== t.end) continue;
    if (t.trimRight && t.family === 'curly') {
      for (let j = i + 1; j < tokens.length && tokens[j].kind === 'text' && !tokens[j].raw; j++) {
        const tk = tokens[j];
        let s = tk.start;
        while (s < tk.end && isWs(text.charCodeAt(s))) s++;
        tk.start = s;
        if (s < tk.end) break;
      }
    } else if (t.trimRight && t.family === 'angle') {
      let s = next.start;
      if (cfg.angleDialect === 'epp') while (s < next.end && isBlank(text.charCodeAt(s))) s++;
      const nl = newlineAt(text, s, next.end);
      if (nl > 0) next.start = s + nl;
    } else if (jinjaBlock && cfg.trimBlocks && !t.plusRight && !/^include\b/.test(t.code ?? '')) {
      // (not after `{% include %}`: the included text, which stands for its newline, is unknown)
      next.start += newlineAt(text, next.start, next.end);
    }
  }
  return tokens.filter((t) => t.kind !== 'text' || t.end > t.start);
}

/** Length of the newline (`\n` or `\r\n`) at `at`, or 0. */
function newlineAt(text: string, at: number, limit: number): number {
  if (at < limit && text.charCodeAt(at) === 10) return 1;
  if (at + 1 < limit && text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) === 10) return 2;
  return 0;
}
