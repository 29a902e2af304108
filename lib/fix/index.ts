/**
 * `--fix`, `--fix-dry-run` and `--diff`: apply the fixes findings carry, verified by the servers'
 * model of the run (every pass re-lints the whole deployment: passes.ts), then write them safely
 * (write.ts) or show them as a unified diff (diff.ts). Nothing here knows the CLI: the caller hands
 * in how to lint the run through a gate, the run's gate and the files the user named.
 *
 * Modules: apply.ts (edits on text), snapshot-gate.ts (one snapshot of the files, fixed bytes
 * overlaid), passes.ts (passes, verification, roll-back), templates.ts (literal text only in
 * templates), write.ts (atomic writes through the gate), diff.ts (unified diffs), present.ts (edits
 * for output), index.ts (this: one run and its summary).
 */
import * as fs from 'fs';
import * as path from 'path';
import { compareFindings, type Finding, type FixApplicability } from '../core/finding';
import { decodeBytes, encodeText } from '../core/text';
import type { ReadGate } from '../input/gate';
import { unifiedDiff } from './diff';
import { runFixPasses, type AppliedFix, type LintRound, type RefusedFix } from './passes';
import { SnapshotGate } from './snapshot-gate';
import { changedSinceRead, refusalToWrite, writeAtomically, type WriteHooks } from './write';

export { applyEdits, editsConflict, mapOffset } from './apply';
export { gitQuotePath, unifiedDiff } from './diff';
export { runFixPasses, type AppliedFix, type FixedFile, type LintRound, type PassOptions, type PassResult, type RefusedFix } from './passes';
export { presentFixes } from './present';
export { SnapshotGate } from './snapshot-gate';
export { mapVariantFix, markupTouched, templateMarkup } from './templates';
export { changedSinceRead, refusalToWrite, writeAtomically, type WriteHooks } from './write';

export type FixMode = 'write' | 'dry-run' | 'diff';

export interface FixRunOptions<R extends LintRound> {
  mode: FixMode;
  /** Apply `unsafe` fixes too (`--unsafe-fixes`). */
  unsafe: boolean;
  /** The run's read gate: its roots bound what is read and written. */
  gate: ReadGate;
  /** Absolute paths of the files named on the command line or found by walking a directory given. */
  given: string[];
  cwd: string;
  /** Lint the whole run through a gate. */
  lint(gate: ReadGate): R;
  hooks?: WriteHooks;
  maxPasses?: number;
}

/** A file the run wrote (or would write). */
export interface FixedFileReport {
  /** Absolute path. */
  file: string;
  /** Relative to the working directory when inside it, for messages and the diff. */
  name: string;
  written: boolean;
  /** Why it was not written (mode 'write' only). */
  refused?: string;
}

export interface FixSummary {
  mode: FixMode;
  applied: AppliedFix[];
  /** Fixes refused before they were tried, or rolled back after a re-lint, with the reason. */
  refused: RefusedFix[];
  /** Remaining findings whose fix `--unsafe-fixes` would apply. */
  moreWithUnsafe: number;
  /** Remaining findings whose fix is display-only (shown, never applied). */
  displayOnly: number;
  files: FixedFileReport[];
}

export interface FixRunResult<R extends LintRound> {
  /** The lint of the files as they are now on disk (fixed), or as they would be (dry run, diff). */
  round: R;
  /** Reads the fixed texts (dry run and diff: without writing them). */
  gate: ReadGate;
  summary: FixSummary;
  /** The unified diff of every fixed file (mode 'diff'; empty otherwise or when nothing changes). */
  diff: Buffer;
  /** Human lines, the last one the count of fixes: "N fixed, M more fixable with --unsafe-fixes". */
  notes: string[];
}

export function fixRun<R extends LintRound>(options: FixRunOptions<R>): FixRunResult<R> {
  const snapshot = new SnapshotGate(options.gate, new Map());
  // Real paths of the files named or walked by their own path (a file named only through a symbolic
  // link to it is not named: writing it would be writing through the link).
  const given = new Set<string>();
  for (const file of options.given) {
    const abs = path.resolve(options.cwd, file);
    const real = options.gate.realPath(abs);
    if (typeof real === 'string' && !isLink(abs)) given.add(real);
  }
  /**
   * A file as an absolute path. A path that is a symbolic link (Debian's sites-enabled/x.conf, read
   * through an Include) stands for the file it points to when that file is itself one of the files
   * given or walked: the edit goes to that file by its own path, and the link is left as it is.
   * Any other link stays a link, and is refused.
   */
  const absolute = (file: string) => {
    const abs = path.resolve(options.cwd, file);
    if (!isLink(abs)) return abs;
    const real = options.gate.realPath(abs);
    return typeof real === 'string' && given.has(real) ? real : abs;
  };
  const apply = new Set<FixApplicability>(options.unsafe ? ['safe', 'unsafe'] : ['safe']);
  const result = runFixPasses<R>({
    lint: (gate) => options.lint(gate),
    gate: snapshot,
    apply,
    absolute,
    refuseWrite: (abs) => refusalToWrite(abs, options.gate, given),
    maxPasses: options.maxPasses,
  });
  const nameOf = (abs: string) => {
    const rel = path.relative(options.cwd, abs);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
  };

  const files: FixedFileReport[] = [];
  let round = result.last;
  let gate: ReadGate = result.gate;
  const diffs: Buffer[] = [];
  const ordered = [...result.files.values()].sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : 0));
  if (options.mode === 'diff') {
    // Paths relative to the working directory, as git apply and patch -p1 read them (a file outside it gets `../`).
    for (const file of ordered) diffs.push(unifiedDiff(decodeBytes(file.original).text, file.text, path.relative(options.cwd, file.abs).split(path.sep).join('/'), (t) => encodeText(t, file.encoding)));
  }
  if (options.mode === 'write') {
    // Files joined by a fix that edits both (a route and its socket) are written together or not at all.
    const refusedFiles = new Map<string, string>();
    const groups = joinedFiles(result.applied, ordered.map((f) => f.real));
    for (const group of groups) {
      const reasons = group.map((real) => {
        const file = result.files.get(real)!;
        return refusalToWrite(file.abs, options.gate, given) ?? changedSinceRead(file.abs, file.original);
      });
      const firstRefusal = reasons.find((r) => r !== undefined);
      if (firstRefusal) {
        for (const [i, real] of group.entries()) refusedFiles.set(real, reasons[i] ?? `it is fixed together with ${nameOf(result.files.get(group[reasons.findIndex((r) => r)])!.abs)}, which was not written`);
        continue;
      }
      const written: string[] = [];
      for (const real of group) {
        const file = result.files.get(real)!;
        const failed = writeAtomically(file.abs, file.original, encodeText(file.text, file.encoding), options.hooks);
        if (!failed) {
          written.push(real);
          continue;
        }
        refusedFiles.set(real, failed);
        // put back what this group already wrote, so no fix is left half applied
        for (const done of written) {
          const back = result.files.get(done)!;
          writeAtomically(back.abs, encodeText(back.text, back.encoding), back.original);
          refusedFiles.set(done, `it is fixed together with ${nameOf(file.abs)}, which could not be written: restored`);
        }
        break;
      }
    }
    for (const file of ordered) files.push({ file: file.abs, name: nameOf(file.abs), written: !refusedFiles.has(file.real), ...(refusedFiles.has(file.real) ? { refused: refusedFiles.get(file.real) } : {}) });
    if (refusedFiles.size > 0) {
      // Report what is on disk: lint again with only the files that were written.
      const overlay = new Map<string, Buffer>();
      for (const file of ordered) if (!refusedFiles.has(file.real)) overlay.set(file.real, encodeText(file.text, file.encoding));
      gate = snapshot.withOverlay(overlay, options.gate);
      round = options.lint(gate);
      const lost = new Set(refusedFiles.keys());
      for (const a of result.applied.filter((x) => x.files.some((f) => lost.has(f)))) {
        result.refused.push({ ...a, reason: `${nameOf(a.files.find((f) => lost.has(f))!)}: ${refusedFiles.get(a.files.find((f) => lost.has(f))!)}`, rolledBack: false });
      }
      const kept = result.applied.filter((x) => !x.files.some((f) => lost.has(f)));
      result.applied.length = 0;
      for (const a of kept) result.applied.push(a);
    }
  } else {
    for (const file of ordered) files.push({ file: file.abs, name: nameOf(file.abs), written: false });
  }

  const remaining = round.findings.filter((f) => f.fix);
  const summary: FixSummary = {
    mode: options.mode,
    applied: result.applied,
    refused: result.refused,
    moreWithUnsafe: options.unsafe ? 0 : remaining.filter((f) => f.fix!.applicability === 'unsafe').length,
    displayOnly: remaining.filter((f) => f.fix!.applicability === 'display-only').length,
    files,
  };
  return { round, gate, summary, diff: Buffer.concat(diffs), notes: summaryNotes(summary) };
}

function isLink(abs: string): boolean {
  try {
    return fs.lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Files in groups: two files are in one group when a fix applied edits both. */
function joinedFiles(applied: AppliedFix[], files: string[]): string[][] {
  const parent = new Map(files.map((f) => [f, f]));
  const find = (f: string): string => {
    let root = f;
    while (parent.get(root) !== root) root = parent.get(root)!;
    return root;
  };
  for (const a of applied) {
    const inRun = a.files.filter((f) => parent.has(f));
    for (const f of inRun.slice(1)) parent.set(find(f), find(inRun[0]));
  }
  const groups = new Map<string, string[]>();
  for (const f of files) groups.set(find(f), [...(groups.get(find(f)) ?? []), f]);
  return [...groups.values()];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function where(f: Finding): string {
  return `${f.location.file}:${f.location.range.start.line}`;
}

/** What the run did, one line each, ending with the count (ruff: "N fixed, M more fixable with --unsafe-fixes"). */
export function summaryNotes(summary: FixSummary): string[] {
  const notes: string[] = [];
  const verb = summary.mode === 'write' ? 'fixed' : 'would fix';
  const byPlace = (a: { finding: Finding }, b: { finding: Finding }) => compareFindings(a.finding, b.finding);
  for (const a of [...summary.applied].sort(byPlace)) notes.push(`${verb} ${where(a.finding)} ${a.finding.ruleId}: ${a.fix.description}${a.fix.applicability === 'unsafe' ? ' (unsafe)' : ''}`);
  for (const a of summary.applied) {
    for (const r of a.revealed) notes.push(`  with it, ${r.ruleId} (${r.severity}) is now reported at ${where(r)}`);
  }
  for (const r of [...summary.refused].sort(byPlace)) {
    notes.push(`not fixed ${where(r.finding)} ${r.finding.ruleId} (${r.fix.description}): ${r.rolledBack ? 'rolled back, ' : ''}${r.reason}`);
  }
  const changed = summary.files.filter((f) => summary.mode !== 'write' || f.written).length;
  const count = summary.applied.length;
  const head = summary.mode === 'write'
    ? `${count} fixed${count ? ` (${plural(changed, 'file')} changed)` : ''}`
    : `${count} ${summary.mode === 'diff' ? 'fixed in this diff' : 'would be fixed'}${count ? ` (${plural(changed, 'file')})` : ''}`;
  const tail: string[] = [];
  if (summary.moreWithUnsafe > 0) tail.push(`${summary.moreWithUnsafe} more fixable with --unsafe-fixes`);
  if (summary.displayOnly > 0) tail.push(`${summary.displayOnly} with a suggested fix to apply by hand (display-only)`);
  notes.push([head, ...tail].join(', ') + '.');
  return notes;
}
