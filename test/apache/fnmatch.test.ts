/**
 * lib/core/fnmatch.ts: apr_fnmatch (APR_FNM_PERIOD) without a RegExp. Hostile patterns
 * from an untrusted Include finish and never throw; ordinary patterns match exactly as the previous
 * RegExp-based version did (kept below as the reference); test/oracle/apr-fnmatch.test.ts compares
 * with the real libapr.
 */
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveApacheConfig } from '../../lib/resolve/apache';
import { fnmatch, hasWildcard } from '../../lib/core/fnmatch';

/** The RegExp translation fnmatch.ts used before (reference for patterns where it was right). */
function oldFnmatch(pattern: string, name: string): boolean {
  const escapeRe = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      let neg = false;
      if (body[0] === '!' || body[0] === '^') {
        neg = true;
        body = body.slice(1);
      }
      re += `[${neg ? '^' : ''}${body.replace(/[\]\\^]/g, (m) => '\\' + m)}]`;
      i = close;
    } else re += escapeRe(c);
  }
  if (name.startsWith('.') && !pattern.startsWith('.') && !pattern.startsWith('\\.')) return false;
  return new RegExp(re + '$', 's').test(name);
}

describe('ordinary patterns: same answers as before', () => {
  const names = ['a.conf', 'site1.conf', 'site12.conf', 'site.conf', '0-default.conf', '000-default.conf', 'b.load', '.hidden.conf',
    'README', 'x*y', 'x.y', 'xzy', 'a', 'ab', 'ba', '*', '9lives.conf', 'zz.conf.bak', '.conf', 'conf'];
  const patterns = ['*.conf', '[0-9]*', 'site?.conf', '[!a]*', '\\*', 'x\\*y', '*', '?', '.*', '\\.*', '*.load', '[a-c]?.load',
    '[!a-c]*', '[^a]*', '*[0-9].conf', 'site[0-9][0-9].conf', 'a*', '*a', 'x?y', '[]a]*', '[ab]', 'conf', '*.conf*'];
  test.each(patterns)('%s', (pattern) => {
    for (const name of names) expect([pattern, name, fnmatch(pattern, name)]).toEqual([pattern, name, oldFnmatch(pattern, name)]);
  });

  test('random patterns the old RegExp read right agree with it', () => {
    // whole, well-formed brackets only (no backslash inside, no inverted range, no stray `[` that a
    // later `]` closes): the cases the old translation got wrong are in the table below instead
    const atom = fc.constantFrom('*', '?', 'a', 'b', '.', '-', 'c', ']', '\\*', '\\?', '\\[', '[ab]', '[!a]', '[^b]', '[a-c]', '[!a-b]', '[.]', '[-]');
    const pattern = fc.array(atom, { minLength: 1, maxLength: 8 }).map((xs) => xs.join(''));
    const name = fc.array(fc.constantFrom('a', 'b', 'c', '.', '-', '*', '?', '[', ']'), { minLength: 1, maxLength: 10 }).map((xs) => xs.join(''));
    fc.assert(fc.property(pattern, name, (p, n) => fnmatch(p, n) === oldFnmatch(p, n)), { numRuns: 20000 });
  });
});

describe('apr_fnmatch details', () => {
  test.each([
    // [pattern, name, match]
    ['*.conf', '.x.conf', false], // APR_FNM_PERIOD
    ['.*.conf', '.x.conf', true],
    ['\\.*.conf', '.x.conf', true],
    ['[.]x', '.x', false], // a bracket never matches the leading period
    ['?x', '.x', false],
    ['[z-a]', 'b', false], // inverted range: kept, matches nothing
    ['[z-a]', 'z', false],
    ['[!z-a]', 'b', true],
    ['[z-ab]', 'b', true],
    ['[a-]', '-', true], // `x-]` is no range
    ['[a-]', 'a', true],
    ['[]]', ']', true], // `]` first is a member
    ['[!]]', ']', false],
    ['[!]]', 'a', true],
    ['[\\]]', ']', true], // escapes inside brackets
    ['[a\\-z]', '-', true],
    ['[a\\-z]', 'b', false],
    ['[a-\\z]', 'm', true],
    ['[ab', '[ab', true], // unclosed: a literal `[`
    ['[ab', 'a', false],
    ['[a-', '[a-', true],
    ['[\\', '[\\', true],
    ['a\\', 'a\\', true], // trailing backslash is literal
    ['\\a', 'a', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbY', false],
    ['*a*', 'bbb', false],
    ['**', 'x', true],
    ['a/*', 'a/b', true],
    ['*', 'a/b', false], // `*` never matches `/`
    ['a?b', 'a/b', false],
  ])('%s vs %s -> %s', (pattern, name, expected) => {
    expect(fnmatch(pattern, name)).toBe(expected);
  });

  test('hasWildcard as apr_fnmatch_test', () => {
    expect(hasWildcard('a/*.conf')).toBe(true);
    expect(hasWildcard('a/b.conf')).toBe(false);
    expect(hasWildcard('[z-a]')).toBe(true);
    expect(hasWildcard('a[b')).toBe(false);
    expect(hasWildcard('a\\*b')).toBe(false);
  });
});

describe('hostile patterns', () => {
  test('an inverted range never throws', () => {
    expect(() => fnmatch('[z-a]', 'q')).not.toThrow();
    expect(() => fnmatch('x[\\', 'x')).not.toThrow();
  });

  test('*a*a*a...*b over a long name finishes (no exponential backtracking)', () => {
    // the old RegExp took C(n, 11) steps here; this terminates in O(name * pattern)
    const pattern = '*a'.repeat(11) + '*b';
    expect(fnmatch(pattern, 'a'.repeat(255))).toBe(false);
    expect(fnmatch(pattern, 'a'.repeat(50_000))).toBe(false);
    expect(fnmatch('*a'.repeat(2000) + '*b', 'a'.repeat(50_000))).toBe(false);
    expect(fnmatch(pattern, 'a'.repeat(254) + 'b')).toBe(true);
  });

  describe('through Include', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-fnmatch-'));
      fs.mkdirSync(path.join(dir, 'd'));
      fs.writeFileSync(path.join(dir, 'd', 'a'.repeat(250)), 'KeepAlive On\n');
      fs.writeFileSync(path.join(dir, 'd', 'z'), 'KeepAlive On\n');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    test('Include d/[z-a]: no match, httpd\'s error, no exception', () => {
      const main = path.join(dir, 'main.conf');
      fs.writeFileSync(main, `ServerRoot "${dir}"\nInclude d/[z-a]\n`);
      const r = resolveApacheConfig(main, { serverRoot: dir });
      expect(r.httpdError?.message).toMatch(/No matches for the wildcard '\[z-a\]'/);
    });

    test('IncludeOptional d/*a*a*a*a*a*a*a*a*a*a*a*b over a 250-character name finishes', () => {
      const main = path.join(dir, 'main.conf');
      fs.writeFileSync(main, `ServerRoot "${dir}"\nIncludeOptional d/*a*a*a*a*a*a*a*a*a*a*a*b\nIncludeOptional d/*a*a*a*a*a*a*a*a*a*a*a\n`);
      const r = resolveApacheConfig(main, { serverRoot: dir });
      expect(r.httpdError).toBeNull();
      expect(r.files).toEqual([main, path.join(dir, 'd', 'a'.repeat(250))]);
    });
  });
});
