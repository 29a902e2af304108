/**
 * ${VAR} expansion as httpd's ap_resolve_env does it over a whole logical line: Define'd names
 * first, then the environment; `${VAR:...}` and undefined names stay as written. Expanded text is
 * spent from the run's expanded-bytes budget, so a Define chain that doubles at each level stops
 * with one finding. Positions map back from the expanded line to the characters written.
 */
import type { SourceLocation } from '../../core/source';
import type { LogicalLine } from '../../parsers/apache/lexer';
import type { ApacheReadState, Cursor } from './state';

export function expand(s: ApacheReadState, cur: Cursor, line: LogicalLine): { text: string; map: ExpansionMap | null } {
  const src = line.text;
  if (src.indexOf('${') < 0) return { text: src, map: null };
  let out = '';
  const map = new ExpansionMap(line.textStartInJoined);
  const base = line.textStartInJoined;
  let i = 0;
  let literalFrom = 0;
  const flushLiteral = (to: number) => {
    if (to > literalFrom) {
      map.literal(out.length, literalFrom, to - literalFrom);
      out += src.slice(literalFrom, to);
    }
  };
  while (i < src.length) {
    const dollar = src.indexOf('${', i);
    if (dollar < 0) break;
    const close = src.indexOf('}', dollar + 2);
    // no '}' left: nothing further can expand (and rescanning per '${' would be quadratic)
    if (close < 0) break;
    if (close === dollar + 2) {
      i = close + 1;
      continue;
    }
    const name = src.slice(dollar + 2, close);
    let value: string | undefined;
    if (name.indexOf(':') < 0) {
      const d = s.defines.get(name);
      value = typeof d === 'string' ? d : Object.prototype.hasOwnProperty.call(s.env, name) ? s.env[name] : undefined;
      // A snippet given alone, with no environment supplied, runs in a server whose
      // environment is unknown (Debian's envvars sets APACHE_LOG_DIR and friends): the
      // variable is assumed to be set there, not reported.
      if (value === undefined && (s.wholeTree || s.options.env !== undefined)) {
        s.warn('apache-undefined-variable', `Config variable \${${name}} is not defined`, cur.reader.joinedLocation(line, base + dollar, base + close + 1));
      }
    }
    if (value === undefined) {
      i = close + 1;
      continue;
    }
    if (!s.gate.budget.spend('expanded-bytes', value.length)) {
      s.budgetExceeded('expanded-bytes', `expanding \${${name}}`, cur.reader.joinedLocation(line, base + dollar, base + close + 1));
      break; // the rest of the line stays as written
    }
    flushLiteral(dollar);
    map.substituted(out.length, dollar, value.length);
    out += value;
    i = close + 1;
    literalFrom = i;
  }
  flushLiteral(src.length);
  return { text: out, map };
}

export function argLocation(cur: Cursor, line: LogicalLine, map: ExpansionMap | null, start: number, end: number): SourceLocation {
  const base = line.textStartInJoined;
  if (!map) return cur.reader.joinedLocation(line, base + start, base + end);
  const s = map.at(start) ?? base + line.text.length;
  const e = end > start ? (map.at(end - 1) ?? s) + 1 : s;
  // a substituted value maps every character to its ${...}
  return cur.reader.joinedLocation(line, s, Math.max(e, s));
}

/**
 * Where each character of an expanded line came from, as runs rather than one number per character
 * (an expansion may be megabytes long): a literal run maps one to one, a substituted value maps every
 * character to the `$` of its `${...}`.
 */
export class ExpansionMap {
  private readonly outStarts: number[] = [];
  private readonly srcStarts: number[] = [];
  private readonly lengths: number[] = [];
  private readonly literalRun: boolean[] = [];
  constructor(private readonly base: number) {}
  literal(outStart: number, srcStart: number, length: number): void {
    this.push(outStart, srcStart, length, true);
  }
  substituted(outStart: number, srcStart: number, length: number): void {
    if (length > 0) this.push(outStart, srcStart, length, false);
  }
  private push(o: number, s: number, n: number, lit: boolean): void {
    this.outStarts.push(o);
    this.srcStarts.push(s);
    this.lengths.push(n);
    this.literalRun.push(lit);
  }
  /** Joined-line index of output character `k`, or undefined past the end. */
  at(k: number): number | undefined {
    let lo = 0;
    let hi = this.outStarts.length - 1;
    if (hi < 0 || k < 0) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.outStarts[mid] <= k) lo = mid;
      else hi = mid - 1;
    }
    const off = k - this.outStarts[lo];
    if (off >= this.lengths[lo]) return undefined;
    return this.base + this.srcStarts[lo] + (this.literalRun[lo] ? off : 0);
  }
}

