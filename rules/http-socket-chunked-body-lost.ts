/**
 * uWSGI 2.0 hands a chunked request body to a WSGI app as an empty wsgi.input on `http-socket` (and
 * through the `http =` router with http-chunked-input): an app that reads only wsgi.input loses the
 * upload. Measured (lab-findings.md "uWSGI alone" and "Apache in front"; lab/results.md): straight to
 * uWSGI the app answers 200 with 0 bytes; through mod_proxy_http it is 200 with 0 bytes or, with a
 * client sending at a realistic pace, 502 once uWSGI closes the connection on unread data.
 * proxy-sendcl on the Apache route makes Apache de-chunk the body (measured: every byte arrives).
 * The model's request-body paths decide (lib/model/request-body.ts): this rule reports the paths
 * whose chunked bodies end as an empty wsgi.input.
 */
import type { Rule } from '../lib/engine/types';
import type { BodyEnd, RequestBodyPath } from '../lib/model/types';

/** Ends where a chunked body is lost, for an app that may receive one: at a route, or at a socket no route of the run fronts. */
function lostEnds(path: RequestBodyPath): BodyEnd[] {
  if (path.entry === 'mod-wsgi' || (path.entry === 'uwsgi-direct' && path.fronted)) return [];
  return path.ends.filter((end) => end.chunked.cause === 'wsgi-input-empty' && end.instance.app.takesChunkedUploads !== false);
}

export const rule: Rule = {
  meta: {
    id: 'http-socket-chunked-body-lost',
    severity: 'error',
    category: 'data-loss',
    description: 'Chunked uploads to a uWSGI `http-socket` arrive empty in an app that reads only wsgi.input, unless Apache de-chunks them',
    docs: 'docs/rules/http-socket-chunked-body-lost.md',
    targets: ['httpd', 'uwsgi'],
    fixable: false,
    fixHint: 'Set `SetEnv proxy-sendcl 1` for the Apache route only (`<Location /path>`), or read the body with uwsgi.chunked_read().',
  },
  check({ deployment, report }) {
    for (const path of deployment.requestBodies) {
      for (const { socket, instance } of lostEnds(path)) {
        const app = instance.app;
        const severity = app.takesChunkedUploads === true ? 'error' : 'warning';
        const who = app.decidedBy === 'default' ? 'an app that reads only wsgi.input' : `${app.name}, which reads only wsgi.input,`;
        const socketText = `\`${socket.option.key} = ${socket.option.value}\``;
        if (path.entry === 'apache-route') {
          const route = path.route;
          const location = (route.balancerRoute ?? route).path;
          report({
            severity,
            location: route.directive.location,
            related: [{ location: socket.option.entryLocation, message: `${socketText}: the uWSGI socket this route reaches, serving ${app.entry ?? app.name}` }],
            message:
              `\`${route.via} ${route.path} ${route.url}\` forwards chunked uploads still chunked to uWSGI ${socketText}, where ${who} gets an empty body: the upload is lost, silently (200) or with a 502 when the app answers before Apache has sent the whole body. ` +
              `Add \`SetEnv proxy-sendcl 1\` for this route only (\`<Location ${location}>\`), or read the body with uwsgi.chunked_read().`,
          });
          continue;
        }
        report({
          severity,
          location: socket.option.entryLocation,
          message:
            `${socketText} hands a chunked request body to the app as uWSGI's chunked stream, so ${who} reads an empty body and answers 200: uploads sent chunked straight to it, or through a front that streams them on (haproxy, mod_proxy_http without proxy-sendcl), are silently lost. ` +
            'Put a front that de-chunks request bodies before it (Apache with `SetEnv proxy-sendcl 1` on the route, nginx), or read the body with uwsgi.chunked_read().',
        });
      }
    }
  },
};
