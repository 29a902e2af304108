/** Command-line settings (--rule, --target, --env, --envvars) validated once; configuration files read lazily, per directory. */
import * as path from 'path';
import { commandLineEnv, ConfigLoader, effectiveConfig, type LoadedConfig } from '../config/load';
import type { EffectiveConfig, RuleSetting } from '../config/types';
import { isRuleSetting, validateTarget } from '../config/validate';
import { UsageError } from './errors';
import type { CliArgs } from './args';
import type { CliIO } from './io';
import { knownProfileIds, knownRuleIds } from './modules';

export interface Configs {
  known: Set<string>;
  configFor(dir: string): EffectiveConfig;
  loadedFor(dir: string): LoadedConfig;
}

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
  const cliEnv = commandLineEnv(args.envvarFiles, args.env, io.cwd);
  const loader = new ConfigLoader({ knownRules: known, knownProfiles: knownProfileIds(), cwd: io.cwd });
  const fixed = args.config ? loader.loadFile(path.resolve(io.cwd, args.config)) : undefined;
  const loadedFor = (dir: string) => fixed ?? loader.forDirectory(dir);
  return {
    known,
    loadedFor,
    configFor: (dir) => effectiveConfig(loadedFor(dir), { rules: cliRules, targets: cliTargets, env: cliEnv }),
  };
}
