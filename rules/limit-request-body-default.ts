/**
 * Since httpd 2.4.54 LimitRequestBody defaults to 1 GiB instead of unlimited. Measured on 2.4.71
 * (lab `modwsgi-limit-request-body-default`,
 * `proxyuwsgi-limit-request-body-default`): a mod_wsgi app answers 413 to a Content-Length upload of
 * 1 GiB + 1 MiB before reading a byte (a chunked one after reading 1 GiB, with the app seeing a read
 * error), mod_proxy_uwsgi answers 413 to such a Content-Length upload before contacting uWSGI, and
 * both log it only at info level. mod_proxy_http ignores LimitRequestBody altogether on 2.4.x (the
 * HTTP input filter drops the limit for proxied requests), so its routes are not reported.
 * `LimitRequestBody 0` (or any explicit value) is a choice and is left alone. Whether uploads that
 * large come is traffic: a warning, naming the assumption; services whose bodies are small JSON
 * (every OpenStack API but Glance) are not reported.
 */
import { defineRule, describeDirective, describeRoute } from '../lib/engine';
import { LIMIT_REQUEST_BODY_DEFAULT_SINCE, requestBodyLimitOf, siteOfRoute, siteOfWsgiApp, type RequestSite } from '../lib/model/apache-settings';
import type { AppProfile, ApacheServer } from '../lib/model/types';

function assumption(apps: AppProfile[]): string | undefined {
  if (apps.length > 0 && apps.every((app) => app.takesLargeUploads === false)) return undefined;
  const large = apps.find((app) => app.takesLargeUploads === true);
  return large ? `${large.name} takes uploads that large` : 'if clients upload that much';
}

function snippetNote(server: ApacheServer): string {
  return server.loadedModules === null ? ' unless the server config sets one' : '';
}

export const rule = defineRule({
  id: 'limit-request-body-default',
  severity: 'warning',
  category: 'reliability',
  description: 'A mod_wsgi app or mod_proxy_uwsgi route under httpd\'s LimitRequestBody default (1 GiB since 2.4.54): larger uploads get 413',
  targets: ['httpd'],
  fixHint: 'Set `LimitRequestBody 0` (or the largest upload you accept, in bytes) in the VirtualHost or a <Location> covering the app.',
  check({ deployment, report }) {
    const httpd = deployment.targets.httpd;
    const judge = (site: RequestSite, apps: AppProfile[]) => {
      const why = assumption(apps);
      if (why === undefined) return undefined;
      const limit = requestBodyLimitOf(site, httpd);
      return limit.directive || limit.bytes === 0 ? undefined : why;
    };
    for (const path of deployment.requestBodies) {
      if (path.entry === 'mod-wsgi') {
        const app = path.wsgiApp;
        const why = judge(siteOfWsgiApp(app), path.apps);
        if (!why) continue;
        report({
          location: app.directive.location,
          message:
            `${describeDirective(app.directive)} runs under httpd's default \`LimitRequestBody\` of 1 GiB (since ${LIMIT_REQUEST_BODY_DEFAULT_SINCE})${snippetNote(app.server)}: a larger upload gets 413, logged only at info level (${why}). ` +
            'Set `LimitRequestBody 0`, or the largest upload you accept, for it.',
        });
      } else if (path.entry === 'apache-route' && path.route.scheme === 'uwsgi') {
        const route = path.route;
        const why = judge(siteOfRoute(route), path.apps);
        if (!why) continue;
        report({
          location: route.directive.location,
          message:
            `${describeRoute(route.balancerRoute ?? route)} goes through mod_proxy_uwsgi, which enforces httpd's default \`LimitRequestBody\` of 1 GiB (since ${LIMIT_REQUEST_BODY_DEFAULT_SINCE})${snippetNote(route.server)}: a larger Content-Length upload gets 413 before uWSGI sees it (${why}). ` +
            'Set `LimitRequestBody 0`, or the largest upload you accept, for it.',
        });
      }
    }
  },
});
