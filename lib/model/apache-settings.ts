/**
 * Which Apache setting governs a request: the directive of a kind that covers a proxy route or a
 * mod_wsgi application (server scope, its VirtualHost, a <Location>/<Directory>/<Files>/<Proxy>
 * around it), and the values rules need from them: the timeout Apache gives a proxied backend
 * (ProxyPass `timeout=`, else ProxyTimeout, else Timeout, else httpd's default 60 s), the timeout a
 * mod_wsgi daemon's requests wait (`socket-timeout=`, else Timeout), the request body limit
 * (LimitRequestBody, 1 GiB by default since httpd 2.4.54). Merging follows httpd's order: the most
 * specific section wins, and within one level the later line.
 */
import { matchSafeRegex } from '../core/safe-regex';
import { compareVersions } from '../knowledge/targets';
import { candidatesIn, indexOf } from './apache-index';
import type { ApacheScope, ApacheServer, ProxyRoute, ResolvedDirective, VirtualHost, WsgiApplication, WsgiDaemonGroup } from './types';

/** What a request is, for the question "does this section apply to it?". */
export interface RequestSite {
  server: ApacheServer;
  vhost: VirtualHost | null;
  urlPath: string;
  urlIsRegex: boolean;
  /** mod_wsgi: the script file, which <Directory> and <Files> sections are matched against. */
  scriptPath?: string;
  /** Proxy routes: the backend URLs, which <Proxy> sections are matched against. */
  backendUrls?: string[];
}

export function siteOfRoute(route: ProxyRoute): RequestSite {
  const urls = [route.url, route.balancerRoute?.url].filter((u): u is string => u !== undefined);
  return { server: route.server, vhost: route.vhost, urlPath: route.path, urlIsRegex: route.pathIsRegex, backendUrls: urls };
}

export function siteOfWsgiApp(app: WsgiApplication): RequestSite {
  return { server: app.server, vhost: app.vhost, urlPath: app.urlPath, urlIsRegex: app.directive.lname === 'wsgiscriptaliasmatch', scriptPath: app.scriptPath };
}

function mayMatch(pattern: string | undefined, text: string): boolean {
  if (pattern === undefined) return true;
  return matchSafeRegex(pattern, text, { caseInsensitive: true }) !== 'no-match';
}

/** Does a section of this kind apply to the request? (undefined: not a request section; walk on.) */
function sectionApplies(scope: ApacheScope, site: RequestSite): boolean {
  const [first, second] = scope.args;
  switch (scope.kind) {
    case 'location':
      if (site.urlIsRegex) return false;
      return first === '~' ? mayMatch(second, site.urlPath) : site.urlPath.startsWith((first ?? '').replace(/\/+$/, '')) || first === '/';
    case 'locationmatch':
      return !site.urlIsRegex && mayMatch(first, site.urlPath);
    case 'directory':
    case 'directorymatch': {
      if (!site.scriptPath) return false;
      if (scope.kind === 'directorymatch' || first === '~') return mayMatch(scope.kind === 'directorymatch' ? first : second, site.scriptPath);
      const dir = (first ?? '').replace(/\/+$/, '');
      return dir === '' || site.scriptPath.startsWith(`${dir}/`);
    }
    case 'files':
    case 'filesmatch': {
      if (!site.scriptPath) return false;
      const base = site.scriptPath.split('/').pop() ?? '';
      return scope.kind === 'filesmatch' || first === '~' ? mayMatch(scope.kind === 'filesmatch' ? first : second, base) : base === first;
    }
    case 'proxy':
    case 'proxymatch': {
      const urls = (site.backendUrls ?? []).map((u) => u.toLowerCase());
      if (scope.kind === 'proxymatch' || first === '~') return urls.some((u) => mayMatch(scope.kind === 'proxymatch' ? first : second, u));
      const prefix = (first ?? '').replace(/\*$/, '').toLowerCase();
      return urls.some((u) => u.startsWith(prefix) || prefix.startsWith(u));
    }
    default:
      // <If>, <IfVersion> left undecided and the like: they may apply.
      return true;
  }
}

/** How specifically `scope` covers the request: -1 not at all, 0 server, 1 its VirtualHost, 2 a section inside. */
export function coverDepth(scope: ApacheScope, site: RequestSite): number {
  if (scope.vhost !== null && scope.vhost !== site.vhost) return -1;
  let depth = 0;
  for (let s: ApacheScope | null = scope; s; s = s.parent) {
    if (s.kind === 'server') break;
    if (s.kind === 'virtualhost') {
      depth = Math.max(depth, 1);
      continue;
    }
    if (!sectionApplies(s, site)) return -1;
    depth = 2;
  }
  return depth;
}

/** The directive of a kind (lower-cased name) that governs the request, with its scope; undefined when none is written. */
export function settingFor(site: RequestSite, lname: string): { directive: ResolvedDirective; scope: ApacheScope } | undefined {
  let found: { directive: ResolvedDirective; scope: ApacheScope } | undefined;
  let foundDepth = -1;
  for (const entry of candidatesIn(indexOf(site.server).directivesByName.get(lname), site.vhost)) {
    const depth = coverDepth(entry.scope, site);
    if (depth >= 0 && depth >= foundDepth) {
      found = entry;
      foundDepth = depth;
    }
  }
  return found;
}

/** httpd's ap_timeout_parameter_parse: seconds, or a number with ms, s, mi or h. */
export function parseApacheSeconds(value: string | undefined): number | undefined {
  const match = /^\s*(\d+)\s*(ms|s|mi|h)?\s*$/i.exec(value ?? '');
  if (!match) return undefined;
  const n = Number.parseInt(match[1], 10);
  const unit = (match[2] ?? 's').toLowerCase();
  return unit === 'ms' ? n / 1000 : unit === 'mi' ? n * 60 : unit === 'h' ? n * 3600 : n;
}

/** httpd's own default for `Timeout` (core.c DEFAULT_TIMEOUT): 60 s. Debian's apache2.conf sets 300. */
export const HTTPD_DEFAULT_TIMEOUT = 60;

/** A timeout Apache applies, with the line that sets it (none: httpd's default in a whole tree). */
export interface ApacheTimeout {
  seconds: number;
  /** As a message names it: `ProxyPass ... timeout=5`, `ProxyTimeout 5`, `Timeout 300`, or httpd's default. */
  written: string;
  directive?: ResolvedDirective;
}

function fromDirective(directive: ResolvedDirective | undefined): ApacheTimeout | undefined {
  if (!directive) return undefined;
  const seconds = parseApacheSeconds(directive.args[0]?.value);
  return seconds === undefined ? undefined : { seconds, written: `${directive.name} ${directive.args[0].raw}`, directive };
}

/**
 * How long Apache waits on a proxied backend for this route: the worker's `timeout=` (the route's,
 * or its balancer's ProxySet), else ProxyTimeout, else Timeout, else httpd's default 60 s, known only
 * in a whole server tree (a snippet's server may set Timeout elsewhere: Debian's apache2.conf says 300).
 */
export function proxyTimeoutOf(route: ProxyRoute): ApacheTimeout | undefined {
  const own = route.params.timeout ?? route.balancer?.params.timeout;
  const ownSeconds = parseApacheSeconds(own);
  if (own !== undefined && ownSeconds !== undefined) {
    const directive = route.params.timeout !== undefined ? route.directive : route.balancer?.paramDirectives.timeout;
    return { seconds: ownSeconds, written: `timeout=${own}`, directive };
  }
  const site = siteOfRoute(route);
  return fromDirective(settingFor(site, 'proxytimeout')?.directive) ?? fromDirective(settingFor(site, 'timeout')?.directive)
    ?? (route.server.loadedModules !== null ? { seconds: HTTPD_DEFAULT_TIMEOUT, written: `httpd's default \`Timeout ${HTTPD_DEFAULT_TIMEOUT}\`` } : undefined);
}

/** The WSGIDaemonProcess an application's requests go to (undefined: embedded mode or not resolvable). */
export function wsgiDaemonOf(app: WsgiApplication): WsgiDaemonGroup | undefined {
  if (app.processGroup === '' || app.processGroup.startsWith('%{')) return undefined;
  const named = app.server.wsgiGroups.filter((group) => group.name === app.processGroup);
  return named.find((group) => group.vhost === app.vhost) ?? named.find((group) => group.vhost === null) ?? named[0];
}

/**
 * How long Apache waits for a mod_wsgi daemon to answer: the group's `socket-timeout=`, else the
 * Timeout of the VirtualHost (or server) it is defined in, else httpd's default in a whole tree.
 */
export function wsgiSocketTimeoutOf(server: ApacheServer, group: WsgiDaemonGroup): ApacheTimeout | undefined {
  const own = parseApacheSeconds(group.options['socket-timeout']);
  if (own !== undefined && own > 0) return { seconds: own, written: `socket-timeout=${group.options['socket-timeout']}`, directive: group.directive };
  const timeouts = candidatesIn(indexOf(server).directivesByName.get('timeout'), group.vhost)
    .filter((entry) => entry.scope.kind === 'server' || (entry.scope.kind === 'virtualhost' && entry.scope.vhost === group.vhost));
  const vhostLevel = timeouts.filter((entry) => entry.scope.kind === 'virtualhost').at(-1) ?? timeouts.at(-1);
  return fromDirective(vhostLevel?.directive)
    ?? (server.loadedModules !== null ? { seconds: HTTPD_DEFAULT_TIMEOUT, written: `httpd's default \`Timeout ${HTTPD_DEFAULT_TIMEOUT}\`` } : undefined);
}

/** httpd 2.4.54 changed LimitRequestBody's default from 0 (unlimited) to 1 GiB (server/core.c, CHANGES). */
export const LIMIT_REQUEST_BODY_DEFAULT_SINCE = '2.4.54';
export const LIMIT_REQUEST_BODY_DEFAULT = 1024 * 1024 * 1024;

/** The request body limit of a request: the LimitRequestBody that covers it, else the target's default (0: unlimited). */
export function requestBodyLimitOf(site: RequestSite, httpdTarget: string): { bytes: number; directive?: ResolvedDirective } {
  const setting = settingFor(site, 'limitrequestbody');
  if (setting) return { bytes: Number.parseInt(setting.directive.args[0]?.value ?? '0', 10) || 0, directive: setting.directive };
  return { bytes: compareVersions(httpdTarget, LIMIT_REQUEST_BODY_DEFAULT_SINCE, { parts: 3 }) >= 0 ? LIMIT_REQUEST_BODY_DEFAULT : 0 };
}
