/**
 * uWSGI 2.0 hands a chunked request body to a WSGI app as an empty wsgi.input on `http-socket` (and
 * through the `http =` router with http-chunked-input): an app that reads only wsgi.input loses the
 * upload. Measured (lab-findings.md "uWSGI alone" and "Apache in front"; lab/results.md): straight to
 * uWSGI the app answers 200 with 0 bytes; through mod_proxy_http it is 200 with 0 bytes or, with a
 * client sending at a realistic pace, 502 once uWSGI closes the connection on unread data.
 * proxy-sendcl on the Apache route makes Apache de-chunk the body (measured: every byte arrives).
 * The model's request-body paths decide (lib/model/request-body.ts); this rule reports the Apache
 * routes, and the sockets no route of the run fronts, whose chunked bodies end as an empty wsgi.input.
 */
import { defineRule, describeOption, describeRoute, scopeSendclToRoute } from '../lib/engine';
import { envReaching, routeReadsSendcl } from '../lib/model/apache-queries';
import type { BodyEnd, RequestBodyPath } from '../lib/model/types';

function lostEnds(path: RequestBodyPath): BodyEnd[] {
  if (path.entry === 'mod-wsgi' || (path.entry === 'uwsgi-direct' && path.fronted)) return [];
  return path.ends.filter((end) => end.chunked.cause === 'wsgi-input-empty' && end.instance.app.takesChunkedUploads !== false);
}

export const rule = defineRule({
  id: 'http-socket-chunked-body-lost',
  severity: 'error',
  severities: ['error', 'warning'],
  category: 'data-loss',
  description: 'Chunked uploads to a uWSGI `http-socket` arrive empty in an app that reads only wsgi.input, unless Apache de-chunks them',
  targets: ['httpd', 'uwsgi'],
  fixable: true,
  // Apache then spools every chunked body of the route (memory, then a temp file) before passing it on.
  fixApplicability: 'unsafe',
  fixHint: 'Set `SetEnv proxy-sendcl 1` for the Apache route only (`<Location /path>`), or read the body with uwsgi.chunked_read().',
  check({ deployment, report }) {
    for (const path of deployment.requestBodies) {
      for (const { socket, instance: { app } } of lostEnds(path)) {
        // Uploads of an app known to take chunked bodies are lost; for a generic app it depends on clients.
        const severity = app.takesChunkedUploads === true ? 'error' : 'warning';
        const who = app.decidedBy === 'default' ? 'the app' : app.name;
        if (path.entry === 'apache-route') {
          const { route } = path;
          // proxy-sendchunked, where it reaches the route, cancels proxy-sendcl: then there is no one-line fix.
          const edit = routeReadsSendcl(route) && envReaching(route, 'proxy-sendchunked').length === 0 ? scopeSendclToRoute(route.balancerRoute ?? route) : undefined;
          report({
            fix: edit && { description: `set proxy-sendcl in \`<Location ${route.path}>\``, edits: [edit] },
            severity,
            location: route.directive.location,
            related: [{ location: socket.option.entryLocation, message: `${describeOption(socket.option)}: the uWSGI socket this route reaches, serving ${app.entry ?? app.name}` }],
            message:
              `${describeRoute(route)} passes chunked uploads on still chunked to ${describeOption(socket.option)}, where ${who} reads an empty wsgi.input: the upload is lost (200, or 502). ` +
              `Add \`SetEnv proxy-sendcl 1\` in \`<Location ${(route.balancerRoute ?? route).path}>\`, or read the body with uwsgi.chunked_read().`,
          });
        } else {
          report({
            severity,
            location: socket.option.entryLocation,
            message:
              `${describeOption(socket.option)} hands chunked request bodies to the app as uWSGI's chunked stream: ${who} reads an empty wsgi.input, answers 200, and the upload is lost. ` +
              'De-chunk bodies in a front (Apache with `SetEnv proxy-sendcl 1`, nginx), or read them with uwsgi.chunked_read().',
          });
        }
      }
    }
  },
});
