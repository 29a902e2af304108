/**
 * mod_proxy_uwsgi calls ap_setup_client_block(r, REQUEST_CHUNKED_ERROR): every request with a chunked
 * body gets 411 Length Required, and proxy-sendcl (read only by mod_proxy_http and mod_proxy_fcgi)
 * does not change that (measured: lab-findings.md "Apache in front"; field-facts.md F3). The
 * model's request-body paths decide (lib/model/request-body.ts). Severity follows the app's clients
 *: an error where they send chunked uploads (Glance), a warning naming the
 * assumption where the files do not show it (a generic app; gnocchi's InfluxDB writers), nothing for
 * a service whose clients never send chunked bodies.
 */
import * as path from 'path';
import { defineRule, describeDirective, describeRoute, inRootFile, replaceAt, replaceWithin, scopeSendclToRoute, sourceOf, writtenDirective } from '../lib/engine';
import type { Fix, TextEdit } from '../lib/core/finding';
import type { Deployment, RouteBodyPath } from '../lib/model/types';
import { chunkedTrafficClause } from '../lib/knowledge/app-profiles';

export const rule = defineRule({
  id: 'mod-proxy-uwsgi-chunked',
  severity: 'error',
  severities: ['error', 'warning'],
  category: 'correctness',
  description: 'A `uwsgi://` route (mod_proxy_uwsgi) answers 411 Length Required to every chunked upload, proxy-sendcl or not',
  targets: ['httpd'],
  fixable: true,
  // The route changes module and protocol, the socket changes protocol: more than the finding.
  fixApplicability: 'unsafe',
  fixHint: 'Serve the app on a uWSGI `http-socket` and proxy to it with `http://` (mod_proxy_http).',
  check({ deployment, report }) {
    for (const body of deployment.requestBodies) {
      if (body.entry !== 'apache-route' || body.chunked.cause !== 'mod-proxy-uwsgi' || body.takesChunked === false) continue;
      const related = [
        ...body.front.sendcl.map((setting) => ({ location: setting.directive.location, message: `${describeDirective(setting.directive)} has no effect on this route: mod_proxy_uwsgi does not read proxy-sendcl` })),
        ...body.ends.map((end) => ({ location: end.socket.option.entryLocation, message: `the uWSGI socket this route reaches (${path.basename(end.instance.file)})` })),
      ];
      report({
        fix: switchToHttp(deployment, body),
        // Uploads of an app known to take chunked bodies fail; for a generic app it depends on clients.
        severity: body.takesChunked === true ? 'error' : 'warning',
        location: body.route.directive.location,
        related: related.length ? related : undefined,
        message:
          `${describeRoute(body.route)} goes through mod_proxy_uwsgi, which answers 411 Length Required to every chunked upload, proxy-sendcl or not (${chunkedTrafficClause(body.apps)}). ` +
          'Serve the app on a uWSGI `http-socket` and proxy to it with `http://`.',
      });
    }
  },
});

/**
 * The route switched to `http://` and its socket to `http-socket`, in both files, when that is
 * unambiguous: a written ProxyPass that reaches exactly one `socket`/`uwsgi-socket` line of an instance
 * file of the run, which no other route reaches and no `protocol` option changes. An app that reads
 * only wsgi.input would then lose chunked bodies on the http-socket, so unless a proxy-sendcl already
 * reaches the route, `SetEnv proxy-sendcl 1` is scoped to it too (Apache then de-chunks its bodies).
 */
function switchToHttp(deployment: Deployment, body: RouteBodyPath): Fix | undefined {
  const { route } = body;
  if (route.via !== 'ProxyPass' || route.balancerRoute || !writtenDirective(route.directive) || body.ends.length !== 1) return undefined;
  const [{ socket, instance }] = body.ends;
  if (!['socket', 'uwsgi-socket'].includes(socket.option.key) || socket.router || instance.last('protocol') || instance.last('socket-protocol')) return undefined;
  if (deployment.linksTo(instance).some((link) => link.socket === socket && link.route !== route)) return undefined;
  if (!inRootFile(instance, socket.option) || sourceOf(socket.option.keyLocation) !== socket.option.key) return undefined;
  const urlArg = route.directive.args.find((a) => a.value === route.url);
  const scheme = urlArg && sourceOf(urlArg.location) === urlArg.raw ? /uwsgi:\/\//i.exec(urlArg.raw) : null;
  if (!urlArg || !scheme) return undefined;
  const edits: Array<TextEdit | undefined> = [
    replaceWithin(urlArg.location, scheme.index, scheme.index + scheme[0].length, 'http://'),
    replaceAt(socket.option.keyLocation, 'http-socket'),
  ];
  const readsChunked = body.apps.length > 0 && body.apps.every((app) => app.readsChunkedWithUwsgiApi);
  const spooled = body.front.sendcl.some((setting) => !setting.conditional);
  const sendcl = !readsChunked && !spooled;
  if (sendcl) edits.push(scopeSendclToRoute(route));
  if (edits.some((e) => e === undefined)) return undefined;
  return {
    description: `proxy with \`http://\` to \`http-socket = ${socket.option.value}\`${sendcl ? ` and set proxy-sendcl in \`<Location ${route.path}>\`` : ''}`,
    edits: edits as TextEdit[],
  };
}
