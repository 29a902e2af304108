/**
 * Include and IncludeOptional as httpd carries them out (core.c include_config,
 * process_resource_config_nofnmatch and _fnmatch): a file, a directory read recursively in byte
 * order, or a wildcard walked one path component at a time. Every file and directory goes through
 * the read gate; each Include's fan-out, the run's file count and the directory entries examined are
 * spent from their budgets.
 */
import * as path from 'path';
import type { SourceLocation } from '../../core/source';
import type { Refusal } from '../../input/gate';
import { fnmatch, hasWildcard } from '../../core/fnmatch';
import { decodeConfigBytes } from '../../parsers/apache/syntax';
import { refusalError, type ApacheReadState } from './state';
import type { ResolvedNode } from './types';

const MAX_INCLUDE_DEPTH = 128;
const MAX_DIR_DEPTH = 128;

/** One Include or IncludeOptional being carried out: where its nodes go and how many files it read. */
interface IncludeRun {
  optional: boolean;
  includeLine: number;
  chain: SourceLocation[];
  out: ResolvedNode[];
  loc: SourceLocation;
  files: number;
}

interface IncludeError {
  ruleId: string;
  message: string;
}

export function include(s: ApacheReadState, pattern: string, optional: boolean, includeLine: number, loc: SourceLocation, chain: SourceLocation[]): ResolvedNode[] {
  if (s.aborted) return [];
  s.includeDepth++;
  try {
    if (s.includeDepth > MAX_INCLUDE_DEPTH) {
      s.aborted = true;
      s.fail('read', 'include-loop', `Exceeded maximum include depth of ${MAX_INCLUDE_DEPTH}, There appears to be a recursion.`, loc);
      return [];
    }
    s.lastIncludeLine = includeLine;
    const full = s.fullPath(pattern);
    const run: IncludeRun = { optional, includeLine, chain: [...chain, loc], out: [], loc, files: 0 };
    const err = hasWildcard(full)
      ? includeWildcard(s, run, null, full.replace(/^\/+/, ''), '/')
      : includePlain(s, run, full, 0);
    if (err && err.message) {
      // a snippet read alone does not know its ServerRoot: a relative Include that is not found
      // there may well exist on the server, so it is reported without claiming httpd would fail
      const unknownRoot = !s.wholeTree && s.options.serverRoot === undefined && !path.posix.isAbsolute(pattern);
      if (unknownRoot && err.ruleId === 'include-not-found') {
        s.fail('read', err.ruleId, `${err.message} (ServerRoot unknown: assumed to be the file's directory)`, loc, 'warning');
      } else s.fail('read', err.ruleId, err.message, loc);
    }
    return run.out;
  } finally {
    s.includeDepth--;
  }
}

function refused(s: ApacheReadState, run: IncludeRun, p: string, refusal: Refusal): IncludeError | null {
  if (refusal.code === 'outside') {
    if (!s.outsideReported.has(run.loc)) {
      s.outsideReported.add(run.loc);
      s.fail('read', 'include-outside', `Include outside the paths given to deploylint: ${p} (not read; give its directory too, or --allow-read DIR)`, run.loc, 'warning');
    }
    return null;
  }
  if (refusal.code === 'budget') {
    s.budgetExceeded('read-bytes', `reading ${p}`, run.loc);
    return null;
  }
  if (refusal.code === 'too-large') {
    s.fail('read', 'budget-exceeded', `Could not read configuration file ${p}: ${refusal.reason}`, run.loc, 'warning');
    return null;
  }
  if (run.optional && refusal.code === 'missing') return null;
  return { ruleId: 'include-not-found', message: `Could not open configuration file ${p}: ${refusalError(refusal).error}` };
}

function includePlain(s: ApacheReadState, run: IncludeRun, p: string, dirDepth: number): IncludeError | null {
  const kind = s.gate.probe(p);
  if (kind === 'dir') {
    if (dirDepth > MAX_DIR_DEPTH) {
      return { ruleId: 'include-loop', message: `Directory ${p} exceeds the maximum include directory nesting level of ${MAX_DIR_DEPTH}. You have probably a recursion somewhere.` };
    }
    const listed = s.gate.readDir(p);
    if (!listed.ok) {
      if (listed.code === 'outside') return refused(s, run, p, listed);
      return { ruleId: 'include-not-found', message: `Could not open config directory ${p}: ${refusalError(listed).error}` };
    }
    if (!s.gate.budget.spend('glob-entries', listed.entries.length)) {
      s.budgetExceeded('glob-entries', `listing ${p}`, run.loc);
      return null;
    }
    const entries = listed.entries.map((e) => e.name).filter((e) => e !== '.' && e !== '..');
    entries.sort(byteCompare);
    for (const e of entries) {
      const err = includePlain(s, run, joinPath(p, e), dirDepth + 1);
      if (err) return err;
    }
    return null;
  }
  if (run.files >= s.gate.budget.limits['include-fanout']) {
    s.budgetExceeded('include-fanout', `this Include reaches more than ${run.files} files`, run.loc);
    return null;
  }
  if (!s.gate.budget.spend('files')) {
    s.budgetExceeded('files', `reading ${p}`, run.loc);
    return null;
  }
  run.files++;
  if (p !== '/dev/null') {
    const checked = s.gate.check(p);
    if (!checked.ok && checked.code === 'outside') return refused(s, run, p, checked);
  }
  const opened = p === '/dev/null' ? { text: '' } : s.gate.readFile(p);
  if ('ok' in opened && !opened.ok) return refused(s, run, p, opened);
  const text = 'text' in opened ? opened.text : decodeConfigBytes(opened.bytes).text;
  s.files.push(p);
  s.includes.push({ file: p, depth: s.includeDepth, includeLine: s.lastIncludeLine });
  for (const n of s.readText(text, p, run.chain)) run.out.push(n);
  return s.aborted ? { ruleId: 'include-loop', message: '' } : null;
}

function includeWildcard(s: ApacheReadState, run: IncludeRun, dir: string | null, rest: string, root: string): IncludeError | null {
  const slash = rest.indexOf('/');
  const part = slash >= 0 ? rest.slice(0, slash) : rest;
  const after = slash >= 0 ? rest.slice(slash + 1) : null;
  const base = dir ?? root;
  if (!hasWildcard(part)) {
    const next = dir === null ? root + part : joinPath(dir, part);
    if (after !== null) return includeWildcard(s, run, next, after, root);
    return includePlain(s, run, next, 0);
  }
  const listed = s.gate.readDir(base);
  if (!listed.ok) {
    if (listed.code === 'outside') return refused(s, run, base, listed);
    if (listed.code === 'missing' && run.optional) return null;
    return { ruleId: 'include-not-found', message: `Include/IncludeOptional: Could not open directory ${base}: ${refusalError(listed).error}` };
  }
  if (!s.gate.budget.spend('glob-entries', listed.entries.length)) {
    s.budgetExceeded('glob-entries', `matching ${part} in ${base}`, run.loc);
    return null;
  }
  const candidates: string[] = [];
  for (const d of listed.entries) {
    if (d.name === '.' || d.name === '..') continue;
    if (!fnmatch(part, d.name)) continue;
    // a wildcard inside the path only walks into real directories (apr reports symlinks as links)
    if (after !== null && !d.isDirectory()) continue;
    candidates.push(joinPath(base, d.name));
  }
  if (!candidates.length) {
    if (run.optional) return null;
    return { ruleId: 'include-not-found', message: `Include/IncludeOptional: No matches for the wildcard '${part}' in '${base}', failing` };
  }
  candidates.sort(byteCompare);
  for (const c of candidates) {
    const err = after === null ? includePlain(s, run, c, 0) : includeWildcard(s, run, c, after, root);
    if (err) return err;
  }
  return null;
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : dir + '/' + name;
}

function byteCompare(a: string, b: string): number {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}

