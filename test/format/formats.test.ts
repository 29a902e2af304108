import { format as checkstyle } from '../../lib/format/checkstyle';
import { format as gcc } from '../../lib/format/gcc';
import { format as github } from '../../lib/format/github';
import { format as json } from '../../lib/format/json';
import { format as stylish } from '../../lib/format/stylish';
import { loadFormatter, FORMAT_NAMES } from '../../lib/format';
import type { FormatResult } from '../../lib/format/types';
import { escapeControl } from '../../lib/format/util';
import { wrapText, wrapWords } from '../../lib/format/wrap';
import type { Finding } from '../../lib/core/finding';
import { loc, sampleContext, sampleResult } from './sample';

describe('formatters over hand-built findings', () => {
  test('every format name loads a formatter', () => {
    for (const name of FORMAT_NAMES) expect(typeof loadFormatter(name)).toBe('function');
  });

  test('stylish: grouped by file, aligned columns, summary and explain hint, no colour at level 0', () => {
    const out = stylish(sampleResult, sampleContext());
    expect(out).not.toMatch(/\x1b\[/);
    const lines = out.split('\n');
    const iniHeader = lines.indexOf('deploy/glance.ini');
    const confHeader = lines.indexOf('sites-enabled/glance.conf');
    expect(iniHeader).toBeGreaterThanOrEqual(0);
    expect(confHeader).toBeGreaterThan(iniHeader);
    // info on line 2 sorts before the error on line 7
    expect(lines[iniHeader + 1]).toMatch(/^ {2}2:3 {2}info {3}for your information +some-info$/);
    expect(lines[iniHeader + 2]).toMatch(/^ {2}7:1 {2}error {2}uWSGI's HTTP router .* {2}uwsgi-router-chunked-input$/);
    expect(lines[iniHeader + 3]).toContain('↳ sites-enabled/glance.conf:12:5: routed here by ProxyPass');
    expect(out).toContain('✖ 3 problems (1 error, 1 warning, 1 info)');
    expect(out).toContain('deploylint explain');
    // a message with a newline stays on one line, the newline shown as an escape
    expect(out).toContain('line one\\nline two\\r\\nwith CR');
  });

  test('stylish: colours at level 1, nothing for no findings', () => {
    expect(stylish(sampleResult, sampleContext({ colorLevel: 1 }))).toMatch(/\x1b\[31merror/);
    expect(stylish({ findings: [], files: [] }, sampleContext())).toBe('');
    const skipped = stylish({ findings: [], files: [] }, sampleContext({ skipped: { byReason: { 'ignored by .gitignore': 2 }, unreadable: [] } }));
    expect(skipped).toContain('Skipped 2 paths: 2 ignored by .gitignore.');
  });

  test('gcc: file:line:column: severity: message [rule-id], note for info, one line each', () => {
    const out = gcc(sampleResult, sampleContext());
    expect(out.split('\n')).toEqual([
      'deploy/glance.ini:2:3: note: for your information [some-info]',
      `deploy/glance.ini:7:1: error: uWSGI's HTTP router drops chunked bodies: 100% of "chunked" uploads, <b> & more, a:b, c [uwsgi-router-chunked-input]`,
      'sites-enabled/glance.conf:3:2: warning: line one\\nline two\\r\\nwith CR [proxy-sendcl-shared-vhost]',
      '',
    ]);
  });

  test('gcc: absolute paths inside cwd are shown relative', () => {
    const out = gcc({ findings: [{ ...sampleResult.findings[2], location: { ...sampleResult.findings[2].location, file: '/repo/a/b.ini' } }], files: [] }, sampleContext());
    expect(out).toBe('a/b.ini:2:3: note: for your information [some-info]\n');
  });

  test('json: documented shape, version 1, exclusive end, related', () => {
    const parsed = JSON.parse(json(sampleResult, sampleContext()));
    expect(parsed.version).toBe(1);
    expect(parsed.files).toEqual([
      { path: 'deploy/glance.ini', kind: 'uwsgi-ini', included: [] },
      { path: 'sites-enabled/glance.conf', kind: 'apache', included: [] },
    ]);
    expect(parsed.findings[1]).toEqual({
      ruleId: 'uwsgi-router-chunked-input',
      severity: 'error',
      message: sampleResult.findings[0].message,
      file: 'deploy/glance.ini',
      line: 7,
      column: 1,
      endLine: 7,
      endColumn: 23,
      related: [{ file: 'sites-enabled/glance.conf', line: 12, column: 5, message: 'routed here by ProxyPass' }],
    });
    expect(parsed.findings.map((f: { line: number }) => f.line)).toEqual([2, 7, 3]);
  });

  test('github: workflow commands with the runner escaping rules', () => {
    const lines = github(sampleResult, sampleContext()).trimEnd().split('\n');
    expect(lines[0]).toBe('::notice file=deploy/glance.ini,line=2,col=3,title=some-info::for your information');
    expect(lines[1]).toBe(
      "::error file=deploy/glance.ini,line=7,col=1,endLine=7,endColumn=23,title=uwsgi-router-chunked-input::uWSGI's HTTP router drops chunked bodies: 100%25 of \"chunked\" uploads, <b> & more, a:b, c",
    );
    expect(lines[2]).toBe('::warning file=sites-enabled/glance.conf,line=3,col=2,endLine=4,endColumn=1,title=proxy-sendcl-shared-vhost::line one%0Aline two%0D%0Awith CR');
    // property values escape : and ,
    const weird = github({ findings: [{ ...sampleResult.findings[2], location: { ...sampleResult.findings[2].location, file: 'a,b:c%.ini' } }], files: [] }, sampleContext());
    expect(weird).toContain('file=a%2Cb%3Ac%25.ini,');
  });

  test('checkstyle: a <file> only for files with findings', () => {
    const clean = { path: 'deploy/clean.ini', kind: 'uwsgi-ini' as const, included: [] };
    const out = checkstyle({ ...sampleResult, files: [...sampleResult.files, clean] }, sampleContext());
    expect(out).not.toContain('deploy/clean.ini');
    expect(out.match(/<file /g)).toHaveLength(2);
    expect(out).not.toMatch(/<file [^>]*>\n {2}<\/file>/);
    expect(checkstyle({ findings: [], files: [clean] }, sampleContext())).toBe('<?xml version="1.0" encoding="utf-8"?>\n<checkstyle version="4.3">\n</checkstyle>\n');
  });

  test('checkstyle: well-formed XML with escaped attributes, one <file> per file with findings', () => {
    const out = checkstyle(sampleResult, sampleContext());
    expect(out.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<checkstyle version="4.3">')).toBe(true);
    expect(out).toContain('message="uWSGI&apos;s HTTP router drops chunked bodies: 100% of &quot;chunked&quot; uploads, &lt;b&gt; &amp; more, a:b, c"');
    expect(out).toContain('message="line one&#10;line two&#13;&#10;with CR"');
    expect(out).toContain('source="deploylint.uwsgi-router-chunked-input"');
    expect(out.match(/<file /g)).toHaveLength(2);
    // no raw < or & inside attribute values
    for (const attr of out.match(/"[^"]*"/g) ?? []) expect(attr).not.toMatch(/[<>]|&(?!amp;|lt;|gt;|quot;|apos;|#\d+;)/);
  });
});

describe('stylish wraps long messages to the width it is given', () => {
  const long: Finding = {
    ruleId: 'proxy-sendcl-shared-vhost',
    severity: 'warning',
    message:
      '`SetEnv proxy-sendcl 1` in <VirtualHost *:80> (openstack-api.conf:2) reaches 3 proxied routes and makes Apache spool the chunked request bodies of /image, /identity to memory or a temp file before sending them on. Scope it to the route that needs it with `<Location /path>`, `<Proxy "http://backend/">` or `SetEnvIf Request_URI "^/path" proxy-sendcl=1`.',
    location: loc('sites-enabled/glance.conf', 9, 1),
    related: [{ location: loc('sites-enabled/glance.conf', 12, 1), message: '`ProxyPass /image` (http://127.0.0.1:60999): chunked request bodies are spooled before they reach the backend' }],
  };
  const result: FormatResult = { findings: [long, sampleResult.findings[2]], files: [] };
  const spans = (text: string) => text.match(/`[^`]*`/g) ?? [];

  test('words: spaces inside a code span do not separate; an unpaired backquote is a plain character', () => {
    expect(wrapWords('use `a b c` here, `d e`: ok')).toEqual(['use', '`a b c`', 'here,', '`d e`:', 'ok']);
    expect(wrapWords('a `b c')).toEqual(['a', '`b', 'c']);
    expect(wrapText('aaa `b b b` cc', 10)).toEqual(['aaa', '`b b b` cc']);
    // a span wider than the line is broken at its spaces; a word wider than the line is not cut
    expect(wrapText('`one two three four`', 9)).toEqual(['`one two', 'three', 'four`']);
    expect(wrapText('x /a/very/long/path/name y', 6)).toEqual(['x', '/a/very/long/path/name', 'y']);
  });

  test.each([[80], [100], [132]])('width %i: every line fits, hanging indent, code spans whole, rule id right-aligned', (width) => {
    const out = stylish(result, sampleContext({ width }));
    const lines = out.split('\n');
    const first = lines.findIndex((l) => l.startsWith('  9:1  warning  '));
    expect(first).toBeGreaterThan(0);
    const indent = '  9:1  warning  '.length;
    const block: string[] = [];
    for (let i = first; i < lines.length && (i === first || lines[i].startsWith(' '.repeat(indent))); i++) block.push(lines[i]);
    for (const l of block) expect(l.length).toBeLessThanOrEqual(width);
    expect(block.length).toBeGreaterThan(3);
    // the message comes back word for word, every code span inside one line
    const arrowAt = block.findIndex((l) => l.slice(indent).startsWith('↳'));
    const text = block.slice(0, arrowAt).map((l) => l.slice(indent).replace(/ *proxy-sendcl-shared-vhost$/, '')).filter((l) => l !== '');
    const joined = text.join(' ');
    expect(joined).toBe(long.message);
    for (const span of spans(long.message)) expect(text.some((l) => l.includes(span))).toBe(true);
    // the rule id ends a line at the text's right edge
    const idLine = block.find((l) => l.endsWith('proxy-sendcl-shared-vhost'))!;
    expect(idLine).toBeDefined();
    expect(idLine.length).toBe(indent + Math.min(100, width - indent));
    // related locations wrap under their arrow
    const arrow = block.findIndex((l) => l.slice(indent).startsWith('↳ sites-enabled/glance.conf:12:1:'));
    expect(arrow).toBeGreaterThan(0);
  });

  test('no width (a pipe or a file): one line per finding, as before', () => {
    const out = stylish(result, sampleContext());
    expect(out.split('\n').filter((l) => l.includes(long.message))).toHaveLength(1);
    // short messages that fit are laid out the same with or without a width
    expect(stylish(sampleResult, sampleContext({ width: 200 }))).toBe(stylish(sampleResult, sampleContext()));
  });

  test('colour codes do not count towards the width', () => {
    const out = stylish(result, sampleContext({ width: 80, colorLevel: 1 }));
    for (const l of out.split('\n')) expect(l.replace(/\x1b\[\d+(;\d+)*m/g, '').length).toBeLessThanOrEqual(80);
  });
});

describe('control characters from input never reach the output raw', () => {
  // ESC, CR, LF, TAB, NUL, DEL, a C1 CSI, U+2028, RLO (bidi override), LRI, RLM
  const nasty = 'a\x1b[2K\rall good\nfake:1:1: error: x\t\x00\x7f\x9b31m\u2028\u202egnp.exe\u2066\u200f';
  const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  const finding: Finding = {
    ruleId: `rule${nasty}`,
    severity: 'warning',
    message: `value ${nasty}`,
    location: loc(`dir/${nasty}.conf`, 3, 1),
    related: [{ location: loc(`other${nasty}.ini`, 1, 1), message: `see ${nasty}` }],
  };
  const result: FormatResult = { findings: [finding], files: [{ path: `dir/${nasty}.conf`, kind: 'apache', included: [] }] };
  const ctx = sampleContext({ skipped: { byReason: {}, unreadable: [`u${nasty}`] }, notes: [`note ${nasty}`] });

  test('escapeControl shows each as a visible escape', () => {
    expect(escapeControl('\x1b[2K\r\n\t\x00\x7f\x9b\u2028\u202e\u2066\u200f ok')).toBe('\\x1b[2K\\r\\n\\t\\x00\\x7f\\x9b\\u2028\\u202e\\u2066\\u200f ok');
    expect(escapeControl('a\nb\rc\x1b', '\n\r')).toBe('a\nb\rc\\x1b');
    expect(escapeControl('plain é ✖ ↳ text')).toBe('plain é ✖ ↳ text');
  });

  test.each(FORMAT_NAMES.map((n) => [n]))('%s', (name) => {
    const out = loadFormatter(name)(result, ctx);
    // the formats' own line breaks are LF; nothing else below U+0020 and none of the others
    expect(out.replace(/\n/g, '')).not.toMatch(raw);
    if (name === 'gcc') expect(out.split('\n')).toHaveLength(2);
    if (name === 'github') expect(out.trimEnd().split('\n')).toHaveLength(1);
    if (name === 'json' || name === 'sarif') {
      // still the same data once parsed
      const parsed = JSON.parse(out);
      const message = name === 'json' ? parsed.findings[0].message : parsed.runs[0].results[0].message.text;
      expect(message).toBe(finding.message);
    }
  });

  test('stylish with colour: only its own escape sequences', () => {
    const out = stylish(result, { ...ctx, colorLevel: 1 });
    expect(out).toMatch(/\x1b\[33m/);
    // every ESC starts an SGR colour sequence chalk wrote, never the config's `ESC[2K`
    expect(out.replace(/\x1b\[\d+(;\d+)*m/g, '').replace(/\n/g, '')).not.toMatch(raw);
    expect(out).toContain('\\x1b[2K\\rall good\\nfake:1:1: error: x');
  });

  test('github keeps its own %0A / %0D for line breaks, escapes the rest', () => {
    const out = github(result, ctx);
    expect(out).toContain('value a\\x1b[2K%0Dall good%0Afake:1:1: error: x\\t');
    expect(out).toContain('file=dir/a\\x1b[2K%0Dall good%0Afake%3A1%3A1%3A error%3A x\\t');
  });

  test('checkstyle keeps tab, LF and CR as character references, escapes the rest', () => {
    const out = checkstyle(result, ctx);
    expect(out).toContain('message="value a\\x1b[2K&#13;all good&#10;fake:1:1: error: x&#9;\\x00\\x7f\\x9b31m\\u2028\\u202egnp.exe\\u2066\\u200f"');
  });
});
