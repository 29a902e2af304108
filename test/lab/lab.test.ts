/**
 * The whole lab: every scenario against live Apache httpd, uWSGI and mod_wsgi, then deploylint on
 * the same files. Fails when deploylint disagrees with a live outcome, and when the servers
 * contradict the facts files in a way the matrix does not explain.
 */
import * as fs from 'fs';
import { agreementLine, consoleTable, judge, unexplainedContradictions } from '../../lab/agreement';
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

  beforeAll(async () => {
    results = await runLab(SETUPS, repoRoot(), 4);
  }, 300_000);

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
    expect(scratchDirsCreated().length).toBeGreaterThanOrEqual(SETUPS.length);
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
});
