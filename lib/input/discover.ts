/**
 * Which files to lint: explicit files, directories searched for uWSGI ini files and Apache configs
 * (by name, then by content), and globs. Discovery never drops anything silently: every path left
 * out is counted under a reason the summary prints.
 */
import { decodeBytes, looksBinary } from '../core/text';
import * as fs from 'fs';
import * as path from 'path';
import { splitSection } from './file-arg';
import { ReadGate, readRegularFile } from './gate';
import { decideNamedKind, decideWalkedKind, detectInputKind, plausibleWhenNamed, worthReading } from './kind';
import type { InputKind } from './kind';

export interface DiscoveredFile {
  /** Path as the user would write it (relative to cwd when found by a directory walk or glob under cwd). */
  path: string;
  kind: InputKind;
  /** A template of that kind (by its name or its markup): read through the template layer. */
  template?: boolean;
  /**
   * The text as decoded for kind detection and suppression comments (BOM removed). Disk files are
   * handed to the parsers by path, so that they see the bytes exactly (a BOM hides a uWSGI section).
   * Absent for a named file that could not be read: the parser reports that with a position.
   */
  text?: string;
  /** uWSGI section from `file.ini:section`. */
  section?: string;
  explicit: boolean;
}

export interface DiscoveryResult {
  files: DiscoveredFile[];
  skippedByReason: Record<string, number>;
  unreadable: string[];
}

export interface DiscoveryOptions {
  cwd: string;
  /** The run's read gate: nothing outside its roots is listed or read (a symbolic link out is skipped). */
  gate: ReadGate;
  /** Globs (gitignore syntax, relative to cwd) from the command line. */
  ignore?: string[];
  /** Ignores from configuration files (whose globs are relative to each config file's directory). */
  isIgnored?: (absolutePath: string, isDirectory: boolean) => boolean;
  /** Called now and then during long walks. */
  onProgress?: (visited: number) => void;
}

/** A path given that names nothing (no such file, a glob that matches none): the caller reports it. */
export class InputError extends Error {}

/** Test a path against gitignore-style globs relative to `base` (loads the `ignore` package on first use). */
export function globMatcher(patterns: string[], base: string): (absolutePath: string, isDirectory: boolean) => boolean {
  const ig = makeIgnorer(patterns);
  if (!ig) return () => false;
  return (abs, isDir) => {
    const rel = path.relative(base, abs);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    return ig.ignores(rel.split(path.sep).join('/') + (isDir ? '/' : ''));
  };
}

const ALWAYS_SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);
export const SKIP = {
  vcs: 'in node_modules or VCS directories',
  gitignore: 'ignored by .gitignore',
  configIgnore: 'ignored by configuration',
  notConfig: 'not uWSGI or Apache configs',
  unknownKind: 'given but not recognised as uWSGI or Apache config',
  binary: 'binary or too large',
  outside: 'symbolic links leading out of the given paths',
  special: 'FIFOs, sockets or devices',
} as const;


function isGlob(arg: string): boolean {
  return /[*?[\]{}]/.test(arg) && !fs.existsSync(arg);
}

type Ignorer = { ignores(p: string): boolean };

function makeIgnorer(patterns: string[]): Ignorer | null {
  if (patterns.length === 0) return null;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ignore = require('ignore') as typeof import('ignore').default;
  return ignore().add(patterns);
}

/** Read through the gate (a FIFO or device is never opened for reading, nothing outside the roots is read). */
function readText(gate: ReadGate, abs: string): { text?: string; error?: string; binary?: boolean; outside?: boolean; special?: boolean } {
  const read = gate.readFile(abs);
  if (!read.ok) {
    if (read.code === 'outside') return { outside: true };
    if (read.code === 'not-regular') return { special: true };
    if (read.code === 'too-large' || read.code === 'budget') return { binary: true };
    return { error: read.errno ?? read.reason };
  }
  if (read.bytes.includes(0)) return { binary: true };
  return { text: decodeBytes(read.bytes).text.replace(/^\uFEFF/, '') };
}

function relativeToCwd(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

export function discover(args: string[], options: DiscoveryOptions): DiscoveryResult {
  const { cwd } = options;
  const result: DiscoveryResult = { files: [], skippedByReason: {}, unreadable: [] };
  const skip = (reason: string) => { result.skippedByReason[reason] = (result.skippedByReason[reason] ?? 0) + 1; };
  const configIgnorer = makeIgnorer(options.ignore ?? []);
  const seen = new Set<string>();
  let visited = 0;

  const configIgnored = (abs: string, isDir = false): boolean => {
    if (options.isIgnored?.(abs, isDir)) return true;
    if (!configIgnorer) return false;
    const rel = path.relative(cwd, abs);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    return configIgnorer.ignores(rel.split(path.sep).join('/') + (isDir ? '/' : ''));
  };

  const addFile = (abs: string, shown: string, explicit: boolean, section?: string) => {
    const key = `${abs}:${section ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (configIgnored(abs)) return skip(SKIP.configIgnore);
    const read = readText(options.gate, abs);
    if (!explicit && read.outside) return skip(SKIP.outside);
    if (!explicit && read.special) return skip(SKIP.special);
    if (explicit && (read.error || read.binary || read.outside || read.special || read.text === undefined || looksBinary(read.text))) {
      // A file the user named is never dropped silently: the parser reads it and reports why it
      // cannot be used (unreadable, binary, too large) as a finding with a position.
      const named = detectInputKind(section ? `${shown}:${section}` : shown, undefined) ?? (/\.ini$/i.test(shown) ? 'uwsgi-ini' : 'apache');
      result.files.push({ path: shown, kind: named, section, explicit });
      return;
    }
    if (read.error) { result.unreadable.push(`${shown} (${read.error})`); return; }
    if (read.binary || read.text === undefined) return skip(SKIP.binary);
    let decided = explicit ? decideNamedKind(section ? `${shown}:${section}` : shown, read.text) : decideWalkedKind(shown, read.text);
    if (explicit && decided && !section && !plausibleWhenNamed(decided.kind, shown, read.text)) decided = null;
    if (!decided) return skip(explicit ? SKIP.unknownKind : SKIP.notConfig);
    result.files.push({ path: shown, kind: decided.kind, ...(decided.template ? { template: true } : {}), text: read.text, section, explicit });
  };

  const walkedDirs = new Set<string>();
  const walk = (dirAbs: string, gitIgnorers: { base: string; ig: Ignorer }[]) => {
    // Only directories inside the roots are listed; symbolic links can make cycles, so each real
    // directory is walked once.
    const listed = options.gate.readDir(dirAbs);
    if (!listed.ok) {
      if (listed.code === 'outside') skip(SKIP.outside);
      else result.unreadable.push(`${relativeToCwd(dirAbs, cwd)}/ (${listed.errno ?? listed.reason})`);
      return;
    }
    if (walkedDirs.has(listed.realPath)) return;
    walkedDirs.add(listed.realPath);
    if (!options.gate.budget.spend('glob-entries', listed.entries.length)) {
      result.unreadable.push(`${relativeToCwd(dirAbs, cwd)}/ (the glob-entries budget of ${options.gate.budget.limits['glob-entries']} directory entries is used up; raise it with --budget glob-entries=N)`);
      return;
    }
    const entries = listed.entries;
    const gi = entries.some((e) => e.name === '.gitignore' && e.isFile()) ? readText(options.gate, path.join(dirAbs, '.gitignore')).text : undefined;
    const ignorers = gi ? [...gitIgnorers, { base: dirAbs, ig: makeIgnorer(gi.split(/\r?\n/))! }] : gitIgnorers;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(dirAbs, entry.name);
      if (entry.isSymbolicLink() && options.gate.leavesRoots(abs)) { skip(SKIP.outside); continue; }
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && options.gate.isDirectory(abs));
      if (++visited % 500 === 0) options.onProgress?.(visited);
      if (isDir && ALWAYS_SKIPPED_DIRS.has(entry.name)) { skip(SKIP.vcs); continue; }
      if (ignorers.some(({ base, ig }) => ig.ignores(path.relative(base, abs).split(path.sep).join('/') + (isDir ? '/' : '')))) {
        skip(SKIP.gitignore);
        continue;
      }
      if (isDir) {
        if (configIgnored(abs, true)) { skip(SKIP.configIgnore); continue; }
        walk(abs, ignorers);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) { skip(SKIP.special); continue; }
      const shown = relativeToCwd(abs, cwd);
      if (!worthReading(shown)) { skip(SKIP.notConfig); continue; }
      addFile(abs, shown, false);
    }
  };

  const startWalk = (dirAbs: string) => {
    // .gitignore files above the starting directory (up to the repository root) apply too.
    const inherited: { base: string; ig: Ignorer }[] = [];
    let dir = path.dirname(dirAbs);
    const chain: string[] = [];
    while (true) {
      chain.push(dir);
      if (fs.existsSync(path.join(dir, '.git'))) break;
      const parent = path.dirname(dir);
      if (parent === dir) { chain.length = 0; break; }
      dir = parent;
    }
    for (const d of chain.reverse()) {
      // .gitignore files above the roots are the user's own checkout: read only plain files, capped
      const t = readPlainFile(path.join(d, '.gitignore'));
      if (t) inherited.push({ base: d, ig: makeIgnorer(t.split(/\r?\n/))! });
    }
    walk(dirAbs, inherited);
  };

  const inputs = args.length > 0 ? args : ['.'];
  for (const arg of inputs) {
    const { file, section } = splitSection(arg);
    const abs = path.resolve(cwd, file);
    if (isGlob(file)) {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const fg = require('fast-glob') as typeof import('fast-glob');
      // symbolic links are not followed by the glob itself: what it matches goes through the gate
      const matches = fg.sync(file, { cwd, dot: true, onlyFiles: false, followSymbolicLinks: false, ignore: ['**/node_modules/**', '**/.git/**'] });
      if (matches.length === 0) throw new InputError(`No files match the pattern "${arg}".`);
      for (const m of matches.sort()) {
        const mAbs = path.resolve(cwd, m);
        if (options.gate.isDirectory(mAbs)) startWalk(mAbs);
        else addFile(mAbs, relativeToCwd(mAbs, cwd), false);
      }
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (isDanglingLink(abs)) {
        addFile(abs, file, true, section); // vanished or dangling: a finding, not a usage error
        continue;
      }
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError(`No such file or directory: ${file}`);
      result.unreadable.push(`${file} (${code ?? e})`);
      continue;
    }
    if (st.isDirectory()) startWalk(abs);
    else addFile(abs, file, true, section);
  }
  return result;
}

function isDanglingLink(abs: string): boolean {
  try {
    return fs.lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * A file deploylint finds by itself outside the given paths (a .gitignore above them, a config file
 * found going up): read only when it is a plain regular file (never through a symbolic link, never a
 * FIFO or device), up to 1 MiB; otherwise treated as absent.
 */
export function readPlainFile(abs: string, maxBytes = 1 << 20): string | undefined {
  const read = readRegularFile(abs, maxBytes);
  return read.ok ? read.bytes.toString('utf8') : undefined;
}
