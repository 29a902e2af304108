/**
 * Inline suppressions, read from comment lines of the linted files:
 *
 *   # deploylint-disable-next-line RULE[,RULE2] [until=2027-06-30|until=glance@33] [-- reason]
 *   # deploylint-disable RULE ...   (to the matching enable, or to the end of the file)
 *   # deploylint-enable RULE
 *
 * `#` starts a comment in both languages, `;` only in ini files. Without a rule id a directive
 * covers every rule. `disable-next-line` covers the next line that is not blank or a comment
 * (so several directives can stack above one line), with its backslash continuation lines.
 * An expired suppression no longer suppresses and is itself reported; so is one that suppresses
 * nothing, so stale pragmas do not pile up.
 */
import type { Finding } from '../core/finding';
import type { RuleMeta } from '../core/rule-meta';
import { compareVersions, resolveTargets } from '../knowledge/targets';

export const SUPPRESSION_EXPIRED = 'suppression-expired';
export const SUPPRESSION_UNUSED = 'suppression-unused';

const DOCS = 'docs/cli.md';
export const SUPPRESSION_RULES: RuleMeta[] = [
  {
    id: SUPPRESSION_EXPIRED,
    severity: 'warning',
    category: 'dead-config',
    description: 'An inline suppression is past its until= date or target version and no longer suppresses.',
    docs: DOCS,
    targets: [],
    fixable: false,
    fixHint: 'Fix the finding it suppressed, or extend until= with a reason.',
  },
  {
    id: SUPPRESSION_UNUSED,
    severity: 'warning',
    category: 'dead-config',
    description: 'An inline suppression matches no finding.',
    docs: DOCS,
    targets: [],
    fixable: false,
    fixHint: 'Remove the suppression comment (or correct its rule id).',
  },
];

export type DirectiveType = 'disable-next-line' | 'disable' | 'enable';

export interface SuppressionDirective {
  file: string;
  type: DirectiveType;
  /** Empty: every rule. */
  ruleIds: string[];
  until?: string;
  reason?: string;
  /** 1-based line of the comment. */
  line: number;
  column: number;
  /** Offset of the comment's first character and of the end of its line. */
  startOffset: number;
  endOffset: number;
  text: string;
}

const DIRECTIVE = /^([ \t]*)([#;])[ \t]*deploylint-(disable-next-line|disable|enable)(?=$|[ \t])(.*)$/;

/** The characters that start a comment line: `#` in both languages, `;` too in ini files. */
function commentChars(input: Pick<SuppressionInput, 'ini'>): string {
  return input.ini ? '#;' : '#';
}

export function parseSuppressions(input: SuppressionInput): SuppressionDirective[] {
  const { file, text } = input;
  const comments = commentChars(input);
  const directives: SuppressionDirective[] = [];
  let offset = 0;
  const lines = text.split('\n');
  lines.forEach((rawLine, i) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const m = DIRECTIVE.exec(line);
    if (m && comments.includes(m[2])) {
      let body = m[4];
      let reason: string | undefined;
      const dashes = body.search(/(^|[ \t])--([ \t]|$)/);
      if (dashes >= 0) {
        reason = body.slice(dashes).replace(/^[ \t]*--/, '').trim() || undefined;
        body = body.slice(0, dashes);
      }
      const ruleIds: string[] = [];
      let until: string | undefined;
      for (const token of body.split(/[\s,]+/).filter(Boolean)) {
        if (token.startsWith('until=')) until = token.slice('until='.length);
        else ruleIds.push(token);
      }
      directives.push({
        file,
        type: m[3] as DirectiveType,
        ruleIds,
        until,
        reason,
        line: i + 1,
        column: m[1].length + 1,
        startOffset: offset + m[1].length,
        endOffset: offset + line.length,
        text: line.trim(),
      });
    }
    offset += rawLine.length + 1;
  });
  return directives;
}

export interface ExpiryContext {
  /** YYYY-MM-DD (UTC) */
  today: string;
  /** Targets as given (`--target`, config `targets`); defaults fill the rest. */
  targets: Record<string, string>;
}

/** Why a directive has expired, or null while it still holds. */
export function expiryReason(until: string, ctx: ExpiryContext): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(until)) {
    return ctx.today > until ? `expired on ${until}` : null;
  }
  const m = /^([A-Za-z][\w-]*)@(\d+(?:\.\d+)*)$/.exec(until);
  if (m) {
    const component = m[1].toLowerCase();
    const t = resolveTargets(ctx.targets);
    const current = component === 'uwsgi' ? t.uwsgi : component === 'httpd' || component === 'apache' ? t.httpd : /^mod[-_]?wsgi$/.test(component) ? t.modWsgi : t.services[component];
    if (current === undefined) return null; // no target known for that component: cannot tell, keep it
    return compareVersions(current, m[2]) >= 0 ? `the ${component} target is ${current}, at or past ${m[2]}` : null;
  }
  return `until=${until} is neither a date (YYYY-MM-DD) nor component@version`;
}

interface Span {
  directive: SuppressionDirective;
  /** Rule id, or '*' for every rule. */
  ruleId: string;
  from: number;
  to: number;
}

function isCommentOrBlank(line: string, comments: string): boolean {
  const t = line.trim();
  return t === '' || comments.includes(t[0]);
}

function spansFor(directives: SuppressionDirective[], lines: string[], comments: string): Span[] {
  const spans: Span[] = [];
  const open = new Map<string, Span>();
  for (const d of directives) {
    const ids = d.ruleIds.length > 0 ? d.ruleIds : ['*'];
    if (d.type === 'disable-next-line') {
      let target = d.line + 1;
      while (target <= lines.length && isCommentOrBlank(lines[target - 1], comments)) target++;
      let last = target;
      while (last <= lines.length && /\\\s*$/.test(lines[last - 1] ?? '')) last++;
      for (const id of ids) spans.push({ directive: d, ruleId: id, from: target, to: last });
    } else if (d.type === 'disable') {
      for (const id of ids) {
        const span = { directive: d, ruleId: id, from: d.line + 1, to: Number.MAX_SAFE_INTEGER };
        spans.push(span);
        open.set(id, span);
      }
    } else {
      const toClose = d.ruleIds.length > 0 ? d.ruleIds : [...open.keys()];
      for (const id of toClose) {
        const span = open.get(id);
        if (span) {
          span.to = d.line - 1;
          open.delete(id);
        }
      }
    }
  }
  return spans;
}

export interface SuppressionInput {
  file: string;
  text: string;
  /** `;` comments count only in ini files. */
  ini: boolean;
}

export interface SuppressionOutcome {
  /** Findings left after suppression. */
  findings: Finding[];
  /** suppression-expired and suppression-unused findings. */
  reported: Finding[];
  suppressedCount: number;
}

function directiveFinding(d: SuppressionDirective, ruleId: string, message: string): Finding {
  const start = { line: d.line, column: d.column, offset: d.startOffset };
  const end = { line: d.line, column: d.column + (d.endOffset - d.startOffset), offset: d.endOffset };
  return { ruleId, severity: 'warning', message, location: { file: d.file, range: { start, end } } };
}

export function applySuppressions(findings: Finding[], inputs: SuppressionInput[], ctx: ExpiryContext): SuppressionOutcome {
  const reported: Finding[] = [];
  const spansByFile = new Map<string, Span[]>();
  for (const input of inputs) {
    const directives = parseSuppressions(input);
    if (directives.length === 0) continue;
    const active: SuppressionDirective[] = [];
    for (const d of directives) {
      const expired = d.until && d.type !== 'enable' ? expiryReason(d.until, ctx) : null;
      if (expired) {
        reported.push(directiveFinding(d, SUPPRESSION_EXPIRED, `Suppression of ${d.ruleIds.join(', ') || 'every rule'} no longer applies: ${expired}. Fix the finding or renew the suppression with a reason.`));
      } else {
        active.push(d);
      }
    }
    const lines = input.text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    spansByFile.set(input.file, spansFor(active, lines, commentChars(input)));
  }
  const used = new Set<Span>();
  let suppressedCount = 0;
  const kept = findings.filter((f) => {
    const spans = spansByFile.get(f.location.file);
    if (!spans) return true;
    const line = f.location.range.start.line;
    const match = spans.find((s) => (s.ruleId === '*' || s.ruleId === f.ruleId) && line >= s.from && line <= s.to);
    if (!match) return true;
    used.add(match);
    // Every span that covers it counts as used, so overlapping pragmas are not reported as unused.
    for (const s of spans) if ((s.ruleId === '*' || s.ruleId === f.ruleId) && line >= s.from && line <= s.to) used.add(s);
    suppressedCount++;
    return false;
  });
  for (const spans of spansByFile.values()) {
    for (const s of spans) {
      if (used.has(s)) continue;
      const what = s.ruleId === '*' ? 'any rule' : s.ruleId;
      reported.push(directiveFinding(s.directive, SUPPRESSION_UNUSED, `Suppression for ${what} matches no finding; remove it.`));
    }
  }
  return { findings: kept, reported, suppressedCount };
}

/**
 * The texts suppression comments are read from: every file of the run (those given and those they
 * include) and any other file a finding points into, read with `readText`. A file is an ini file
 * (where `;` comments count) when it was read as one, or by its extension.
 */
export function suppressionInputs(
  files: { path: string; ini: boolean }[], findings: Finding[], readText: (file: string) => string | undefined,
): SuppressionInput[] {
  const ini = new Map<string, boolean>();
  for (const f of files) if (!ini.has(f.path)) ini.set(f.path, f.ini);
  for (const f of findings) if (!ini.has(f.location.file)) ini.set(f.location.file, /\.ini$/i.test(f.location.file));
  const inputs: SuppressionInput[] = [];
  for (const [file, isIni] of ini) {
    const text = readText(file);
    if (text !== undefined && text.includes('deploylint-')) inputs.push({ file, text, ini: isIni });
  }
  return inputs;
}
