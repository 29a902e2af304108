/**
 * Amplification, generated: nested Defines, macros that use macros, include graphs in both languages,
 * placeholders copied and rescanned, uWSGI for-blocks. Whatever shape fast-check builds, lint() must
 * return, every budget's counter must stay within its limit, and a budget that ran out must have said
 * so with a `budget-exceeded` finding. The bound is asserted on the counters (the work done), never
 * on the clock. Budgets are set small so that the generated inputs reach them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { lint } from '../../lib';
import { Budget, BUDGET_NAMES, type BudgetLimits } from '../../lib/input/budget';
import { ReadGate } from '../../lib/input/gate';
import { SEED } from './support';

const RUNS = Math.max(1, Math.min(300, Number(process.env.FAST_CHECK_RUNS ?? 120)));
const SMALL: Partial<BudgetLimits> = {
  'expanded-bytes': 200_000,
  nodes: 20_000,
  files: 400,
  'include-fanout': 200,
  'macro-expansions': 300,
  'loop-iterations': 2_000,
  'glob-entries': 5_000,
};

let dir: string;
beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-budgets-')));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let caseNo = 0;
function runCase(files: Record<string, string>, root: string): void {
  const caseDir = path.join(dir, `c${caseNo++}`);
  fs.mkdirSync(caseDir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(caseDir, name), text);
  const budget = new Budget(SMALL);
  const gate = new ReadGate({ roots: [caseDir], budget });
  const result = lint([{ path: path.join(caseDir, root) }], { gate });
  const usage = budget.usage();
  for (const name of BUDGET_NAMES) {
    if (usage[name].spent > usage[name].limit) throw new Error(`${name}: spent ${usage[name].spent} over ${usage[name].limit}`);
  }
  const exceeded = BUDGET_NAMES.filter((n) => usage[n].exceeded);
  const reported = result.findings.filter((f) => f.ruleId === 'budget-exceeded').map((f) => f.message).join('\n');
  for (const name of exceeded) {
    if (!reported.includes(`the ${name} budget`)) throw new Error(`${name} ran out without a budget-exceeded finding`);
  }
  fs.rmSync(caseDir, { recursive: true, force: true });
}

const fanout = fc.integer({ min: 1, max: 6 });
const depth = fc.integer({ min: 1, max: 14 });

describe('amplification stays within the budgets and says so', () => {
  test('Define chains', () => {
    fc.assert(fc.property(depth, fanout, fc.string({ minLength: 1, maxLength: 40 }), (levels, copies, seed) => {
      let conf = `Define V0 "${seed.replace(/["\\\n\r$]/g, 'x')}"\n`;
      for (let i = 1; i <= levels * 2; i++) conf += `Define V${i} "${`\${V${i - 1}}`.repeat(copies)}"\n`;
      conf += `<VirtualHost *:80>\nServerName \${V${levels * 2}}\n</VirtualHost>\n`;
      runCase({ 'site.conf': conf }, 'site.conf');
    }), { numRuns: RUNS, seed: SEED });
  });

  test('macros that use macros', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 7 }), fanout, fc.integer({ min: 1, max: 2000 }), (levels, uses, argLength) => {
      let conf = '<Macro M0 $a>\nServerAlias $a$a\n</Macro>\n';
      for (let i = 1; i <= levels; i++) conf += `<Macro M${i} $a>\n${`Use M${i - 1} $a\n`.repeat(uses + 1)}</Macro>\n`;
      conf += `<VirtualHost *:80>\nServerName x\nUse M${levels} ${'q'.repeat(argLength)}\n</VirtualHost>\n`;
      runCase({ 'site.conf': conf }, 'site.conf');
    }), { numRuns: RUNS, seed: SEED });
  });

  test('include graphs (Apache and uWSGI)', () => {
    fc.assert(fc.property(depth, fanout, fc.boolean(), (levels, ways, ini) => {
      const files: Record<string, string> = {};
      for (let i = 0; i < levels; i++) {
        files[ini ? `f${i}.ini` : `f${i}.conf`] = ini
          ? `[uwsgi]\n${`ini = f${i + 1}.ini\n`.repeat(ways)}`
          : `${`Include f${i + 1}.conf\n`.repeat(ways)}`;
      }
      files[ini ? `f${levels}.ini` : `f${levels}.conf`] = ini ? '[uwsgi]\nprocesses = 2\n' : 'KeepAlive On\n';
      runCase(files, ini ? 'f0.ini' : 'f0.conf');
    }), { numRuns: RUNS, seed: SEED });
  });

  test('placeholders copied and rescanned, for-blocks', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 1, max: 30 }),
      (size, refs, times, keys) => {
        const ini = `[uwsgi]\nmodule = app\nbig = ${'b'.repeat(size)}\nv = ${'%(big)'.repeat(refs)}\n` +
          `for-times = ${times}\n${Array.from({ length: keys }, (_, i) => `k${i} = %(_)%(big)`).join('\n')}\nendfor =\n`;
        runCase({ 'app.ini': ini }, 'app.ini');
      }), { numRuns: Math.ceil(RUNS / 4), seed: SEED });
  });
});
