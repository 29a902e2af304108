/**
 * `deploylint`: parse argv, find files and configuration, call lint(), apply inline suppressions
 * and the baseline, format, and choose the exit code (0 clean, 1 findings at or above the failure
 * level, 2 usage/config/internal error).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Finding, Severity } from '../core/finding';
import { SEVERITY_RANK } from '../core/finding';
import { BaselineError } from '../baseline/errors';
import { ConfigLoader, effectiveConfig, parseEnvFile, type LoadedConfig } from '../config/load';
import { ConfigError, type EffectiveConfig, type RuleSetting } from '../config/types';
import { isRuleSetting, validateTarget } from '../config/validate';
import { detectInputKind, discover, globMatcher, splitSection, UsageError, type DiscoveredFile } from '../discover';
import type { FileReport, LintInputFile } from '../lint';
import { HELP, parseArgs, type CliArgs } from './args';
import { colorLevel, processIO, Progress, type CliIO } from './io';
import { knownProfileIds, knownRuleIds } from './modules';
import { packageInfo } from './package-info';

export function main(argv: string[], io: CliIO = processIO()): number {
  try {
    return run(argv, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof BaselineError) {
      io.stderr.write(`deploylint: ${e.message}\n`);
      return 2;
    }
    const err = e as Error;
    io.stderr.write(`deploylint: internal error: ${err?.message ?? String(e)}\n`);
    if (io.env.DEPLOYLINT_DEBUG === '1') io.stderr.write(`${err?.stack ?? ''}\n`);
    else io.stderr.write('Set DEPLOYLINT_DEBUG=1 for a stack trace, and please report this as a bug.\n');
    return 2;
  }
}

function run(argv: string[], io: CliIO): number {
  const args = parseArgs(argv);
  if (args.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (args.version) {
    io.stdout.write(`${packageInfo().version}\n`);
    return 0;
  }
  switch (args.command) {
    case 'rules':
      return (require('./commands') as typeof import('./commands')).rulesCommand(args, io);
    case 'explain':
      return (require('./commands') as typeof import('./commands')).explainCommand(args, io);
    case 'parse':
      return (require('./commands') as typeof import('./commands')).parseCommand(args, io, (dir) => resolveConfigs(args, io).configFor(dir));
    default:
      return lintCommand(args, io);
  }
}

interface Configs {
  known: Set<string>;
  configFor(dir: string): EffectiveConfig;
  loadedFor(dir: string): LoadedConfig;
}

/** Command-line settings validated once; config files read lazily per directory. */
export function resolveConfigs(args: CliArgs, io: CliIO): Configs {
  const known = knownRuleIds();
  const cliRules: Record<string, RuleSetting> = {};
  for (const spec of args.rules) {
    const eq = spec.lastIndexOf('=');
    const id = eq > 0 ? spec.slice(0, eq) : '';
    const setting = eq > 0 ? spec.slice(eq + 1) : '';
    if (!id || !isRuleSetting(setting)) throw new UsageError(`--rule ${spec}: expected ID=off|info|warning|error`);
    if (!known.has(id)) throw new UsageError(`--rule ${spec}: unknown rule "${id}" (see deploylint rules)`);
    cliRules[id] = setting;
  }
  const cliTargets: Record<string, string> = {};
  for (const list of args.targets) {
    for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
      const eq = item.indexOf('=');
      if (eq <= 0) throw new UsageError(`--target ${item}: expected COMPONENT=VERSION, e.g. uwsgi=2.0`);
      const component = item.slice(0, eq).trim().toLowerCase();
      try {
        cliTargets[component] = validateTarget(component, item.slice(eq + 1).trim(), '--target');
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
  }
  const cliEnv = args.envFile ? parseEnvFile(path.resolve(io.cwd, args.envFile)) : {};
  const loader = new ConfigLoader({ knownRules: known, knownProfiles: knownProfileIds(), cwd: io.cwd });
  const fixed = args.config ? loader.loadFile(path.resolve(io.cwd, args.config)) : undefined;
  const loadedFor = (dir: string) => fixed ?? loader.forDirectory(dir);
  return {
    known,
    loadedFor,
    configFor: (dir) => effectiveConfig(loadedFor(dir), { rules: cliRules, targets: cliTargets, env: cliEnv }),
  };
}

function lintCommand(args: CliArgs, io: CliIO): number {
  const { isFormatName } = require('../format') as typeof import('../format');
  const formatName = args.format ?? 'stylish';
  if (!isFormatName(formatName)) throw new UsageError(`--format ${formatName}: expected stylish, gcc, json, sarif, github or checkstyle`);
  if (args.stdin && args.positionals.length > 0) throw new UsageError('--stdin reads one file from standard input: give no paths with it');
  if (args.stdinFilename && !args.stdin) throw new UsageError('--stdin-filename needs --stdin');
  if (args.writeBaseline && args.baseline) throw new UsageError('--write-baseline and --baseline cannot be used together');
  const configs = resolveConfigs(args, io);
  // DEPLOYLINT_PROGRESS_AFTER_MS exists for tests; users get the one-second default.
  const progressAfter = Number(io.env.DEPLOYLINT_PROGRESS_AFTER_MS ?? 1000);
  const progress = new Progress(io.stderr, Number.isFinite(progressAfter) ? progressAfter : 1000);

  if (args.printConfig) {
    const first = args.stdin ? undefined : args.positionals[0];
    const dir = first ? dirOf(path.resolve(io.cwd, splitSection(first).file)) : io.cwd;
    const config = configs.configFor(dir);
    const { resolveTargets } = require('../knowledge/targets') as typeof import('../knowledge/targets');
    // The versions rules will check against: the built-in defaults under what was configured.
    io.stdout.write(JSON.stringify({ ...config, effectiveTargets: resolveTargets(config.targets) }, null, 2) + '\n');
    return 0;
  }

  // Gather input.
  let inputs: DiscoveredFile[];
  let skipped: { byReason: Record<string, number>; unreadable: string[] } | undefined;
  if (args.stdin) {
    const name = args.stdinFilename ?? '<stdin>';
    const text = io.readStdin().replace(/^\uFEFF/, '');
    const { file, section } = splitSection(name);
    const kind = detectInputKind(name, text) ?? undefined;
    inputs = [{ path: file, text, section, kind: kind as DiscoveredFile['kind'], explicit: true }];
  } else {
    const matchers = new Map<string, (abs: string, isDir: boolean) => boolean>();
    const discovered = discover(args.positionals, {
      cwd: io.cwd,
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
    inputs = discovered.files;
    skipped = { byReason: discovered.skippedByReason, unreadable: discovered.unreadable };
  }

  // One lint() per configuration: files under the same config are linted (and linked) together.
  const groups = new Map<string, { config: EffectiveConfig; files: DiscoveredFile[] }>();
  for (const input of inputs) {
    const dir = args.stdin ? io.cwd : path.dirname(path.resolve(io.cwd, input.path));
    const config = configs.configFor(dir);
    const key = config.configFile ?? '';
    const group = groups.get(key) ?? { config, files: [] };
    group.files.push(input);
    groups.set(key, group);
  }

  const texts = new Map<string, string>(inputs.map((f) => [f.path, f.text]));
  const textOf = (file: string): string | undefined => {
    if (texts.has(file)) return texts.get(file);
    let text: string | undefined;
    try {
      text = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
    } catch {
      text = undefined;
    }
    texts.set(file, text as string);
    return text;
  };

  const { lint } = (require('./modules') as typeof import('./modules')).lintModule();
  let findings: Finding[] = [];
  const reports: FileReport[] = [];
  const notes: string[] = [];
  let suppressed = 0;
  let groupIndex = 0;
  for (const { config, files } of groups.values()) {
    progress.update(`deploylint: linting ${files.length} file(s), group ${++groupIndex}/${groups.size}…`);
    const lintFiles: LintInputFile[] = files.map((f) => ({ path: f.path, kind: f.kind, text: f.text, ...(f.section ? { section: f.section } : {}) }));
    const result = lint(lintFiles, {
      targets: config.targets,
      rules: config.rules,
      ruleOptions: config.ruleOptions,
      appProfiles: config.appProfiles,
      env: config.env,
    });
    let groupFindings = applyRuleSettings(result.findings, config.rules);
    if (args.inlineSuppressions) {
      const { applySuppressions } = require('../suppress') as typeof import('../suppress');
      const outcome = applySuppressions(groupFindings, suppressionInputs(result.files, groupFindings, textOf), {
        today: new Date().toISOString().slice(0, 10),
        targets: config.targets,
      });
      groupFindings = [...outcome.findings, ...applyRuleSettings(outcome.reported, config.rules)];
      suppressed += outcome.suppressedCount;
    }
    findings.push(...groupFindings);
    reports.push(...result.files);
  }
  if (suppressed > 0) notes.push(`${suppressed} finding(s) suppressed by inline comments.`);

  if (args.writeBaseline) {
    const { fingerprints, writeBaseline } = require('../baseline') as typeof import('../baseline');
    const target = path.resolve(io.cwd, args.writeBaseline);
    writeBaseline(target, fingerprints(findings, textOf, io.cwd, path.dirname(target)));
    io.stderr.write(`deploylint: wrote ${findings.length} baseline entr${findings.length === 1 ? 'y' : 'ies'} to ${args.writeBaseline}\n`);
    findings = [];
  } else if (args.baseline) {
    const { applyBaseline, readBaseline } = require('../baseline') as typeof import('../baseline');
    const file = path.resolve(io.cwd, args.baseline);
    const outcome = applyBaseline(findings, readBaseline(file), textOf, io.cwd, path.dirname(file), reports.flatMap((r) => [r.path, ...r.included]));
    findings = outcome.findings;
    if (outcome.matchedCount > 0) notes.push(`${outcome.matchedCount} finding(s) hidden by the baseline ${args.baseline}.`);
    if (outcome.stale.length > 0) {
      notes.push(`${outcome.stale.length} baseline entr${outcome.stale.length === 1 ? 'y no longer matches' : 'ies no longer match'} (fixed or changed; rewrite the baseline with --write-baseline):`);
      for (const e of outcome.stale) notes.push(`  ${e.file}: ${e.ruleId}`);
    }
  }

  if (args.quiet) findings = findings.filter((f) => f.severity === 'error');
  progress.update(`deploylint: formatting ${findings.length} finding(s)…`);
  progress.done();

  const { loadFormatter } = require('../format') as typeof import('../format');
  const { allRuleMetas } = require('./modules') as typeof import('./modules');
  const { docsUrlFor } = require('./package-info') as typeof import('./package-info');
  const metas = allRuleMetas();
  const docsById = new Map(metas.map((m) => [m.id, m.docs]));
  const stylish = formatName === 'stylish';
  const output = loadFormatter(formatName)(
    { findings, files: reports },
    {
      cwd: io.cwd,
      colorLevel: stylish ? colorLevel(args.color, io.env, !args.output && !!io.stdout.isTTY) : 0,
      rules: metas,
      docsUrl: (id) => docsUrlFor(id ? docsById.get(id) ?? `docs/rules/${id}.md` : 'docs/cli.md'),
      toolVersion: packageInfo().version,
      skipped,
      notes: stylish ? notes : undefined,
    },
  );
  if (!stylish) {
    const { skipSummaryLines } = require('../format/util') as typeof import('../format/util');
    for (const line of [...skipSummaryLines(skipped), ...notes]) io.stderr.write(`deploylint: ${line}\n`);
  }
  if (args.output) fs.writeFileSync(path.resolve(io.cwd, args.output), output);
  else io.stdout.write(output);

  return exitCode(findings, args);
}

function dirOf(abs: string): string {
  try {
    if (fs.statSync(abs).isDirectory()) return abs;
  } catch {
    // not there: its directory still decides the config
  }
  return path.dirname(abs);
}

/** Severity overrides and `off`, applied again here for findings lint() did not produce. */
function applyRuleSettings(findings: Finding[], rules: Record<string, RuleSetting>): Finding[] {
  return findings.flatMap((f) => {
    const s = rules[f.ruleId];
    if (s === 'off') return [];
    return [s && s !== f.severity ? { ...f, severity: s as Severity } : f];
  });
}

function suppressionInputs(reports: FileReport[], findings: Finding[], textOf: (f: string) => string | undefined) {
  const ini = new Map<string, boolean>();
  for (const r of reports) for (const f of [r.path, ...r.included]) if (!ini.has(f)) ini.set(f, r.kind === 'uwsgi-ini');
  for (const f of findings) if (!ini.has(f.location.file)) ini.set(f.location.file, /\.ini$/i.test(f.location.file));
  const inputs = [];
  for (const [file, isIni] of ini) {
    const text = textOf(file);
    if (text !== undefined && text.includes('deploylint-')) inputs.push({ file, text, ini: isIni });
  }
  return inputs;
}

export function exitCode(findings: Finding[], args: Pick<CliArgs, 'failureLevel' | 'maxWarnings'>): number {
  const threshold = SEVERITY_RANK[args.failureLevel];
  if (findings.some((f) => SEVERITY_RANK[f.severity] >= threshold)) return 1;
  if (args.maxWarnings !== undefined && findings.filter((f) => f.severity === 'warning').length > args.maxWarnings) return 1;
  return 0;
}
