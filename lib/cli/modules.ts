/**
 * The library pieces the CLI calls, loaded on first use so `--version`, `--help` and usage errors
 * start fast and a formatter's dependencies load only when that format is asked for.
 */
import type { Rule, RuleMeta } from '../engine/types';
import type { LintInputFile, LintOptions, LintResult } from '../lint';
import { SUPPRESSION_RULES } from '../suppress';
import { PARSE_FINDINGS } from '../knowledge/parse-findings';
import * as fs from 'fs';
import * as path from 'path';
import { packageInfo } from './package-info';

export function lintModule(): { lint(files: LintInputFile[], options: LintOptions): LintResult } {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require('../lint');
}

export function registryRules(): Rule[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require('../engine/registry') as { loadRules(): Rule[] }).loadRules();
}

/** Every rule's metadata: registered rules, the parsers' own findings, and the suppression checks the CLI reports. */
export function allRuleMetas(): RuleMeta[] {
  return [...registryRules().map((r) => r.meta), ...PARSE_FINDINGS, ...SUPPRESSION_RULES].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * Ids a config or --rule may name: registered rules, the suppression checks, and ids that only
 * parsers or the engine report (syntax-error, include-not-found, internal-error, ...), known by
 * their docs page.
 */
export function knownRuleIds(): Set<string> {
  const ids = new Set(allRuleMetas().map((m) => m.id));
  ids.add('internal-error');
  try {
    for (const f of fs.readdirSync(path.join(packageInfo().root, 'docs', 'rules'))) {
      if (f.endsWith('.md')) ids.add(f.slice(0, -3));
    }
  } catch {
    // no docs directory in this install: registered rules only
  }
  return ids;
}

export function knownProfileIds(): Set<string> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require('../knowledge/app-profiles') as { APP_PROFILES?: { id: string }[] };
    return new Set((mod.APP_PROFILES ?? []).map((p) => p.id));
  } catch {
    return new Set();
  }
}
