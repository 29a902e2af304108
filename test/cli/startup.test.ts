/**
 * Start-up budget: a cold run of the CLI on one small file costs at most twice `node -e 0`.
 * Measured as CPU time (user + system, start-up included) reported by the child itself, the
 * median of several runs, because wall-clock time on a shared machine mostly measures the
 * neighbours. Wall-clock medians are printed alongside for the record.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BIN, GLANCE_ROUTER_INI, requireBuild, scratch } from './helpers';

const PRELOAD = path.join(__dirname, 'support', 'cpu-report.js');
const RUNS = 15;

function cpuOnce(args: string[], cwd: string): { cpuMs: number; wallMs: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', PRELOAD, ...args], { cwd, stdio: ['ignore', 'ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 30_000 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const reported = (r.output[3] ?? '').trim();
  if (!reported) throw new Error(`no CPU report from node ${args.join(' ')} (status ${r.status})`);
  return { cpuMs: Number(reported) / 1000, wallMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the two commands alternately, so a change in machine load hits both alike. */
function compare(a: string[], b: string[], cwd: string) {
  const runs = { a: [] as { cpuMs: number; wallMs: number }[], b: [] as { cpuMs: number; wallMs: number }[] };
  for (let i = 0; i < RUNS; i++) {
    runs.a.push(cpuOnce(a, cwd));
    runs.b.push(cpuOnce(b, cwd));
  }
  const summary = (xs: { cpuMs: number; wallMs: number }[]) => ({ cpuMs: median(xs.map((x) => x.cpuMs)), wallMs: median(xs.map((x) => x.wallMs)) });
  return { a: summary(runs.a), b: summary(runs.b) };
}

test('a single-file run costs at most 2x node -e 0', () => {
  requireBuild();
  const dir = scratch({ 'glance.ini': GLANCE_ROUTER_INI });
  try {
    cpuOnce([BIN, 'glance.ini'], dir); // warm the page cache: "cold" means a new process, not a cold disk
    const { a: node, b: cli } = compare(['-e', '0'], [BIN, 'glance.ini'], dir);
    const ratio = cli.cpuMs / node.cpuMs;
    console.log(`start-up: node -e 0 ${node.cpuMs.toFixed(1)} ms CPU (${node.wallMs.toFixed(0)} ms wall); deploylint glance.ini ${cli.cpuMs.toFixed(1)} ms CPU (${cli.wallMs.toFixed(0)} ms wall); ratio ${ratio.toFixed(2)}`);
    expect(ratio).toBeLessThanOrEqual(2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
