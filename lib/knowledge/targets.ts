/**
 * Versions deploylint checks against. Defaults are the current stable releases; `--target` or the
 * config's `targets` override them. Version strings compare numerically part by part.
 */
export interface Targets {
  /** uWSGI line: '2.0' (released; 2.0.30 is the newest) or '2.1' (master branch). */
  uwsgi: string;
  httpd: string;
  modWsgi: string;
  /** Service releases, e.g. { glance: '32.0.0' }. */
  services: Record<string, string>;
  /** Services whose release was given (`--target`, config); the others hold their default. */
  explicitServices?: string[];
}

/**
 * Service releases checked when none is targeted: the newest release of each component in
 * data/service-entry-points.tsv (the newest release tag read for the table; glance 32.0.0 is
 * 2026.1, ironic 38.0.0 and horizon 26.0.0 are 2026.2, gnocchi is released on its own). A rule that
 * judges a default target says so in its message, so users on an older release know to set theirs.
 */
export const DEFAULT_SERVICE_TARGETS: Readonly<Record<string, string>> = {
  aodh: '22.0.1', barbican: '22.0.0', blazar: '17.0.0', ceilometer: '26.0.0', cinder: '28.0.0', cloudkitty: '24.0.0', cyborg: '16.0.1',
  designate: '22.0.1', 'freezer-api': '18.0.0', glance: '32.0.0', gnocchi: '4.7.0', heat: '26.0.1', horizon: '26.0.0',
  ironic: '38.0.0', keystone: '29.0.2', magnum: '22.0.0', manila: '22.0.0', masakari: '21.0.0', mistral: '22.0.0',
  neutron: '28.0.1', nova: '33.0.2', octavia: '18.0.0', placement: '15.0.0', trove: '25.0.0', watcher: '16.0.2',
  zaqar: '22.0.0', zun: '16.0.0',
};

export const DEFAULT_TARGETS: Targets = {
  uwsgi: '2.0',
  httpd: '2.4.71',
  modWsgi: '4.9.4',
  services: { ...DEFAULT_SERVICE_TARGETS },
};

const COMPONENTS = new Set(['uwsgi', 'httpd', 'modwsgi', 'mod_wsgi', 'mod-wsgi']);

/** Merge `{ uwsgi: '2.1', glance: '31' }`-style overrides into the defaults. */
export function resolveTargets(overrides: Record<string, string> | undefined): Targets {
  const targets: Targets = { ...DEFAULT_TARGETS, services: { ...DEFAULT_TARGETS.services } };
  for (const [rawKey, value] of Object.entries(overrides ?? {})) {
    const key = rawKey.toLowerCase();
    if (key === 'uwsgi') targets.uwsgi = value;
    else if (key === 'httpd' || key === 'apache') targets.httpd = value;
    else if (COMPONENTS.has(key)) targets.modWsgi = value;
    else {
      targets.services[key] = value;
      targets.explicitServices = [...(targets.explicitServices ?? []), key];
    }
  }
  return targets;
}

/**
 * Compare dotted versions numerically, part by part: compareVersions('2.0.27', '2.0.3') > 0. A part
 * that is not a number counts as 0 (`2.4.x`), and so does a missing one (`2.4` = `2.4.0`). `parts`
 * limits the comparison to the first N parts: httpd's mod_version compares major.minor.patch only
 * (`{ parts: 3 }`), so `2.4.71-1` is 2.4.71 there. The sign is the answer; the size means nothing.
 *
 * This is the one version comparison of deploylint (targets, version facts, suppressions' until=,
 * uWSGI defaults, and `<IfVersion>` in the Apache resolver).
 */
export function compareVersions(a: string, b: string, options: { parts?: number } = {}): number {
  const pa = a.split(/[.\-]/).map((part) => parseInt(part, 10));
  const pb = b.split(/[.\-]/).map((part) => parseInt(part, 10));
  const length = Math.min(Math.max(pa.length, pb.length), options.parts ?? Infinity);
  for (let i = 0; i < length; i++) {
    const x = Number.isNaN(pa[i]) || pa[i] === undefined ? 0 : pa[i];
    const y = Number.isNaN(pb[i]) || pb[i] === undefined ? 0 : pb[i];
    if (x !== y) return x - y;
  }
  return 0;
}

/**
 * The uWSGI line of the targets: '2.1' (master) for a target at or past 2.1, else the released 2.0
 * line. The one derivation: the model computes it once per deployment (`deployment.uwsgiLine`).
 */
export function uwsgiLine(targets: Targets): '2.0' | '2.1' {
  return compareVersions(targets.uwsgi, '2.1') >= 0 ? '2.1' : '2.0';
}
