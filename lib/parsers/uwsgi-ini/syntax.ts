/**
 * Lossless syntax tree of a uWSGI ini file: one node per line (split on "\n" as uWSGI does), each
 * with its exact text, its line ending and its range. `printUwsgiIni` gives back the input exactly.
 * The tree shows the raw text; what uWSGI actually reads (after magic `%X` substitution, which can
 * merge lines) is computed by resolve.ts.
 */
import type { Finding, Severity } from '../../core/finding';
import { LineIndex } from '../../core/source';
import type { Range, SourceLocation } from '../../core/source';
import { shapeLine } from './lines';
import { decodeBytes, looksBinary, type TextEncoding } from '../../core/text';

export type UwsgiIniLineKind = 'section' | 'entry' | 'comment' | 'blank' | 'junk';

interface LineNodeBase {
  kind: UwsgiIniLineKind;
  /** The line's text without its line ending. */
  text: string;
  /** '' (last line without newline), '\n' or '\r\n'. A lone '\r' is not a line ending for uWSGI and stays in `text`. */
  eol: '' | '\n' | '\r\n';
  /** Range of `text`. */
  range: Range;
  /** 0-based index of this line in `lines` (uWSGI's own line count: "\n"-separated). */
  index: number;
  /** The section this line is in: undefined before the first header. For a header, the section it opens. */
  section: string | undefined;
}

export interface UwsgiIniSectionHeader extends LineNodeBase {
  kind: 'section';
  /** Name as uWSGI reads it: the stripped text minus its first and last character (so `[ uwsgi ]` is " uwsgi "). */
  name: string;
  nameRange: Range;
  /** Whether the header really ends in `]` (uWSGI does not check). */
  closed: boolean;
}

export interface UwsgiIniEntry extends LineNodeBase {
  kind: 'entry';
  key: string;
  keyRange: Range;
  /** Raw value text (before magic variables, placeholders and env expansion). */
  value: string;
  valueRange: Range;
  /** True when the line has no `=` (a bare flag such as `master`). */
  bare: boolean;
}

export interface UwsgiIniComment extends LineNodeBase {
  kind: 'comment';
  marker: ';' | '#';
}

export interface UwsgiIniBlank extends LineNodeBase {
  kind: 'blank';
}

/** A line uWSGI reads as something other than it looks: a header hidden behind a UTF-8 BOM. */
export interface UwsgiIniJunk extends LineNodeBase {
  kind: 'junk';
  reason: string;
}

export type UwsgiIniLine = UwsgiIniSectionHeader | UwsgiIniEntry | UwsgiIniComment | UwsgiIniBlank | UwsgiIniJunk;

export interface UwsgiIniDocument {
  file: string;
  /** The decoded text, exactly as read. */
  text: string;
  /** How the bytes were decoded: UTF-8 when valid, otherwise latin1 (one char per byte, so nothing is lost). */
  encoding: TextEncoding;
  bom: boolean;
  lines: UwsgiIniLine[];
  findings: Finding[];
  /** False when the file was too large to split into nodes; `lines` then holds one junk node with everything. */
  complete: boolean;
  lineIndex: LineIndex;
}

export interface ParseUwsgiIniOptions {
  encoding?: TextEncoding;
  /** Above this many characters the file is not split into nodes (a finding says so). Default 8 Mi. */
  maxChars?: number;
}

/** Real uWSGI configs are kilobytes; past this the file is kept whole but not split (memory stays bounded). */
export const DEFAULT_MAX_CHARS = 8 * 1024 * 1024;

export function finding(ruleId: string, severity: Severity, message: string, location: SourceLocation): Finding {
  return { ruleId, severity, message, location };
}

/** Decode file bytes: UTF-8 if valid (a BOM is kept as U+FEFF), else latin1 so every byte survives. */
/** How uWSGI's ini reader decodes a file (lib/core/text.ts decodeBytes). */
export const decodeUwsgiIni = decodeBytes;

/** Encode a document back to the exact bytes it was read from. */
export function encodeUwsgiIni(doc: Pick<UwsgiIniDocument, 'encoding'>, text: string): Buffer {
  return Buffer.from(text, doc.encoding === 'latin1' ? 'latin1' : 'utf8');
}


export { looksBinary };

/** Parse ini text into a lossless line tree. Never throws; problems become findings with positions. */
export function parseUwsgiIni(text: string, file: string, options: ParseUwsgiIniOptions = {}): UwsgiIniDocument {
  try {
    return parseLines(text, file, options);
  } catch (err) {
    // a bug must not take a lint run down: keep the text whole and say where it starts
    const lineIndex = new LineIndex(text);
    return {
      file, text, encoding: options.encoding ?? 'utf8', bom: text.charCodeAt(0) === 0xfeff, complete: false, lineIndex,
      lines: text === '' ? [] : [makeNode(lineIndex, 'junk', text, [0, text.length], '', 0, undefined, { reason: 'internal-error' })],
      findings: [finding('internal-error', 'error', `deploylint could not parse this file: ${(err as Error).message}`, { file, range: lineIndex.range(0, 0) })],
    };
  }
}

function parseLines(text: string, file: string, options: ParseUwsgiIniOptions): UwsgiIniDocument {
  const lineIndex = new LineIndex(text);
  const loc = (start: number, end: number): SourceLocation => ({ file, range: lineIndex.range(start, end) });
  const bom = text.charCodeAt(0) === 0xfeff;
  const doc: UwsgiIniDocument = {
    file, text, encoding: options.encoding ?? 'utf8', bom, lines: [], findings: [], complete: true, lineIndex,
  };
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  if (looksBinary(text)) {
    doc.findings.push(finding('binary-file', 'warning',
      `${file} looks like a binary file, not an ini file; uWSGI would read it line by line anyway`, loc(0, Math.min(1, text.length))));
  }
  if (text.length > maxChars) {
    doc.complete = false;
    doc.findings.push(finding('file-too-large', 'warning',
      `${file} has ${text.length} characters, more than the ${maxChars} deploylint splits into lines; it is kept but not analysed`, loc(0, 0)));
    doc.lines.push(makeNode(lineIndex, 'junk', text, [0, text.length], '', 0, undefined, { reason: 'too-large' }));
    return doc;
  }

  let section: string | undefined;
  let index = 0;
  let pos = 0;
  let nulReported = false;
  let bomHidHeader = false;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let contentEnd = nl;
    let eol: '' | '\n' | '\r\n' = nl < text.length ? '\n' : '';
    if (eol === '\n' && nl > pos && text.charCodeAt(nl - 1) === 13) {
      contentEnd = nl - 1;
      eol = '\r\n';
    }
    const lineText = text.slice(pos, contentEnd);
    // lone CR inside the line: an editor shows a line break, uWSGI does not
    for (let i = pos; i < contentEnd; i++) {
      if (text.charCodeAt(i) === 13 && i + 1 < contentEnd) {
        doc.findings.push(finding('ini-lone-cr', 'warning',
          'a carriage return without a newline is not a line break for uWSGI: the text after it stays on the same line', loc(i, i + 1)));
        break;
      }
    }
    const shape = shapeLine(text, pos, contentEnd);
    if (shape.nulAt !== undefined && !nulReported) {
      nulReported = true;
      doc.findings.push(finding('ini-nul-byte', 'warning',
        'NUL byte: uWSGI reads each line as a C string and ignores everything after it on the line', loc(shape.nulAt, shape.nulAt + 1)));
    }
    let node: UwsgiIniLine;
    if (index === 0 && bom && shape.kind !== 'blank') {
      const looksHeader = text.charCodeAt(1 + countSpaces(text, 1, contentEnd)) === 91;
      bomHidHeader = looksHeader;
      node = makeNode(lineIndex, 'junk', lineText, [pos, contentEnd], eol, index, section, { reason: 'bom' });
      doc.findings.push(finding(looksHeader ? 'ini-bom-hides-section' : 'ini-bom', looksHeader ? 'error' : 'warning',
        looksHeader
          ? 'the UTF-8 byte-order mark before this section header hides it: uWSGI reads no option from this section; save the file without a BOM'
          : 'the UTF-8 byte-order mark becomes part of the first line for uWSGI; save the file without a BOM',
        loc(pos, contentEnd)));
    } else if (shape.kind === 'section') {
      const name = text.slice(shape.nameStart, shape.nameEnd);
      section = name;
      node = makeNode(lineIndex, 'section', lineText, [pos, contentEnd, shape.nameStart, shape.nameEnd], eol, index, section, {
        name, closed: shape.closed,
      });
      if (!shape.closed) {
        doc.findings.push(finding('syntax-error', 'error',
          `section header does not end in "]": uWSGI drops the last character and reads the section name "${name}"`, loc(shape.start, shape.end)));
      } else if (name !== name.trim()) {
        doc.findings.push(finding('ini-section-name-spaces', 'warning',
          `uWSGI does not trim section names: this is section "${name}", not "${name.trim()}"`, loc(shape.nameStart, shape.nameEnd)));
      }
    } else if (shape.kind === 'comment') {
      node = makeNode(lineIndex, 'comment', lineText, [pos, contentEnd], eol, index, section, { marker: shape.marker });
    } else if (shape.kind === 'blank') {
      node = makeNode(lineIndex, 'blank', lineText, [pos, contentEnd], eol, index, section, {});
    } else {
      const key = text.slice(shape.keyStart, shape.keyEnd);
      node = makeNode(lineIndex, 'entry', lineText, [pos, contentEnd, shape.keyStart, shape.keyEnd, shape.valueStart, shape.valueEnd], eol, index, section, {
        key, value: text.slice(shape.valueStart, shape.valueEnd), bare: shape.equals < 0,
      });
      if (key === '') {
        doc.findings.push(finding('syntax-error', 'warning', 'entry without a key: uWSGI stores it under the empty name and ignores it',
          loc(shape.start, shape.end)));
      }
      // keys under a header the BOM hid are covered by the BOM finding
      if (section === undefined && !bomHidHeader) {
        doc.findings.push(finding('ini-key-outside-section', 'warning',
          `"${key}" comes before any section header: uWSGI ignores it`, loc(shape.keyStart, shape.keyEnd)));
      }
    }
    // A "%" right before the newline eats the newline (magic variable "%\n" is empty): lines merge.
    // (before "\r\n" the "%" eats the "\r" only, which is harmless)
    if (eol === '\n' && contentEnd > pos) {
      const lastIndex = nl - 1;
      if (text.charCodeAt(lastIndex) === 37 && !escapedPercent(text, pos, lastIndex) && (node.kind === 'entry' || node.kind === 'section')) {
        doc.findings.push(finding('ini-percent-joins-lines', 'warning',
          `the "%" at the end of this line makes uWSGI remove the line break (magic variable "%\\n" is empty), so the next line is glued to this value; write "%%"`,
          loc(lastIndex, lastIndex + 1)));
      }
    }
    doc.lines.push(node);
    index++;
    pos = nl + 1;
  }
  return doc;
}

/** Is the "%" at `at` the second half of "%%" (counting the run of % before it)? */
function escapedPercent(text: string, lineStart: number, at: number): boolean {
  let run = 0;
  for (let i = at - 1; i >= lineStart && text.charCodeAt(i) === 37; i--) run++;
  return run % 2 === 1;
}

function countSpaces(text: string, from: number, end: number): number {
  let n = 0;
  while (from + n < end && (text.charCodeAt(from + n) === 32 || text.charCodeAt(from + n) === 9)) n++;
  return n;
}

/**
 * Nodes keep offsets and compute their ranges on first use: a large file has many lines, and most
 * ranges are never read.
 */
class LineNode {
  name?: string;
  closed?: boolean;
  key?: string;
  value?: string;
  bare?: boolean;
  marker?: ';' | '#';
  reason?: string;
  private cache?: Range[];
  constructor(
    private readonly lineIndex: LineIndex,
    readonly kind: UwsgiIniLineKind,
    readonly text: string,
    private readonly offsets: number[],
    readonly eol: '' | '\n' | '\r\n',
    readonly index: number,
    readonly section: string | undefined,
  ) {}
  private rangeAt(i: number): Range {
    this.cache ??= [];
    return (this.cache[i] ??= this.lineIndex.range(this.offsets[2 * i], this.offsets[2 * i + 1]));
  }
  get range(): Range {
    return this.rangeAt(0);
  }
  get nameRange(): Range | undefined {
    return this.kind === 'section' ? this.rangeAt(1) : undefined;
  }
  get keyRange(): Range | undefined {
    return this.kind === 'entry' ? this.rangeAt(1) : undefined;
  }
  get valueRange(): Range | undefined {
    return this.kind === 'entry' ? this.rangeAt(2) : undefined;
  }
}

function makeNode(
  lineIndex: LineIndex, kind: UwsgiIniLineKind, text: string, offsets: number[], eol: '' | '\n' | '\r\n',
  index: number, section: string | undefined, extra: Partial<Pick<LineNode, 'name' | 'closed' | 'key' | 'value' | 'bare' | 'marker' | 'reason'>>,
): UwsgiIniLine {
  const node = new LineNode(lineIndex, kind, text, offsets, eol, index, section);
  Object.assign(node, extra);
  return node as unknown as UwsgiIniLine;
}

/** The document's text rebuilt from its nodes: byte for byte the input. */
export function printUwsgiIni(doc: UwsgiIniDocument): string {
  let out = '';
  const parts: string[] = [];
  for (const line of doc.lines) {
    parts.push(line.text, line.eol);
    if (parts.length > 4096) {
      out += parts.join('');
      parts.length = 0;
    }
  }
  return out + parts.join('');
}

/** The exact bytes of the input file (for documents parsed from decodeUwsgiIni's text). */
export function printUwsgiIniBytes(doc: UwsgiIniDocument): Buffer {
  return encodeUwsgiIni(doc, printUwsgiIni(doc));
}
