/**
 * Deterministic benchmark inputs: a deployment of Apache vhosts (pulled in through
 * `IncludeOptional sites/*.conf` from a root config that `apache2 -t` accepts) and uWSGI ini files
 * that the vhosts proxy to, one large single-file Apache config, large parser-only texts and
 * pathological one-line inputs. Everything is written under the directory the caller gives (a temp
 * dir); nothing here reads the environment, so the same seed gives the same bytes everywhere.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Prng } from './prng';

export const APACHE_MODULE_DIR = '/usr/lib/apache2/modules';

/**
 * Modules the generated configs use. mod_wsgi is loaded because a share of the vhosts are mod_wsgi
 * daemons, as in the deployments deploylint lints; it makes `apache2 -t` start an embedded Python.
 */
const LOAD_MODULES: [string, string][] = [
  ['mpm_event_module', 'mod_mpm_event.so'],
  ['authz_core_module', 'mod_authz_core.so'],
  ['authz_host_module', 'mod_authz_host.so'],
  ['alias_module', 'mod_alias.so'],
  ['env_module', 'mod_env.so'],
  ['headers_module', 'mod_headers.so'],
  ['setenvif_module', 'mod_setenvif.so'],
  ['mime_module', 'mod_mime.so'],
  ['proxy_module', 'mod_proxy.so'],
  ['proxy_http_module', 'mod_proxy_http.so'],
  ['proxy_uwsgi_module', 'mod_proxy_uwsgi.so'],
  ['wsgi_module', 'mod_wsgi.so'],
];

const SERVICES = ['glance', 'placement', 'keystone', 'nova', 'cinder', 'heat', 'barbican', 'weblate', 'netbox', 'graphite'];

/** How a vhost reaches its application. */
type Backend = 'uwsgi-socket' | 'http-socket' | 'mod_wsgi';

function backendOf(index: number, rng: Prng): Backend {
  const r = rng.next();
  void index;
  return r < 0.5 ? 'uwsgi-socket' : r < 0.85 ? 'http-socket' : 'mod_wsgi';
}

export function apacheRootConfig(serverRoot: string, runDir: string, sitesGlob: string, modules: [string, string][] = LOAD_MODULES): string {
  return [
    '# Generated benchmark server tree: httpd reads this with `apache2 -t -f <this> -d <ServerRoot>`.',
    `ServerRoot "${serverRoot}"`,
    `PidFile "${runDir}/httpd.pid"`,
    `ErrorLog "${runDir}/error.log"`,
    `DefaultRuntimeDir "${runDir}"`,
    'ServerName bench.invalid',
    ...modules.map(([id, so]) => `LoadModule ${id} ${APACHE_MODULE_DIR}/${so}`),
    'Listen 127.0.0.1:18080',
    'Timeout 60',
    'KeepAlive On',
    'LogLevel warn',
    `Define BENCH_RUN "${runDir}"`,
    '<Directory />',
    '    AllowOverride None',
    '    Require all denied',
    '</Directory>',
    `IncludeOptional ${sitesGlob}`,
    '',
  ].join('\n');
}

/** One vhost, with a backend matching the uWSGI ini of the same index. */
export function apacheVhost(index: number, rng: Prng, runDir: string): { text: string; backend: Backend } {
  const service = rng.pick(SERVICES);
  const name = `${service}-${index}`;
  const backend = backendOf(index, rng);
  const port = 20000 + index;
  const lines: string[] = [
    `# ${name}: ${backend} backend`,
    '<VirtualHost 127.0.0.1:18080>',
    `    ServerName ${name}.bench.invalid`,
    `    ServerAlias www.${name}.bench.invalid api-${index}.bench.invalid`,
    `    DocumentRoot "${runDir}"`,
    `    ErrorLog "\${BENCH_RUN}/error.log"`,
    '    LimitRequestBody 0',
  ];
  if (rng.chance(0.5)) lines.push(`    Timeout ${rng.pick([30, 60, 90, 120, 300])}`);
  if (rng.chance(0.3)) lines.push('    ProxyPreserveHost On');
  if (rng.chance(0.4)) lines.push(`    RequestHeader set X-Forwarded-Proto "http"`);
  if (rng.chance(0.3)) lines.push(`    SetEnv APP_NAME ${name}`);
  if (rng.chance(0.2)) lines.push(`    SetEnv proxy-sendchunked 1`);
  lines.push(`    Alias /static/ "${runDir}/static-${index}/"`);
  lines.push(`    <Directory "${runDir}/static-${index}">`, '        Require all granted', '    </Directory>');
  if (backend === 'uwsgi-socket') {
    lines.push(`    ProxyPass /static/ !`);
    lines.push(`    ProxyPass / "unix:/run/uwsgi/app-${index}.sock|uwsgi://app-${index}/" timeout=${rng.pick([30, 60, 120])}`);
  } else if (backend === 'http-socket') {
    lines.push('    ProxyPass /static/ !');
    lines.push(`    ProxyPass / http://127.0.0.1:${port}/ \\`, `        retry=0 timeout=${rng.pick([30, 60, 120])}`);
    lines.push(`    ProxyPassReverse / http://127.0.0.1:${port}/`);
  } else {
    lines.push(`    WSGIDaemonProcess ${name} processes=${rng.int(1, 8)} threads=${rng.int(1, 16)} display-name=%{GROUP}`);
    lines.push(`    WSGIProcessGroup ${name}`);
    lines.push(`    WSGIApplicationGroup %{GLOBAL}`);
    lines.push(`    WSGIScriptAlias / "${runDir}/app-${index}/wsgi.py"`);
    lines.push('    WSGIPassAuthorization On');
  }
  lines.push('    <Location "/healthcheck">', '        Require all granted', '    </Location>');
  lines.push('    <IfModule mod_headers.c>', '        Header always set X-Content-Type-Options "nosniff"', '    </IfModule>');
  lines.push('</VirtualHost>', '');
  return { text: lines.join('\n'), backend };
}

export function uwsgiIni(index: number, rng: Prng, backend: Backend, commonIni: string): string {
  const service = rng.pick(SERVICES);
  const lines: string[] = [
    `; ${service} application ${index}`,
    '[uwsgi]',
    `base = /srv/${service}-${index}`,
    `chdir = %(base)`,
    `module = ${service}.wsgi:application`,
    `virtualenv = %(base)/venv`,
  ];
  if (backend === 'http-socket') lines.push(`http-socket = 127.0.0.1:${20000 + index}`);
  else lines.push(`socket = /run/uwsgi/app-${index}.sock`, 'chmod-socket = 660');
  lines.push(`processes = ${rng.int(1, 16)}`, `threads = ${rng.int(1, 8)}`);
  lines.push('master', 'die-on-term = true', 'enable-threads = true', 'vacuum = true');
  if (rng.chance(0.5)) lines.push(`harakiri = ${rng.pick([30, 60, 120, 600])}`);
  if (rng.chance(0.4)) lines.push(`buffer-size = ${rng.pick([4096, 8192, 32768, 65535])}`);
  if (rng.chance(0.3)) lines.push(`socket-timeout = ${rng.pick([4, 10, 30, 60])}`);
  if (rng.chance(0.3)) lines.push(`post-buffering = ${rng.pick([0, 4096, 65536])}`);
  if (rng.chance(0.3)) lines.push('# logging', `logto = /var/log/uwsgi/${service}-${index}.log`, 'log-date = true');
  if (rng.chance(0.2)) lines.push(`env = DJANGO_SETTINGS_MODULE=${service}.settings`, 'env = LANG=C.UTF-8');
  if (rng.chance(0.1)) lines.push(`ini = ${commonIni}`);
  lines.push('');
  return lines.join('\n');
}

export interface Deployment {
  dir: string;
  /** Root Apache config (includes every vhost). */
  apacheRoot: string;
  apacheServerRoot: string;
  iniFiles: string[];
  vhostFiles: string[];
  /** Every file lint() reads, for MB/s. */
  totalBytes: number;
  apacheBytes: number;
}

/** `count` vhost files and `count` ini files under `dir`. */
export function writeDeployment(dir: string, count: number, seed: number): Deployment {
  const rng = new Prng(seed);
  const serverRoot = path.join(dir, 'apache');
  const sites = path.join(serverRoot, 'sites');
  const runDir = path.join(dir, 'run');
  const iniDir = path.join(dir, 'uwsgi');
  for (const d of [sites, runDir, iniDir]) fs.mkdirSync(d, { recursive: true });
  const commonIni = path.join(iniDir, 'common', 'base.ini');
  fs.mkdirSync(path.dirname(commonIni), { recursive: true });
  const common = '[uwsgi]\nstrict = true\nneed-app = true\nlisten = 128\nmax-requests = 5000\n';
  fs.writeFileSync(commonIni, common);
  let totalBytes = common.length;
  let apacheBytes = 0;
  const rootText = apacheRootConfig(serverRoot, runDir, 'sites/*.conf');
  const apacheRoot = path.join(serverRoot, 'apache2.conf');
  fs.writeFileSync(apacheRoot, rootText);
  apacheBytes += rootText.length;
  const iniFiles: string[] = [];
  const vhostFiles: string[] = [];
  const width = String(count - 1).length;
  for (let i = 0; i < count; i++) {
    const id = String(i).padStart(width, '0');
    const vhost = apacheVhost(i, rng, runDir);
    const vhostFile = path.join(sites, `site-${id}.conf`);
    fs.writeFileSync(vhostFile, vhost.text);
    vhostFiles.push(vhostFile);
    apacheBytes += Buffer.byteLength(vhost.text);
    const ini = uwsgiIni(i, rng, vhost.backend, commonIni);
    const iniFile = path.join(iniDir, `app-${id}.ini`);
    fs.writeFileSync(iniFile, ini);
    iniFiles.push(iniFile);
    totalBytes += Buffer.byteLength(ini);
  }
  totalBytes += apacheBytes;
  return { dir, apacheRoot, apacheServerRoot: serverRoot, iniFiles, vhostFiles, totalBytes, apacheBytes };
}

/** One Apache config file of exactly `lineCount` lines: the root config, then vhosts until full. */
export function apacheSingleFile(lineCount: number, seed: number, serverRoot: string, runDir: string): string {
  const rng = new Prng(seed);
  const lines = apacheRootConfig(serverRoot, runDir, 'no-such-dir/*.conf').split('\n');
  lines.pop();
  for (let i = 0; lines.length < lineCount; i++) {
    const vhost = apacheVhost(i, rng, runDir).text.split('\n');
    vhost.pop();
    if (lines.length + vhost.length > lineCount) {
      while (lines.length < lineCount) lines.push('# padding');
      break;
    }
    lines.push(...vhost);
  }
  return lines.join('\n') + '\n';
}

/** A multi-section ini text of at least `bytes` bytes (sections of ~40 options each). */
export function largeIni(bytes: number, seed: number): string {
  const rng = new Prng(seed);
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const backend = backendOf(i, rng);
    let text = uwsgiIni(i, rng, backend, '/nonexistent/base.ini').replace(/^ini = .*\n/m, '');
    if (i > 0) text = text.replace('[uwsgi]', `[app-${i}]`);
    parts.push(text);
    size += text.length;
  }
  return parts.join('');
}

/** An Apache config text of at least `bytes` bytes (vhosts, nested sections, continuations). */
export function largeApache(bytes: number, seed: number): string {
  const rng = new Prng(seed);
  const parts: string[] = [apacheRootConfig('/srv/bench', '/srv/bench/run', 'sites/*.conf')];
  let size = parts[0].length;
  for (let i = 0; size < bytes; i++) {
    const text = apacheVhost(i, rng, '/srv/bench/run').text;
    parts.push(text);
    size += text.length;
  }
  return parts.join('');
}

/** One line of about 1 MB built from a repeated fragment, after a key. */
export function pathologicalLine(prefix: string, fragment: string, bytes = 1 << 20): string {
  return prefix + fragment.repeat(Math.ceil(bytes / fragment.length)) + '\n';
}

/** The fragments each parser gets a 1 MB line of (unterminated expansions, quotes, escapes). */
export const INI_PATHOLOGICAL: Record<string, string> = {
  'unclosed %(': '%(',
  'unclosed $(': '$(',
  'nested %(%(': '%(a%(b',
  'quotes "\'': '"\'',
  'backslashes': '\\',
  'mixed': '%($(@("\\;#',
};

export const APACHE_PATHOLOGICAL: Record<string, string> = {
  'unclosed ${': '${',
  'quotes "\'': '"\'',
  'backslashes': '\\',
  'escaped quotes': '"\\"',
  '< brackets': '<',
  'mixed': '${"\\<%{',
};

export interface ApacheTree {
  root: string;
  serverRoot: string;
  files: string[];
  bytes: number;
}

/**
 * A server tree of at least `bytes` bytes that `apache2 -t` accepts: the root config and site files
 * of `vhostsPerFile` vhosts each, pulled in with `IncludeOptional sites/*.conf`.
 */
export function writeApacheTree(dir: string, bytes: number, seed: number, vhostsPerFile = 64): ApacheTree {
  const rng = new Prng(seed);
  const serverRoot = path.join(dir, 'apache');
  const sites = path.join(serverRoot, 'sites');
  const runDir = path.join(dir, 'run');
  for (const d of [sites, runDir]) fs.mkdirSync(d, { recursive: true });
  const root = path.join(serverRoot, 'apache2.conf');
  const rootText = apacheRootConfig(serverRoot, runDir, 'sites/*.conf');
  fs.writeFileSync(root, rootText);
  const files = [root];
  let total = Buffer.byteLength(rootText);
  let vhostIndex = 0;
  for (let f = 0; total < bytes; f++) {
    const parts: string[] = [];
    for (let v = 0; v < vhostsPerFile; v++) parts.push(apacheVhost(vhostIndex++, rng, runDir).text);
    const text = parts.join('');
    const file = path.join(sites, `sites-${String(f).padStart(5, '0')}.conf`);
    fs.writeFileSync(file, text);
    files.push(file);
    total += Buffer.byteLength(text);
  }
  return { root, serverRoot, files, bytes: total };
}

/**
 * The modules the many-small-files tree needs: its routes are mod_proxy_http and mod_proxy_uwsgi
 * only, so mod_wsgi (whose embedded Python start would add to httpd's time) is not loaded.
 */
const SMALL_TREE_MODULES: [string, string][] = LOAD_MODULES.filter(([id]) => id !== 'wsgi_module' && id !== 'alias_module' && id !== 'mime_module');

/** One small vhost file: one <VirtualHost>, its routes in <Location> blocks, reaching the ini of the same index. */
export function smallVhost(index: number, rng: Prng, backend: 'uwsgi-socket' | 'http-socket'): string {
  const name = `${rng.pick(SERVICES)}-${index}`;
  const target = backend === 'http-socket' ? `http://127.0.0.1:${20000 + index}` : `unix:/run/uwsgi/app-${index}.sock|uwsgi://app-${index}`;
  const lines = [`# ${name}: ${backend} backend`, '<VirtualHost 127.0.0.1:18080>', `    ServerName ${name}.bench.invalid`,
    `    ServerAlias api-${index}.bench.invalid`, `    DocumentRoot "\${BENCH_RUN}"`, `    ErrorLog "\${BENCH_RUN}/error.log"`, '    LimitRequestBody 0'];
  if (rng.chance(0.5)) lines.push(`    Timeout ${rng.pick([30, 60, 120, 300])}`);
  if (rng.chance(0.3)) lines.push('    ProxyPreserveHost On');
  const route = rng.pick(['/', '/api', '/v2', '/app']);
  const path = route === '/' ? '/' : route;
  lines.push(`    <Location "${route}">`, `        ProxyPass "${target}${path}" timeout=${rng.pick([30, 60, 120])}`);
  if (backend === 'http-socket') lines.push(`        ProxyPassReverse "${target}${path}"`);
  if (rng.chance(0.4)) lines.push('        RequestHeader set X-Forwarded-Proto "https"');
  if (backend === 'http-socket' && rng.chance(0.3)) lines.push('        SetEnv proxy-sendcl 1');
  lines.push('    </Location>');
  if (rng.chance(0.5)) lines.push('    <Location "/static">', '        ProxyPass "!"', '    </Location>');
  if (rng.chance(0.5)) lines.push('    <Location "/healthcheck">', '        Require all granted', '    </Location>');
  if (rng.chance(0.5)) lines.push('    Header always set X-Content-Type-Options "nosniff"');
  lines.push('</VirtualHost>', '');
  return lines.join('\n');
}

export function smallIni(index: number, rng: Prng, backend: 'uwsgi-socket' | 'http-socket'): string {
  const service = rng.pick(SERVICES);
  const lines = [`; ${service} application ${index}`, '[uwsgi]', `chdir = /srv/${service}-${index}`, `module = ${service}.wsgi:application`,
    `virtualenv = /srv/${service}-${index}/venv`];
  lines.push(backend === 'http-socket' ? `http-socket = 127.0.0.1:${20000 + index}` : `socket = /run/uwsgi/app-${index}.sock`);
  if (backend === 'uwsgi-socket') lines.push('chmod-socket = 660');
  lines.push('master = true', `processes = ${rng.int(1, 8)}`, `threads = ${rng.int(1, 4)}`);
  if (rng.chance(0.7)) lines.push('die-on-term = true');
  if (rng.chance(0.5)) lines.push('vacuum = true');
  if (rng.chance(0.4)) lines.push(`buffer-size = ${rng.pick([4096, 32768, 65535])}`);
  if (rng.chance(0.3)) lines.push(`socket-timeout = ${rng.pick([4, 30, 60])}`);
  if (rng.chance(0.3)) lines.push(`harakiri = ${rng.pick([30, 60, 120])}`);
  if (rng.chance(0.2)) lines.push('http-chunked-input = true');
  if (rng.chance(0.5)) lines.push(`logto = /var/log/uwsgi/${service}-${index}.log`);
  lines.push('');
  return lines.join('\n');
}

/**
 * The many-small-files tree: `count` vhost files of one <VirtualHost> each under an apache2.conf
 * (`IncludeOptional sites/*.conf`) that `apache2 -t` accepts, and `count` small uWSGI ini files, laid
 * out as writeDeployment lays its tree (apache/, uwsgi/, run/). 3,000 + 3,000 files are about 2.3 MB.
 */
export function writeSmallFilesTree(dir: string, count: number, seed: number): Deployment {
  const rng = new Prng(seed);
  const serverRoot = path.join(dir, 'apache');
  const sites = path.join(serverRoot, 'sites');
  const runDir = path.join(dir, 'run');
  const iniDir = path.join(dir, 'uwsgi');
  for (const d of [sites, runDir, iniDir]) fs.mkdirSync(d, { recursive: true });
  const rootText = apacheRootConfig(serverRoot, runDir, 'sites/*.conf', SMALL_TREE_MODULES);
  const apacheRoot = path.join(serverRoot, 'apache2.conf');
  fs.writeFileSync(apacheRoot, rootText);
  let apacheBytes = Buffer.byteLength(rootText);
  let totalBytes = 0;
  const iniFiles: string[] = [];
  const vhostFiles: string[] = [];
  const width = String(count - 1).length;
  for (let i = 0; i < count; i++) {
    const id = String(i).padStart(width, '0');
    const backend = rng.chance(0.5) ? 'uwsgi-socket' : 'http-socket';
    const vhost = smallVhost(i, rng, backend);
    const vhostFile = path.join(sites, `site-${id}.conf`);
    fs.writeFileSync(vhostFile, vhost);
    vhostFiles.push(vhostFile);
    apacheBytes += Buffer.byteLength(vhost);
    const ini = smallIni(i, rng, backend);
    const iniFile = path.join(iniDir, `app-${id}.ini`);
    fs.writeFileSync(iniFile, ini);
    iniFiles.push(iniFile);
    totalBytes += Buffer.byteLength(ini);
  }
  totalBytes += apacheBytes;
  return { dir, apacheRoot, apacheServerRoot: serverRoot, iniFiles, vhostFiles, totalBytes, apacheBytes };
}
