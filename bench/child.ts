/**
 * One measurement in a fresh process, so its peak memory (maxRSS) is its own and a parser that
 * loops forever on a pathological input can be killed by the parent's timeout. Prints one JSON line.
 *
 *   node dist/bench/child.js lint-deployment DIR [WARMUP_DIR]
 *   node dist/bench/child.js parse uwsgi-ini|apache FILE...
 *   node dist/bench/child.js lint-file FILE uwsgi-ini|apache
 *   node dist/bench/child.js resolve-apache ROOT
 */
import * as fs from 'fs';
import * as path from 'path';
import { timeMs } from './measure';
import * as subjects from './subjects';

export function deploymentInputs(dir: string): { files: { path: string; kind: string }[]; bytes: number } {
  const iniDir = path.join(dir, 'uwsgi');
  const apacheRoot = path.join(dir, 'apache', 'apache2.conf');
  const inis = fs.readdirSync(iniDir).filter((n) => n.endsWith('.ini')).sort().map((n) => path.join(iniDir, n));
  const sites = path.join(dir, 'apache', 'sites');
  let bytes = fs.statSync(apacheRoot).size + fs.statSync(path.join(iniDir, 'common', 'base.ini')).size;
  for (const f of inis) bytes += fs.statSync(f).size;
  for (const n of fs.readdirSync(sites)) bytes += fs.statSync(path.join(sites, n)).size;
  // Kinds given as the CLI gives them after discovery, so lint() does not read each file twice.
  return { files: [{ path: apacheRoot, kind: 'apache' }, ...inis.map((p) => ({ path: p, kind: 'uwsgi-ini' }))], bytes };
}

function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * When the parent may have to kill this process, a thread records the peak RSS so far (VmHWM) in
 * a file every quarter second: the main thread is busy inside lint() and cannot.
 */
function recordPeakRss(file: string): void {
  const source = `
    const fs = require('fs');
    const file = require('worker_threads').workerData;
    setInterval(() => {
      const m = /VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
      if (m) fs.writeFileSync(file, String(Number(m[1]) / 1024));
    }, 250);`;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Worker } = require('worker_threads') as typeof import('worker_threads');
  new Worker(source, { eval: true, workerData: file }).unref();
}

function main(argv: string[]): void {
  const [mode, ...rest] = argv;
  if (process.env.BENCH_PEAK_RSS_FILE) recordPeakRss(process.env.BENCH_PEAK_RSS_FILE);
  let out: Record<string, unknown>;
  if (mode === 'lint-deployment') {
    const lint = subjects.lint();
    const [dir, warmupDir] = rest;
    if (warmupDir) lint(deploymentInputs(warmupDir).files);
    const { files, bytes } = deploymentInputs(dir);
    let result: { findings: unknown[] } = { findings: [] };
    const ms = timeMs(() => {
      result = lint(files);
    });
    out = { ms, bytes, findings: result.findings.length, maxRssMb: maxRssMb() };
  } else if (mode === 'parse') {
    // One or more files, parsed one after the other; the first pass is cold, up to three more warm.
    const [kind, ...files] = rest;
    // The ini parser leaves files above a size cap (8 Mi chars) unsplit, with a finding; the
    // measurement lifts the cap so it times parsing, and says how many files hit the cap by default.
    const parseIni = kind === 'uwsgi-ini' ? subjects.parseUwsgiIni() : null;
    const parse = parseIni
      ? (text: string, file: string) => parseIni(text, file, { maxChars: Number.MAX_SAFE_INTEGER })
      : subjects.parseApacheConfig();
    const texts = files.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
    const cappedByDefault = parseIni ? texts.filter(({ file, text }) => parseIni(text, file).complete === false).length : 0;
    let findings = 0;
    let unsplit = 0;
    const pass = (): number => timeMs(() => {
      findings = 0;
      unsplit = 0;
      for (const { file, text } of texts) {
        const doc = parse(text, file);
        findings += doc.findings.length;
        if (doc.complete === false) unsplit++;
      }
    });
    const cold = pass();
    const warm: number[] = [];
    const budget = Number(process.env.BENCH_WARM_RUNS ?? 3);
    while (warm.length < budget && cold * (warm.length + 1) < 60_000) warm.push(pass());
    warm.sort((a, b) => a - b);
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t.text), 0);
    out = {
      ms: cold, cold, warm: warm.length ? warm[warm.length >> 1] : cold, warmRuns: warm.length, bytes, findings, unsplit, cappedByDefault,
      maxRssMb: maxRssMb(),
    };
  } else if (mode === 'lint-file') {
    const lint = subjects.lint();
    const [file, kind] = rest;
    let findings = 0;
    const ms = timeMs(() => {
      findings = lint([{ path: file, kind }]).findings.length;
    });
    out = { ms, findings, maxRssMb: maxRssMb() };
  } else if (mode === 'resolve-apache') {
    const resolve = subjects.resolveApacheConfig();
    const [root] = rest;
    let files = 0;
    const ms = timeMs(() => {
      files = resolve(root, {}).files.length;
    });
    out = { ms, files, maxRssMb: maxRssMb() };
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

if (require.main === module) main(process.argv.slice(2));
