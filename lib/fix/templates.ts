/**
 * Fixes in templates touch literal text only. In a file that is a template (its name says so, or its
 * text holds template markup: lib/input/kind.ts, lib/templates), an edit is allowed only when it
 * neither overlaps nor touches from inside any template expression or control-block tag; an edit
 * computed on a rendered variant is moved to source offsets with the variant's offset runs, and only
 * when its whole range lies in one run of literal text.
 */
import * as path from 'path';
import type { Fix, TextEdit } from '../core/finding';
import { decideNamedKind } from '../input/kind';
import { renderTemplate, type TemplateVariant } from '../templates';

/** A source range of template markup: an expression, or the tag of a control block. */
export interface MarkupRange {
  start: number;
  end: number;
  markup: string;
}

/** The markup ranges of a file's text, or null when the file is no template. */
export function templateMarkup(file: string, text: string): MarkupRange[] | null {
  const byName = decideNamedKind(file, text)?.template ?? false;
  const target = /\.ini(\.|$)/i.test(path.basename(file)) ? 'uwsgi-ini' : 'apache';
  const rendered = renderTemplate(text, { fileName: path.basename(file), target });
  if (!byName && !rendered.isTemplate) return null;
  const ranges: MarkupRange[] = rendered.spans.map((s) => ({ start: s.start, end: s.end, markup: s.markup }));
  for (const d of rendered.decisions) {
    ranges.push({ start: d.start, end: d.end, markup: d.opening });
    for (const b of d.branches) if (b.tagEnd > b.tagStart) ranges.push({ start: b.tagStart, end: b.tagEnd, markup: text.slice(b.tagStart, b.tagEnd) });
    if (d.closeEnd > d.closeStart) ranges.push({ start: d.closeStart, end: d.closeEnd, markup: text.slice(d.closeStart, d.closeEnd) });
  }
  // the first branch's tag is the block's opening tag: keep each range once
  const seen = new Set<string>();
  return ranges.sort((a, b) => a.start - b.start).filter((m) => {
    const key = `${m.start}:${m.end}`;
    return !seen.has(key) && seen.add(key) !== undefined;
  });
}

/**
 * The markup an edit would touch: a replaced range overlapping it, or an insertion strictly inside
 * it. An insertion right before or after a tag is literal text and allowed.
 */
export function markupTouched(markup: readonly MarkupRange[], edit: { startOffset: number; endOffset: number }): MarkupRange | undefined {
  const { startOffset: s, endOffset: e } = edit;
  return markup.find((m) => (s === e ? m.start < s && s < m.end : s < m.end && m.start < e));
}

/**
 * A fix a rule computed on one rendered variant of a template, with its edits moved to the template
 * source; undefined when an edit's range does not lie within one run of literal text (it would touch
 * a template expression or a branch boundary), so such a finding is reported without a fix.
 */
export function mapVariantFix(variant: TemplateVariant, fix: Fix, file: string): Fix | undefined {
  const edits: TextEdit[] = [];
  for (const edit of fix.edits) {
    const { startOffset: s, endOffset: e } = edit.range;
    const run = variant.runs.find((r) => r.rendered <= s && s < r.rendered + r.length && e <= r.rendered + r.length);
    if (!run || variant.isTemplated(s, e === s ? s : e)) return undefined;
    edits.push({ ...edit, file, range: { startOffset: run.source + (s - run.rendered), endOffset: run.source + (e - run.rendered) } });
  }
  return { ...fix, edits };
}
