import type { Finding, Severity } from '../core/finding';
import type { Deployment } from '../model/types';
import { loadRules } from './registry';
import type { Rule } from './types';

export interface EngineOptions {
  rules?: Record<string, Severity | 'off'>;
  ruleOptions?: Record<string, Record<string, unknown>>;
}

/** Runs every enabled rule over the deployment. A rule that throws is a bug: it becomes a finding, the run goes on. */
export function runRules(deployment: Deployment, options: EngineOptions = {}, rules: Rule[] = loadRules()): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const configured = options.rules?.[rule.meta.id];
    if (configured === 'off') continue;
    try {
      rule.check({
        deployment,
        options: options.ruleOptions?.[rule.meta.id] ?? {},
        report(descriptor) {
          findings.push({
            ruleId: rule.meta.id,
            severity: configured ?? descriptor.severity ?? rule.meta.severity,
            message: descriptor.message,
            location: descriptor.location,
            related: descriptor.related,
            fix: descriptor.fix,
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
