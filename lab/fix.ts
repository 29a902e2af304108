/**
 * The fix agreement: fixes proven by the servers. For every setup with a scenario that fails live and
 * whose expected findings carry a fix that `--fix --unsafe-fixes` applies, the lab writes the setup's
 * files afresh (a copy, in a new scratch directory with new ports), runs the real CLI with
 * `--fix --unsafe-fixes` on them, starts the servers from the fixed files and runs the same probes.
 * The scenario agrees when it now works, nothing that worked before broke, and deploylint reports no
 * error on the fixed files (lab/agreement.ts judgeFixes).
 */
import * as fs from 'fs';
import { unifiedDiff } from '../lib/fix/diff';
import type { Outcome } from './clients';
import { fixFiles, type LabFixRun } from './deploylint-cli';
import { withLabRun } from './harness';
import {
  appProfilesOf, interestingLogLines, probeSetup, stableText, startSetup, writeSetupFiles, type ScenarioResult, type SetupResult,
} from './lab';
import type { Setup } from './scenarios';

/** Applicabilities `--fix --unsafe-fixes` applies (display-only fixes are shown, never applied). */
const APPLIED = new Set(['safe', 'unsafe']);

/**
 * Scenarios whose fix the servers judge: one that fails live and whose expected rules report a
 * finding with a fix the lab applies (error or warning; info where an info finding answers the probe,
 * `infoSuffices`), and one that works live and names rules whose fix removes configuration that does
 * nothing (`fixKeepsWorking`): it must still work after the fix.
 */
export function fixEligible(result: SetupResult): ScenarioResult[] {
  if (!result.lint.available) return [];
  const fixed = (ruleIds: string[], info: boolean) => result.lint.findings.some((f) =>
    ruleIds.includes(f.ruleId) && (f.severity === 'error' || f.severity === 'warning' || (info && f.severity === 'info')) && f.fix !== undefined && APPLIED.has(f.fix));
  return result.scenarios.filter((s) => (s.outcome !== 'works'
    ? fixed(s.probe.expect, s.probe.infoSuffices === true)
    : (s.probe.fixKeepsWorking?.length ?? 0) > 0 && fixed(s.probe.fixKeepsWorking ?? [], true)));
}

export interface FixSetupResult {
  setup: Setup;
  /** What the CLI did: the findings that remain, the fixes applied and those not applied. */
  fix: LabFixRun;
  /** Every probe of the setup, against servers started from the fixed files. */
  scenarios: ScenarioResult[];
  startErrors: string[];
  /** The unified diff the fix made (scratch path and ports shown stable, as in results.md). */
  diff: string;
  logExcerpt: string;
  elapsedMs: number;
}

export async function runFixSetup(original: SetupResult, repoRoot: string): Promise<FixSetupResult> {
  const { setup } = original;
  const started = Date.now();
  const eligible = new Set(fixEligible(original).map((s) => s.id));
  const liveBefore = new Map(original.scenarios.map((s) => [s.id, s.outcome]));
  return withLabRun(async (run) => {
    await run.reservePorts(setup.ports);
    const { written, listens } = writeSetupFiles(run, setup);
    const before = new Map(written.map((file) => [file, fs.readFileSync(file, 'utf8')]));
    const fix = await fixFiles(repoRoot, written, appProfilesOf(setup), run.scratch);
    const diff = written.map((file) => {
      const name = file.slice(run.scratch.length + 1);
      return unifiedDiff(before.get(file)!, fs.readFileSync(file, 'utf8'), name, (t) => Buffer.from(t, 'utf8')).toString('utf8');
    }).join('');
    const startErrors = await startSetup(run, setup, listens);
    // What each probe should do now: eligible and working ones work; the others fail as before.
    const expected = (probe: Setup['probes'][number]): Outcome => {
      const id = `${setup.id}/${probe.name ?? probe.kind}`;
      return eligible.has(id) || liveBefore.get(id) === 'works' ? 'works' : liveBefore.get(id) ?? probe.predicted;
    };
    const scenarios = await probeSetup(run, setup, expected);
    return {
      setup,
      fix: {
        ...fix,
        findings: fix.findings.map((f) => ({ ...f, file: f.file.split('/').pop() ?? f.file })),
        applied: fix.applied.map((a) => ({ ...a, description: stableText(a.description, run) })),
        notApplied: fix.notApplied.map((n) => ({ ...n, description: stableText(n.description, run), reason: stableText(n.reason, run) })),
      },
      scenarios, startErrors: startErrors.map((e) => stableText(e, run)), diff: stableText(diff, run),
      logExcerpt: stableText(interestingLogLines(run.logs()), run), elapsedMs: Date.now() - started,
    };
  });
}

/** Fixes and re-probes every setup with an eligible scenario, `concurrency` at a time, in matrix order. */
export async function runFixLab(results: SetupResult[], repoRoot: string, concurrency = 4, onDone?: (r: FixSetupResult) => void): Promise<FixSetupResult[]> {
  const todo = results.filter((r) => fixEligible(r).length > 0);
  const out: FixSetupResult[] = new Array(todo.length);
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const index = next++;
      out[index] = await runFixSetup(todo[index], repoRoot);
      onDone?.(out[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
  return out;
}
