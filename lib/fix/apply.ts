/**
 * Edits on text, and nothing else: applying non-overlapping edits to a decoded text, telling whether
 * two edits conflict, and following an offset of the old text into the new one. Offsets are UTF-16
 * indexes into the decoded text (lib/core/text.ts), so bytes outside the edits are re-encoded exactly
 * as they were read.
 */

export interface Edit {
  startOffset: number;
  endOffset: number;
  text: string;
}

/**
 * Two edits conflict when they overlap or touch (as ESLint judges fixes): two insertions at one
 * offset, or an insertion at the edge of a replacement, would leave their order to chance.
 */
export function editsConflict(a: Edit, b: Edit): boolean {
  return a.startOffset <= b.endOffset && b.startOffset <= a.endOffset;
}

export function sortEdits<T extends Edit>(edits: T[]): T[] {
  return [...edits].sort((x, y) => x.startOffset - y.startOffset || x.endOffset - y.endOffset);
}

/**
 * Whether the edits of one fix fit their text and leave each other alone. Within one fix, edits may
 * touch (delete a line, insert at its end) as their order is then clear; they may not overlap, and
 * two insertions at one offset are refused.
 */
export function validEdits(text: string, edits: Edit[]): boolean {
  const sorted = sortEdits(edits);
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i];
    if (!Number.isInteger(e.startOffset) || !Number.isInteger(e.endOffset) || e.startOffset < 0 || e.endOffset < e.startOffset || e.endOffset > text.length) return false;
    if (i === 0) continue;
    const p = sorted[i - 1];
    if (p.startOffset < e.endOffset && e.startOffset < p.endOffset) return false;
    if (p.startOffset === p.endOffset && e.startOffset === e.endOffset && p.startOffset === e.startOffset) return false;
  }
  return true;
}

/** The text with the edits applied (they must be valid: see validEdits). */
export function applyEdits(text: string, edits: Edit[]): string {
  const sorted = sortEdits(edits);
  const parts: string[] = [];
  let at = 0;
  for (const e of sorted) {
    parts.push(text.slice(at, e.startOffset), e.text);
    at = e.endOffset;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/**
 * Where an offset of the old text is in the new one: before an edit it stays, after it moves by the
 * edit's length change, inside a replaced range it goes to the start of the replacement.
 */
export function mapOffset(edits: Edit[], offset: number): number {
  let delta = 0;
  for (const e of sortEdits(edits)) {
    if (offset < e.startOffset || (offset === e.startOffset && e.endOffset > e.startOffset)) break;
    if (offset < e.endOffset) return e.startOffset + delta;
    delta += e.text.length - (e.endOffset - e.startOffset);
  }
  return offset + delta;
}

/** The ranges the edits occupy in the new text. */
export function newRanges(edits: Edit[]): Array<{ start: number; end: number }> {
  let delta = 0;
  const out: Array<{ start: number; end: number }> = [];
  for (const e of sortEdits(edits)) {
    out.push({ start: e.startOffset + delta, end: e.startOffset + delta + e.text.length });
    delta += e.text.length - (e.endOffset - e.startOffset);
  }
  return out;
}
