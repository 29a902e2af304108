/**
 * One rendered variant and the questions downstream code asks about it: where a rendered offset,
 * range, location or finding is in the template source, and which parts of a rendered range are
 * template expressions.
 */
import type { Finding } from '../core/finding';
import type { LineIndex, Range, SourceLocation } from '../core/source';
import type { BranchChoice, OffsetRun, RenderedSpan, ValuePart } from './types';

export class TemplateVariant {
  constructor(
    /** 0-based; variant 0 takes, at each decision, the first branch unless another covers more. */
    readonly index: number,
    /** Plain config text for parseApacheConfig / parseUwsgiIni. */
    readonly text: string,
    /** Rendered-to-source map: sorted, non-overlapping, covering the whole rendered text; sources increase. */
    readonly runs: readonly OffsetRun[],
    /** Template expressions in this variant, in rendered order. */
    readonly spans: readonly RenderedSpan[],
    /** The alternative taken at each decision reached, in source order. */
    readonly choices: readonly BranchChoice[],
    private readonly sourceIndex: LineIndex,
  ) {}

  /** Index of the run containing rendered offset `o` (as a start: o in [rendered, rendered+length)). */
  private runAt(o: number, asEnd: boolean): number {
    const runs = this.runs;
    let lo = 0;
    let hi = runs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const r = runs[mid];
      if (asEnd ? r.rendered < o : r.rendered <= o) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Source offset of the character at rendered offset `o` (the end of the source for the end of the text). */
  sourceOffset(o: number): number {
    if (o >= this.text.length || this.runs.length === 0) return this.sourceIndex.text.length;
    const r = this.runs[this.runAt(Math.max(0, o), false)];
    return r.source + Math.min(Math.max(0, o - r.rendered), r.length);
  }

  /** Source offset for a rendered offset used as the (exclusive) end of a range. */
  sourceEndOffset(o: number): number {
    if (this.runs.length === 0) return this.sourceIndex.text.length;
    if (o <= 0) return this.runs[0].source;
    const r = this.runs[this.runAt(o, true)];
    return r.source + Math.min(Math.max(0, o - r.rendered), r.length);
  }

  /** The source range of a rendered range (an empty range stays empty). */
  sourceRange(start: number, end: number): { start: number; end: number } {
    const s = this.sourceOffset(start);
    if (end <= start) return { start: s, end: s };
    return { start: s, end: Math.max(s, this.sourceEndOffset(end)) };
  }

  /**
   * A range of `text` (a node's range in the parsed variant), moved to the template source. A range
   * that starts with its line's indentation (the parsers' directive and entry locations do) starts
   * on the source line of its first non-blank character: after `{% if x -%}` or a trimmed block tag
   * the indentation before it comes from the tag's line, and the finding belongs to the next one.
   */
  mapRange(range: Range): Range {
    const start = range.start.offset;
    const end = range.end.offset;
    let r = this.sourceRange(start, end);
    let k = start;
    while (k < end && (this.text[k] === ' ' || this.text[k] === '\t')) k++;
    if (k > start && k < end) {
      const first = this.sourceOffset(k);
      const source = this.sourceIndex.text;
      let lineStart = first;
      while (lineStart > 0 && (source[lineStart - 1] === ' ' || source[lineStart - 1] === '\t')) lineStart--;
      const atLineStart = lineStart === 0 || source[lineStart - 1] === '\n' || source[lineStart - 1] === '\r';
      const s = atLineStart ? lineStart : first;
      if (s > r.start && s <= r.end) r = { start: s, end: r.end };
    }
    return this.sourceIndex.range(r.start, r.end);
  }

  private lineStarts?: number[];

  /**
   * The template line of rendered line `line` (1-based), placed as mapRange places a location that
   * starts there: for the `(file.conf:16)` a scope label quotes, built from the rendered text.
   */
  sourceLine(line: number): number {
    if (!this.lineStarts) {
      const starts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text[i] === '\n') starts.push(i + 1);
      this.lineStarts = starts;
    }
    const start = this.lineStarts[Math.min(Math.max(line, 1), this.lineStarts.length) - 1];
    const end = this.lineStarts[line] !== undefined ? this.lineStarts[line] - 1 : this.text.length;
    const point = { line, column: 1, offset: start };
    return this.mapRange({ start: point, end: { ...point, offset: Math.max(start, end) } }).start.line;
  }

  /** A location a parser reported on `text`, moved to the template source (line and column recomputed). */
  mapLocation(location: SourceLocation, file = location.file): SourceLocation {
    return { file, range: this.mapRange(location.range) };
  }

  /** A finding of a parser or rule on this variant, with its location and related locations in the source. */
  mapFinding(finding: Finding, file?: string): Finding {
    return {
      ...finding,
      location: this.mapLocation(finding.location, file),
      ...(finding.related ? { related: finding.related.map((r) => ({ ...r, location: this.mapLocation(r.location, file) })) } : {}),
    };
  }

  /** Template expressions overlapping rendered `[start, end)` (or containing `start` when the range is empty). */
  spansIn(start: number, end: number): RenderedSpan[] {
    const spans = this.spans;
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid].renderedEnd <= start) lo = mid + 1;
      else hi = mid;
    }
    const out: RenderedSpan[] = [];
    for (let i = lo; i < spans.length && (spans[i].renderedStart < end || (start === end && spans[i].renderedStart <= start)); i++) {
      if (spans[i].renderedEnd > start) out.push(spans[i]);
    }
    return out;
  }

  /** Whether any part of rendered `[start, end)` comes from a template expression. */
  isTemplated(start: number, end: number): boolean {
    return this.spansIn(start, end).length > 0;
  }

  /**
   * Rendered `[start, end)` cut into literal and templated parts. For the argument of
   * `WSGIScriptAlias / {{ wsgi_directory }}/nova-metadata-wsgi` it gives the templated part
   * (span.markup `{{ wsgi_directory }}`) and the literal `/nova-metadata-wsgi`.
   */
  parts(start: number, end: number): ValuePart[] {
    const out: ValuePart[] = [];
    const push = (s: number, e: number, span?: RenderedSpan) => {
      if (e <= s) return;
      const src = this.sourceRange(s, e);
      out.push({ text: this.text.slice(s, e), templated: !!span, ...(span ? { span } : {}), renderedStart: s, renderedEnd: e, sourceStart: src.start, sourceEnd: src.end });
    };
    let cursor = start;
    for (const span of this.spansIn(start, end)) {
      const s = Math.max(start, span.renderedStart);
      const e = Math.min(end, span.renderedEnd);
      push(cursor, s);
      push(s, e, span);
      cursor = e;
    }
    push(cursor, end);
    return out;
  }
}
