/**
 * Builds the Apache side of the model from a resolved config: scopes, virtual hosts, proxy routes
 * and balancers, the environment each scope sets, and mod_wsgi groups, their uses and applications
 * (wsgi.ts). Questions about the result are in apache-queries.ts.
 */
import * as path from 'path';
import type { ResolvedApacheConfig, ResolvedDirective, ResolvedNode, ResolvedSection } from '../resolve/apache/types';
import { detectAppProfile, profileFromDirectories } from '../knowledge/app-profiles';
import { parseProxyUrl, parseUwsgiAddress } from './endpoint';
import { buildAliasedWsgiApplication, buildWsgiApplication, buildWsgiGroupUses, parseKeyValues } from './wsgi';
import type {
  ApacheScope, ApacheScopeKind, ApacheServer, Balancer, BalancerMemberLine, ProxyRoute, ProxyScheme, VirtualHost,
  WsgiDaemonGroup,
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
  proxyset: 'proxy_module', alias: 'alias_module',
};

const KNOWN_SCHEMES = new Set<ProxyScheme>(['http', 'https', 'uwsgi', 'fcgi', 'scgi', 'ajp', 'ws', 'wss', 'h2', 'h2c', 'balancer', 'ftp']);

export function buildApacheServer(config: ResolvedApacheConfig, appProfiles: Record<string, string>): ApacheServer {
  const serverScope: ApacheScope = { kind: 'server', args: [], section: null, parent: null, vhost: null, label: 'server scope' };
  const server: ApacheServer = {
    file: config.file, config, serverScope, vhosts: [], routes: [], env: [], wsgiGroups: [], wsgiGroupUses: [], wsgiApps: [],
    balancers: [], listens: [], loadedModules: config.loadedModules, directives: [],
  };
  // mod_wsgi settings are looked up by scope after the walk, because WSGIProcessGroup and
  // WSGIChunkedRequest may be written after the WSGIScriptAlias they govern.
  const pendingScriptAliases: { directive: ResolvedDirective; scope: ApacheScope }[] = [];
  const pendingAliases: { directive: ResolvedDirective; scope: ApacheScope }[] = [];
  const balancers = new Map<string, Balancer>();

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
          addBalancerMember(node, args, scope, balancers);
          break;
        case 'proxyset':
          addProxySet(node, args, scope, balancers);
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
        case 'alias':
          pendingAliases.push({ directive: node, scope });
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
  linkBalancers(server, balancers);
  // From here on the server's index (apache-index.ts) may be built: every route and directive is in.
  for (const { directive, scope } of pendingScriptAliases) {
    const app = buildWsgiApplication({ directive, scope }, server, appProfiles);
    if (app) server.wsgiApps.push(app);
  }
  for (const entry of pendingAliases) {
    const app = buildAliasedWsgiApplication(entry, server, appProfiles);
    if (app) server.wsgiApps.push(app);
  }
  server.wsgiGroupUses = buildWsgiGroupUses(server);
  for (const route of server.routes) {
    // The socket name often names the service (devstack: `unix:/var/run/uwsgi/keystone-wsgi-public.socket|...`).
    route.app = detectAppProfile([{ text: route.url, location: route.directive.location }, { text: route.path, location: route.directive.location }], appProfiles);
    // Else the file may name the service (keystone's httpd/uwsgi-keystone.conf, kolla's httpd-keystone.conf.j2).
    if (route.app.decidedBy === 'default') {
      const byFile = detectAppProfile([{ text: path.basename(route.directive.location.file), location: route.directive.location }], appProfiles);
      if (byFile.decidedBy !== 'default') route.app = byFile;
      else route.app = profileFromDirectories(route.directive.location.file, route.directive.location) ?? route.app;
    }
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
  const { scheme, endpoint } = parseProxyUrl(url, node.args[args.indexOf(url)]?.templated === true);
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

/** The balancer a URL names, as httpd matches it: `balancer://name`, lower-cased, without a trailing slash or path. */
function balancerName(url: string): string {
  return (/^balancer:\/\/[^/]*/i.exec(url)?.[0] ?? url).toLowerCase().replace(/\/+$/, '');
}

function balancerOf(name: string, balancers: Map<string, Balancer>): Balancer {
  let balancer = balancers.get(name);
  if (!balancer) balancers.set(name, (balancer = { name, members: [], proxySets: [], params: {}, paramDirectives: {}, routes: [] }));
  return balancer;
}

/** The balancer a BalancerMember or ProxySet line is for: its `<Proxy balancer://...>` section, else its first word. */
function balancerOfLine(args: string[], scope: ApacheScope): { name: string; words: string[] } | undefined {
  if (scope.kind === 'proxy' && scope.args[0] !== undefined) {
    return /^balancer:/i.test(scope.args[0]) ? { name: balancerName(scope.args[0]), words: args } : undefined;
  }
  return /^balancer:/i.test(args[0] ?? '') ? { name: balancerName(args[0]), words: args.slice(1) } : undefined;
}

function addBalancerMember(node: ResolvedDirective, args: string[], scope: ApacheScope, balancers: Map<string, Balancer>): void {
  // Inside <Proxy balancer://name> the member names only its URL; outside, the balancer comes first.
  const target = scope.kind === 'proxy' && /^balancer:/i.test(scope.args[0] ?? '') ? { name: balancerName(scope.args[0]), words: args } : /^balancer:/i.test(args[0] ?? '') ? { name: balancerName(args[0]), words: args.slice(1) } : undefined;
  if (!target || target.words[0] === undefined) return;
  const member: BalancerMemberLine = { directive: node, scope, url: target.words[0], params: parseKeyValues(target.words.slice(1)) };
  balancerOf(target.name, balancers).members.push(member);
}

function addProxySet(node: ResolvedDirective, args: string[], scope: ApacheScope, balancers: Map<string, Balancer>): void {
  const target = balancerOfLine(args, scope);
  if (!target) return;
  const balancer = balancerOf(target.name, balancers);
  balancer.proxySets.push(node);
  for (const [key, value] of Object.entries(parseKeyValues(target.words))) {
    balancer.params[key] = value;
    balancer.paramDirectives[key] = node;
  }
}

/** Each `balancer://` route sends to its balancer's members: one member route per member line, as Apache makes one worker of each. */
function linkBalancers(server: ApacheServer, balancers: Map<string, Balancer>): void {
  for (const route of [...server.routes]) {
    if (route.scheme !== 'balancer') continue;
    const balancer = balancerOf(balancerName(route.url), balancers);
    route.balancer = balancer;
    balancer.routes.push(route);
    for (const member of balancer.members) {
      const { scheme, endpoint } = parseProxyUrl(member.url);
      server.routes.push({
        directive: member.directive, via: 'BalancerMember', path: route.path, pathIsRegex: route.pathIsRegex, url: member.url,
        scheme: schemeOf(scheme), endpoint, params: member.params, scope: route.scope, vhost: route.vhost,
        server, balancerRoute: route, balancer,
      });
    }
  }
  server.balancers = [...balancers.values()];
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

