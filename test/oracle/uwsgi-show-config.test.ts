/**
 * Oracle: for every uWSGI ini in the shared corpus and a few hundred generated ones, the real
 * `uwsgi --show-config` output must equal printResolvedUwsgi(resolveUwsgiIni(...)) byte for byte.
 * When uWSGI exits before printing (missing include, strict mode, nested logic...), deploylint must
 * predict that exit (`fatal`). uWSGI is stopped right after printing by an invalid `--clock`
 * (see uwsgi-cases/run-uwsgi.ts), so nothing binds or forks.
 *
 * Corpus files count as uWSGI inis by content (a `[uwsgi]` header line). Jinja templates (.ini.j2)
 * are included: uWSGI reads them as plain ini text, and their `{% ... %}` lines exercise the
 * magic-variable rules (`%` eats the next character).
 */
import { ReadGate } from '../../lib/input/gate';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { printResolvedUwsgi, resolveUwsgiIni } from '../../lib/resolve/uwsgi-ini';
import { MACHINE_DEPENDENT_SETTER_EXITS, STOP_CLOCK, canIsolateNetwork, ensureUwsgi, pool, runShowConfig, uwsgiBinaryPath, uwsgiVersion } from './uwsgi-cases/run-uwsgi';
import { generateCases, mutateConfig, writeCase } from './uwsgi-cases/generate';
import { recordFigures } from '../integrations/figures';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');
const GENERATED = Number(process.env.UWSGI_ORACLE_CASES ?? 320);

interface OracleCase {
  name: string;
  argument: string;
  cwd: string;
  env: Record<string, string>;
}

function corpusInis(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && fs.statSync(full).size < 1 << 20) {
        if (/^[ \t]*\[uwsgi\][ \t\r]*$/m.test(fs.readFileSync(full, 'latin1'))) out.push(full);
      }
    }
  };
  if (fs.existsSync(CORPUS)) walk(CORPUS);
  return out.sort();
}

const bin = ensureUwsgi();
const skipMessage = 'uwsgi is not installed and could not be installed: the uWSGI oracle test is skipped';
if (!bin && process.env.CI === 'true') throw new Error(`${skipMessage} (a skip is a failure under CI)`);
const maybe = bin ? describe : describe.skip;
if (!bin) console.warn(skipMessage);

maybe('uwsgi --show-config oracle', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-uwsgi-oracle-'));
  // UWSGI_ORACLE_KEEP=1 keeps the generated cases for inspection
  afterAll(() => {
    if (!process.env.UWSGI_ORACLE_KEEP) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('agrees with the real uWSGI on every corpus ini and every generated case', async () => {
    const version = uwsgiVersion(bin!);
    const binaryPath = uwsgiBinaryPath(bin!);
    const pluginDir = '/usr/lib/uwsgi/plugins';
    const availablePlugins = fs.existsSync(pluginDir)
      ? fs.readdirSync(pluginDir).filter((f) => f.endsWith('_plugin.so')).map((f) => f.replace(/_plugin\.so$/, ''))
      : undefined;
    const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const isolate = canIsolateNetwork();
    // Route options exit in their setter when the action's router plugin is not loaded; loading
    // every installed router plugin up front keeps corpus files with routes comparable.
    const routerPlugins = (availablePlugins ?? []).filter((p) => p.startsWith('router_')).sort();
    const commandLineBefore: Array<{ key: string; value: string | null }> = [{ key: 'clock', value: STOP_CLOCK }];
    if (routerPlugins.length) commandLineBefore.push({ key: 'plugins', value: routerPlugins.join(',') });
    commandLineBefore.push({ key: 'show-config', value: null });

    const cases: OracleCase[] = [];
    const corpusCwd = path.join(scratch, 'corpus-cwd');
    fs.mkdirSync(corpusCwd);
    for (const file of corpusInis()) {
      cases.push({ name: path.relative(CORPUS, file), argument: file, cwd: corpusCwd, env: { ...baseEnv } });
    }
    const corpusCount = cases.length;
    // mutants of every corpus ini under the reading hazards (CRLF, BOM, % at a line end, ...)
    corpusInis().forEach((file, i) => {
      for (const m of mutateConfig(fs.readFileSync(file, 'utf8'), 9000 + i)) {
        const dir = path.join(scratch, `mut-${i}-${m.name}`);
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'config.ini'), m.text);
        cases.push({ name: `${path.relative(CORPUS, file)} (${m.name})`, argument: 'config.ini', cwd: dir, env: { ...baseEnv } });
      }
    });
    const mutantEnd = cases.length;
    for (const c of generateCases(GENERATED)) {
      const dir = path.join(scratch, c.name);
      fs.mkdirSync(dir);
      writeCase(dir, c);
      cases.push({ name: c.name, argument: c.argument.replace('@DIR@', dir), cwd: dir, env: { ...baseEnv, ...c.env } });
    }

    const started = Date.now();
    const segmentMismatches: string[] = [];
    const results = await pool(cases, 6, async (c) => {
      const config = resolveUwsgiIni(c.argument, {
        // the oracle mirrors uWSGI itself, which reads wherever the config says
        gate: ReadGate.unrestricted(),
        cwd: c.cwd, env: c.env, availablePlugins,
        runtime: { version, binaryPath, cwd: c.cwd },
        commandLine: { before: commandLineBefore },
      });
      // Never start a config that could get past the stop: one that sets its own clock, or
      // daemonizes (uWSGI forks to the background before it prints the configuration).
      const unsafe = config.exported.find((o) => !o.commandLine && (o.key === 'clock' || o.key === 'daemonize'));
      if (unsafe) throw new Error(`${c.name} sets ${unsafe.key}: the oracle will not run it`);
      const run = await runShowConfig(bin!, c.argument, c.cwd, c.env, routerPlugins, isolate);
      const predicted = config.fatal ? null : printResolvedUwsgi(config);
      // every value is the concatenation of its segments (origins never lose or invent text)
      for (const o of config.options) {
        const joined = o.segments.map((s) => s.text).join('');
        if (joined !== o.uwsgiValue) segmentMismatches.push(`${c.name}: ${o.key} = ${JSON.stringify(o.uwsgiValue)} but segments give ${JSON.stringify(joined)}`);
      }
      const setterExit = run.block === null && predicted !== null && !run.timedOut
        && MACHINE_DEPENDENT_SETTER_EXITS.some((re) => re.test(run.stderr));
      const agree = run.block === predicted;
      return { c, run, predicted, agree, setterExit, fatal: config.fatal?.message };
    });

    const setterExits = results.filter((r) => r.setterExit);
    const disagreements = results.filter((r) => !r.agree && !r.setterExit);
    // counts over the comparable runs of each group
    const bucket = (from: number, to: number): string => {
      const comparable = results.slice(from, to).filter((r) => !r.setterExit);
      return `${comparable.filter((r) => r.agree).length}/${comparable.length}`;
    };
    const fatalCount = results.filter((r) => r.run.block === null && r.agree).length;
    console.log(
      `uwsgi oracle: ${results.length - disagreements.length - setterExits.length}/${results.length - setterExits.length} agree ` +
      `(corpus ${bucket(0, corpusCount)}, corpus mutants ${bucket(corpusCount, mutantEnd)}, generated ${bucket(mutantEnd, results.length)}; ` +
      `${fatalCount} where uWSGI exits before printing and deploylint predicted it) in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `not comparable: ${setterExits.length} where an option setter exits for a machine-dependent reason (${setterExits.map((r) => r.c.name).join(', ')})`,
    );
    recordFigures('uwsgi-oracle', {
      agree: `${results.length - disagreements.length - setterExits.length}/${results.length - setterExits.length}`,
      corpus: bucket(0, corpusCount),
      corpusMutants: bucket(corpusCount, mutantEnd),
      generated: bucket(mutantEnd, results.length),
      exitsPredicted: fatalCount,
      setApart: setterExits.length,
    });
    if (process.env.UWSGI_ORACLE_DUMP) {
      fs.writeFileSync(process.env.UWSGI_ORACLE_DUMP, JSON.stringify(disagreements.map((d) => ({
        name: d.c.name, cwd: d.c.cwd, argument: d.c.argument, env: d.c.env, uwsgi: d.run.block, stderr: d.run.stderr.slice(-2000), code: d.run.code,
        deploylint: d.predicted, fatal: d.fatal,
      })), null, 1));
    }
    for (const d of disagreements.slice(0, 5)) {
      console.log(
        `DISAGREE ${d.c.name} (cwd ${d.c.cwd}, argument ${d.c.argument})\n--- uwsgi${d.run.timedOut ? ' (timed out)' : ''}:\n${d.run.block ?? `(no show-config; exit ${d.run.code})\n${d.run.stderr.slice(-600)}`}\n--- deploylint:\n${d.predicted ?? `(predicted exit: ${d.fatal})`}`,
      );
    }
    expect(disagreements.map((d) => d.c.name)).toEqual([]);
    expect(segmentMismatches.slice(0, 10)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(corpusCount + 200);
  });
});
