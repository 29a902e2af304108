/**
 * How uWSGI 2.0's core/ini.c cuts one line into parts, shared by the lossless syntax tree (over the
 * raw text) and by resolution (over the text after magic-variable substitution).
 *
 * ini.c reads the file as C strings: lines are split on "\n" only; a NUL byte ends the line's
 * content for every later step (strlen); leading and trailing space, tab and CR are stripped; a
 * first character `[` makes a section header whose name is the text minus its first and last
 * character (not trimmed, and nothing checks the `]`); `;` or `#` first makes a comment; anything
 * else is `key = value`, split at the first `=`, key right-stripped, value stripped on both sides.
 * A line without `=` is a key with the empty value. There are no inline comments and no quotes.
 */

export type LineShape =
  | { kind: 'blank' }
  | { kind: 'comment'; marker: ';' | '#'; start: number; end: number }
  | { kind: 'section'; start: number; end: number; nameStart: number; nameEnd: number; closed: boolean }
  | { kind: 'entry'; start: number; end: number; keyStart: number; keyEnd: number; valueStart: number; valueEnd: number; equals: number };

function isIniSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

/**
 * Shape of the line `text[lineStart, lineEnd)` (without its "\n"). Offsets in the result are
 * absolute indexes into `text`. `nulAt` receives the offset of a NUL byte that truncated the line.
 */
export function shapeLine(text: string, lineStart: number, lineEnd: number): LineShape & { nulAt?: number } {
  let end = lineEnd;
  let nulAt: number | undefined;
  for (let i = lineStart; i < lineEnd; i++) {
    if (text.charCodeAt(i) === 0) {
      end = i;
      nulAt = i;
      break;
    }
  }
  let s = lineStart;
  while (s < end && isIniSpace(text.charCodeAt(s))) s++;
  let e = end;
  while (e > s && isIniSpace(text.charCodeAt(e - 1))) e--;
  if (s === e) return { kind: 'blank', nulAt };
  const first = text.charCodeAt(s);
  if (first === 91 /* [ */) {
    // name = everything after "[" minus the last character, whatever it is
    const nameEnd = e - 1 > s ? e - 1 : s + 1;
    return { kind: 'section', start: s, end: e, nameStart: s + 1, nameEnd: Math.max(s + 1, nameEnd), closed: e - s >= 2 && text.charCodeAt(e - 1) === 93, nulAt };
  }
  if (first === 59 /* ; */ || first === 35 /* # */) {
    return { kind: 'comment', marker: first === 59 ? ';' : '#', start: s, end: e, nulAt };
  }
  let eq = -1;
  for (let i = s; i < e; i++) {
    if (text.charCodeAt(i) === 61 /* = */) {
      eq = i;
      break;
    }
  }
  if (eq < 0) {
    return { kind: 'entry', start: s, end: e, keyStart: s, keyEnd: e, valueStart: e, valueEnd: e, equals: -1, nulAt };
  }
  let ke = eq;
  while (ke > s && isIniSpace(text.charCodeAt(ke - 1))) ke--;
  let vs = eq + 1;
  while (vs < e && isIniSpace(text.charCodeAt(vs))) vs++;
  return { kind: 'entry', start: s, end: e, keyStart: s, keyEnd: ke, valueStart: vs, valueEnd: e, equals: eq, nulAt };
}
