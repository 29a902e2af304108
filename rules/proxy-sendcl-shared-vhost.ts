/**
 * `SetEnv proxy-sendcl 1` makes mod_proxy_http and mod_proxy_fcgi spool a chunked request body (to
 * memory, then a temp file) before sending it with Content-Length. SetEnv is per-directory config:
 * in a VirtualHost it reaches every route of the vhost, at server scope every route of every vhost
 * (field-facts.md F4; apache-facts.md 6.6). devstack a3488d5f removed a server-scope proxy-sendcl for
 * this reason ("globally scoped ... breaking the glance path", LP#1709970). Which routes a setting
 * makes spool is the model's (each route's request-body front, lib/model/request-body.ts).
 */
import { defineRule, deleteLines, describeDirective, scopeSendclToRoute, writtenDirective } from '../lib/engine';
import { routeReadsSendcl, routesReachedBy } from '../lib/model/apache-queries';
import type { Fix } from '../lib/core/finding';
import type { EnvSetting, RouteBodyPath } from '../lib/model/types';

export const rule = defineRule({
  id: 'proxy-sendcl-shared-vhost',
  severity: 'warning',
  category: 'reliability',
  description: '`proxy-sendcl` set for a whole VirtualHost or server makes Apache spool the request bodies of every proxied route in it',
  targets: ['httpd'],
  fixable: true,
  // Moving the setting stops the spooling of every other route's bodies: a change beyond the finding.
  fixApplicability: 'unsafe',
  fixHint: 'Scope proxy-sendcl to the one route that needs it: `<Location /path>`, `<Proxy "http://backend/">` or `SetEnvIf Request_URI "^/path" proxy-sendcl=1`.',
  check({ deployment, report }) {
    for (const server of deployment.apache) {
      for (const setting of server.env) {
        if (setting.name.toLowerCase() !== 'proxy-sendcl') continue;
        const reached = routesReachedBy(setting).map((route) => deployment.bodyPathOf(route));
        // One route reached is the intended scoping; the problem is a setting shared by several.
        if (reached.length < 2) continue;
        // Routes this very setting makes spool (mod_proxy_uwsgi ignores it; proxy-sendchunked cancels it).
        const affected = reached.filter((path) => path.front.spooledBy.includes(setting));
        if (affected.length === 0) continue;
        const related = reached.map(({ route, front }) => ({
          location: route.directive.location,
          message: affected.some((path) => path.route === route)
            ? `\`${route.via} ${route.path}\` (${route.url}): chunked request bodies are spooled before they reach the backend`
            : `\`${route.via} ${route.path}\` (${route.url}): shares the setting, which has no effect on it (${front.sendclIgnored === 'sendchunked' ? 'proxy-sendchunked cancels it' : 'only mod_proxy_http and mod_proxy_fcgi read it'})`,
        }));
        const where = setting.scope.kind === 'server' ? 'at server scope' : `in ${setting.scope.label}`;
        const streamingApps = [...new Set(affected.flatMap((path) => path.apps).filter((app) => app.streamsLongUploads).map((app) => app.name))];
        const streaming = streamingApps.length > 0 ? `; ${streamingApps.join(', ')} uploads are written to disk in full first` : '';
        report({
          fix: moveToTheRouteThatNeedsIt(setting, reached),
          location: setting.directive.location,
          related,
          message:
            `${describeDirective(setting.directive)} ${where} reaches ${reached.length} proxied routes and makes Apache spool the chunked request bodies of ${affected.map((path) => path.route.path).join(', ')}${streaming}. ` +
            'Scope it to the route that needs it with `<Location /path>`, `<Proxy "http://backend/">` or `SetEnvIf Request_URI`.',
        });
      }
    }
  },
});

/**
 * Which routes need the setting: those whose bodies reach an app that reads only wsgi.input (it
 * loses chunked bodies unless Apache de-chunks them) and may take chunked uploads; undefined when a
 * route's apps are unknown. A module that ignores proxy-sendcl (mod_proxy_uwsgi) never needs it.
 */
function needsSendcl(path: RouteBodyPath): boolean | undefined {
  if (!routeReadsSendcl(path.route)) return false;
  if (path.apps.length === 0) return undefined;
  return path.apps.some((app) => !app.readsChunkedWithUwsgiApi && app.takesChunkedUploads !== false);
}

/**
 * `SetEnv proxy-sendcl 1` taken out of the shared scope and put in the `<Location>` of the one route
 * that needs it; no fix when no route, several routes, or an unknown one might.
 */
function moveToTheRouteThatNeedsIt(setting: EnvSetting, reached: RouteBodyPath[]): Fix | undefined {
  if (setting.directive.lname !== 'setenv' || setting.conditional || !writtenDirective(setting.directive)) return undefined;
  const needs = reached.map(needsSendcl);
  if (needs.includes(undefined) || needs.filter((n) => n).length !== 1) return undefined;
  const route = reached[needs.indexOf(true)].route;
  const remove = deleteLines(setting.directive.location);
  const add = scopeSendclToRoute(route);
  if (!remove || !add) return undefined;
  return { description: `move \`SetEnv proxy-sendcl 1\` into \`<Location ${route.path}>\`, the one route that needs it`, edits: [remove, add] };
}
