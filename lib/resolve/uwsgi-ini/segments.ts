/**
 * A value as a list of ValueSegments whose texts concatenate to the value. Substitutions (logic
 * `%(_)`, `$(ENV)`, `@(file)`, `%(key)`) replace a character range with new segments; literal
 * segments cut in two keep exact sub-locations.
 */
import { endOffsetOf, startOffsetOf, type LineIndex, type SourceLocation } from '../../core/source';
import type { ValueSegment } from './types';

/** Where to find a file's line index, to compute sub-locations of literal text. */
export type LineIndexLookup = (file: string) => LineIndex | undefined;

export function segmentsText(segments: ValueSegment[]): string {
  let s = '';
  for (const seg of segments) s += seg.text;
  return s;
}

function cut(seg: ValueSegment, from: number, to: number, lookup: LineIndexLookup): ValueSegment {
  if (from === 0 && to === seg.text.length) return seg;
  const text = seg.text.slice(from, to);
  if (seg.via === 'literal' && seg.location) {
    const start = startOffsetOf(seg.location);
    const end = endOffsetOf(seg.location);
    const index = lookup(seg.location.file);
    // literal text maps one to one onto its source
    if (index && end - start === seg.text.length) {
      const location: SourceLocation = index.location(seg.location.file, start + from, start + to);
      return { ...seg, text, location };
    }
  }
  return { ...seg, text };
}

/** Replace characters [start, end) of the value with `insert`. Empty segments strictly inside the range go away. */
export function spliceSegments(
  segments: ValueSegment[], start: number, end: number, insert: ValueSegment[], lookup: LineIndexLookup,
): ValueSegment[] {
  const out: ValueSegment[] = [];
  let pos = 0;
  let inserted = false;
  const ensureInserted = (): void => {
    if (!inserted) {
      for (const s of insert) out.push(s);
      inserted = true;
    }
  };
  for (const seg of segments) {
    const segStart = pos;
    const segEnd = pos + seg.text.length;
    pos = segEnd;
    if (seg.text.length === 0) {
      if (segStart > start && segStart < end) continue;
      if (segStart <= start) out.push(seg);
      else {
        ensureInserted();
        out.push(seg);
      }
      continue;
    }
    if (segEnd <= start) {
      out.push(seg);
    } else if (segStart >= end) {
      ensureInserted();
      out.push(seg);
    } else {
      if (segStart < start) out.push(cut(seg, 0, start - segStart, lookup));
      ensureInserted();
      if (segEnd > end) out.push(cut(seg, end - segStart, seg.text.length, lookup));
    }
  }
  ensureInserted();
  return out;
}
