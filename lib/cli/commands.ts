/** Subcommands: `rules` (the rule table), `explain ID` (a rule's docs page), `parse` (what the parsers see). */
import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../core/finding';
import type { EffectiveConfig } from '../config/types';
import { splitSection } from '../input/file-arg';
import { detectInputKind } from '../input/kind';
import { UsageError } from './errors';
import type { CliArgs } from './args';
import { colorLevel, type CliIO } from './io';
import { allRuleMetas } from './modules';
import { packageInfo } from './package-info';

export function rulesCommand(args: CliArgs, io: CliIO): number {
  const metas = allRuleMetas();
  if (args.format === 'json') {
    io.stdout.write(JSON.stringify(metas, null, 2) + '\n');
    return 0;
  }
  if (args.format && args.format !== 'stylish') throw new UsageError('deploylint rules: --format takes json or stylish');
  const rows = [['ID', 'SEVERITY', 'CATEGORY', 'FIXABLE', 'DESCRIPTION'], ...metas.map((m) => [m.id, m.severity, m.category, m.fixable ? 'yes' : 'no', m.description])];
  const widths = [0, 1, 2, 3].map((c) => rows.reduce((w, r) => Math.max(w, r[c].length), 0));
  io.stdout.write(rows.map((r) => r.map((cell, c) => (c < 4 ? cell.padEnd(widths[c]) : cell)).join('  ').trimEnd()).join('\n') + '\n');
  return 0;
}

/** Keep only the `## Heading` section a `docs/x.md#anchor` docs path points at. */
function sectionOf(markdown: string, anchor: string): string {
  const lines = markdown.split('\n');
  const slug = (h: string) => h.toLowerCase().replace(/[^a-z0-9 -]/g, '').trim().replace(/ /g, '-');
  const start = lines.findIndex((l) => /^#{1,6} /.test(l) && slug(l.replace(/^#+ /, '')) === anchor);
  if (start < 0) return markdown;
  const level = /^#+/.exec(lines[start])![0].length;
  let end = lines.findIndex((l, i) => i > start && new RegExp(`^#{1,${level}} `).test(l));
  if (end < 0) end = lines.length;
  return lines.slice(start, end).join('\n').trimEnd() + '\n';
}

function renderMarkdown(markdown: string, level: 0 | 1 | 2 | 3): string {
  if (level === 0) return markdown;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const chalk = require('chalk') as typeof import('chalk');
  const c = new chalk.Instance({ level });
  let inCode = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^```/.test(line)) {
        inCode = !inCode;
        return c.dim(line);
      }
      if (inCode) return c.cyan(line);
      if (/^#{1,6} /.test(line)) return c.bold.underline(line.replace(/^#+ /, ''));
      return line.replace(/`([^`]+)`/g, (_, code: string) => c.cyan(code)).replace(/\*\*([^*]+)\*\*/g, (_, b: string) => c.bold(b));
    })
    .join('\n');
}

export function explainCommand(args: CliArgs, io: CliIO): number {
  if (args.positionals.length !== 1) throw new UsageError('usage: deploylint explain RULE-ID');
  const id = args.positionals[0];
  const meta = allRuleMetas().find((m) => m.id === id);
  const docsPath = meta?.docs ?? `docs/rules/${id}.md`;
  const [file, anchor] = docsPath.split('#');
  let text: string;
  try {
    text = fs.readFileSync(path.join(packageInfo().root, file), 'utf8');
  } catch {
    if (!meta) throw new UsageError(`unknown rule "${id}"${didYouMean(id, allRuleMetas().map((m) => m.id))} (see deploylint rules)`);
    text = `# ${meta.id}\n\n${meta.description}\n\nFix: ${meta.fixHint}\n`;
  }
  if (anchor) text = sectionOf(text, anchor);
  else if (file === 'docs/cli.md') text = sectionOf(text, 'inline-suppressions');
  io.stdout.write(renderMarkdown(text.endsWith('\n') ? text : text + '\n', colorLevel(args.color, io.env, !!io.stdout.isTTY)));
  return 0;
}

/** ` (did you mean "x"?)` for the nearest rule ids, as for a misspelt option. */
function didYouMean(id: string, ids: string[]): string {
  const { editDistance } = require('../core/edit-distance') as typeof import('../core/edit-distance');
  const limit = Math.max(2, Math.floor(id.length / 4));
  const scored = ids.map((c) => ({ c, d: editDistance(id, c, limit) })).filter((x) => x.d <= limit);
  // a fragment of an id (`chunked`) names the rules that hold it
  const holding = id.length >= 4 ? ids.filter((c) => c.includes(id)) : [];
  const best = scored.length ? scored.sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1)).filter((x) => x.d === scored[0].d).map((x) => x.c) : holding.slice(0, 5);
  return best.length ? `; did you mean ${best.map((c) => `"${c}"`).join(' or ')}?` : '';
}

function writeParseFindings(findings: Finding[], io: CliIO): void {
  for (const f of findings) {
    const s = f.location.range.start;
    io.stderr.write(`${f.location.file}:${s.line}:${s.column}: ${f.severity}: ${f.message} [${f.ruleId}]\n`);
  }
}

/**
 * Tree dumps read as structure: a location becomes `file:line:column`, and helper objects the
 * parsers keep for themselves (anything holding the whole file text, such as line indexes and
 * readers) are left out, as is the text itself.
 */
function treeReplacer(fullText: string) {
  return function replace(this: unknown, key: string, value: unknown): unknown {
    if (value instanceof Set) return [...value];
    if (value === fullText && key !== '') return undefined;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      if ((value as { text?: unknown }).text === fullText && key !== '') return undefined;
      if ('range' in (value as object) && 'file' in (value as object)) {
        const loc = value as { file: string; range: { start: { line: number; column: number } } };
        return `${loc.file}:${loc.range.start.line}:${loc.range.start.column}`;
      }
    }
    return value;
  };
}

export function parseCommand(args: CliArgs, io: CliIO, configFor: (dir: string) => EffectiveConfig): number {
  if (args.positionals.length !== 1) throw new UsageError('usage: deploylint parse [--resolved|--includes|--tree] FILE[:section]');
  const { file, section } = splitSection(args.positionals[0]);
  const abs = path.resolve(io.cwd, file);
  // the same gate as linting: the file's directory and --allow-read, nothing a config names
  const { makeGate } = require('./gate') as typeof import('./gate');
  const gate = makeGate(args, io, [path.dirname(abs)]);
  const read = gate.readFile(abs);
  if (!read.ok) {
    io.stderr.write(`deploylint: cannot read ${file}: ${read.code === 'outside' ? 'a symbolic link to a file outside its directory (use --allow-read DIR)' : read.reason}\n`);
    return 2;
  }
  const text = read.bytes.toString('utf8');
  const config = configFor(path.dirname(abs));
  // no environment given: apache2.conf reads the envvars beside it, as linting does
  const env = Object.keys(config.env).length > 0 ? config.env : undefined;
  const kind = detectInputKind(section ? `${file}:${section}` : file, text);
  if (!kind) throw new UsageError(`${file}: not recognised as a uWSGI ini file or an Apache config`);
  const mode = args.parseMode ?? 'resolved';
  if (kind === 'shell-script') {
    // what the script writes: each generated config, each variant, as the parsers read it
    const { readShellWriters } = require('../templates/shell') as typeof import('../templates/shell');
    const read = readShellWriters(text, { file, maxVariants: gate.budget.limits['template-variants'] });
    const out: string[] = [];
    for (const c of read.configs) {
      // a variant that does not write this file reads as an earlier rendering: shown once
      const texts = [...new Set(c.template.variants.map((v) => v.text))];
      texts.forEach((text, k) => out.push(`# ${file}#${c.name} (${c.kind}, written to ${c.fileExpression}), variant ${k + 1} of ${texts.length}\n${ensureNewline(text)}\n`));
    }
    io.stdout.write(out.join(''));
    writeParseFindings(read.problems, io);
    return 0;
  }
  if (kind === 'uwsgi-ini') {
    if (mode === 'tree') {
      const { parseUwsgiIni } = require('../parsers/uwsgi-ini') as typeof import('../parsers/uwsgi-ini');
      io.stdout.write(JSON.stringify(parseUwsgiIni(text, file), treeReplacer(text), 2) + '\n');
      return 0;
    }
    const parser = require('../resolve/uwsgi-ini') as typeof import('../resolve/uwsgi-ini');
    const resolved = parser.resolveUwsgiIni(abs, {
      section, env, gate, cwd: path.dirname(abs),
      ...(args.hostFacts ? {} : { runtime: { hostFactsAsWritten: true } }),
    });
    writeParseFindings(resolved.findings, io);
    if (mode === 'includes') io.stdout.write(resolved.files.join('\n') + '\n');
    else io.stdout.write(ensureNewline(parser.printResolvedUwsgi(resolved)));
    return 0;
  }
  if (mode === 'tree') {
    const { parseApacheConfig } = require('../parsers/apache') as typeof import('../parsers/apache');
    io.stdout.write(JSON.stringify(parseApacheConfig(text, file), treeReplacer(text), 2) + '\n');
    return 0;
  }
  const parser = require('../resolve/apache') as typeof import('../resolve/apache');
  const resolved = parser.resolveApacheConfig(abs, { env, gate, checkHostFiles: false, ...(config.targets.httpd ? { httpdVersion: config.targets.httpd } : {}) });
  writeParseFindings(resolved.findings, io);
  if (mode === 'includes') io.stdout.write(ensureNewline(parser.dumpApacheIncludes(resolved)));
  else io.stdout.write(ensureNewline(parser.dumpApacheConfig(resolved)));
  return 0;
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') || s === '' ? s : s + '\n';
}
