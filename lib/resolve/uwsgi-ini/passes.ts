/**
 * uwsgi_apply_config_pass (core/utils.c) and uwsgi_manage_placeholder (core/config.c), reproduced
 * step for step, because their quirks decide real values:
 *  - the scan restarts at index 1 (not 0) after each replacement, so a replacement that itself
 *    starts with `%(` at index 0 is not expanded again;
 *  - nested parentheses are counted, and the innermost `X(` seen last wins;
 *  - an unknown name leaves the text as written;
 *  - `%(a b)` concatenates, `%(a + 1)` does 64-bit arithmetic.
 * Each value is bounded (replacements and length) so a self-referencing placeholder terminates
 * with a finding instead of growing for ever as it does in uWSGI.
 */
import type { SourceLocation } from '../../core/source';
import type { ExportedOption, UwsgiResolver } from './state';
import { spliceSegments } from './segments';
import { finding } from '../../parsers/uwsgi-ini/syntax';

const MAX_REPLACEMENTS = 1000;
const MAX_VALUE_LENGTH = 1 << 18;

export interface PassResult {
  text: string;
  via: string;
  location?: SourceLocation;
}

export type PassHook = (key: string, option: ExportedOption) => PassResult | null;

export function applyConfigPass(resolver: UwsgiResolver, symbol: '$' | '@' | '%', hook: PassHook): void {
  const sym = symbol.charCodeAt(0);
  for (const opt of resolver.opts) {
    if (opt.value === null || opt.configured) continue;
    let value = opt.value;
    let hasSymbol = 0;
    let depth = 0;
    let magicKey = -1;
    let replacements = 0;
    for (let j = 0; j < value.length; j++) {
      const c = value.charCodeAt(j);
      if (c === sym) {
        hasSymbol = 1;
      } else if (c === 40 /* ( */ && hasSymbol === 1) {
        hasSymbol = 2;
        depth = 0;
        magicKey = j + 1;
      } else if (hasSymbol > 1) {
        if (c === 40) {
          hasSymbol++;
          depth++;
        } else if (c === 41 /* ) */) {
          if (depth > 0) {
            hasSymbol++;
            depth--;
            continue;
          }
          if (hasSymbol <= 2) {
            magicKey = -1;
            hasSymbol = 0;
            continue;
          }
          const key = value.slice(magicKey, magicKey + hasSymbol - 2);
          const result = hook(key, opt);
          if (!result) {
            magicKey = -1;
            hasSymbol = 0;
            continue;
          }
          const start = magicKey - 2;
          const end = magicKey + hasSymbol - 1;
          const expression = value.slice(start, end);
          const next = value.slice(0, start) + result.text + value.slice(end);
          replacements++;
          // every replacement builds and rescans the whole value: spend that from the run's budget,
          // so a large placeholder copied or rescanned many times stops with one finding
          if (!resolver.gate.budget.spend('expanded-bytes', next.length)) {
            resolver.budgetExceeded('expanded-bytes', `expanding ${expression} in "${opt.key}"`, opt.valueLocation);
            break;
          }
          if (replacements > MAX_REPLACEMENTS || next.length > MAX_VALUE_LENGTH) {
            resolver.findings.push(finding('placeholder-self-reference', 'error',
              `${expression} in "${opt.key}" keeps expanding into itself: uWSGI would loop until it runs out of memory; stop the value from referring to itself`,
              opt.valueLocation));
            resolver.setFatal(`placeholder ${expression} in "${opt.key}" expands without end`, opt.valueLocation);
            break;
          }
          opt.segments = spliceSegments(opt.segments, start, end,
            [{ text: result.text, via: result.via, expression, location: result.location }], resolver.lineIndexOf);
          value = next;
          magicKey = -1;
          hasSymbol = 0;
          // uWSGI sets j = 0 here and the loop's j++ makes it resume at index 1
          j = 0;
        } else {
          hasSymbol++;
        }
      } else {
        hasSymbol = 0;
      }
    }
    opt.value = value;
  }
}

/** strtoll: leading space, sign, digits; saturates at the int64 limits. */
function strtoll(s: string): bigint {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(s);
  if (!m) return 0n;
  let n = BigInt(m[2]);
  if (m[1] === '-') n = -n;
  const max = (1n << 63n) - 1n;
  const min = -(1n << 63n);
  return n > max ? max : n < min ? min : n;
}

function int64(n: bigint): bigint {
  return BigInt.asIntN(64, n);
}

function isANumber(s: string): boolean {
  if (s === '') return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** uwsgi_manage_placeholder: `%(key)` is the first value of `key`; with spaces, a tiny concat/math pipeline. */
export function managePlaceholder(resolver: UwsgiResolver, key: string): PassResult | null {
  if (!key.includes(' ')) {
    const o = resolver.exportedValue(key);
    if (!o || o.value === null) return null;
    return { text: o.value, via: 'placeholder', location: o.valueLocation };
  }
  type State = 'concat' | 'sum' | 'sub' | 'mul' | 'div';
  let state: State = 'concat';
  let current: string | null = null;
  for (const p of key.split(' ')) {
    if (p === '') continue;
    let value: string;
    if (isANumber(p)) value = p;
    else if (p === '+') { state = 'sum'; continue; }
    else if (p === '-') { state = 'sub'; continue; }
    else if (p === '*') { state = 'mul'; continue; }
    else if (p === '/') { state = 'div'; continue; }
    else if (p === '++' || p === '--') {
      if (current !== null) current = String(int64(strtoll(current) + (p === '++' ? 1n : -1n)));
      state = 'concat';
      continue;
    } else {
      value = resolver.exportedValue(p)?.value ?? '';
    }
    const a = current === null ? 0n : strtoll(current);
    const b = strtoll(value);
    switch (state) {
      case 'concat': current = (current ?? '') + value; break;
      case 'sum': current = String(int64(a + b)); break;
      case 'sub': current = String(int64(a - b)); break;
      case 'mul': current = String(int64(a * b)); break;
      case 'div': current = b === 0n ? '0' : String(int64(a / b)); break;
    }
    state = 'concat';
  }
  if (current === null) return null;
  return { text: current, via: 'placeholder' };
}

/** The `$()`, `@()` and `%()` passes (core/uwsgi.c after uwsgi_commandline_config). */
export function runPasses(s: UwsgiResolver): void {
  applyConfigPass(s, '$', (k) => (Object.prototype.hasOwnProperty.call(s.env, k) ? { text: s.env[k], via: 'env' } : null));
  applyConfigPass(s, '@', (k, opt) => readReference(s, k, opt));
  applyConfigPass(s, '%', (k) => {
    for (const token of k.split(' ')) {
      if (token !== '' && !/^(\d+|[-+*/]|\+\+|--)$/.test(token)) s.referencedKeys.add(token);
    }
    return managePlaceholder(s, k);
  });
}
function readReference(s: UwsgiResolver, p: string, opt: ExportedOption): { text: string; via: string; location?: SourceLocation } | null {
  const read = s.gate.readFile(s.resolvePath(p));
  if (!read.ok) {
    if (read.code === 'outside') s.reportOutside(`@(${p})`, opt.valueLocation);
    else if (read.code === 'budget') s.budgetExceeded('read-bytes', `@(${p})`, opt.valueLocation);
    else {
      s.report('include-not-found', 'error', `@(${p}): ${p} cannot be read (${read.reason}), so uWSGI exits`, opt.valueLocation);
      s.setFatal(`open("${p}") failed`, opt.valueLocation);
    }
    return null;
  }
  let text = read.bytes.toString('latin1');
  // uwsgi_simple_file_read: C string, one trailing newline dropped
  const nul = text.indexOf('\0');
  if (nul >= 0) text = text.slice(0, nul);
  if (text.endsWith('\n')) text = text.slice(0, -1);
  const decoded = Buffer.from(text, 'latin1').toString('utf8');
  return { text: decoded, via: 'reference', location: { file: p, range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } } };
}