/**
 * Endpoint normalisation, so that an Apache ProxyPass target and a uWSGI socket can be compared:
 * `:8000`, `0.0.0.0:8000`, `*:8000` and `[::]:8000` listen on every interface; `127.0.0.1`,
 * `localhost` and `[::1]` are loopback; `unix:/run/x.sock|uwsgi://name/` and `/run/x.sock` are paths.
 */
import type { Endpoint } from './types';

const UNRESOLVED = /\{\{|\{%|\$\{|\$\(|%\(|@@|%[A-Z_]+%|<[A-Za-z_]+>/;
const WILDCARD_HOSTS = new Set(['', '*', '0.0.0.0', '::', '[::]']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', 'ip6-localhost']);

function classifyHost(host: string): 'wildcard' | 'loopback' | 'named' {
  const h = host.toLowerCase();
  if (WILDCARD_HOSTS.has(h)) return 'wildcard';
  if (LOOPBACK_HOSTS.has(h) || /^127\.\d+\.\d+\.\d+$/.test(h)) return 'loopback';
  return 'named';
}

/**
 * A uWSGI socket value: `:8000`, `127.0.0.1:8000`, `[::1]:8000`, `/run/app.sock`, `@abstract`, `addr,crt,key` (https).
 * `templated`: the value holds a template expression (a rendered placeholder word). A word with no
 * `/`, `@` or `.` first and no `:` is then any address, not a unix path; a `:` in it is literal (no
 * placeholder has one), and uWSGI binds an address with a `:` over TCP (uwsgi_bind_sockets: strrchr),
 * so `$APACHE_LOCAL_HOST:$port` is TCP on a port the files do not fix.
 */
export function parseUwsgiAddress(value: string, templated = false): Endpoint {
  const written = value.trim();
  const address = written.split(',')[0].trim();
  if (UNRESOLVED.test(address) || address === '') return { kind: 'unresolved', written };
  if (address.startsWith('/') || address.startsWith('@') || address.startsWith('.')) return { kind: 'unix', path: address, written };
  if (!address.includes(':')) return templated ? { kind: 'unresolved', written } : { kind: 'unix', path: address, written };
  return parseHostPort(address, written) ?? { kind: 'unresolved', written, transport: 'tcp' };
}

function parseHostPort(address: string, written: string): Endpoint | null {
  let host: string;
  let portText: string;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close < 0) return null;
    host = address.slice(1, close);
    portText = address.slice(close + 2);
  } else {
    const colon = address.lastIndexOf(':');
    host = address.slice(0, colon);
    portText = address.slice(colon + 1);
  }
  if (!/^\d+$/.test(portText)) return null;
  return { kind: 'tcp', host, hostClass: classifyHost(host), port: parseInt(portText, 10), written };
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443, uwsgi: 3031, ajp: 8009, h2c: 80, h2: 443 };

/**
 * The backend of a ProxyPass URL. `unix:/path|scheme://name/` reaches the unix socket; otherwise the
 * URL's host and port (uwsgi:// defaults to 3031, as mod_proxy_uwsgi does).
 */
export function parseProxyUrl(url: string, templated = false): { scheme: string; endpoint: Endpoint } {
  const written = url;
  const unix = /^unix:([^|]*)\|([A-Za-z][A-Za-z0-9+.-]*):/i.exec(url);
  if (unix) {
    const scheme = unix[2].toLowerCase();
    const path = unix[1];
    // a template's word for the whole path (`unix:{{ sock }}|...`) could be any socket
    const unknown = UNRESOLVED.test(path) || (templated && !path.startsWith('/'));
    return { scheme, endpoint: unknown ? { kind: 'unresolved', written } : { kind: 'unix', path, written } };
  }
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#]*)(?::([^/?#]*))?/.exec(url);
  if (!match) return { scheme: 'other', endpoint: { kind: 'unresolved', written } };
  const scheme = match[1].toLowerCase();
  if (UNRESOLVED.test(url)) return { scheme, endpoint: { kind: 'unresolved', written } };
  const host = match[2].replace(/^\[|\]$/g, '');
  const portText = match[3];
  let port = DEFAULT_PORTS[scheme];
  if (portText !== undefined && portText !== '') {
    if (!/^\d+$/.test(portText)) return { scheme, endpoint: { kind: 'unresolved', written } };
    port = parseInt(portText, 10);
  }
  if (port === undefined || scheme === 'balancer') return { scheme, endpoint: { kind: 'unresolved', written } };
  return { scheme, endpoint: { kind: 'tcp', host, hostClass: classifyHost(host), port, written } };
}

/**
 * Whether a client connecting to `target` reaches a socket listening on `listen`.
 * A named host (`controller`, `10.0.0.5`) is taken to be this machine only when the listener
 * binds every interface or the very same name: we never invent that two names are one host.
 */
export function endpointReaches(target: Endpoint, listen: Endpoint): boolean {
  if (target.kind === 'unix' && listen.kind === 'unix') return normaliseSocketPath(target.path) === normaliseSocketPath(listen.path);
  if (target.kind !== 'tcp' || listen.kind !== 'tcp') return false;
  if (target.port !== listen.port) return false;
  if (listen.hostClass === 'wildcard') return true;
  if (listen.hostClass === 'loopback') return target.hostClass === 'loopback';
  return target.host.toLowerCase() === listen.host.toLowerCase();
}

/** Could `target` be meant for `listen` if the host names were the same machine? (same port or path) */
export function endpointMayReach(target: Endpoint, listen: Endpoint): boolean {
  if (target.kind === 'unix' && listen.kind === 'unix') return normaliseSocketPath(target.path) === normaliseSocketPath(listen.path);
  return target.kind === 'tcp' && listen.kind === 'tcp' && target.port === listen.port;
}

/** A unix socket path as the kernel sees it: repeated slashes folded, /var/run being /run (a link on every current distro). */
export function normaliseSocketPath(path: string): string {
  return path.replace(/\/+/g, '/').replace(/^\/var\/run\//, '/run/');
}

export function describeEndpoint(endpoint: Endpoint): string {
  if (endpoint.kind === 'unix') return `unix socket ${endpoint.path}`;
  if (endpoint.kind === 'tcp') return `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host || '*'}:${endpoint.port}`;
  return endpoint.written;
}
