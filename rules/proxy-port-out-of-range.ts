/**
 * A ProxyPass URL with a port above 65535 passes `apachectl -t`, and every request gets 400 (AH01083
 * "error parsing URL ...: Invalid host/port"). uWSGI given the same port binds it modulo 65536
 * (field-facts.md F9; measured on 2.4.71 and uWSGI 2.0.21).
 */
import { defineRule, describeOption, describeRoute } from '../lib/engine';
import type { RelatedLocation } from '../lib/core/finding';

const MAX_PORT = 65535;

export const rule = defineRule({
  id: 'proxy-port-out-of-range',
  severity: 'error',
  category: 'correctness',
  description: 'A proxy URL with a port above 65535 passes `apachectl -t` and fails every request with 400',
  targets: ['httpd'],
  fixHint: 'Use a port from 1 to 65535 (and the same one in the backend).',
  check({ deployment, report }) {
    for (const route of deployment.routes) {
      const endpoint = route.endpoint;
      if (endpoint.kind !== 'tcp' || endpoint.port <= MAX_PORT) continue;
      const wrapped = endpoint.port % 65536;
      const related: RelatedLocation[] = deployment.uwsgi.flatMap((instance) => instance.sockets)
        .filter((socket) => socket.endpoint.kind === 'tcp' && socket.endpoint.port === endpoint.port)
        .map((socket) => ({ location: socket.option.entryLocation, message: `${describeOption(socket.option)}: uWSGI accepts this port and really listens on ${wrapped}` }));
      report({
        location: route.directive.location,
        related: related.length ? related : undefined,
        message:
          `${describeRoute(route)} has port ${endpoint.port}, above 65535: \`apachectl -t\` passes, but every request gets 400 (AH01083). ` +
          `Use a port from 1 to 65535${related.length ? ` in both files (uWSGI silently binds ${wrapped})` : ''}.`,
      });
    }
  },
});
