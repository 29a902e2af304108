import type { Finding, RelatedLocation, Severity, TextEdit } from '../core/finding';
import type { SourceLocation } from '../core/source';
import type { Deployment } from '../model/types';

export type RuleCategory = 'correctness' | 'data-loss' | 'reliability' | 'security' | 'compatibility' | 'dead-config' | 'syntax';

/** Metadata is data: the `rules` listing, `explain`, SARIF and the docs all read it. */
export interface RuleMeta {
  id: string;
  severity: Severity;
  category: RuleCategory;
  /** One line, imperative or descriptive, shown in `deploylint rules`. */
  description: string;
  /** Path of the docs page relative to the package root (`docs/rules/<id>.md`). */
  docs: string;
  /** Which targets the rule depends on, e.g. ['uwsgi'] or ['httpd', 'glance']. */
  targets: string[];
  fixable: boolean;
  /** How to fix, in one sentence, for listings. */
  fixHint: string;
}

export interface ReportDescriptor {
  message: string;
  location: SourceLocation;
  related?: RelatedLocation[];
  /** Overrides the rule's default severity for this finding (e.g. by target version). */
  severity?: Severity;
  fix?: { description: string; edits: TextEdit[] };
}

export interface RuleContext {
  deployment: Deployment;
  report(descriptor: ReportDescriptor): void;
  /** Rule options from configuration (e.g. the socket-timeout floor). */
  options: Record<string, unknown>;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

export type { Finding };
