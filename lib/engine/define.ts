/**
 * `defineRule()`: a rule is its metadata and a check. What can be derived is: the docs page is
 * `docs/rules/<id>.md`, a rule is not fixable unless it says so, and the registry checks that the id
 * is the file name.
 */
import type { FixApplicability, Severity } from '../core/finding';
import type { RuleCategory, RuleMeta } from '../core/rule-meta';
import type { Rule, RuleContext } from './types';

export interface RuleSpec {
  id: string;
  /** The default severity. */
  severity: Severity;
  /** Every severity a finding may have, when it varies per finding; the engine refuses any other. */
  severities?: Severity[];
  category: RuleCategory;
  /** One line, shown in `deploylint rules`. */
  description: string;
  /** Which targets the rule depends on, e.g. ['uwsgi'] or ['httpd', 'glance']. */
  targets: string[];
  /** Default false. */
  fixable?: boolean;
  /** A fixable rule's default fix applicability: `safe` unless said otherwise (a finding's fix may override). */
  fixApplicability?: FixApplicability;
  /** How to fix, in one sentence, for listings. */
  fixHint: string;
  /** Only when the page is not `docs/rules/<id>.md`. */
  docs?: string;
  check(context: RuleContext): void;
}

export function defineRule(spec: RuleSpec): Rule {
  const meta: RuleMeta = {
    id: spec.id,
    severity: spec.severity,
    category: spec.category,
    description: spec.description,
    docs: spec.docs ?? `docs/rules/${spec.id}.md`,
    targets: spec.targets,
    fixable: spec.fixable ?? false,
    fixHint: spec.fixHint,
    ...(spec.fixable ? { fixApplicability: spec.fixApplicability ?? 'safe' } : {}),
    ...(spec.severities ? { severities: spec.severities } : {}),
  };
  return { meta, check: spec.check };
}
