/**
 * From tokens to a tree of alternatives: text and expressions in source order, with every
 * `if/elif/else`, `case/when`, loop-with-else as a Decision whose branches are separate lists.
 * Loops render their body once; `inline` blocks (`{% block %}`, `{% with %}`, `begin`) render in
 * place; definitions (`{% macro %}`, `{% set x %}...`, `{{ define }}`) render nothing.
 *
 * Malformed structure never throws: an unknown closer, an `else` outside any `if`, a block left open
 * at the end of the file each become a positioned problem, and the tree is repaired the way a reader
 * would (a stray closer is ignored; an open block ends at the end of the file).
 */
import { classifyGo, classifyJinja, classifyRuby, type Statement, type Syntax } from './classify';
import type { Token } from './scan';
import type { TemplateEngine, TemplatedSpan } from './types';

export interface TextNode { t: 'text'; start: number; end: number }
export interface ExprNode { t: 'expr'; start: number; end: number; engine: TemplateEngine; include: boolean }
/** `start`/`end`: the tag that starts the branch (the opening tag for the first); `bodyEnd`: where its text ends. */
export interface Branch { start: number; end: number; bodyEnd: number; nodes: Node[] }
export interface Decision {
  t: 'decision';
  id: number;
  kind: 'if' | 'loop' | 'case';
  /** Opening tag, and the closing tag (the end of the file when unclosed). */
  start: number;
  end: number;
  closeStart: number;
  closeEnd: number;
  /**
   * The condition of each branch that has one, as a boolean atom (the condition text, its negation
   * `not x`/`!x`/`unless x` taken off). Alternative k means: conditions before k false, condition k
   * true; an alternative past the conditions (`else`, or nothing) means all false. A variant keeps each
   * atom's value, so `{% if a %}` and `{% if not a %}`, or `{% elif b %}` and a later `{% if b %}`,
   * are decided together. Null for loops: their alternatives are free.
   */
  atoms: { atom: string; negated: boolean }[] | null;
  branches: Branch[];
  /** An `if` without `else` (and a `case` without it) can also render nothing. */
  implicitEmpty: boolean;
  depth: number;
}
export type Node = TextNode | ExprNode | Decision;

export interface TreeProblem { start: number; end: number; severity: 'error' | 'warning' | 'info'; ruleId: string; message: string }

export interface Dialects { curly: 'jinja2' | 'go-template'; angle: 'erb' | 'epp' }

/** Deeper nesting of alternatives is read first-branch-only (renderers recurse over the tree). */
export const MAX_DEPTH = 100;

interface Frame {
  syntax: Syntax;
  name: string;
  block: 'if' | 'loop' | 'case' | 'inline' | 'drop' | 'flat';
  openStart: number;
  openEnd: number;
  /** Where the frame's content goes now. */
  list: Node[];
  decision?: Decision;
  /** Conditions of the branches, in order (`else` has none). */
  conds: string[];
  /** The first condition is negated by its keyword (`unless`). */
  negated: boolean;
  /** `case` subject. */
  subject: string | null;
  sawElse: boolean;
  /** Ruby `case`: text before the first `when` renders nowhere. */
  casePreamble: boolean;
  depth: number;
}

export function buildTree(text: string, tokens: Token[], dialects: Dialects): { nodes: Node[]; spans: TemplatedSpan[]; problems: TreeProblem[]; decisions: Decision[] } {
  const root: Node[] = [];
  const spans: TemplatedSpan[] = [];
  const problems: TreeProblem[] = [];
  const decisions: Decision[] = [];
  const stack: Frame[] = [];
  let depthReported = false;
  /** Open frames per syntax and per syntax|name. */
  const opened = new Map<string, number>();
  const count = (f: Frame, by: number) => {
    for (const k of [f.syntax, `${f.syntax}|${f.name}`]) opened.set(k, (opened.get(k) ?? 0) + by);
  };
  const push = (f: Frame) => {
    stack.push(f);
    count(f, 1);
  };
  const pop = (): Frame => {
    const f = stack.pop()!;
    count(f, -1);
    return f;
  };
  const current = (): Node[] => (stack.length ? stack[stack.length - 1].list : root);
  const decisionDepth = (): number => (stack.length ? stack[stack.length - 1].depth : 0);
  const tagText = (s: number, e: number) => short(text.slice(s, e));
  const problem = (start: number, end: number, message: string, severity: TreeProblem['severity'] = 'error', ruleId = 'template-syntax') =>
    problems.push({ start, end, severity, ruleId, message });

  const engineOf = (tok: Token): TemplateEngine =>
    tok.family === 'curly' ? dialects.curly : tok.family === 'angle' ? dialects.angle : (tok.family as TemplateEngine);

  const output = (tok: Token, include: boolean) => {
    const engine = engineOf(tok);
    spans.push({ start: tok.start, end: tok.end, engine, kind: include ? 'include' : 'expression', markup: text.slice(tok.start, tok.end) });
    current().push({ t: 'expr', start: tok.start, end: tok.end, engine, include });
    if (include) {
      problem(tok.start, tok.end, `\`${tagText(tok.start, tok.end)}\` inserts another template: deploylint reads it as one unknown value`, 'info', 'template-include');
    }
  };

  const open = (tok: Token, syntax: Syntax, st: Extract<Statement, { op: 'open' }>) => {
    const parentDepth = decisionDepth();
    const base: Frame = {
      syntax, name: st.name, block: st.block, openStart: tok.start, openEnd: tok.end, list: current(),
      conds: st.block === 'if' ? [st.cond] : [], subject: st.block === 'case' ? st.cond : null, negated: !!st.negated, sawElse: false, casePreamble: false, depth: parentDepth,
    };
    if (st.block === 'drop') base.list = [];
    // EPP `case $x {`: its branches come later as nested `'a': {` blocks (see eppCaseBranch)
    if (st.block === 'case' && syntax === 'ruby' && text.slice(tok.start, tok.end).includes('{')) base.block = 'inline';
    else if (st.block === 'if' || st.block === 'loop' || st.block === 'case') {
      if (parentDepth >= MAX_DEPTH) {
        if (!depthReported) {
          depthReported = true;
          problem(tok.start, tok.end, `control blocks nested deeper than ${MAX_DEPTH}: deeper blocks are read with their first branch only`, 'warning', 'template-unsupported');
        }
        base.block = 'flat';
      } else {
        const d: Decision = {
          t: 'decision', id: decisions.length, kind: st.block, start: tok.start, end: tok.end, closeStart: text.length, closeEnd: text.length,
          atoms: null, branches: [{ start: tok.start, end: tok.end, bodyEnd: text.length, nodes: [] }],
          implicitEmpty: st.block !== 'loop', depth: parentDepth + 1,
        };
        decisions.push(d);
        current().push(d);
        base.decision = d;
        base.list = d.branches[0].nodes;
        base.depth = parentDepth + 1;
        base.casePreamble = st.block === 'case';
      }
    }
    push(base);
  };

  const branch = (tok: Token, syntax: Syntax, st: Extract<Statement, { op: 'branch' }>) => {
    const f = stack[stack.length - 1];
    const name = tagText(tok.start, tok.end);
    if (!f || f.syntax !== syntax || f.block === 'inline' || f.block === 'drop') {
      if (f && f.block === 'inline' && f.name === 'case' && st.name === 'when') return eppCaseBranch(tok, f, st);
      if (f && f.syntax === 'ruby' && f.name === 'begin') return; // rescue/else of begin: read inline
      problem(tok.start, tok.end, `\`${name}\` is outside any if or for block`);
      return;
    }
    if (f.block === 'loop' && (st.cond !== null || f.sawElse)) {
      problem(tok.start, tok.end, `\`${name}\` cannot continue a \`${f.name}\` loop`);
      return;
    }
    if (f.sawElse) problem(tok.start, tok.end, `\`${name}\` after the else branch: it is read as one more alternative`);
    if (st.cond === null) f.sawElse = true;
    else f.conds.push(st.cond);
    if (f.block === 'flat') {
      f.list = []; // beyond the depth limit: later branches are not read
      return;
    }
    const d = f.decision!;
    if (f.casePreamble) {
      f.casePreamble = false;
      d.branches[0] = { start: tok.start, end: tok.end, bodyEnd: text.length, nodes: [] }; // text before the first `when` prints nothing
      f.conds = [st.cond ?? ''];
    } else {
      d.branches[d.branches.length - 1].bodyEnd = tok.start;
      d.branches.push({ start: tok.start, end: tok.end, bodyEnd: text.length, nodes: [] });
    }
    f.list = d.branches[d.branches.length - 1].nodes;
    if (st.cond === null) d.implicitEmpty = false;
  };

  const eppCaseBranch = (tok: Token, f: Frame, st: Extract<Statement, { op: 'branch' }>) => {
    // an EPP case holds its branches as nested `'a': { ... }` blocks: make the case a decision on the first one
    if (!f.decision && f.depth >= MAX_DEPTH) {
      // beyond the depth limit: the first branch in place, the others not read
      push({ ...f, block: 'inline', name: 'when', list: f.sawElse ? [] : f.list, openStart: tok.start, openEnd: tok.end });
      f.sawElse = true;
      return;
    }
    if (!f.decision) {
      const d: Decision = {
        t: 'decision', id: decisions.length, kind: 'case', start: f.openStart, end: f.openEnd, closeStart: text.length, closeEnd: text.length,
        atoms: null, branches: [], implicitEmpty: true, depth: f.depth + 1,
      };
      decisions.push(d);
      f.list.push(d);
      f.list = []; // text between the branches of a Puppet case prints nothing
      f.decision = d;
    }
    f.decision.branches.push({ start: tok.start, end: tok.end, bodyEnd: text.length, nodes: [] });
    if (st.cond === 'default') f.decision.implicitEmpty = false;
    else f.conds.push(st.cond ?? '');
    push({ ...f, block: 'inline', name: 'when', list: f.decision.branches[f.decision.branches.length - 1].nodes, openStart: tok.start, openEnd: tok.end, decision: f.decision, depth: f.depth + 1 });
  };

  const close = (tok: Token, syntax: Syntax, name: string | null) => {
    const matches = (f: Frame) => f.syntax === syntax && (name === null || f.name === name);
    // O(1) when nothing matches, so a run of stray closers under a deep stack stays linear
    if (!(opened.get(name === null ? syntax : `${syntax}|${name}`) ?? 0)) {
      problem(tok.start, tok.end, `\`${tagText(tok.start, tok.end)}\` closes no open block`);
      return;
    }
    let k = stack.length - 1;
    while (k >= 0 && !matches(stack[k])) k--;
    if (k < 0) {
      problem(tok.start, tok.end, `\`${tagText(tok.start, tok.end)}\` closes no open block`);
      return;
    }
    while (stack.length - 1 > k) {
      const f = pop();
      problem(f.openStart, f.openEnd, `\`${tagText(f.openStart, f.openEnd)}\` is not closed before \`${tagText(tok.start, tok.end)}\``);
      finish(f, tok.start, tok.start);
    }
    finish(pop(), tok.start, tok.end);
  };

  const finish = (f: Frame, closeStart: number, closeEnd: number) => {
    const d = f.decision;
    if (!d) return;
    if (f.name === 'when') {
      d.branches[d.branches.length - 1].bodyEnd = closeStart;
      return;
    }
    d.closeStart = closeStart;
    d.closeEnd = closeEnd;
    const last = d.branches[d.branches.length - 1];
    if (last) last.bodyEnd = Math.min(last.bodyEnd, closeStart);
    if (d.kind === 'loop') return;
    d.atoms = f.conds.map((c, i) => {
      let cond = normalize(c);
      let negated = i === 0 && f.negated;
      const inner = negation(cond, f.syntax);
      if (inner !== null) {
        cond = inner;
        negated = !negated;
      }
      if (f.syntax === 'go') cond = cond.replace(/^with\s+/, ''); // `{{ with .x }}` renders when `.x` is true
      if (f.subject !== null) cond = `case ${normalize(f.subject)} when ${cond}`;
      return { atom: `${f.syntax}|${cond}`, negated };
    });
  };

  for (const tok of tokens) {
    if (tok.kind === 'text') {
      current().push({ t: 'text', start: tok.start, end: tok.end });
      continue;
    }
    if (tok.kind === 'comment') continue;
    if (tok.family !== 'curly' && tok.family !== 'angle') {
      output(tok, false);
      continue;
    }
    const syntax: Syntax = tok.family === 'angle' ? 'ruby' : dialects.curly === 'go-template' ? 'go' : 'jinja';
    let st: Statement;
    if (tok.kind === 'expr' && syntax !== 'go') st = { op: 'output', include: false };
    else if (syntax === 'go') st = classifyGo(tok.code ?? '');
    else if (syntax === 'jinja') st = classifyJinja(tok.code ?? '');
    else {
      const top = stack[stack.length - 1];
      st = classifyRuby(tok.code ?? '', !!top && top.name === 'case' && top.block === 'inline');
    }
    switch (st.op) {
      case 'output':
        output(tok, st.include);
        break;
      case 'none':
        if (st.note === 'extends') problem(tok.start, tok.end, `\`${tagText(tok.start, tok.end)}\`: this template fills blocks of another one; only its own text is read`, 'info', 'template-unsupported');
        break;
      case 'open':
        open(tok, syntax, st);
        break;
      case 'branch':
        branch(tok, syntax, st);
        break;
      case 'close':
        close(tok, syntax, st.name);
        break;
    }
  }
  while (stack.length) {
    const f = pop();
    problem(f.openStart, f.openEnd, `\`${tagText(f.openStart, f.openEnd)}\` is not closed before the end of the file`);
    finish(f, text.length, text.length);
  }
  return { nodes: root, spans, problems, decisions };
}

function normalize(cond: string): string {
  return cond.replace(/\s+/g, ' ').trim();
}

/** The condition without its negation, or null when it is not negated. */
function negation(cond: string, syntax: Syntax): string | null {
  const m = syntax === 'ruby' ? /^!\s*(?!=)([^]+)$/.exec(cond) : /^not\s+([^]+)$/.exec(cond);
  if (!m) return null;
  const inner = m[1].trim();
  if (/^\(([^()]*)\)$/.test(inner)) return inner.slice(1, -1).trim();
  return /\s(and|or|&&|\|\|)\s/.test(inner) ? null : inner;
}

export function short(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 77)}...` : one;
}
