/**
 * Questions about an Apache server that rules and the request-body paths ask: which environment
 * settings reach a route, which routes a setting reaches, whether Apache spools a route's chunked
 * bodies (proxy-sendcl), which vhosts serve a route, a vhost's ServerName, a balancer's lbmethod.
 */
import { matchSafeRegex } from '../core/safe-regex';
import { candidatesIn, indexOf } from './apache-index';
import type { AppProfile, ApacheScope, ApacheServer, EnvSetting, ProxyRoute, ProxyScheme, ResolvedDirective, VirtualHost } from './types';

/** The env settings that reach requests of `route`, most general first. */
export function envReaching(route: ProxyRoute, name?: string): EnvSetting[] {
  if (name === undefined) return route.server.env.filter((setting) => envScopeReaches(setting, route));
  // A route in a vhost sees settings outside every vhost and its own vhost's; a server-scope route
  // is served by every vhost, so every setting of that name may reach it.
  const bucket = indexOf(route.server).envByName.get(name.toLowerCase());
  return candidatesIn(bucket, route.vhost).filter((setting) => envScopeReaches(setting, route));
}

/** The routes a user wrote (balancer members folded in) that an env setting applies to. */
export function routesReachedBy(setting: EnvSetting): ProxyRoute[] {
  const index = indexOf(setting.server);
  const candidates = setting.scope.vhost === null ? writtenRoutes(setting.server) : candidatesIn(index.writtenRoutes, setting.scope.vhost);
  return candidates.filter((route) => envScopeReaches(setting, route));
}

/** Does an env setting in `setting.scope` apply to requests that take `route`? */
export function envScopeReaches(setting: EnvSetting, route: ProxyRoute): boolean {
  const scope = setting.scope;
  // A server-scope ProxyPass is served by every vhost, and requests of that vhost taking it get the
  // vhost's environment (measured on 2.4.71: a vhost's SetEnv proxy-sendcl spooled the body of an
  // inherited server-scope route).
  if (scope.vhost && scope.vhost !== route.vhost && route.vhost !== null) return false;
  if (setting.condition && setting.condition.attribute.toLowerCase() === 'request_uri' && !route.pathIsRegex) {
    // Case-sensitive as before (SetEnvIf's REG_EXTENDED; RewriteRule without [NC]). A pattern RE2
    // cannot run, or a path beyond its budget, is undecided: assume it may match, so the setting
    // still counts as reaching the route (a finding that needs it to is not silently dropped).
    const pattern = setting.condition.pattern;
    if (matchSafeRegex(pattern, route.path) === 'no-match' && matchSafeRegex(pattern, route.path + '/') === 'no-match') return false;
  }
  // A balancer member's requests are matched by <Proxy> against the balancer URL as well as its own.
  const urls = [route.url, route.balancerRoute?.url].filter((u): u is string => u !== undefined).map((u) => u.toLowerCase());
  for (let s: ApacheScope | null = scope; s; s = s.parent) {
    if (s.kind === 'location' && !route.pathIsRegex) {
      const path = s.args[0] === '~' ? null : s.args[0] ?? '';
      if (path !== null && !(route.path.startsWith(path) || path.startsWith(route.path))) return false;
      if (path === null && !mayMatch(s.args[1], route.path)) return false;
    }
    if (s.kind === 'locationmatch' && !route.pathIsRegex && !mayMatch(s.args[0], route.path)) return false;
    if (s.kind === 'proxy' && s.args[0] !== undefined) {
      if (s.args[0] === '~') {
        if (!urls.some((u) => mayMatch(s.args[1], u))) return false;
      } else {
        const prefix = s.args[0].replace(/\*$/, '').toLowerCase();
        if (!urls.some((u) => u.startsWith(prefix) || prefix.startsWith(u))) return false;
      }
    }
    if (s.kind === 'proxymatch' && !urls.some((u) => mayMatch(s.args[0], u))) return false;
    if (s.kind === 'directory' || s.kind === 'files' || s.kind === 'directorymatch' || s.kind === 'filesmatch') return false;
  }
  return true;
}

/**
 * Whether a regex (as httpd reads it, PCRE) may match `text`. Case-insensitive, as before: a
 * deliberate over-approximation ("may"), though httpd compiles <LocationMatch>/<ProxyMatch> with
 * REG_EXTENDED only. Matched with RE2 in linear time; a pattern RE2 cannot run (backreference,
 * lookaround, too large) or a text beyond its budget is undecided, and undecided is true: the scope
 * may apply, so nothing that depends on it is ruled out on a guess.
 */
function mayMatch(pattern: string | undefined, text: string): boolean {
  if (pattern === undefined) return true;
  const options = { caseInsensitive: true };
  return matchSafeRegex(pattern, text, options) !== 'no-match' || matchSafeRegex(pattern, text + '/', options) !== 'no-match';
}

/**
 * The vhosts that serve a route's requests: its own, or every vhost for a server-scope route.
 * `ProxyPassInherit Off` does not change that: mod_proxy's merge_proxy_config always appends the
 * server's ProxyPass aliases and the directive only stops the vhost inheriting the server's workers
 * (and their key=value parameters). Measured on 2.4.71: a server-scope `ProxyPass /s` was served by a
 * vhost with `ProxyPassInherit Off`, and with `ProxyPassInherit Off` at server scope.
 */
export function vhostsServing(route: ProxyRoute): VirtualHost[] {
  if (route.vhost) return [route.vhost];
  return route.server.vhosts;
}

/** Schemes whose handler reads proxy-sendcl (mod_proxy_http and mod_proxy_fcgi, apache-facts 6.1). */
const SPOOLING_SCHEMES = new Set<ProxyScheme>(['http', 'https', 'fcgi']);

/** The schemes a route's requests really leave with: a balancer's are its members'. */
export function effectiveSchemes(route: ProxyRoute): ProxyScheme[] {
  if (route.scheme !== 'balancer') return [route.scheme];
  const members = (indexOf(route.server).balancerMembers.get(route) ?? []).map((r) => r.scheme);
  return members.length > 0 ? [...new Set(members)] : ['balancer'];
}

/** Does this route's handler honour proxy-sendcl (mod_proxy_http / mod_proxy_fcgi)? */
export function routeReadsSendcl(route: ProxyRoute): boolean {
  return effectiveSchemes(route).some((scheme) => SPOOLING_SCHEMES.has(scheme));
}

/** Routes a user wrote (ProxyPass, ProxyPassMatch, RewriteRule [P]), balancer members folded into their ProxyPass. */
export function writtenRoutes(server: ApacheServer): ProxyRoute[] {
  return server.routes.filter((route) => route.via !== 'BalancerMember');
}

/**
 * The `proxy-sendcl` settings that make Apache spool a chunked body of `route` and send it with
 * Content-Length. mod_proxy_http spools only when proxy-sendcl is set and neither proxy-sendchunked
 * nor proxy-sendchunks is (mod_proxy_http.c ap_proxy_http_prefetch), so an unconditional
 * proxy-sendchunked reaching the same route cancels it. Empty when nothing spools.
 */
export function sendclReaching(route: ProxyRoute): EnvSetting[] {
  const sendcl = envReaching(route, 'proxy-sendcl');
  if (sendcl.length === 0) return [];
  // mod_proxy_fcgi reads proxy-sendcl alone; the proxy-sendchunked veto is mod_proxy_http's.
  if (!effectiveSchemes(route).some((scheme) => scheme === 'http' || scheme === 'https')) return sendcl;
  const cancelled = [...envReaching(route, 'proxy-sendchunked'), ...envReaching(route, 'proxy-sendchunks')].some((s) => !s.conditional);
  return cancelled ? [] : sendcl;
}

/**
 * Files of a server given without its root that are written as the body of a VirtualHost: no
 * `<VirtualHost>` of their own, and every line outside one indented (not inside an undecided
 * `<IfModule>`, whose own column is unknown here). Puppet's `apache::vhost` concatenates such
 * fragments between the `<VirtualHost>` and `</VirtualHost>` it writes (puppetlabs-apache's
 * `templates/vhost/_*.erb`, puppet-keystone's federation fragments), and they are indented as its
 * body: what they write is that VirtualHost's, not the server's. A conf.d file of server-wide
 * settings starts its lines, or its `<IfModule>`, at the first column.
 */
export function vhostBodyFiles(server: ApacheServer): Set<string> {
  const withVhost = new Set(server.vhosts.map((vhost) => vhost.section.location.file));
  const indented = new Map<string, boolean>();
  for (const node of server.config.nodes) {
    const file = node.location.file;
    const body = node.assumedConditions.length === 0 && node.nameLocation.range.start.column > 1;
    indented.set(file, (indented.get(file) ?? true) && body);
  }
  return new Set([...indented].filter(([file, body]) => body && !withVhost.has(file)).map(([file]) => file));
}

/** The ServerName requests of a vhost see (a vhost without one takes the server's; the port is not part of it). */
export function effectiveServerName(server: ApacheServer, vhost: VirtualHost | null): string {
  const own = vhost?.serverName;
  const global = indexOf(server).globalServerName;
  const name = own ?? global ?? '';
  return name.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/:\d+$/, '');
}

/**
 * The strongest answer among apps to "does it take chunked uploads?": true if any does, false if
 * all never do, else 'unknown'.
 */
export function takesChunkedUploads(apps: AppProfile[]): boolean | 'unknown' {
  if (apps.some((app) => app.takesChunkedUploads === true)) return true;
  if (apps.length > 0 && apps.every((app) => app.takesChunkedUploads === false)) return false;
  return 'unknown';
}

/**
 * The lbmethod a balancer route balances with: a ProxySet for its balancer (the last one) wins over
 * `lbmethod=` on the route itself; the default is byrequests. Lower-cased, with the line that sets it.
 */
export function lbMethodOf(route: ProxyRoute): { method: string; directive?: ResolvedDirective } {
  const set = route.balancer?.params.lbmethod;
  if (set !== undefined) return { method: set.toLowerCase(), directive: route.balancer!.paramDirectives.lbmethod };
  const own = route.params.lbmethod;
  return own !== undefined ? { method: own.toLowerCase(), directive: route.directive } : { method: 'byrequests' };
}
