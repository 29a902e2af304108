/**
 * A uWSGI socket bound to every interface behind an Apache on the same machine lets clients talk to
 * uWSGI directly, around Apache's TLS, request limits, access rules and body handling.
 * Reported only when an Apache route of the run reaches the instance through loopback or a unix
 * socket: then the front is known to be local and binding loopback loses nothing.
 */
import { defineRule, describeOption, describeRoute } from '../lib/engine';
import { describeEndpoint } from '../lib/model/endpoint';

export const rule = defineRule({
  id: 'uwsgi-http-exposed',
  severity: 'warning',
  category: 'security',
  description: 'A uWSGI socket behind a local Apache listens on every interface, so clients can bypass Apache',
  targets: ['uwsgi', 'httpd'],
  fixHint: 'Bind the socket to loopback (`127.0.0.1:PORT`) or a unix socket, since Apache reaches it locally.',
  check({ deployment, report }) {
    for (const instance of deployment.uwsgi) {
      const links = deployment.linksTo(instance);
      if (links.length === 0) continue;
      // An Apache on another machine (a named backend host) needs a non-loopback bind: nothing to say.
      if (links.some((link) => link.route.endpoint.kind === 'tcp' && link.route.endpoint.hostClass === 'named')) continue;
      for (const socket of instance.sockets) {
        const endpoint = socket.endpoint;
        if (endpoint.kind !== 'tcp' || endpoint.hostClass !== 'wildcard') continue;
        const viaIpv6 = links.some((link) => link.socket === socket && link.route.endpoint.kind === 'tcp' && link.route.endpoint.host.includes(':'));
        const loopback = `${viaIpv6 ? '[::1]' : '127.0.0.1'}:${endpoint.port}`;
        const kind = socket.router ? "uWSGI's HTTP router" : socket.protocol === 'uwsgi' ? 'the uwsgi protocol' : socket.protocol.toUpperCase();
        report({
          location: socket.option.entryLocation,
          related: links.map((link) => ({ location: link.route.directive.location, message: `${describeRoute(link.route)}: Apache reaches this instance locally` })),
          message:
            `${describeOption(socket.option)} serves ${kind} on every interface (${describeEndpoint(endpoint)}) though Apache reaches it locally: clients that can reach port ${endpoint.port} bypass Apache's TLS, limits and access rules. ` +
            `Bind it to loopback: \`${socket.option.key} = ${loopback}\`${socket.option.value.includes(',') ? ' (keep the rest of the value)' : ''}.`,
        });
      }
    }
  },
});
