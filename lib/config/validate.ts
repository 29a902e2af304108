/**
 * Strict validation: an unknown key, rule or target, or a value of the wrong shape, is an error
 * naming the file and the key path (`.deploylintrc.json: rules.foo: unknown rule`), never a silent
 * fallback to defaults.
 */
import { ConfigError, type DeploylintConfig, type RuleSetting } from './types';

const SETTINGS: readonly string[] = ['off', 'info', 'warning', 'error'];
const TOP_KEYS = ['rules', 'appProfiles', 'targets', 'ignore', 'deployments'];

/** Accepted target versions per component; other components take any dotted version number. */
export const TARGET_FORMATS: Record<string, { test: RegExp; expected: string }> = {
  uwsgi: { test: /^2\.[01](\.\d+)?$/, expected: 'expected "2.0" or "2.1"' },
  httpd: { test: /^2\.4(\.\d+)?$/, expected: 'expected "2.4" or "2.4.N"' },
};
const GENERIC_VERSION = /^\d+(\.\d+){0,3}$/;
const COMPONENT_NAME = /^[a-z][a-z0-9_-]*$/;

export function validateTarget(component: string, version: unknown, where: string): string {
  if (!COMPONENT_NAME.test(component)) throw new ConfigError(`${where}: unknown component "${component}"`);
  if (typeof version !== 'string' && typeof version !== 'number') throw new ConfigError(`${where}.${component}: expected a version string`);
  const v = String(version);
  const fmt = TARGET_FORMATS[component];
  if (fmt) {
    if (!fmt.test.test(v)) throw new ConfigError(`${where}.${component}: ${fmt.expected}, got "${v}"`);
  } else if (!GENERIC_VERSION.test(v)) {
    throw new ConfigError(`${where}.${component}: expected a version like "32.0", got "${v}"`);
  }
  return v;
}

export function isRuleSetting(v: unknown): v is RuleSetting {
  return typeof v === 'string' && SETTINGS.includes(v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringMap(v: unknown, where: string): Record<string, string> {
  if (!isPlainObject(v)) throw new ConfigError(`${where}: expected an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string' && typeof val !== 'number' && typeof val !== 'boolean') {
      throw new ConfigError(`${where}.${k}: expected a string`);
    }
    out[k] = String(val);
  }
  return out;
}

/**
 * @param raw parsed file content
 * @param source file name for messages (`.deploylintrc.json`, `package.json#deploylint`)
 * @param knownRules ids a `rules` entry may name
 * @param knownProfiles app profile ids, when known
 */
export function validateConfig(raw: unknown, source: string, knownRules: Set<string>, knownProfiles?: Set<string>): DeploylintConfig {
  if (!isPlainObject(raw)) throw new ConfigError(`${source}: expected an object at the top level`);
  const config: DeploylintConfig = {};
  for (const key of Object.keys(raw)) {
    if (key === 'env') {
      // A config file lives in the repository being linted, which is not trusted to choose the
      // environment deploylint reads files with (UWSGI_INI names a file; $(VAR) values reach
      // messages): the environment comes from the command line only.
      throw new ConfigError(`${source}: env: a configuration file cannot set the environment; give it on the command line with --env NAME=VALUE or --envvars FILE`);
    }
    if (!TOP_KEYS.includes(key)) throw new ConfigError(`${source}: ${key}: unknown key (expected one of ${TOP_KEYS.join(', ')})`);
  }
  if (raw.rules !== undefined) {
    if (!isPlainObject(raw.rules)) throw new ConfigError(`${source}: rules: expected an object of rule id -> severity`);
    config.rules = {};
    for (const [id, value] of Object.entries(raw.rules)) {
      const where = `${source}: rules.${id}`;
      if (!knownRules.has(id)) throw new ConfigError(`${where}: unknown rule`);
      if (isRuleSetting(value)) {
        config.rules[id] = value;
      } else if (Array.isArray(value) && value.length >= 1 && value.length <= 2 && isRuleSetting(value[0]) && (value.length === 1 || isPlainObject(value[1]))) {
        config.rules[id] = [value[0], (value[1] as Record<string, unknown>) ?? {}];
      } else {
        throw new ConfigError(`${where}: expected "off", "info", "warning", "error" or [severity, {options}]`);
      }
    }
  }
  if (raw.appProfiles !== undefined) {
    config.appProfiles = stringMap(raw.appProfiles, `${source}: appProfiles`);
    if (knownProfiles && knownProfiles.size > 0) {
      for (const [glob, profile] of Object.entries(config.appProfiles)) {
        if (!knownProfiles.has(profile)) {
          throw new ConfigError(`${source}: appProfiles.${glob}: unknown profile "${profile}" (known: ${[...knownProfiles].sort().join(', ')})`);
        }
      }
    }
  }
  if (raw.targets !== undefined) {
    if (!isPlainObject(raw.targets)) throw new ConfigError(`${source}: targets: expected an object of component -> version`);
    config.targets = {};
    for (const [component, version] of Object.entries(raw.targets)) {
      config.targets[component] = validateTarget(component, version, `${source}: targets`);
    }
  }
  if (raw.ignore !== undefined) {
    if (!Array.isArray(raw.ignore) || raw.ignore.some((g) => typeof g !== 'string')) {
      throw new ConfigError(`${source}: ignore: expected an array of glob strings`);
    }
    config.ignore = raw.ignore as string[];
  }
  if (raw.deployments !== undefined) {
    if (!isPlainObject(raw.deployments)) throw new ConfigError(`${source}: deployments: expected an object of name -> [globs]`);
    config.deployments = {};
    for (const [name, globs] of Object.entries(raw.deployments)) {
      if (!Array.isArray(globs) || globs.some((g) => typeof g !== 'string')) throw new ConfigError(`${source}: deployments.${name}: expected an array of glob strings`);
      config.deployments[name] = globs as string[];
    }
  }
  return config;
}
