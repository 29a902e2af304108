import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Finding } from '../../lib/core/finding';
import { applyBaseline, fingerprints, readBaseline, writeBaseline } from '../../lib/baseline';

function finding(ruleId: string, line: number, file = 'etc/a.conf'): Finding {
  return { ruleId, severity: 'error', message: 'm', location: { file, range: { start: { line, column: 1, offset: 0 }, end: { line, column: 5, offset: 0 } } } };
}

describe('baseline fingerprints', () => {
  const cwd = '/repo';
  test('do not depend on the line number or whitespace, but on the text and occurrence', () => {
    const before = 'ProxyPass / http://x/\n';
    const after = '# a new comment line\n\n   ProxyPass   /  http://x/  \n';
    const [a] = fingerprints([finding('r', 1)], { textOf: () => before, cwd, baselineDir: cwd });
    const [b] = fingerprints([finding('r', 3)], { textOf: () => after, cwd, baselineDir: cwd });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.file).toBe('etc/a.conf');
    const [c] = fingerprints([finding('r', 1)], { textOf: () => 'ProxyPass / http://y/\n', cwd, baselineDir: cwd });
    expect(c.fingerprint).not.toBe(a.fingerprint);
    const twice = fingerprints([finding('r', 1), finding('r', 2)], { textOf: () => 'X\nX\n', cwd, baselineDir: cwd });
    expect(twice[0].fingerprint).not.toBe(twice[1].fingerprint);
    const [other] = fingerprints([finding('q', 1)], { textOf: () => before, cwd, baselineDir: cwd });
    expect(other.fingerprint).not.toBe(a.fingerprint);
  });

  test('apply: matched findings hidden, new ones kept, stale entries listed only for linted files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-baseline-'));
    const file = path.join(dir, 'baseline.json');
    const text = 'A\nB\nC\n';
    writeBaseline(file, [...fingerprints([finding('r', 1), finding('r', 2)], { textOf: () => text, cwd, baselineDir: cwd }), { ruleId: 'r', file: 'elsewhere.conf', fingerprint: 'x' }]);
    const entries = readBaseline(file);
    expect(entries).toHaveLength(3);
    const out = applyBaseline([finding('r', 1), finding('r', 3)], entries, { textOf: () => text, cwd, baselineDir: cwd, lintedFiles: ['etc/a.conf'] });
    expect(out.findings.map((f) => f.location.range.start.line)).toEqual([3]);
    expect(out.matchedCount).toBe(1);
    expect(out.stale.map((e) => e.file)).toEqual(['etc/a.conf']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
