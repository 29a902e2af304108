/**
 * Source positions shared by every parser, the model, the rules and the formatters.
 * Lines and columns are 1-based as editors show them; offsets are 0-based UTF-16 indexes into the
 * decoded text (what JavaScript string indexing gives), so `text.slice(start.offset, end.offset)`
 * is the exact source of a node.
 */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** Half-open range: `end` is the position just after the last character. */
export interface Range {
  start: Position;
  end: Position;
}

/** A range in a named file. `file` is the path as the user gave it (or as an Include resolved it). */
export interface SourceLocation {
  file: string;
  range: Range;
}

/**
 * Index of line starts, for turning offsets into line/column in O(log n). By default a lone CR ends
 * a line as it does in editors; `loneCrBreaksLine: false` counts LF only, as httpd counts lines
 * (its line numbers are what `apache2 -t` reports, so the Apache parser must match them).
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string, options: { loneCrBreaksLine?: boolean } = {}) {
    const loneCr = options.loneCrBreaksLine ?? true;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (loneCr && c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }
  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1, offset };
  }
  range(startOffset: number, endOffset: number): Range {
    return { start: this.position(startOffset), end: this.position(endOffset) };
  }
  /** A location whose line and column are worked out only when read (see Span). */
  location(file: string, startOffset: number, endOffset: number): SourceLocation {
    return new Span(file, this, startOffset, endOffset);
  }
}

/**
 * A range of a file kept as two offsets and the file's shared line index: line and column are
 * computed the first time `range` is read (a finding is reported, a tree is printed), never for the
 * millions of words and options that nobody asks about. Serialises as a plain SourceLocation.
 */
export class Span implements SourceLocation {
  #index: LineIndex;
  #start: number;
  #end: number;
  constructor(readonly file: string, index: LineIndex, start: number, end: number) {
    this.#index = index;
    this.#start = start;
    this.#end = end;
  }
  /** Worked out on each read, not kept: few locations are ever read, and keeping them costs memory. */
  get range(): Range {
    return this.#index.range(this.#start, this.#end);
  }
  get startOffset(): number {
    return this.#start;
  }
  get endOffset(): number {
    return this.#end;
  }
  /** The whole text of the file the span is in (for fixes that copy a line's indentation and line ending). */
  get sourceText(): string {
    return this.#index.text;
  }
  toJSON(): SourceLocation {
    return { file: this.file, range: this.range };
  }
}

/** A location's start and end offsets, without working out line and column for a Span. */
export function startOffsetOf(location: SourceLocation): number {
  return location instanceof Span ? location.startOffset : location.range.start.offset;
}

export function endOffsetOf(location: SourceLocation): number {
  return location instanceof Span ? location.endOffset : location.range.end.offset;
}

/** The same range in another file name (as the user wrote the path): a plain location. */
export function relocated(location: SourceLocation, file: string): SourceLocation {
  return { file, range: location.range };
}

export function pointRange(line: number, column: number, offset = 0): Range {
  const p = { line, column, offset };
  return { start: p, end: p };
}
