/**
 * Version facts as data, in the shape of pluto's versions.yaml: what a component deprecated or
 * removed, in which release, what replaces it, and where that is written down. Rules look items up
 * here and judge them against the release targeted (`targets.services.<component>`).
 */

export type VersionFactKind = 'wsgi-script';

export interface VersionFact {
  /** The project that ships the item, as named in `targets` (`glance`, `nova`). */
  component: string;
  kind: VersionFactKind;
  /** The item as deployments write it: for a WSGI script, the script's file name. */
  item: string;
  /** First release that deprecates it (warning from there on), when a source says so. */
  deprecatedIn?: string;
  /** First release without it (error from there on). */
  removedIn?: string;
  /** What to use instead, in the form the deployment writes it. */
  replacement: string;
  /** The OpenStack series of the removal, for messages. */
  removedInSeries?: string;
  source: string;
}

export const VERSION_FACTS: readonly VersionFact[] = [
  {
    component: 'glance', kind: 'wsgi-script', item: 'glance-wsgi-api',
    deprecatedIn: '30.0.0', removedIn: '32.0.0', removedInSeries: '2026.1',
    replacement: 'module = glance.wsgi.api:application',
    source: 'Glance docs, "Running Glance in HTTPD": changed in 30.0.0 (2025.1): glance.wsgi.api added, the glance-wsgi-api WSGI script deprecated for removal; changed in 32.0.0 (2026.1): the script has been removed',
  },
  {
    component: 'nova', kind: 'wsgi-script', item: 'nova-api-wsgi', removedIn: '33.0.0', removedInSeries: '2026.1',
    replacement: 'module = nova.wsgi.osapi_compute:application',
    source: 'Nova docs, "Using WSGI with Nova": changed in 33.0.0: removed the nova-api-wsgi and nova-metadata-wsgi WSGI scripts; use nova.wsgi.osapi_compute and nova.wsgi.metadata',
  },
  {
    component: 'nova', kind: 'wsgi-script', item: 'nova-metadata-wsgi', removedIn: '33.0.0', removedInSeries: '2026.1',
    replacement: 'module = nova.wsgi.metadata:application',
    source: 'Nova docs, "Using WSGI with Nova": changed in 33.0.0: removed the nova-api-wsgi and nova-metadata-wsgi WSGI scripts',
  },
  {
    component: 'designate', kind: 'wsgi-script', item: 'designate-api-wsgi', removedIn: '21.0.0', removedInSeries: '2025.2',
    replacement: 'module = designate.wsgi.api:application',
    source: 'Designate release notes, current series after 20.0.0 (2025.1): "The WSGI script designate-api-wsgi has been removed"; 2025.1 (20.0.x) notes re-added it for backward compatibility',
  },
  {
    component: 'masakari', kind: 'wsgi-script', item: 'masakari-wsgi', removedIn: '20.0.0', removedInSeries: '2025.2',
    replacement: 'module = masakari.wsgi.api:application',
    source: 'Masakari 2025.2 release notes, 20.0.0 upgrade notes: "The WSGI script masakari-wsgi has been removed"',
  },
  {
    component: 'blazar', kind: 'wsgi-script', item: 'blazar-api-wsgi', removedIn: '16.0.0', removedInSeries: '2025.2',
    replacement: 'module = blazar.wsgi.api:application',
    source: 'Blazar 2025.2 release notes, 16.0.0 upgrade notes: "The WSGI script blazar-api-wsgi has been removed"',
  },
  {
    component: 'cloudkitty', kind: 'wsgi-script', item: 'cloudkitty-api', removedIn: '23.0.0', removedInSeries: '2025.2',
    replacement: 'module = cloudkitty.wsgi.api:application',
    source: 'CloudKitty 2025.2 release notes, 23.0.0 upgrade notes: "The WSGI script cloudkitty-api has been removed"',
  },
  {
    component: 'cyborg', kind: 'wsgi-script', item: 'cyborg-api-wsgi', deprecatedIn: '15.0.0',
    replacement: 'module = cyborg.wsgi.api:application',
    source: 'Cyborg 2025.2 release notes, 15.0.0 deprecation notes: "The cyborg-api-wsgi console script is deprecated for removal"',
  },
];

/** The facts about a WSGI script, by the file name a deployment points at (`/usr/bin/glance-wsgi-api`). */
export function wsgiScriptFact(path: string): VersionFact | undefined {
  const base = path.trim().replace(/[/\\]+$/, '').split(/[/\\]/).pop() ?? '';
  return VERSION_FACTS.find((fact) => fact.kind === 'wsgi-script' && fact.item === base);
}
