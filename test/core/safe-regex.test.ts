/**
 * lib/core/safe-regex.ts: config-supplied regular expressions run on RE2 (re2js), bounded, never
 * on V8's backtracking RegExp. Hostile patterns against 50,000-character subjects must simply
 * finish (jest's timeout is the bound; no wall-clock assertions).
 */
import * as fc from 'fast-check';
import { compileSafeRegex, estimateProgramSize, matchSafeRegex, MAX_PROGRAM } from '../../lib/core/safe-regex';
import { patternMatcher } from '../../lib/knowledge/app-profiles';

const LONG_A = 'a'.repeat(50_000);
const SUBJECTS = [LONG_A, LONG_A + 'X', LONG_A + '!', 'x'.repeat(50_000), 'ab'.repeat(25_000), '2.4.62', ''];

describe('hostile patterns finish on 50,000-character subjects', () => {
  test.each([
    ['IfVersion', '^(.?.?.?.?.?.?.?.?.?.?){60}X$'],
    ['if-hostname-match', '^(.?){30000}X$'],
    ['LocationMatch / SetEnvIf', '^/(a+)+$'],
    ['alternation', '(a|aa)+$'],
    ['nested plus', '(x+x+)+y'],
    ['optional alternative', '^(a|a?)+$'],
    ['repeated star', '(.*a){20}'],
    ['NFA worst case', '(a|b)*a(a|b){999}$'],
    ['3.6 kB expanding to 600,000 instructions', '(?:.?){1000}'.repeat(300) + 'X'],
  ])('%s: %s', (_name, pattern) => {
    for (const subject of SUBJECTS) {
      expect(['match', 'no-match', 'undecided']).toContain(matchSafeRegex(pattern, subject));
      expect(['match', 'no-match', 'undecided']).toContain(matchSafeRegex(pattern, subject, { caseInsensitive: true }));
    }
  });
});

describe('results', () => {
  test('a matcher answers like RegExp on ordinary patterns', () => {
    const patterns = ['^/api/', '^/(static|media)/.*\\.(css|js)$', '\\.php$', '^/$', 'wsgi', '^/app(/|$)', '^2\\.4', '^[0-9]+\\.[0-9]+', '/(?:a|b)+/c', '^$'];
    const subjects = ['/api/x', '/static/a.css', '/media/b.js', '/index.php', '/', '/app', '/app/x', '/apple', '2.4.62', '2.2.1', '/a/b/a/c', '', 'WSGI', '/API/x'];
    for (const p of patterns) {
      const re = compileSafeRegex(p);
      if (re.kind !== 'matcher') throw new Error(`${p}: ${re.reason}`);
      for (const s of subjects) {
        expect([p, s, re.test(s)]).toEqual([p, s, new RegExp(p).test(s) ? 'match' : 'no-match']);
        expect([p, s, matchSafeRegex(p, s, { caseInsensitive: true })]).toEqual([p, s, new RegExp(p, 'i').test(s) ? 'match' : 'no-match']);
      }
    }
  });

  test('random ordinary patterns agree with RegExp', () => {
    const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '(a|b)', '(?:ab)', '\\d', '/', 'B');
    const quant = fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,3}');
    const pattern = fc.tuple(fc.boolean(), fc.array(fc.tuple(atom, quant), { minLength: 1, maxLength: 6 }), fc.boolean())
      .map(([start, parts, end]) => `${start ? '^' : ''}${parts.map(([a, q]) => a + q).join('')}${end ? '$' : ''}`);
    const subject = fc.array(fc.constantFrom('a', 'b', 'A', 'B', '/', '1', 'x'), { maxLength: 12 }).map((xs) => xs.join(''));
    fc.assert(fc.property(pattern, subject, fc.boolean(), (p, s, icase) => {
      const expected = new RegExp(p, icase ? 'i' : '').test(s) ? 'match' : 'no-match';
      return matchSafeRegex(p, s, { caseInsensitive: icase }) === expected;
    }), { numRuns: 5000 });
  });

  test.each([
    ['(\\w+)\\1', 'pcre-feature'], // backreference
    ['^/(?=api)', 'pcre-feature'], // lookahead
    ['^/(?!api)', 'pcre-feature'],
    ['(?<=/)api', 'pcre-feature'], // lookbehind
    ['(?<!/)api', 'pcre-feature'],
    ['(?>a+)b', 'pcre-feature'], // atomic group
    ['a*+b', 'pcre-feature'], // possessive
    ['a{1001}', 'pcre-feature'], // PCRE allows up to 65535
    ['x\\Z', 'pcre-feature'],
    ['(abc', 'syntax'],
    ['[z-a]', 'syntax'],
    ['*a', 'syntax'],
    ['^(.?){30000}X$', 'too-large'],
    ['(?:.?){1000}'.repeat(300), 'too-large'],
  ].map(([p, cause]) => [p.length > 40 ? `${p.slice(0, 36)}...` : p, cause, p]))('%s is unsupported (%s), with a reason', (_label, cause, pattern) => {
    const re = compileSafeRegex(pattern);
    expect(re).toMatchObject({ kind: 'unsupported', cause });
    if (re.kind === 'unsupported') expect(re.reason.length).toBeGreaterThan(0);
    expect(matchSafeRegex(pattern, 'api')).toBe('undecided');
  });

  test('a pattern within bounds but a subject beyond the step budget is undecided', () => {
    const re = compileSafeRegex('^(.?.?.?.?.?.?.?.?.?.?){60}X$');
    if (re.kind !== 'matcher') throw new Error('expected a matcher');
    expect(re.programSize).toBeLessThanOrEqual(MAX_PROGRAM);
    expect(re.test('2.4.62')).toBe('no-match');
    expect(re.test('a'.repeat(20) + 'X')).toBe('match');
    expect(re.test(LONG_A)).toBe('undecided');
  });

  test('case-sensitive unless asked', () => {
    expect(matchSafeRegex('^/api', '/API')).toBe('no-match');
    expect(matchSafeRegex('^/api', '/API', { caseInsensitive: true })).toBe('match');
  });

  test('compiled patterns are cached', () => {
    expect(compileSafeRegex('^/cached/')).toBe(compileSafeRegex('^/cached/'));
    expect(compileSafeRegex('^/cached/', { caseInsensitive: true })).not.toBe(compileSafeRegex('^/cached/'));
  });

  test('the size estimate is never far below the compiled size', () => {
    for (const p of ['^/api/(v1|v2)/.*$', '((a{30}){30})', 'a{2,5}', 'x{3,}', '[a-z]+\\.(png|jpe?g|gif)$', '((((a|b|c){10}){10}){10})', '(?P<x>a+){100}', '[[:alpha:]]{100}', '\\x{41}\\pL+']) {
      const re = compileSafeRegex(p);
      if (re.kind !== 'matcher') throw new Error(`${p}: ${re.reason}`);
      expect([p, estimateProgramSize(p) * 2 >= re.programSize]).toEqual([p, true]);
    }
  });
});

describe('appProfiles globs match without a RegExp', () => {
  /** The RegExp translation used before, as reference on ordinary inputs. */
  const oldMatcher = (pattern: string) => {
    if (!pattern.includes('*')) return (text: string) => text.includes(pattern);
    const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    const regex = new RegExp(`^${source}$`);
    return (text: string) => regex.test(text);
  };

  test('same answers as before on ordinary patterns', () => {
    const patterns = ['*/upload.wsgi', '*/glance/wsgi/api.py', 'glance.wsgi*', '*glance*', 'glance', 'a*b*c', '*', '**', 'x*', '*x', 'a*a'];
    const texts = ['/srv/upload.wsgi', '/usr/lib/python3/dist-packages/glance/wsgi/api.py', 'glance.wsgi.api:application', 'myapp.wsgi', '', 'abc', 'aXbYc', 'ab', 'a', 'aa', 'x', 'glance'];
    for (const p of patterns) for (const t of texts) expect([p, t, patternMatcher(p)(t)]).toEqual([p, t, oldMatcher(p)(t)]);
    const piece = fc.constantFrom('a', 'b', '*', '.', '/', 'ab');
    fc.assert(fc.property(fc.array(piece, { maxLength: 6 }).map((xs) => xs.join('')), fc.array(fc.constantFrom('a', 'b', '.', '/'), { maxLength: 10 }).map((xs) => xs.join('')),
      (p, t) => patternMatcher(p)(t) === oldMatcher(p)(t)), { numRuns: 5000 });
  });

  test('a*a*a*...*b over a long text finishes', () => {
    expect(patternMatcher('*a'.repeat(12) + '*b')(LONG_A)).toBe(false);
    expect(patternMatcher('*a'.repeat(12) + '*b')(LONG_A + 'b')).toBe(true);
  });
});
