/**
 * The lint run: gather files (or stdin), lint them in groups that share a configuration (lint()
 * applies severities and inline suppressions), apply the baseline, write the report, and decide the
 * exit status.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../core/finding';
import { SEVERITY_RANK } from '../core/finding';
import type { EffectiveConfig } from '../config/types';
import { lintSettings } from '../config/load';
import { discover, globMatcher, InputError, type DiscoveredFile } from '../input/discover';
import { splitSection } from '../input/file-arg';
import { detectInputKind } from '../input/kind';
import { UsageError } from './errors';
import type { SkipSummary } from '../format/types';
import type { FileReport, LintInputFile } from '../lint';
import type { CliArgs } from './args';
import type { Configs } from './configs';
import { resolveConfigs } from './configs';
import { colorLevel, Progress, type CliIO } from './io';
import { decodeBytes } from '../core/text';
import type { ReadGate } from '../input/gate';
import { makeGate } from './gate';
import { packageInfo } from './package-info';
import { checkFixOptions, writeDiff } from './fix-flags';

type TextOf = (file: string) => string | undefined;

export function lintCommand(args: CliArgs, io: CliIO): number {
  const { isFormatName } = require('../format') as typeof import('../format');
  const formatName = args.format ?? 'stylish';
  if (!isFormatName(formatName)) throw new UsageError(`--format ${formatName}: expected stylish, gcc, json, sarif, github or checkstyle`);
  if (args.stdin && args.positionals.length > 0) throw new UsageError('--stdin reads one file from standard input: give no paths with it');
  if (args.context.length > 0 && args.stdin) throw new UsageError('--context lints named files with their deployment: give the files as paths, not on standard input');
  if (args.stdinFilename && !args.stdin) throw new UsageError('--stdin-filename needs --stdin');
  if (args.writeBaseline && args.baseline) throw new UsageError('--write-baseline and --baseline cannot be used together');
  const fixMode = checkFixOptions(args);
  const configs = resolveConfigs(args, io);
  // DEPLOYLINT_PROGRESS_AFTER_MS exists for tests; users get the one-second default.
  const progressAfter = Number(io.env.DEPLOYLINT_PROGRESS_AFTER_MS ?? 1000);
  const progress = new Progress(io.stderr, Number.isFinite(progressAfter) ? progressAfter : 1000);

  if (args.printConfig) return printConfig(args, io, configs);

  // One read gate for the whole run: discovery and every lint() group read through it and spend
  // from its budgets. Its roots are the paths given and --allow-read; nothing in the tree widens them.
  const gate = makeGate(args, io, readRootsOf([...args.positionals, ...args.context], io.cwd, !!args.stdin));
  const gathered = gatherInputs(args, io, configs, progress, gate);
  const { skipped } = gathered;
  // as ESLint: a directory or glob that yields no config is an error; a file named and skipped is not
  if (gathered.inputs.length === 0 && !args.stdin && !args.allowNoFiles && !args.positionals.some((p) => isFile(path.resolve(io.cwd, splitSection(p).file)))) {
    const where = args.positionals.length ? args.positionals.join(', ') : '.';
    const why = (require('../format/util') as typeof import('../format/util')).skipSummaryLines(skipped).join(' ');
    throw new InputError(`no uWSGI ini file or Apache config found in ${where}${why ? ` (${why.replace(/\.$/, '')})` : ''}; use --no-error-on-unmatched-pattern to allow that`);
  }
  // --context: the named files are linted with the deployment they belong to, reported on alone
  const named = args.context.length > 0 ? new Set(gathered.inputs.map((f) => path.resolve(io.cwd, f.path))) : null;
  const inputs = named ? withContext(gathered.inputs, args, io, configs, progress, gate) : gathered.inputs;
  const texts = new Map<string, string | undefined>(inputs.map((f) => [f.path, f.text]));
  // With --fix the texts are the fixed ones (read through the fix run's gate, written or not).
  let readGate: ReadGate = gate;
  const textOf: TextOf = (file) => {
    if (!texts.has(file)) {
      const read = readGate.readFile(path.resolve(io.cwd, file));
      texts.set(file, read.ok ? decodeBytes(read.bytes).text : undefined);
    }
    return texts.get(file);
  };
  const notes: string[] = [];
  const fixNotes: string[] = [];
  let fixRun: import('../fix').FixRunResult<ReturnType<typeof lintInGroups>> | undefined;
  if (fixMode) {
    const { fixRun: run } = require('../fix') as typeof import('../fix');
    fixRun = run({
      mode: fixMode, unsafe: args.unsafeFixes, gate, cwd: io.cwd,
      // with --context, only the named files are fixed; the deployment around them is read only
      given: named ? [...named] : inputs.map((f) => path.resolve(io.cwd, f.path)),
      lint: (fixGate) => lintInGroups({ args, io, configs, progress, gate: fixGate }, inputs, [], named),
    });
    readGate = fixRun.gate;
    // the texts discovery read are those before the fixes: read the fixed ones instead
    texts.clear();
    for (const note of fixRun.notes) fixNotes.push(note);
  }
  const linted = fixRun ? fixRun.round : lintInGroups({ args, io, configs, progress, gate }, inputs, notes, named);
  // what was read, by kind and template engine: for people (the JSON and SARIF list the files)
  if (formatName === 'stylish') notes.push(checkedSummary(linted.reports));
  if (linted.suppressed > 0) notes.push(`${linted.suppressed} finding(s) suppressed by inline comments.`);
  let findings = applyBaselineOptions(args, io, linted.findings, linted.reports, textOf, notes);
  if (args.quiet) findings = findings.filter((f) => f.severity === 'error');
  progress.update(`deploylint: formatting ${findings.length} finding(s)…`);
  progress.done();
  if (fixRun && fixMode === 'diff') {
    writeDiff(args, io, fixRun.diff, skipped, [...notes, ...fixNotes]);
    return finish(findings, args, io);
  }
  // only the presentation of fixes: the fix machinery (and the template layer it uses) loads with --fix
  const { presentFixes } = require('../fix/present') as typeof import('../fix/present');
  const given = new Map(inputs.map((f) => [path.resolve(io.cwd, f.path), f.path]));
  findings = presentFixes(findings, (file) => textOf(given.get(path.resolve(io.cwd, file)) ?? file), (file) => given.get(path.resolve(io.cwd, file)) ?? file);
  writeReport(formatName, args, io, { findings, reports: linted.reports, skipped, notes: [...notes, ...fixNotes], textOf, fixes: fixRun?.summary });
  return finish(findings, args, io);
}

/** The exit status; when --max-warnings is what fails the run, say so (as ESLint does). */
function finish(findings: Finding[], args: CliArgs, io: CliIO): number {
  const code = exitCode(findings, args);
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (args.maxWarnings !== undefined && warnings > args.maxWarnings) {
    io.stderr.write(`deploylint found too many warnings (${warnings}; maximum: ${args.maxWarnings}).\n`);
  }
  return code;
}

/**
 * The named files and, from the --context paths, the files of the deployment around them: read and
 * linked, and reported on only where a finding involves a named file (see lintInGroups).
 */
function withContext(named: DiscoveredFile[], args: CliArgs, io: CliIO, configs: Configs, progress: Progress, gate: ReadGate): DiscoveredFile[] {
  const around = gatherInputs({ ...args, positionals: args.context }, io, configs, progress, gate).inputs;
  const seen = new Set(named.map((f) => `${path.resolve(io.cwd, f.path)}:${f.section ?? ''}`));
  const out = [...named];
  for (const f of around) {
    const key = `${path.resolve(io.cwd, f.path)}:${f.section ?? ''}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ ...f, explicit: false });
    }
  }
  return out;
}

/** Does a finding involve one of the named files (where it is, or a location it relates)? */
function involves(f: Finding, named: Set<string>, cwd: string): boolean {
  if (named.has(path.resolve(cwd, f.location.file))) return true;
  return (f.related ?? []).some((r) => named.has(path.resolve(cwd, r.location.file)));
}

function printConfig(args: CliArgs, io: CliIO, configs: Configs): number {
  const first = args.stdin ? undefined : args.positionals[0];
  const dir = first ? dirOf(path.resolve(io.cwd, splitSection(first).file)) : io.cwd;
  const config = configs.configFor(dir);
  const { resolveTargets } = require('../knowledge/targets') as typeof import('../knowledge/targets');
  // The versions rules will check against: the built-in defaults under what was configured.
  io.stdout.write(JSON.stringify({ ...config, effectiveTargets: resolveTargets(config.targets) }, null, 2) + '\n');
  return 0;
}

function gatherInputs(args: CliArgs, io: CliIO, configs: Configs, progress: Progress, gate: ReadGate): { inputs: DiscoveredFile[]; skipped?: SkipSummary } {
  if (args.stdin) {
    const name = args.stdinFilename ?? '<stdin>';
    const text = io.readStdin().replace(/^\uFEFF/, '');
    const { file, section } = splitSection(name);
    const kind = detectInputKind(name, text) ?? undefined;
    return { inputs: [{ path: file, text, section, kind: kind as DiscoveredFile['kind'], explicit: true }] };
  }
  const matchers = new Map<string, (abs: string, isDir: boolean) => boolean>();
  const discovered = discover(args.positionals, {
    cwd: io.cwd,
    gate,
    ignore: args.ignorePatterns,
    isIgnored: (abs, isDir) => {
      const loaded = configs.loadedFor(path.dirname(abs));
      if (!loaded.file || !loaded.config.ignore?.length) return false;
      let m = matchers.get(loaded.file);
      if (!m) matchers.set(loaded.file, (m = globMatcher(loaded.config.ignore, path.dirname(loaded.file))));
      return m(abs, isDir);
    },
    onProgress: (n) => progress.update(`deploylint: searching… ${n} paths`),
  });
  return { inputs: discovered.files, skipped: { byReason: discovered.skippedByReason, unreadable: discovered.unreadable } };
}

/** What one lint run of the CLI shares between its steps. */
interface LintRun {
  args: CliArgs;
  io: CliIO;
  configs: Configs;
  progress: Progress;
  gate: ReadGate;
}

/**
 * One lint() per deployment group (lib/input/groups.ts): the config's `deployments`, the repository
 * a file is in, the config file that applies, else the whole run. Only files of one group are linked.
 */
function lintInGroups({ args, io, configs, progress, gate }: LintRun, inputs: DiscoveredFile[], notes: string[], named: Set<string> | null) {
  const { groupFiles } = require('../input/groups') as typeof import('../input/groups');
  const groups = args.stdin
    ? [{ name: 'standard input', reason: 'run' as const, configFile: configs.loadedFor(io.cwd).file, files: inputs }]
    : groupFiles(inputs, {
      cwd: io.cwd,
      roots: gate.roots,
      configFileFor: (dir) => configs.loadedFor(dir).file,
      deploymentsFor: (file) => configs.loadedFor(path.dirname(file)).config.deployments,
    }).filter((g) => !named || g.files.some((f) => named.has(path.resolve(io.cwd, f.path))));
  if (named) {
    const around = groups.reduce((n, g) => n + g.files.filter((f) => !named.has(path.resolve(io.cwd, f.path))).length, 0);
    notes.push(`Linked with ${around} file${around === 1 ? '' : 's'} of their deployment from ${args.context.join(', ')} (findings shown where they involve a named file).`);
  }
  if (groups.length > 1) {
    const why = { deployments: 'deployments in the config', repository: 'repository', config: 'its own config file', run: 'the rest of the run' };
    notes.push(`Linked as ${groups.length} separate deployments (only files of one are linked): ${groups.map((g) => `${g.name} (${why[g.reason]}, ${g.files.length} file${g.files.length === 1 ? '' : 's'})`).join('; ')}.`);
  }
  const { lint } = (require('./modules') as typeof import('./modules')).lintModule();
  const findings: Finding[] = [];
  const reports: FileReport[] = [];
  let suppressed = 0;
  let groupIndex = 0;
  for (const { files } of groups) {
    const config = configs.configFor(args.stdin ? io.cwd : path.dirname(path.resolve(io.cwd, files[0].path)));
    progress.update(`deploylint: linting ${files.length} file(s), group ${++groupIndex}/${groups.length}…`);
    // Only standard input is handed over as text; the parsers read files from disk themselves.
    const lintFiles: LintInputFile[] = files.map((f) => ({
      path: f.path, kind: f.kind, ...(f.template !== undefined ? { template: f.template } : {}),
      ...(args.stdin ? { text: f.text } : {}), ...(f.section ? { section: f.section } : {}),
    }));
    const result = lint(lintFiles, {
      ...lintSettings(config),
      gate,
      hostFacts: args.hostFacts,
      inlineSuppressions: args.inlineSuppressions,
      cwd: io.cwd,
    });
    for (const f of result.findings) if (!named || involves(f, named, io.cwd)) findings.push(f);
    for (const r of result.files) if (!named || named.has(path.resolve(io.cwd, r.path))) reports.push(r);
    suppressed += result.suppressed;
  }
  return { findings, reports, suppressed };
}

/** What the run read, by kind: `Checked 12 files: 7 Apache configs, 4 uWSGI ini files, 1 systemd unit (9 templates: 8 Jinja2, 1 ERB).` */
function checkedSummary(reports: FileReport[]): string {
  const names: Record<string, [string, string]> = {
    apache: ['Apache config', 'Apache configs'], 'uwsgi-ini': ['uWSGI ini file', 'uWSGI ini files'],
    'systemd-unit': ['systemd unit', 'systemd units'], supervisor: ['supervisor program file', 'supervisor program files'],
    'shell-script': ['shell script writing configs', 'shell scripts writing configs'],
  };
  const byKind = new Map<string, number>();
  const engines = new Map<string, number>();
  let templates = 0;
  for (const r of reports) {
    byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
    if (r.template) {
      templates++;
      for (const e of r.template.engines) engines.set(e, (engines.get(e) ?? 0) + 1);
    }
  }
  const engineNames: Record<string, string> = { jinja2: 'Jinja2', 'go-template': 'Go/Helm', erb: 'ERB', epp: 'EPP', devstack: 'devstack %VAR%', autoconf: 'autoconf @VAR@', shell: 'shell ${VAR}' };
  const kinds = [...byKind].map(([k, n]) => `${n} ${names[k]?.[n === 1 ? 0 : 1] ?? k}`).join(', ');
  const tpl = templates > 0 ? ` (${templates} template${templates === 1 ? '' : 's'}: ${[...engines].map(([e, n]) => `${n} ${engineNames[e] ?? e}`).join(', ')})` : '';
  // what the scripts write: `(writing 2 uWSGI ini files, 3 Apache configs)`
  const written = new Map<string, number>();
  for (const r of reports) for (const w of r.writes ?? []) written.set(w.kind, (written.get(w.kind) ?? 0) + 1);
  const writes = written.size ? ` (writing ${[...written].map(([k, n]) => `${n} ${names[k]?.[n === 1 ? 0 : 1] ?? k}`).join(', ')})` : '';
  return `Checked ${reports.length} file${reports.length === 1 ? '' : 's'}${reports.length ? `: ${kinds}${tpl}${writes}` : ''}.`;
}

/** --write-baseline records everything and reports nothing; --baseline hides what it records. */
function applyBaselineOptions(args: CliArgs, io: CliIO, findings: Finding[], reports: FileReport[], textOf: TextOf, notes: string[]): Finding[] {
  if (args.writeBaseline) {
    const { fingerprints, writeBaseline } = require('../baseline') as typeof import('../baseline');
    const target = path.resolve(io.cwd, args.writeBaseline);
    writeBaseline(target, fingerprints(findings, { textOf, cwd: io.cwd, baselineDir: path.dirname(target) }));
    io.stderr.write(`deploylint: wrote ${findings.length} baseline entr${findings.length === 1 ? 'y' : 'ies'} to ${args.writeBaseline}\n`);
    return [];
  }
  if (!args.baseline) return findings;
  const { applyBaseline, readBaseline } = require('../baseline') as typeof import('../baseline');
  const file = path.resolve(io.cwd, args.baseline);
  const outcome = applyBaseline(findings, readBaseline(file), { textOf, cwd: io.cwd, baselineDir: path.dirname(file), lintedFiles: reports.flatMap((r) => [r.path, ...r.included]) });
  if (outcome.matchedCount > 0) notes.push(`${outcome.matchedCount} finding(s) hidden by the baseline ${args.baseline}.`);
  if (outcome.stale.length > 0) {
    notes.push(`${outcome.stale.length} baseline entr${outcome.stale.length === 1 ? 'y no longer matches' : 'ies no longer match'} (fixed or changed; rewrite the baseline with --write-baseline):`);
    for (const e of outcome.stale) notes.push(`  ${e.file}: ${e.ruleId}`);
  }
  return outcome.findings;
}

function writeReport(
  formatName: import('../format/types').FormatName,
  args: CliArgs,
  io: CliIO,
  run: { findings: Finding[]; reports: FileReport[]; skipped?: SkipSummary; notes: string[]; textOf: TextOf; fixes?: import('../fix').FixSummary },
): void {
  const { loadFormatter } = require('../format') as typeof import('../format');
  const { allRuleMetas } = require('./modules') as typeof import('./modules');
  const { docsUrlFor } = require('./package-info') as typeof import('./package-info');
  const metas = allRuleMetas();
  const docsById = new Map(metas.map((m) => [m.id, m.docs]));
  const stylish = formatName === 'stylish';
  const output = loadFormatter(formatName)(
    { findings: run.findings, files: run.reports, ...(run.fixes ? { fixes: run.fixes } : {}) },
    {
      cwd: io.cwd,
      colorLevel: stylish ? colorLevel(args.color, io.env, !args.output && !!io.stdout.isTTY) : 0,
      rules: metas,
      docsUrl: (id) => docsUrlFor(id ? docsById.get(id) ?? `docs/rules/${id}.md` : 'docs/cli.md'),
      toolVersion: packageInfo().version,
      skipped: run.skipped,
      notes: stylish ? run.notes : undefined,
      // fingerprints (SARIF) hash the offending line; stylish wraps to a terminal's width only
      textOf: run.textOf,
      width: stylish && !args.output && io.stdout.isTTY ? io.stdout.columns || 100 : undefined,
    },
  );
  // Machine formats keep stdout parseable: the human summary goes to stderr.
  if (!stylish) {
    const { skipSummaryLines } = require('../format/util') as typeof import('../format/util');
    const { escapeControl } = require('../format/util') as typeof import('../format/util');
    for (const line of skipSummaryLines(run.skipped)) io.stderr.write(`deploylint: ${line}\n`);
    // notes name files and rule ids taken from the baseline file: shown, never obeyed by the terminal
    for (const line of run.notes) io.stderr.write(`deploylint: ${escapeControl(line)}\n`);
  }
  if (args.output) fs.writeFileSync(path.resolve(io.cwd, args.output), output);
  else io.stdout.write(output);
}

function isFile(abs: string): boolean {
  try {
    return fs.statSync(abs).isFile();
  } catch {
    return false;
  }
}

function dirOf(abs: string): string {
  try {
    if (fs.statSync(abs).isDirectory()) return abs;
  } catch {
    // not there: its directory still decides the config
  }
  return path.dirname(abs);
}

export function exitCode(findings: Finding[], args: Pick<CliArgs, 'failureLevel' | 'maxWarnings'>): number {
  const threshold = SEVERITY_RANK[args.failureLevel];
  if (findings.some((f) => SEVERITY_RANK[f.severity] >= threshold)) return 1;
  if (args.maxWarnings !== undefined && findings.filter((f) => f.severity === 'warning').length > args.maxWarnings) return 1;
  return 0;
}

/**
 * The paths the user gave, as directories includes may be read from: a directory as given, a file
 * or glob by its directory; nothing given (or stdin) means the current directory.
 */
function readRootsOf(positionals: string[], cwd: string, stdin: boolean): string[] {
  if (stdin || positionals.length === 0) return [cwd];
  return positionals.map((p) => {
    const full = path.resolve(cwd, p.replace(/[*?[{].*$/, '') || '.');
    try {
      if (fs.statSync(full).isDirectory()) return full;
    } catch {
      // a glob's fixed part or a file that is reported elsewhere: its directory
    }
    return path.dirname(full);
  });
}
