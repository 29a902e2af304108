/**
 * apr_fnmatch as httpd's Include uses it (process_resource_config_fnmatch passes APR_FNM_PERIOD
 * only): `*`, `?`, `[...]` (with `!` or `^` negation and ranges), backslash escapes, and
 * APR_FNM_PERIOD (a leading dot must be matched by a literal dot).
 *
 * The pattern comes from an untrusted config, so matching never builds a RegExp: the pattern is
 * read once into single-character elements and `*`, and the name is matched by the iterative
 * wildcard algorithm with one backtrack point (the last `*` seen), which is O(name × pattern) in
 * the worst case and never backtracks exponentially (`*a*a*a*a*b` over a long name is quadratic at
 * most). Bracket expressions follow apr_fnmatch.c fnmatch_ch:
 * - `!` or `^` first negates; a `]` right after `[` (or after the negation) is an ordinary member;
 * - `\` escapes the next character, inside brackets too;
 * - `a-z` is a range; `x-]` is not (the `-` is a member); a range whose end is below its start
 *   (`z-a`) is kept and matches nothing (apr compares `c >= start && c <= end`), so `[z-a]` matches
 *   no character and `[!z-a]` matches any;
 * - a `[` with no closing `]` (or whose escape or range runs into the end) is an ordinary `[`.
 * Characters compare as UTF-16 code units (apr compares bytes; the two agree on ASCII names).
 * `*` and `?` never match `/` (a directory entry's name never has one, so this is moot for Include).
 */

/** apr_fnmatch_test: does the pattern contain a wildcard? */
export function hasWildcard(pattern: string): boolean {
  let inBracket = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '?' || c === '*') return true;
    if (c === '[') inBracket = true;
    else if (c === ']' && inBracket) return true;
  }
  return false;
}

/** One element of a compiled pattern: `*`, or something that matches exactly one character. */
type Element =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'char'; code: number }
  | { kind: 'set'; negate: boolean; ranges: number[] /* lo, hi pairs, inclusive */ };

const SLASH = 0x2f;

/** fnmatch_ch's bracket expression at `start` (a `[`): the element and where the pattern goes on, or null for a literal `[`. */
function readBracket(pattern: string, start: number): { element: Element; next: number } | null {
  const end = pattern.length;
  let i = start + 1;
  const negate = pattern[i] === '!' || pattern[i] === '^';
  if (negate) i++;
  const ranges: number[] = [];
  let first = true;
  while (i < end) {
    if (pattern[i] === ']' && !first) return { element: { kind: 'set', negate, ranges }, next: i + 1 };
    first = false;
    if (pattern[i] === '\\') {
      i++;
      if (i >= end) return null; // must be closed by `]`, not by the end of the pattern
    }
    const lo = pattern.charCodeAt(i);
    if (pattern[i + 1] === '-' && pattern[i + 2] !== ']') {
      i += pattern[i + 2] === '\\' ? 3 : 2;
      if (i >= end) return null; // `x-` or `x-\` at the end: no closing `]`
      ranges.push(lo, pattern.charCodeAt(i)); // an inverted range (`z-a`) stays and matches nothing
      i++;
      continue;
    }
    ranges.push(lo, lo);
    i++;
  }
  return null;
}

function compile(pattern: string): Element[] {
  const out: Element[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c === '*') {
      if (out.length === 0 || out[out.length - 1].kind !== 'star') out.push({ kind: 'star' });
      i++;
    } else if (c === '?') {
      out.push({ kind: 'any' });
      i++;
    } else if (c === '[') {
      const bracket = readBracket(pattern, i);
      if (bracket) {
        out.push(bracket.element);
        i = bracket.next;
      } else {
        out.push({ kind: 'char', code: 0x5b });
        i++;
      }
    } else if (c === '\\' && i + 1 < pattern.length) {
      out.push({ kind: 'char', code: pattern.charCodeAt(i + 1) });
      i += 2;
    } else {
      out.push({ kind: 'char', code: pattern.charCodeAt(i) });
      i++;
    }
  }
  return out;
}

function matchesOne(e: Element, code: number): boolean {
  switch (e.kind) {
    case 'any':
      return code !== SLASH;
    case 'char':
      return e.code === code;
    case 'set': {
      let hit = false;
      for (let k = 0; k < e.ranges.length && !hit; k += 2) hit = code >= e.ranges[k] && code <= e.ranges[k + 1];
      return hit !== e.negate;
    }
    default:
      return false;
  }
}

const CACHE_LIMIT = 1024;
const cache = new Map<string, Element[]>();

function compiled(pattern: string): Element[] {
  let elements = cache.get(pattern);
  if (!elements) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    elements = compile(pattern);
    cache.set(pattern, elements);
  }
  return elements;
}

export function fnmatch(pattern: string, name: string): boolean {
  let s = 0;
  let p = 0;
  const elements = compiled(pattern);
  // APR_FNM_PERIOD: a leading `.` only matches a literal `.` (not `*`, `?` or `[.]`)
  if (name.startsWith('.')) {
    if (!pattern.startsWith('.') && !pattern.startsWith('\\.')) return false;
    s = 1;
    p = 1;
  }
  let starP = -1; // element index after the last `*` seen
  let starS = 0; // where in the name that `*`'s match currently ends
  while (s < name.length) {
    const e = elements[p];
    if (e?.kind === 'star') {
      starP = ++p;
      starS = s;
      continue;
    }
    if (e && matchesOne(e, name.charCodeAt(s))) {
      p++;
      s++;
      continue;
    }
    // mismatch: let the last `*` take one more character (never a `/`) and retry after it
    if (starP < 0 || name.charCodeAt(starS) === SLASH) return false;
    starS++;
    s = starS;
    p = starP;
  }
  while (p < elements.length && elements[p].kind === 'star') p++;
  return p === elements.length;
}
