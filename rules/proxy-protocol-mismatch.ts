/**
 * A route whose scheme is not the protocol of the uWSGI socket it reaches fails every request:
 * `http://` to a uwsgi-protocol socket gives 502, `uwsgi://` to an HTTP socket gives 503 or 500
 * (measured: field-facts.md F7; lab/results.md proxyuwsgi-to-http-socket). uWSGI's HTTP router (`http =`) speaks HTTP too.
 */
import * as path from 'path';
import { defineRule, describeOption, describeRoute } from '../lib/engine';
import type { UwsgiSocket } from '../lib/model/types';

const HTTP_SCHEMES = new Set(['http', 'ws']);

function speaks(socket: UwsgiSocket): string {
  if (socket.router) return "uWSGI's HTTP router, which speaks HTTP";
  if (socket.protocol === 'http') return socket.optionName === 'http-socket' || socket.optionName === 'http11-socket' ? 'which speaks HTTP' : 'which speaks HTTP (`protocol = http`)';
  return 'which speaks the uwsgi protocol';
}

export const rule = defineRule({
  id: 'proxy-protocol-mismatch',
  severity: 'error',
  category: 'correctness',
  description: 'A ProxyPass scheme that is not the protocol of the uWSGI socket it reaches fails every request (502, 500 or 503)',
  targets: ['httpd', 'uwsgi'],
  fixHint: 'Use `http://` for an `http-socket` (or `http =` router) and `uwsgi://` for a `socket`/`uwsgi-socket`, or change the uWSGI socket to match.',
  check({ deployment, report }) {
    for (const route of deployment.routes) {
      // One finding per route, whichever of the run's sockets at its address disagree with it.
      const mismatched = deployment.linksOf(route).filter(({ socket }) =>
        (HTTP_SCHEMES.has(route.scheme) && socket.protocol === 'uwsgi' && !socket.router) || (route.scheme === 'uwsgi' && socket.protocol === 'http'));
      if (mismatched.length === 0) continue;
      const { socket, instance } = mismatched[0];
      const [status, fix] = route.scheme === 'uwsgi'
        ? ['500 or 503', socket.router ? 'Proxy with `http://`' : `Proxy with \`http://\`, or make it \`socket = ${socket.option.value}\` (uwsgi protocol) in ${path.basename(instance.file)}`]
        : ['502', `Proxy with \`uwsgi://\`, or make it \`http-socket = ${socket.option.value}\` in ${path.basename(instance.file)}`];
      report({
        location: route.directive.location,
        related: mismatched.map((link) => ({ location: link.socket.option.entryLocation, message: `${describeOption(link.socket.option)}: the socket this route reaches, ${speaks(link.socket)}` })),
        message:
          `${describeRoute(route)} speaks ${route.scheme === 'uwsgi' ? 'the uwsgi protocol' : 'HTTP'} to ${describeOption(socket.option)}, ${speaks(socket)}: every request gets ${status}. ${fix}.`,
      });
    }
  },
});
