import { format as checkstyle } from '../../lib/format/checkstyle';
import { format as gcc } from '../../lib/format/gcc';
import { format as github } from '../../lib/format/github';
import { format as json } from '../../lib/format/json';
import { format as stylish } from '../../lib/format/stylish';
import { loadFormatter, FORMAT_NAMES } from '../../lib/format';
import { sampleContext, sampleResult } from './sample';

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
    // a message with a newline stays on one line
    expect(out).toContain('line one line two');
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
      'sites-enabled/glance.conf:3:2: warning: line one line two with CR [proxy-sendcl-shared-vhost]',
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

  test('checkstyle: well-formed XML with escaped attributes, one <file> per linted file', () => {
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
