/**
 * Rules are found, not listed: every module in `rules/` that exports a `rule` is one. Adding a rule
 * is adding a file (plus its fixtures and docs); nothing else is edited.
 *
 * Two ways to find them, one check:
 * - from the sources or dist/ (ts-jest, the library, the unbundled CLI): `rules/` is read and each
 *   file required;
 * - from the single-file CLI bundle (dist/deploylint.cjs, built by scripts/bundle.js), which has no
 *   rules/ directory to read: the bundle's generated entry lists every rules/*.js it was built from,
 *   each with a function that evaluates that module on first call, under BUNDLED_RULES on
 *   globalThis. That list is made from the same directory listing at build time, so adding a file
 *   still adds the rule.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Rule } from './types';

/** `rules/` sits beside `lib/` both in the sources (ts-jest) and in dist/ (compiled). */
export const RULES_DIR = path.resolve(__dirname, '..', '..', 'rules');

/** Where the CLI bundle registers its rule modules: `[file name, load]` pairs in file-name order. */
export const BUNDLED_RULES = Symbol.for('deploylint.bundledRules');

type RuleModule = { rule?: Rule };

let cache: Rule[] | undefined;

function ruleModules(): [string, () => RuleModule][] {
  const bundled = (globalThis as { [BUNDLED_RULES]?: [string, () => RuleModule][] })[BUNDLED_RULES];
  if (bundled) return bundled;
  const extension = __filename.endsWith('.ts') ? '.ts' : '.js';
  return fs
    .readdirSync(RULES_DIR)
    .filter((f) => f.endsWith(extension) && !f.endsWith('.d.ts'))
    .sort()
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    .map((file) => [file, () => require(path.join(RULES_DIR, file)) as RuleModule]);
}

export function loadRules(): Rule[] {
  if (cache) return cache;
  const rules: Rule[] = [];
  for (const [file, load] of ruleModules()) {
    const loaded = load();
    if (!loaded.rule) continue;
    if (loaded.rule.meta.id !== file.replace(/\.(ts|js)$/, '')) {
      throw new Error(`rules/${file} exports rule '${loaded.rule.meta.id}': the file name must be the rule id`);
    }
    rules.push(loaded.rule);
  }
  cache = rules;
  return rules;
}

export function findRule(id: string): Rule | undefined {
  return loadRules().find((rule) => rule.meta.id === id);
}
