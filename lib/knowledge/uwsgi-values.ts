/**
 * How uWSGI reads an option's value, in one place: the model, the rules and (later) the ini resolver
 * ask here rather than each keeping a reader of its own. Facts: uwsgi-facts.md, option setters.
 */

/**
 * `uwsgi_opt_true` (uwsgi.c:4025, [S] 3924): false only for `false`, `off`, `no` in any case and for
 * exactly `0`; everything else is true, `""`, `00`, `nope` and ` no` (with the space) included. No
 * trimming: the value is compared as uWSGI holds it.
 */
export function isUwsgiFalse(value: string): boolean {
  const v = value.toLowerCase();
  return v === 'false' || v === 'off' || v === 'no' || value === '0';
}

/** A boolean option's truth as uWSGI reads it: the opposite of {@link isUwsgiFalse}. */
export function readUwsgiFlag(value: string): boolean {
  return !isUwsgiFalse(value);
}

/**
 * C `atoi`, as uWSGI 2.0 reads an integer option (`uwsgi_opt_set_int`, [S] uwsgi.c:4009): optional
 * white space and sign, then digits; anything else gives 0, silently. `"30"` (quoted) is 0, `60s`
 * is 60. Clamped to a C int. (The master branch reads with strtol and warns about trailing junk,
 * with the same number.)
 */
export function readUwsgiInt(value: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(value);
  if (!m) return 0;
  const n = Number(m[1]);
  return Number.isFinite(n) ? Math.max(-2147483648, Math.min(2147483647, n)) : 0;
}
