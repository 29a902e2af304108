/**
 * Rules are found, not listed: every module in `rules/` that exports a `rule` is one. Adding a rule
 * is adding a file (plus its fixtures and docs); nothing else is edited.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Rule } from './types';

/** `rules/` sits beside `lib/` both in the sources (ts-jest) and in dist/ (compiled). */
export const RULES_DIR = path.resolve(__dirname, '..', '..', 'rules');

let cache: Rule[] | undefined;

export function loadRules(): Rule[] {
  if (cache) return cache;
  const extension = __filename.endsWith('.ts') ? '.ts' : '.js';
  const files = fs.readdirSync(RULES_DIR).filter((f) => f.endsWith(extension) && !f.endsWith('.d.ts')).sort();
  const rules: Rule[] = [];
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const loaded = require(path.join(RULES_DIR, file)) as { rule?: Rule };
    if (!loaded.rule) continue;
    if (loaded.rule.meta.id !== path.basename(file, extension)) {
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
