/**
 * Writers for the config files the lab starts servers from. They produce whole files, the way a
 * deployment would have them: an Apache server tree (LoadModule lines, Listen, User, VirtualHost)
 * and a uWSGI ini that names its plugins. deploylint is run on exactly these texts.
 */
import { APACHE_MODULES_DIR, APACHE_RUN_USER, UWSGI_PLUGINS_DIR, type SetupContext } from './harness';

/** LoadModule id -> shared object. unixd is compiled into Debian's apache2, so it is not listed. */
export const APACHE_MODULES: Record<string, string> = {
  mpm_event_module: 'mod_mpm_event.so',
  authz_core_module: 'mod_authz_core.so',
  alias_module: 'mod_alias.so',
  env_module: 'mod_env.so',
  setenvif_module: 'mod_setenvif.so',
  proxy_module: 'mod_proxy.so',
  proxy_http_module: 'mod_proxy_http.so',
  proxy_uwsgi_module: 'mod_proxy_uwsgi.so',
  wsgi_module: 'mod_wsgi.so',
};

export interface ApacheConfOptions {
  title: string;
  /** Module ids to leave out (to prove apache-module-missing). */
  withoutModules?: string[];
  /** Modules to load besides APACHE_MODULES (id -> shared object), e.g. the balancer's. */
  extraModules?: Record<string, string>;
  /** Lines at server scope after the base settings (outside any VirtualHost). */
  serverScope?: string[];
  /** Lines inside `<VirtualHost 127.0.0.1:PORT>`; no VirtualHost when undefined. */
  virtualHost?: string[];
}

export function apacheConf(ctx: SetupContext, options: ApacheConfOptions): string {
  const port = ctx.port('apache');
  const modules = Object.entries({ ...APACHE_MODULES, ...options.extraModules }).filter(([id]) => !options.withoutModules?.includes(id));
  const lines = [
    `# deploylint lab: ${options.title}`,
    `ServerRoot "${ctx.scratch}"`,
    ...modules.map(([id, so]) => `LoadModule ${id} ${APACHE_MODULES_DIR}/${so}`),
    '',
    `User ${APACHE_RUN_USER}`,
    `Group ${APACHE_RUN_USER}`,
    'ServerName lab.localhost',
    `Listen 127.0.0.1:${port}`,
    `PidFile ${ctx.scratch}/apache2.pid`,
    `ErrorLog ${ctx.scratch}/error.log`,
    'LogLevel info',
    `DefaultRuntimeDir ${ctx.scratch}/run`,
    `Mutex file:${ctx.scratch}/run default`,
  ];
  if (modules.some(([id]) => id === 'wsgi_module')) lines.push(`WSGISocketPrefix ${ctx.scratch}/run/wsgi`);
  if (options.serverScope?.length) lines.push('', ...options.serverScope);
  if (options.virtualHost) {
    lines.push('', `<VirtualHost 127.0.0.1:${port}>`, ...options.virtualHost.map((l) => (l ? `    ${l}` : l)), '</VirtualHost>');
  }
  return lines.join('\n') + '\n';
}

/** What a `balancer://` needs besides mod_proxy (Debian's proxy_balancer.load and its dependencies). */
export const BALANCER_MODULES: Record<string, string> = {
  slotmem_shm_module: 'mod_slotmem_shm.so',
  proxy_balancer_module: 'mod_proxy_balancer.so',
  lbmethod_byrequests_module: 'mod_lbmethod_byrequests.so',
};

/** A `<Location PATH>` block, indented for use inside a VirtualHost. */
export function location(urlPath: string, body: string[]): string[] {
  return [`<Location ${urlPath}>`, ...body.map((l) => `    ${l}`), '</Location>'];
}

export interface UwsgiIniOptions {
  title: string;
  /** The `plugins =` value; Debian's uWSGI is modular: python3, and http for the router and http-* options. */
  plugins?: string;
  app: string;
  /** Socket lines, e.g. [['http-socket', '127.0.0.1:8000']]. */
  sockets: Array<[string, string]>;
  /** Further options in order; a value of `true` writes `key = true`. */
  options?: Array<[string, string]>;
  /** false leaves die-on-term out (the SIGTERM-reload scenarios). */
  dieOnTerm?: boolean;
}

export function uwsgiIni(ctx: SetupContext, options: UwsgiIniOptions): string {
  const lines: string[] = [
    `; deploylint lab: ${options.title}`,
    '[uwsgi]',
    `plugins-dir = ${UWSGI_PLUGINS_DIR}`,
    `plugins = ${options.plugins ?? 'python3,http'}`,
    `wsgi-file = ${ctx.app(options.app)}`,
    'master = true',
    'processes = 1',
  ];
  if (options.dieOnTerm !== false) lines.push('die-on-term = true');
  for (const [key, value] of options.sockets) lines.push(`${key} = ${value}`);
  for (const [key, value] of options.options ?? []) lines.push(`${key} = ${value}`);
  return lines.join('\n') + '\n';
}
