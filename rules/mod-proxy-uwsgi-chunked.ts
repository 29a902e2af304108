/**
 * mod_proxy_uwsgi calls ap_setup_client_block(r, REQUEST_CHUNKED_ERROR): every request with a chunked
 * body gets 411 Length Required, and proxy-sendcl (read only by mod_proxy_http and mod_proxy_fcgi)
 * does not change that (measured: lab-findings.md "Apache in front"; field-facts.md F3). The
 * model's request-body paths decide (lib/model/request-body.ts). Severity follows the app's clients
 * (research: traffic.md): an error where they send chunked uploads (Glance), a warning naming the
 * assumption where the files do not show it (a generic app; gnocchi's InfluxDB writers), nothing for
 * a service whose clients never send chunked bodies.
 */
import * as path from 'path';
import { defineRule, describeDirective, describeRoute } from '../lib/engine';
import { chunkedTrafficClause } from '../lib/knowledge/app-profiles';

export const rule = defineRule({
  id: 'mod-proxy-uwsgi-chunked',
  severity: 'error',
  severities: ['error', 'warning'],
  category: 'correctness',
  description: 'A `uwsgi://` route (mod_proxy_uwsgi) answers 411 Length Required to every chunked upload, proxy-sendcl or not',
  targets: ['httpd'],
  fixHint: 'Serve the app on a uWSGI `http-socket` and proxy to it with `http://` (mod_proxy_http).',
  check({ deployment, report }) {
    for (const body of deployment.requestBodies) {
      if (body.entry !== 'apache-route' || body.chunked.cause !== 'mod-proxy-uwsgi' || body.takesChunked === false) continue;
      const related = [
        ...body.front.sendcl.map((setting) => ({ location: setting.directive.location, message: `${describeDirective(setting.directive)} has no effect on this route: mod_proxy_uwsgi does not read proxy-sendcl` })),
        ...body.ends.map((end) => ({ location: end.socket.option.entryLocation, message: `the uWSGI socket this route reaches (${path.basename(end.instance.file)})` })),
      ];
      report({
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
