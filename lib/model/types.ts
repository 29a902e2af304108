/**
 * The deployment model: everything one run was given, linked. Rules read only this.
 * Names follow the servers' own vocabulary (VirtualHost, ProxyPass route, uWSGI instance, socket).
 */
import type { SourceLocation } from '../core/source';
import type { ResolvedApacheConfig, ResolvedDirective, ResolvedSection } from '../resolve/apache/types';
import type { ResolvedUwsgiConfig, ResolvedUwsgiOption } from '../resolve/uwsgi-ini/types';
import type { AppProfile } from '../knowledge/app-profiles';
import type { Targets } from '../knowledge/targets';
import type { UwsgiLaunch } from '../resolve/launch';
import type { UwsgiSocketProtocol } from '../knowledge/uwsgi-sockets';
import type { UwsgiVersionLine } from '../knowledge/uwsgi-options';

export type { AppProfile, Targets };

/** A network endpoint, normalised so that `:8000`, `0.0.0.0:8000` and `127.0.0.1:8000` can be compared. */
export type Endpoint =
  | { kind: 'tcp'; host: string; hostClass: 'wildcard' | 'loopback' | 'named'; port: number; written: string }
  | { kind: 'unix'; path: string; written: string }
  /**
   * The address has a template or variable left in it (`{{ port }}`, `%APACHE_LOCAL_HOST%`): never linked.
   * `transport: 'tcp'` when it is still known to be TCP (`127.0.0.1:$port`: uWSGI binds any address with a `:` over TCP).
   */
  | { kind: 'unresolved'; written: string; transport?: 'tcp' };

// ---------------------------------------------------------------- Apache

export type ApacheScopeKind =
  | 'server' | 'virtualhost' | 'location' | 'locationmatch' | 'directory' | 'directorymatch'
  | 'files' | 'filesmatch' | 'proxy' | 'proxymatch' | 'if' | 'other';

/** A configuration scope: the server, a <VirtualHost>, a <Location>, ... */
export interface ApacheScope {
  kind: ApacheScopeKind;
  /** The section's arguments (Location path, VirtualHost addresses...). */
  args: string[];
  /** Null for the server scope. */
  section: ResolvedSection | null;
  parent: ApacheScope | null;
  vhost: VirtualHost | null;
  /** Human name for messages: `<VirtualHost *:80>` at file:line, or `server scope`. */
  label: string;
}

/** An environment variable set for requests (SetEnv, SetEnvIf*, RewriteRule [E=]). */
export interface EnvSetting {
  name: string;
  value: string;
  directive: ResolvedDirective;
  scope: ApacheScope;
  /** SetEnvIf / RewriteRule set it only for matching requests; `condition` says on what. */
  conditional: boolean;
  condition?: { attribute: string; pattern: string };
  server: ApacheServer;
}

export type ProxyScheme = 'http' | 'https' | 'uwsgi' | 'fcgi' | 'scgi' | 'ajp' | 'ws' | 'wss' | 'h2' | 'h2c' | 'balancer' | 'ftp' | 'other';

/** A ProxyPass / ProxyPassMatch / RewriteRule [P] route, or one balancer member of one. */
export interface ProxyRoute {
  directive: ResolvedDirective;
  /** 'ProxyPass' | 'ProxyPassMatch' | 'RewriteRule' | 'BalancerMember' */
  via: string;
  /** URL path (or regex for ProxyPassMatch / <LocationMatch>) the route serves. */
  path: string;
  pathIsRegex: boolean;
  /** Target URL as written (after ${VAR}), `unix:/x.sock|uwsgi://name/` included. */
  url: string;
  scheme: ProxyScheme;
  /** Backend endpoint: host:port from the URL, or the unix socket path. */
  endpoint: Endpoint;
  /** key=value worker parameters. */
  params: Record<string, string>;
  scope: ApacheScope;
  vhost: VirtualHost | null;
  server: ApacheServer;
  /** For balancer members: the ProxyPass that names the balancer. */
  balancerRoute?: ProxyRoute;
  /** The balancer a `balancer://` route sends to, or a member route belongs to. */
  balancer?: Balancer;
  /**
   * The app profile read from the route itself (unix socket name, URL, path, `appProfiles`), for
   * when no uWSGI instance of the run is linked: `unix:/run/uwsgi/keystone-wsgi-public.socket|...`.
   */
  app?: AppProfile;
}

export interface VirtualHost {
  section: ResolvedSection;
  addresses: string[];
  serverName?: string;
  serverAliases: string[];
  scope: ApacheScope;
  server: ApacheServer;
}

/** A `balancer://name` of a server, with its members and its settings. */
export interface Balancer {
  /** `balancer://name`, lower-cased, without a trailing slash: how httpd matches it. */
  name: string;
  /** BalancerMember lines (inside `<Proxy balancer://name>` or naming it first), in config order. */
  members: BalancerMemberLine[];
  /** ProxySet lines for it (inside its `<Proxy>` section or naming it first), in config order. */
  proxySets: ResolvedDirective[];
  /** key=value parameters of its ProxySet lines, later lines winning (`lbmethod`, `stickysession`...), keys lower-cased. */
  params: Record<string, string>;
  /** Where each of `params` was set. */
  paramDirectives: Record<string, ResolvedDirective>;
  /** The routes that send requests to it (`ProxyPass /x balancer://name/`), in config order. */
  routes: ProxyRoute[];
}

export interface BalancerMemberLine {
  directive: ResolvedDirective;
  scope: ApacheScope;
  /** The member's URL (`http://10.0.0.1:8080/`). */
  url: string;
  params: Record<string, string>;
}

export interface WsgiDaemonGroup {
  name: string;
  options: Record<string, string>;
  directive: ResolvedDirective;
  vhost: VirtualHost | null;
}

/** A WSGIScriptAlias(Match) with what decides how its requests are served. */
export interface WsgiApplication {
  directive: ResolvedDirective;
  urlPath: string;
  scriptPath: string;
  /** process-group= option, else the WSGIProcessGroup in scope, else '' (embedded mode). */
  processGroup: string;
  processGroupDirective?: ResolvedDirective;
  /**
   * The WSGIChunkedRequest directive that applies (server, vhost or a Location/Directory covering the alias);
   * `templated` when its value is a template expression (`WSGIChunkedRequest <%= @x %>`): On or Off is not known.
   */
  chunkedRequest: { on: boolean; templated?: boolean; directive?: ResolvedDirective };
  vhost: VirtualHost | null;
  scope: ApacheScope;
  app: AppProfile;
  server: ApacheServer;
}

/**
 * One use of a mod_wsgi daemon process group: `WSGIProcessGroup NAME` or `process-group=NAME` on a
 * WSGIScriptAlias, with what it resolves to. mod_wsgi looks the group up only at request time.
 */
export interface WsgiGroupUse {
  /** The group named. */
  name: string;
  via: 'WSGIProcessGroup' | 'process-group=';
  /** As written: `WSGIProcessGroup glance` or `process-group=glance`. */
  written: string;
  directive: ResolvedDirective;
  scope: ApacheScope;
  vhost: VirtualHost | null;
  /** WSGIDaemonProcess lines of this server with exactly that name (names are case-sensitive). */
  definitions: WsgiDaemonGroup[];
  /**
   * What requests of this use reach: 'defined' (a daemon of that name in the same vhost, at server
   * scope, or in a vhost with the same ServerName), 'other-vhost' (defined only under another
   * ServerName: 500), 'undefined' (no daemon of that name in this whole server tree: 500),
   * 'unknown' (none in this snippet; another file of the server may define it), 'embedded'
   * (%{GLOBAL}), 'per-request' (%{ENV:...} and other expansions decided per request).
   */
  access: 'defined' | 'other-vhost' | 'undefined' | 'unknown' | 'embedded' | 'per-request';
  /** httpd itself refuses the line at start-up (reported by the parser), so no request ever gets there. */
  refusedAtStartup: boolean;
}

export interface ApacheServer {
  file: string;
  config: ResolvedApacheConfig;
  serverScope: ApacheScope;
  vhosts: VirtualHost[];
  routes: ProxyRoute[];
  env: EnvSetting[];
  wsgiGroups: WsgiDaemonGroup[];
  /** Every WSGIProcessGroup and process-group= of the server, in config order. */
  wsgiGroupUses: WsgiGroupUse[];
  wsgiApps: WsgiApplication[];
  balancers: Balancer[];
  listens: { endpoint: Endpoint; directive: ResolvedDirective }[];
  /** Loaded modules when the whole server tree is known; null for a snippet. */
  loadedModules: Set<string> | null;
  /** Every directive with its scope, in order, for rules that look at a directive kind. */
  directives: { directive: ResolvedDirective; scope: ApacheScope }[];
}

// ---------------------------------------------------------------- uWSGI

export type { UwsgiSocketProtocol };

export interface UwsgiSocket {
  option: ResolvedUwsgiOption;
  /** The option that made it: socket, uwsgi-socket, http-socket, http11-socket, https-socket, http, https, ... */
  optionName: string;
  /** Protocol a client of this socket must speak. */
  protocol: UwsgiSocketProtocol;
  /** True for `http =`/`https =`: uWSGI's HTTP router process in front of the workers. */
  router: boolean;
  endpoint: Endpoint;
}

/** What an instance loads as its app: a Python module, a WSGI script, a mount, a paste config. */
export interface UwsgiEntryPoint {
  option: ResolvedUwsgiOption;
  /** `module` (and `wsgi`), `wsgi-file` (and `file`), `mount`, `paste` (and `ini-paste`). */
  kind: 'module' | 'wsgi-file' | 'mount' | 'paste';
  /** What is loaded: the module, the script path, the mount's target. */
  target: string;
  /** For `mount = /prefix=target`: the URL prefix. */
  mountPoint?: string;
}

/** uWSGI's HTTP router (`http =`): a process in front of the workers that clients talk HTTP to. */
export interface UwsgiRouter {
  /** Its listening sockets (`http =`, `https =`). */
  sockets: UwsgiSocket[];
  /** Every line that starts it (`http`, `httprouter`, `https`, `https2`), readable as a socket or not. */
  starters: ResolvedUwsgiOption[];
  /** `http-chunked-input`: without it the router discards chunked request bodies. */
  chunkedInput: { on: boolean; option?: ResolvedUwsgiOption };
  /** `http-timeout`: how long the router waits on its client. */
  timeout: StallTimeout;
}

/** A timeout that ends a request body stalled by its sender, and where it is set. */
export interface StallTimeout {
  /** The option (canonical name): `socket-timeout`, `chunked-input-timeout`, `http-timeout`. */
  name: string;
  /** The value as written, or the target's default. */
  value: string | undefined;
  /**
   * Seconds as uWSGI reads the value; undefined when the files do not say (a template or an
   * unexpanded variable) or the value is quoted (it then reads as 0: uwsgi-quoted-value's finding).
   */
  seconds: number | undefined;
  /** The line that sets it; absent when the default applies or it follows another option. */
  option?: ResolvedUwsgiOption;
  isDefault: boolean;
}

export interface UwsgiTimeouts {
  /** `socket-timeout`: how long a worker waits for the next bytes of a body it reads (and of its writes). */
  socket: StallTimeout;
  /** `chunked-input-timeout`: what uwsgi.chunked_read() waits instead; socket-timeout's value when unset. */
  chunkedInput: StallTimeout;
}

export interface UwsgiInstance {
  file: string;
  section: string;
  config: ResolvedUwsgiConfig;
  options: ResolvedUwsgiOption[];
  sockets: UwsgiSocket[];
  /** The HTTP router, when a line starts one; null otherwise. */
  router: UwsgiRouter | null;
  /** Plugins named by plugins/plugin/need-plugin, lower-cased, in order. */
  plugins: string[];
  /** module / wsgi-file / mount / paste lines, in order. */
  entries: ResolvedUwsgiOption[];
  /** The same lines, read: what each loads. */
  entryPoints: UwsgiEntryPoint[];
  /** The instance serves a Python WSGI app: it has an entry point and names no plugins, or a python one. */
  servesPythonWsgi: boolean;
  timeouts: UwsgiTimeouts;
  /** Lines that show the instance is set up to take uploads (`limit-post`, `chunked-input-limit`...), in the order cited. */
  uploadOptions: ResolvedUwsgiOption[];
  app: AppProfile;
  /**
   * The systemd unit or supervisor program of the run that starts this ini file (`uwsgi --ini
   * FILE`): its stop signal and the options it adds on the command line. Undefined when the run
   * holds none: how uWSGI is started and stopped is then not known from the files.
   */
  launch?: UwsgiLaunch;
  /** All options with this canonical name (aliases folded), in order. */
  all(name: string): ResolvedUwsgiOption[];
  /** The option uWSGI ends up using for a scalar: the last one written. */
  last(name: string): ResolvedUwsgiOption | undefined;
  /** Effective value: the last written, else the default for the target version. */
  effective(name: string): { value: string | undefined; option?: ResolvedUwsgiOption; isDefault: boolean };
  /** A boolean option's effective truth, read as uWSGI reads it. */
  flag(name: string): boolean;
}

/** An Apache route that reaches a uWSGI socket of this run. */
export interface RouteLink {
  route: ProxyRoute;
  instance: UwsgiInstance;
  socket: UwsgiSocket;
}

export interface Deployment {
  apache: ApacheServer[];
  uwsgi: UwsgiInstance[];
  links: RouteLink[];
  targets: Targets;
  /** The uWSGI option-table line of the targets ('2.0' or '2.1'), derived once. */
  uwsgiLine: UwsgiVersionLine;
  /**
   * What happens to a request body from each place it enters to the app: every Apache route, every
   * mod_wsgi application, every uWSGI socket a client may reach directly.
   */
  requestBodies: RequestBodyPath[];
  /** Convenience views. */
  routes: ProxyRoute[];
  linksOf(route: ProxyRoute): RouteLink[];
  linksTo(instance: UwsgiInstance): RouteLink[];
  /** The request-body path that starts at a route. */
  bodyPathOf(route: ProxyRoute): RouteBodyPath;
  /** The request-body paths of the Apache routes that reach an instance. */
  bodyPathsTo(instance: UwsgiInstance): RouteBodyPath[];
}

// ---------------------------------------------------------------- request bodies

/**
 * The request-body path: what becomes of a request body between the place a client sends it (an
 * Apache route, a mod_wsgi application, a uWSGI socket reached directly) and the WSGI app, for a body
 * sent `Transfer-Encoding: chunked` and for one sent with `Content-Length`, with the lines that
 * decide each verdict. The facts are measured (lab-findings.md "uWSGI alone", "Apache in front";
 * lab/results.md) and cited where request-body.ts decides them.
 */
/** What becomes of a body. */
export type BodyFate =
  /** The app can read every byte. */
  | 'delivered'
  /** The app reads an empty body and answers as if none was sent. */
  | 'lost'
  /** uWSGI's HTTP router discards it: the app's read fails. */
  | 'dropped'
  /** Refused before any app sees it: 411 Length Required. */
  | 'refused'
  /** Beyond what the files of the run show. */
  | 'unknown';

/** Why, as a code rules can filter on. */
export type BodyCause =
  /** refused: mod_proxy_uwsgi answers 411 to every chunked body (REQUEST_CHUNKED_ERROR), proxy-sendcl or not. */
  | 'mod-proxy-uwsgi'
  /** refused: mod_wsgi without `WSGIChunkedRequest On` answers 411. */
  | 'mod-wsgi-chunked-off'
  /** delivered: `WSGIChunkedRequest On`; the app reads wsgi.input to EOF. */
  | 'mod-wsgi-chunked-on'
  /** unknown: the setting that decides is a template expression, so the file does not fix On or Off. */
  | 'templated-setting'
  /** delivered: Apache reads the chunked body whole (proxy-sendcl) and sends it with Content-Length. */
  | 'spooled-by-apache'
  /** unknown at a `balancer://` route: each member's own path decides. */
  | 'balancer'
  /** unknown: a proxy scheme whose body handling is not modelled (ajp, ws, h2...). */
  | 'handler-unmodelled'
  /** unknown: the route reaches no uWSGI socket of the run. */
  | 'backend-outside-run'
  /** unknown: the route speaks another protocol than the socket (every request fails: proxy-protocol-mismatch). */
  | 'protocol-mismatch'
  /** dropped: uWSGI's HTTP router without `http-chunked-input`. */
  | 'router-drops-chunked'
  /** lost: uWSGI hands the chunked stream to the app, whose wsgi.input reads empty. */
  | 'wsgi-input-empty'
  /** delivered: the app reads chunked bodies with uwsgi.chunked_read(). */
  | 'uwsgi-chunked-api'
  /** delivered: uWSGI 2.1's `wsgi-manage-chunked-input` makes wsgi.input read it. */
  | 'wsgi-manage-chunked-input'
  /** unknown: the instance runs no Python WSGI app. */
  | 'not-a-python-app'
  /** unknown: a uwsgi-protocol socket reached directly: whatever front speaks uwsgi to it decides. */
  | 'front-decides'
  /** unknown: a socket protocol whose body handling is not modelled (https, fastcgi, scgi). */
  | 'socket-unmodelled'
  /** delivered: a Content-Length body is passed on as it arrives. */
  | 'streamed';

export interface BodyVerdict {
  fate: BodyFate;
  cause: BodyCause;
  /** The lines that decide the verdict, most decisive first. */
  decidedBy: SourceLocation[];
}

/** What Apache does with a route's request bodies before any backend sees them. */
export interface RouteBodyHandling {
  /** The module that proxies the body (`mod_proxy_http`, `mod_proxy_uwsgi`, `mod_proxy_fcgi`...), or `balancer`. */
  handler: string;
  /** proxy-sendcl settings that reach the route. */
  sendcl: EnvSetting[];
  /** Those that make Apache spool its chunked bodies: none when the handler ignores proxy-sendcl or proxy-sendchunked cancels it. */
  spooledBy: EnvSetting[];
  /** Why settings in `sendcl` spool nothing here. */
  sendclIgnored?: 'handler' | 'sendchunked';
  /** Apache spools every chunked body of the route, only those of some requests (SetEnvIf, RewriteRule [E=]), or none. */
  spools: 'always' | 'conditionally' | 'never';
}

/** Where a body ends in uWSGI. */
export interface BodyEnd {
  /** The route's link to the socket (absent when a client reaches the socket directly). */
  link?: RouteLink;
  socket: UwsgiSocket;
  instance: UwsgiInstance;
  /** What becomes of a chunked body at this end, given what the front did to it. */
  chunked: BodyVerdict;
  contentLength: BodyVerdict;
  /**
   * The timeouts that end a body stalled by its sender on the way through this socket, outermost
   * first (the router's `http-timeout`, then the worker's). Empty for a chunked body Apache spools.
   */
  stall: { chunked: StallTimeout[]; contentLength: StallTimeout[] };
}

interface BodyPathBase {
  /**
   * Where the body ends in uWSGI: each socket a route reaches, or the socket itself for a direct
   * entry. Empty for mod_wsgi and for a route that reaches nothing of the run.
   */
  ends: BodyEnd[];
  /** The apps at the end: the linked instances', the mod_wsgi app's, else what the route itself names. */
  apps: AppProfile[];
  /** Do they take chunked uploads? true if any does, false if none ever does, else 'unknown'. */
  takesChunked: boolean | 'unknown';
  /** The outcome of the whole path: the front's when it decides, else the worst of the ends. */
  chunked: BodyVerdict;
  contentLength: BodyVerdict;
}

/** Bodies sent to an Apache route (a written route, or one balancer member of one). */
export interface RouteBodyPath extends BodyPathBase {
  entry: 'apache-route';
  route: ProxyRoute;
  /** What Apache does with the body. */
  front: RouteBodyHandling;
}

/** Bodies sent to a mod_wsgi application. */
export interface ModWsgiBodyPath extends BodyPathBase {
  entry: 'mod-wsgi';
  wsgiApp: WsgiApplication;
}

/** Bodies a client sends to a uWSGI socket directly. */
export interface DirectBodyPath extends BodyPathBase {
  entry: 'uwsgi-direct';
  socket: UwsgiSocket;
  instance: UwsgiInstance;
  /** An Apache route of the run reaches the instance, so its clients are taken to come through Apache. */
  fronted: boolean;
}

export type RequestBodyPath = RouteBodyPath | ModWsgiBodyPath | DirectBodyPath;

export type { ResolvedDirective, ResolvedSection, ResolvedUwsgiOption, SourceLocation };
