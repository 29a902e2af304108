/**
 * apr_fnmatch as httpd's Include uses it: `*`, `?`, `[...]` (with `!` or `^` negation and ranges),
 * backslash escapes, and APR_FNM_PERIOD (a leading dot must be matched by a literal dot).
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

const cache = new Map<string, RegExp>();

function toRegExp(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRe(pattern[++i]);
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
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
    } else {
      re += escapeRe(c);
    }
  }
  const r = new RegExp(re + '$', 's');
  cache.set(pattern, r);
  return r;
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export function fnmatch(pattern: string, name: string): boolean {
  if (name.startsWith('.') && !pattern.startsWith('.') && !pattern.startsWith('\\.')) return false;
  return toRegExp(pattern).test(name);
}
