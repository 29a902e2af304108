/**
 * What every finding id carries as data, whoever reports it (a rule, a parser, the suppression
 * checks): the `rules` listing, `explain`, SARIF and the docs read it. It sits below the engine so
 * that the knowledge tables (lib/knowledge/parse-findings.ts) describe their ids without importing
 * the engine.
 */
import type { FixApplicability, Severity } from './finding';

export type RuleCategory = 'correctness' | 'data-loss' | 'reliability' | 'security' | 'compatibility' | 'dead-config' | 'syntax';

export interface RuleMeta {
  id: string;
  /** The default severity. */
  severity: Severity;
  /**
   * Every severity a finding of this id may have, when it varies per finding (by app profile,
   * target version or evidence); absent when every finding has the default severity.
   */
  severities?: Severity[];
  category: RuleCategory;
  /** One line, imperative or descriptive, shown in `deploylint rules`. */
  description: string;
  /** Path of the docs page relative to the package root (`docs/rules/<id>.md`). */
  docs: string;
  /** Which targets the rule depends on, e.g. ['uwsgi'] or ['httpd', 'glance']. */
  targets: string[];
  fixable: boolean;
  /** A fixable rule's default fix applicability (a finding's fix may say otherwise); absent when not fixable. */
  fixApplicability?: FixApplicability;
  /** How to fix, in one sentence, for listings. */
  fixHint: string;
}
