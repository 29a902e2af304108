/**
 * OpenStack projects are replacing their pbr-generated WSGI scripts (`glance-wsgi-api`,
 * `keystone-wsgi-public`...) with modules (`glance.wsgi.api:application`), and removed in-tree WSGI
 * files and paste apps before that. A deployment that points uWSGI `wsgi-file`/`module`/`paste` or
 * Apache `WSGIScriptAlias` at an entry point the targeted release does not ship loads no app: uWSGI
 * (without need-app) answers 500 to every request, mod_wsgi 404/500. The facts, per release and
 * each with its source, are lib/knowledge/data/service-entry-points.tsv (version-facts.ts).
 */
import { defineRule, describeOption } from '../lib/engine';
import type { Severity } from '../lib/core/finding';
import type { SourceLocation } from '../lib/core/source';
import {
  fileFact, moduleFact, pasteFact, replacementIn, stateIn, versionFacts, type Replacement, type VersionFact,
} from '../lib/knowledge/version-facts';
import type { Deployment, Targets } from '../lib/model/types';

interface Entry { text: string; kind: 'module' | 'file' | 'paste'; location: SourceLocation; how: string; apache: boolean }

const WHAT: Record<VersionFact['kind'], string> = {
  'wsgi-script': 'the WSGI script', 'wsgi-module': 'the module', 'wsgi-file': 'the WSGI file', 'paste-app': 'the paste app',
};

function factOf(entry: Entry): VersionFact | undefined {
  if (entry.kind === 'module') return moduleFact(entry.text);
  if (entry.kind === 'paste') return pasteFact(entry.text);
  return fileFact(entry.text);
}

/** For a module not yet in the targeted release: the script it replaces, if that one is shipped there. */
function predecessorIn(fact: VersionFact, releaseOf: (c: string) => string | undefined): Replacement | undefined {
  const name = fact.item.split(':')[0];
  const before = versionFacts().find((row) => row.kind === 'wsgi-script'
    && row.replacements.some((r) => r.kind === 'module' && r.value.split(':')[0] === name)
    && ['shipped', 'deprecated'].includes(stateIn(row, releaseOf(row.component) ?? '0')));
  return before ? { kind: 'script', value: before.item } : undefined;
}

function advice(replacement: Replacement | undefined, entry: Entry, component: string, release: string): string {
  if (!replacement) return `No replacement exists in ${component} ${release}: set \`targets.${component}\` to the release you run.`;
  switch (replacement.kind) {
    case 'none': return `Remove it: ${replacement.value}.`;
    case 'paste': return `Load \`${replacement.value}\` instead.`;
    case 'script': {
      // up to the last separator (a lastIndexOf: /[^/\\]*$/ retries from every character of a long segment)
      const dir = entry.kind === 'file' ? entry.text.slice(0, Math.max(entry.text.lastIndexOf('/'), entry.text.lastIndexOf('\\')) + 1) : '';
      if (entry.apache) return `Point it at \`${dir}${replacement.value}\`.`;
      return `Use \`wsgi-file = ${dir || '/usr/local/bin/'}${replacement.value}\`.`;
    }
    case 'module':
      return entry.apache
        ? `Point it at a .wsgi file of your own that imports \`application\` from \`${replacement.value.split(':')[0]}\`.`
        : `Use \`module = ${replacement.value}\`.`;
  }
}

interface Verdict { severity: Severity; state: string }

function judge(fact: VersionFact, release: string, targeted: string): Verdict | null {
  const removal = fact.removedIn ? `removed in ${fact.component} ${fact.removedIn}${fact.removedInSeries ? ` (${fact.removedInSeries})` : ''}` : '';
  switch (stateIn(fact, release)) {
    case 'never': return { severity: 'error', state: `was never shipped by any ${fact.component} release, so no such file is installed` };
    case 'removed': return { severity: 'error', state: `was ${removal}, and ${targeted} is targeted: no app loads` };
    case 'not-yet': return { severity: 'error', state: `does not exist before ${fact.component} ${fact.addedIn}, and ${targeted} is targeted: no app loads` };
    case 'deprecated': return { severity: 'warning', state: `is deprecated since ${fact.component} ${fact.deprecatedIn}${removal ? ` and ${removal}` : ''}` };
    case 'shipped': return null;
  }
}

function entriesOf(deployment: Deployment): Entry[] {
  const found: Entry[] = [];
  for (const instance of deployment.uwsgi) {
    for (const { option, kind, target } of instance.entryPoints) {
      const how = describeOption(option);
      const location = option.valueLocation;
      if (kind === 'paste') found.push({ text: target, kind: 'paste', location, how, apache: false });
      else if (kind === 'module' || (kind === 'mount' && !/[/\\]|\.(py|wsgi)$/.test(target))) found.push({ text: target, kind: 'module', location, how, apache: false });
      else found.push({ text: target, kind: 'file', location, how, apache: false });
    }
  }
  for (const server of deployment.apache) {
    for (const app of server.wsgiApps) {
      found.push({
        text: scriptText(app.scriptPath, app.directive.args.slice(1).map((a) => a.raw).join(' ')), kind: 'file', location: app.directive.args[1]?.location ?? app.directive.location,
        how: `\`${[app.directive.name, ...app.directive.args.map((a) => a.raw).filter((w) => !/^[a-z-]+=/.test(w))].join(' ')}\``, apache: true,
      });
    }
  }
  return found;
}

/**
 * The script path of a WSGIScriptAlias. A templated directory splits into words (`{{ binary_path }}/nova-api-wsgi`):
 * the file name after the template is still what the release must ship.
 */
function scriptText(scriptPath: string, rawArgs: string): string {
  if (!/^(\{\{|\{%)/.test(scriptPath)) return scriptPath;
  return /\}\}(\S+)/.exec(rawArgs)?.[1] ?? scriptPath;
}

/** `keystone 29.0.2` and, when that is only the default target, how to set the real one. */
function targetedRelease(targets: Targets, component: string): string {
  const release = targets.services[component];
  const explicit = targets.explicitServices?.includes(component) ?? false;
  return `${component} ${release}${explicit ? '' : ` (the default; set \`targets.${component}\` to the release you run)`}`;
}

export const rule = defineRule({
  id: 'removed-entry-point',
  severity: 'error',
  severities: ['error', 'warning'],
  category: 'compatibility',
  description: 'A WSGI entry point (script, module, WSGI file, paste app) that the targeted service release no longer ships (error), does not ship yet (error), never shipped (error), or deprecates (warning)',
  targets: ['keystone', 'nova', 'placement', 'cinder', 'neutron', 'heat', 'barbican', 'octavia', 'ironic', 'manila', 'glance', 'designate', 'masakari', 'magnum', 'cyborg', 'watcher', 'freezer-api', 'horizon', 'gnocchi', 'trove', 'zun', 'mistral'],
  fixHint: 'Point uWSGI at the module the release ships (`module = keystone.wsgi.api:application`), or write your own .wsgi file for mod_wsgi; set `targets.<service>` to the release you run.',
  check({ deployment, report }) {
    const releaseOf = (component: string) => deployment.targets.services[component];
    for (const entry of entriesOf(deployment)) {
      const fact = factOf(entry);
      if (!fact) continue;
      const release = releaseOf(fact.component);
      if (release === undefined) continue;
      const verdict = judge(fact, release, targetedRelease(deployment.targets, fact.component));
      if (!verdict) continue;
      const replacement = stateIn(fact, release) === 'not-yet' ? predecessorIn(fact, releaseOf) : replacementIn(fact, releaseOf);
      report({
        severity: verdict.severity,
        location: entry.location,
        message: `${entry.how}: ${WHAT[fact.kind]} \`${fact.item}\` ${verdict.state}. ${advice(replacement, entry, fact.component, release)}`,
      });
    }
  },
});
