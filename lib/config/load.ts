/**
 * Finding and reading configuration: `.deploylintrc.json`, `.deploylintrc.yaml` (or `.yml`) or the
 * `deploylint` key of `package.json`, searched from the linted file's directory upward; the first
 * directory holding one wins (no merging across directories, so what applies is easy to tell).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, type DeploylintConfig, type EffectiveConfig, type RuleSetting } from './types';
import { validateConfig } from './validate';

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

function parseFile(file: string, label = file): unknown | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${label}: cannot read (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  const base = path.basename(file);
  if (base.endsWith('.yaml') || base.endsWith('.yml')) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const yaml = require('js-yaml') as typeof import('js-yaml');
    try {
      const doc = yaml.load(text, { filename: label, schema: yaml.JSON_SCHEMA });
      return doc === undefined || doc === null ? {} : doc;
    } catch (e) {
      throw new ConfigError(`${label}: invalid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${label}: invalid JSON: ${(e as Error).message}`);
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
    const raw = parseFile(file, this.label(file));
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
      if (!fs.existsSync(candidate)) continue;
      if (name === 'package.json') {
        const raw = parseFile(candidate, this.label(candidate));
        if (raw === undefined) continue;
        found = { file: candidate, config: validateConfig(raw, `${this.label(candidate)}#deploylint`, this.options.knownRules, this.options.knownProfiles) };
      } else {
        found = this.loadFile(candidate);
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
    env: { ...(loaded.config.env ?? {}), ...(cli.env ?? {}) },
  };
}

/** `KEY=VALUE` lines; `#` comments and blank lines skipped; optional `export `; quotes stripped. */
export function parseEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  const env: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(trimmed);
    if (!m) throw new ConfigError(`${file}:${i + 1}: expected KEY=VALUE`);
    let value = m[2];
    if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
      value = value.slice(1, -1);
    }
    env[m[1]] = value;
  });
  return env;
}
