/**
 * deploylint's benchmark: prints a table of figures (not pass/fail) with the goal each is judged
 * against. Every input is generated (seeded) into a fresh temp dir that is removed at the end;
 * nothing else is written.
 *
 *   npm run bench                   full sizes (what BENCHMARKS.md records)
 *   node dist/bench/run.js --quick  a tenth of the sizes, for trying changes
 *   BENCH_RUNS=31                   repetitions of the cold-start measurement (default 21)
 *   BENCH_TREE_TIMEOUT_S=300        limit of one deploylint run over the 50 MB tree (default 300)
 *   BENCH_SCALING_TIMEOUT_S=600     limit of the 10x deployment run (default 600)
 *   --keep                          leave the temp dir in place (its path is printed) for profiling
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deploymentInputs } from './child';
import * as gen from './generate';
import { mbPerSecond, median, nowMs, runProcess, timeMs } from './measure';
import * as subjects from './subjects';

interface Row {
  measurement: string;
  figure: string;
  goal: string;
  verdict: string;
}

const SEED = 20261122;
const quick = process.argv.includes('--quick');
const keep = process.argv.includes('--keep');
const scale = quick ? 0.1 : 1;
const COLD_RUNS = Number(process.env.BENCH_RUNS ?? 21);
const DEPLOYMENT_SIZE = Math.round(2000 * scale);
const BIG_FILE_LINES = Math.round(200_000 * scale);
const BIG_BYTES = Math.round(50 * 1024 * 1024 * scale);
const PATHOLOGICAL_BYTES = 1 << 20;
const CHILD_TIMEOUT_MS = 10 * 60 * 1000;
/** The 10x deployment run is killed after this long (a quadratic step would otherwise run for hours). */
const SCALING_TIMEOUT_MS = Number(process.env.BENCH_SCALING_TIMEOUT_S ?? 600) * 1000;

/** One run of deploylint over the 50 MB tree may take this long before it is killed and reported as such. */
const TREE_TIMEOUT_MS = Number(process.env.BENCH_TREE_TIMEOUT_S ?? 300) * 1000;

/** Pathological lines also run through lint(): the fragments a resolver or the model scans for. */
const LINTED_PATHOLOGICAL = new Set(['unclosed %(', 'unclosed $(', 'unclosed ${', 'mixed']);

const rows: Row[] = [];
/** The run's temp dir: every file the benchmark writes goes under it. */
let benchDir = os.tmpdir();
const notes: string[] = [];

function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "met" or "missed by X" for a figure against an upper or lower bound. */
function verdict(value: number, goal: number, kind: 'max' | 'min', unit = ''): string {
  if (kind === 'max') return value <= goal ? 'met' : `missed by ${fmt(value - goal, 2)}${unit} (${fmt((value / goal - 1) * 100, 0)}% over)`;
  return value >= goal ? 'met' : `missed by ${fmt(goal - value, 2)}${unit} (${fmt((1 - value / goal) * 100, 0)}% under)`;
}

function row(measurement: string, figure: string, goal = '', v = ''): void {
  rows.push({ measurement, figure, goal, verdict: v });
  process.stderr.write(`  ${measurement}: ${figure}${v ? `  [${v}]` : ''}\n`);
}

/** Run one measurement; a failure becomes a row saying why instead of ending the run. */
function attempt(measurement: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    row(measurement, `unavailable: ${(error as Error).message.split('\n')[0].slice(0, 160)}`);
  }
}

class ChildTimeout extends Error {
  constructor(readonly limitMs: number, readonly peakRssMb: number | null) {
    super(`killed after ${fmt(limitMs / 1000, 0)} s without finishing`);
  }
}

function child(args: string[], timeoutMs = CHILD_TIMEOUT_MS): Record<string, number> {
  const rssFile = path.join(benchDir, 'peak-rss');
  const r = runProcess(process.execPath, [path.join(__dirname, 'child.js'), ...args], {
    keepStdout: true, timeout: timeoutMs, env: { ...process.env, BENCH_PEAK_RSS_FILE: rssFile },
  });
  let peak: number | null = null;
  try {
    peak = Number(fs.readFileSync(rssFile, 'utf8'));
    fs.rmSync(rssFile);
  } catch {
    // the child ended before its first sample
  }
  if (r.timedOut) throw new ChildTimeout(timeoutMs, peak);
  if (r.status !== 0) {
    const lines = r.stderr.trim().split('\n');
    const cause = lines.find((l) => /\b\w*Error\b/.test(l)) ?? lines[0] ?? '';
    throw new Error(`child exited ${r.status ?? r.signal}: ${cause.trim()}`);
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function assertCliRan(r: { status: number | null; signal: string | null; stderr: string; timedOut: boolean }, what: string): void {
  if (r.timedOut) throw new Error(`${what}: timed out`);
  if (r.status !== 0 && r.status !== 1) throw new Error(`${what}: exit ${r.status ?? r.signal}: ${r.stderr.trim().split('\n')[0] ?? ''}`);
}

/**
 * Time `fn` until `max` runs or `budgetMs` is spent (at least `min` runs). Returns the first run
 * (cold: JIT and caches empty) and the median of the later ones (warm), or of all when only one ran.
 */
function repeat(fn: () => void, { min = 2, max = 5, budgetMs = 30_000 } = {}): { cold: number; warm: number; runs: number } {
  const times: number[] = [];
  const start = nowMs();
  while (times.length < max && (times.length < min || nowMs() - start < budgetMs)) times.push(timeMs(fn));
  const warmRuns = times.length > 1 ? times.slice(1) : times;
  return { cold: times[0], warm: median(warmRuns), runs: warmRuns.length };
}

function machine(): string {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  return `${os.cpus().length} CPUs (${cpu}), ${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM, node ${process.version}, ${os.type()} ${os.release()}`;
}

function apache2Binary(): string | null {
  for (const p of ['/usr/sbin/apache2', '/usr/sbin/httpd']) if (fs.existsSync(p)) return p;
  return null;
}

function main(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-bench-'));
  benchDir = tmp;
  // Ctrl-C lands between measurements (spawnSync holds the loop while a child runs): remove the inputs.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
      process.exit(130);
    });
  }
  const started = nowMs();
  process.stderr.write(`deploylint bench${quick ? ' (--quick: a tenth of the sizes)' : ''} in ${tmp}\n`);
  try {
    process.stderr.write('generating inputs...\n');
    const deployment = gen.writeDeployment(path.join(tmp, 'deploy-1x'), DEPLOYMENT_SIZE, SEED);
    const warmup = gen.writeDeployment(path.join(tmp, 'deploy-warmup'), 100, SEED + 1);

    // 1. Cold start of the CLI on one ini file against bare node, interleaved so drift hits both.
    attempt('cold CLI run, one ini file', () => {
      const file = deployment.iniFiles[1];
      const bare: number[] = [];
      const cli: number[] = [];
      for (let i = 0; i < COLD_RUNS; i++) {
        bare.push(runProcess(process.execPath, ['-e', '0']).ms);
        const r = runProcess(process.execPath, [subjects.CLI, file], { cwd: tmp });
        assertCliRan(r, 'deploylint');
        cli.push(r.ms);
      }
      const ratio = median(cli) / median(bare);
      row(`bare \`node -e 0\` (median of ${COLD_RUNS})`, `${fmt(median(bare))} ms`);
      row(`cold \`deploylint FILE.ini\` (median of ${COLD_RUNS})`, `${fmt(median(cli))} ms = ${fmt(ratio, 2)}x node`, '<= 2x node', verdict(ratio, 2, 'max', 'x'));
    });

    // 2. In-process throughput of lint(): parse + resolve + model + all rules.
    const lint = (() => {
      try {
        return subjects.lint();
      } catch (error) {
        row('lint() throughput', `unavailable: ${(error as Error).message}`);
        return null;
      }
    })();
    if (lint) {
      attempt(`lint() on deployment (${DEPLOYMENT_SIZE} vhosts + ${DEPLOYMENT_SIZE} ini)`, () => {
        const { files, bytes } = deploymentInputs(deployment.dir);
        let findings = 0;
        const t = repeat(() => {
          findings = lint(files).findings.length;
        }, { max: 6 });
        const rate = mbPerSecond(bytes, t.warm);
        row(`lint() deployment ${DEPLOYMENT_SIZE}+${DEPLOYMENT_SIZE} files, ${fmt(bytes / 2 ** 20, 2)} MB (${findings} findings)`,
          `${fmt(t.warm)} ms warm (median of ${t.runs}; first run ${fmt(t.cold)} ms) = ${fmt(rate)} MB/s`, '>= 50 MB/s', verdict(rate, 50, 'min', ' MB/s'));
      });
      attempt(`lint() on one ${BIG_FILE_LINES}-line Apache config`, () => {
        const dir = path.join(tmp, 'big-file');
        fs.mkdirSync(path.join(dir, 'run'), { recursive: true });
        const file = path.join(dir, 'httpd.conf');
        fs.writeFileSync(file, gen.apacheSingleFile(BIG_FILE_LINES, SEED + 2, dir, path.join(dir, 'run')));
        const bytes = fs.statSync(file).size;
        let findings = 0;
        const t = repeat(() => {
          findings = lint([{ path: file }]).findings.length;
        }, { max: 4 });
        const rate = mbPerSecond(bytes, t.warm);
        row(`lint() one Apache file, ${BIG_FILE_LINES} lines, ${fmt(bytes / 2 ** 20, 2)} MB (${findings} findings)`,
          `${fmt(t.warm)} ms warm (median of ${t.runs}; first ${fmt(t.cold)} ms) = ${fmt(rate)} MB/s`, '>= 50 MB/s', verdict(rate, 50, 'min', ' MB/s'));
      });
    }

    // 3. Parsers alone.
    attempt('uWSGI ini parser alone', () => {
      const file = path.join(tmp, 'large.ini');
      fs.writeFileSync(file, gen.largeIni(BIG_BYTES, SEED + 3));
      const r = child(['parse', 'uwsgi-ini', file]);
      const cap = r.cappedByDefault ? ', size cap lifted: by default the file is kept unsplit with a file-too-large finding' : '';
      row(`ini parser alone, ${fmt(r.bytes / 2 ** 20)} MB ini (fresh process${cap})`,
        `${fmt(r.warm)} ms warm (median of ${r.warmRuns}; first ${fmt(r.cold)} ms) = ${fmt(mbPerSecond(r.bytes, r.warm))} MB/s` +
        (r.unsplit ? ` (NOT SPLIT: ${r.unsplit} file over the cap even so)` : ''));
      fs.rmSync(file);
    });
    const tree = gen.writeApacheTree(path.join(tmp, 'apache-tree'), BIG_BYTES, SEED + 4);
    attempt('Apache parser alone', () => {
      const r = child(['parse', 'apache', ...tree.files]);
      row(`Apache parser alone, ${fmt(tree.bytes / 2 ** 20)} MB tree (${tree.files.length} files, fresh process)`,
        `${fmt(r.warm)} ms warm (median of ${r.warmRuns}; first ${fmt(r.cold)} ms) = ${fmt(mbPerSecond(tree.bytes, r.warm))} MB/s`);
    });

    // 4. The same tree through httpd's own config check.
    attempt('deploylint vs apache2 -t', () => {
      const apache2 = apache2Binary();
      if (!apache2) throw new Error('apache2 is not installed');
      const runs = quick ? 1 : 3;
      const httpd: number[] = [];
      for (let i = 0; i < runs; i++) {
        const r = runProcess(apache2, ['-t', '-f', tree.root, '-d', tree.serverRoot], { cwd: tmp, timeout: CHILD_TIMEOUT_MS });
        if (r.status !== 0) throw new Error(`apache2 -t rejected the generated tree: ${r.stderr.trim().split('\n')[0]}`);
        httpd.push(r.ms);
      }
      row(`\`apache2 -t\` on the ${fmt(tree.bytes / 2 ** 20)} MB tree (median of ${runs})`, `${fmt(median(httpd))} ms`);
      attempt('resolveApacheConfig() on the tree', () => {
        const r = child(['resolve-apache', tree.root]);
        row('  resolveApacheConfig() alone on the tree (fresh process)', `${fmt(r.ms)} ms (${r.files} files read) = ${fmt(r.ms / median(httpd), 2)}x apache2 -t`);
      });
      // Later runs only when the first one is quick enough to repeat.
      const cli: number[] = [];
      for (let i = 0; i < runs; i++) {
        const r = runProcess(process.execPath, [subjects.CLI, '--format', 'json', tree.root], { cwd: tmp, timeout: TREE_TIMEOUT_MS });
        if (r.timedOut) {
          const ratio = TREE_TIMEOUT_MS / median(httpd);
          row('`deploylint --format json ROOT` on the same tree', `killed after ${fmt(TREE_TIMEOUT_MS / 1000, 0)} s without finishing = more than ${fmt(ratio, 1)}x apache2 -t`,
            '<= 1x apache2 -t', `missed by more than ${fmt(ratio - 1, 1)}x`);
          return;
        }
        assertCliRan(r, 'deploylint on the tree');
        cli.push(r.ms);
        if (r.ms > 60_000) break;
      }
      const ratio = median(cli) / median(httpd);
      row(`\`deploylint --format json ROOT\` on the same tree (median of ${cli.length})`, `${fmt(median(cli))} ms = ${fmt(ratio, 2)}x apache2 -t`,
        '<= 1x apache2 -t', verdict(ratio, 1, 'max', 'x'));
    });

    // 5. Scaling and peak memory, each in a fresh process after the same small warm-up.
    attempt('scaling 1x -> 10x', () => {
      process.stderr.write('generating the 10x deployment...\n');
      const big = gen.writeDeployment(path.join(tmp, 'deploy-10x'), DEPLOYMENT_SIZE * 10, SEED);
      const one = child(['lint-deployment', deployment.dir, warmup.dir]);
      row(`lint() 1x deployment (${DEPLOYMENT_SIZE}+${DEPLOYMENT_SIZE} files, fresh process)`, `${fmt(one.ms)} ms, peak RSS ${fmt(one.maxRssMb)} MB`);
      const label = `lint() 10x deployment (${DEPLOYMENT_SIZE * 10}+${DEPLOYMENT_SIZE * 10} files, ${fmt(big.totalBytes / 2 ** 20)} MB)`;
      let ten: Record<string, number>;
      try {
        ten = child(['lint-deployment', big.dir, warmup.dir], SCALING_TIMEOUT_MS);
      } catch (error) {
        if (!(error instanceof ChildTimeout)) throw error;
        const ratio = error.limitMs / one.ms;
        row(label, `${error.message} = more than ${fmt(ratio, 1)}x the 1x time`, '<= 11x', `missed by more than ${fmt(ratio - 11, 1)}x`);
        const peak = error.peakRssMb;
        row('peak RSS of the 10x run', peak === null ? 'unknown (killed)' : `at least ${fmt(peak)} MB when killed`, '< 300 MB',
          peak !== null && peak >= 300 ? verdict(peak, 300, 'max', ' MB') : 'unknown: the run did not finish');
        return;
      }
      const ratio = ten.ms / one.ms;
      row(label, `${fmt(ten.ms)} ms = ${fmt(ratio, 2)}x the 1x time`, '<= 11x', verdict(ratio, 11, 'max', 'x'));
      row('peak RSS of the 10x run', `${fmt(ten.maxRssMb)} MB`, '< 300 MB', ten.maxRssMb < 300 ? 'met' : verdict(ten.maxRssMb, 300, 'max', ' MB'));
    });

    // 6. One 1 MB line per parser, built from fragments that open things they never close.
    for (const [kind, fragments, prefix] of [
      ['uwsgi-ini', gen.INI_PATHOLOGICAL, '[uwsgi]\na = '],
      ['apache', gen.APACHE_PATHOLOGICAL, 'Define a '],
    ] as const) {
      for (const [name, fragment] of Object.entries(fragments)) {
        attempt(`${kind} 1 MB line of ${name}`, () => {
          const file = path.join(tmp, `pathological-${kind}.txt`);
          fs.writeFileSync(file, gen.pathologicalLine(prefix, fragment, PATHOLOGICAL_BYTES));
          const r = child(['parse', kind, file], 120_000);
          row(`${kind} parser, 1 MB line of ${name} (first parse)`, `${fmt(r.cold)} ms (${r.findings} findings)`);
          if (!LINTED_PATHOLOGICAL.has(name)) return;
          // The whole pipeline too: resolution, model and rules see the same line.
          try {
            const l = child(['lint-file', file, kind], 120_000);
            row(`  lint() of that file`, `${fmt(l.ms)} ms (${l.findings} findings)`);
          } catch (error) {
            row(`  lint() of that file`, (error as Error).message);
          }
        });
      }
    }
  } finally {
    if (keep) notes.push(`inputs kept in ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
  notes.push(`machine: ${machine()}`);
  notes.push(`total bench time ${fmt((nowMs() - started) / 1000)} s`);
  printTable();
}

function printTable(): void {
  const header: Row = { measurement: 'Measurement', figure: 'Figure', goal: 'Goal', verdict: 'Verdict' };
  const all = [header, ...rows];
  const widths = (['measurement', 'figure', 'goal', 'verdict'] as const).map((k) => Math.max(...all.map((r) => r[k].length)));
  const line = (r: Row): string => `| ${r.measurement.padEnd(widths[0])} | ${r.figure.padEnd(widths[1])} | ${r.goal.padEnd(widths[2])} | ${r.verdict.padEnd(widths[3])} |`;
  const out = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line), '', ...notes];
  process.stdout.write(out.join('\n') + '\n');
}

main();
