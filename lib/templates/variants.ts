/**
 * Choosing and rendering variants. A variant takes one alternative of every decision it reaches, and
 * keeps every condition it decided: a condition (`tls`, `not tls`, `unless @tls`, an `elif` of a chain)
 * has one value per variant, so `{% if tls %}LoadModule ssl_module ...{% endif %}` and a later
 * `{% if tls %}SSLEngine on{% endif %}` always appear together, and `{% if a %}..{% elif b %}` then
 * `{% if b %}` never disagree on `b`. Only alternatives that agree with the values decided so far are
 * candidates (there is always one: the first branch whose condition is not false). Variants are chosen greedily to cover every alternative at least once:
 * at each decision the variant takes an alternative not covered yet if there is one (preferring the
 * one with the most uncovered alternatives nested in it), else the one leading to most uncovered
 * nested alternatives. It stops when everything is covered, when maxVariants is reached, or when a
 * variant covers nothing new (what is left contradicts itself, e.g. `{% if a %}{% if not a %}`).
 *
 * Rendering copies source slices as they are and turns each expression into a placeholder of the
 * same length (every character that is not an ASCII letter or digit becomes `_`), so the rendered text
 * maps back to the source by runs of equal length, and a placeholder is one word in either config
 * language. Each variant costs O(size of the file).
 */
import { short, type Decision, type Node } from './tree';
import type { BranchChoice, OffsetRun, RenderedSpan, TemplateCoverage, TemplatedSpan } from './types';

export interface RenderConfig {
  maxVariants: number;
  standalone: 'comment' | 'word';
}

export interface RawVariant {
  text: string;
  runs: OffsetRun[];
  spans: RenderedSpan[];
  choices: BranchChoice[];
}

const alternativesOf = (d: Decision) => d.branches.length + (d.implicitEmpty ? 1 : 0);

/**
 * The atom values alternative `a` of `d` needs (conditions before `a` false, its own true; all false
 * for `else`), or null when they contradict the values decided so far or each other (`{% if a %}...
 * {% elif a %}`: the elif can never be taken).
 */
function needs(d: Decision, a: number, atoms: Map<string, boolean>): Map<string, boolean> | null {
  const out = new Map<string, boolean>();
  if (!d.atoms) return out;
  const want = (j: number, value: boolean): boolean => {
    const c = d.atoms![j];
    const atom = value !== c.negated;
    const had = out.has(c.atom) ? out.get(c.atom) : atoms.get(c.atom);
    if (had !== undefined && had !== atom) return false;
    out.set(c.atom, atom);
    return true;
  };
  const conds = d.atoms.length;
  for (let j = 0; j < (a < conds ? a : conds); j++) if (!want(j, false)) return null;
  if (a < conds && !want(a, true)) return null;
  return out;
}

export function placeholder(markup: string): string {
  return markup.replace(/[^A-Za-z0-9]/g, '_');
}

export function renderVariants(source: string, root: Node[], decisions: Decision[], spanOf: Map<number, TemplatedSpan>, cfg: RenderConfig): {
  variants: RawVariant[];
  coverage: TemplateCoverage;
  firstUncovered: { start: number; end: number } | null;
} {
  const covered = decisions.map((d) => new Uint8Array(alternativesOf(d)));
  const own = decisions.map((d) => new Uint8Array(alternativesOf(d)));
  const nested = decisions.map((d) => new Float64Array(alternativesOf(d)));
  const counts = (d: Decision) => alternativesOf(d) >= 2;

  // reachable alternatives (only decisions with a real choice count)
  let total = 0;
  const countAll = (nodes: Node[]) => {
    for (const n of nodes) {
      if (n.t !== 'decision') continue;
      if (counts(n)) total += alternativesOf(n);
      for (const b of n.branches) countAll(b.nodes);
    }
  };
  countAll(root);

  // uncovered alternatives below each alternative, for this variant's choices
  const score = (nodes: Node[]): number => {
    let sum = 0;
    for (const n of nodes) {
      if (n.t !== 'decision') continue;
      const k = alternativesOf(n);
      for (let a = 0; a < k; a++) {
        own[n.id][a] = counts(n) && !covered[n.id][a] ? 1 : 0;
        nested[n.id][a] = a < n.branches.length ? score(n.branches[a].nodes) : 0;
        sum += own[n.id][a] + nested[n.id][a];
      }
    }
    return sum;
  };

  const placeholders = new Map<number, string>();
  const labels = new Map<number, string>();
  const label = (start: number, end: number): string => {
    let l = labels.get(start);
    if (l === undefined) labels.set(start, (l = short(source.slice(start, end))));
    return l;
  };
  const variants: RawVariant[] = [];
  let coveredCount = 0;
  let stalled = false;
  while (variants.length < cfg.maxVariants && (variants.length === 0 || coveredCount < total)) {
    score(root);
    const atoms = new Map<string, boolean>();
    const reached: [Decision, number][] = [];
    const out = new Builder(source);
    const walk = (nodes: Node[]) => {
      for (const n of nodes) {
        if (n.t === 'text') out.copy(n.start, n.end);
        else if (n.t === 'expr') {
          const span = spanOf.get(n.start)!;
          let ph = placeholders.get(n.start);
          if (ph === undefined) placeholders.set(n.start, (ph = placeholder(span.markup)));
          out.expression(span, ph);
        }
        else {
          const k = alternativesOf(n);
          let alt = -1;
          const consider = (a: number) => {
            if (alt < 0 || own[n.id][a] > own[n.id][alt] || (own[n.id][a] === own[n.id][alt] && nested[n.id][a] > nested[n.id][alt])) alt = a;
          };
          if (!n.atoms) {
            for (let a = 0; a < k; a++) consider(a);
          } else {
            // one pass: `prefix` holds what "every condition before a is false" needs (linear in the chain)
            const prefix = new Map<string, boolean>();
            const valueOf = (c: { atom: string; negated: boolean }) => {
              const v = prefix.has(c.atom) ? prefix.get(c.atom) : atoms.get(c.atom);
              return v === undefined ? undefined : v !== c.negated;
            };
            for (let a = 0; a < k; a++) {
              const c = n.atoms[a];
              if (!c) {
                consider(a); // else, or the implicit empty branch: every condition false
                continue;
              }
              if (valueOf(c) !== false) consider(a);
              if (valueOf(c) === true) break; // no later alternative: this condition cannot be false
              prefix.set(c.atom, c.negated); // the condition false
            }
          }
          // one alternative is always possible: the branch the engine would take once the free conditions are set
          if (alt < 0) alt = 0;
          for (const [atom, value] of needs(n, alt, atoms) ?? []) atoms.set(atom, value);
          reached.push([n, alt]);
          const b = alt < n.branches.length ? n.branches[alt] : null;
          out.choices.push({
            start: n.start, end: n.end, opening: label(n.start, n.end), alternative: alt, alternatives: k,
            branchTag: b && alt > 0 ? { start: b.start, end: b.end, text: label(b.start, b.end) } : null,
          });
          if (b) walk(b.nodes);
        }
      }
    };
    walk(root);
    let fresh = 0;
    for (const [d, a] of reached) {
      if (counts(d) && !covered[d.id][a]) {
        covered[d.id][a] = 1;
        fresh++;
      }
    }
    if (variants.length > 0 && fresh === 0) {
      stalled = true;
      break;
    }
    coveredCount += fresh;
    variants.push(out.finish(cfg.standalone));
  }

  let firstUncovered: { start: number; end: number } | null = null;
  if (coveredCount < total) {
    const find = (nodes: Node[]): void => {
      for (const n of nodes) {
        if (firstUncovered || n.t !== 'decision') continue;
        const k = alternativesOf(n);
        for (let a = 0; a < k && !firstUncovered; a++) {
          if (counts(n) && !covered[n.id][a]) firstUncovered = a < n.branches.length ? { start: n.branches[a].start, end: n.branches[a].end } : { start: n.start, end: n.end };
        }
        for (const b of n.branches) find(b.nodes);
      }
    };
    find(root);
  }
  const capped = !stalled && coveredCount < total;
  return {
    variants,
    coverage: { alternatives: total, covered: coveredCount, capped, unreachable: stalled ? total - coveredCount : 0 },
    firstUncovered,
  };
}

class Builder {
  private parts: string[] = [];
  private pos = 0;
  readonly runs: OffsetRun[] = [];
  readonly spans: RenderedSpan[] = [];
  readonly choices: BranchChoice[] = [];
  constructor(private readonly source: string) {}

  private run(sourceStart: number, length: number) {
    const last = this.runs[this.runs.length - 1];
    if (last && last.rendered + last.length === this.pos && last.source + last.length === sourceStart) last.length += length;
    else this.runs.push({ rendered: this.pos, source: sourceStart, length });
    this.pos += length;
  }

  copy(start: number, end: number) {
    if (end <= start) return;
    this.parts.push(this.source.slice(start, end));
    this.run(start, end - start);
  }

  expression(span: TemplatedSpan, text: string) {
    const length = span.end - span.start;
    if (length <= 0) return;
    this.parts.push(text);
    this.spans.push({
      start: span.start, end: span.end, engine: span.engine, kind: span.kind, markup: span.markup,
      renderedStart: this.pos, renderedEnd: this.pos + length, standalone: false,
    });
    this.run(span.start, length);
  }

  finish(mode: 'comment' | 'word'): RawVariant {
    let text = this.parts.join('');
    const commentAt = markStandalone(text, this.spans);
    if (mode === 'comment' && commentAt.length) {
      const pieces: string[] = [];
      let from = 0;
      for (const at of commentAt) {
        pieces.push(text.slice(from, at), '#');
        from = at + 1;
      }
      pieces.push(text.slice(from));
      text = pieces.join('');
    }
    return { text, runs: this.runs, spans: this.spans, choices: this.choices };
  }
}

function isLineBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

/**
 * Mark spans that are alone (with other spans and blanks only) on their rendered line; return the
 * offsets where the line can be turned into a comment (its first span, unless the previous line
 * continues into it with a backslash, which httpd joins before it looks for `#`).
 */
function markStandalone(text: string, spans: RenderedSpan[]): number[] {
  const commentAt: number[] = [];
  let i = 0;
  while (i < spans.length) {
    const ls = text.lastIndexOf('\n', spans[i].renderedStart - 1) + 1;
    let le = text.indexOf('\n', spans[i].renderedEnd);
    if (le < 0) le = text.length;
    let j = i;
    while (j < spans.length && spans[j].renderedStart < le) j++;
    let alone = true;
    let cursor = ls;
    for (let k = i; k <= j && alone; k++) {
      const stop = k < j ? spans[k].renderedStart : le;
      for (let c = cursor; c < stop; c++) {
        if (!isLineBlank(text.charCodeAt(c))) {
          alone = false;
          break;
        }
      }
      if (k < j) cursor = spans[k].renderedEnd;
    }
    if (alone) {
      for (let k = i; k < j; k++) spans[k].standalone = true;
      const prevEnd = ls - 1; // the '\n' ending the previous line
      const continued = prevEnd > 0 && (text.charCodeAt(prevEnd - 1) === 92 || (text.charCodeAt(prevEnd - 1) === 13 && text.charCodeAt(prevEnd - 2) === 92));
      if (!continued) commentAt.push(spans[i].renderedStart);
    }
    i = j;
  }
  return commentAt;
}
