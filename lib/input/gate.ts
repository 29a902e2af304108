/**
 * The read gate: the one way deploylint reads a file or lists a directory. Everything a lint run
 * reads (the files given, what discovery walks, Include/IncludeOptional, `ini =`, `inherit =`,
 * `@(file)`, `for-glob`, `for-readline`, Debian's envvars, config files inside the tree, and the
 * files `--fix` rewrites) goes through a ReadGate, which allows a path only when:
 *
 *   - its real path (every symbolic link resolved) lies inside one of the roots: the paths given on
 *     the command line (a directory as given, a file by its directory) and the directories of
 *     `--allow-read`. Nothing in a config (ServerRoot, an absolute Include, a symlink, an
 *     environment variable) can widen the roots;
 *   - it is a regular file (never a FIFO, socket or device: opened non-blocking, checked with fstat
 *     on the open descriptor, so a FIFO cannot hang the run);
 *   - it is no larger than the `file-bytes` budget, and the run's `read-bytes` budget has room.
 *
 * A refusal names the path and the reason, never the file's contents; callers turn it into a
 * positioned finding at the directive that asked for the file. Real paths and stat results are
 * cached for the run (one realpath per path).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Budget } from './budget';

export type RefusalCode = 'outside' | 'missing' | 'directory' | 'not-regular' | 'too-large' | 'unreadable' | 'loop' | 'budget';

export interface Refusal {
  ok: false;
  code: RefusalCode;
  /** Short reason in the words of the OS or of the gate (`No such file or directory`, `outside the given paths`). */
  reason: string;
  /** errno code when the OS refused (ENOENT, EACCES, ELOOP...). */
  errno?: string;
}

export interface ReadOk {
  ok: true;
  bytes: Buffer;
  realPath: string;
}

export interface DirOk {
  ok: true;
  entries: fs.Dirent[];
  realPath: string;
}

export type ProbeKind = 'file' | 'dir' | 'other' | 'none' | 'outside';

export interface GateOptions {
  /** Directories (or files) whose real paths bound what may be read. Relative paths resolve from `cwd`. */
  roots: string[];
  cwd?: string;
  budget?: Budget;
}

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NOCTTY ?? 0);

export class ReadGate {
  /** Real paths of the roots, without a trailing slash (`/` stays `/`). */
  readonly roots: string[];
  readonly budget: Budget;
  private readonly realCache = new Map<string, string | Refusal>();
  /**
   * What each real path read gave, for the run: discovery, kind detection, the resolvers and the
   * suppression scan all read the same files, and each file is read from disk once. Bounded by the
   * read-bytes budget (only what was read is kept).
   */
  private readonly readCache = new Map<string, ReadOk | Refusal>();
  /** Inode numbers of real paths (uWSGI's %i), filled by reads and probes. */
  private readonly inodeCache = new Map<string, number | null>();

  constructor(options: GateOptions) {
    const cwd = options.cwd ?? process.cwd();
    this.budget = options.budget ?? new Budget();
    const roots = new Set<string>();
    for (const r of options.roots) {
      const abs = path.resolve(cwd, r);
      const real = this.realPath(abs);
      roots.add(typeof real === 'string' ? real : abs);
    }
    this.roots = [...roots];
  }

  /** A gate that may read anything on this machine (still regular files only, still capped): for tests that mirror the servers. */
  static unrestricted(budget?: Budget): ReadGate {
    return new ReadGate({ roots: ['/'], budget });
  }

  /** The real path of `p` (absolute), or why it has none. Cached for the run. */
  realPath(p: string): string | Refusal {
    const abs = path.resolve(p);
    const hit = this.realCache.get(abs);
    if (hit !== undefined) return hit;
    let out: string | Refusal;
    try {
      out = fs.realpathSync.native(abs);
    } catch (e) {
      out = refusalOf(e);
    }
    this.realCache.set(abs, out);
    return out;
  }

  /** Is this real path inside a root? */
  containsReal(real: string): boolean {
    for (const r of this.roots) {
      if (real === r) return true;
      if (r === '/') return true;
      if (real.length > r.length && real.charCodeAt(r.length) === 47 && real.startsWith(r)) return true;
    }
    return false;
  }

  /** May `p` be read or listed? Gives its real path, or the refusal. */
  check(p: string): { ok: true; realPath: string } | Refusal {
    const real = this.realPath(p);
    if (typeof real !== 'string') {
      // a path that does not exist is outside when the directory it would be in is: whether
      // something exists elsewhere on the machine is not for a config to learn
      if (real.code === 'missing' && !this.existingAncestorInside(path.resolve(p))) {
        return { ok: false, code: 'outside', reason: 'outside the paths given to deploylint' };
      }
      return real;
    }
    if (!this.containsReal(real)) return { ok: false, code: 'outside', reason: 'outside the paths given to deploylint' };
    return { ok: true, realPath: real };
  }

  private existingAncestorInside(abs: string): boolean {
    for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
      const real = this.realPath(dir);
      if (typeof real === 'string') return this.containsReal(real);
      if (real.code !== 'missing') return false;
      if (path.dirname(dir) === dir) return false;
    }
  }

  /** Is `p` (as written, before following links) itself a symbolic link whose target leaves the roots? */
  leavesRoots(p: string): boolean {
    const c = this.check(p);
    return !c.ok && c.code === 'outside';
  }

  /** Read a whole regular file inside the roots, within the size budgets (once per run: see readCache). */
  readFile(p: string): ReadOk | Refusal {
    const checked = this.check(p);
    if (!checked.ok) return checked;
    const real = checked.realPath;
    const cached = this.readCache.get(real);
    if (cached) return cached;
    const outcome = this.readUncached(real);
    if (outcome.ok || outcome.code !== 'budget') this.readCache.set(real, outcome);
    return outcome;
  }

  private readUncached(real: string): ReadOk | Refusal {
    const cap = this.budget.limits['file-bytes'];
    const read = readRegularFile(real, cap, { onStat: (ino) => this.inodeCache.set(real, ino) });
    if (!read.ok) return read.code === 'too-large' ? fileBytesRefusal(cap) : read;
    if (!this.budget.spend('read-bytes', read.bytes.length)) {
      return { ok: false, code: 'budget', reason: `the read-bytes budget (${this.budget.limits['read-bytes']} bytes read in this run) is used up; raise it with --budget read-bytes=N` };
    }
    return { ok: true, bytes: read.bytes, realPath: real };
  }

  /** List a directory inside the roots (entries as Dirents, unsorted). */
  readDir(p: string): DirOk | Refusal {
    const checked = this.check(p);
    if (!checked.ok) return checked;
    try {
      return { ok: true, entries: fs.readdirSync(checked.realPath, { withFileTypes: true }), realPath: checked.realPath };
    } catch (e) {
      return refusalOf(e);
    }
  }

  /**
   * What is at `p`, for config-time tests (`<IfFile>`, `if-exists`, `if-dir`): `outside` when the
   * path leaves the roots, so that a config cannot learn (or make findings depend on) what exists
   * elsewhere on the machine.
   */
  probe(p: string): ProbeKind {
    const checked = this.check(p);
    if (!checked.ok) return checked.code === 'outside' ? 'outside' : 'none';
    try {
      const st = fs.statSync(checked.realPath);
      return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
    } catch {
      return 'none';
    }
  }

  /** The inode number of `p` inside the roots (uWSGI's `%i`), or null; stat once per run. */
  inode(p: string): number | null {
    const checked = this.check(p);
    if (!checked.ok) return null;
    const hit = this.inodeCache.get(checked.realPath);
    if (hit !== undefined) return hit;
    let ino: number | null = null;
    try {
      ino = fs.statSync(checked.realPath).ino;
    } catch {
      ino = null;
    }
    this.inodeCache.set(checked.realPath, ino);
    return ino;
  }

  /** Is `p` a directory inside the roots? */
  isDirectory(p: string): boolean {
    return this.probe(p) === 'dir';
  }
}

/** A file (or an open buffer standing for one) over the file-bytes budget. */
export function fileBytesRefusal(cap: number, size?: number): Refusal {
  return { ok: false, code: 'too-large', reason: `larger than the file-bytes budget (${size !== undefined ? `${size} > ` : ''}${cap} bytes; raise it with --budget file-bytes=N)` };
}

/**
 * The one way deploylint reads a file (the gate's reads, configuration files, `.gitignore`, the
 * check before a fix is written): opened without blocking and, unless `followLinks`, without
 * following a final symbolic link; checked with fstat to be a regular file, so a FIFO, socket or
 * device is never read; read to its end (files of /proc report size 0 and still have content) and
 * refused as `too-large` past `maxBytes`, so nothing grows without bound.
 */
export function readRegularFile(file: string, maxBytes: number, options: { followLinks?: boolean; onStat?: (ino: number) => void } = {}): { ok: true; bytes: Buffer } | Refusal {
  let fd: number;
  try {
    fd = fs.openSync(file, options.followLinks ? OPEN_FLAGS & ~(fs.constants.O_NOFOLLOW ?? 0) : OPEN_FLAGS);
  } catch (e) {
    return refusalOf(e);
  }
  try {
    const st = fs.fstatSync(fd);
    options.onStat?.(st.ino);
    if (st.isDirectory()) return { ok: false, code: 'directory', reason: 'Is a directory', errno: 'EISDIR' };
    if (!st.isFile()) return { ok: false, code: 'not-regular', reason: 'not a regular file (a FIFO, socket or device)' };
    if (st.size > maxBytes) return { ok: false, code: 'too-large', reason: `larger than ${maxBytes} bytes` };
    const chunks: Buffer[] = [];
    let total = 0;
    const chunkSize = st.size > 0 ? st.size + 1 : 65536;
    for (;;) {
      // never more than one byte past the cap: that byte is what tells a file too large
      const buf = Buffer.allocUnsafe(Math.min(chunkSize, maxBytes + 1 - total));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > maxBytes) return { ok: false, code: 'too-large', reason: `larger than ${maxBytes} bytes` };
    }
    return { ok: true, bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total) };
  } catch (e) {
    return refusalOf(e);
  } finally {
    fs.closeSync(fd);
  }
}

function refusalOf(e: unknown): Refusal {
  const errno = (e as NodeJS.ErrnoException).code ?? 'EIO';
  switch (errno) {
    case 'ENOENT':
      return { ok: false, code: 'missing', reason: 'No such file or directory', errno };
    case 'ENOTDIR':
      return { ok: false, code: 'missing', reason: 'Not a directory', errno };
    case 'ELOOP':
      return { ok: false, code: 'loop', reason: 'Too many levels of symbolic links', errno };
    case 'EISDIR':
      return { ok: false, code: 'directory', reason: 'Is a directory', errno };
    case 'EACCES':
    case 'EPERM':
      return { ok: false, code: 'unreadable', reason: 'Permission denied', errno };
    default:
      return { ok: false, code: 'unreadable', reason: errno, errno };
  }
}
