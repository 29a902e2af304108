/**
 * Applying fixes in passes, each one verified by linting the whole run again (in memory, through a
 * SnapshotGate: nothing is written here).
 *
 * A pass takes the fixes the current findings carry (safe ones, plus unsafe ones when asked), in
 * reading order with corrections of what is written before added lines, and keeps those whose edits
 * neither overlap nor touch an edit already taken and that claim nothing already claimed (ESLint's
 * rule for overlapping fixes, plus Fix.claims for two fixes that would set one option). It applies
 * them and lints again. A fix is kept only when its finding is gone and no new finding at least as
 * severe as it (or any new error) appeared; otherwise it is rolled back, remembered with the reason,
 * and the rest of the pass is tried again. Passes repeat on the new findings, at most `maxPasses`
 * (10, as ESLint) times, until no fix is left; so a second `--fix` run finds nothing to do.
 */
import * as path from 'path';
import { SEVERITY_RANK, type Finding, type Fix, type FixApplicability } from '../core/finding';
import { decodeBytes, encodeText, type TextEncoding } from '../core/text';
import { applyEdits, editsConflict, mapOffset, newRanges, validEdits, type Edit } from './apply';
import type { SnapshotGate } from './snapshot-gate';
import { markupTouched, templateMarkup, type MarkupRange } from './templates';

/** What one lint of the run returns; the fix engine needs its findings, the caller may keep the rest. */
export interface LintRound {
  findings: Finding[];
}

export interface PassOptions<R extends LintRound> {
  /** Lints the whole run through this gate (the CLI's lint of every group). */
  lint(gate: SnapshotGate): R;
  /** The gate of the first lint: its snapshot is what every later lint starts from. */
  gate: SnapshotGate;
  /** Applicabilities to apply: `safe`, and `unsafe` with --unsafe-fixes. */
  apply: ReadonlySet<FixApplicability>;
  /** A finding's or an edit's file as an absolute path. */
  absolute(file: string): string;
  /** Why `--fix` may not write this file (absolute path), or undefined when it may. */
  refuseWrite(abs: string): string | undefined;
  maxPasses?: number;
  /** The first lint, when the caller has it already (through `gate`). */
  first?: R;
}

export interface FixRecord {
  finding: Finding;
  fix: Fix;
  /** Real paths of the files the fix edits. */
  files: string[];
}

export interface AppliedFix extends FixRecord {
  pass: number;
  /** Less severe findings that appeared with it (a quoted `chmod-socket = "666"` unquoted is then world-writable). */
  revealed: Finding[];
}

export interface RefusedFix extends FixRecord {
  reason: string;
  /** Rolled back after a re-lint (rather than refused before it was tried). */
  rolledBack: boolean;
}

/** A file some fix edits: the bytes first read, and the current text. */
export interface FixedFile {
  real: string;
  /** As the fix named it (absolute). */
  abs: string;
  original: Buffer;
  encoding: TextEncoding;
  text: string;
  /** Template markup of `markupOf` (null: no template; undefined: not looked at yet). */
  markup: MarkupRange[] | null | undefined;
  markupOf?: string;
}

export interface PassResult<R extends LintRound> {
  first: R;
  last: R;
  applied: AppliedFix[];
  refused: RefusedFix[];
  /** Every file a fix was applied to (the final text differs from the original). */
  files: Map<string, FixedFile>;
  passes: number;
  lints: number;
  /** The gate of the final state (fixed bytes overlaid), for reading the fixed texts. */
  gate: SnapshotGate;
}

interface Candidate extends FixRecord {
  key: string;
  /** Edits by real path. */
  byFile: Map<string, Edit[]>;
  also: Candidate[];
}

const DEFAULT_MAX_PASSES = 10;

export function runFixPasses<R extends LintRound>(options: PassOptions<R>): PassResult<R> {
  const maxPasses = options.maxPasses ?? DEFAULT_MAX_PASSES;
  const realOf = (file: string): string => {
    const abs = options.absolute(file);
    const real = options.gate.realPath(abs);
    return typeof real === 'string' ? real : abs;
  };
  const files = new Map<string, FixedFile>();
  const refusedKeys = new Map<string, RefusedFix>();
  const applied: AppliedFix[] = [];
  let lints = 0;
  const lint = (overlay: Map<string, Buffer>): R => {
    lints++;
    return options.lint(options.gate.withOverlay(overlay, options.gate));
  };
  let overlay = new Map<string, Buffer>();
  const first = options.first ?? lint(overlay);
  if (!options.first) lints = 1;
  let current = first;

  const fileFor = (abs: string, real: string): FixedFile | string => {
    const known = files.get(real);
    if (known) return known;
    const refused = options.refuseWrite(abs);
    if (refused) return refused;
    const read = options.gate.readFile(real);
    if (!read.ok) return `it could not be read (${read.reason})`;
    const { text, encoding } = decodeBytes(read.bytes);
    const file: FixedFile = { real, abs, original: read.bytes, encoding, text, markup: undefined };
    files.set(real, file);
    return file;
  };

  /** The fix as a candidate for this pass, or why it cannot be applied. */
  const candidateOf = (finding: Finding): Candidate | RefusedFix | undefined => {
    const fix = finding.fix!;
    const byFile = new Map<string, Edit[]>();
    const record = (reason: string): RefusedFix => ({ finding, fix, files: [...byFile.keys()], reason, rolledBack: false });
    if (fix.edits.length === 0) return undefined;
    for (const edit of fix.edits) {
      const abs = options.absolute(edit.file);
      const real = realOf(edit.file);
      const file = fileFor(abs, real);
      if (typeof file === 'string') {
        byFile.set(real, []);
        return record(`${path.basename(abs)}: ${file}`);
      }
      const list = byFile.get(real) ?? [];
      list.push({ startOffset: edit.range.startOffset, endOffset: edit.range.endOffset, text: edit.text });
      byFile.set(real, list);
    }
    const keyParts = [finding.ruleId, fix.description];
    for (const [real, edits] of byFile) {
      const file = files.get(real)!;
      if (!validEdits(file.text, edits)) return record('its edits overlap each other or fall outside the file (a bug in the rule; please report it)');
      if (file.encoding === 'latin1' && edits.some((e) => /[^\u0000-\u00ff]/.test(e.text))) return record(`${path.basename(file.abs)} is not UTF-8, and the new text has characters its encoding cannot hold`);
      if (file.markup === undefined || file.markupOf !== file.text) {
        file.markup = templateMarkup(file.abs, file.text);
        file.markupOf = file.text;
      }
      for (const e of edits) {
        const touched = file.markup && markupTouched(file.markup, e);
        if (touched) return record(`${path.basename(file.abs)} is a template and the edit would change its markup \`${touched.markup.slice(0, 60)}\`; fix the template by hand`);
        const lineStart = file.text.lastIndexOf('\n', Math.max(0, e.startOffset - 1)) + 1;
        keyParts.push(real, e.text, file.text.slice(e.startOffset, e.endOffset), file.text.slice(lineStart, e.startOffset));
      }
    }
    return { finding, fix, files: [...byFile.keys()], key: keyParts.join('\u0000'), byFile, also: [] };
  };

  let passes = 0;
  const maxLints = maxPasses * 6 + 30;
  /**
   * A new finding that itself carries a fix this run applies does not stop a fix at once (adding
   * `http-chunked-input` makes an instance an upload service, whose timeout another fix raises): it
   * is provisional, and must be gone by the end. If it is not, the fix that brought it is refused and
   * the passes start again from the original texts without it.
   */
  let provisional: Array<{ finding: Finding; owner: Candidate }> = [];
  const restart = () => {
    overlay = new Map();
    for (const file of files.values()) file.text = decodeBytes(file.original).text;
    applied.length = 0;
    provisional = [];
    current = first;
    passes = 0;
  };
  for (let attempt = 0; attempt < 6; attempt++) {
    passLoop();
    const count = (round: LintRound, f: Finding) => round.findings.filter((x) => x.ruleId === f.ruleId && realOf(x.location.file) === realOf(f.location.file)).length;
    const unresolved = provisional.filter((p) => count(current, p.finding) > count(first, p.finding));
    if (unresolved.length === 0 || lints >= maxLints) break;
    for (const { finding, owner } of unresolved) {
      refusedKeys.set(owner.key, { finding: owner.finding, fix: owner.fix, files: owner.files, rolledBack: true, reason: `it would bring a new finding no fix removes: ${finding.ruleId} (${finding.severity}) at ${path.basename(finding.location.file)}:${finding.location.range.start.line}: ${finding.message}` });
    }
    restart();
  }

  function passLoop(): void {
    while (passes < maxPasses && lints < maxLints) {
      const candidates: Candidate[] = [];
      for (const finding of current.findings) {
        if (!finding.fix || !options.apply.has(finding.fix.applicability ?? 'safe')) continue;
        const c = candidateOf(finding);
        if (!c) continue;
        if ('reason' in c) {
          const key = [c.finding.ruleId, c.fix.description, c.reason, c.finding.location.file, c.finding.message].join('\u0000');
          if (!refusedKeys.has(key)) refusedKeys.set(key, c);
          continue;
        }
        if (!refusedKeys.has(c.key)) candidates.push(c);
      }
      const selected = select(candidates);
      if (selected.length === 0) return;
      let trying = selected;
      let accepted = false;
      const refusedBefore = refusedKeys.size;
      while (trying.length > 0 && lints < maxLints) {
        const outcome = trial(trying);
        if (outcome.bad.size === 0 && outcome.unattributed.length === 0) {
          overlay = outcome.overlay;
          for (const [real, text] of outcome.texts) files.get(real)!.text = text;
          passes++;
          for (const c of trying) {
            for (const one of [c, ...c.also]) applied.push({ finding: one.finding, fix: one.fix, files: one.files, pass: passes, revealed: outcome.revealed.get(c) ?? [] });
          }
          for (const p of outcome.provisional) provisional.push(p);
          current = outcome.round;
          accepted = true;
          break;
        }
        const reject = (c: Candidate, reason: string) => {
          refusedKeys.set(c.key, { finding: c.finding, fix: c.fix, files: c.files, reason, rolledBack: true });
        };
        if (outcome.bad.size > 0) {
          for (const [c, reason] of outcome.bad) reject(c, reason);
          trying = trying.filter((c) => !outcome.bad.has(c));
          continue;
        }
        // Something new appeared that no single fix explains: try each alone.
        if (trying.length === 1) {
          reject(trying[0], outcome.unattributed[0]);
          break;
        }
        const survivors: Candidate[] = [];
        for (const c of trying) {
          if (lints >= maxLints) break;
          const alone = trial([c]);
          const reason = alone.bad.get(c) ?? alone.unattributed[0];
          if (reason) reject(c, reason);
          else survivors.push(c);
        }
        // Each is fine alone but not all together: take the first now, the others in a later pass.
        trying = survivors.length === trying.length ? survivors.slice(0, 1) : survivors;
      }
      if (!accepted && refusedKeys.size === refusedBefore) return;
    }
  }

  const gate = options.gate.withOverlay(overlay, options.gate);
  for (const [real, file] of files) if (!overlay.has(real)) files.delete(real);
  return { first, last: current, applied, refused: [...refusedKeys.values()], files, passes, lints, gate };

  /** The edits themselves, offsets included: two findings may carry the very same fix (two routes, one missing module). */
  function exact(c: Candidate): string {
    return JSON.stringify([...c.byFile].map(([real, edits]) => [real, edits.map((e) => [e.startOffset, e.endOffset, e.text])]));
  }

  /** Greedy choice of non-conflicting fixes, corrections of what is written before inserted lines. */
  function select(candidates: Candidate[]): Candidate[] {
    const insertsOnly = (c: Candidate) => [...c.byFile.values()].every((edits) => edits.every((e) => e.startOffset === e.endOffset));
    const ordered = [...candidates.filter((c) => !insertsOnly(c)), ...candidates.filter(insertsOnly)];
    const taken: Candidate[] = [];
    const claims = new Set<string>();
    for (const c of ordered) {
      const same = taken.find((t) => exact(t) === exact(c));
      if (same) {
        same.also.push(c);
        continue;
      }
      if ((c.fix.claims ?? []).some((claim) => claims.has(claim))) continue;
      const clash = taken.some((t) => [...c.byFile].some(([real, edits]) => (t.byFile.get(real) ?? []).some((te) => edits.some((e) => editsConflict(e, te)))));
      if (clash) continue;
      taken.push(c);
      for (const claim of c.fix.claims ?? []) claims.add(claim);
    }
    return taken;
  }

  /** Apply the fixes on the current texts and lint: which fixes kept their finding or brought a new one. */
  function trial(fixes: Candidate[]) {
    const editsByFile = new Map<string, Edit[]>();
    for (const c of fixes) for (const [real, edits] of c.byFile) editsByFile.set(real, [...(editsByFile.get(real) ?? []), ...edits]);
    const texts = new Map<string, string>();
    const trialOverlay = new Map(overlay);
    for (const [real, edits] of editsByFile) {
      const file = files.get(real)!;
      const text = applyEdits(file.text, edits);
      texts.set(real, text);
      trialOverlay.set(real, encodeText(text, file.encoding));
    }
    const round = lint(trialOverlay);

    const keyOf = (f: Finding, offset: number) => `${f.ruleId}\u0000${realOf(f.location.file)}\u0000${offset}`;
    const before = new Map<string, Finding[]>();
    for (const f of current.findings) {
      const edits = editsByFile.get(realOf(f.location.file));
      const key = keyOf(f, edits ? mapOffset(edits, f.location.range.start.offset) : f.location.range.start.offset);
      before.set(key, [...(before.get(key) ?? []), f]);
    }
    const fresh: Finding[] = [];
    for (const f of round.findings) {
      const list = before.get(keyOf(f, f.location.range.start.offset));
      const match = list?.shift();
      if (!match || SEVERITY_RANK[f.severity] > SEVERITY_RANK[match.severity]) fresh.push(f);
    }
    const inside = (c: Candidate, f: Finding): boolean => {
      const real = realOf(f.location.file);
      const edits = c.byFile.get(real);
      if (!edits) return false;
      const all = editsByFile.get(real)!;
      const mine = new Set(edits);
      const order = sortedEdits(all);
      const ranges = newRanges(all).filter((_, i) => mine.has(order[i]));
      const at = f.location.range.start.offset;
      return ranges.some((r) => r.start <= at && at <= r.end);
    };
    const bad = new Map<Candidate, string>();
    const revealed = new Map<Candidate, Finding[]>();
    const provisionalHere: Array<{ finding: Finding; owner: Candidate }> = [];
    /** A new finding whose own fix this run applies: provisional (see above), unless that fix was refused before. */
    const fixableLater = (f: Finding) => !!f.fix && options.apply.has(f.fix.applicability ?? 'safe') && ![...refusedKeys.values()].some((r) => r.finding.ruleId === f.ruleId && r.fix.description === f.fix!.description);
    const where = (f: Finding) => `${path.basename(f.location.file)}:${f.location.range.start.line}`;
    for (const c of fixes) {
      const real = realOf(c.finding.location.file);
      const edits = editsByFile.get(real);
      const at = edits ? mapOffset(edits, c.finding.location.range.start.offset) : c.finding.location.range.start.offset;
      const kept = round.findings.find((f) => f.ruleId === c.finding.ruleId && realOf(f.location.file) === real && (f.location.range.start.offset === at || inside(c, f)));
      if (kept) bad.set(c, `its finding was still reported after the change (${where(kept)}): ${kept.message}`);
    }
    const unattributed: string[] = [];
    const weighs = (f: Finding, c: Candidate) => f.severity === 'error' || SEVERITY_RANK[f.severity] >= SEVERITY_RANK[c.finding.severity];
    for (const f of fresh) {
      const owners = fixes.filter((c) => inside(c, f));
      const inFile = owners.length ? owners : fixes.filter((c) => c.byFile.has(realOf(f.location.file)));
      const describe = `it would bring a new finding: ${f.ruleId} (${f.severity}) at ${where(f)}: ${f.message}`;
      if (inFile.length === 1 || (inFile.length === 0 && fixes.length === 1)) {
        const c = inFile[0] ?? fixes[0];
        if (!weighs(f, c)) revealed.set(c, [...(revealed.get(c) ?? []), f]);
        else if (fixableLater(f)) provisionalHere.push({ finding: f, owner: c });
        else if (!bad.has(c)) bad.set(c, describe);
      } else if (fixes.some((c) => (inFile.length === 0 || inFile.includes(c)) && weighs(f, c))) {
        unattributed.push(describe);
      }
    }
    return { round, texts, overlay: trialOverlay, bad, unattributed, revealed, provisional: provisionalHere };
  }
}

function sortedEdits(edits: Edit[]): Edit[] {
  return [...edits].sort((x, y) => x.startOffset - y.startOffset || x.endOffset - y.endOffset);
}
