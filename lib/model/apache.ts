/**
 * Builds the Apache side of the model from a resolved config: scopes, virtual hosts, proxy routes,
 * the environment each scope sets, and mod_wsgi groups and applications.
 */
import * as path from 'path';
import type { ResolvedApacheConfig, ResolvedDirective, ResolvedNode, ResolvedSection } from '../resolve/apache/types';
import { matchSafeRegex } from '../core/safe-regex';
import { detectAppProfile } from '../knowledge/app-profiles';
import { parseProxyUrl, parseUwsgiAddress } from './endpoint';
import type {
  AppProfile, ApacheScope, ApacheScopeKind, ApacheServer, Deployment, EnvSetting, ProxyRoute, ProxyScheme, VirtualHost,
  WsgiApplication, WsgiDaemonGroup,
} from './types';

const SCOPE_KINDS: Record<string, ApacheScopeKind> = {
  virtualhost: 'virtualhost', location: 'location', locationmatch: 'locationmatch', directory: 'directory',
  directorymatch: 'directorymatch', files: 'files', filesmatch: 'filesmatch', proxy: 'proxy', proxymatch: 'proxymatch',
  if: 'if', elseif: 'if', else: 'if',
};

/** The module that defines each directive the model reads (httpd's module identifiers). */
const DIRECTIVE_MODULES: Record<string, string> = {
  proxypass: 'proxy_module', proxypassmatch: 'proxy_module', balancermember: 'proxy_module',
  rewriterule: 'rewrite_module', setenv: 'env_module',
  setenvif: 'setenvif_module', setenvifnocase: 'setenvif_module', setenvifexpr: 'setenvif_module',
  wsgidaemonprocess: 'wsgi_module', wsgiscriptalias: 'wsgi_module', wsgiscriptaliasmatch: 'wsgi_module',
};

const KNOWN_SCHEMES = new Set<ProxyScheme>(['http', 'https', 'uwsgi', 'fcgi', 'scgi', 'ajp', 'ws', 'wss', 'h2', 'h2c', 'balancer', 'ftp']);

export function buildApacheServer(config: ResolvedApacheConfig, appProfiles: Record<string, string>): ApacheServer {
  const serverScope: ApacheScope = { kind: 'server', args: [], section: null, parent: null, vhost: null, label: 'server scope' };
  const server: ApacheServer = {
    file: config.file, config, serverScope, vhosts: [], routes: [], env: [], wsgiGroups: [], wsgiApps: [],
    listens: [], loadedModules: config.loadedModules, directives: [],
  };
  // mod_wsgi settings are looked up by scope after the walk, because WSGIProcessGroup and
  // WSGIChunkedRequest may be written after the WSGIScriptAlias they govern.
  const pendingScriptAliases: { directive: ResolvedDirective; scope: ApacheScope }[] = [];
  const balancerMembers = new Map<string, { directive: ResolvedDirective; scope: ApacheScope }[]>();

  const visit = (node: ResolvedDirective, scope: ApacheScope): void => {
    {
      server.directives.push({ directive: node, scope });
      // In a whole server tree, a directive of a module that is not loaded is httpd's "Invalid
      // command" (the parser reports it): it builds no route, env setting or WSGI app.
      const owner = DIRECTIVE_MODULES[node.lname];
      if (owner && config.loadedModules && !config.loadedModules.has(owner)) return;
      const args = node.args.map((a) => a.value);
      switch (node.lname) {
        case 'servername':
          if (scope.vhost && scope.kind === 'virtualhost') scope.vhost.serverName = args[0];
          break;
        case 'serveralias':
          if (scope.vhost) for (const alias of args) scope.vhost.serverAliases.push(alias);
          break;
        case 'listen':
          if (args[0]) server.listens.push({ endpoint: parseUwsgiAddress(args[0].includes(':') ? args[0] : `:${args[0]}`), directive: node });
          break;
        case 'proxypass':
        case 'proxypassmatch':
          addProxyPass(node, args, scope, server);
          break;
        case 'rewriterule':
          addRewriteProxy(node, args, scope, server);
          break;
        case 'balancermember':
          addBalancerMember(node, args, scope, balancerMembers);
          break;
        case 'setenv':
          if (args[0]) server.env.push({ name: args[0], value: args[1] ?? '', directive: node, scope, conditional: false, server });
          break;
        case 'setenvif':
        case 'setenvifnocase':
        case 'setenvifexpr':
          addSetEnvIf(node, args, scope, server);
          break;
        case 'wsgidaemonprocess':
          if (args[0]) server.wsgiGroups.push({ name: args[0], options: parseKeyValues(args.slice(1)), directive: node, vhost: scope.vhost } as WsgiDaemonGroup);
          break;
        case 'wsgiscriptalias':
        case 'wsgiscriptaliasmatch':
          pendingScriptAliases.push({ directive: node, scope });
          break;
        default:
          break;
      }
    }
  };
  // Depth-first in config order with an explicit stack: nesting thousands of sections deep (httpd
  // accepts it) must not exhaust the call stack.
  const stack: { nodes: ResolvedNode[]; index: number; scope: ApacheScope }[] = [{ nodes: config.nodes, index: 0, scope: serverScope }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.index >= frame.nodes.length) {
      stack.pop();
      continue;
    }
    const node = frame.nodes[frame.index++];
    if (node.kind === 'section') stack.push({ nodes: node.children, index: 0, scope: enterSection(node, frame.scope, server) });
    else visit(node, frame.scope);
  }
  linkBalancerMembers(server, balancerMembers);
  for (const { directive, scope } of pendingScriptAliases) {
    const app = buildWsgiApplication(directive, scope, server, appProfiles);
    if (app) server.wsgiApps.push(app);
  }
  for (const route of server.routes) {
    // The socket name often names the service (devstack: `unix:/var/run/uwsgi/keystone-wsgi-public.socket|...`).
    route.app = detectAppProfile([{ text: route.url, location: route.directive.location }, { text: route.path, location: route.directive.location }], appProfiles);
  }
  return server;
}

function enterSection(section: ResolvedSection, parent: ApacheScope, server: ApacheServer): ApacheScope {
  const kind = SCOPE_KINDS[section.lname] ?? 'other';
  const args = section.args.map((a) => a.value);
  const scope: ApacheScope = {
    kind, args, section, parent, vhost: parent.vhost,
    // The file's base name only: the finding already names the file, and a label in a message
    // should not carry an absolute path from wherever the tree was read.
    label: `<${section.name}${args.length ? ' ' + args.join(' ') : ''}> (${path.basename(section.location.file)}:${section.location.range.start.line})`,
  };
  if (kind === 'virtualhost') {
    const vhost: VirtualHost = { section, addresses: args, serverAliases: [], scope, server };
    scope.vhost = vhost;
    server.vhosts.push(vhost);
  }
  return scope;
}

/** The URL path a scope serves (a <Location> path), walking up through nested sections. */
function locationOf(scope: ApacheScope): { path: string; regex: boolean } | null {
  for (let s: ApacheScope | null = scope; s; s = s.parent) {
    if (s.kind === 'location') return { path: s.args[0] === '~' ? s.args[1] ?? '' : s.args[0] ?? '', regex: s.args[0] === '~' };
    if (s.kind === 'locationmatch') return { path: s.args[0] ?? '', regex: true };
  }
  return null;
}

function parseKeyValues(words: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq > 0) result[word.slice(0, eq).toLowerCase()] = word.slice(eq + 1);
  }
  return result;
}

function schemeOf(raw: string): ProxyScheme {
  return KNOWN_SCHEMES.has(raw as ProxyScheme) ? (raw as ProxyScheme) : 'other';
}

function addProxyPass(node: ResolvedDirective, args: string[], scope: ApacheScope, server: ApacheServer): void {
  const words = args[0] === '~' ? args.slice(1) : args;
  const location = locationOf(scope);
  // Inside <Location> the path is the Location's and the first word is the URL; outside it the
  // first word is the path (mod_proxy.c add_pass).
  let path: string;
  let url: string | undefined;
  let rest: string[];
  if (location && (words.length < 2 || words[1].includes('='))) {
    path = location.path;
    url = words[0];
    rest = words.slice(1);
  } else {
    path = words[0] ?? '';
    url = words[1];
    rest = words.slice(2);
  }
  if (url === undefined || url === '!') return; // an exclusion routes nowhere
  const { scheme, endpoint } = parseProxyUrl(url);
  server.routes.push({
    directive: node, via: node.lname === 'proxypassmatch' ? 'ProxyPassMatch' : 'ProxyPass', path,
    pathIsRegex: node.lname === 'proxypassmatch' || args[0] === '~' || (location?.regex ?? false), url,
    scheme: schemeOf(scheme), endpoint, params: parseKeyValues(rest), scope, vhost: scope.vhost, server,
  });
}

/** RewriteRule pattern http://backend/... [P] proxies through mod_proxy like a ProxyPass. */
function addRewriteProxy(node: ResolvedDirective, args: string[], scope: ApacheScope, server: ApacheServer): void {
  const [pattern, target, flagsWord] = args;
  if (!target || !flagsWord) return;
  const flags = flagsWord.replace(/^\[|\]$/g, '').split(',').map((f) => f.trim());
  const proxy = flags.some((f) => /^(p|proxy)$/i.test(f));
  for (const flag of flags) {
    const env = /^(?:e|env)=(!?)([^:]+)(?::(.*))?$/i.exec(flag);
    if (env && !env[1]) {
      server.env.push({ name: env[2], value: env[3] ?? '', directive: node, scope, conditional: true, condition: { attribute: 'Request_URI', pattern }, server });
    }
  }
  if (!proxy || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(target)) return;
  const { scheme, endpoint } = parseProxyUrl(target);
  server.routes.push({
    directive: node, via: 'RewriteRule', path: pattern, pathIsRegex: true, url: target, scheme: schemeOf(scheme),
    endpoint, params: {}, scope, vhost: scope.vhost, server,
  });
}

function addBalancerMember(
  node: ResolvedDirective, args: string[], scope: ApacheScope,
  members: Map<string, { directive: ResolvedDirective; scope: ApacheScope }[]>,
): void {
  // Inside <Proxy balancer://name> the member names only its URL; outside, the balancer comes first.
  let balancer: string | undefined;
  if (scope.kind === 'proxy' && /^balancer:/i.test(scope.args[0] ?? '')) balancer = scope.args[0];
  else if (/^balancer:/i.test(args[0] ?? '')) balancer = args[0];
  if (!balancer) return;
  const key = balancer.toLowerCase().replace(/\/+$/, '');
  const list = members.get(key) ?? [];
  list.push({ directive: node, scope });
  members.set(key, list);
}

function linkBalancerMembers(server: ApacheServer, members: Map<string, { directive: ResolvedDirective; scope: ApacheScope }[]>): void {
  for (const route of [...server.routes]) {
    if (route.scheme !== 'balancer') continue;
    const key = (/^balancer:\/\/[^/]*/i.exec(route.url)?.[0] ?? route.url).toLowerCase();
    for (const member of members.get(key) ?? []) {
      const words = member.directive.args.map((a) => a.value);
      const url = /^balancer:/i.test(words[0] ?? '') ? words[1] : words[0];
      if (!url) continue;
      const { scheme, endpoint } = parseProxyUrl(url);
      server.routes.push({
        directive: member.directive, via: 'BalancerMember', path: route.path, pathIsRegex: route.pathIsRegex, url,
        scheme: schemeOf(scheme), endpoint, params: parseKeyValues(words.slice(1)), scope: route.scope, vhost: route.vhost,
        server, balancerRoute: route,
      });
    }
  }
}

function addSetEnvIf(node: ResolvedDirective, args: string[], scope: ApacheScope, server: ApacheServer): void {
  // SetEnvIf attribute regex [!]env[=value] ...; SetEnvIfExpr expr [!]env[=value] ...
  const [attribute, pattern, ...assignments] = node.lname === 'setenvifexpr' ? ['expr', ...args] : args;
  for (const assignment of assignments) {
    if (assignment.startsWith('!')) continue;
    const eq = assignment.indexOf('=');
    const name = eq >= 0 ? assignment.slice(0, eq) : assignment;
    const value = eq >= 0 ? assignment.slice(eq + 1) : '1';
    server.env.push({ name, value, directive: node, scope, conditional: true, condition: { attribute: attribute ?? '', pattern: pattern ?? '' }, server });
  }
}

/** Directives that govern a WSGIScriptAlias: the nearest one in its scope chain or in a Location/Directory that covers it. */
function nearestDirective(server: ApacheServer, lname: string, scope: ApacheScope, urlPath: string, scriptPath: string): ResolvedDirective | undefined {
  let found: ResolvedDirective | undefined;
  let foundDepth = -1;
  // Only directives outside every vhost or in the alias's own vhost can cover it (coverDepth).
  for (const entry of candidatesIn(indexOf(server).directivesByName.get(lname), scope.vhost)) {
    const depth = coverDepth(entry.scope, scope, urlPath, scriptPath);
    if (depth >= foundDepth && depth >= 0) {
      found = entry.directive;
      foundDepth = depth;
    }
  }
  return found;
}

/**
 * How specifically `candidate` (the scope of a directive) covers requests for an alias declared in
 * `aliasScope`: -1 not at all; 0 server; 1 the same vhost; 2 a Location/Directory inside it that
 * matches the alias's URL or script path.
 */
function coverDepth(candidate: ApacheScope, aliasScope: ApacheScope, urlPath: string, scriptPath: string): number {
  if (candidate.kind === 'server') return 0;
  if (candidate.vhost !== aliasScope.vhost) return -1;
  if (candidate.kind === 'virtualhost') return 1;
  const arg = candidate.args[0] ?? '';
  if (candidate.kind === 'location' && (urlPath.startsWith(arg) || arg === '/')) return 2;
  if (candidate.kind === 'directory' && scriptPath.startsWith(arg.replace(/\/?$/, '/').replace(/\/\/$/, '/'))) return 2;
  if (candidate.kind === 'files' && scriptPath.endsWith(arg)) return 2;
  if (candidate.kind === 'directory' || candidate.kind === 'location' || candidate.kind === 'files') return -1;
  return candidate.parent ? coverDepth(candidate.parent, aliasScope, urlPath, scriptPath) : -1;
}

function buildWsgiApplication(
  directive: ResolvedDirective, scope: ApacheScope, server: ApacheServer, appProfiles: Record<string, string>,
): WsgiApplication | null {
  const args = directive.args.map((a) => a.value);
  const [urlPath, scriptPath] = args;
  if (urlPath === undefined || scriptPath === undefined) return null;
  const options = parseKeyValues(args.slice(2));
  let processGroup = options['process-group'];
  let processGroupDirective: ResolvedDirective | undefined;
  if (processGroup === undefined) {
    processGroupDirective = nearestDirective(server, 'wsgiprocessgroup', scope, urlPath, scriptPath);
    processGroup = processGroupDirective?.args[0]?.value ?? '%{GLOBAL}';
  }
  if (processGroup === '%{GLOBAL}') processGroup = '';
  const chunked = nearestDirective(server, 'wsgichunkedrequest', scope, urlPath, scriptPath);
  // A templated script path splits into several words (`{{ binary_path }}/keystone-wsgi-public`):
  // the whole argument text is evidence too.
  const app = detectAppProfile([
    { text: scriptPath, location: directive.args[1].location }, { text: urlPath, location: directive.args[0].location },
    { text: directive.args.map((a) => a.raw).join(' '), location: directive.location },
  ], appProfiles);
  return {
    directive, urlPath, scriptPath, processGroup, processGroupDirective,
    chunkedRequest: { on: (chunked?.args[0]?.value ?? 'off').toLowerCase() === 'on', directive: chunked },
    vhost: scope.vhost, scope, app, server,
  };
}

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

/** The ServerName requests of a vhost see (a vhost without one takes the server's; the port is not part of it). */
export function effectiveServerName(server: ApacheServer, vhost: VirtualHost | null): string {
  const own = vhost?.serverName;
  const global = indexOf(server).globalServerName;
  const name = own ?? global ?? '';
  return name.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/:\d+$/, '');
}

/**
 * The apps a route leads to: those of the uWSGI instances it reaches in this run, else the profile
 * read from the route itself.
 */
export function routeApps(deployment: Deployment, route: ProxyRoute): AppProfile[] {
  const linked = deployment.linksOf(route).map((link) => link.instance.app);
  if (linked.length > 0) return linked;
  return route.app ? [route.app] : [];
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

// ---------------------------------------------------------------- indexes

/**
 * Lookups by vhost, built once per server on first use (after the walk), so that rules and the
 * model's own queries touch only a vhost's entries plus those outside every vhost: linear in the
 * size of the server, not quadratic in its number of vhosts.
 */
interface ByVhost<T> {
  /** Everything, in config order. */
  all: T[];
  /** Entries outside every vhost. */
  outside: T[];
  byVhost: Map<VirtualHost, T[]>;
  /** Config order, to merge `outside` and one vhost's entries back into it. */
  order: Map<T, number>;
}

interface ServerIndex {
  directivesByName: Map<string, ByVhost<ApacheServer['directives'][number]>>;
  envByName: Map<string, ByVhost<EnvSetting>>;
  writtenRoutes: ByVhost<ProxyRoute>;
  balancerMembers: Map<ProxyRoute, ProxyRoute[]>;
  globalServerName: string | undefined;
}

const serverIndexes = new WeakMap<ApacheServer, ServerIndex>();

function emptyByVhost<T>(): ByVhost<T> {
  return { all: [], outside: [], byVhost: new Map(), order: new Map() };
}

function addByVhost<T>(bucket: ByVhost<T>, item: T, vhost: VirtualHost | null): void {
  bucket.order.set(item, bucket.all.length);
  bucket.all.push(item);
  if (vhost === null) bucket.outside.push(item);
  else {
    const list = bucket.byVhost.get(vhost);
    if (list) list.push(item);
    else bucket.byVhost.set(vhost, [item]);
  }
}

/** Entries that can concern something in `vhost` (null: outside every vhost, so every entry). */
function candidatesIn<T>(bucket: ByVhost<T> | undefined, vhost: VirtualHost | null): T[] {
  if (!bucket) return [];
  if (vhost === null) return bucket.all;
  const own = bucket.byVhost.get(vhost);
  if (!own) return bucket.outside;
  if (bucket.outside.length === 0) return own;
  return [...bucket.outside, ...own].sort((a, b) => bucket.order.get(a)! - bucket.order.get(b)!);
}

function indexOf(server: ApacheServer): ServerIndex {
  const cached = serverIndexes.get(server);
  if (cached) return cached;
  const index: ServerIndex = { directivesByName: new Map(), envByName: new Map(), writtenRoutes: emptyByVhost(), balancerMembers: new Map(), globalServerName: undefined };
  for (const entry of server.directives) {
    const lname = entry.directive.lname;
    let bucket = index.directivesByName.get(lname);
    if (!bucket) index.directivesByName.set(lname, (bucket = emptyByVhost()));
    addByVhost(bucket, entry, entry.scope.vhost);
    if (lname === 'servername' && entry.scope.kind === 'server') index.globalServerName = entry.directive.args[0]?.value;
  }
  for (const setting of server.env) {
    const name = setting.name.toLowerCase();
    let bucket = index.envByName.get(name);
    if (!bucket) index.envByName.set(name, (bucket = emptyByVhost()));
    addByVhost(bucket, setting, setting.scope.vhost);
  }
  for (const route of server.routes) {
    if (route.via === 'BalancerMember' && route.balancerRoute) {
      const members = index.balancerMembers.get(route.balancerRoute);
      if (members) members.push(route);
      else index.balancerMembers.set(route.balancerRoute, [route]);
    } else if (route.via !== 'BalancerMember') {
      addByVhost(index.writtenRoutes, route, route.vhost);
    }
  }
  serverIndexes.set(server, index);
  return index;
}
