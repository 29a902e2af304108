/**
 * mod_proxy_http forwards a large chunked body chunked; uWSGI 2.0's http-socket hands a plain WSGI app
 * an empty wsgi.input for it, and the app answers 200: the upload is silently lost (measured:
 * lab-findings.md "Apache in front"). proxy-sendcl on the route makes Apache de-chunk it (measured OK).
 */
import type { Rule } from '../lib/engine/types';
import { sendclReaching } from '../lib/model/apache';
import { uwsgiLine } from '../lib/knowledge/targets';

export const rule: Rule = {
  meta: {
    id: 'http-socket-chunked-body-lost',
    severity: 'error',
    category: 'data-loss',
    description: 'Chunked uploads proxied by mod_proxy_http to a uWSGI `http-socket` arrive empty in an app that reads only wsgi.input',
    docs: 'docs/rules/http-socket-chunked-body-lost.md',
    targets: ['httpd', 'uwsgi'],
    fixable: false,
    fixHint: 'Set `SetEnv proxy-sendcl 1` for this route only (`<Location /path>`), or read the body with uwsgi.chunked_read().',
  },
  check({ deployment, report }) {
    const manageChunked = uwsgiLine(deployment.targets) === '2.1';
    for (const link of deployment.links) {
      const { route, instance, socket } = link;
      if ((route.scheme !== 'http') || socket.protocol !== 'http' || socket.router) continue;
      const app = instance.app;
      if (app.readsChunkedWithUwsgiApi || app.takesChunkedUploads === false) continue;
      // Apache de-chunks the body itself when proxy-sendcl reaches the route (measured: all bytes arrive).
      if (sendclReaching(route).length > 0) continue;
      // uWSGI 2.1 (master) can let wsgi.input read chunked bodies itself.
      if (manageChunked && instance.flag('wsgi-manage-chunked-input')) continue;
      const path = route.via === 'BalancerMember' && route.balancerRoute ? route.balancerRoute.path : route.path;
      report({
        severity: app.takesChunkedUploads === true ? 'error' : 'warning',
        location: route.directive.location,
        related: [{ location: socket.option.entryLocation, message: `\`${socket.option.key} = ${socket.option.value}\`: the uWSGI socket this route reaches, serving ${app.entry ?? app.name}` }],
        message:
          `\`${route.via} ${route.path} ${route.url}\` forwards chunked uploads still chunked to uWSGI \`${socket.option.key} = ${socket.option.value}\`, where ${app.decidedBy === 'default' ? 'an app reading only wsgi.input' : `${app.name}, which reads only wsgi.input,`} gets an empty body and answers 200: the data is silently lost. ` +
          `Add \`SetEnv proxy-sendcl 1\` for this route only (\`<Location ${path}>\`), or read the body with uwsgi.chunked_read().`,
      });
    }
  },
};
