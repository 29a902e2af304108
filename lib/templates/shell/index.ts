/**
 * Shell scripts that write configs (devstack's `lib/apache` and its plugins): the `iniset FILE uwsgi
 * KEY VALUE` calls and the `echo "LINE" | [sudo] tee [-a] FILE` lines of each function, grouped by
 * the file they write, become generated configs, each a set of `TemplateVariant`s whose runs map
 * every rendered character back to the script (ESLint's processors are the model: code blocks of a
 * Markdown file linted as virtual files, messages mapped back). Every expansion is one opaque word
 * (engine `shell`), so nothing judges a value the script does not fix; `if`/`case` branches are
 * alternatives, enumerated per function so that the ini and the Apache lines of one function take
 * the same branches in the same variant. Text in, no file I/O, never throws. See README.md.
 */
import type { Finding } from '../../core/finding';
import { LineIndex } from '../../core/source';
import { getApacheDirective } from '../../knowledge/apache-directives';
import { thirdPartyModuleOf } from '../../knowledge/apache-third-party';
import type { TemplateResult } from '../index';
import type { BranchChoice, OffsetRun, RenderedSpan, TemplateDecision, TemplatedSpan } from '../types';
import { TemplateVariant } from '../variant';
import { placeholder } from '../variants';
import { lexShell, literal, type WordPart } from './lex';
import { readStructure, type ShellDecision } from './script';
import type { IniWrite, TextWrite, Write } from './writes';

export interface ShellWriterOptions {
  /** File name put in problem locations. */
  file?: string;
  /** Variants per function (the `template-variants` budget), default 8. */
  maxVariants?: number;
  /** Generated configs per script, default 200. */
  maxConfigs?: number;
  /** Tokens read, default 2,000,000 (a 16 MB script of one-letter words stays bounded). */
  maxTokens?: number;
}

export interface GeneratedConfig {
  /** Unique in the script: the function (or `top`) and the format, `write_uwsgi_config.ini`. */
  name: string;
  /** The function that writes it, null at the top level. */
  scope: string | null;
  kind: 'uwsgi-ini' | 'apache';
  /** The file expression as written (`"$conf"`, `$apache_conf`). */
  fileExpression: string;
  /** Its renderings, positioned in the script (source = the script). */
  template: TemplateResult;
}

export interface ShellWriterResult {
  configs: GeneratedConfig[];
  /** template-variants-capped, template-unsupported, budget-exceeded, internal-error: positioned in the script. */
  problems: Finding[];
}

/**
 * Every line of the Apache text starts with a directive, a section tag, a comment or an expansion,
 * at least one with a directive, and every section the lines open they close (and only those):
 * otherwise the lines are part of a file other code writes too.
 */
function looksLikeApache(lines: string[][]): boolean {
  let directives = 0;
  let depth = 0;
  for (const words of lines) {
    const first = words[0];
    if (first === undefined || first === '\0' || first.startsWith('#')) continue;
    // a section closed that these lines did not open: they continue a file written elsewhere
    if (first.startsWith('</') && --depth < 0) return false;
    else if (first.startsWith('<')) depth++;
    const name = first.replace(/^<\/?/, '').replace(/>$/, '');
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return false;
    if (!getApacheDirective(first.startsWith('<') ? `<${name}` : name) && !thirdPartyModuleOf(name)) return false;
    directives++;
  }
  // a section left open is closed by lines written elsewhere
  return directives > 0 && depth === 0;
}

/** First words of the lines a group writes (all branches together); `\0` for a line that starts with an expansion. */
function firstWords(writes: TextWrite[]): string[][] {
  const lines: string[][] = [[]];
  let current = '';
  let startsOpaque = false;
  const flush = () => {
    lines.push(startsOpaque ? ['\0'] : current.trim().split(/\s+/).filter(Boolean));
    current = '';
    startsOpaque = false;
  };
  for (const w of writes) {
    for (const piece of w.pieces) {
      const parts: WordPart[] = 'synthetic' in piece ? [{ kind: 'lit', text: piece.synthetic, source: -1 }] : piece.parts;
      for (const p of parts) {
        if (p.kind === 'var') {
          if (current.trim() === '') startsOpaque = true;
          current += 'x';
          continue;
        }
        for (const ch of p.text) {
          if (ch === '\n') flush();
          else current += ch;
        }
      }
    }
  }
  if (current.trim() || startsOpaque) flush();
  return lines.map((l) => l.slice(0, 1));
}

class Builder {
  text = '';
  runs: OffsetRun[] = [];
  spans: RenderedSpan[] = [];
  synth(s: string): void {
    this.text += s;
  }
  parts(parts: WordPart[]): void {
    for (const p of parts) {
      if (p.kind === 'var') {
        const word = placeholder(p.markup);
        this.spans.push({ start: p.start, end: p.end, engine: 'shell', kind: 'expression', markup: p.markup, renderedStart: this.text.length, renderedEnd: this.text.length + word.length, standalone: false });
        this.run(p.start, word.length);
        this.text += word;
      } else if (p.source < 0) {
        this.text += p.text;
      } else {
        this.run(p.source, p.text.length);
        this.text += p.text;
      }
    }
  }
  private run(source: number, length: number): void {
    const last = this.runs[this.runs.length - 1];
    if (last && last.rendered + last.length === this.text.length && last.source + last.length === source) last.length += length;
    else this.runs.push({ rendered: this.text.length, source, length });
  }
}

function renderIni(writes: IniWrite[]): Builder {
  const b = new Builder();
  if (writes.length === 0) return b;
  // iniset replaces an option already in the file: in place, the last value wins
  const byKey = new Map<string, IniWrite>();
  const order: string[] = [];
  for (const w of writes) {
    const key = literal(w.key)!;
    if (!byKey.has(key)) order.push(key);
    byKey.set(key, w);
  }
  b.synth('[');
  b.parts(writes[0].section.parts);
  b.synth(']\n');
  for (const key of order) {
    const w = byKey.get(key)!;
    b.parts(w.key.parts);
    b.synth(' = ');
    // a newline in a value would end the option: the rest is kept on the line, as iniset writes it
    if (w.value) b.parts(w.value.parts.map((p) => (p.kind === 'lit' && p.text.includes('\n') ? { ...p, text: p.text.replace(/\n/g, ' ') } : p)));
    b.synth('\n');
  }
  return b;
}

function renderApache(writes: TextWrite[]): Builder {
  let from = 0;
  writes.forEach((w, k) => { if (!w.append) from = k; }); // a write without -a or >> starts the file afresh
  const b = new Builder();
  for (const w of writes.slice(from)) for (const piece of w.pieces) ('synthetic' in piece ? b.synth(piece.synthetic) : b.parts(piece.parts));
  // a line that starts with an expansion may stand for whole directives or for nothing: a comment
  for (const s of b.spans) {
    const lineStart = b.text.lastIndexOf('\n', s.renderedStart - 1) + 1;
    if (b.text.slice(lineStart, s.renderedStart).trim() === '') {
      s.standalone = true;
      b.text = b.text.slice(0, s.renderedStart) + '#' + b.text.slice(s.renderedStart + 1);
    }
  }
  return b;
}

interface Scope { name: string | null; writes: Write[] }

/** Variants of one function: consistent choices of the branches its writes are under, covering each branch once if the bound allows. */
function chooseVariants(writes: Write[], all: ShellDecision[], maxVariants: number) {
  const ids = new Set<number>();
  for (const w of writes) for (const p of w.path) ids.add(p.decision);
  const decisions = all.filter((d) => ids.has(d.id));
  const uncovered = new Set<string>();
  for (const d of decisions) for (let a = 0; a < d.alternatives; a++) uncovered.add(`${d.id}:${a}`);
  const total = uncovered.size;
  const variants: Map<number, number>[] = [];
  while (variants.length < maxVariants) {
    const choice = new Map<number, number>();
    const truth = new Map<string, boolean>();
    const reached = (d: ShellDecision): boolean => !d.parent || (choice.get(d.parent.decision) === d.parent.alternative);
    const sets = (d: ShellDecision, a: number): [string, boolean][] => {
      const out: [string, boolean][] = [];
      d.conditions.forEach((c, k) => {
        if (!c || k > a) return;
        out.push([c.atom, k === a ? !c.negated : c.negated]);
      });
      return out;
    };
    const agrees = (atom: string, v: boolean) => !truth.has(atom) || truth.get(atom) === v;
    /** Alternatives that agree with the truth so far: those before them false, theirs true (linear in the branches). */
    const possible = (d: ShellDecision): number[] => {
      const out: number[] = [];
      for (let a = 0; a < d.alternatives; a++) {
        const c = d.conditions[a];
        if (!c || agrees(c.atom, !c.negated)) out.push(a);
        if (c && !agrees(c.atom, c.negated)) break; // this condition cannot be false: no later alternative
      }
      return out;
    };
    for (const d of decisions) {
      if (!reached(d)) continue;
      const candidates = possible(d);
      const pick = candidates.find((a) => uncovered.has(`${d.id}:${a}`)) ?? candidates[0] ?? 0;
      choice.set(d.id, pick);
      for (const [atom, v] of sets(d, pick)) truth.set(atom, v);
    }
    const fresh = [...choice].filter(([d, a]) => uncovered.has(`${d}:${a}`));
    if (variants.length > 0 && fresh.length === 0) break;
    for (const [d, a] of fresh) uncovered.delete(`${d}:${a}`);
    variants.push(choice);
    if (uncovered.size === 0) break;
  }
  const capped = variants.length >= maxVariants && uncovered.size > 0;
  return { decisions, variants, coverage: { alternatives: total, covered: total - uncovered.size, capped, unreachable: capped ? 0 : uncovered.size }, firstUncovered: capped ? [...uncovered][0] : undefined };
}

/** Read the configs a shell script writes. Never throws. */
export function readShellWriters(text: string, options: ShellWriterOptions = {}): ShellWriterResult {
  const file = options.file ?? '';
  const lineIndex = new LineIndex(text);
  const problems: Finding[] = [];
  const problem = (ruleId: string, severity: Finding['severity'], start: number, end: number, message: string) =>
    problems.push({ ruleId, severity, message, location: lineIndex.location(file, start, end) });
  try {
    const maxVariants = Math.max(1, Math.floor(options.maxVariants ?? 8));
    const maxConfigs = Math.max(1, Math.floor(options.maxConfigs ?? 200));
    const lexed = lexShell(text, { maxTokens: options.maxTokens ?? 2_000_000 });
    if (lexed.truncated) {
      const at = lexed.tokens.length ? (lexed.tokens[lexed.tokens.length - 1] as { end?: number; word?: { end: number } }) : undefined;
      const offset = at ? (at.end ?? at.word?.end ?? 0) : 0;
      problem('budget-exceeded', 'warning', offset, offset, 'this script has more shell words than deploylint reads from one script; the configs written after this point are not read');
    }
    const structure = readStructure(text, lexed.tokens);
    if (structure.tooDeep) {
      problem('template-unsupported', 'info', structure.tooDeep.start, structure.tooDeep.end, 'if/case blocks nested deeper than 100 are read as part of the enclosing branch');
    }
    const scopes = new Map<string, Scope>();
    for (const w of structure.writes) {
      const key = w.scope ?? '';
      if (!scopes.has(key)) scopes.set(key, { name: w.scope, writes: [] });
      scopes.get(key)!.writes.push(w);
    }
    const configs: GeneratedConfig[] = [];
    for (const scope of scopes.values()) {
      // the groups of this function: by format and file expression
      const groups = new Map<string, Write[]>();
      for (const w of scope.writes) {
        const key = `${w.kind}\0${w.fileKey}`;
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key)!.push(w);
      }
      // An ini the function does not start (no `rm`/`> FILE` of it before its first iniset) adds to
      // one written elsewhere (a plugin's iniset after devstack's write_uwsgi_config): the options
      // set there are unknown, and rules that judge what is missing would be wrong. Not read.
      const started = (g: Write[]) => structure.resets.some((r) => r.scope === scope.name && r.fileKey === g[0].fileKey && r.start < g[0].start);
      const kept = [...groups.values()].filter((g) => (g[0].kind === 'ini' ? started(g) : looksLikeApache(firstWords(g as TextWrite[]))));
      if (kept.length === 0) continue;
      const chosen = chooseVariants(kept.flat(), structure.decisions, maxVariants);
      if (chosen.coverage.capped && chosen.firstUncovered) {
        const d = structure.decisions[Number(chosen.firstUncovered.split(':')[0])];
        problem('template-variants-capped', 'info', d.start, d.headEnd,
          `${chosen.coverage.alternatives - chosen.coverage.covered} of ${chosen.coverage.alternatives} branches of ${scope.name ?? 'the top level'} are in none of the ${maxVariants} variants read (this block is the first); raise the template-variants budget (--budget template-variants=N) to read them`);
      }
      const counts = { ini: 0, text: 0 };
      for (const group of kept) {
        if (configs.length >= maxConfigs) {
          problem('budget-exceeded', 'warning', group[0].start, group[0].end, `this script writes more than ${maxConfigs} configs; the rest are not read`);
          return { configs, problems };
        }
        const kind = group[0].kind;
        const n = ++counts[kind];
        const name = `${scope.name ?? 'top'}${n > 1 ? `-${n}` : ''}.${kind === 'ini' ? 'ini' : 'conf'}`;
        configs.push({ name, scope: scope.name, kind: kind === 'ini' ? 'uwsgi-ini' : 'apache', fileExpression: text.slice(group[0].file.start, group[0].file.end), template: groupTemplate(text, file, lineIndex, group, chosen) });
      }
    }
    return { configs, problems };
  } catch (err) {
    problem('internal-error', 'error', 0, 0, `deploylint could not read the configs this script writes: ${(err as Error).message}`);
    return { configs: [], problems };
  }
}

function groupTemplate(text: string, file: string, lineIndex: LineIndex, group: Write[], chosen: ReturnType<typeof chooseVariants>): TemplateResult {
  const rendered: { builder: Builder; choices: BranchChoice[] }[] = [];
  for (const choice of chosen.variants) {
    const taken = group.filter((w) => w.path.every((p) => choice.get(p.decision) === p.alternative));
    if (taken.length === 0) continue; // this variant writes nothing to this file
    const builder = group[0].kind === 'ini' ? renderIni(taken as IniWrite[]) : renderApache(taken as TextWrite[]);
    const choices: BranchChoice[] = chosen.decisions.filter((d) => choice.has(d.id)).map((d) => {
      const alternative = choice.get(d.id)!;
      const tag = d.branchTags[alternative];
      return { start: d.start, end: d.end, opening: d.opening, alternative, alternatives: d.alternatives, branchTag: tag ? { start: tag.start, end: tag.end, text: tag.text } : null };
    });
    rendered.push({ builder, choices });
  }
  if (rendered.length === 0) rendered.push({ builder: new Builder(), choices: [] });
  // the ini and the Apache lines of one function stay in step: variant k of both takes the same branches
  // where both are written; a file this variant does not write reads as its first rendering
  const variants = chosen.variants.length > 0 ? chosen.variants.map((_, k) => rendered[Math.min(k, rendered.length - 1)]) : rendered;
  const spans = new Map<number, TemplatedSpan>();
  for (const w of group) {
    const words = w.kind === 'ini' ? [w.key, w.value] : w.pieces.map((p) => ('parts' in p ? { parts: p.parts } : null));
    for (const word of words) for (const p of word?.parts ?? []) if (p.kind === 'var') spans.set(p.start, { start: p.start, end: p.end, engine: 'shell', kind: 'expression', markup: p.markup });
  }
  const decisions: TemplateDecision[] = chosen.decisions.map((d) => ({
    kind: d.kind, start: d.start, end: d.end, opening: d.opening, closeStart: d.end, closeEnd: d.end, alternatives: d.alternatives,
    branches: d.branchTags.map((t, k) => ({ tagStart: t.start, tagEnd: t.end, bodyStart: t.end, bodyEnd: d.branchTags[k + 1]?.start ?? d.end })),
  }));
  return {
    source: text, file, engines: ['shell'], isTemplate: true,
    variants: variants.map((v, k) => new TemplateVariant(k, v.builder.text, v.builder.runs, v.builder.spans, v.choices, lineIndex)),
    spans: [...spans.values()].sort((a, b) => a.start - b.start), problems: [], coverage: chosen.coverage, decisions, lineIndex,
  };
}
