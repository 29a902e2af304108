/**
 * What the later stages need once every location has been mapped back to the template source:
 * "is this value templated?" asked with nothing but a SourceLocation (resolution, the model and
 * rules keep locations, not variants), and one list of findings out of several variants.
 */
import type { Finding } from '../core/finding';
import type { SourceLocation } from '../core/source';
import type { TemplatedSpan } from './types';

/** Expressions of the source overlapping source `[start, end)` (or containing `start` when empty). */
export function templatedSpansIn(spans: readonly TemplatedSpan[], start: number, end: number): TemplatedSpan[] {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].end <= start) lo = mid + 1;
    else hi = mid;
  }
  const out: TemplatedSpan[] = [];
  for (let i = lo; i < spans.length && (spans[i].start < end || (start === end && spans[i].start <= start)); i++) {
    if (spans[i].end > start) out.push(spans[i]);
  }
  return out;
}

/**
 * The templated spans of every template file of a run, by file name, so that any stage holding a
 * source location can ask about it: `templates.spansAt(arg.location)`.
 */
export class TemplatedFiles {
  private readonly byFile = new Map<string, readonly TemplatedSpan[]>();

  add(file: string, spans: readonly TemplatedSpan[]): void {
    if (spans.length) this.byFile.set(file, spans);
  }

  has(file: string): boolean {
    return this.byFile.has(file);
  }

  /** Expressions overlapping a location already mapped to the template source. */
  spansAt(location: SourceLocation): TemplatedSpan[] {
    const spans = this.byFile.get(location.file);
    return spans ? templatedSpansIn(spans, location.range.start.offset, location.range.end.offset) : [];
  }

  isTemplated(location: SourceLocation): boolean {
    return this.spansAt(location).length > 0;
  }
}

/**
 * Findings of all variants of one file (already mapped with `variant.mapFinding`), each once: the
 * same rule, place and message in several variants is one finding.
 */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = `${f.ruleId}\u0000${f.location.file}\u0000${f.location.range.start.offset}\u0000${f.location.range.end.offset}\u0000${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}
