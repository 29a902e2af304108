/**
 * Shared checks of the template layer's output, used by the unit, corpus and property tests.
 */
import * as fs from 'fs';
import * as path from 'path';
import { placeholder, renderTemplate, type TemplateOptions, type TemplateResult } from '../../lib/templates';

export const FIXTURES = path.join(__dirname, 'fixtures');

export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function render(text: string, options: TemplateOptions = {}): TemplateResult {
  return renderTemplate(text, options);
}

/** Index of the first variant whose text contains every string of `all` and none of `none`, or -1. */
export function variantWith(r: TemplateResult, all: string[], none: string[] = []): number {
  return r.variants.findIndex((v) => all.every((s) => v.text.includes(s)) && none.every((s) => !v.text.includes(s)));
}

/**
 * Every property the layer promises, as a list of violations (empty when all hold):
 * - at least one variant, at most maxVariants;
 * - each variant's runs cover its text in order, map to increasing, in-range source offsets, and copy
 *   the source character for character, except inside expressions, which are their placeholder
 *   (with a `#` first when the expression stands alone);
 * - no variant contains text of two branches of one control block;
 * - spans and problems are positioned inside the source.
 */
export function violations(r: TemplateResult, maxVariants = 8): string[] {
  const out: string[] = [];
  const src = r.source;
  if (r.variants.length < 1) out.push('no variant');
  if (r.variants.length > maxVariants) out.push(`${r.variants.length} variants > ${maxVariants}`);
  for (const s of r.spans) {
    if (!(s.start >= 0 && s.end <= src.length && s.start < s.end)) out.push(`span out of range ${s.start}-${s.end}`);
    if (src.slice(s.start, s.end) !== s.markup) out.push(`span markup differs at ${s.start}`);
  }
  for (let i = 1; i < r.spans.length; i++) if (r.spans[i].start < r.spans[i - 1].end) out.push(`spans overlap at ${r.spans[i].start}`);
  for (const v of r.variants) {
    const tag = `variant ${v.index}`;
    let rendered = 0;
    let lastSource = -1;
    for (const run of v.runs) {
      if (run.rendered !== rendered) out.push(`${tag}: run at ${run.rendered}, expected ${rendered}`);
      if (run.length <= 0) out.push(`${tag}: empty run`);
      if (run.source < lastSource) out.push(`${tag}: source offsets go back at rendered ${run.rendered}`);
      if (run.source < 0 || run.source + run.length > src.length) out.push(`${tag}: run out of the source at ${run.source}`);
      rendered = run.rendered + run.length;
      lastSource = run.source + run.length;
    }
    if (rendered !== v.text.length) out.push(`${tag}: runs cover ${rendered} of ${v.text.length}`);
    // character check
    const inSpan = new Map<number, { text: string }>();
    for (const s of v.spans) {
      const ph = placeholder(s.markup);
      inSpan.set(s.renderedStart, { text: ph });
      const got = v.text.slice(s.renderedStart, s.renderedEnd);
      if (got !== ph && !(got.startsWith('#') && got.slice(1) === ph.slice(1))) out.push(`${tag}: placeholder differs at ${s.renderedStart}`);
      if (v.sourceOffset(s.renderedStart) !== s.start) out.push(`${tag}: span maps to ${v.sourceOffset(s.renderedStart)}, not ${s.start}`);
    }
    let spanIdx = 0;
    const spans = v.spans;
    for (const run of v.runs) {
      for (let k = 0; k < run.length; k++) {
        const o = run.rendered + k;
        while (spanIdx < spans.length && spans[spanIdx].renderedEnd <= o) spanIdx++;
        if (spanIdx < spans.length && spans[spanIdx].renderedStart <= o) continue;
        if (v.text.charCodeAt(o) !== src.charCodeAt(run.source + k)) {
          out.push(`${tag}: rendered ${o} is not source ${run.source + k}`);
          break;
        }
      }
    }
    // alternatives never meet
    for (const d of r.decisions) {
      if (d.branches.length < 2) continue;
      const hit = d.branches.filter((b) => v.runs.some((run) => run.source < b.bodyEnd && run.source + run.length > b.bodyStart));
      if (hit.length > 1) out.push(`${tag}: two branches of \`${d.opening}\` (at ${d.start})`);
    }
  }
  for (const p of r.problems) {
    const { start, end } = p.location.range;
    if (!(start.line >= 1 && start.column >= 1 && start.offset >= 0 && start.offset <= src.length && end.offset >= start.offset && end.offset <= src.length)) {
      out.push(`problem ${p.ruleId} badly positioned: ${JSON.stringify(p.location.range)}`);
    }
    const again = r.lineIndex.position(start.offset);
    if (again.line !== start.line || again.column !== start.column) out.push(`problem ${p.ruleId} line/column do not match its offset`);
  }
  return out;
}
