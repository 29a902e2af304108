/**
 * uWSGI's logic blocks (core/config.c): `for`, `for-times`, `for-glob`, `for-readline` repeat the
 * keys up to `endfor` with `%(_)` substituted; the `if-*` family keeps or drops them. Every option a
 * loop adds is spent from the loop-iterations budget; for-glob and for-readline read through the
 * gate, and existence tests outside the given paths are not looked at.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { SourceLocation } from '../../core/source';
import type { LineIndex } from '../../core/source';
import { matchSafeRegex } from '../../core/safe-regex';
import { readUwsgiInt as atoi } from '../../knowledge/uwsgi-values';
import { fnmatch, hasWildcard } from '../../core/fnmatch';
import { spliceSegments } from './segments';
import { MAX_LOGIC_REPEAT, type EntryMeta, type UwsgiResolver } from './state';
import type { ValueSegment } from './types';

/** The if-* / for* functions of core/config.c, called for each key inside the block. */
export function runLogic(s: UwsgiResolver, key: string, value: string | null, segments: ValueSegment[], meta: EntryMeta): void {
  const logic = s.logic;
  const data = logic.arg ?? '';
  const head = logic.head;
  meta = { ...meta, inBlock: head ?? meta.keyLocation };
  const add = (p: string | null, subst: boolean): boolean => {
    if (!s.gate.budget.spend('loop-iterations')) {
      s.budgetExceeded('loop-iterations', `the ${logic.opt} block`, head ?? meta.keyLocation);
      return false;
    }
    let v = value;
    let segs = segments;
    if (subst && p !== null && v !== null) ({ value: v, segments: segs } = substituteUnderscore(v, segments, p, head, s.lineIndexOf));
    s.addExportedOption(key, v, segs, meta, false);
    return true;
  };
  const test = (ok: boolean, p: string | null = data, subst = true): void => {
    logic.ifFailed = !ok;
    if (ok) add(p, subst);
  };
  const splitEq = (): { name: string; expected?: string } => {
    const eq = data.indexOf('=');
    return eq < 0 ? { name: data } : { name: data.slice(0, eq), expected: data.slice(eq + 1) };
  };
  switch (logic.opt) {
    case 'for':
      for (const token of data.split(' ')) if (token !== '' && !add(token, true)) return;
      return;
    case 'for-times': {
      const n = atoi(data);
      if (n > MAX_LOGIC_REPEAT) {
        s.report('logic-too-many', 'warning', `for-times = ${n}: deploylint expands only the first ${MAX_LOGIC_REPEAT}`, head ?? meta.keyLocation);
      }
      for (let i = 1; i <= Math.min(n, MAX_LOGIC_REPEAT); i++) if (!add(String(i), true)) return;
      return;
    }
    case 'for-glob': {
      for (const match of glob(s, data, head ?? meta.keyLocation)) if (!add(match, true)) return;
      return;
    }
    case 'for-readline': {
      const at = head ?? meta.keyLocation;
      const read = s.gate.readFile(s.resolvePath(data));
      if (!read.ok) {
        if (read.code === 'outside') s.reportOutside(`for-readline = ${data}`, at);
        else if (read.code === 'budget') s.budgetExceeded('read-bytes', `for-readline = ${data}`, at);
        else s.report('include-not-found', 'warning', `for-readline: cannot open ${data} (${read.reason}); uWSGI logs the error and skips the block`, at);
        return;
      }
      for (const line of fgetsLines(read.bytes.toString('latin1'))) if (!add(line, true)) return;
      return;
    }
    case 'if-env': case 'ifenv': case 'if-not-env': {
      const { name, expected } = splitEq();
      const p = Object.prototype.hasOwnProperty.call(s.env, name) ? s.env[name] : null;
      const negate = logic.opt === 'if-not-env';
      if (!negate) test(p !== null && (expected === undefined || expected === p), p);
      else test(!(p !== null && (expected === undefined || expected === p)), p);
      return;
    }
    case 'if-opt': case 'if-not-opt': {
      const { name, expected } = splitEq();
      const p = s.exportedValue(name)?.value ?? null;
      if (logic.opt === 'if-opt') test(p !== null && (expected === undefined || expected === p), p);
      else test(!(p !== null && (expected === undefined || expected === p)), p);
      return;
    }
    case 'if-exists': case 'ifexists': case 'if-not-exists':
    case 'if-file': case 'if-not-file':
    case 'if-dir': case 'ifdir': case 'if-directory': case 'if-not-dir': {
      const kind = probe(s, s.resolvePath(data));
      if (kind === 'outside') {
        // deploylint does not look outside the given paths: the block is read as if the test held
        reportProbe(s, logic.opt, data, head ?? meta.keyLocation);
        test(true);
        return;
      }
      const negated = logic.opt.includes('-not-');
      const ok = logic.opt.includes('exists') ? kind !== 'none' : logic.opt.includes('file') ? kind === 'file' : kind === 'dir';
      test(negated ? !ok : ok);
      return;
    }
    case 'if-plugin': case 'ifplugin': case 'if-not-plugin': {
      const ok = s.loadedPlugins.has(data);
      test(logic.opt === 'if-not-plugin' ? !ok : ok);
      return;
    }
    case 'if-hostname': case 'if-not-hostname': {
      const ok = s.runtime.hostname === data;
      test(logic.opt === 'if-not-hostname' ? !ok : ok);
      return;
    }
    case 'if-hostname-match': case 'if-not-hostname-match': {
      let ok = false;
      try {
        ok = matchSafeRegex(data, s.runtime.hostname) === 'match'; // RE2, linear; unsupported or undecided = no match, like an invalid pattern
      } catch {
        ok = false;
      }
      test(logic.opt === 'if-not-hostname-match' ? !ok : ok);
      return;
    }
    case 'if-reload': case 'if-not-reload': {
      // uwsgi_setup_reload: a UWSGI_RELOADS variable in the environment means this start is a reload
      const reload = Object.prototype.hasOwnProperty.call(s.env, 'UWSGI_RELOADS');
      test(logic.opt === 'if-reload' ? reload : !reload, null, false);
      return;
    }
    default:
      // a logic option deploylint does not model: keep the key, as most blocks would
      s.addExportedOption(key, value, segments, meta, false);
  }
}
/** What is at `p` for the if-exists family: inside the roots only (see ReadGate.probe). */
function probe(s: UwsgiResolver, p: string): 'file' | 'dir' | 'other' | 'none' | 'outside' {
  const kind = s.gate.probe(p);
  if (kind === 'none') {
    try {
      fs.lstatSync(p); // a dangling symbolic link: access() fails, so it does not exist for uWSGI either
    } catch {
      return 'none';
    }
  }
  return kind;
}
function reportProbe(s: UwsgiResolver, opt: string, data: string, at: SourceLocation): void {
  s.report('probe-outside', 'info',
    `${opt} = ${data} tests a path outside the paths given to deploylint, which it does not look at: the block is read as if the test held`, at);
}
/**
 * glob(3) as for-glob uses it (GLOB_MARK | GLOB_NOCHECK, sorted): one directory listing per
 * wildcard component, through the gate, matched with the linear fnmatch; `**` is a plain `*`, as
 * in glob(3), so nothing recurses. A directory outside the roots is not listed (reported).
 */
function glob(s: UwsgiResolver, pattern: string, at: SourceLocation): string[] {
  const absolute = path.isAbsolute(pattern);
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let current: string[] = [absolute ? '/' : ''];
  for (let i = absolute ? 1 : 0; i < parts.length; i++) {
    const part = parts[i];
    const last = i === parts.length - 1;
    const next: string[] = [];
    for (const dir of current) {
      const join = (name: string) => (dir === '' ? name : dir.endsWith('/') ? dir + name : `${dir}/${name}`);
      if (!hasWildcard(part)) {
        next.push(join(part));
        continue;
      }
      const listed = s.gate.readDir(s.resolvePath(dir === '' ? '.' : dir));
      if (!listed.ok) {
        if (listed.code === 'outside') s.reportOutside(`for-glob = ${pattern}`, at);
        continue;
      }
      if (!s.gate.budget.spend('glob-entries', listed.entries.length)) {
        s.budgetExceeded('glob-entries', `for-glob = ${pattern}`, at);
        return [pattern];
      }
      for (const e of listed.entries) {
        if (!fnmatch(part, e.name)) continue;
        if (!last && !e.isDirectory()) continue;
        next.push(join(e.name));
      }
    }
    current = next;
    if (current.length === 0) break;
  }
  if (!hasWildcard(pattern)) return [pattern];
  // GLOB_MARK: directories get a trailing "/"; GLOB_NOCHECK: no match gives the pattern itself
  const matches = current.filter((m) => probe(s, s.resolvePath(m)) !== 'none').map((m) => (probe(s, s.resolvePath(m)) === 'dir' ? `${m}/` : m));
  if (matches.length === 0) return [pattern];
  return matches.sort().slice(0, MAX_LOGIC_REPEAT);
}
/** uwsgi_substitute(value, "%(_)", p): every occurrence, left to right. */
function substituteUnderscore(
  value: string, segments: ValueSegment[], p: string, head: SourceLocation | undefined, lookup: (f: string) => LineIndex | undefined,
): { value: string; segments: ValueSegment[] } {
  let v = value;
  let segs = segments;
  let from = 0;
  for (;;) {
    const at = v.indexOf('%(_)', from);
    if (at < 0) break;
    segs = spliceSegments(segs, at, at + 4, [{ text: p, via: 'logic', expression: '%(_)', location: head }], lookup);
    v = v.slice(0, at) + p + v.slice(at + 4);
    from = at + p.length;
  }
  return { value: v, segments: segs };
}

/** Lines as fgets(line, 1024) reads them (long lines come in 1023-byte pieces), chomped of CR/LF. */
function fgetsLines(text: string): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < text.length && out.length < MAX_LOGIC_REPEAT) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 ? text.length : nl + 1;
    const end = Math.min(lineEnd, pos + 1023);
    let line = text.slice(pos, end);
    pos = end;
    line = line.replace(/[\r\n]+$/, '');
    out.push(Buffer.from(line, 'latin1').toString('utf8'));
  }
  return out;
}
