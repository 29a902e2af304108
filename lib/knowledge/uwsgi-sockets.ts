/**
 * uWSGI's socket options as data: which option opens a socket, what its clients must speak, and
 * which options start the HTTP router (a separate process in front of the workers) rather than a
 * socket the workers serve. Source: uwsgi-facts.md 2.1 (core/socket.c, plugins/http/http.c), the
 * option tables in data/.
 */

/** What a socket speaks to its peer. */
export type UwsgiSocketProtocol = 'uwsgi' | 'http' | 'https' | 'fastcgi' | 'scgi' | 'suwsgi' | 'other';

export interface UwsgiSocketOption {
  /** The protocol clients must speak; 'default' follows `protocol =` (uwsgi unless set). */
  protocol: UwsgiSocketProtocol | 'default';
  /** True for `http =` / `https =`: uWSGI's HTTP router process, not a socket of the workers. */
  router: boolean;
}

/** Socket options by canonical name (aliases fold into these: `httprouter` is `http`). */
export const UWSGI_SOCKET_OPTIONS: Readonly<Record<string, UwsgiSocketOption>> = {
  socket: { protocol: 'default', router: false },
  'uwsgi-socket': { protocol: 'uwsgi', router: false },
  'suwsgi-socket': { protocol: 'suwsgi', router: false },
  'ssl-socket': { protocol: 'suwsgi', router: false },
  'shared-socket': { protocol: 'default', router: false },
  'http-socket': { protocol: 'http', router: false },
  'http11-socket': { protocol: 'http', router: false },
  'https-socket': { protocol: 'https', router: false },
  'fastcgi-socket': { protocol: 'fastcgi', router: false },
  'fastcgi-nph-socket': { protocol: 'fastcgi', router: false },
  'scgi-socket': { protocol: 'scgi', router: false },
  'scgi-nph-socket': { protocol: 'scgi', router: false },
  http: { protocol: 'http', router: true },
  https: { protocol: 'https', router: true },
};

/**
 * Keys that start the HTTP router, as written in an ini file (`httprouter` is an alias of `http`;
 * `https2` starts it with HTTP/2 options). Every other option of the http plugin only tunes it.
 */
export const UWSGI_ROUTER_STARTERS: ReadonlySet<string> = new Set(['http', 'httprouter', 'https', 'https2']);

/** The protocol a plain `socket =` speaks under `protocol =` / `socket-protocol =` (core/socket.c:9-21). */
export function uwsgiDefaultProtocol(value: string | undefined): UwsgiSocketProtocol {
  switch ((value ?? 'uwsgi').trim().toLowerCase()) {
    case 'http': case 'http11': return 'http';
    case 'https': return 'https';
    case 'fastcgi': case 'fastcgi-nph': return 'fastcgi';
    case 'scgi': case 'scgi-nph': return 'scgi';
    case 'uwsgi': case '': return 'uwsgi';
    case 'suwsgi': return 'suwsgi';
    default: return 'other';
  }
}
