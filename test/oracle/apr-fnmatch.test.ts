/**
 * Oracle: lib/core/fnmatch.ts against the real apr_fnmatch (libapr1, which apache2
 * brings), with the flags httpd's Include passes (APR_FNM_PERIOD). A ten-line C harness is compiled
 * at test time against libapr-1.so.0 (no headers needed: the prototype is declared here) and fed
 * random ASCII patterns and names built from the characters that matter (`* ? [ ] ! ^ - \ .`).
 * Skipped, with a warning, where there is no C compiler; apache2 (and so libapr) is required as for
 * the other oracle tests.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fnmatch } from '../../lib/core/fnmatch';
import { requireApache2 } from '../apache/httpd-harness';

const HARNESS = `#include <stdio.h>
#include <string.h>
int apr_fnmatch(const char *pattern, const char *string, int flags);
int main(void) {
  static char line[1 << 16];
  while (fgets(line, sizeof line, stdin)) {
    size_t n = strlen(line);
    if (n && line[n - 1] == '\\n') line[--n] = 0;
    char *tab = strchr(line, '\\t');
    if (!tab) { puts("?"); continue; }
    *tab = 0;
    puts(apr_fnmatch(line, tab + 1, 0x04 /* APR_FNM_PERIOD */) == 0 ? "1" : "0");
  }
  return 0;
}
`;

let dir: string | undefined;
let bin: string | undefined;

beforeAll(() => {
  if (!requireApache2()) return;
  const cc = ['cc', 'gcc', 'clang'].find((c) => spawnSync(c, ['--version']).status === 0);
  if (!cc) {
    console.warn('no C compiler: the apr_fnmatch oracle test is skipped');
    return;
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-apr-fnmatch-'));
  fs.writeFileSync(path.join(dir, 'h.c'), HARNESS);
  bin = path.join(dir, 'h');
  execFileSync(cc, ['-O1', '-o', bin, path.join(dir, 'h.c'), '-l:libapr-1.so.0']);
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function apr(cases: [string, string][]): boolean[] {
  const r = spawnSync(bin!, { input: cases.map(([p, n]) => `${p}\t${n}\n`).join(''), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`apr_fnmatch harness failed: ${r.stderr}`);
  const out = r.stdout.split('\n');
  return cases.map((_, i) => out[i] === '1');
}

test('fnmatch agrees with libapr on random patterns', () => {
  if (!bin) return;
  const patternPart = fc.constantFrom('*', '?', '[', ']', '!', '^', '-', '\\', 'a', 'b', 'z', '.', '[a-c]', '[!a]', '[z-a]', '[]a]', '\\*', '*a', '[a-');
  const namePart = fc.constantFrom('a', 'b', 'c', 'z', '.', '-', '[', ']', '\\', '!', '^', '*', '?');
  const cases = fc.sample(
    fc.tuple(
      fc.array(patternPart, { minLength: 1, maxLength: 12 }).map((xs) => xs.join('')),
      fc.array(namePart, { minLength: 1, maxLength: 20 }).map((xs) => xs.join('')),
    ),
    { numRuns: 100_000, seed: 42 },
  );
  const expected = apr(cases);
  const wrong: string[] = [];
  cases.forEach(([p, n], i) => {
    if (fnmatch(p, n) !== expected[i]) wrong.push(`${JSON.stringify(p)} vs ${JSON.stringify(n)}: apr says ${expected[i]}`);
  });
  expect(wrong.slice(0, 20)).toEqual([]);
});
