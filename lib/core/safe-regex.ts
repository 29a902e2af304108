/**
 * Regular expressions taken from a linted config (`<LocationMatch>`, `SetEnvIf`, `<IfVersion ~>`,
 * uWSGI `if-hostname-match`, ...) are untrusted input: on V8's backtracking RegExp engine a pattern
 * like `^(.?){30000}X$` or `^(.?.?.?.?.?.?.?.?.?.?){60}X$` runs for hours. Every such pattern goes
 * through this module instead, which compiles it with re2js (RE2's linear-time automata in plain
 * JavaScript) and bounds the work:
 *
 * - RE2 lacks some PCRE features (backreferences `\1`, lookahead and lookbehind `(?=` `(?<=`, atomic
 *   groups `(?>`, possessive quantifiers `a*+`, repeat counts over 1000, `\Z` and other escapes):
 *   such a pattern is `unsupported`, with the reason, and never falls back to RegExp.
 * - The compiled program is at most MAX_PROGRAM instructions (an estimate from the pattern text is
 *   checked first, so a short pattern that expands to millions of instructions is never compiled),
 *   and one test runs at most STEP_BUDGET instruction-steps (program size times subject length,
 *   RE2's worst case): a longer subject is `undecided` rather than slow. Real config patterns and
 *   subjects (URL paths, version strings, host names) are far inside both bounds.
 *
 * Callers decide what `unsupported` and `undecided` mean at their site ("cannot decide"): each says
 * which way it leans and why. Compiled patterns are cached (bounded).
 */
import type * as Re2 from 're2js';

export interface SafeRegexOptions {
  /** REG_ICASE / PCRE_CASELESS (RE2's `(?i)`). */
  caseInsensitive?: boolean;
}

export type UnsupportedCause =
  /** a PCRE feature RE2 does not have (backreference, lookaround, atomic group, big repeat count...) */
  | 'pcre-feature'
  /** not a regular expression in any dialect RE2 knows (unbalanced parenthesis, bad range...) */
  | 'syntax'
  /** larger than the bounds above */
  | 'too-large';

export type SafeRegex =
  | {
      kind: 'matcher';
      /** Compiled program size in RE2 instructions. */
      programSize: number;
      /** Unanchored search, as RegExp.prototype.test and regexec do. */
      test(subject: string): MatchResult;
    }
  | { kind: 'unsupported'; cause: UnsupportedCause; reason: string };

/** `undecided`: the subject is too long for this pattern within STEP_BUDGET. */
export type MatchResult = 'match' | 'no-match' | 'undecided';

/** Largest compiled program accepted (RE2 instructions). Real config patterns use a few hundred. */
export const MAX_PROGRAM = 5000;
/** Most instruction-steps one test may take (program size x (subject length + 1)): ~0.3 s worst case. */
export const STEP_BUDGET = 20_000_000;

const CACHE_LIMIT = 512;
const cache = new Map<string, SafeRegex>();

let re2js: typeof Re2 | undefined;
/** Loaded on first use: a run whose configs have no regex never pays for it. */
function engine(): typeof Re2 {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  re2js ??= require('re2js') as typeof Re2;
  return re2js;
}

/** Compile a config-supplied pattern (PCRE / POSIX ERE as httpd and uWSGI read it) for linear-time matching. */
export function compileSafeRegex(pattern: string, options: SafeRegexOptions = {}): SafeRegex {
  const key = `${options.caseInsensitive ? 'i' : '-'}${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const compiled = compile(pattern, options);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

/** compileSafeRegex then test: `undecided` too when the pattern is unsupported. */
export function matchSafeRegex(pattern: string, subject: string, options: SafeRegexOptions = {}): MatchResult {
  const re = compileSafeRegex(pattern, options);
  return re.kind === 'matcher' ? re.test(subject) : 'undecided';
}

function compile(pattern: string, options: SafeRegexOptions): SafeRegex {
  const estimate = estimateProgramSize(pattern);
  if (estimate > 4 * MAX_PROGRAM) {
    return { kind: 'unsupported', cause: 'too-large', reason: `pattern too large to match safely (about ${estimate} RE2 instructions, at most ${MAX_PROGRAM})` };
  }
  const { RE2JS } = engine();
  let re: Re2.RE2JS;
  try {
    re = RE2JS.compile(pattern, options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
    return { kind: 'unsupported', cause: causeOf(message), reason: message };
  }
  const programSize = re.programSize();
  if (programSize > MAX_PROGRAM) {
    return { kind: 'unsupported', cause: 'too-large', reason: `pattern too large to match safely (${programSize} RE2 instructions, at most ${MAX_PROGRAM})` };
  }
  return {
    kind: 'matcher',
    programSize,
    test(subject: string): MatchResult {
      if (programSize * (subject.length + 1) > STEP_BUDGET) return 'undecided';
      return re.test(subject) ? 'match' : 'no-match';
    },
  };
}

/** Which RE2 parse errors are PCRE features RE2 lacks, rather than patterns no engine reads. */
function causeOf(message: string): UnsupportedCause {
  if (/expression too large|nests too deeply/.test(message)) return 'too-large';
  if (/invalid or unsupported Perl syntax|invalid escape sequence|invalid repeat count|invalid nested repetition operator|invalid named capture: `\(\?<[=!]/.test(message)) {
    return 'pcre-feature';
  }
  return 'syntax';
}

/**
 * An upper estimate of the compiled size, in one pass over the text, so that a short pattern that
 * expands hugely (`(?:.?){1000}` repeated, nested counted repeats) is refused before RE2 builds it.
 * Each atom counts 1, a group its contents plus 2, `*` `+` `?` and `|` 1, and `{n,m}` multiplies the
 * atom before it by its larger bound.
 */
export function estimateProgramSize(pattern: string): number {
  const CAP = 1e9;
  const stack: { total: number; last: number }[] = [{ total: 0, last: 0 }];
  const atom = (n: number): void => {
    const top = stack[stack.length - 1];
    top.total = Math.min(CAP, top.total + n);
    top.last = n;
  };
  const counted = /^\{(\d+)(?:,(\d*))?\}/;
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c === '\\') {
      i += 2;
      // \x{...}, \p{...}, \P{...}
      if (pattern[i] === '{' && /[xpP]/.test(pattern[i - 1] ?? '')) {
        const close = pattern.indexOf('}', i);
        i = close < 0 ? pattern.length : close + 1;
      }
      atom(1);
    } else if (c === '[') {
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') {
        if (pattern[i] === '\\') i++;
        else if (pattern[i] === '[' && pattern[i + 1] === ':') {
          const close = pattern.indexOf(':]', i + 2);
          if (close >= 0) i = close + 1;
        }
        i++;
      }
      i++;
      atom(1);
    } else if (c === '(') {
      stack.push({ total: 0, last: 0 });
      i++;
    } else if (c === ')') {
      const inner = stack.length > 1 ? stack.pop()! : { total: 0, last: 0 };
      atom(inner.total + 2);
      i++;
    } else if (c === '|') {
      const top = stack[stack.length - 1];
      top.total = Math.min(CAP, top.total + 1);
      top.last = 0;
      i++;
    } else if (c === '*' || c === '+' || c === '?') {
      const top = stack[stack.length - 1];
      top.total = Math.min(CAP, top.total + 1);
      i++;
    } else if (c === '{' && counted.test(pattern.slice(i, i + 24))) {
      const m = counted.exec(pattern.slice(i, i + 24))!;
      const min = Number(m[1]);
      const max = m[2] === undefined || m[2] === '' ? min : Number(m[2]);
      const n = Math.min(CAP, Math.max(min, max, 1));
      const top = stack[stack.length - 1];
      const grown = Math.min(CAP, top.last * n + n);
      top.total = Math.min(CAP, top.total + grown - top.last);
      top.last = grown;
      i += m[0].length;
    } else {
      atom(1);
      i++;
    }
  }
  let total = 0;
  for (const frame of stack) total = Math.min(CAP, total + frame.total);
  return total;
}
