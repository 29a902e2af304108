/**
 * httpd maps a WSGIScriptAlias request to the script file, so the <Directory> access rules of the
 * script's directory apply. Debian's and RHEL's main configs deny the whole file system
 * (`<Directory /> Require all denied`) and grant only /var/www (and on Debian /usr/share and
 * /usr/lib/cgi-bin): a script elsewhere with no grant of its own gets 403 for every request,
 * "AH01630: client denied by server configuration". ProxyPass routes are not subject to it.
 * Measured on 2.4.71 (lab `modwsgi-script-directory-denied`): 403; with
 * `<Directory DIR> Require all granted` or `<Location URL> Require all granted`, 200.
 * In a whole server tree the deny is known: error. In a snippet the main config is not in the files:
 * a warning that names the assumption.
 */
import { defineRule, describeDirective } from '../lib/engine';
import { coverDepth, siteOfWsgiApp } from '../lib/model/apache-settings';
import type { ApacheServer, WsgiApplication } from '../lib/model/types';
import { STOCK_DIRECTORY_GRANTS as STOCK_GRANTS } from '../lib/knowledge/apache-directives';
const ACCESS = new Set(['require', 'allow', 'deny']);

function denies(args: string[], lname: string): boolean {
  const words = args.map((a) => a.toLowerCase());
  return (lname === 'require' && words[0] === 'all' && words[1] === 'denied') || (lname === 'deny' && words[0] === 'from' && words[1] === 'all');
}

interface AccessLine {
  directive: ApacheServer['directives'][number]['directive'];
  scope: ApacheServer['directives'][number]['scope'];
  grant: boolean;
  /** Position among the server's directives (the first denial in reading order is named). */
  order: number;
}

/** The access lines of sections (not server or vhost level) of a server, by the VirtualHost they are in; worked out once per server. */
const accessLines = new WeakMap<ApacheServer, Map<unknown, AccessLine[]>>();

function accessLinesOf(server: ApacheServer): Map<unknown, AccessLine[]> {
  let byVhost = accessLines.get(server);
  if (byVhost) return byVhost;
  byVhost = new Map();
  // httpd 2.2's `Allow` grants nothing against a 2.4 `Require all denied` (lab
  // `accesscompat-old-grant-only`: 403) unless `Satisfy Any` lets it pass alone. In a <Directory>
  // that is apache-access-compat-mixed's finding, on the `Allow` itself; in a <Location> that rule
  // only says the line is idle, so the 403 of the script's directory stays this rule's.
  const satisfyAny = server.directives.some(({ directive }) => directive.lname === 'satisfy' && directive.args[0]?.value.toLowerCase() === 'any');
  server.directives.forEach(({ directive, scope }, order) => {
    if (!ACCESS.has(directive.lname) || scope.kind === 'server' || scope.kind === 'virtualhost') return;
    const args = directive.args.map((a) => a.value);
    const idleAllow = directive.lname === 'allow' && !satisfyAny && (scope.kind === 'location' || scope.kind === 'locationmatch');
    const line = { directive, scope, grant: !denies(args, directive.lname) && directive.lname !== 'deny' && !idleAllow, order };
    const list = byVhost.get(scope.vhost ?? null);
    if (list) list.push(line);
    else byVhost.set(scope.vhost ?? null, [line]);
  });
  accessLines.set(server, byVhost);
  return byVhost;
}

/**
 * The access lines of sections (not server or vhost level) that cover the app's requests, split into
 * grants and denials, and, for an app outside every VirtualHost, the VirtualHosts whose own sections
 * grant it: only requests that arrive through those are let in. Only sections outside every
 * VirtualHost and those of the app's own VirtualHost can cover its requests (every VirtualHost's, for
 * an app outside them).
 */
function accessFor(server: ApacheServer, app: WsgiApplication): { grants: number; denial?: string; onlyIn: string[] } {
  const site = siteOfWsgiApp(app);
  let grants = 0;
  let denial: string | undefined;
  const onlyIn = new Set<string>();
  const byVhost = accessLinesOf(server);
  const candidates = (app.vhost === null ? [...byVhost.values()].flat() : [...(byVhost.get(null) ?? []), ...(byVhost.get(app.vhost) ?? [])]).sort((a, b) => a.order - b.order);
  for (const { directive, scope, grant } of candidates) {
    if (coverDepth(scope, site) < 0) {
      if (grant && app.vhost === null && scope.vhost && coverDepth(scope, { ...site, vhost: scope.vhost }) >= 0) onlyIn.add(scope.vhost.scope.label);
      continue;
    }
    if (!grant) denial ??= `${scope.label}: ${describeDirective(directive)}`;
    else grants += 1;
  }
  return { grants, denial, onlyIn: [...onlyIn] };
}

export const rule = defineRule({
  id: 'wsgi-script-directory-denied',
  severity: 'error',
  severities: ['error', 'warning'],
  category: 'correctness',
  description: 'A WSGIScriptAlias whose script directory no <Directory> or <Location> grants, under the default-deny of the main config: every request gets 403',
  targets: ['httpd'],
  fixHint: 'Add `<Directory SCRIPT_DIR> Require all granted </Directory>` for the directory that holds the WSGI script.',
  check({ deployment, report }) {
    for (const server of deployment.apache) {
      for (const app of server.wsgiApps) {
        if (!app.scriptPath.startsWith('/') || /\{\{|\{%|\$\{/.test(app.scriptPath)) continue;
        const { grants, denial, onlyIn } = accessFor(server, app);
        if (grants > 0) continue;
        const dir = app.scriptPath.replace(/\/[^/]*$/, '') || '/';
        const fix = `Add \`<Directory ${dir}> Require all granted </Directory>\`${onlyIn.length ? ' outside the VirtualHost' : ''}.`;
        const granted = onlyIn.length ? `which only ${onlyIn.join(', ')} grants` : 'which nothing in these files grants';
        if (server.loadedModules !== null) {
          if (!denial) continue;
          report({
            location: app.directive.location,
            message: `${describeDirective(app.directive)} maps requests to ${app.scriptPath}, ${onlyIn.length ? granted : 'which no <Directory> or <Location> grants'}, and ${denial} denies it: ${onlyIn.length ? 'requests through the other VirtualHosts get' : 'every request gets'} 403 (AH01630). ${fix}`,
          });
        } else {
          if (STOCK_GRANTS.some((granted) => app.scriptPath.startsWith(granted))) continue;
          report({
            severity: 'warning',
            location: app.directive.location,
            message: `${describeDirective(app.directive)} maps requests to ${app.scriptPath}, ${granted}: under the \`<Directory /> Require all denied\` of Debian's and RHEL's main config, ${onlyIn.length ? 'requests through any other VirtualHost get' : 'every request gets'} 403. ${fix}`,
          });
        }
      }
    }
  },
});
