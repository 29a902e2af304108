/**
 * Lossless syntax tree of one Apache config file: every byte of the input belongs to exactly one
 * node (comment, blank line, directive, section open/close), so printApacheConfig gives the input
 * back unchanged. Sections are nested as written, conditionals included (nothing is evaluated here;
 * see resolve.ts for what httpd makes of the file).
 */
import type { Finding } from '../../core/finding';
import { decodeBytes } from '../../core/text';
import type { SourceLocation } from '../../core/source';
import { HttpdLineIndex, joinedToOffset, splitLogicalLines, splitWords, type ConfWord, type LogicalLine } from './lexer';

export interface ApacheSyntaxWord {
  value: string;
  raw: string;
  quoted: boolean;
  /** An opening quote without its closing quote (httpd takes the rest of the line). */
  unterminated: boolean;
  location: SourceLocation;
}

interface SyntaxNodeBase {
  /** Exact source of the node's line(s), line terminator included. */
  raw: string;
  /** The logical line without its final line terminator. */
  location: SourceLocation;
  /** Physical line httpd reports for this line (the last one when continued). */
  line: number;
  /** Backslash continuations inside this logical line. */
  continuations: number;
}

export interface ApacheCommentNode extends SyntaxNodeBase {
  kind: 'comment';
  /** Trimmed text, `#` included. */
  text: string;
}

export interface ApacheBlankNode extends SyntaxNodeBase {
  kind: 'blank';
}

export interface ApacheDirectiveNode extends SyntaxNodeBase {
  kind: 'directive';
  name: string;
  lname: string;
  nameLocation: SourceLocation;
  args: ApacheSyntaxWord[];
  /** Everything after the name and its following whitespace, as httpd keeps it (`dir->args`). */
  argsText: string;
}

export interface ApacheSectionOpen extends SyntaxNodeBase {
  /** Name without `<` and `>` (`VirtualHost`). */
  name: string;
  nameLocation: SourceLocation;
  /** Words before the last `>` on the line. */
  args: ApacheSyntaxWord[];
  argsText: string;
  /** False when the line has no `>` after the name. */
  hasClosingBracket: boolean;
}

export interface ApacheSectionClose extends SyntaxNodeBase {
  /** Name as written in `</Name>`, without `</` and `>`. */
  name: string;
  /** False for `</Name` or `</Name >` (httpd: "directive missing closing '>'"). */
  wellFormed: boolean;
}

export interface ApacheSectionNode {
  kind: 'section';
  name: string;
  lname: string;
  open: ApacheSectionOpen;
  children: ApacheSyntaxNode[];
  close?: ApacheSectionClose;
}

/** A closing tag that closes nothing (stray or mismatched); kept so the file still prints back. */
export interface ApacheStrayCloseNode extends ApacheSectionClose {
  kind: 'stray-close';
}

export type ApacheSyntaxNode = ApacheCommentNode | ApacheBlankNode | ApacheDirectiveNode | ApacheSectionNode | ApacheStrayCloseNode;

export interface ApacheDocument {
  file: string;
  text: string;
  /** How bytes were decoded: UTF-8 when valid, else latin1 (so every byte survives a round trip). */
  encoding: 'utf8' | 'latin1';
  nodes: ApacheSyntaxNode[];
  findings: Finding[];
}

/** Decode file bytes so that printing re-encodes to the same bytes. */
/** How httpd's reader decodes a config file (lib/core/text.ts decodeBytes). */
export const decodeConfigBytes = decodeBytes;

export function syntaxError(ruleId: string, message: string, location: SourceLocation): Finding {
  return { ruleId, severity: 'error', message, location };
}

/** Context shared by the syntax tree and the resolver for turning a logical line into words. */
export class LineReader {
  readonly index: HttpdLineIndex;
  constructor(readonly file: string, readonly text: string) {
    this.index = new HttpdLineIndex(text);
  }
  loc(start: number, end: number): SourceLocation {
    return this.index.location(this.file, start, end);
  }
  lineLocation(line: LogicalLine): SourceLocation {
    return this.loc(line.start, line.contentEnd);
  }
  /** Location of a [start, end) range of a logical line's joined text. */
  joinedLocation(line: LogicalLine, start: number, end: number): SourceLocation {
    const s = joinedToOffset(line, start);
    const e = end > start ? joinedToOffset(line, end - 1) + 1 : s;
    return this.loc(s, e);
  }
  word(line: LogicalLine, w: ConfWord): ApacheSyntaxWord {
    return { value: w.value, raw: w.raw, quoted: w.quoted, unterminated: w.unterminated, location: this.joinedLocation(line, w.start, w.end) };
  }
}

/** A word whose location is computed when asked for (a 50 MB file has millions of words). */
class SyntaxWord implements ApacheSyntaxWord {
  constructor(
    private readonly reader: LineReader,
    private readonly line: LogicalLine,
    private readonly w: ConfWord,
  ) {}
  get value(): string {
    return this.w.value;
  }
  get raw(): string {
    return this.w.raw;
  }
  get quoted(): boolean {
    return this.w.quoted;
  }
  get unterminated(): boolean {
    return this.w.unterminated;
  }
  get location(): SourceLocation {
    return this.reader.joinedLocation(this.line, this.w.start, this.w.end);
  }
  toJSON(): object {
    return { value: this.value, raw: this.raw, quoted: this.quoted, unterminated: this.unterminated, location: this.location };
  }
}

/** Common part of every line node: source text and location are derived from the line on demand. */
class LineNode {
  constructor(
    protected readonly reader: LineReader,
    protected readonly ll: LogicalLine,
  ) {}
  get raw(): string {
    return this.reader.text.slice(this.ll.start, this.ll.end);
  }
  get location(): SourceLocation {
    return this.reader.lineLocation(this.ll);
  }
  get line(): number {
    return this.ll.lastLine;
  }
  get continuations(): number {
    return this.ll.continuations;
  }
  /** Fields a subclass adds to its JSON form. */
  protected jsonFields(): Record<string, unknown> {
    return {};
  }
  /** Plain data for JSON (the reader and line bookkeeping stay out). */
  toJSON(): Record<string, unknown> {
    return { ...this.jsonFields(), location: this.location, line: this.line, continuations: this.continuations, raw: this.raw };
  }
}

class CommentNode extends LineNode implements ApacheCommentNode {
  readonly kind = 'comment' as const;
  get text(): string {
    return this.ll.text;
  }
  protected override jsonFields(): Record<string, unknown> {
    return { kind: this.kind, text: this.text };
  }
}

class BlankNode extends LineNode implements ApacheBlankNode {
  readonly kind = 'blank' as const;
  protected override jsonFields(): Record<string, unknown> {
    return { kind: this.kind };
  }
}

class WordsNode extends LineNode {
  constructor(
    reader: LineReader,
    ll: LogicalLine,
    protected readonly words: ConfWord[],
  ) {
    super(reader, ll);
  }
  get nameLocation(): SourceLocation {
    return this.reader.joinedLocation(this.ll, this.words[0].start, this.words[0].end);
  }
  get argsText(): string {
    const end = this.ll.textStartInJoined + this.ll.text.length;
    return this.words.length > 1 ? this.ll.joined.slice(this.words[1].start, end) : '';
  }
}

class DirectiveNode extends WordsNode implements ApacheDirectiveNode {
  readonly kind = 'directive' as const;
  readonly name: string;
  readonly lname: string;
  readonly args: ApacheSyntaxWord[];
  constructor(reader: LineReader, ll: LogicalLine, words: ConfWord[]) {
    super(reader, ll, words);
    this.name = words[0].value;
    this.lname = this.name.toLowerCase();
    this.args = words.slice(1).map((w) => new SyntaxWord(reader, ll, w));
  }
  protected override jsonFields(): Record<string, unknown> {
    return { kind: this.kind, name: this.name, nameLocation: this.nameLocation, args: this.args, argsText: this.argsText };
  }
}

class SectionOpen extends WordsNode implements ApacheSectionOpen {
  readonly args: ApacheSyntaxWord[];
  readonly hasClosingBracket: boolean;
  constructor(
    reader: LineReader,
    ll: LogicalLine,
    words: ConfWord[],
    readonly name: string,
  ) {
    super(reader, ll, words);
    const first = words[0];
    const lineEnd = ll.textStartInJoined + ll.text.length;
    // the section handler takes its arguments up to the last '>' on the line (strrchr)
    const lastGt = first.value.endsWith('>') ? first.end - 1 : ll.joined.lastIndexOf('>', lineEnd - 1);
    this.hasClosingBracket = lastGt >= 0 && lastGt >= first.end - 1;
    const argWords = !this.hasClosingBracket ? words.slice(1) : lastGt >= first.end ? splitWords(ll.joined.slice(0, lastGt), first.end) : [];
    this.args = argWords.map((w) => new SyntaxWord(reader, ll, w));
  }
  protected override jsonFields(): Record<string, unknown> {
    return { name: this.name, nameLocation: this.nameLocation, args: this.args, argsText: this.argsText, hasClosingBracket: this.hasClosingBracket };
  }
}

class SectionClose extends LineNode implements ApacheSectionClose {
  constructor(
    reader: LineReader,
    ll: LogicalLine,
    readonly name: string,
    readonly wellFormed: boolean,
  ) {
    super(reader, ll);
  }
  protected override jsonFields(): Record<string, unknown> {
    return { name: this.name, wellFormed: this.wellFormed };
  }
}

class StrayClose extends SectionClose implements ApacheStrayCloseNode {
  readonly kind = 'stray-close' as const;
  protected override jsonFields(): Record<string, unknown> {
    return { kind: this.kind, ...super.jsonFields() };
  }
}

export function parseApacheConfig(text: string, file: string, encoding: 'utf8' | 'latin1' = 'utf8'): ApacheDocument {
  const reader = new LineReader(file, text);
  const findings: Finding[] = [];
  const root: ApacheSyntaxNode[] = [];
  const stack: ApacheSectionNode[] = [];
  const current = () => (stack.length ? stack[stack.length - 1].children : root);
  for (const line of splitLogicalLines(text)) {
    if (line.text === '') {
      current().push(new BlankNode(reader, line));
      continue;
    }
    if (line.text.charCodeAt(0) === 35 /* # */) {
      current().push(new CommentNode(reader, line));
      continue;
    }
    const words = splitWords(line.joined, line.textStartInJoined);
    const first = words[0];
    if (!first) {
      current().push(new BlankNode(reader, line));
      continue;
    }
    const v = first.value;
    if (v.startsWith('</')) {
      const wellFormed = v.endsWith('>') && v.length > 3;
      const name = v.endsWith('>') ? v.slice(2, -1) : v.slice(2);
      const top = stack[stack.length - 1];
      let problem: string | null = null;
      if (!top) problem = `${v} without matching <${v.slice(2)} section`;
      else if (!v.endsWith('>')) problem = `</${v.slice(2)}> directive missing closing '>'`;
      else if (name.toLowerCase() !== top.lname) problem = `Expected </${top.open.name}> but saw </${name}>`;
      if (problem || !top) {
        const stray = new StrayClose(reader, line, name, wellFormed);
        findings.push(syntaxError('syntax-error', problem ?? '', stray.location));
        current().push(stray);
      } else {
        top.close = new SectionClose(reader, line, name, wellFormed);
        stack.pop();
      }
      continue;
    }
    if (v.startsWith('<')) {
      const name = v.endsWith('>') ? v.slice(1, -1) : v.slice(1);
      const open = new SectionOpen(reader, line, words, name);
      if (!open.hasClosingBracket) {
        findings.push(syntaxError('syntax-error', `<${name}> directive missing closing '>'`, open.location));
      }
      const section: ApacheSectionNode = { kind: 'section', name, lname: name.toLowerCase(), open, children: [] };
      current().push(section);
      stack.push(section);
      continue;
    }
    current().push(new DirectiveNode(reader, line, words));
  }
  if (stack.length) {
    const parts = stack
      .slice()
      .reverse()
      .map((s) => `${file}:${s.open.line}: <${s.open.name}> was not closed.`);
    findings.push(syntaxError('syntax-error', parts.join('\n'), stack[0].open.location));
  }
  return { file, text, encoding, nodes: root, findings: capFindings(findings) };
}

/** More than this many problems in one file says the file is not an Apache config at all. */
export const MAX_FINDINGS_PER_FILE = 100;

export function capFindings(findings: Finding[]): Finding[] {
  if (findings.length <= MAX_FINDINGS_PER_FILE) return findings;
  const kept = findings.slice(0, MAX_FINDINGS_PER_FILE);
  const last = findings[findings.length - 1];
  kept.push({
    ruleId: 'syntax-error',
    severity: 'error',
    message: `${findings.length - MAX_FINDINGS_PER_FILE} more problems not listed (is this an Apache config?)`,
    location: last.location,
  });
  return kept;
}

/** Iterative, so that nesting thousands of sections deep cannot exhaust the stack. */
function printNodes(nodes: ApacheSyntaxNode[], out: string[]): void {
  const stack: { nodes: ApacheSyntaxNode[]; i: number; closing?: ApacheSectionNode }[] = [{ nodes, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i >= top.nodes.length) {
      stack.pop();
      if (top.closing?.close) out.push(top.closing.close.raw);
      continue;
    }
    const n = top.nodes[top.i++];
    if (n.kind === 'section') {
      out.push(n.open.raw);
      stack.push({ nodes: n.children, i: 0, closing: n });
    } else {
      out.push(n.raw);
    }
  }
}

/** The document's text, rebuilt from its nodes: identical to the parsed input. */
export function printApacheConfig(doc: ApacheDocument): string {
  const out: string[] = [];
  printNodes(doc.nodes, out);
  return out.join('');
}

/** The document as bytes in its original encoding. */
export function printApacheConfigBytes(doc: ApacheDocument): Buffer {
  return Buffer.from(printApacheConfig(doc), doc.encoding);
}
