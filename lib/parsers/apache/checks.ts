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

export interface CheckContext {
  serverRoot: string;
  wholeTree: boolean;
  /** Shared across the walk: mod_wsgi daemon names seen so far. */
  wsgiDaemons: Set<string>;
  ancestors: ResolvedSection[];
  /** No directory-like section around the node (server or virtual host level). */
  serverLevel: boolean;
  /** Check user and group names against this machine's accounts. */
  checkHostAccounts: boolean;
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
      for (const opt of values.slice(2)) {
        const eq = opt.indexOf('=');
        if (eq <= 0 || !WSGI_SCRIPT_ALIAS_OPTIONS.has(opt.slice(0, eq))) return 'Invalid option to WSGI script alias definition.';
      }
      return null;
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
      if (name === undefined) return null;
      for (const opt of values.slice(1)) {
        const acct = /^(user|group)=(.*)$/.exec(opt);
        if (acct) {
          const err = accountError(acct[1] as 'user' | 'group', acct[2], ctx);
          if (err) return err;
        }
        const m = /^processes=(.*)$/.exec(opt);
        if (m && !(Number.parseInt(m[1], 10) >= 1)) return 'Invalid process count for WSGI daemon process.';
        const t = /^threads=(.*)$/.exec(opt);
        if (t && !(Number.parseInt(t[1], 10) >= 0)) return 'Invalid thread count for WSGI daemon process.';
      }
      if (ctx.wsgiDaemons.has(name)) return 'Name duplicates previous WSGI daemon definition.';
      ctx.wsgiDaemons.add(name);
      return null;
    }
    case 'sslcertificatefile':
    case 'sslcertificatekeyfile': {
      if (!ctx.wholeTree || !values.length || values[0].includes(':')) return null;
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
