/**
 * The deployment model: everything one run was given, linked. Rules read only this.
 * Names follow the servers' own vocabulary (VirtualHost, ProxyPass route, uWSGI instance, socket).
 */
import type { SourceLocation } from '../core/source';
import type { ResolvedApacheConfig, ResolvedDirective, ResolvedSection } from '../resolve/apache/types';
import type { ResolvedUwsgiConfig, ResolvedUwsgiOption } from '../resolve/uwsgi-ini/types';
import type { AppProfile } from '../knowledge/app-profiles';
import type { Targets } from '../knowledge/targets';

export type { AppProfile, Targets };

/** A network endpoint, normalised so that `:8000`, `0.0.0.0:8000` and `127.0.0.1:8000` can be compared. */
export type Endpoint =
  | { kind: 'tcp'; host: string; hostClass: 'wildcard' | 'loopback' | 'named'; port: number; written: string }
  | { kind: 'unix'; path: string; written: string }
  /** The address has a template or variable left in it (`{{ port }}`, `%APACHE_LOCAL_HOST%`): never linked. */
  | { kind: 'unresolved'; written: string };

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
  /** The WSGIChunkedRequest directive that applies (server, vhost or a Location/Directory covering the alias). */
  chunkedRequest: { on: boolean; directive?: ResolvedDirective };
  vhost: VirtualHost | null;
  scope: ApacheScope;
  app: AppProfile;
  server: ApacheServer;
}

export interface ApacheServer {
  file: string;
  config: ResolvedApacheConfig;
  serverScope: ApacheScope;
  vhosts: VirtualHost[];
  routes: ProxyRoute[];
  env: EnvSetting[];
  wsgiGroups: WsgiDaemonGroup[];
  wsgiApps: WsgiApplication[];
  listens: { endpoint: Endpoint; directive: ResolvedDirective }[];
  /** Loaded modules when the whole server tree is known; null for a snippet. */
  loadedModules: Set<string> | null;
  /** Every directive with its scope, in order, for rules that look at a directive kind. */
  directives: { directive: ResolvedDirective; scope: ApacheScope }[];
}

// ---------------------------------------------------------------- uWSGI

/** What a socket speaks to its peer. `router` is uWSGI's HTTP router process (`http =`). */
export type UwsgiSocketProtocol = 'uwsgi' | 'http' | 'https' | 'fastcgi' | 'scgi' | 'suwsgi' | 'other';

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

export interface UwsgiInstance {
  file: string;
  section: string;
  config: ResolvedUwsgiConfig;
  options: ResolvedUwsgiOption[];
  sockets: UwsgiSocket[];
  /** Plugins named by plugins/plugin/need-plugin, lower-cased, in order. */
  plugins: string[];
  /** module / wsgi-file / mount entries. */
  entries: ResolvedUwsgiOption[];
  app: AppProfile;
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
  /** Convenience views. */
  routes: ProxyRoute[];
  linksOf(route: ProxyRoute): RouteLink[];
  linksTo(instance: UwsgiInstance): RouteLink[];
}

export type { ResolvedDirective, ResolvedSection, ResolvedUwsgiOption, SourceLocation };
