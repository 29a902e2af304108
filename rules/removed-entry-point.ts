/**
 * OpenStack projects are replacing their pbr-generated WSGI scripts (`glance-wsgi-api`,
 * `nova-api-wsgi`...) with module paths (`glance.wsgi.api:application`). A deployment that still
 * points uWSGI `wsgi-file` or Apache `WSGIScriptAlias` at a removed script fails to start after the
 * upgrade. The facts, with their sources, live in lib/knowledge/version-facts.ts.
 */
import { defineRule, describeOption } from '../lib/engine';
import type { Severity } from '../lib/core/finding';
import type { SourceLocation } from '../lib/core/source';
import { compareVersions } from '../lib/knowledge/targets';
import { wsgiScriptFact, type VersionFact } from '../lib/knowledge/version-facts';

interface Verdict { severity: Severity; state: string }

function judge(fact: VersionFact, target: string | undefined): Verdict | null {
  const removal = fact.removedIn ? `removed in ${fact.component} ${fact.removedIn}${fact.removedInSeries ? ` (${fact.removedInSeries})` : ''}` : '';
  const deprecation = fact.deprecatedIn ? `deprecated since ${fact.component} ${fact.deprecatedIn}` : '';
  if (target === undefined) {
    // No target release for this service: the files cannot say which release runs, so the removal is an upgrade hazard.
    if (fact.removedIn) return { severity: 'warning', state: `is ${removal}${deprecation ? `, ${deprecation}` : ''}; set \`targets.${fact.component}\` to check against your release` };
    return { severity: 'info', state: `is ${deprecation} and will be removed` };
  }
  if (fact.removedIn && compareVersions(target, fact.removedIn) >= 0) {
    return { severity: 'error', state: `was ${removal}, and ${fact.component} ${target} is targeted: the service does not start` };
  }
  if (fact.deprecatedIn && compareVersions(target, fact.deprecatedIn) >= 0) {
    return { severity: 'warning', state: `is ${deprecation}${removal ? ` and ${removal}` : ' and will be removed'}` };
  }
  return null;
}

export const rule = defineRule({
  id: 'removed-entry-point',
  severity: 'error',
  severities: ['error', 'warning', 'info'],
  category: 'compatibility',
  description: 'A WSGI entry-point script that its project has removed (error) or deprecated (warning) in the targeted release',
  targets: ['glance', 'nova', 'designate', 'masakari', 'blazar', 'cloudkitty', 'cyborg'],
  fixHint: 'Point uWSGI at the module instead of the script (`module = glance.wsgi.api:application`), or write your own .wsgi file for mod_wsgi.',
  check({ deployment, report }) {
    const found: { path: string; location: SourceLocation; how: string; apache: boolean }[] = [];
    for (const instance of deployment.uwsgi) {
      for (const { option, kind, target } of instance.entryPoints) {
        if (kind !== 'paste') found.push({ path: target, location: option.valueLocation, how: describeOption(option), apache: false });
      }
    }
    for (const server of deployment.apache) {
      for (const app of server.wsgiApps) {
        found.push({ path: app.scriptPath, location: app.directive.args[1]?.location ?? app.directive.location, how: `\`${app.directive.name} ${app.urlPath} ${app.scriptPath}\``, apache: true });
      }
    }
    for (const entry of found) {
      const fact = wsgiScriptFact(entry.path);
      if (!fact) continue;
      const verdict = judge(fact, deployment.targets.services[fact.component]);
      if (!verdict) continue;
      const advice = entry.apache
        ? `Point ${entry.how.split(' ')[0].replace(/`/g, '')} at a .wsgi file of your own that imports the application from \`${fact.replacement.replace(/^module = /, '').replace(/:application$/, '')}\`.`
        : `Use \`${fact.replacement}\` instead.`;
      report({ severity: verdict.severity, location: entry.location, message: `${entry.how}: the WSGI script \`${fact.item}\` ${verdict.state}. ${advice}` });
    }
  },
});
