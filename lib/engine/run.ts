import type { Finding, Severity } from '../core/finding';
import type { Deployment } from '../model/types';
import { loadRules } from './registry';
import type { Rule } from './types';

export interface EngineOptions {
  /** Rules configured `off` are not run; severities are applied once, when the run's findings are settled (settle.ts). */
  rules?: Record<string, Severity | 'off'>;
  ruleOptions?: Record<string, Record<string, unknown>>;
}

/**
 * Runs every rule not switched off over the deployment, each finding with the severity the rule
 * gives it. A rule that throws is a bug: it becomes a finding, the run goes on.
 */
export function runRules(deployment: Deployment, options: EngineOptions = {}, rules: Rule[] = loadRules()): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (options.rules?.[rule.meta.id] === 'off') continue;
    try {
      rule.check({
        deployment,
        options: options.ruleOptions?.[rule.meta.id] ?? {},
        report(descriptor) {
          const severity = descriptor.severity ?? rule.meta.severity;
          if (severity !== rule.meta.severity && !rule.meta.severities?.includes(severity)) {
            throw new Error(`reported severity ${severity}, which its metadata (severities) does not declare`);
          }
          if (descriptor.fix && !rule.meta.fixable) throw new Error('reported a fix, but its metadata does not say fixable');
          findings.push({
            ruleId: rule.meta.id,
            severity,
            message: descriptor.message,
            location: descriptor.location,
            related: descriptor.related,
            fix: descriptor.fix && { ...descriptor.fix, applicability: descriptor.fix.applicability ?? rule.meta.fixApplicability ?? 'safe' },
          });
        },
      });
    } catch (error) {
      const firstFile = deployment.apache[0]?.file ?? deployment.uwsgi[0]?.file ?? '';
      findings.push({
        ruleId: 'internal-error',
        severity: 'error',
        message: `rule ${rule.meta.id} failed: ${(error as Error).message}. This is a bug in deploylint; please report it.`,
        location: { file: firstFile, range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } },
      });
    }
  }
  return findings;
}
