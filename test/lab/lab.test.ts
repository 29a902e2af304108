/**
 * The whole lab: every scenario against live Apache httpd, uWSGI and mod_wsgi, then deploylint on
 * the same files. Fails when deploylint disagrees with a live outcome, and when the servers
 * contradict the facts files in a way the matrix does not explain.
 */
import * as fs from 'fs';
import { agreementLine, consoleTable, fixAgreementLine, fixConsoleTable, judge, judgeFixes, provenFixRules, unexplainedContradictions } from '../../lab/agreement';
import { runFixLab, type FixSetupResult } from '../../lab/fix';
import { loadRules } from '../../lib/engine/registry';
import { ensureServers, repoRoot, scratchDirsCreated } from '../../lab/harness';
import { runLab, type SetupResult } from '../../lab/lab';
import { SETUPS, scenarioCount } from '../../lab/scenarios';
import { recordFigures } from '../integrations/figures';

const missing = ensureServers();
if (missing && process.env.CI === 'true') throw new Error(`lab cannot run under CI: ${missing}`);
if (missing) console.warn(`SKIPPED lab: ${missing}`);
const describeServers = missing ? describe.skip : describe;

describeServers('lab', () => {
  let results: SetupResult[] = [];
  let fixed: FixSetupResult[] = [];

  beforeAll(async () => {
    results = await runLab(SETUPS, repoRoot(), 4);
    fixed = await runFixLab(results, repoRoot(), 4);
  }, 600_000);

  afterAll(() => {
    // for the README test (test/integrations/readme-figures.test.ts)
    if (results.length === 0) return;
    const verdicts = judge(results);
    recordFigures('lab', { agreement: `${verdicts.filter((v) => v.agrees).length}/${verdicts.length}`, setups: results.length });
  });

  test('the matrix has at least 40 scenarios with unique ids', () => {
    expect(scenarioCount()).toBeGreaterThanOrEqual(40);
    const ids = results.flatMap((r) => r.scenarios.map((s) => s.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(scenarioCount());
  });

  test('every setup started its servers (except those meant to fail at start-up) and left no scratch dir', () => {
    const failedStarts = results.filter((r) => r.startErrors.length).map((r) => r.setup.id);
    expect(failedStarts).toEqual(SETUPS.filter((s) => s.failsAtStartup).map((s) => s.id));
    expect(scratchDirsCreated().length).toBeGreaterThanOrEqual(SETUPS.length + fixed.length);
    expect(scratchDirsCreated().filter((dir) => fs.existsSync(dir))).toEqual([]);
  });

  test('live outcomes match the facts files, or the matrix explains the contradiction', () => {
    expect(unexplainedContradictions(results).map((s) => `${s.id}: predicted ${s.probe.predicted}, live ${s.outcome} (${s.detail})`)).toEqual([]);
  });

  test('deploylint agrees with every live outcome', () => {
    const verdicts = judge(results);
    const disagreements = verdicts.filter((v) => !v.agrees).map((v) => `${v.scenario.id}: ${v.reason}`);
    if (disagreements.length) console.log(`${consoleTable(verdicts)}\n${agreementLine(verdicts)}`);
    expect(disagreements).toEqual([]);
  });

  test('fix agreement: every failing scenario whose finding carries a fix works after --fix --unsafe-fixes, and deploylint reports no error on the fixed files', () => {
    const verdicts = judgeFixes(results, fixed);
    expect(verdicts.length).toBeGreaterThanOrEqual(30);
    const disagreements = verdicts.filter((v) => !v.agrees).map((v) => `${v.scenario.id}: ${v.reason}`);
    if (disagreements.length) console.log(`${fixConsoleTable(verdicts)}\n${fixAgreementLine(verdicts)}`);
    expect(disagreements).toEqual([]);
  });

  test('every rule whose fixes --fix applies is proven by at least one fix-agreement scenario', () => {
    const fixable = loadRules().filter((r) => r.meta.fixable && r.meta.fixApplicability !== 'display-only').map((r) => r.meta.id).sort();
    const proven = new Set(provenFixRules(judgeFixes(results, fixed)));
    expect(fixable.filter((id) => !proven.has(id))).toEqual([]);
  });
});
