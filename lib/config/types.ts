import type { Severity } from '../core/finding';

export type RuleSetting = Severity | 'off';

/** A configuration file as validated (every key optional). */
export interface DeploylintConfig {
  rules?: Record<string, RuleSetting | [RuleSetting, Record<string, unknown>]>;
  appProfiles?: Record<string, string>;
  targets?: Record<string, string>;
  ignore?: string[];
  /**
   * Which files are deployed together, when the layout does not say: name -> globs (gitignore
   * syntax, relative to the config file's directory). Only files of one deployment are linked.
   */
  deployments?: Record<string, string[]>;
}

/** What one run of lint() is given, after merging the config file with the command line. */
export interface EffectiveConfig {
  /** The config file used, or null. */
  configFile: string | null;
  rules: Record<string, RuleSetting>;
  ruleOptions: Record<string, Record<string, unknown>>;
  appProfiles: Record<string, string>;
  targets: Record<string, string>;
  ignore: string[];
  env: Record<string, string>;
}

export class ConfigError extends Error {}
