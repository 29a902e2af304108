/**
 * A VirtualHost whose whole URL space is mounted by an app never serves its DocumentRoot. Measured on
 * 2.4.71 with mod_wsgi 4.9.4 (lab `modwsgi-document-root-*`, `proxyhttp-document-root-*`; docs/lab.md
 * item 13): under `WSGIScriptAlias / app.wsgi` a GET of a file in the DocumentRoot reaches the app,
 * and so does a directory (Options Indexes never lists it), whatever the order of the lines.
 * `WSGIScriptAliasMatch ^/(.*)`, a WSGIScriptAlias outside every VirtualHost (it takes every
 * VirtualHost's URLs), `ProxyPass /` and `<Location /> ProxyPass` do the same. Ways back to the
 * files: an Alias into the directory beside a WSGIScriptAlias (mod_alias translates before mod_wsgi,
 * whatever the order); beside a ProxyPass an Alias alone does not help (mod_proxy translates first),
 * `ProxyPass /path !` does (the excluded path goes on to an Alias, else the DocumentRoot); a
 * RewriteRule to a local path beside either (mod_rewrite translates first; with [PT] the app gets it).
 *
 * Info: the lines do nothing. The <Directory> around a WSGI script still matters (its Require lets
 * the script run): only Indexes and MultiViews there never apply. Under a ProxyPass of `/` no request
 * maps to a file of that VirtualHost at all, so its <Directory> sections never apply either.
 */
import { code, defineRule, describeDirective, describeRoute } from '../lib/engine';
import { STOCK_DOCUMENT_ROOT } from '../lib/knowledge/apache-directives';
import { coverDepth } from '../lib/model/apache-settings';
import { entriesIn, indexOf } from '../lib/model/apache-index';
import type { ApacheScope, ApacheServer, ProxyRoute, VirtualHost, WsgiApplication } from '../lib/model/types';

type Entry = ApacheServer['directives'][number];
type Mount = { kind: 'wsgi'; app: WsgiApplication } | { kind: 'proxy'; route: ProxyRoute };

/** A regex URL pattern that matches every path (`^/(.*)$`, `^(/.*)`, `.*`). */
function matchesEveryPath(pattern: string): boolean {
  return ['/(.*)', '(/.*)', '/.*', '(.*)', '.*'].includes(pattern.replace(/^\^/, '').replace(/\$$/, ''));
}

/** Only the server, a VirtualHost and `<Location />` leave a mount unconditional (not `<If>`, not another Location). */
function unconditional(scope: ApacheScope): boolean {
  let s: ApacheScope | null = scope;
  while (s) {
    const rootLocation = s.kind === 'location' && s.args.length === 1 && s.args[0] === '/';
    if (s.kind !== 'server' && s.kind !== 'virtualhost' && !rootLocation) return false;
    s = s.parent;
  }
  return true;
}

/**
 * A server's WSGI applications by the VirtualHost they are in (null: outside every one). Built per
 * server by the rule: the server index is built while the model still adds applications.
 */
function appsByVhost(server: ApacheServer): Map<VirtualHost | null, WsgiApplication[]> {
  const bySite = new Map<VirtualHost | null, WsgiApplication[]>();
  for (const app of server.wsgiApps) {
    const list = bySite.get(app.vhost);
    if (list) list.push(app);
    else bySite.set(app.vhost, [app]);
  }
  return bySite;
}

/** The WSGI applications that reach requests of `site` (null: the main server): its own and those outside every VirtualHost. */
function appsReaching(apps: Map<VirtualHost | null, WsgiApplication[]>, site: VirtualHost | null): WsgiApplication[] {
  const outside = apps.get(null) ?? [];
  return site === null ? outside : [...outside, ...(apps.get(site) ?? [])];
}

/** The mounts of `/` that reach requests of `site` (null: the main server): its own and those outside every VirtualHost. */
function rootMounts(server: ApacheServer, apps: Map<VirtualHost | null, WsgiApplication[]>, site: VirtualHost | null): Mount[] {
  const mounts: Mount[] = [];
  for (const app of appsReaching(apps, site)) {
    if (app.directive.args[0]?.templated) continue;
    const lname = app.directive.lname;
    if ((lname === 'wsgiscriptalias' && app.urlPath === '/') || (lname === 'wsgiscriptaliasmatch' && matchesEveryPath(app.urlPath))) {
      mounts.push({ kind: 'wsgi', app });
    }
  }
  // those outside every VirtualHost, then the site's own (no merge into config order: a mount is a mount)
  const routes = indexOf(server).writtenRoutes;
  for (const route of site === null ? routes.outside : [...routes.outside, ...entriesIn(routes, site)]) {
    if (route.via === 'RewriteRule' || !unconditional(route.scope)) continue;
    if (route.pathIsRegex ? matchesEveryPath(route.path) : route.path === '/') mounts.push({ kind: 'proxy', route });
  }
  return mounts;
}

const ALIASES = new Set(['alias', 'aliasmatch', 'scriptalias', 'scriptaliasmatch']);

function normalise(dir: string): string {
  return dir.replace(/\/+$/, '') || '/';
}

/** One directory is the other or holds it. */
function overlaps(a: string, b: string): boolean {
  const [x, y] = [normalise(a), normalise(b)];
  return x === y || x.startsWith(y === '/' ? '/' : `${y}/`) || y.startsWith(x === '/' ? '/' : `${x}/`);
}

/**
 * A line in reach that still maps some URL to the DocumentRoot's files, or may: an Alias into it
 * (beside a WSGI mount only: a ProxyPass of `/` takes the URL before mod_alias), an exclusion
 * `ProxyPass /path !` (beside a ProxyPass only), a RewriteRule to a local path. A templated target
 * or DocumentRoot may be anything: it counts.
 */
function wayBack(entries: Entry[], root: { value: string; templated?: boolean }, proxied: boolean): Entry | undefined {
  return entries.find(({ directive }) => {
    const args = directive.args;
    if (ALIASES.has(directive.lname)) {
      const target = args[args.length - 1];
      return !proxied && args.length >= 2 && (target.templated || root.templated || overlaps(target.value, root.value));
    }
    if (directive.lname === 'proxypass' || directive.lname === 'proxypassmatch') return proxied && args.some((a) => a.value === '!');
    if (directive.lname === 'rewriterule') {
      const [, target, flags] = args;
      if (!target || target.value === '-') return false;
      if (!target.templated && /^[a-z][a-z0-9+.-]*:\/\//i.test(target.value)) return false;
      const words = (flags?.value ?? '').replace(/^\[|\]$/g, '').split(',').map((f) => f.trim().toLowerCase());
      return !words.some((f) => ['p', 'proxy', 'pt', 'passthrough', 'f', 'forbidden', 'g', 'gone'].includes(f) || /^r(edirect)?(=|$)/.test(f));
    }
    return false;
  });
}

/** Options words that never apply when every request goes to the app: a directory listing, content negotiation. */
function deadOptions(entries: Entry[], dirScope: ApacheScope): { words: string[]; line?: Entry['directive'] } {
  const lines = entries.filter(({ directive, scope }) => directive.lname === 'options' && scope === dirScope);
  const dead = (entry: Entry) => entry.directive.args.map((a) => a.value.replace(/^\+/, '')).filter((w) => /^(indexes|multiviews)$/i.test(w));
  return { words: [...new Set(lines.flatMap(dead))], line: lines.find((entry) => dead(entry).length > 0)?.directive };
}

/** A section as written, without the file and line of the scope's label (the finding's positions say where). */
function label(scope: ApacheScope): string {
  return scope.label.replace(/ \([^)]*\)$/, '');
}

function describeMount(mount: Mount): string {
  return mount.kind === 'wsgi' ? describeDirective(mount.app.directive) : describeRoute(mount.route);
}

function mountLocation(mount: Mount) {
  return mount.kind === 'wsgi' ? mount.app.directive.location : mount.route.directive.location;
}

export const rule = defineRule({
  id: 'wsgi-document-root-unreachable',
  severity: 'info',
  category: 'dead-config',
  description: 'A DocumentRoot (and its Indexes, MultiViews) that no request reaches because `WSGIScriptAlias /` or `ProxyPass /` takes every URL of the VirtualHost',
  targets: ['httpd'],
  fixHint: 'Remove the DocumentRoot (and Options Indexes/MultiViews of its <Directory>), or map the files that should be served with `Alias /static DIR` (beside a WSGIScriptAlias) or `ProxyPass /static !` (before a ProxyPass).',
  check({ deployment, report }) {
    for (const server of deployment.apache) {
      const fragment = !server.config.wholeTree;
      const caveat = fragment ? ' (unless the main config, not in these files, maps a URL into it)' : '';
      const serverRoot = server.directives.find(({ directive, scope }) => directive.lname === 'documentroot' && scope === server.serverScope);
      const apps = appsByVhost(server);
      for (const site of [null, ...server.vhosts]) {
        const mounts = rootMounts(server, apps, site);
        if (mounts.length === 0) continue;
        const byVhost = indexOf(server).directivesByVhost;
        const own = byVhost.get(site) ?? [];
        // What reaches the site: its own lines and those outside every VirtualHost (for the main server,
        // everything); only whether a line is there matters, not the order.
        const inReach = site === null ? server.directives : [...(byVhost.get(null) ?? []), ...own];
        const root = own.find(({ directive, scope }) => directive.lname === 'documentroot' && scope === (site?.scope ?? server.serverScope));
        // The directory URLs fall back to: its own, else the main server's, else the built-in one (assumed stock in a fragment).
        const rootSeen = root?.directive.args[0] ?? serverRoot?.directive.args[0] ?? { value: STOCK_DOCUMENT_ROOT, templated: false };
        const proxied = mounts.some((m) => m.kind === 'proxy');
        const mount = mounts.find((m) => m.kind === 'proxy') ?? mounts[0];
        const where = site ? code(label(site.scope)) : 'every VirtualHost';
        const related = [{ location: mountLocation(mount), message: `${describeMount(mount)} takes every URL of ${where}` }];
        const dirScopes = [...new Set(own.map(({ scope }) => scope).filter((s) => s.kind === 'directory' || s.kind === 'directorymatch'))];
        const dirPath = (scope: ApacheScope) => ({ value: scope.args[scope.args.length - 1] ?? '', templated: scope.section?.args[scope.section.args.length - 1]?.templated });

        if (proxied) {
          // A RewriteRule to a local path may lead to any directory.
          if (wayBack(inReach.filter(({ directive }) => directive.lname === 'rewriterule'), { value: '', templated: true }, true)) continue;
          // `ProxyPass /path !` sends that path to the DocumentRoot: the DocumentRoot and the sections over it stay.
          const excluded = wayBack(inReach, rootSeen, true) !== undefined;
          // An excluded path goes on to the other translators: an Alias or a WSGI script may take it.
          const targets = [
            rootSeen,
            ...inReach.filter(({ directive }) => ALIASES.has(directive.lname) && directive.args.length >= 2).map(({ directive }) => directive.args[directive.args.length - 1]),
            ...appsReaching(apps, site).map((app) => app.directive.args[1] ?? { value: '', templated: true }),
          ];
          const nearRoot = (scope: ApacheScope) => {
            const dir = dirPath(scope);
            return Boolean(dir.templated || scope.kind === 'directorymatch' || targets.some((t) => t.templated || overlaps(dir.value, t.value)));
          };
          const deadDirs = dirScopes.filter((scope) => !excluded || !nearRoot(scope));
          const folded = root && !excluded ? deadDirs.filter((scope) => !dirPath(scope).templated && !root.directive.args[0]?.templated && overlaps(dirPath(scope).value, root.directive.args[0]?.value ?? '')) : [];
          if (root && !excluded) {
            report({
              location: root.directive.location,
              related: [...related, ...folded.map((scope) => ({ location: scope.section!.location, message: `${code(label(scope))} never applies: no request of this VirtualHost maps to a file` }))],
              message: `${describeDirective(root.directive)} is never served: ${describeMount(mount)} takes every URL of ${where}${caveat}${folded.length ? '; its <Directory> never applies either' : ''}. ` +
                'Remove it, or exclude the URLs to serve from files with `ProxyPass /static !` before the ProxyPass.',
            });
          }
          if (site === null) continue;
          const assumed = !root && !serverRoot ? `${STOCK_DOCUMENT_ROOT}${fragment ? ' in stock configs' : ''}` : rootSeen.value;
          const except = excluded ? ` but those excluded with \`ProxyPass ... !\`, which go to the DocumentRoot (${assumed}) or an Alias` : '';
          for (const scope of deadDirs.filter((s) => !folded.includes(s))) {
            report({
              location: scope.section!.location,
              related,
              message: `${code(label(scope))} never applies: ${describeMount(mount)} takes every URL of ${where}${except}${caveat}. ` +
                'Remove the section, or exclude its URLs with `ProxyPass /static !` before the ProxyPass.',
            });
          }
          continue;
        }

        // WSGI mounts: only the DocumentRoot's own line is judged; the <Directory> around a script still applies.
        if (!root) continue;
        const rootArg = root.directive.args[0] ?? { value: '', templated: true };
        if (wayBack(inReach, rootArg, false)) continue;
        // A mount on a directory (`WSGIScriptAlias / /srv/wsgi/`) maps URLs to the files there, as scripts.
        if (mounts.some((m) => m.kind === 'wsgi' && m.app.scriptPath.endsWith('/') && (rootArg.templated || m.app.directive.args[1]?.templated || overlaps(m.app.scriptPath, rootArg.value)))) continue;
        const scripts = mounts.flatMap((m) => (m.kind === 'wsgi' ? [m.app] : []));
        const allFiles = scripts.every((app) => !app.scriptPath.endsWith('/'));
        const holdsScript = (scope: ApacheScope) => scripts.some((app) => coverDepth(scope, { server, vhost: site, urlPath: app.urlPath, urlIsRegex: false, scriptPath: app.scriptPath }) >= 0);
        const deadWords: string[] = [];
        for (const scope of dirScopes) {
          const dir = dirPath(scope);
          if (!allFiles || rootArg.templated || dir.templated || scope.kind !== 'directory' || !overlaps(dir.value, rootArg.value)) continue;
          const { words, line } = deadOptions(own, scope);
          if (!line) continue;
          for (const word of words) deadWords.push(word);
          const kept = holdsScript(scope) ? ` (${code(label(scope))} itself still applies to the script)` : '';
          related.push({ location: line.location, message: `\`Options ${words.join(' ')}\` here never apply: no request gets a directory listing or a negotiated file${kept}` });
        }
        const words = [...new Set(deadWords)];
        const options = words.length ? `; \`Options ${words.join(' ')}\` of its <Directory> never apply` : '';
        const alias = `Alias /static ${rootArg.templated ? 'DIR' : `${normalise(rootArg.value)}/static`}`;
        report({
          location: root.directive.location,
          related,
          message: `${describeDirective(root.directive)} is never served: ${describeMount(mount)} takes every URL of ${where}${caveat}${options}. ` +
            `Remove it${words.length ? ` and ${words.join(', ')} from the Options` : ''}, or serve the files with \`${alias}\`.`,
        });
      }
    }
  },
});
