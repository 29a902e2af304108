/**
 * The fix engine with a stand-in linter (findings and fixes built by hand), so that every path of
 * passes.ts and index.ts is reached on purpose: roll-back when a fix brings a new finding or leaves
 * its own, claims and overlaps deferred to a later pass, the pass cap, unsafe and display-only fixes,
 * templates' markup, files not named, symbolic links, files outside the roots, cross-file fixes
 * written together or not at all, and a file changed between read and write.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Finding, Fix, Severity } from '../../lib/core/finding';
import { LineIndex } from '../../lib/core/source';
import { decodeBytes } from '../../lib/core/text';
import { ReadGate } from '../../lib/input/gate';
import { fixRun, type FixRunOptions } from '../../lib/fix';

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-fix-')));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string | Buffer): string {
  const abs = path.join(dir, name);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  return abs;
}

function at(file: string, text: string, start: number, end: number, ruleId: string, message: string, severity: Severity = 'warning', fix?: Fix): Finding {
  const index = new LineIndex(text);
  return { ruleId, severity, message, location: { file, range: index.range(start, end) }, ...(fix ? { fix } : {}) };
}

/**
 * The stand-in linter. In each file: `"N"` is a `quoted` warning whose safe fix removes the quotes;
 * `BAD` is a `bad` error (no fix); `grow` is a `grow` warning whose fix inserts `BAD` (so it is rolled
 * back); `stuck` is a `stuck` warning whose fix changes nothing that matters; `unsafe` and `shown`
 * carry unsafe and display-only fixes; `set-a` and `set-b` both insert `a = 1` claiming `a` (so only
 * one is applied); a line `one` is fixed to `done`, each fix claiming `one` (one per pass).
 */
function standIn(files: string[], extra: (file: string, text: string) => Finding[] = () => []) {
  return (gate: ReadGate) => {
    const findings: Finding[] = [];
    for (const file of files) {
      const read = gate.readFile(file);
      if (!read.ok) continue;
      const { text } = decodeBytes(read.bytes);
      const edit = (s: number, e: number, t: string, f = file) => ({ file: f, range: { startOffset: s, endOffset: e }, text: t });
      for (const m of text.matchAll(/"(\d+)"/g)) findings.push(at(file, text, m.index!, m.index! + m[0].length, 'quoted', `quoted ${m[1]}`, 'warning', { description: 'remove the quotes', edits: [edit(m.index!, m.index! + m[0].length, m[1])], applicability: 'safe' }));
      for (const m of text.matchAll(/BAD/g)) findings.push(at(file, text, m.index!, m.index! + 3, 'bad', 'bad text', 'error'));
      for (const m of text.matchAll(/grow/g)) findings.push(at(file, text, m.index!, m.index! + 4, 'grow', 'grow', 'warning', { description: 'insert BAD', edits: [edit(m.index!, m.index! + 4, 'BAD')], applicability: 'safe' }));
      for (const m of text.matchAll(/stuck/g)) findings.push(at(file, text, m.index!, m.index! + 5, 'stuck', 'stuck', 'warning', { description: 'change nothing', edits: [edit(m.index! + 5, m.index! + 5, ' ')], applicability: 'safe' }));
      for (const m of text.matchAll(/unsafe/g)) findings.push(at(file, text, m.index!, m.index! + 6, 'risky', 'risky', 'warning', { description: 'make it safe', edits: [edit(m.index!, m.index! + 6, 'fine')], applicability: 'unsafe' }));
      for (const m of text.matchAll(/shown/g)) findings.push(at(file, text, m.index!, m.index! + 5, 'shown', 'shown', 'warning', { description: 'by hand', edits: [edit(m.index!, m.index! + 5, 'done')], applicability: 'display-only' }));
      if (!/^a = 1$/m.test(text)) {
        for (const m of text.matchAll(/set-[ab]/g)) findings.push(at(file, text, m.index!, m.index! + 5, m[0], m[0], 'warning', { description: 'set a', edits: [edit(m.index! + 5, m.index! + 5, '\na = 1')], applicability: 'safe', claims: ['a'] }));
      }
      for (const m of text.matchAll(/^one$/gm)) findings.push(at(file, text, m.index!, m.index! + 3, 'one', 'one', 'warning', { description: 'done', edits: [edit(m.index!, m.index! + 3, 'done')], applicability: 'safe', claims: ['one'] }));
      findings.push(...extra(file, text));
    }
    return { findings };
  };
}

function run(files: string[], options: Partial<FixRunOptions<{ findings: Finding[] }>> = {}, extra?: (file: string, text: string) => Finding[]) {
  const gate = new ReadGate({ roots: [dir] });
  return fixRun({ mode: 'write', unsafe: false, gate, given: files, cwd: dir, lint: standIn(files, extra), ...options });
}

test('a safe fix is written; a second run finds nothing to do', () => {
  const f = write('a.ini', '[uwsgi]\nsocket-timeout = "30"\n');
  const first = run([f]);
  expect(fs.readFileSync(f, 'utf8')).toBe('[uwsgi]\nsocket-timeout = 30\n');
  expect(first.summary.applied.map((a) => a.finding.ruleId)).toEqual(['quoted']);
  expect(first.notes[first.notes.length - 1]).toBe('1 fixed (1 file changed).');
  const second = run([f]);
  expect(second.summary.applied).toEqual([]);
  expect(second.notes[second.notes.length - 1]).toBe('0 fixed.');
});

test('a fix that brings a new finding is rolled back, says why, and the others of the pass are kept', () => {
  const f = write('a.ini', 'grow\nx = "1"\n');
  const result = run([f]);
  expect(fs.readFileSync(f, 'utf8')).toBe('grow\nx = 1\n');
  expect(result.summary.refused).toHaveLength(1);
  expect(result.summary.refused[0]).toMatchObject({ rolledBack: true });
  expect(result.summary.refused[0].reason).toMatch(/^it would bring a new finding: bad \(error\) at a\.ini:1: bad text$/);
  expect(result.notes.some((n) => /^not fixed .*a\.ini:1 grow \(insert BAD\): rolled back, it would bring a new finding/.test(n))).toBe(true);
  expect(result.round.findings.map((x) => x.ruleId)).toEqual(['grow']);
});

test('a fix whose finding is still there afterwards is rolled back', () => {
  const f = write('a.ini', 'stuck\n');
  const result = run([f]);
  expect(fs.readFileSync(f, 'utf8')).toBe('stuck\n');
  expect(result.summary.refused[0].reason).toMatch(/^its finding was still reported after the change/);
});

test('two fixes that claim the same thing are applied one pass apart: the second, recomputed, is gone', () => {
  const f = write('a.ini', 'set-a\nset-b\n');
  const result = run([f]);
  expect(fs.readFileSync(f, 'utf8')).toBe('set-a\na = 1\nset-b\n');
  expect(result.summary.applied.map((a) => a.finding.ruleId)).toEqual(['set-a']);
});

test('passes stop at the cap (10, as ESLint)', () => {
  // twelve fixes that all claim one thing: one per pass
  const f = write('a.ini', 'one\n'.repeat(12));
  const result = run([f]);
  expect(fs.readFileSync(f, 'utf8')).toBe('done\n'.repeat(10) + 'one\n'.repeat(2));
  expect(result.summary.applied.map((a) => a.pass)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(result.round.findings.map((x) => x.ruleId)).toEqual(['one', 'one']);
});

test('unsafe fixes wait for --unsafe-fixes and are counted; display-only fixes are never applied', () => {
  const f = write('a.ini', 'unsafe\nshown\n');
  const safeOnly = run([f], { mode: 'dry-run' });
  expect(safeOnly.summary.applied).toEqual([]);
  expect(safeOnly.notes[safeOnly.notes.length - 1]).toBe('0 would be fixed, 1 more fixable with --unsafe-fixes, 1 with a suggested fix to apply by hand (display-only).');
  const withUnsafe = run([f], { unsafe: true });
  expect(fs.readFileSync(f, 'utf8')).toBe('fine\nshown\n');
  expect(withUnsafe.notes[withUnsafe.notes.length - 1]).toBe('1 fixed (1 file changed), 1 with a suggested fix to apply by hand (display-only).');
});

test('a dry run and a diff write nothing', () => {
  const f = write('a.ini', 'x = "1"\n');
  const dry = run([f], { mode: 'dry-run' });
  const diff = run([f], { mode: 'diff' });
  expect(fs.readFileSync(f, 'utf8')).toBe('x = "1"\n');
  expect(dry.round.findings).toEqual([]);
  expect(diff.diff.toString()).toBe('diff --git a/a.ini b/a.ini\n--- a/a.ini\n+++ b/a.ini\n@@ -1,1 +1,1 @@\n-x = "1"\n+x = 1\n');
});

test('in a template, an edit of literal text is applied and one that touches markup is refused', () => {
  const t = write('glance-uwsgi.ini.j2', '[uwsgi]\nsocket-timeout = "30"\nhttp-socket = {{ glance_bind }}:9292\n');
  const result = run([t], {}, (file, current) => {
    const markup = current.indexOf('{{');
    return markup < 0 ? [] : [at(file, current, markup, markup + 17, 'bind', 'bind', 'warning', { description: 'loopback', edits: [{ file, range: { startOffset: markup + 2, endOffset: markup + 14 }, text: '127.0.0.1' }], applicability: 'safe' })];
  });
  expect(fs.readFileSync(t, 'utf8')).toBe('[uwsgi]\nsocket-timeout = 30\nhttp-socket = {{ glance_bind }}:9292\n');
  expect(result.summary.refused[0].reason).toBe('glance-uwsgi.ini.j2 is a template and the edit would change its markup `{{ glance_bind }}`; fix the template by hand');
});

test('a file not named (read through an include) is not edited', () => {
  const named = write('main.ini', '[uwsgi]\nini = common.ini\n');
  const included = write('common.ini', 'x = "1"\n');
  const gate = new ReadGate({ roots: [dir] });
  const result = fixRun({ mode: 'write', unsafe: false, gate, given: [named], cwd: dir, lint: standIn([named, included]) });
  expect(fs.readFileSync(included, 'utf8')).toBe('x = "1"\n');
  expect(result.summary.refused[0].reason).toMatch(/^common\.ini: it was not named on the command line nor found under a directory given/);
});

test('a symbolic link is never replaced, nor is a file whose real path leaves the roots', () => {
  const target = write('real/a.ini', 'x = "1"\n');
  const link = path.join(dir, 'link.ini');
  fs.symlinkSync(target, link);
  const result = run([link]);
  expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  expect(fs.readFileSync(target, 'utf8')).toBe('x = "1"\n');
  expect(result.summary.refused[0].reason).toMatch(/it is a symbolic link, and deploylint never replaces one/);

  const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-out-')));
  try {
    const far = path.join(outside, 'far.ini');
    fs.writeFileSync(far, 'x = "1"\n');
    const gate = new ReadGate({ roots: [dir] });
    // a finding that names a file outside the roots (as a hostile include could)
    const inside = write('in.ini', 'y\n');
    const r = fixRun({ mode: 'write', unsafe: false, gate, given: [inside, far], cwd: dir, lint: () => ({ findings: [at(far, 'x = "1"\n', 4, 7, 'quoted', 'q', 'warning', { description: 'unquote', edits: [{ file: far, range: { startOffset: 4, endOffset: 7 }, text: '1' }] })] }) });
    expect(fs.readFileSync(far, 'utf8')).toBe('x = "1"\n');
    expect(r.summary.refused[0].reason).toMatch(/outside the paths given to deploylint/);
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test('a cross-file fix is written in both files, or in neither when one of them may not be written', () => {
  const route = write('site.conf', 'ProxyPass /app uwsgi://127.0.0.1:8000\n');
  const ini = write('app.ini', '[uwsgi]\nsocket = 127.0.0.1:8000\n');
  const switchFix = (file: string, text: string): Finding[] => {
    if (!file.endsWith('site.conf') || !text.includes('uwsgi://')) return [];
    const iniText = fs.readFileSync(ini, 'utf8');
    const u = text.indexOf('uwsgi://');
    const s = iniText.indexOf('socket');
    return [at(file, text, 0, text.length - 1, 'switch', 'switch', 'error', {
      description: 'http', applicability: 'unsafe',
      edits: [{ file, range: { startOffset: u, endOffset: u + 8 }, text: 'http://' }, { file: ini, range: { startOffset: s, endOffset: s + 6 }, text: 'http-socket' }],
    })];
  };
  run([route, ini], { unsafe: true }, switchFix);
  expect(fs.readFileSync(route, 'utf8')).toBe('ProxyPass /app http://127.0.0.1:8000\n');
  expect(fs.readFileSync(ini, 'utf8')).toBe('[uwsgi]\nhttp-socket = 127.0.0.1:8000\n');

  // again, with the ini given through a symbolic link: neither file changes
  fs.writeFileSync(route, 'ProxyPass /app uwsgi://127.0.0.1:8000\n');
  fs.writeFileSync(ini, '[uwsgi]\nsocket = 127.0.0.1:8000\n');
  const linkDir = path.join(dir, 'linked');
  fs.mkdirSync(linkDir);
  const iniLink = path.join(linkDir, 'app.ini');
  fs.symlinkSync(ini, iniLink);
  const gate = new ReadGate({ roots: [dir] });
  const result = fixRun({
    mode: 'write', unsafe: true, gate, given: [route, iniLink], cwd: dir,
    lint: standIn([route], (file, text) => switchFix(file, text).map((f) => ({ ...f, fix: { ...f.fix!, edits: f.fix!.edits.map((e) => (e.file === ini ? { ...e, file: iniLink } : e)) } }))),
  });
  expect(fs.readFileSync(route, 'utf8')).toBe('ProxyPass /app uwsgi://127.0.0.1:8000\n');
  expect(fs.readFileSync(ini, 'utf8')).toBe('[uwsgi]\nsocket = 127.0.0.1:8000\n');
  expect(result.summary.refused[0].reason).toMatch(/^app\.ini: it is a symbolic link/);
});

test('a file changed between read and write is not written (and the other file of its fix is put back)', () => {
  const a = write('a.ini', 'x = "1"\n');
  const b = write('b.ini', 'y = "2"\n');
  const result = run([a, b], { hooks: { beforeRename: (file) => { if (file === b) fs.writeFileSync(b, 'y = "2" # edited meanwhile\n'); } } });
  expect(fs.readFileSync(a, 'utf8')).toBe('x = 1\n');
  expect(fs.readFileSync(b, 'utf8')).toBe('y = "2" # edited meanwhile\n');
  expect(result.summary.files.find((f) => f.file === b)).toMatchObject({ written: false, refused: 'it changed since deploylint read it; run deploylint again' });
  expect(result.summary.refused.map((r) => r.finding.location.file)).toEqual([b]);
  // the report is about what is on disk: b's finding is still there
  expect(result.round.findings.map((f) => `${path.basename(f.location.file)} ${f.ruleId}`)).toEqual(['b.ini quoted']);
});

test('the file mode is kept', () => {
  const f = write('a.ini', 'x = "1"\n');
  fs.chmodSync(f, 0o640);
  run([f]);
  expect(fs.statSync(f).mode & 0o777).toBe(0o640);
  expect(fs.readdirSync(dir)).toEqual(['a.ini']);
});

test('two findings that carry the very same fix (two routes, one missing module) apply it once and both count', () => {
  const f = write('a.conf', 'LoadModule proxy_module x\nProxyPass /a http://a\nProxyPass /b http://b\n');
  const result = run([f], {}, (file, text) => {
    if (/proxy_http_module/.test(text)) return [];
    const at0 = text.indexOf('\n');
    const fix = { description: 'load mod_proxy_http', edits: [{ file, range: { startOffset: at0, endOffset: at0 }, text: '\nLoadModule proxy_http_module y' }], applicability: 'safe' as const };
    return [...text.matchAll(/ProxyPass/g)].map((m) => at(file, text, m.index!, m.index! + 9, 'module-missing', 'needs mod_proxy_http', 'error', fix));
  });
  expect(fs.readFileSync(f, 'utf8')).toBe('LoadModule proxy_module x\nLoadModule proxy_http_module y\nProxyPass /a http://a\nProxyPass /b http://b\n');
  expect(result.summary.applied.map((a) => a.finding.location.range.start.line)).toEqual([2, 3]);
});
