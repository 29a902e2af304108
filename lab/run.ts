/**
 * `npm run lab`: runs every scenario against live servers, checks deploylint against the outcomes,
 * then fixes every setup whose failure has a fix and probes it again (lab/fix.ts), prints both tables,
 * writes lab/results.md, and ends with two lines: `lab agreement: N/M scenarios` and
 * `fix agreement: N/M scenarios`. Exit code 0 only when every scenario agrees on both.
 *
 * Options: `--only SUBSTRING` runs the setups whose id contains it (results.md is then not written);
 * `--concurrency N` (default 4).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { agreementLine, consoleTable, contradictions, fixAgreementLine, fixConsoleTable, judge, judgeFixes, resultsMarkdown } from './agreement';
import { runFixLab } from './fix';
import { ensureServers, repoRoot } from './harness';
import { runLab } from './lab';
import { SETUPS, scenarioCount } from './scenarios';

const REPO_ROOT = repoRoot();

export function serverVersions(): string {
  const version = (cmd: string, args: string[], pattern: RegExp) => {
    try {
      const text = execFileSync(cmd, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
      return pattern.exec(text)?.[1] ?? '?';
    } catch {
      return '?';
    }
  };
  const pkg = (name: string) => version('dpkg-query', ['-W', '-f', '${Version}', name], /(.+)/);
  return `apache2 ${pkg('apache2')}, uwsgi-core ${pkg('uwsgi-core')}, libapache2-mod-wsgi-py3 ${pkg('libapache2-mod-wsgi-py3')}`;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const concurrency = args.includes('--concurrency') ? Number(args[args.indexOf('--concurrency') + 1]) : 4;
  const missing = ensureServers();
  if (missing) {
    if (process.env.CI === 'true') throw new Error(`lab cannot run: ${missing}`);
    console.log(`lab skipped: ${missing}`);
    console.log(`lab agreement: 0/${scenarioCount()} scenarios`);
    console.log('fix agreement: 0/0 scenarios');
    return 1;
  }
  const setups = only ? SETUPS.filter((s) => s.id.includes(only)) : SETUPS;
  const started = Date.now();
  console.error(`lab: ${setups.length} setups, ${scenarioCount(setups)} scenarios, ${concurrency} at a time`);
  const results = await runLab(setups, REPO_ROOT, concurrency, (r) => {
    console.error(`  ${r.setup.id}: ${r.scenarios.map((s) => `${s.probe.name ?? s.probe.kind}=${s.outcome}`).join(' ')} (${(r.elapsedMs / 1000).toFixed(1)} s)`);
  });
  const fixed = await runFixLab(results, REPO_ROOT, concurrency, (r) => {
    console.error(`  fixed ${r.setup.id}: ${r.fix.applied.map((a) => a.ruleId).join(', ') || 'nothing'} -> ${r.scenarios.map((s) => `${s.probe.name ?? s.probe.kind}=${s.outcome}`).join(' ')} (${(r.elapsedMs / 1000).toFixed(1)} s)`);
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const verdicts = judge(results);
  const fixVerdicts = judgeFixes(results, fixed);
  console.log(consoleTable(verdicts));
  console.log(`\n${fixConsoleTable(fixVerdicts)}`);
  const contra = contradictions(results);
  if (contra.length) {
    console.log(`\nlive outcomes that differ from the facts files (${contra.length}):`);
    for (const s of contra) console.log(`  ${s.id}: predicted ${s.probe.predicted}, live ${s.outcome} (${s.detail})`);
  }
  const retried = results.flatMap((r) => r.scenarios).filter((s) => s.firstAttempt);
  for (const s of retried) console.log(`  retried ${s.id}: first attempt ${s.firstAttempt}, then ${s.outcome} (${s.detail})`);
  if (!only) {
    const markdown = resultsMarkdown(results, verdicts, { date: new Date().toISOString().slice(0, 10), seconds, versions: serverVersions() }, { verdicts: fixVerdicts, fixed });
    fs.writeFileSync(path.join(REPO_ROOT, 'lab', 'results.md'), markdown);
  }
  console.log(`lab time: ${seconds} s`);
  console.log(agreementLine(verdicts));
  console.log(fixAgreementLine(fixVerdicts));
  return verdicts.every((v) => v.agrees) && fixVerdicts.every((v) => v.agrees) ? 0 : 1;
}

if (require.main === module) {
  main().then((code) => { process.exitCode = code; }, (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exitCode = 2;
  });
}
