/**
 * The template layer: template text in, plain config variants out, each with a map back to the
 * template's own positions and the list of its templated spans. No file I/O. See README.md.
 *
 * Mechanism: bounded branch enumeration (not alternatives carried into the model). Each variant is a
 * consistent choice of one alternative per control block, rendered to plain text that the existing
 * Apache and uWSGI parsers read unchanged; so a branch never meets its sibling, every rule works on
 * variants as on any config, and only positions need mapping back. Carrying alternatives into the
 * syntax trees would have to change both parsers, both resolvers, the model and every rule, and an
 * alternative can open a `<VirtualHost>` that another part of the file closes, which no line-based
 * tree can hold as a choice. Variants are picked to cover every branch at least once (see
 * variants.ts); the bound (default 8) keeps the cost at O(file size x variants), and a cut is
 * reported as `template-variants-capped`.
 */
import type { Finding } from '../core/finding';
import { LineIndex } from '../core/source';
import { scanTemplate, type Token } from './scan';
import { buildTree, short, type Dialects } from './tree';
import { TemplateVariant } from './variant';
import { renderVariants } from './variants';
import { applyWhitespaceControl } from './whitespace';
import {
  ALL_ENGINES, DEFAULT_MAX_VARIANTS,
  type TemplateCoverage, type TemplateDecision, type TemplateDetection, type TemplateEngine, type TemplatedSpan, type TemplateOptions,
} from './types';

export * from './types';
export { TemplateVariant } from './variant';
export { placeholder } from './variants';
export { templatedSpansIn, TemplatedFiles, dedupeFindings } from './lookup';

export interface TemplateResult {
  /** The template source, as given. */
  source: string;
  file: string;
  /** Engines read (detected, or as given). Empty: not a template; the one variant is the source itself. */
  engines: TemplateEngine[];
  isTemplate: boolean;
  /** At least one. */
  variants: TemplateVariant[];
  /** Every expression of the source (also those in branches no variant took), in source order. */
  spans: TemplatedSpan[];
  /** Template problems, positioned in the source (ids: template-syntax, template-include, template-variants-capped, template-unsupported). */
  problems: Finding[];
  coverage: TemplateCoverage;
  /** Every control block, in source order (also those inside definitions no variant renders). */
  decisions: TemplateDecision[];
  /** Line index of the source, with the line counting of the target (httpd counts LF only). */
  lineIndex: LineIndex;
}

/** Like the parsers: past this many problems in one file, the rest are counted, not listed. */
export const MAX_PROBLEMS = 100;

interface RawProblem { start: number; end: number; severity: Finding['severity']; message: string; ruleId?: string }

const GO_HINT = /^(\.|\$|\/\*|(if|else|end|range|with|define|template|block)(\s|$)|(include|tuple|printf|toYaml)\s)/;

function extensionEngine(fileName: string | undefined): TemplateEngine | null {
  const base = (fileName ?? '').toLowerCase();
  if (/\.(j2|jinja2?)$/.test(base)) return 'jinja2';
  if (/\.erb$/.test(base)) return 'erb';
  if (/\.epp$/.test(base)) return 'epp';
  return null;
}

function dialectsOf(tokens: Token[], text: string, fileName?: string): Dialects {
  let jinjaOnly = false;
  let goHint = false;
  let rubyVar = false;
  let puppet = false;
  for (const t of tokens) {
    if (t.family === 'curly') {
      if (!text.startsWith('{{', t.start)) jinjaOnly = true;
      else if (GO_HINT.test(t.code ?? '') || t.kind === 'comment') goHint = true;
    } else if (t.family === 'angle' && t.kind !== 'comment') {
      const code = t.code ?? '';
      if (/@[A-Za-z_]/.test(code)) rubyVar = true;
      if (/^\}|\{$|^\|/.test(code) || /\$[A-Za-z_:]/.test(code)) puppet = true;
    }
  }
  const ext = extensionEngine(fileName);
  return {
    curly: ext === 'jinja2' || jinjaOnly || !goHint ? 'jinja2' : 'go-template',
    angle: ext === 'epp' || (ext !== 'erb' && puppet && !rubyVar) ? 'epp' : 'erb',
  };
}

/**
 * Which template languages a text contains: one linear scan that counts only well-formed markup and
 * never takes config syntax for it (see README.md for the rules and the traps they avoid).
 */
export function detectTemplateEngines(text: string, options: Pick<TemplateOptions, 'target' | 'fileName'> = {}): TemplateDetection {
  const target = options.target ?? 'unknown';
  const { tokens } = scanTemplate(text, { curly: true, angle: true, devstack: true, autoconf: true, shell: target === 'uwsgi-ini', strict: false });
  const dialects = dialectsOf(tokens, text, options.fileName);
  const evidence: TemplateDetection['evidence'] = [];
  const seen = new Set<TemplateEngine>();
  for (const t of tokens) {
    if (t.kind === 'text' || !t.family) continue;
    const engine: TemplateEngine = t.family === 'curly' ? dialects.curly : t.family === 'angle' ? dialects.angle : t.family;
    if (seen.has(engine)) continue;
    seen.add(engine);
    evidence.push({ engine, start: t.start, end: t.end });
  }
  return { engines: ALL_ENGINES.filter((e) => seen.has(e)), evidence };
}

/** Render a template into variants. Never throws; a text without template markup gives one identity variant. */
export function renderTemplate(text: string, options: TemplateOptions = {}): TemplateResult {
  const target = options.target ?? 'unknown';
  const file = options.file ?? options.fileName ?? '';
  const lineIndex = new LineIndex(text, { loneCrBreaksLine: options.loneCrBreaksLine ?? target !== 'apache' });
  const problem = (p: RawProblem): Finding => ({
    ruleId: p.ruleId ?? 'template-syntax', severity: p.severity, message: p.message, location: lineIndex.location(file, p.start, p.end),
  });
  try {
    let engines: TemplateEngine[];
    if (options.engines) {
      engines = ALL_ENGINES.filter((e) => options.engines!.includes(e));
    } else {
      const found = new Set(detectTemplateEngines(text, { target, fileName: options.fileName }).engines);
      const ext = extensionEngine(options.fileName);
      if (ext) found.add(ext);
      engines = ALL_ENGINES.filter((e) => found.has(e));
    }
    if (engines.length === 0) return identity(text, file, lineIndex, [], []);

    const has = (e: TemplateEngine) => engines.includes(e);
    const scanned = scanTemplate(text, {
      curly: has('jinja2') || has('go-template'), angle: has('erb') || has('epp'),
      devstack: has('devstack'), autoconf: has('autoconf'), shell: has('shell'), strict: true,
    });
    const dialects: Dialects = {
      curly: has('jinja2') || !has('go-template') ? 'jinja2' : 'go-template',
      angle: has('erb') || !has('epp') ? 'erb' : 'epp',
    };
    const tokens = applyWhitespaceControl(text, scanned.tokens, {
      trimBlocks: options.trimBlocks ?? true, lstripBlocks: options.lstripBlocks ?? false, angleDialect: dialects.angle,
    });
    const tree = buildTree(text, tokens, dialects);
    const spanOf = new Map(tree.spans.map((s) => [s.start, s]));
    const maxVariants = Math.max(1, Math.floor(options.maxVariants ?? DEFAULT_MAX_VARIANTS));
    const rendered = renderVariants(text, tree.nodes, tree.decisions, spanOf, { maxVariants, standalone: options.standaloneExpressions ?? 'comment' });

    const raw: RawProblem[] = [...scanned.problems, ...tree.problems];
    const { coverage, firstUncovered } = rendered;
    if (coverage.capped && firstUncovered) {
      raw.push({
        ...firstUncovered, severity: 'info', ruleId: 'template-variants-capped',
        message: `${coverage.alternatives - coverage.covered} of ${coverage.alternatives} template branches are in none of the ${maxVariants} variants read (this one is the first); raise the template-variants budget (--budget template-variants=N) to read them`,
      });
    }
    raw.sort((a, b) => a.start - b.start);
    const problems = raw.slice(0, MAX_PROBLEMS).map(problem);
    if (raw.length > MAX_PROBLEMS) {
      const last = raw[raw.length - 1];
      problems.push(problem({ start: last.start, end: last.end, severity: 'error', message: `${raw.length - MAX_PROBLEMS} more template problems not listed` }));
    }
    return {
      source: text, file, engines, isTemplate: true,
      variants: rendered.variants.map((v, i) => new TemplateVariant(i, v.text, v.runs, v.spans, v.choices, lineIndex)),
      spans: tree.spans, problems, coverage, lineIndex,
      decisions: tree.decisions.map((d) => ({
        kind: d.kind, start: d.start, end: d.end, opening: short(text.slice(d.start, d.end)), closeStart: d.closeStart, closeEnd: d.closeEnd,
        alternatives: d.branches.length + (d.implicitEmpty ? 1 : 0),
        branches: d.branches.map((b) => ({ tagStart: b.start, tagEnd: b.end, bodyStart: b.end, bodyEnd: b.bodyEnd })),
      })),
    };
  } catch (err) {
    // a bug here must not take a lint run down: read the file as it is and say so
    return identity(text, file, lineIndex, [], [problem({
      start: 0, end: 0, severity: 'error', ruleId: 'internal-error',
      message: `deploylint could not read the template markup of this file: ${(err as Error).message}`,
    })]);
  }
}

function identity(text: string, file: string, lineIndex: LineIndex, engines: TemplateEngine[], problems: Finding[]): TemplateResult {
  const runs = text.length ? [{ rendered: 0, source: 0, length: text.length }] : [];
  return {
    source: text, file, engines, isTemplate: engines.length > 0,
    variants: [new TemplateVariant(0, text, runs, [], [], lineIndex)],
    spans: [], problems, coverage: { alternatives: 0, covered: 0, capped: false, unreachable: 0 }, decisions: [], lineIndex,
  };
}
