/**
 * Writing fixed files, and nothing else. A file is written only when:
 *   - the user named it on the command line or it was found by walking a directory given (a file an
 *     Include or `ini =` pulled in is never edited);
 *   - it is a regular file with one link, not a symbolic link (lstat: a link is never replaced, and
 *     the read gate's real path must be the path itself), inside the run's roots;
 *   - its bytes are still exactly those deploylint read (checked before writing and again just before
 *     the rename).
 * The new bytes go to a temporary file beside it (created exclusively, with the file's mode and, when
 * permitted, its owner), which is fsynced and renamed over the file; then the directory is fsynced.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readRegularFile, type ReadGate } from '../input/gate';

export interface WriteHooks {
  /** Called after the temporary file is written and before the final check and rename (tests simulate a concurrent edit here). */
  beforeRename?(file: string): void;
}

/** Why `--fix` may not write this file, or undefined when it may. `given`: real paths of the files named or walked. */
export function refusalToWrite(abs: string, gate: ReadGate, given: ReadonlySet<string>): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
  } catch (e) {
    return `it cannot be examined (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  if (st.isSymbolicLink()) return 'it is a symbolic link, and deploylint never replaces one; fix the file it points to';
  if (!st.isFile()) return 'it is not a regular file';
  const checked = gate.check(abs);
  if (!checked.ok) return `it is outside the paths given to deploylint (${checked.reason})`;
  let expected: string;
  try {
    expected = path.join(fs.realpathSync.native(path.dirname(abs)), path.basename(abs));
  } catch {
    return 'its directory cannot be resolved';
  }
  if (checked.realPath !== expected) return 'its real path is not the path itself (a symbolic link)';
  if (!given.has(checked.realPath)) return 'it was not named on the command line nor found under a directory given (an Include or `ini =` reads it); deploylint edits only those files';
  if (st.nlink > 1) return `it has ${st.nlink} hard links, and replacing it would leave the others unchanged`;
  return undefined;
}

/** Why the file is no longer what was read, or undefined when it is unchanged. */
export function changedSinceRead(abs: string, original: Buffer): string | undefined {
  try {
    const st = fs.lstatSync(abs);
    if (st.isSymbolicLink()) return 'it became a symbolic link since deploylint read it';
    // one byte more than what was read is enough to tell a change, and bounds the read
    const now = readRegularFile(abs, original.length);
    if (!now.ok && now.code !== 'too-large') return `it changed since deploylint read it (${now.errno ?? now.reason})`;
    return now.ok && now.bytes.equals(original) ? undefined : 'it changed since deploylint read it; run deploylint again';
  } catch (e) {
    return `it changed since deploylint read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}

/** Replace the file's bytes atomically; returns why not, or undefined when written. */
export function writeAtomically(abs: string, original: Buffer, bytes: Buffer, hooks: WriteHooks = {}): string | undefined {
  const changed = changedSinceRead(abs, original);
  if (changed) return changed;
  const st = fs.lstatSync(abs);
  const dir = path.dirname(abs);
  const tmp = path.join(dir, `.${path.basename(abs)}.deploylint-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
  const mode = st.mode & 0o7777;
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0), mode);
    let at = 0;
    while (at < bytes.length) at += fs.writeSync(fd, bytes, at, bytes.length - at);
    fs.fchmodSync(fd, mode);
    try {
      fs.fchownSync(fd, st.uid, st.gid);
    } catch {
      // only root may give a file away: the fixed file then belongs to whoever ran deploylint
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    hooks.beforeRename?.(abs);
    const late = changedSinceRead(abs, original);
    if (late) {
      fs.unlinkSync(tmp);
      return late;
    }
    fs.renameSync(tmp, abs);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    try { fs.unlinkSync(tmp); } catch { /* not created */ }
    return `writing it failed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  try {
    const dirFd = fs.openSync(dir, 'r');
    try { fs.fsyncSync(dirFd); } finally { fs.closeSync(dirFd); }
  } catch {
    // some filesystems cannot fsync a directory; the rename itself is done
  }
  return undefined;
}
