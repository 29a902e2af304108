/**
 * `SetEnv proxy-sendcl 1` makes mod_proxy_http and mod_proxy_fcgi spool a chunked request body (to
 * memory, then a temp file) before sending it with Content-Length. SetEnv is per-directory config:
 * in a VirtualHost it reaches every route of the vhost, at server scope every route of every vhost
 * (field-facts.md F4; apache-facts.md 6.6). devstack a3488d5f removed a server-scope proxy-sendcl for
 * this reason ("globally scoped ... breaking the glance path", LP#1709970). Which routes a setting
 * makes spool is the model's (each route's request-body front, lib/model/request-body.ts).
 */
import { defineRule, describeDirective } from '../lib/engine';
import { routesReachedBy } from '../lib/model/apache-queries';

export const rule = defineRule({
  id: 'proxy-sendcl-shared-vhost',
  severity: 'warning',
  category: 'reliability',
  description: '`proxy-sendcl` set for a whole VirtualHost or server makes Apache spool the request bodies of every proxied route in it',
  targets: ['httpd'],
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
