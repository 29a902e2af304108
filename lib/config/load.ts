/**
 * Finding and reading configuration: `.deploylintrc.json`, `.deploylintrc.yaml` (or `.yml`) or the
 * `deploylint` key of `package.json`, searched from the linted file's directory upward; the first
 * directory holding one wins (no merging across directories, so what applies is easy to tell).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, type DeploylintConfig, type EffectiveConfig, type RuleSetting } from './types';
import { validateConfig } from './validate';
import { readRegularFile } from '../input/gate';
import type { LintOptions } from '../lint';

export const CONFIG_NAMES = ['.deploylintrc.json', '.deploylintrc.yaml', '.deploylintrc.yml', 'package.json'];

export interface LoadedConfig {
  file: string | null;
  config: DeploylintConfig;
}

export interface ConfigLoaderOptions {
  knownRules: Set<string>;
  knownProfiles?: Set<string>;
  /** Messages name config files relative to this directory when they lie inside it. */
  cwd?: string;
}

/** Largest configuration file read (a config is a few hundred bytes; a FIFO or /dev/zero is never read). */
const MAX_CONFIG_BYTES = 1 << 20;

/**
 * Read a config file: a regular file of at most 1 MiB, opened without blocking. A file found by
 * searching (in the linted tree or above it) must not be a symbolic link, so that a repository
 * cannot point its `.deploylintrc.json` at a file elsewhere; `--config FILE` is the user's own
 * choice and may be one.
 */
function readConfigText(file: string, label: string, followLinks: boolean): string {
  const read = readRegularFile(file, MAX_CONFIG_BYTES, { followLinks });
  if (read.ok) return read.bytes.toString('utf8');
  if (read.code === 'not-regular' || read.code === 'directory') throw new ConfigError(`${label}: not a regular file`);
  if (read.code === 'too-large') throw new ConfigError(`${label}: larger than ${MAX_CONFIG_BYTES} bytes`);
  throw new ConfigError(`${label}: cannot read (${read.code === 'loop' && !followLinks ? 'a symbolic link: configuration files found by searching must be regular files' : read.errno ?? read.reason})`);
}

/** Line and column of a character offset, for parse errors that must not quote the file. */
function lineColumn(text: string, offset: number): string {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) { line++; last = i; }
  return `line ${line}, column ${offset - last}`;
}

function parseFile(file: string, label: string, followLinks: boolean): unknown | undefined {
  const text = readConfigText(file, label, followLinks);
  const base = path.basename(file);
  if (base.endsWith('.yaml') || base.endsWith('.yml')) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const yaml = require('js-yaml') as typeof import('js-yaml');
    try {
      const doc = yaml.load(text, { filename: label, schema: yaml.JSON_SCHEMA });
      return doc === undefined || doc === null ? {} : doc;
    } catch (e) {
      const mark = (e as { mark?: { line: number; column: number } }).mark;
      throw new ConfigError(`${label}: invalid YAML${mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : ''}: ${((e as { reason?: string }).reason ?? 'cannot be parsed').slice(0, 120)}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    // Node's message quotes the text around the error: give the position only
    const at = /position (\d+)/.exec((e as Error).message);
    throw new ConfigError(`${label}: invalid JSON${at ? ` at ${lineColumn(text, Number(at[1]))}` : ''}`);
  }
  if (base === 'package.json') {
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).deploylint : undefined;
  }
  return parsed;
}

export class ConfigLoader {
  private readonly byDir = new Map<string, LoadedConfig>();
  constructor(private readonly options: ConfigLoaderOptions) {}

  private label(file: string): string {
    if (!this.options.cwd) return file;
    const rel = path.relative(this.options.cwd, file);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  }

  /** Read and validate one file (for --config). */
  loadFile(file: string): LoadedConfig {
    const raw = parseFile(file, this.label(file), true);
    const label = path.basename(file) === 'package.json' ? `${this.label(file)}#deploylint` : this.label(file);
    if (raw === undefined) throw new ConfigError(`${label}: no "deploylint" key`);
    return { file, config: validateConfig(raw, label, this.options.knownRules, this.options.knownProfiles) };
  }

  /** The config that applies to files in `dir`: the nearest one found going up. */
  forDirectory(dir: string): LoadedConfig {
    const abs = path.resolve(dir);
    const cached = this.byDir.get(abs);
    if (cached) return cached;
    let found: LoadedConfig | undefined;
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(abs, name);
      if (!lexists(candidate)) continue;
      const raw = parseFile(candidate, this.label(candidate), false);
      if (name === 'package.json') {
        if (raw === undefined) continue;
        found = { file: candidate, config: validateConfig(raw, `${this.label(candidate)}#deploylint`, this.options.knownRules, this.options.knownProfiles) };
      } else {
        if (raw === undefined) throw new ConfigError(`${this.label(candidate)}: empty`);
        found = { file: candidate, config: validateConfig(raw, this.label(candidate), this.options.knownRules, this.options.knownProfiles) };
      }
      break;
    }
    if (!found) {
      const parent = path.dirname(abs);
      found = parent === abs ? { file: null, config: {} } : this.forDirectory(parent);
    }
    this.byDir.set(abs, found);
    return found;
  }
}

function lexists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

export interface CommandLineOverrides {
  rules?: Record<string, RuleSetting>;
  targets?: Record<string, string>;
  env?: Record<string, string>;
  ignore?: string[];
}

/** Config file first, command line on top. */
export function effectiveConfig(loaded: LoadedConfig, cli: CommandLineOverrides): EffectiveConfig {
  const rules: Record<string, RuleSetting> = {};
  const ruleOptions: Record<string, Record<string, unknown>> = {};
  for (const [id, setting] of Object.entries(loaded.config.rules ?? {})) {
    if (Array.isArray(setting)) {
      rules[id] = setting[0];
      ruleOptions[id] = setting[1];
    } else {
      rules[id] = setting;
    }
  }
  Object.assign(rules, cli.rules ?? {});
  return {
    configFile: loaded.file,
    rules,
    ruleOptions,
    appProfiles: { ...(loaded.config.appProfiles ?? {}) },
    targets: { ...(loaded.config.targets ?? {}), ...(cli.targets ?? {}) },
    ignore: [...(loaded.config.ignore ?? []), ...(cli.ignore ?? [])],
    env: { ...(cli.env ?? {}) },
  };
}

/**
 * The environment from the command line: `--envvars FILE` (shell-style assignments, read as Debian's
 * envvars is: `export`, quotes and comments understood, other shell lines skipped), then `--env
 * NAME=VALUE`, later ones winning.
 */
/**
 * What a configuration sets of a lint() run, for every caller (the CLI, the language server). No
 * `env` configured means the environment is unknown, not empty: a snippet's ${VAR}s are then
 * assumed set.
 */
export function lintSettings(config: EffectiveConfig): Pick<LintOptions, 'targets' | 'rules' | 'ruleOptions' | 'appProfiles' | 'env'> {
  return {
    targets: config.targets,
    rules: config.rules,
    ruleOptions: config.ruleOptions,
    appProfiles: config.appProfiles,
    env: Object.keys(config.env).length > 0 ? config.env : undefined,
  };
}

export function commandLineEnv(envvarFiles: string[], pairs: string[], cwd: string): Record<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { parseShellEnv } = require('../input/shell-env') as typeof import('../input/shell-env');
  let env: Record<string, string> = {};
  for (const file of envvarFiles) env = parseShellEnv(readConfigText(path.resolve(cwd, file), file, true), env);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(pair.slice(0, eq))) throw new ConfigError(`--env ${pair}: expected NAME=VALUE`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}
