/**
 * How uWSGI reads a value: the one owner of these facts for the resolver, the model and the rules.
 * uwsgi_opt_true (core/uwsgi.c) is false only for "false", "off", "no" (any case) and exactly "0";
 * every other value, including an empty one and " false" with a space, is true. Integers are read
 * with C's atoi: leading blanks and a sign, then digits; anything else stops it (so "4k" is 4 and a
 * quoted "30" is 0).
 */

/** uwsgi_opt_true's reading: false only for false/off/no (any case) and exactly "0". */
export function isUwsgiFalse(value: string): boolean {
  const v = value.toLowerCase();
  return v === 'false' || v === 'off' || v === 'no' || value === '0';
}

/** C atoi: optional spaces and sign, then digits; anything else gives 0. */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  return Number.isFinite(n) ? Math.max(-2147483648, Math.min(2147483647, n)) : 0;
}

