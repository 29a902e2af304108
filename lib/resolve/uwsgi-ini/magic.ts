/**
 * uWSGI's magic `%X` variables (uwsgi-facts.md 1.1; core/utils.c magic_sub, init_magic_table,
 * core/uwsgi.c config_magic_table_fill). They are replaced in the raw file text before it is split
 * into lines. Every `%` followed by any character is replaced: unknown letters give the empty string,
 * `%%` gives `%`, `%(` stays `%(` for placeholders. A `%` before a newline therefore removes the newline.
 *
 * Substitution keeps a map from the new text back to the original, so every resolved key and value
 * can still point at the exact characters the user wrote.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ReadGate } from '../../input/gate';

/** Facts about the running uWSGI that magic variables expose; defaults come from this machine. */
export interface UwsgiRuntime {
  /** %v: working directory at start-up (also the base of relative config paths). */
  cwd: string;
  /** %h */
  hostname: string;
  /** %V: version string, e.g. '2.0.21-debian'. */
  version: string;
  /** %k: detected CPU cores. */
  cpus: number;
  /** %u %U %g %G */
  uid: number;
  user: string;
  gid: number;
  group: string;
  /** %b: binary path. */
  binaryPath: string;
  /** %t (seconds) and %T (microseconds) since the epoch. */
  unixTimeMicros: bigint;
  /**
   * Leave the host's own facts (%h %k %u %U %g %G) as written instead of this machine's values: a
   * config linted in CI is not run on the CI machine, and its findings must not print the runner's
   * host name or user. lint() sets this unless asked for host facts.
   */
  hostFactsAsWritten?: boolean;
}

/** What this process's host says about itself: read once, since it does not change within a run. */
let hostFacts: Omit<UwsgiRuntime, 'cwd' | 'unixTimeMicros'> | undefined;

export function defaultRuntime(cwd?: string): UwsgiRuntime {
  if (!hostFacts) {
    let user = '';
    let uid = 0;
    let gid = 0;
    try {
      const info = os.userInfo();
      user = info.username;
      uid = info.uid;
      gid = info.gid;
    } catch {
      // no passwd entry: keep the defaults
    }
    hostFacts = {
      hostname: os.hostname(),
      version: '2.0.30',
      cpus: os.cpus().length || 1,
      uid,
      user,
      gid,
      group: groupName(gid),
      binaryPath: '/usr/bin/uwsgi',
    };
  }
  return { ...hostFacts, cwd: cwd ?? process.cwd(), unixTimeMicros: BigInt(Date.now()) * 1000n };
}

function groupName(gid: number): string {
  try {
    for (const line of fs.readFileSync('/etc/group', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length > 2 && Number(f[2]) === gid) return f[0];
    }
  } catch {
    // no /etc/group
  }
  return '';
}

/** djb33x hash of a string's UTF-8 bytes, printed as uWSGI prints %j: the 4 bytes in memory (little-endian) order, upper-case hex. */
export function magicHash(s: string): string {
  let h = 5381;
  for (const c of Buffer.from(s, 'utf8')) h = ((Math.imul(h, 33) >>> 0) ^ c) >>> 0;
  const b = Buffer.alloc(4);
  b.writeUInt32LE(h, 0);
  return b.toString('hex').toUpperCase();
}

/** Values of the per-file magic variables, for one config file as it was named (`%o`). */
export interface FileMagic {
  o: string; p: string; s: string; d: string; c: string; e: string; n: string; x: string; i: string; j: string;
  components: string[];
}

function lastIndexOrUndefined(s: string, c: string): number | undefined {
  const i = s.lastIndexOf(c);
  return i < 0 ? undefined : i;
}

/**
 * config_magic_table_fill: %o %p %s %d %c %e %n (+ %x, %i, %j, %0-%9) for `filename` as given.
 * %p is the real path (measured on 2.0.21: `./app.ini` and `dir//app.ini` give the clean absolute
 * path); %e is taken from the name as given.
 */
export function fileMagic(filename: string, section: string, cwd: string, gate: ReadGate): FileMagic {
  const full = path.resolve(cwd, filename);
  const checked = gate.check(full);
  const p = checked.ok ? checked.realPath : full;
  const slash = p.lastIndexOf('/');
  const s = p.slice(slash + 1);
  const d = p.slice(0, slash + 1);
  const dNoSlash = d.endsWith('/') ? d.slice(0, -1) : d;
  const cSlash = lastIndexOrUndefined(dNoSlash, '/');
  const c = cSlash === undefined ? '' : dNoSlash.slice(cSlash + 1);
  // %e is taken from the name as given, %n from the base name (uWSGI does exactly this)
  const eDot = lastIndexOrUndefined(filename, '.');
  const e = eDot === undefined ? '' : filename.slice(eDot + 1);
  const nDot = lastIndexOrUndefined(s, '.');
  const n = nDot === undefined ? '' : s.slice(0, nDot);
  // the gate answers for paths inside the given roots only: elsewhere %i stays empty
  const ino = gate.inode(full);
  const inode = ino === null ? '' : String(ino);
  const components = d.split('/').filter((x) => x !== '');
  return { o: filename, p, s, d, c, e, n, x: section, i: inode, j: magicHash(p), components };
}

/** The full 256-entry table for one file: every other byte maps to ''. */
export function magicTable(file: FileMagic, first: FileMagic, runtime: UwsgiRuntime): Map<string, string> {
  const t = new Map<string, string>();
  const set = (k: string, v: string): void => {
    t.set(k, v);
  };
  set('%', '%');
  set('(', '%(');
  set('v', runtime.cwd);
  set('V', runtime.version);
  if (runtime.hostFactsAsWritten) {
    for (const k of ['h', 'k', 'u', 'U', 'g', 'G']) set(k, `%${k}`);
  } else {
    set('h', runtime.hostname);
    set('k', String(runtime.cpus));
    set('u', String(runtime.uid));
    set('U', runtime.user);
    set('g', String(runtime.gid));
    set('G', runtime.group);
  }
  set('b', runtime.binaryPath);
  set('t', String(runtime.unixTimeMicros / 1000000n));
  set('T', String(runtime.unixTimeMicros));
  set('[', '\x1b');
  for (const k of ['o', 'p', 's', 'd', 'c', 'e', 'n', 'x', 'i', 'j'] as const) {
    set(k, file[k]);
    set(k.toUpperCase(), first[k]);
  }
  for (let i = 0; i <= 9; i++) set(String(i), file.components[i] ?? '');
  return t;
}

/** One stretch of the substituted text and where it came from in the original. */
export interface MagicPiece {
  outStart: number;
  outEnd: number;
  srcStart: number;
  srcEnd: number;
  /** The variable letter for a substitution (`d` for `%d`); undefined for copied text. */
  variable?: string;
}

export interface MagicResult {
  text: string;
  pieces: MagicPiece[];
}

/**
 * magic_sub over a whole file. Linear: copied runs become one piece each. The character after `%`
 * is one UTF-16 unit; uWSGI works on bytes, so `%` before a non-ASCII character differs (it eats
 * only the first byte) and is reported by the caller.
 */
export function magicSubstitute(src: string, table: Map<string, string>, maxGrowth = Number.MAX_SAFE_INTEGER): MagicResult | null {
  const out: string[] = [];
  const pieces: MagicPiece[] = [];
  let outLen = 0;
  let runStart = 0;
  let i = 0;
  const flushRun = (end: number): void => {
    if (end > runStart) {
      out.push(src.slice(runStart, end));
      pieces.push({ outStart: outLen, outEnd: outLen + (end - runStart), srcStart: runStart, srcEnd: end });
      outLen += end - runStart;
    }
  };
  for (;;) {
    const pct = src.indexOf('%', i);
    if (pct < 0) break;
    flushRun(pct);
    if (pct + 1 >= src.length) {
      // "%" as the very last character: uWSGI pairs it with the NUL it appends, and both vanish
      pieces.push({ outStart: outLen, outEnd: outLen, srcStart: pct, srcEnd: pct + 1, variable: '' });
      runStart = i = pct + 1;
      break;
    }
    const v = src[pct + 1];
    const value = table.get(v) ?? '';
    // a value longer than its two-character `%X` grows the text: bounded by the caller's budget
    if (outLen + value.length - (pct + 2) > maxGrowth) return null;
    out.push(value);
    pieces.push({ outStart: outLen, outEnd: outLen + value.length, srcStart: pct, srcEnd: pct + 2, variable: v });
    outLen += value.length;
    runStart = i = pct + 2;
  }
  flushRun(src.length);
  return { text: out.join(''), pieces };
}

/** Original offset where the substituted-text range starting at `o` begins (an expansion maps to its `%`). */
export function mapStart(pieces: MagicPiece[], srcLength: number, o: number): number {
  let lo = 0;
  let hi = pieces.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const p = pieces[mid];
    if (p.outEnd > o || (p.outStart === p.outEnd && p.outStart >= o)) hi = mid;
    else lo = mid + 1;
  }
  if (lo >= pieces.length) return srcLength;
  const p = pieces[lo];
  if (p.variable !== undefined) return p.srcStart;
  return p.srcStart + Math.max(0, o - p.outStart);
}

/** Original offset where the substituted-text range ending at `o` ends (an expansion maps to its end). */
export function mapEnd(pieces: MagicPiece[], o: number): number {
  let lo = -1;
  let hi = pieces.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const p = pieces[mid];
    if (p.outStart < o || (p.outStart === p.outEnd && p.outStart <= o)) lo = mid;
    else hi = mid - 1;
  }
  if (lo < 0) return 0;
  const p = pieces[lo];
  if (p.variable !== undefined) return p.srcEnd;
  return p.srcStart + Math.min(p.outEnd, o) - p.outStart;
}

/** Pieces overlapping [start, end] of the substituted text, in order; empty expansions at the edges count as inside. */
export function piecesIn(pieces: MagicPiece[], start: number, end: number): MagicPiece[] {
  const res: MagicPiece[] = [];
  let lo = 0;
  let hi = pieces.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pieces[mid].outEnd < start) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < pieces.length && pieces[k].outStart <= end; k++) {
    const p = pieces[k];
    const empty = p.outStart === p.outEnd;
    if (empty ? p.outStart >= start : p.outEnd > start && p.outStart < end) res.push(p);
  }
  return res;
}
