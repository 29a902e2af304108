/**
 * What a WSGI application needs from its front ends and how it reads request bodies.
 * A profile is detected from the uWSGI `module` / `wsgi-file` / `mount`, the mod_wsgi script path,
 * or overridden in configuration (`appProfiles`: pattern -> profile id).
 */
import type { SourceLocation } from '../core/source';

export interface AppProfileDefinition {
  id: string;
  /** Human name for messages. */
  name: string;
  /**
   * Reads `Transfer-Encoding: chunked` bodies with uWSGI's chunked API (uwsgi.chunked_read) when it
   * runs under uWSGI, so chunked uploads reach it through http-socket and the router (with
   * http-chunked-input). A plain WSGI app reads only wsgi.input, which is empty for a chunked body
   * under uWSGI 2.0 (measured: lab-findings.md, "uWSGI alone").
   */
  readsChunkedWithUwsgiApi: boolean;
  /**
   * Whether the service takes request bodies that clients send chunked: true (its usual clients
   * do, e.g. python-glanceclient for every image upload), false (its clients never do: they send
   * JSON or other bodies of known length with Content-Length), or 'unknown' (depends on clients the
   * files do not show). the client code that decides is cited in each profile's `source`.
   */
  takesChunkedUploads: boolean | 'unknown';
  /**
   * Who sends the chunked bodies, for messages: a fact when `takesChunkedUploads` is true, the
   * assumption a warning rests on when it is 'unknown'. Absent for a generic app.
   */
  chunkedClients?: string;
  /**
   * Its chunked endpoint reads bodies only through uwsgi.chunked_read(): under mod_wsgi it refuses
   * chunked bodies itself (gnocchi's InfluxDB write endpoint answers 501), whatever
   * WSGIChunkedRequest says.
   */
  chunkedNeedsUwsgi?: boolean;
  /**
   * Takes request bodies above 1 GiB (httpd's LimitRequestBody default since 2.4.54): true (images),
   * false (its bodies are small JSON), 'unknown' (a generic app).
   */
  takesLargeUploads: boolean | 'unknown';
  /** Streams long uploads, so a client stall longer than the socket timeout kills the request. */
  streamsLongUploads: boolean;
  /** Receives large request headers (tokens), so the default 4096-byte buffer-size is too small. */
  largeHeaders: boolean;
  /**
   * How to recognise the app, all lower-cased: `modules` and `scripts` are substrings of the module,
   * wsgi-file, script path, socket path or config file name; `paths` are the URL paths the service
   * is conventionally mounted at (devstack and the install guides), matched as a whole path segment.
   */
  match: { modules: string[]; scripts: string[]; paths?: string[] };
  /**
   * The service's bare names, for the directories a template is kept in when nothing in the file
   * names it (kolla-ansible's `roles/<service>/templates`, openstack-ansible's `os_<service>`, a
   * charm's `charm-<service>`, puppet's `puppet-<service>`).
   */
  services?: string[];
  source: string;
}

export const APP_PROFILES: AppProfileDefinition[] = [
  {
    id: 'glance',
    name: 'OpenStack Glance (Images API)',
    readsChunkedWithUwsgiApi: true,
    takesChunkedUploads: true,
    chunkedClients: 'python-glanceclient sends every image upload chunked',
    takesLargeUploads: true,
    streamsLongUploads: true,
    largeHeaders: true,
    match: { modules: ['glance.wsgi.api', 'glance.common.wsgi_app'], scripts: ['glance-wsgi-api', 'glance-api', 'glance-uwsgi'], paths: ['/image'] },
    services: ['glance'],
    source:
      'glance/common/wsgi.py class _UWSGIChunkFile reads chunked bodies with uwsgi.chunked_read(); python-glanceclient@0b06bb41ca9e glanceclient/common/http.py:81 _chunk_body (a generator, so requests sends it chunked) for every upload and stage (glanceclient/v2/images.py:302, :356), which nova snapshots, cinder upload-to-image and Horizon legacy uploads go through; openstacksdk/OSC send chunked from stdin or a pipe; multi-GB images; devstack write_local_uwsgi_http_config (field-facts.md)',
  },
  {
    id: 'keystone',
    name: 'OpenStack Keystone (Identity API)',
    readsChunkedWithUwsgiApi: false,
    takesChunkedUploads: false,
    takesLargeUploads: false,
    streamsLongUploads: false,
    largeHeaders: true,
    match: {
      modules: ['keystone.wsgi.api', 'keystone.server.wsgi'],
      scripts: ['keystone-wsgi-public', 'keystone-wsgi-admin', 'keystone-wsgi', 'keystone.wsgi', 'httpd-keystone', 'keystone-httpd', 'uwsgi-keystone', 'keystone-uwsgi', 'wsgi-keystone'],
      paths: ['/identity'],
    },
    services: ['keystone'],
    source: 'Keystone and services receive X-Auth-Token / X-Subject-Token headers (Fernet, federation, service tokens); devstack sets buffer-size = 65535 for every API (field-facts.md); its clients send JSON through keystoneauth1 json= (Content-Length)',
  },
  {
    id: 'gnocchi',
    name: 'Gnocchi (metrics API)',
    readsChunkedWithUwsgiApi: true,
    takesChunkedUploads: 'unknown',
    chunkedClients: 'InfluxDB line-protocol writers may post chunked bodies to /v1/influxdb/write',
    chunkedNeedsUwsgi: true,
    takesLargeUploads: false,
    streamsLongUploads: false,
    largeHeaders: true,
    match: { modules: ['gnocchi'], scripts: ['gnocchi-api'] },
    services: ['gnocchi'],
    source: 'gnocchixyz/gnocchi@a72db93f9303 gnocchi/rest/influxdb.py:141 InfluxDBController._write_get_lines reads Transfer-Encoding: chunked with uwsgi.chunked_read() (:151) and answers 501 "This server is not running with uwsgi" under any other server; python-gnocchiclient@03a0e6ea052d v1/metric.py:192-223 posts ujson.dumps() strings (Content-Length)',
  },
  {
    id: 'horizon',
    name: 'OpenStack Horizon (dashboard)',
    readsChunkedWithUwsgiApi: false,
    takesChunkedUploads: false,
    takesLargeUploads: true,
    streamsLongUploads: true,
    largeHeaders: false,
    match: { modules: ['openstack_dashboard'], scripts: ['django.wsgi'], paths: ['/dashboard', '/horizon'] },
    services: ['horizon', 'openstack-dashboard'],
    source: 'Browsers post multipart forms with Content-Length; in the default HORIZON_IMAGES_UPLOAD_MODE = \'legacy\' (openstack_dashboard/defaults.py:211) whole images go through Horizon (openstack_dashboard/api/glance.py:456 image_create), so uploads are large and long',
  },
  {
    id: 'openstack-api',
    name: 'OpenStack API service',
    readsChunkedWithUwsgiApi: false,
    takesChunkedUploads: false,
    takesLargeUploads: false,
    streamsLongUploads: false,
    largeHeaders: true,
    match: {
      modules: ['nova.wsgi', 'cinder.wsgi', 'neutron.wsgi', 'placement.wsgi', 'heat.wsgi', 'barbican.wsgi', 'octavia.wsgi', 'ironic.wsgi', 'manila.wsgi', 'aodh.wsgi', 'watcher.wsgi', 'designate.wsgi', 'zaqar', 'masakari.wsgi', 'mistral', 'trove', 'zun', 'cyborg.wsgi', 'panko', 'blazar', 'magnum.wsgi', 'cloudkitty', 'freezer_api',
        'ceilometer.api', 'monasca_api', 'monasca_log_api', 'qinling.api', 'vitrage.api', 'ironic_inspector', 'ironic_prometheus_exporter', 'ec2api'],
      scripts: ['nova-api', 'nova-metadata', 'cinder-wsgi', 'cinder-api', 'neutron-api', 'placement-api', 'placement-uwsgi', 'heat-wsgi', 'heat-api', 'barbican-wsgi', 'barbican-api', 'octavia-wsgi', 'ironic-api', 'manila-wsgi', 'aodh-api', 'watcher-api', 'designate-api', 'zaqar', 'masakari', 'mistral', 'trove', 'zun-api', 'panko-api', 'cyborg', 'magnum-api', 'cloudkitty-api', 'freezer-api', 'osapi_volume', 'osapi_share',
        'ceilometer-api', 'monasca-api', 'monasca-log-api', 'qinling-api', 'qinling-wsgi', 'vitrage-api', 'vitrage-wsgi', 'ironic-inspector', 'ironic-prometheus-exporter', 'ec2-api', 'ec2api-api'],
    },
    services: ['nova', 'cinder', 'neutron', 'placement', 'heat', 'barbican', 'octavia', 'ironic', 'manila', 'aodh', 'watcher', 'designate', 'zaqar', 'masakari', 'mistral', 'trove', 'zun', 'cyborg', 'panko', 'blazar', 'magnum', 'cloudkitty', 'freezer', 'ceilometer', 'monasca', 'qinling', 'vitrage', 'ironic-inspector', 'ec2-api', 'senlin', 'sahara', 'murano', 'solum', 'tacker', 'karbor', 'searchlight', 'congress', 'kuryr', 'venus', 'skyline'],
    source: 'OpenStack services take Keystone tokens in headers; devstack sets buffer-size = 65535 (field-facts.md). Their clients send JSON or strings with Content-Length, never chunked bodies: heatclient common/http.py:314, ironicclient common/http.py:499, barbicanclient v1/secrets.py:392/:415, zunclient v1/containers.py:226, troveclient client.py:155, zaqarclient transport/http.py:100, designateclient v2/zones.py:178, cinderclient client.py:397, magnumclient common/httpclient.py:238, manilaclient common/httpclient.py:136; the others through keystoneauth1 json=, whose requests carry a Content-Length (requests sends a body chunked only when it is a generator or a stream of unknown length)',
  },
  {
    id: 'generic',
    name: 'generic WSGI application',
    readsChunkedWithUwsgiApi: false,
    takesChunkedUploads: 'unknown',
    takesLargeUploads: 'unknown',
    streamsLongUploads: false,
    largeHeaders: false,
    match: { modules: [], scripts: [] },
    source: 'PEP 3333: a WSGI app reads the body from wsgi.input, sized by CONTENT_LENGTH',
  },
];

/** A profile as attached to one app in the model, with how it was decided. */
export interface AppProfile extends AppProfileDefinition {
  decidedBy: 'detected' | 'config' | 'default';
  /** The module / wsgi-file / WSGIScriptAlias the decision was made from. */
  evidence?: SourceLocation;
  /** The module, script or file name the profile was matched on. */
  entry?: string;
}

export function getAppProfileDefinition(id: string): AppProfileDefinition | undefined {
  return APP_PROFILES.find((profile) => profile.id === id);
}

/**
 * The profile a template's directories name, when nothing in the file does: a directory that is the
 * service's name, or ends or starts with it as a word (`roles/keystone/templates`, `os_keystone`,
 * `charm-keystone`, `puppet-keystone`, `glance-api`). The file name itself is matched as an entry.
 */
export function profileFromDirectories(file: string, location?: SourceLocation): AppProfile | undefined {
  const slash = file.lastIndexOf('/');
  const directory = slash < 0 ? '' : file.slice(0, slash);
  let hit = directoryCache.get(directory);
  if (hit === undefined) {
    hit = null;
    search: for (const dir of directory.split('/').map((d) => d.toLowerCase()).reverse()) {
      for (const definition of APP_PROFILES) {
        for (const service of definition.services ?? []) {
          if (dir === service || dir.endsWith(`-${service}`) || dir.endsWith(`_${service}`) || dir.startsWith(`${service}-`) || dir.startsWith(`${service}_`)) {
            hit = { definition, dir };
            break search;
          }
        }
      }
    }
    if (directoryCache.size > 10_000) directoryCache.clear();
    directoryCache.set(directory, hit);
  }
  return hit ? { ...hit.definition, decidedBy: 'detected', evidence: location, entry: hit.dir } : undefined;
}

/** What each directory names (thousands of files share a few directories). */
const directoryCache = new Map<string, { definition: AppProfileDefinition; dir: string } | null>();

/** Which profiles an entry string names, worked out once per string (thousands of apps share a few module names). */
const matchCache = new Map<string, Set<string>>();

function matchesEntry(definition: AppProfileDefinition, entryText: string): boolean {
  let ids = matchCache.get(entryText);
  if (!ids) {
    ids = new Set();
    const text = entryText.toLowerCase();
    const base = text.split('/').pop() ?? text;
    for (const d of APP_PROFILES) {
      const byPath = (d.match.paths ?? []).some((p) => text === p || text.startsWith(`${p}/`) || text === `^${p}` || text.startsWith(`^${p}/`));
      if (byPath || d.match.modules.some((m) => text.includes(m)) || d.match.scripts.some((sc) => base.includes(sc) || text.includes(`/${sc}`))) ids.add(d.id);
    }
    if (matchCache.size > 50_000) matchCache.clear();
    matchCache.set(entryText, ids);
  }
  return ids.has(definition.id);
}

/**
 * Decide the profile of an app from its entry strings (module, wsgi-file, script path, route path).
 * Config overrides are `pattern -> id`, where the pattern is a substring or a `*` glob.
 */
export function detectAppProfile(
  entries: { text: string; location?: SourceLocation }[],
  overrides: Record<string, string> = {},
): AppProfile {
  for (const [pattern, id] of Object.entries(overrides)) {
    const matcher = patternMatcher(pattern);
    const hit = entries.find((entry) => matcher(entry.text));
    const definition = getAppProfileDefinition(id);
    if (hit && definition) return { ...definition, decidedBy: 'config', evidence: hit.location, entry: hit.text };
  }
  for (const definition of APP_PROFILES) {
    for (const entry of entries) {
      if (matchesEntry(definition, entry.text)) return { ...definition, decidedBy: 'detected', evidence: entry.location, entry: entry.text };
    }
  }
  const generic = getAppProfileDefinition('generic')!;
  return { ...generic, decidedBy: 'default', evidence: entries[0]?.location, entry: entries[0]?.text };
}

/**
 * A config override's pattern: a substring, or with `*` a glob over the whole text (`*` is any run
 * of characters). Matched directly, never through a RegExp: the pattern comes from a config file in
 * the linted repository, and `a*a*a*a*b` as a backtracking RegExp is exponential. The literal pieces
 * between the stars are placed leftmost in order (optimal for `*`-only globs), O(text x pattern).
 */
export function patternMatcher(pattern: string): (text: string) => boolean {
  if (!pattern.includes('*')) return (text) => text.includes(pattern);
  const parts = pattern.split('*');
  const head = parts[0];
  const tail = parts[parts.length - 1];
  const middle = parts.slice(1, -1).filter((part) => part !== '');
  return (text) => {
    if (text.length < head.length + tail.length || !text.startsWith(head) || !text.endsWith(tail)) return false;
    const end = text.length - tail.length;
    let at = head.length;
    for (const part of middle) {
      const found = text.indexOf(part, at);
      if (found < 0 || found + part.length > end) return false;
      at = found + part.length;
    }
    return true;
  };
}

/**
 * What a chunked-upload finding rests on, for its message: the clients known to send chunked
 * bodies (a fact: the finding is an error), or the assumption a warning makes, named.
 */
export function chunkedTrafficClause(apps: AppProfileDefinition[]): string {
  const sender = apps.find((app) => app.takesChunkedUploads === true && app.chunkedClients);
  if (sender) return `${sender.chunkedClients}`;
  const maybe = apps.find((app) => app.takesChunkedUploads === 'unknown' && app.chunkedClients);
  if (maybe) return `if clients send them: ${maybe.chunkedClients}`;
  return 'if its clients send any (the files do not show whether they do)';
}
