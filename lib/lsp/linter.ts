/**
 * Linting one deployment for the language server: the same steps as a CLI run over the workspace
 * folder (one lint() per configuration group, rule settings, inline suppressions), with the open
 * buffers standing in for their files.
 *
 * `DeploymentLinter` is the seam for an incremental linter: it is handed the whole deployment plus
 * the paths that changed since its last run, and may keep whatever it parsed between runs.
 * `WholeDeploymentLinter` ignores the hint and re-lints everything; an incremental one (re-parse the
 * changed files, reuse the rest) implements the same interface and nothing else changes.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Finding, Severity } from '../core/finding';
import { CONFIG_NAMES, lintSettings } from '../config/load';
import { ConfigError, type EffectiveConfig, type RuleSetting } from '../config/types';
import type { ReadGate } from '../input/gate';
import type { InputKind, LintInputFile, ResolveCache } from '../lint';
import type { Configs } from '../cli/configs';

export interface DeploymentFile {
  /** Absolute path. */
  path: string;
  kind: InputKind;
  section?: string;
}

export interface LintRequest {
  /** Directory the run is about (the workspace folder, or a loose file's directory). */
  root: string;
  files: DeploymentFile[];
  /** Texts of open documents by absolute path. */
  bufferText(absolutePath: string): string | undefined;
  /** The text of any file of the run: its buffer when open, else the file as read through the gate (cached while unchanged). */
  textOf(absolutePath: string): string | undefined;
  /** The run's read gate (roots, budgets, open buffers). */
  gate: ReadGate;
  /** Configuration, read afresh for this run. */
  configs: Configs;
  inlineSuppressions: boolean;
  hostFacts: boolean;
  /** Paths whose text changed since this linter's previous run (all of them on the first run). */
  changed: ReadonlySet<string>;
  /** Resolutions kept between runs of this scope (see ResolveCache). */
  cache?: ResolveCache;
}

export interface ConfigProblem {
  /** The configuration file at fault (absolute), when it can be told. */
  file?: string;
  message: string;
}

export interface LintOutcome {
  /** Every finding, file paths absolute. */
  findings: Finding[];
  /** Every file of the deployment: those given and those they include (absolute). */
  files: string[];
  configProblems: ConfigProblem[];
}

export interface DeploymentLinter {
  /**
   * Lint the deployment. Resolves to undefined when `isStale()` turned true at one of the points
   * where the run yields (a newer edit arrived): the caller drops the run.
   */
  lint(request: LintRequest, isStale: () => boolean): Promise<LintOutcome | undefined>;
}

/** Let queued messages (a newer didChange) be read before going on. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class WholeDeploymentLinter implements DeploymentLinter {
  async lint(request: LintRequest, isStale: () => boolean): Promise<LintOutcome | undefined> {
    const fault = process.env.DEPLOYLINT_LSP_TEST_FAULT;
    if (fault) {
      // for the tests of the server's own error handling: a buffer holding this text fails the run
      for (const f of request.files) if (request.bufferText(f.path)?.includes(fault)) throw new Error(`injected fault (${fault})`);
    }
    const configProblems: ConfigProblem[] = [];
    const groups = groupByConfig(request, configProblems);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { lint } = require('../lint') as typeof import('../lint');
    const findings: Finding[] = [];
    const files = new Set<string>();
    for (const { config, files: groupFiles } of groups.values()) {
      await yieldToEventLoop();
      if (isStale()) return undefined;
      const inputs: LintInputFile[] = groupFiles.map((f) => {
        const text = request.bufferText(f.path);
        // A buffer over the file-bytes budget is not handed over: the gate refuses it as it would
        // the file, and the parser reports that (one positioned finding instead of a parse of it).
        const usable = text !== undefined && text.length <= request.gate.budget.limits['file-bytes'];
        return { path: f.path, kind: f.kind, ...(usable ? { text } : {}), ...(f.section ? { section: f.section } : {}) };
      });
      const result = lint(inputs, {
        ...lintSettings(config),
        gate: request.gate,
        hostFacts: request.hostFacts,
        // lint() settles the run: rule settings and inline suppressions (buffers come through the gate)
        inlineSuppressions: request.inlineSuppressions,
        cache: request.cache,
      });
      const absolute = (p: string) => path.resolve(request.root, p);
      for (const r of result.files) for (const f of [r.path, ...r.included]) files.add(absolute(f));
      const groupFindings = result.findings.map((f) => absolutePaths(f, absolute));
      for (const f of groupFindings) findings.push(f);
    }
    for (const f of findings) files.add(f.location.file);
    return { findings, files: [...files], configProblems };
  }
}

/** One lint() per configuration file, as the CLI does: files under the same config are linked together. */
function groupByConfig(request: LintRequest, problems: ConfigProblem[]): Map<string, { config: EffectiveConfig; files: DeploymentFile[] }> {
  const groups = new Map<string, { config: EffectiveConfig; files: DeploymentFile[] }>();
  const byDir = new Map<string, EffectiveConfig>();
  for (const file of request.files) {
    const dir = path.dirname(file.path);
    let config = byDir.get(dir);
    if (!config) {
      config = configForDir(request.configs, dir, problems);
      byDir.set(dir, config);
    }
    const key = config.configFile ?? '';
    const group = groups.get(key) ?? { config, files: [] };
    group.files.push(file);
    groups.set(key, group);
  }
  return groups;
}

const DEFAULT_CONFIG: EffectiveConfig = { configFile: null, rules: {}, ruleOptions: {}, appProfiles: {}, targets: {}, ignore: [], env: {} };

/**
 * The effective configuration for files in `dir`. A configuration file that does not load makes
 * the CLI exit 2; the editor instead reports it (on that file) and lints with the defaults, so the
 * user still sees findings while fixing the configuration.
 */
export function configForDir(configs: Configs, dir: string, problems?: ConfigProblem[]): EffectiveConfig {
  try {
    return configs.configFor(dir);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const file = nearestConfigFile(dir);
    if (problems && !problems.some((p) => p.message === e.message)) problems.push({ file, message: e.message });
    return { ...DEFAULT_CONFIG, configFile: file ? `${file} (not loaded)` : '(not loaded)' };
  }
}

function nearestConfigFile(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(d, name);
      try {
        fs.lstatSync(candidate);
        return candidate;
      } catch {
        // not here
      }
    }
    if (path.dirname(d) === d) return undefined;
  }
}

function absolutePaths(f: Finding, absolute: (p: string) => string): Finding {
  return {
    ...f,
    location: { ...f.location, file: absolute(f.location.file) },
    ...(f.related ? { related: f.related.map((r) => ({ ...r, location: { ...r.location, file: absolute(r.location.file) } })) } : {}),
    ...(f.fix ? { fix: { ...f.fix, edits: f.fix.edits.map((e) => ({ ...e, file: absolute(e.file) })) } } : {}),
  };
}
