/**
 * Checks httpd's directive handlers make on their arguments when the tree is walked (`apache2 -t`
 * fails on these), for the directives a WSGI deployment typically uses. Argument counts come from
 * measured data (data/apache-directive-arity.tsv); value checks are written out here, each with the
 * message httpd 2.4.71 / mod_wsgi 4.9.4 print (all measured with `apache2 -t`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { measuredArity } from '../../knowledge/apache-directives';
import type { ResolvedNode, ResolvedSection } from './types';

/** Require providers and the module that registers each (httpd 2.4 authz modules). */
const AUTHZ_PROVIDERS: Record<string, string> = {
  all: 'authz_core_module',
  env: 'authz_core_module',
  method: 'authz_core_module',
  expr: 'authz_core_module',
  ip: 'authz_host_module',
  host: 'authz_host_module',
  'forward-dns': 'authz_host_module',
  local: 'authz_host_module',
  user: 'authz_user_module',
  'valid-user': 'authz_user_module',
  group: 'authz_groupfile_module',
  'dbm-group': 'authz_dbm_module',
  'dbm-file-group': 'authz_dbm_module',
  'dbd-group': 'authz_dbd_module',
  'dbd-login': 'authz_dbd_module',
  'dbd-logout': 'authz_dbd_module',
  'file-owner': 'authz_owner_module',
  'file-group': 'authz_owner_module',
  'ldap-user': 'authnz_ldap_module',
  'ldap-group': 'authnz_ldap_module',
  'ldap-dn': 'authnz_ldap_module',
  'ldap-attribute': 'authnz_ldap_module',
  'ldap-filter': 'authnz_ldap_module',
  'ldap-search': 'authnz_ldap_module',
  'ssl-verify-client': 'ssl_module',
};

/** Worker parameters mod_proxy 2.4.71 accepts (keys are case-insensitive). */
const WORKER_PARAMS = new Set([
  'loadfactor', 'route', 'retry', 'ttl', 'min', 'max', 'smax', 'acquire', 'timeout', 'iobuffersize', 'receivebuffersize',
  'keepalive', 'disablereuse', 'enablereuse', 'route', 'redirect', 'status', 'flushpackets', 'flushwait', 'ping', 'lbset',
  'connectiontimeout', 'flusher', 'upgrade', 'responsefieldsize', 'addressttl', 'secret', 'mapping',
  'hcmethod', 'hcinterval', 'hcpasses', 'hcfails', 'hcuri', 'hcexpr', 'hctemplate',
]);
const BALANCER_PARAMS = new Set([
  'stickysession', 'stickysessionsep', 'nofailover', 'timeout', 'maxattempts', 'lbmethod', 'scolonpathdelim', 'failonstatus',
  'failontimeout', 'nonce', 'growth', 'forcerecovery',
]);
const ON_OFF_PARAMS: Record<string, string> = { keepalive: 'KeepAlive', disablereuse: 'DisableReuse', enablereuse: 'EnableReuse' };

/** mod_proxy's add_pass: argument shape, URL and worker parameters. */
function proxyPassError(name: string, values: string[], inLocation: boolean, loaded: Set<string> | null): string | null {
  // outside a <Location> a leading '~' marks a regex; inside one it is taken as the URL itself
  const words = !inLocation && values[0] === '~' ? values.slice(1) : values;
  const flags = /^(nocanon|interpolate|noquery)$/i;
  const positional: string[] = [];
  const params: [string, string][] = [];
  for (const w of words) {
    if (positional.length < (inLocation ? 1 : 2)) {
      positional.push(w);
      continue;
    }
    if (flags.test(w)) continue;
    const eq = w.indexOf('=');
    if (eq < 0) {
      if (inLocation && positional[0].startsWith('/')) return 'ProxyPass|ProxyPassMatch can not have a path when defined in a location.';
      return "Invalid ProxyPass|ProxyPassMatch parameter. Parameter must be in the form 'key=value'.";
    }
    params.push([w.slice(0, eq).toLowerCase(), w.slice(eq + 1)]);
  }
  const url = inLocation ? positional[0] : positional[1];
  if (url === undefined) return 'ProxyPass|ProxyPassMatch needs a path when not defined in a location';
  if (url === '!') return null;
  let target = url;
  if (/^unix:/i.test(target) && target.includes('|')) target = target.slice(target.indexOf('|') + 1);
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:(\/\/.|\/\/$|$)/.test(target) || (!/:\/\//.test(target) && !/^unix:/i.test(url))) {
    return `ProxyPass URL must be absolute!: ${url}`;
  }
  const balancer = /^balancer:\/\//i.test(target);
  for (const [key, value] of params) {
    if (balancer) {
      if (!BALANCER_PARAMS.has(key)) return `${name} unknown Balancer parameter`;
      if (key === 'lbmethod' && loaded && !loaded.has(`lbmethod_${value.toLowerCase()}_module`)) return `${name} unknown lbmethod`;
      continue;
    }
    // mod_proxy_hcheck, when loaded, is the last to decline a key and names itself
    if (!WORKER_PARAMS.has(key)) return `${name} unknown Worker ${loaded?.has('proxy_hcheck_module') ? 'hcheck ' : ''}parameter`;
    if ((key === 'timeout' || key === 'ttl') && !(Number.parseInt(value, 10) >= 1)) return `${name} ${key === 'ttl' ? 'TTL' : 'Timeout'} must be at least one second`;
    if (ON_OFF_PARAMS[key] && !/^(on|off)$/i.test(value)) return `${name} ${ON_OFF_PARAMS[key]} must be On|Off`;
    if (key === 'ping' && !/^\d+(ms|s|mi|h)?$/i.test(value)) return `${name} Ping/Pong timeout has wrong format`;
    if (key === 'mapping' && !/^(encoded|servlet)$/i.test(value)) return 'unknown mapping';
  }
  return null;
}

export interface CheckContext {
  serverRoot: string;
  wholeTree: boolean;
  /** Shared across the walk: mod_wsgi daemon names seen so far, with the ServerName of the vhost that defined each (null: global). */
  wsgiDaemons: Map<string, string | null>;
  ancestors: ResolvedSection[];
  /** No directory-like section around the node (server or virtual host level). */
  serverLevel: boolean;
  /** Check user and group names against this machine's accounts. */
  checkHostAccounts: boolean;
  /** Check that files named by directives exist on this machine (SSL certificates). */
  checkHostFiles: boolean;
  /** Module identifiers loaded, or null when unknown (a snippet). */
  loaded: Set<string> | null;
  /** Providers defined with <AuthzProviderAlias> so far. */
  authzAliases?: Set<string>;
}

let accounts: { users: Set<string>; groups: Set<string> } | null = null;

function hostAccounts(): { users: Set<string>; groups: Set<string> } {
  if (accounts) return accounts;
  const names = (file: string) => {
    try {
      return new Set(
        fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .map((l) => l.split(':')[0])
          .filter(Boolean),
      );
    } catch {
      return new Set<string>();
    }
  };
  accounts = { users: names('/etc/passwd'), groups: names('/etc/group') };
  return accounts;
}

/** ServerName of the enclosing virtual host ('' when it has none), as mod_wsgi compares servers. */
function serverNameOf(ancestors: ResolvedSection[]): string {
  const vhost = ancestors.find((a) => a.lname === 'virtualhost');
  const sn = vhost?.children.find((c) => c.kind === 'directive' && c.lname === 'servername');
  return sn?.args[0]?.value.toLowerCase() ?? '';
}

/** ap_uname2id / ap_gname2id: `#123` is a numeric id; anything else must exist (httpd exits otherwise). */
function accountError(kind: 'user' | 'group', name: string, ctx: CheckContext): string | null {
  if (!ctx.checkHostAccounts || name.startsWith('#')) return null;
  const set = kind === 'user' ? hostAccounts().users : hostAccounts().groups;
  return set.has(name) ? null : `bad ${kind} name ${name}`;
}

/** ap_is_url: a scheme of letters, digits, '+', '-', '.' followed by ':'. */
function isUrl(u: string): boolean {
  return /^[A-Za-z0-9+.-]+:/.test(u);
}

/** mod_alias add_redirect_internal, at server or virtual host level. */
function redirectError(values: string[], regex: boolean): string | null {
  let status: number | null = null;
  let rest = values;
  const a = values[0]?.toLowerCase();
  if (values.length >= 3 || (values.length === 2 && /^(permanent|temp|seeother|gone|\d)/.test(a ?? ''))) {
    if (a === 'permanent') status = 301;
    else if (a === 'temp') status = 302;
    else if (a === 'seeother') status = 303;
    else if (a === 'gone') status = 410;
    else if (/^\d/.test(a ?? '')) status = Number.parseInt(a!, 10);
    else if (values.length >= 3) return 'Redirect: invalid first argument (of three)';
    rest = values.slice(1);
  }
  const url = rest[1];
  const isRedirect = status === null || (status >= 300 && status <= 399);
  if (!isRedirect) return url !== undefined ? 'Redirect URL not valid for this status' : null;
  if (url === undefined) return 'URL to redirect to is missing';
  if (!regex && !isUrl(url) && !url.startsWith('/')) return 'Redirect to non-URL';
  return null;
}

/** apr_parse_addr_port as Listen uses it. */
function listenAddressError(s: string): string | null {
  const outOfRange = (p: number) => p < 1 || p > 65535;
  if (/^\d+$/.test(s)) return outOfRange(Number(s)) ? 'Invalid address or port' : null;
  let port = 0;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return 'Invalid address or port';
    const after = s.slice(close + 1);
    if (after.startsWith(':') && /^\d+$/.test(after.slice(1))) port = Number(after.slice(1));
    else if (after !== '') return 'Invalid address or port';
  } else {
    const i = s.lastIndexOf(':');
    if (i >= 0 && /^\d+$/.test(s.slice(i + 1))) port = Number(s.slice(i + 1));
  }
  if (port && outOfRange(port)) return 'Invalid address or port';
  if (!port) return 'Port must be specified';
  return null;
}

/** WSGIDaemonProcess options mod_wsgi 4.9.4 accepts (measured: every other key is refused). */
const WSGI_DAEMON_OPTIONS = new Set([
  'user', 'group', 'supplementary-groups', 'processes', 'threads', 'umask', 'chroot', 'home', 'lang', 'locale', 'python-home',
  'python-path', 'python-eggs', 'stack-size', 'maximum-requests', 'shutdown-timeout', 'startup-timeout', 'deadlock-timeout',
  'inactivity-timeout', 'request-timeout', 'graceful-timeout', 'eviction-timeout', 'restart-interval', 'connect-timeout',
  'socket-timeout', 'queue-timeout', 'listen-backlog', 'socket-user', 'script-user', 'script-group', 'display-name',
  'cpu-time-limit', 'cpu-priority', 'memory-limit', 'virtual-memory-limit', 'send-buffer-size', 'receive-buffer-size',
  'header-buffer-size', 'response-buffer-size', 'response-socket-timeout', 'server-metrics', 'newrelic-config-file',
  'newrelic-environment',
]);

/** Smallest non-zero value mod_wsgi takes for its buffer options, with its message. */
const WSGI_BUFFER_MINIMA: Record<string, [number, string]> = {
  'header-buffer-size': [8192, 'Header buffer size must be >= 8192 bytes, or 0 for default.'],
  'response-buffer-size': [65536, 'Response buffer size must be >= 65536 bytes, or 0 for default.'],
  'send-buffer-size': [512, 'Send buffer size must be >= 512 bytes, or 0 for system default.'],
  'receive-buffer-size': [512, 'Receive buffer size must be >= 512 bytes, or 0 for system default.'],
};

const WSGI_SCRIPT_ALIAS_OPTIONS = new Set(['process-group', 'application-group', 'callable-object', 'pass-authorization']);

/** The message httpd stops at for this node's arguments, or null. */
export function checkDirectiveArguments(node: ResolvedNode, ctx: CheckContext): string | null {
  const values = node.args.map((a) => a.value);
  if (node.kind === 'directive') {
    const arity = measuredArity(node.name);
    if (arity) {
      const n = values.length;
      const hit = arity.byCount[Math.min(n, 4)];
      // invoke_cmd's own count messages hold everywhere; a handler's may depend on the scope it was measured in
      if (hit && (hit.anyScope || ctx.serverLevel === (arity.scope === 'top' || arity.scope === 'vhost'))) return hit.message;
      if (arity.flag && n === 1 && !/^(on|off)$/i.test(values[0])) return arity.flag;
    }
  }
  switch (node.lname) {
    case 'listen':
      return values.length ? listenAddressError(values[0]) : null;
    case 'wsgiscriptalias':
    case 'wsgiscriptaliasmatch':
      {
        const opts = new Map<string, string>();
        for (const opt of values.slice(2)) {
          const eq = opt.indexOf('=');
          if (eq <= 0 || !WSGI_SCRIPT_ALIAS_OPTIONS.has(opt.slice(0, eq))) return 'Invalid option to WSGI script alias definition.';
          opts.set(opt.slice(0, eq), opt.slice(eq + 1));
        }
        // with both groups named, mod_wsgi preloads the script, so the daemon must already exist (measured on 4.9.4)
        const group = opts.get('process-group');
        if (node.lname === 'wsgiscriptalias' && group !== undefined && opts.has('application-group') && !group.includes('%{') && group !== '') {
          if (!ctx.wsgiDaemons.has(group)) return 'WSGI process group not yet configured.';
          const owner = ctx.wsgiDaemons.get(group);
          if (owner !== null && owner !== serverNameOf(ctx.ancestors)) return 'WSGI process group not accessible.';
        }
      }
      return null;
    case 'proxypass':
    case 'proxypassmatch': {
      const inLocation = ctx.ancestors.some((a) => a.lname === 'location' || a.lname === 'locationmatch');
      return proxyPassError(node.lname === 'proxypass' ? 'ProxyPass' : 'ProxyPassMatch', values, inLocation, ctx.loaded);
    }
    case 'require': {
      if (!ctx.loaded) return null;
      let i = 0;
      if (values[0]?.toLowerCase() === 'not') i = 1;
      const provider = values[i]?.toLowerCase();
      if (provider === undefined) return null;
      const mod = AUTHZ_PROVIDERS[provider];
      if (ctx.authzAliases?.has(provider)) return null;
      if (mod === undefined || !ctx.loaded.has(mod)) return `Unknown Authz provider: ${values[i]}`;
      return null;
    }
    case 'user':
      return values.length === 1 ? accountError('user', values[0], ctx) : null;
    case 'group':
      return values.length === 1 ? accountError('group', values[0], ctx) : null;
    case 'redirect':
    case 'redirectmatch':
    case 'redirectpermanent':
    case 'redirecttemp':
      if (!ctx.serverLevel || node.lname === 'redirectpermanent' || node.lname === 'redirecttemp') return null;
      if (ctx.ancestors.some((a) => a.lname === 'location' || a.lname === 'locationmatch')) return null;
      return redirectError(values, node.lname === 'redirectmatch');
    case 'wsgidaemonprocess': {
      const name = values[0];
      if (name === undefined) return 'Name of WSGI daemon process not supplied.';
      for (const opt of values.slice(1)) {
        const eq = opt.indexOf('=');
        const key = eq > 0 ? opt.slice(0, eq) : '';
        const value = opt.slice(eq + 1);
        if (!WSGI_DAEMON_OPTIONS.has(key)) return 'Invalid option to WSGI daemon process definition.';
        if (key === 'user' || key === 'socket-user' || key === 'script-user') {
          const err = accountError('user', value, ctx);
          if (err) return err;
        }
        if (key === 'group' || key === 'script-group' || key === 'supplementary-groups') {
          for (const g of key === 'supplementary-groups' ? value.split(',') : [value]) {
            const err = accountError('group', g, ctx);
            if (err) return err;
          }
        }
        if (key === 'processes' && !(Number.parseInt(value, 10) >= 1)) return 'Invalid process count for WSGI daemon process.';
        if (key === 'threads' && !(Number.parseInt(value, 10) >= 0)) return 'Invalid thread count for WSGI daemon process.';
        const min = WSGI_BUFFER_MINIMA[key];
        if (min) {
          const n = Number.parseInt(value, 10) || 0;
          if (n !== 0 && n < min[0]) return min[1];
        }
        if (key === 'server-metrics' && !/^(on|off)$/i.test(value)) return 'Invalid server metrics flag for WSGI daemon process.';
      }
      if (ctx.wsgiDaemons.has(name)) return 'Name duplicates previous WSGI daemon definition.';
      ctx.wsgiDaemons.set(name, ctx.ancestors.some((a) => a.lname === 'virtualhost') ? serverNameOf(ctx.ancestors) : null);
      return null;
    }
    case 'sslcertificatefile':
    case 'sslcertificatekeyfile': {
      if (!ctx.wholeTree || !ctx.checkHostFiles || !values.length || values[0].includes(':')) return null;
      const p = path.posix.isAbsolute(values[0]) ? values[0] : path.posix.join(ctx.serverRoot, values[0]);
      let ok = false;
      try {
        const st = fs.statSync(p);
        ok = st.isFile() && st.size > 0;
      } catch {
        ok = false;
      }
      const label = node.lname === 'sslcertificatefile' ? 'SSLCertificateFile' : 'SSLCertificateKeyFile';
      return ok ? null : `${label}: file '${p}' does not exist or is empty`;
    }
    case 'if':
    case 'elseif': {
      if (node.kind === 'section' && node.args.length > 1) return 'Multiple <If> arguments not supported.';
      return null;
    }
  }
  return null;
}
