/**
 * The read gate of a `--fix` run: the run's own gate (same roots, same limits), but every file is read
 * from disk once and then served from that first read, and files being fixed are served with their
 * fixed bytes. So every lint of every pass sees one consistent snapshot plus the edits, nothing is
 * written before the result is verified, and "has the file changed since it was read" compares with
 * exactly the bytes the linter parsed.
 */
import { Budget } from '../input/budget';
import { fileBytesRefusal, ReadGate, type ReadOk, type Refusal } from '../input/gate';

export class SnapshotGate extends ReadGate {
  constructor(
    base: ReadGate,
    /** Bytes first read, by real path: shared by every gate of one fix run. */
    readonly snapshot: Map<string, Buffer>,
    /** Fixed bytes, by real path. */
    readonly overlay: ReadonlyMap<string, Buffer> = new Map(),
  ) {
    super({ roots: base.roots, budget: new Budget(base.budget.limits) });
  }

  override readFile(p: string): ReadOk | Refusal {
    const checked = this.check(p);
    if (!checked.ok) return checked;
    const real = checked.realPath;
    const bytes = this.overlay.get(real) ?? this.snapshot.get(real);
    if (bytes) {
      if (bytes.length > this.budget.limits['file-bytes']) return fileBytesRefusal(this.budget.limits['file-bytes'], bytes.length);
      if (!this.budget.spend('read-bytes', bytes.length)) return { ok: false, code: 'budget', reason: `the read-bytes budget (${this.budget.limits['read-bytes']} bytes read in this run) is used up; raise it with --budget read-bytes=N` };
      return { ok: true, bytes, realPath: real };
    }
    const read = super.readFile(p);
    if (read.ok) this.snapshot.set(read.realPath, read.bytes);
    return read;
  }

  /** A gate over the same snapshot with other fixed bytes. */
  withOverlay(overlay: ReadonlyMap<string, Buffer>, base: ReadGate): SnapshotGate {
    return new SnapshotGate(base, this.snapshot, overlay);
  }
}
