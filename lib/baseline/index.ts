/**
 * Baselines let a team adopt deploylint on an existing tree: `--write-baseline FILE` records today's
 * findings, `--baseline FILE` reports only new ones. An entry is keyed by a fingerprint of the rule
 * id, the file and the normalised text of the offending lines plus an occurrence index, not the line
 * number, so edits elsewhere in the file do not resurrect old findings.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../core/finding';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  ruleId: string;
  /** Relative to the baseline file's directory, with `/` separators. */
  file: string;
  fingerprint: string;
}

import { BaselineError } from './errors';

export { BaselineError };

/** Returns the text of a file (or undefined when it cannot be read). */
export type TextSource = (file: string) => string | undefined;

export function normalizeLines(text: string | undefined, f: Finding): string {
  if (text === undefined) return f.message;
  const lines = text.split('\n');
  const { start, end } = f.location.range;
  const last = end.line > start.line && end.column === 1 ? end.line - 1 : end.line;
  return lines
    .slice(start.line - 1, Math.max(start.line, last))
    .map((l) => l.replace(/\r$/, '').trim().replace(/\s+/g, ' '))
    .join('\n');
}

export function baselineFile(file: string, cwd: string, baselineDir: string): string {
  return path.relative(baselineDir, path.resolve(cwd, file)).split(path.sep).join('/');
}

/** Where a baseline's findings are read and its paths are relative to. */
export interface BaselineContext {
  /** The text of a linted file, for the fingerprint of its offending lines. */
  textOf: TextSource;
  /** The directory finding paths are relative to. */
  cwd: string;
  /** The baseline file's directory: entry paths are relative to it. */
  baselineDir: string;
}

/** Fingerprints in the order of `findings`. */
export function fingerprints(findings: Finding[], { textOf, cwd, baselineDir }: BaselineContext): BaselineEntry[] {
  const order = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.location.range.start.line - b.f.location.range.start.line || a.f.location.range.start.column - b.f.location.range.start.column);
  const occurrences = new Map<string, number>();
  const entries: BaselineEntry[] = new Array(findings.length);
  for (const { f, i } of order) {
    const file = baselineFile(f.location.file, cwd, baselineDir);
    const key = `${f.ruleId}\0${file}\0${normalizeLines(textOf(f.location.file), f)}`;
    const n = occurrences.get(key) ?? 0;
    occurrences.set(key, n + 1);
    const fingerprint = createHash('sha256').update(`${key}\0${n}`).digest('hex').slice(0, 32);
    entries[i] = { ruleId: f.ruleId, file, fingerprint };
  }
  return entries;
}

export function writeBaseline(target: string, entries: BaselineEntry[]): void {
  const sorted = [...entries].sort((a, b) => (a.file + a.ruleId + a.fingerprint < b.file + b.ruleId + b.fingerprint ? -1 : 1));
  fs.writeFileSync(target, JSON.stringify({ version: BASELINE_VERSION, entries: sorted }, null, 2) + '\n');
}

export function readBaseline(file: string): BaselineEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BaselineError(`${file}: ${code ? `cannot read (${code})` : `invalid JSON: ${(e as Error).message}`}`);
  }
  const list = Array.isArray(raw) ? raw : (raw as { entries?: unknown })?.entries;
  if (!Array.isArray(list)) throw new BaselineError(`${file}: expected {"version":1,"entries":[...]}`);
  list.forEach((e, i) => {
    const ok = e && typeof e.ruleId === 'string' && typeof e.file === 'string' && typeof e.fingerprint === 'string';
    if (!ok) throw new BaselineError(`${file}: entries[${i}]: expected {ruleId, file, fingerprint}`);
  });
  return list as BaselineEntry[];
}

export interface BaselineOutcome {
  findings: Finding[];
  matchedCount: number;
  /** Entries for files linted in this run that matched no finding (fixed, or the line changed). */
  stale: BaselineEntry[];
}

/**
 * Drop findings the baseline knows; each entry absorbs one finding. Entries of `lintedFiles` that
 * absorb none are stale.
 */
export function applyBaseline(findings: Finding[], entries: BaselineEntry[], context: BaselineContext & { lintedFiles: string[] }): BaselineOutcome {
  const { cwd, baselineDir, lintedFiles } = context;
  const remaining = new Map<string, BaselineEntry>();
  for (const e of entries) remaining.set(`${e.file}\0${e.fingerprint}`, e);
  const prints = fingerprints(findings, context);
  let matchedCount = 0;
  const kept = findings.filter((f, i) => {
    const key = `${prints[i].file}\0${prints[i].fingerprint}`;
    if (remaining.has(key)) {
      remaining.delete(key);
      matchedCount++;
      return false;
    }
    return true;
  });
  const linted = new Set(lintedFiles.map((f) => baselineFile(f, cwd, baselineDir)));
  const stale = [...remaining.values()].filter((e) => linted.has(e.file));
  return { findings: kept, matchedCount, stale };
}
