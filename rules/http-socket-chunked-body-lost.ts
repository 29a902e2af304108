/**
 * uWSGI 2.0 hands a chunked request body to a WSGI app as an empty wsgi.input on `http-socket` (and
 * through the `http =` router with http-chunked-input): an app that reads only wsgi.input loses the
 * upload. Measured (lab-findings.md "uWSGI alone" and "Apache in front"; lab/results.md): straight to
 * uWSGI the app answers 200 with 0 bytes; through mod_proxy_http it is 200 with 0 bytes or, with a
 * client sending at a realistic pace, 502 once uWSGI closes the connection on unread data.
 * proxy-sendcl on the Apache route makes Apache de-chunk the body (measured: every byte arrives).
 */
import type { Rule } from '../lib/engine/types';
import type { UwsgiInstance, UwsgiSocket } from '../lib/model/types';
import { sendclReaching } from '../lib/model/apache';
import { uwsgiLine } from '../lib/knowledge/targets';

/** Sockets that deliver a chunked body to the app as uWSGI's chunked stream rather than wsgi.input. */
function losesChunkedBody(instance: UwsgiInstance, socket: UwsgiSocket): boolean {
  if (socket.protocol !== 'http') return false;
  // Without http-chunked-input the router drops the body itself: uwsgi-router-chunked-input says so.
  return !socket.router || instance.flag('http-chunked-input');
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
    const manageChunked = uwsgiLine(deployment.targets) === '2.1';
    for (const instance of deployment.uwsgi) {
      // Only a Python WSGI app reads wsgi.input: no module/wsgi-file/mount (a routing-only or PHP
      // instance), or plugins that name no Python, is somebody else's body handling.
      if (instance.entries.length === 0) continue;
      if (instance.plugins.length > 0 && !instance.plugins.some((plugin) => plugin.startsWith('python'))) continue;
      const app = instance.app;
      if (app.readsChunkedWithUwsgiApi || app.takesChunkedUploads === false) continue;
      // uWSGI 2.1 (master) can let wsgi.input read chunked bodies itself.
      if (manageChunked && instance.flag('wsgi-manage-chunked-input')) continue;
      const severity = app.takesChunkedUploads === true ? 'error' : 'warning';
      const who = app.decidedBy === 'default' ? 'an app that reads only wsgi.input' : `${app.name}, which reads only wsgi.input,`;
      const links = deployment.linksTo(instance);
      for (const socket of instance.sockets) {
        if (!losesChunkedBody(instance, socket)) continue;
        const socketText = `\`${socket.option.key} = ${socket.option.value}\``;
        const routes = links.filter((link) => link.socket === socket && link.route.scheme === 'http').map((link) => link.route);
        if (links.length > 0) {
          // Fronted by Apache in this run: the route decides, and proxy-sendcl on it saves the body.
          for (const route of routes) {
            if (sendclReaching(route).length > 0) continue;
            const path = route.via === 'BalancerMember' && route.balancerRoute ? route.balancerRoute.path : route.path;
            report({
              severity,
              location: route.directive.location,
              related: [{ location: socket.option.entryLocation, message: `${socketText}: the uWSGI socket this route reaches, serving ${app.entry ?? app.name}` }],
              message:
                `\`${route.via} ${route.path} ${route.url}\` forwards chunked uploads still chunked to uWSGI ${socketText}, where ${who} gets an empty body: the upload is lost, silently (200) or with a 502 when the app answers before Apache has sent the whole body. ` +
                `Add \`SetEnv proxy-sendcl 1\` for this route only (\`<Location ${path}>\`), or read the body with uwsgi.chunked_read().`,
            });
          }
          continue;
        }
        // No Apache route of the run reaches the instance: clients (or a front that streams bodies on) send to it directly.
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
