/**
 * deploylint's benchmark: prints a table of figures (not pass/fail) with the goal each is judged
 * against. Every input is generated (seeded) into a fresh temp dir that is removed at the end;
 * nothing else is written.
 *
 *   npm run bench                   full sizes (what BENCHMARKS.md records)
 *   node dist/bench/run.js --quick  a tenth of the sizes, for trying changes
 *   BENCH_RUNS=41                   repetitions of the cold-start measurement (default 31)
 *
 * Every figure of the issue is a row with its goal, each ratio from runs of the same invocation:
 * cold start against `node -e 0`; the CLI against `apache2 -t` on the 50 MB tree and on the
 * many-small-files tree (wall and CPU time, under GNU time); lint() throughput; scaling and peak
 * RSS; the language server's edit latency (bench/lsp-latency.ts, run as a child with --json).
 *   BENCH_TREE_TIMEOUT_S=300        limit of one deploylint run over the 50 MB tree (default 300)
 *   BENCH_SCALING_TIMEOUT_S=600     limit of the 10x deployment run (default 600)
 *   --keep                          leave the temp dir in place (its path is printed) for profiling
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deploymentInputs } from './child';
import * as gen from './generate';
import type { LatencyRow } from './lsp-latency';
import { canMeasureCpu, mbPerSecond, mean, median, nowMs, runProcess, runTimed, timeMs, type TimedRun } from './measure';
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
const COLD_RUNS = Number(process.env.BENCH_RUNS ?? 31);
const DEPLOYMENT_SIZE = Math.round(2000 * scale);
const BIG_FILE_LINES = Math.round(200_000 * scale);
const BIG_BYTES = Math.round(50 * 1024 * 1024 * scale);
const PATHOLOGICAL_BYTES = 1 << 20;
const CHILD_TIMEOUT_MS = 10 * 60 * 1000;
/** The 10x deployment run is killed after this long (a quadratic step would otherwise run for hours). */
const SCALING_TIMEOUT_MS = Number(process.env.BENCH_SCALING_TIMEOUT_S ?? 600) * 1000;

/** One run of deploylint over the 50 MB tree may take this long before it is killed and reported as such. */
const TREE_TIMEOUT_MS = Number(process.env.BENCH_TREE_TIMEOUT_S ?? 300) * 1000;

/** The language-server measurement as a whole (two workspaces, each with and without debounce). */
const LSP_TIMEOUT_MS = 30 * 60 * 1000;

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

/**
 * The language server's latency, measured by bench/lsp-latency.ts (also `npm run bench:lsp`) in a
 * child process that prints its rows as JSON. The goal (a re-lint after a one-line edit in a
 * 2,000-vhost workspace under 50 ms) is judged on the edits without debounce: with the default
 * 150 ms debounce the figure includes the wait by design.
 */
function lspLatency(): void {
  const r = runProcess(process.execPath, [path.join(__dirname, 'lsp-latency.js'), '--json', ...(quick ? ['--quick'] : [])],
    { keepStdout: true, timeout: LSP_TIMEOUT_MS });
  if (r.timedOut) throw new Error(`lsp-latency did not finish within ${fmt(LSP_TIMEOUT_MS / 1000, 0)} s`);
  if (r.status !== 0) throw new Error(`lsp-latency exited ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').pop() ?? ''}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { rows: LatencyRow[] };
  for (const x of out.rows) {
    const judged = x.measurement === 'edit' && x.debounceMs === 0 && x.workspace.startsWith('generated');
    const name = `LSP, ${x.workspace}, ${x.file}, ${x.setting}: ${x.label}`;
    // edits: the spread, and the server's own split of its runs (discovery, lint, publish)
    const spread = x.minMs !== undefined ? ` (${x.spread.replace(/ ms/g, '')}, ms)` : '';
    if (judged) row(name, `${fmt(x.ms)} ms${spread}`, '< 50 ms', x.ms < 50 ? 'met' : verdict(x.ms, 50, 'max', ' ms'));
    else row(name, `${fmt(x.ms)} ms${spread}`);
  }
}

interface HttpdComparison {
  what: string;
  apacheRoot: string;
  serverRoot: string;
  /** What deploylint is given: the root config, or a directory (then it discovers the files). */
  lintTarget: string;
  lintWhat: string;
  lintDescription: string;
  runs: number;
  cwd: string;
  /** Called with httpd's median time, between the httpd runs and deploylint's. */
  between?: (httpdMs: number) => void;
}

/**
 * `apache2 -t` against `deploylint --format json` on the same files, each run `runs` times under GNU
 * time: wall time (the goal: at most httpd's) and CPU time (user + system; steadier on a shared
 * machine), medians. httpd must accept the tree (`Syntax OK`), else the comparison is void.
 */
function againstHttpd(c: HttpdComparison): void {
  const apache2 = apache2Binary();
  if (!apache2) throw new Error('apache2 is not installed');
  const httpd: TimedRun[] = [];
  for (let i = 0; i < c.runs; i++) {
    const r = runTimed(apache2, ['-t', '-f', c.apacheRoot, '-d', c.serverRoot], { cwd: c.cwd, timeout: CHILD_TIMEOUT_MS });
    if (r.status !== 0) throw new Error(`apache2 -t rejected ${c.what}: ${r.stderr.trim().split('\n')[0]}`);
    httpd.push(r);
  }
  const httpdMs = median(httpd.map((r) => r.ms));
  const httpdCpu = cpuMedian(httpd);
  row(`\`apache2 -t\` on ${c.what} (median of ${c.runs})`, `${fmt(httpdMs)} ms${httpdCpu === null ? '' : `; CPU ${fmt(httpdCpu)} ms`}`);
  c.between?.(httpdMs);
  const label = `\`deploylint --format json ${c.lintWhat}\` ${c.lintDescription}`;
  const cli: TimedRun[] = [];
  // Later runs only when the first one is quick enough to repeat.
  for (let i = 0; i < c.runs; i++) {
    const r = runTimed(process.execPath, [subjects.CLI, '--format', 'json', c.lintTarget], { cwd: c.cwd, timeout: TREE_TIMEOUT_MS });
    if (r.timedOut) {
      const ratio = TREE_TIMEOUT_MS / httpdMs;
      row(label, `killed after ${fmt(TREE_TIMEOUT_MS / 1000, 0)} s without finishing = more than ${fmt(ratio, 1)}x apache2 -t`,
        '<= 1x apache2 -t', `missed by more than ${fmt(ratio - 1, 1)}x`);
      return;
    }
    assertCliRan(r, `deploylint on ${c.what}`);
    cli.push(r);
    if (r.ms > 60_000) break;
  }
  const ms = median(cli.map((r) => r.ms));
  const ratio = ms / httpdMs;
  const rss = cli.every((r) => r.maxRssMb !== null) ? `, peak RSS ${fmt(Math.max(...cli.map((r) => r.maxRssMb!)))} MB` : '';
  row(`${label} (median of ${cli.length})`, `${fmt(ms)} ms = ${fmt(ratio, 2)}x apache2 -t${rss}`, '<= 1x apache2 -t', verdict(ratio, 1, 'max', 'x'));
  const cpu = cpuMedian(cli);
  if (cpu !== null && httpdCpu !== null) {
    const cpuRatio = cpu / httpdCpu;
    row('  CPU time of those runs (user + system, median)', `${fmt(cpu)} ms = ${fmt(cpuRatio, 2)}x apache2 -t's ${fmt(httpdCpu)} ms`, '<= 1x apache2 -t', verdict(cpuRatio, 1, 'max', 'x'));
  }
}

function cpuMedian(runs: TimedRun[]): number | null {
  const cpu = runs.map((r) => r.cpuMs).filter((x): x is number => x !== null);
  return cpu.length === runs.length && cpu.length > 0 ? median(cpu) : null;
}

/**
 * The cold single-file run, interleaved with bare `node -e 0` so drift hits every subject alike:
 * the CLI as it ships (the bundle with its V8 code cache, after one first run has written the
 * cache, as a user's first run does), the bundle without the cache, and the compiled tree without
 * the bundle. Wall time of each run as it is; CPU time (user + system) in a second interleaved pass
 * under GNU time, since wall time on a shared machine is noisy.
 */
function coldStart(file: string, cwd: string): void {
  const env = (extra: Record<string, string>) => ({ ...process.env, ...extra });
  const subjects_: { label: string; cmd: string[]; env: NodeJS.ProcessEnv }[] = [
    { label: 'bare `node -e 0`', cmd: ['-e', '0'], env: process.env },
    { label: 'cold `deploylint FILE.ini` (bundle + code cache, as shipped)', cmd: [subjects.CLI, file], env: env({}) },
    { label: '  the bundle without its code cache (DEPLOYLINT_COMPILE_CACHE=0)', cmd: [subjects.CLI, file], env: env({ DEPLOYLINT_COMPILE_CACHE: '0' }) },
    { label: '  unbundled, dist/lib (DEPLOYLINT_UNBUNDLED=1)', cmd: [subjects.CLI, file], env: env({ DEPLOYLINT_UNBUNDLED: '1' }) },
  ];
  const bundle = path.join(subjects.REPO_ROOT, 'dist', 'deploylint.cjs');
  if (!fs.existsSync(bundle)) throw new Error('dist/deploylint.cjs is missing: npm run build bundles the CLI');
  // A first run writes the code cache, as a user's first run does.
  fs.rmSync(`${bundle}.cache`, { force: true });
  assertCliRan(runProcess(process.execPath, [subjects.CLI, file], { cwd }), 'deploylint (first run)');
  if (!fs.existsSync(`${bundle}.cache`)) notes.push('the first CLI run wrote no code cache (dist/ not writable?): the shipped figure is without it');
  const wall = subjects_.map(() => [] as number[]);
  const cpu = subjects_.map(() => [] as number[]);
  for (let i = 0; i < COLD_RUNS; i++) {
    subjects_.forEach((s, k) => {
      const r = runProcess(process.execPath, s.cmd, { cwd, env: s.env });
      assertCliRan(r, s.label);
      wall[k].push(r.ms);
    });
  }
  if (canMeasureCpu()) {
    for (let i = 0; i < COLD_RUNS; i++) {
      subjects_.forEach((s, k) => {
        const r = runTimed(process.execPath, s.cmd, { cwd, env: s.env });
        assertCliRan(r, s.label);
        if (r.cpuMs !== null) cpu[k].push(r.cpuMs);
      });
    }
  }
  const bare = median(wall[0]);
  const bareCpu = cpu[0].length ? mean(cpu[0]) : NaN;
  subjects_.forEach((s, k) => {
    const ms = median(wall[k]);
    const cpuText = cpu[k].length ? `; CPU ${fmt(mean(cpu[k]))} ms${k ? ` = ${fmt(mean(cpu[k]) / bareCpu, 2)}x` : ''} (mean)` : '';
    if (k === 0) {
      row(`${s.label} (median of ${COLD_RUNS})`, `${fmt(ms)} ms${cpuText}`);
      return;
    }
    const ratio = ms / bare;
    const shipped = k === 1;
    row(`${s.label} (median of ${COLD_RUNS})`, `${fmt(ms)} ms = ${fmt(ratio, 2)}x node${cpuText}`,
      shipped ? '<= 1.5x node' : '', shipped ? verdict(ratio, 1.5, 'max', 'x') : '');
  });
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
    attempt('cold CLI run, one ini file', () => coldStart(deployment.iniFiles[1], tmp));

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
      againstHttpd({
        what: `the ${fmt(tree.bytes / 2 ** 20)} MB tree`,
        apacheRoot: tree.root, serverRoot: tree.serverRoot, lintTarget: tree.root, lintWhat: 'ROOT', lintDescription: 'on the same tree',
        runs: quick ? 1 : 3, cwd: tmp,
        between: (httpdMs) => attempt('resolveApacheConfig() on the tree', () => {
          const r = child(['resolve-apache', tree.root]);
          row('  resolveApacheConfig() alone on the tree (fresh process)', `${fmt(r.ms)} ms (${r.files} files read) = ${fmt(r.ms / httpdMs, 2)}x apache2 -t`);
        }),
      });
    });

    // 4b. Many small files: 3,000 one-VirtualHost files and 3,000 ini files, the CLI against httpd.
    attempt('many small files vs apache2 -t', () => {
      const count = Math.round(3000 * scale);
      const small = gen.writeSmallFilesTree(path.join(tmp, 'small-files'), count, SEED + 5);
      againstHttpd({
        what: `the many-small-files Apache tree (${count + 1} files, ${fmt(small.apacheBytes / 2 ** 20, 2)} MB)`,
        apacheRoot: small.apacheRoot, serverRoot: small.apacheServerRoot, lintTarget: small.dir, lintWhat: 'DIR',
        lintDescription: `on that tree and its ${count} uWSGI ini files (${count * 2 + 1} files, ${fmt(small.totalBytes / 2 ** 20, 2)} MB)`,
        runs: quick ? 1 : 3, cwd: tmp,
      });
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

    // 6. The language server: edit -> diagnostics in a workspace, by bench/lsp-latency.ts in its own process.
    attempt('language server latency', () => lspLatency());

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
