/**
 * Hover: what is under the cursor, from the syntax trees (read-only) and the knowledge tables.
 *   - a uWSGI option key: its help, argument kind, default and plugin;
 *   - an Apache directive or section name: its syntax, contexts, default and module;
 *   - a finding's range: the rule's description, how to fix it, and its page.
 */
import type { Finding } from '../core/finding';
import type { RuleMeta } from '../engine/types';
import type { InputKind } from '../input/kind';
import { getApacheDirective, suggestApacheDirective } from '../knowledge/apache-directives';
import { uwsgiLine, type Targets } from '../knowledge/targets';
import { getUwsgiDefault } from '../knowledge/uwsgi-defaults';
import { getUwsgiOption, suggestUwsgiOption } from '../knowledge/uwsgi-options';
import { parseApacheConfig } from '../parsers/apache';
import type { ApacheSyntaxNode } from '../parsers/apache/syntax';
import { parseUwsgiIni } from '../parsers/uwsgi-ini';

export interface HoverInput {
  text: string;
  file: string;
  kind: InputKind | undefined;
  /** Cursor offset in `text`. */
  offset: number;
  /** Findings whose range holds the cursor. */
  findings: Finding[];
  targets: Targets;
  metaOf(ruleId: string): RuleMeta | undefined;
  docsUrl(ruleId: string): string | undefined;
  /** Texts longer than this are not parsed for hover (they are over the file-bytes budget). */
  maxChars: number;
}

export interface HoverResult {
  markdown: string;
  /** Offsets of what the hover is about, for the editor to highlight. */
  range?: { start: number; end: number };
}

export function hoverAt(input: HoverInput): HoverResult | undefined {
  const parts: string[] = [];
  let range: HoverResult['range'];
  for (const f of uniqueRules(input.findings)) parts.push(findingHover(f, input));
  if (input.text.length <= input.maxChars) {
    const syntax = input.kind === 'uwsgi-ini' ? uwsgiKeyHover(input) : input.kind === 'apache' ? apacheDirectiveHover(input) : undefined;
    if (syntax) {
      parts.push(syntax.markdown);
      range = syntax.range;
    }
  }
  if (parts.length === 0) return undefined;
  return { markdown: parts.join('\n\n---\n\n'), range };
}

function uniqueRules(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(f.ruleId) && seen.add(f.ruleId));
}

function findingHover(f: Finding, input: HoverInput): string {
  const meta = input.metaOf(f.ruleId);
  const url = input.docsUrl(f.ruleId);
  const lines = [`**deploylint: \`${f.ruleId}\`** (${f.severity}${meta ? `, ${meta.category}` : ''})`];
  if (meta) {
    lines.push('', escapeMarkdown(meta.description) + '.');
    if (meta.fixHint) lines.push('', `Fix: ${escapeMarkdown(meta.fixHint)}`);
  }
  if (url) lines.push('', `[Rule page](${url})`);
  return lines.join('\n');
}

function uwsgiKeyHover(input: HoverInput): HoverResult | undefined {
  const doc = parseUwsgiIni(input.text, input.file);
  const entry = doc.lines.find((l) => l.kind === 'entry' && l.keyRange.start.offset <= input.offset && input.offset <= l.keyRange.end.offset);
  if (!entry || entry.kind !== 'entry') return undefined;
  const key = entry.key;
  const range = { start: entry.keyRange.start.offset, end: entry.keyRange.end.offset };
  const line = uwsgiLine(input.targets);
  const info = getUwsgiOption(key, line);
  if (!info) {
    const suggestions = suggestUwsgiOption(key, line);
    const mean = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?` : '';
    return { markdown: `**\`${code(key)}\`**: not a uWSGI ${line} option; uWSGI ignores the line (or exits under \`strict\`).${mean}`, range };
  }
  const dflt = getUwsgiDefault(info.name, input.targets.uwsgi);
  const lines = [
    `**\`${code(info.name)}\`**: uWSGI ${line} option${info.plugin === 'core' ? '' : ` of the \`${code(info.plugin)}\` plugin`}`,
    '',
    escapeMarkdown(info.help || '(no help text in uWSGI\'s option table)'),
    '',
    `- argument: ${ARGUMENT[info.argument]}`,
    `- default: ${dflt ? `\`${code(dflt.value === '' ? '(unset)' : dflt.value)}\`: ${escapeMarkdown(dflt.meaning)}` : 'not in deploylint\'s defaults table'}`,
    `- plugin: \`${code(info.plugin)}\``,
    `- repeated: ${info.list ? 'each occurrence adds a value' : 'the last occurrence wins'}`,
  ];
  if (info.shortFlag) lines.push(`- command line: \`--${code(info.name)}\` or \`-${code(info.shortFlag)}\``);
  if (info.aliases.length > 0) lines.push(`- same setting as: ${info.aliases.map((a) => `\`${code(a)}\``).join(', ')}`);
  if (!info.inUwsgi2030) lines.push('- not in uWSGI 2.0.30 (master branch only)');
  return { markdown: lines.join('\n'), range };
}

const ARGUMENT = {
  required: 'a value is required',
  optional: 'the value is optional (a bare key is a flag)',
  none: 'a flag: no value (a bare key, or `true`)',
} as const;

function apacheDirectiveHover(input: HoverInput): HoverResult | undefined {
  const doc = parseApacheConfig(input.text, input.file);
  const hit = findApacheName(doc.nodes, input.offset);
  if (!hit) return undefined;
  const range = { start: hit.start, end: hit.end };
  const info = getApacheDirective(hit.name);
  if (!info) {
    const suggestions = suggestApacheDirective(hit.name);
    const mean = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?` : '';
    return { markdown: `**\`${code(hit.name)}\`**: not a directive of httpd 2.4 or mod_wsgi.${mean}`, range };
  }
  const lines = [
    `**\`${info.type === 'section' ? '<' : ''}${code(info.name)}${info.type === 'section' ? '>' : ''}\`**: Apache ${info.type} of \`${code(info.module)}\``,
    '',
    `- syntax: \`${code(info.syntax || info.name)}\``,
    `- context: ${info.contexts.length > 0 ? info.contexts.join(', ') : 'not documented'}`,
  ];
  if (info.default) lines.push(`- default: \`${code(info.default)}\``);
  if (info.override) lines.push(`- in .htaccess with: \`AllowOverride ${code(info.override)}\``);
  lines.push(`- module: \`${code(info.module)}\`${info.moduleStatus ? ` (${info.moduleStatus})` : ''}`);
  if (info.compatibility) lines.push(`- ${escapeMarkdown(info.compatibility)}`);
  return { markdown: lines.join('\n'), range };
}

function findApacheName(nodes: ApacheSyntaxNode[], offset: number): { name: string; start: number; end: number } | undefined {
  for (const n of nodes) {
    if (n.kind === 'directive') {
      const r = n.nameLocation.range;
      if (r.start.offset <= offset && offset <= r.end.offset) return { name: n.name, start: r.start.offset, end: r.end.offset };
    } else if (n.kind === 'section') {
      const r = n.open.nameLocation.range;
      if (r.start.offset <= offset && offset <= r.end.offset) return { name: n.name, start: r.start.offset, end: r.end.offset };
      const c = n.close?.location.range;
      if (c && c.start.offset <= offset && offset <= c.end.offset) return { name: n.name, start: c.start.offset, end: c.end.offset };
      if (n.open.location.range.start.offset <= offset && (n.close ? offset <= n.close.location.range.end.offset : true)) {
        const inner = findApacheName(n.children, offset);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

/** Text from a config file inside inline code: no backticks that would end it. */
function code(s: string): string {
  return s.replace(/`/g, "'").replace(/[\r\n]+/g, ' ');
}

/** Text from deploylint's own tables (rule metadata, uWSGI's help, the httpd manual): shown as written, line breaks kept out. */
function escapeMarkdown(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}
