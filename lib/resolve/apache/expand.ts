/**
 * ${VAR} expansion as httpd's ap_resolve_env does it over a whole logical line: Define'd names
 * first, then the environment; `${VAR:...}` and undefined names stay as written. Expanded text is
 * spent from the run's expanded-bytes budget, so a Define chain that doubles at each level stops
 * with one finding. Positions map back from the expanded line to the characters written.
 */
import type { SourceLocation } from '../../core/source';
import type { LogicalLine } from '../../parsers/apache/lexer';
import type { ApacheReadState, Cursor } from './state';

/** The variables Debian's /etc/apache2/envvars sets (apache2ctl sources it before starting httpd). */
const DEBIAN_ENVVARS = new Set(['APACHE_RUN_USER', 'APACHE_RUN_GROUP', 'APACHE_PID_FILE', 'APACHE_RUN_DIR', 'APACHE_LOCK_DIR', 'APACHE_LOG_DIR', 'APACHE_CONFDIR', 'APACHE_LYNX', 'APACHE_ULIMIT_MAX_FILES', 'APACHE_STARTED_BY_SYSTEMD', 'APACHE_ARGUMENTS', 'LANG', 'SUFFIX']);

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
      } else if (value === undefined && !DEBIAN_ENVVARS.has(name) && !s.notedVariables.has(name)) {
        // A snippet's environment is unknown, and Debian's envvars sets the APACHE_* names it uses;
        // any other name must come from the environment httpd starts with, or an installer fills it
        // in (`${SEARXNG_PORT}`): said once per name, without claiming httpd would fail.
        s.notedVariables.add(name);
        s.findings.push({
          ruleId: 'apache-undefined-variable', severity: 'info', location: cur.reader.joinedLocation(line, base + dollar, base + close + 1),
          message: `\${${name}} is defined by no Define here and is not one of Debian's envvars: httpd takes it from its environment (or an installer fills it in); give it with --env ${name}=VALUE to check the lines that use it`,
        });
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

