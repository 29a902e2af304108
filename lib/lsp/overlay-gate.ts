/**
 * The read gate of a language-server lint run: the input layer's ReadGate (same roots rule, same
 * regular-file rule, same budgets) with the editor's open buffers standing in for the files on disk.
 * A read of a path whose real path is an open document returns the buffer's text, so an unsaved
 * vhost that apache2.conf includes, or an unsaved ini that another ini includes, is read as the user
 * sees it. The roots are checked exactly as for a disk read first: a buffer is never a way around
 * the gate, and it is subject to the `file-bytes` and `read-bytes` budgets like a file.
 */
import * as path from 'path';
import type { Budget } from '../input/budget';
import { fileBytesRefusal, ReadGate, type ReadOk, type Refusal } from '../input/gate';

export interface Buffers {
  /** The text of the open document at this absolute path, if one is open. */
  textAt(absolutePath: string): string | undefined;
}

export class OverlayReadGate extends ReadGate {
  constructor(options: { roots: string[]; cwd?: string; budget: Budget }, private readonly buffers: Buffers) {
    super(options);
  }

  override readFile(p: string): ReadOk | Refusal {
    const abs = path.resolve(p);
    const checked = this.check(abs);
    // An unsaved new file has no real path yet: it stands in when the directory it would be in is
    // inside the roots (check() says `missing` rather than `outside` exactly then).
    const real = checked.ok ? checked.realPath : checked.code === 'missing' ? abs : undefined;
    const text = real === undefined ? undefined : this.buffers.textAt(real) ?? this.buffers.textAt(abs);
    if (text === undefined) return super.readFile(p);
    const bytes = Buffer.from(text, 'utf8');
    const cap = this.budget.limits['file-bytes'];
    if (bytes.length > cap) {
      return fileBytesRefusal(cap, bytes.length);
    }
    if (!this.budget.spend('read-bytes', bytes.length)) {
      return { ok: false, code: 'budget', reason: `the read-bytes budget (${this.budget.limits['read-bytes']} bytes read in this run) is used up; raise it with --budget read-bytes=N` };
    }
    return { ok: true, bytes, realPath: real! };
  }
}
