/**
 * Edits on text and the unified diff: offsets applied to the decoded text leave every other byte as
 * it was (CRLF, BOM, tabs, latin1), and the diff is accepted by `git apply --check` and
 * `patch -p1 --dry-run`, and gives exactly the fixed bytes when applied.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeBytes, encodeText } from '../../lib/core/text';
import { applyEdits, editsConflict, mapOffset } from '../../lib/fix/apply';
import { gitQuotePath, unifiedDiff } from '../../lib/fix/diff';
import { validEdits } from '../../lib/fix/apply';
import { insertLineAfter, lineAround } from '../../lib/engine/fix-edits';
import { LineIndex } from '../../lib/core/source';

describe('edits', () => {
  test('apply in offset order whatever the order given, and map old offsets to new ones', () => {
    const text = 'a = 1\nb = 2\nc = 3\n';
    const edits = [{ startOffset: 10, endOffset: 11, text: '20' }, { startOffset: 4, endOffset: 5, text: '' }, { startOffset: 12, endOffset: 12, text: 'x = 0\n' }];
    expect(applyEdits(text, edits)).toBe('a = \nb = 20\nx = 0\nc = 3\n');
    expect(mapOffset(edits, 0)).toBe(0);
    expect(mapOffset(edits, 4)).toBe(4); // inside a replaced range: its start
    expect(mapOffset(edits, 6)).toBe(5);
    expect(mapOffset(edits, 12)).toBe(18); // at an insertion: after the inserted text
  });

  test('conflicts: overlapping or touching edits of two fixes; within one fix only true overlaps', () => {
    expect(editsConflict({ startOffset: 0, endOffset: 5, text: '' }, { startOffset: 5, endOffset: 5, text: 'x' })).toBe(true);
    expect(editsConflict({ startOffset: 0, endOffset: 4, text: '' }, { startOffset: 5, endOffset: 6, text: 'x' })).toBe(false);
    expect(validEdits('0123456789', [{ startOffset: 0, endOffset: 5, text: '' }, { startOffset: 5, endOffset: 5, text: 'x' }])).toBe(true);
    expect(validEdits('0123456789', [{ startOffset: 0, endOffset: 5, text: '' }, { startOffset: 4, endOffset: 6, text: 'x' }])).toBe(false);
    expect(validEdits('0123456789', [{ startOffset: 3, endOffset: 3, text: 'a' }, { startOffset: 3, endOffset: 3, text: 'b' }])).toBe(false);
    expect(validEdits('0123', [{ startOffset: 3, endOffset: 9, text: '' }])).toBe(false);
  });

  test('a new line copies the indentation and the line ending of the line it follows', () => {
    const crlf = '[uwsgi]\r\n\tmaster = true\r\nprocesses = 2';
    const index = new LineIndex(crlf);
    const master = index.location('f.ini', crlf.indexOf('master'), crlf.indexOf('true') + 4);
    const edit = insertLineAfter(master, 'die-on-term = true')!;
    expect(applyEdits(crlf, [{ ...edit.range, text: edit.text }])).toBe('[uwsgi]\r\n\tmaster = true\r\n\tdie-on-term = true\r\nprocesses = 2');
    // after a last line without a line ending: the file's ending goes before the new line
    const last = index.location('f.ini', crlf.indexOf('processes'), crlf.length);
    const after = insertLineAfter(last, 'x = 1')!;
    expect(applyEdits(crlf, [{ ...after.range, text: after.text }])).toBe(`${crlf}\r\nx = 1`);
    expect(lineAround('abc', 0)).toMatchObject({ start: 0, contentEnd: 3, eol: '' });
  });

  test('bytes outside the edits survive decoding, editing and encoding: BOM, CRLF, tabs, latin1', () => {
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[uwsgi]\r\n\tsocket-timeout = "30"\r\n; é comment\r\n', 'utf8')]);
    const u = decodeBytes(utf8);
    expect(u.encoding).toBe('utf8');
    const at = u.text.indexOf('"30"');
    const fixed = encodeText(applyEdits(u.text, [{ startOffset: at, endOffset: at + 4, text: '30' }]), u.encoding);
    expect(fixed.equals(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[uwsgi]\r\n\tsocket-timeout = 30\r\n; é comment\r\n', 'utf8')]))).toBe(true);
    const latin1 = Buffer.from([...Buffer.from('# caf'), 0xe9, ...Buffer.from('\nbuffer-size = "8192"\n')]);
    const l = decodeBytes(latin1);
    expect(l.encoding).toBe('latin1');
    const q = l.text.indexOf('"8192"');
    const out = encodeText(applyEdits(l.text, [{ startOffset: q, endOffset: q + 6, text: '8192' }]), l.encoding);
    expect(out.equals(Buffer.from([...Buffer.from('# caf'), 0xe9, ...Buffer.from('\nbuffer-size = 8192\n')]))).toBe(true);
  });
});

describe('unified diff', () => {
  const hasPatch = spawnSync('patch', ['--version']).status === 0;
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-diff-')));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Writes `before` as `name`, checks the diff with git apply and patch, applies it with patch and returns the result. */
  function roundTrip(name: string, before: Buffer, after: Buffer): Buffer {
    const b = decodeBytes(before);
    const a = decodeBytes(after);
    const diff = unifiedDiff(b.text, a.text, name, (t) => encodeText(t, b.encoding));
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), before);
    const patchFile = path.join(dir, '..', `${path.basename(dir)}.diff`);
    fs.writeFileSync(patchFile, diff);
    try {
      execFileSync('git', ['init', '-q', '.'], { cwd: dir });
      execFileSync('git', ['apply', '--check', patchFile], { cwd: dir });
      if (hasPatch) {
        execFileSync('patch', ['-p1', '--dry-run', '-i', patchFile], { cwd: dir });
        execFileSync('patch', ['-p1', '-s', '-i', patchFile], { cwd: dir });
      } else {
        execFileSync('git', ['apply', patchFile], { cwd: dir });
      }
      return fs.readFileSync(path.join(dir, name));
    } finally {
      fs.rmSync(patchFile, { force: true });
    }
  }

  test('a change, an insertion and a deletion far apart give separate hunks with three lines of context', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const before = lines.join('\n') + '\n';
    const changed = [...lines];
    changed[2] = 'line two';
    changed.splice(20, 0, 'inserted');
    changed.splice(28, 1);
    const after = changed.join('\n') + '\n';
    const diff = unifiedDiff(before, after, 'conf/x.conf', (t) => Buffer.from(t)).toString();
    expect(diff.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,6 +1,6 @@', '@@ -18,6 +18,7 @@', '@@ -25,6 +26,5 @@']);
    expect(roundTrip('conf/x.conf', Buffer.from(before), Buffer.from(after)).toString()).toBe(after);
  });

  test('CRLF lines, a missing final newline and a BOM are kept byte for byte', () => {
    const before = Buffer.from('\ufeff[uwsgi]\r\nmaster = true\r\nsocket-timeout = "30"', 'utf8');
    const after = Buffer.from('\ufeff[uwsgi]\r\nmaster = true\r\ndie-on-term = true\r\nsocket-timeout = 30', 'utf8');
    const diff = unifiedDiff(decodeBytes(before).text, decodeBytes(after).text, 'a.ini', (t) => Buffer.from(t, 'utf8')).toString();
    expect(diff).toContain('\\ No newline at end of file');
    expect(diff).toContain('+die-on-term = true\r\n');
    expect(roundTrip('a.ini', before, after).equals(after)).toBe(true);
  });

  test('a latin1 file is diffed in its own bytes', () => {
    const before = Buffer.from([...Buffer.from('# caf'), 0xe9, ...Buffer.from('\nprocesses = "2"\n')]);
    const after = Buffer.from([...Buffer.from('# caf'), 0xe9, ...Buffer.from('\nprocesses = 2\n')]);
    expect(roundTrip('l.ini', before, after).equals(after)).toBe(true);
  });

  test('names with quotes, backslashes or control characters are quoted as git quotes them', () => {
    expect(gitQuotePath('a/plain name.conf')).toBe('a/plain name.conf');
    expect(gitQuotePath('a/x"y\\z\n.conf')).toBe('"a/x\\"y\\\\z\\n.conf"');
  });

  test('no change, no diff', () => {
    expect(unifiedDiff('x\n', 'x\n', 'x', (t) => Buffer.from(t)).length).toBe(0);
  });
});
