/**
 * One measurement in a fresh process, so its peak memory (maxRSS) is its own and a parser that
 * loops forever on a pathological input can be killed by the parent's timeout. Prints one JSON line.
 *
 *   node dist/bench/child.js lint-deployment DIR [WARMUP_DIR]
 *   node dist/bench/child.js parse uwsgi-ini|apache FILE
 *   node dist/bench/child.js resolve-apache ROOT
 */
import * as fs from 'fs';
import * as path from 'path';
import { timeMs } from './measure';
import * as subjects from './subjects';

export function deploymentInputs(dir: string): { files: { path: string }[]; bytes: number } {
  const iniDir = path.join(dir, 'uwsgi');
  const apacheRoot = path.join(dir, 'apache', 'apache2.conf');
  const inis = fs.readdirSync(iniDir).filter((n) => n.endsWith('.ini')).sort().map((n) => path.join(iniDir, n));
  const sites = path.join(dir, 'apache', 'sites');
  let bytes = fs.statSync(apacheRoot).size + fs.statSync(path.join(iniDir, 'common', 'base.ini')).size;
  for (const f of inis) bytes += fs.statSync(f).size;
  for (const n of fs.readdirSync(sites)) bytes += fs.statSync(path.join(sites, n)).size;
  return { files: [{ path: apacheRoot }, ...inis.map((p) => ({ path: p }))], bytes };
}

function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function main(argv: string[]): void {
  const [mode, ...rest] = argv;
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
    const [kind, file] = rest;
    const parse = kind === 'uwsgi-ini' ? subjects.parseUwsgiIni() : subjects.parseApacheConfig();
    const text = fs.readFileSync(file, 'utf8');
    let findings = 0;
    const ms = timeMs(() => {
      findings = parse(text, file).findings.length;
    });
    out = { ms, bytes: Buffer.byteLength(text), findings, maxRssMb: maxRssMb() };
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
