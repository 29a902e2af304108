/**
 * The last step of every lint run, and the only place where configuration changes findings: the
 * same finding reported twice is kept once, inline suppressions (`# deploylint-disable...`) hide what
 * they cover and report what they no longer match, and the configured severity (or `off`) of each id
 * is applied, to parse findings, rule findings and suppression checks alike.
 */
import { startOffsetOf } from '../core/source';
import { compareFindings, type Finding, type Severity } from '../core/finding';
import { applySuppressions, type SuppressionInput } from '../suppress';

export type RuleSettings = Record<string, Severity | 'off'>;

export interface SettleOptions {
  /** Per-id severity or 'off'. */
  rules?: RuleSettings;
  /** The linted files' texts to read suppression comments from; absent: suppressions are not applied. */
  suppressions?: {
    inputs: SuppressionInput[];
    /** YYYY-MM-DD, for `until=` dates. */
    today: string;
    /** Targets as configured, for `until=component@version`. */
    targets: Record<string, string>;
  };
}

export interface Settled {
  findings: Finding[];
  /** How many findings inline suppressions hid. */
  suppressed: number;
}

export function settleFindings(findings: Finding[], options: SettleOptions): Settled {
  const rules = options.rules ?? {};
  // A finding of a rule that is off is not there to suppress: a suppression for it is unused.
  const enabled = dedupe(findings).filter((f) => rules[f.ruleId] !== 'off');
  if (!options.suppressions) return { findings: applyRuleSettings(enabled, rules).sort(compareFindings), suppressed: 0 };
  const { inputs, today, targets } = options.suppressions;
  const outcome = applySuppressions(enabled, inputs, { today, targets });
  return {
    findings: applyRuleSettings([...outcome.findings, ...outcome.reported], rules).sort(compareFindings),
    suppressed: outcome.suppressedCount,
  };
}

/** Each id's configured severity, and `off` dropping its findings. */
function applyRuleSettings(findings: Finding[], rules: RuleSettings): Finding[] {
  return findings.flatMap((finding) => {
    const configured = rules[finding.ruleId];
    if (configured === 'off') return [];
    return [configured && configured !== finding.severity ? { ...finding, severity: configured } : finding];
  });
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}\0${f.location.file}\0${startOffsetOf(f.location)}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
