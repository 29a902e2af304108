/**
 * Shared pieces of the parser property tests: run counts, the corpus, arbitraries that speak a
 * little of each config language, corpus mutations, and the checks every parse result must pass.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import type { Finding } from '../../lib/core/finding';
import type { Position, SourceLocation } from '../../lib/core/source';

/** Runs per fast property: FAST_CHECK_RUNS (e.g. 200000 from `npm run fuzz`), else 10,000. */
export const RUNS = Math.max(1, Number(process.env.FAST_CHECK_RUNS ?? 10_000));
/** Properties that touch the disk or read whole corpus files run a quarter as often. */
export const SLOW_RUNS = Math.max(1, Math.ceil(RUNS / 4));
/** The watchdog kills the process when one call runs this long. */
export const WATCHDOG_MS = 30_000;
/** Fixed seed unless FAST_CHECK_SEED is given, so CI failures reproduce. */
export const SEED = process.env.FAST_CHECK_SEED ? Number(process.env.FAST_CHECK_SEED) : 20261122;

export const CORPUS_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus');

/** Every regular file of the corpus (symlinks followed to files), sorted; empty when absent. */
export function corpusFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && entry.name !== 'corpus-manifest.tsv' && entry.name !== 'README.md') out.push(p);
    }
  };
  if (fs.existsSync(CORPUS_DIR)) walk(CORPUS_DIR);
  return out.sort();
}

/** Decode bytes the way both parsers' file readers do: UTF-8 when valid (BOM kept), else latin1. */
export function decodeLikeParsers(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

export interface CorpusText {
  file: string;
  bytes: Buffer;
  text: string;
  uwsgi: boolean;
}

export function loadCorpus(): CorpusText[] {
  return corpusFiles().map((file) => {
    const bytes = fs.readFileSync(file);
    const text = decodeLikeParsers(bytes);
    return { file, bytes, text, uwsgi: /^[ \t]*\[uwsgi\]/m.test(text) };
  });
}

// ---------------------------------------------------------------------------------------------
// Positions

/** Line starts under two line models: LF only (httpd, uWSGI) and LF/CRLF/lone CR (lib/core LineIndex). */
class LineModels {
  readonly lf: number[] = [0];
  readonly any: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        this.lf.push(i + 1);
        this.any.push(i + 1);
      } else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.any.push(i + 1);
    }
  }
  get lineCount(): number {
    return Math.max(this.lf.length, this.any.length);
  }
  static at(starts: number[], offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  }
  consistent(p: Position): boolean {
    const a = LineModels.at(this.lf, p.offset);
    const b = LineModels.at(this.any, p.offset);
    return (a.line === p.line && a.column === p.column) || (b.line === p.line && b.column === p.column);
  }
}

const modelCache = new Map<string, LineModels>();

function describe(f: Finding): string {
  return `${f.ruleId} "${f.message.slice(0, 120)}" at ${JSON.stringify(f.location)}`;
}

/**
 * Problems with a location against the text of its file: a position outside the text (1 <= line <=
 * lines, 1 <= column, 0 <= offset <= length), an end before the start, or a line/column that does
 * not match its offset under either line model.
 */
export function locationProblems(loc: SourceLocation, text: string): string[] {
  const problems: string[] = [];
  let models = modelCache.get(text);
  if (!models) {
    if (modelCache.size > 64) modelCache.clear();
    models = new LineModels(text);
    modelCache.set(text, models);
  }
  const { start, end } = loc.range;
  for (const [name, p] of [['start', start], ['end', end]] as const) {
    if (!Number.isInteger(p.line) || p.line < 1 || p.line > models.lineCount) problems.push(`${name}.line ${p.line} outside 1..${models.lineCount}`);
    if (!Number.isInteger(p.column) || p.column < 1) problems.push(`${name}.column ${p.column} < 1`);
    if (!Number.isInteger(p.offset) || p.offset < 0 || p.offset > text.length) problems.push(`${name}.offset ${p.offset} outside 0..${text.length}`);
    else if (!models.consistent(p)) problems.push(`${name} line/column ${p.line}:${p.column} does not match offset ${p.offset}`);
  }
  if (end.offset < start.offset) problems.push(`end offset ${end.offset} before start ${start.offset}`);
  return problems;
}

/**
 * Every finding (and related location) of a parse of `text` as `file` lies inside `text`. Findings
 * about other files (texts in `others`) are checked against those; unknown files only structurally.
 */
export function assertFindingsInside(findings: Finding[], file: string, text: string, others: Map<string, string> = new Map()): void {
  const errors: string[] = [];
  for (const f of findings) {
    for (const loc of [f.location, ...(f.related ?? []).map((r) => r.location)]) {
      const t = loc.file === file ? text : others.get(loc.file);
      if (t === undefined) {
        if (typeof loc.file !== 'string' || loc.file === '') errors.push(`${describe(f)}: no file`);
        const { start, end } = loc.range;
        if (start.line < 1 || start.column < 1 || start.offset < 0 || end.offset < start.offset) errors.push(`${describe(f)}: malformed range`);
        continue;
      }
      for (const p of locationProblems(loc, t)) errors.push(`${describe(f)}: ${p}`);
    }
  }
  if (errors.length) throw new Error(`findings outside the input:\n  ${errors.slice(0, 5).join('\n  ')}`);
}

/** Fails with the first differing offset, which a plain string comparison of large texts hides. */
export function assertSameText(actual: string, expected: string): void {
  if (actual === expected) return;
  let i = 0;
  while (i < actual.length && i < expected.length && actual.charCodeAt(i) === expected.charCodeAt(i)) i++;
  throw new Error(`printed text differs from the input at offset ${i} (lengths ${actual.length} vs ${expected.length}): ` +
    `printed ${JSON.stringify(actual.slice(Math.max(0, i - 20), i + 20))}, input ${JSON.stringify(expected.slice(Math.max(0, i - 20), i + 20))}`);
}


// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Characters that stress any text handling: line endings, BOM, NUL, non-BMP, lone surrogates. */
const AWKWARD = ['\n', '\r\n', '\r', '\uFEFF', '\0', '\t', '\f', '\v', ' ', 'é', 'ß', '😀', '\u2028', '\u00a0', '\uD800', '\uDC00', '\x7f', '\x1b'];

export const INI_TOKENS = [
  '[uwsgi]', '[app]', '[', ']', '[ uwsgi ]', 'uwsgi', 'socket', 'http-socket', 'processes', 'ini', 'inherit', 'env', 'route',
  'if-env', 'endif', 'if-exists', 'for', 'endfor', 'master', 'base', 'chdir', 'module', 'plugins', 'harakiri',
  ' = ', '=', ' ', '  ', '\t', '%(', ')', '%(base)', '%(_)', '%(%(base))', '%d', '%n', '%p', '%k', '%_', '%%', '%', '%x', '%c',
  '$(', '$(HOME)', '$(NOPE)', '${', '}', '@(', '@(nofile)', '%[', '%{', ';', '#', '"', "'", '\\', '\\n', ':', '127.0.0.1:8000',
  '/run/uwsgi/app.sock', 'true', '0', '-1', '4096', '999999999999999999999',
];

export const APACHE_TOKENS = [
  '<VirtualHost', '<VirtualHost *:80>', '</VirtualHost>', '<Location /x>', '<Location "/a b">', '</Location>', '<Directory />',
  '</Directory>', '<IfModule mod_proxy.c>', '<IfModule !wsgi_module>', '</IfModule>', '<IfDefine X>', '<IfDefine !X>', '</IfDefine>',
  '<IfVersion >= 2.4>', '</IfVersion>', '<IfFile /nonexistent>', '</IfFile>', '<Macro M $a>', '</Macro>', 'Use M 1', '<', '>', '</', '/>',
  'ProxyPass', 'ProxyPass / http://127.0.0.1:8000/', 'ProxyPass / unix:/run/a.sock|uwsgi://a/', 'ProxyPassMatch', 'SetEnv',
  'SetEnv proxy-sendchunked 1', 'WSGIDaemonProcess', 'WSGIScriptAlias / /srv/app.wsgi', 'Define X', 'Define X 1', 'UnDefine X',
  'ServerName', 'Listen 80', 'LoadModule proxy_module modules/mod_proxy.so', 'Require all granted', 'RequestHeader set X "y"',
  '${X}', '${', '}', '${NOPE}', '%{GLOBAL}', '"', "'", '\\', '\\\n', '\\\r\n', '#', '# comment', ' ', '\t', 'a', 'on', 'Off',
];

/** Text from config-ish tokens, awkward characters and short random strings. */
function tokenText(tokens: readonly string[], maxTokens: number): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...tokens) },
    { weight: 3, arbitrary: fc.constantFrom(...AWKWARD) },
    { weight: 1, arbitrary: fc.fullUnicodeString({ maxLength: 4 }) },
  );
  return fc.array(piece, { maxLength: maxTokens }).map((parts) => parts.join(''));
}

/** Line-shaped text: lines of tokens joined by mixed line endings, sometimes with a BOM in front. */
function lineText(tokens: readonly string[]): fc.Arbitrary<string> {
  const line = fc.tuple(fc.constantFrom('', ' ', '\t', '  '), tokenText(tokens, 8));
  return fc
    .tuple(
      fc.boolean(),
      fc.array(fc.tuple(line, fc.constantFrom('\n', '\n', '\n', '\r\n', '\r', '')), { maxLength: 30 }),
    )
    .map(([bom, lines]) => (bom ? '\uFEFF' : '') + lines.map(([[indent, body], eol]) => indent + body + eol).join(''));
}

export function configText(tokens: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(tokenText(tokens, 80), lineText(tokens));
}

export const iniText = configText(INI_TOKENS);
export const apacheText = configText(APACHE_TOKENS);

// ---------------------------------------------------------------------------------------------
// Corpus mutations (on bytes, decoded as the parsers decode files)

export type Mutation =
  | { op: 'insert'; at: number; line: string }
  | { op: 'delete'; at: number }
  | { op: 'duplicate'; at: number }
  | { op: 'swap'; at: number; with: number }
  | { op: 'flip'; at: number; bit: number }
  | { op: 'truncate'; at: number };

export function mutationArb(tokens: readonly string[]): fc.Arbitrary<Mutation[]> {
  const at = fc.nat();
  return fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('insert' as const), at, line: tokenText(tokens, 10) }),
      fc.record({ op: fc.constant('delete' as const), at }),
      fc.record({ op: fc.constant('duplicate' as const), at }),
      fc.record({ op: fc.constant('swap' as const), at, with: fc.nat() }),
      fc.record({ op: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ op: fc.constant('truncate' as const), at }),
    ),
    { minLength: 1, maxLength: 6 },
  );
}

/** Apply mutations to a file's bytes: line operations on LF-split lines, flips on single bytes. */
export function mutate(bytes: Buffer, mutations: Mutation[]): Buffer {
  let buf = Buffer.from(bytes);
  for (const m of mutations) {
    if (m.op === 'flip' || m.op === 'truncate') {
      if (buf.length === 0) continue;
      const i = m.at % buf.length;
      if (m.op === 'flip') buf[i] ^= 1 << m.bit;
      else buf = buf.subarray(0, i);
      continue;
    }
    const lines = splitKeepingEol(buf);
    const i = lines.length ? m.at % lines.length : 0;
    if (m.op === 'insert') lines.splice(i, 0, Buffer.from(m.line + '\n', 'utf8'));
    else if (lines.length === 0) continue;
    else if (m.op === 'delete') lines.splice(i, 1);
    else if (m.op === 'duplicate') lines.splice(i, 0, lines[i]);
    else {
      const j = m.with % lines.length;
      [lines[i], lines[j]] = [lines[j], lines[i]];
    }
    buf = Buffer.concat(lines);
  }
  return buf;
}

function splitKeepingEol(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 10) {
      out.push(buf.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < buf.length) out.push(buf.subarray(start));
  return out;
}
