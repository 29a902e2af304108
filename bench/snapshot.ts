/**
 * The start-up snapshot experiment (BENCHMARKS.md, "Cold start"): would `node --snapshot-blob` start
 * the CLI faster than the bundle with its code cache? Builds two blobs from dist/deploylint.cjs in a
 * temp dir, with `node --snapshot-blob BLOB --build-snapshot ENTRY` (Node 20: the entry must be one
 * file that requires only built-in modules, which the bundle is), then times, interleaved, bare
 * `node -e 0`, the CLI as shipped, and `node --snapshot-blob BLOB FILE.ini` for each blob:
 *   - "evaluated": the bundle's modules evaluated into the snapshot's heap;
 *   - "warmed": the same after one lint of a small ini file, so the rules, the option table and the
 *     code they ran are in the heap.
 * Prints figures; not part of `npm run bench` (the snapshot is not what ships: a bin script cannot
 * pass --snapshot-blob to the node that runs it, see BENCHMARKS.md).
 *
 *   node dist/bench/snapshot.js [RUNS]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { canMeasureCpu, mean, median, runProcess, runTimed } from './measure';
import { CLI, REPO_ROOT } from './subjects';

const runs = Number(process.argv[2] ?? 31);
const bundle = path.join(REPO_ROOT, 'dist', 'deploylint.cjs');

function entry(bundleText: string, warmIni: string | null): string {
  // The snapshot builder runs the entry as a plain script: no module, exports or __dirname of its own.
  const head = `var module = { exports: {} }, exports = module.exports, __filename = ${JSON.stringify(bundle)}, __dirname = ${JSON.stringify(path.dirname(bundle))};\n`;
  const warm = warmIni
    ? `cli.main(['--format', 'json', ${JSON.stringify(warmIni)}], { cwd: ${JSON.stringify(path.dirname(warmIni))}, env: {}, stdout: { write() {} }, stderr: { write() {} }, readStdin: () => '' });\n`
    : '';
  return `${head}${bundleText}\n;(() => {\nconst cli = module.exports;\n${warm}require('v8').startupSnapshot.setDeserializeMainFunction(() => { process.exitCode = cli.main(process.argv.slice(1)); });\n})();\n`;
}

function main(): void {
  if (!fs.existsSync(bundle)) throw new Error('dist/deploylint.cjs is missing: npm run build');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-snapshot-'));
  try {
    const ini = path.join(tmp, 'app.ini');
    fs.writeFileSync(ini, '[uwsgi]\nsocket = /run/app.sock\nmaster = true\nprocesses = 4\nmodule = app.wsgi\n');
    const text = fs.readFileSync(bundle, 'utf8');
    const blobs: [string, string][] = [];
    for (const [name, warm] of [['evaluated', null], ['warmed', ini]] as const) {
      const file = path.join(tmp, `${name}.js`);
      fs.writeFileSync(file, entry(text, warm));
      const blob = path.join(tmp, `${name}.blob`);
      const r = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', file], { cwd: tmp, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`building the ${name} snapshot failed: ${r.stderr.trim().split('\n').pop()}`);
      blobs.push([name, blob]);
    }
    // the shipped CLI: a first run writes the code cache
    runProcess(process.execPath, [CLI, ini], { cwd: tmp });
    const subjects: [string, string[]][] = [
      ['bare `node -e 0`', ['-e', '0']],
      ['`deploylint FILE.ini` (bundle + code cache, as shipped)', [CLI, ini]],
      ...blobs.map(([name, blob]) => [`\`node --snapshot-blob\` (${name}, ${(fs.statSync(blob).size / 2 ** 20).toFixed(1)} MB blob) FILE.ini`, ['--snapshot-blob', blob, ini]] as [string, string[]]),
    ];
    const wall = subjects.map(() => [] as number[]);
    const cpu = subjects.map(() => [] as number[]);
    for (let i = 0; i < runs; i++) subjects.forEach(([, args], k) => wall[k].push(runProcess(process.execPath, args, { cwd: tmp }).ms));
    if (canMeasureCpu()) {
      for (let i = 0; i < runs; i++) {
        subjects.forEach(([, args], k) => {
          const r = runTimed(process.execPath, args, { cwd: tmp });
          if (r.cpuMs !== null) cpu[k].push(r.cpuMs);
        });
      }
    }
    const bare = median(wall[0]);
    const bareCpu = cpu[0].length ? mean(cpu[0]) : NaN;
    process.stdout.write(`node ${process.version}, ${runs} interleaved runs each\n\n| subject | wall (median) | CPU (mean) |\n|---|---|---|\n`);
    subjects.forEach(([label], k) => {
      const w = median(wall[k]);
      const c = cpu[k].length ? `${mean(cpu[k]).toFixed(1)} ms = ${(mean(cpu[k]) / bareCpu).toFixed(2)}x` : 'n/a';
      process.stdout.write(`| ${label} | ${w.toFixed(1)} ms = ${(w / bare).toFixed(2)}x | ${c} |\n`);
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
