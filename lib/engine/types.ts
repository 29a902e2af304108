import type { Finding, Fix, RelatedLocation, Severity } from '../core/finding';
import type { SourceLocation } from '../core/source';
import type { Deployment } from '../model/types';
import type { RuleCategory, RuleMeta } from '../core/rule-meta';

export type { RuleCategory, RuleMeta };

export interface ReportDescriptor {
  message: string;
  location: SourceLocation;
  related?: RelatedLocation[];
  /** Overrides the rule's default severity for this finding (e.g. by target version). */
  severity?: Severity;
  /** An automatic fix (the rule must be `fixable`); its applicability defaults to the rule's. */
  fix?: Fix;
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
