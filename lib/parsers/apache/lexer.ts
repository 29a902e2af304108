/**
 * httpd's line reader and word splitter, reproduced rule for rule (server/util.c: ap_cfg_getline,
 * ap_getword_conf, substring_conf). Everything here is linear in the input size.
 *
 * Lines: only LF ends a physical line (a lone CR is an ordinary whitespace character for httpd, so
 * line numbers here count LF only, exactly as httpd's error messages do). A backslash directly before
 * LF or CRLF joins the next physical line without adding a space. The joined line is trimmed of
 * whitespace (space, tab, CR, VT, FF). A NUL byte ends the logical line's content for httpd (C
 * strings), so text after a NUL is ignored up to the end of that logical line.
 */
import { LineIndex } from '../../core/source';

/** One logical line: one or more physical lines joined by backslash continuations. */
export interface LogicalLine {
  /** Offset of the first character of the first physical line. */
  start: number;
  /** Offset just after the content of the last physical line (before its LF / CRLF). */
  contentEnd: number;
  /** Offset just after the line terminator (or end of text). */
  end: number;
  /** 1-based number of the first and last physical line. httpd reports the last one. */
  firstLine: number;
  lastLine: number;
  /** Joined text, continuation backslashes and line breaks removed, not trimmed, cut at NUL. */
  joined: string;
  /** Start offsets of each physical piece: joined index `pieceJoinStart[i]` is file offset `pieceFileStart[i]`. */
  pieceJoinStart: number[];
  pieceFileStart: number[];
  /** Trimmed content, as httpd sees it, and where it starts in `joined`. */
  text: string;
  textStartInJoined: number;
  /** Number of backslash continuations used. */
  continuations: number;
  /** Index in the joined text of the first NUL byte, where httpd stops reading the line. */
  nulAt?: number;
}

export function isHttpdSpace(c: number): boolean {
  // apr_isspace: space, \t, \n, \v, \f, \r
  return c === 32 || (c >= 9 && c <= 13);
}

/** Split text into logical lines. Linear: each character is looked at a bounded number of times. */
export function splitLogicalLines(text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  const n = text.length;
  let pos = 0;
  let lineNo = 1;
  while (pos < n) {
    const start = pos;
    const firstLine = lineNo;
    let nl = text.indexOf('\n', pos);
    let physEnd = nl < 0 ? n : nl;
    let contentStop = physEnd;
    if (nl >= 0 && contentStop > pos && text.charCodeAt(contentStop - 1) === 13) contentStop--;
    let continued = nl >= 0 && contentStop > pos && text.charCodeAt(contentStop - 1) === 92;
    let joined: string;
    let pieceJoinStart: number[];
    let pieceFileStart: number[];
    let continuations = 0;
    let contentEnd: number;
    let end: number;
    if (!continued) {
      // the common case: one physical line, no piece bookkeeping
      joined = text.slice(pos, physEnd);
      pieceJoinStart = SINGLE_PIECE;
      pieceFileStart = [pos];
      contentEnd = physEnd;
      end = nl < 0 ? n : nl + 1;
    } else {
      pieceJoinStart = [];
      pieceFileStart = [];
      const parts: string[] = [];
      let joinedLen = 0;
      contentEnd = pos;
      end = pos;
      for (;;) {
        pieceJoinStart.push(joinedLen);
        pieceFileStart.push(pos);
        if (continued) {
          // the backslash goes away, and so does the line break; no space is inserted
          const piece = text.slice(pos, contentStop - 1);
          parts.push(piece);
          joinedLen += piece.length;
          continuations++;
          pos = nl + 1;
          lineNo++;
          if (pos >= n) {
            contentEnd = n;
            end = n;
            break;
          }
          nl = text.indexOf('\n', pos);
          physEnd = nl < 0 ? n : nl;
          contentStop = physEnd;
          if (nl >= 0 && contentStop > pos && text.charCodeAt(contentStop - 1) === 13) contentStop--;
          continued = nl >= 0 && contentStop > pos && text.charCodeAt(contentStop - 1) === 92;
          continue;
        }
        const piece = text.slice(pos, physEnd);
        parts.push(piece);
        joinedLen += piece.length;
        contentEnd = physEnd;
        end = nl < 0 ? n : nl + 1;
        break;
      }
      joined = parts.join('');
    }
    const nul = joined.indexOf('\0');
    let nulAt: number | undefined;
    if (nul >= 0) {
      nulAt = nul;
      joined = joined.slice(0, nul);
    }
    let a = 0;
    let b = joined.length;
    while (a < b && isHttpdSpace(joined.charCodeAt(a))) a++;
    while (b > a && isHttpdSpace(joined.charCodeAt(b - 1))) b--;
    lines.push({
      start,
      contentEnd,
      end,
      firstLine,
      lastLine: lineNo,
      joined,
      pieceJoinStart,
      pieceFileStart,
      text: a === 0 && b === joined.length ? joined : joined.slice(a, b),
      textStartInJoined: a,
      continuations,
      ...(nulAt !== undefined ? { nulAt } : {}),
    });
    pos = end;
    if (end > start && text.charCodeAt(end - 1) === 10) lineNo++;
  }
  return lines;
}

const SINGLE_PIECE: number[] = [0];

/** File offset of an index into a logical line's `joined` text. */
export function joinedToOffset(line: LogicalLine, joinedIndex: number): number {
  const starts = line.pieceJoinStart;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= joinedIndex) lo = mid;
    else hi = mid - 1;
  }
  return line.pieceFileStart[lo] + (joinedIndex - starts[lo]);
}

/** One word as ap_getword_conf returns it. */
export interface ConfWord {
  /** The word after quote removal and `\\` / `\<quote>` escapes. */
  value: string;
  /** Exact source of the word, quotes included. */
  raw: string;
  quoted: boolean;
  /** Opening quote never closed (not an error for httpd: the word runs to end of line). */
  unterminated: boolean;
  /** Index range in the input string. */
  start: number;
  end: number;
}

/** ap_getword_conf from position `pos`; returns the word and the position after following whitespace. */
export function getWordConf(s: string, pos: number): { word: ConfWord | null; next: number } {
  const n = s.length;
  while (pos < n && isHttpdSpace(s.charCodeAt(pos))) pos++;
  if (pos >= n) return { word: null, next: pos };
  const q = s.charCodeAt(pos);
  let word: ConfWord;
  let strend: number;
  if (q === 34 || q === 39) {
    strend = pos + 1;
    while (strend < n && s.charCodeAt(strend) !== q) {
      const c = s.charCodeAt(strend);
      if (c === 92 && strend + 1 < n) {
        const d = s.charCodeAt(strend + 1);
        if (d === q || d === 92) {
          strend += 2;
          continue;
        }
      }
      strend++;
    }
    const value = substringConfQuoted(s, pos + 1, strend, q);
    const closed = strend < n && s.charCodeAt(strend) === q;
    if (closed) strend++;
    word = { value, raw: s.slice(pos, strend), quoted: true, unterminated: !closed, start: pos, end: strend };
  } else {
    strend = pos;
    while (strend < n && !isHttpdSpace(s.charCodeAt(strend))) strend++;
    word = { value: substringConfQuoted(s, pos, strend, 0), raw: s.slice(pos, strend), quoted: false, unterminated: false, start: pos, end: strend };
  }
  let next = strend;
  while (next < n && isHttpdSpace(s.charCodeAt(next))) next++;
  return { word, next };
}

function substringConfQuoted(s: string, start: number, end: number, quote: number): string {
  let out = '';
  let plain = start;
  for (let i = start; i < end; i++) {
    if (s.charCodeAt(i) === 92 && i + 1 < end) {
      const d = s.charCodeAt(i + 1);
      if (d === 92 || d === quote) {
        out += s.slice(plain, i) + s[i + 1];
        i++;
        plain = i + 1;
      }
    }
  }
  return out + s.slice(plain, end);
}

/** Every word of a string, in order. */
export function splitWords(s: string, from = 0): ConfWord[] {
  const words: ConfWord[] = [];
  let pos = from;
  for (;;) {
    const { word, next } = getWordConf(s, pos);
    if (!word) break;
    words.push(word);
    pos = next;
  }
  return words;
}

/** Positions counted the way httpd counts lines (LF only), 1-based lines and columns. */
export class HttpdLineIndex extends LineIndex {
  constructor(text: string) {
    super(text, { loneCrBreaksLine: false });
  }
}
