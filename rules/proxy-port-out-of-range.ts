/**
 * A ProxyPass URL with a port above 65535 passes `apachectl -t`, and every request gets 400 (AH01083
 * "error parsing URL ...: Invalid host/port"). uWSGI given the same port binds it modulo 65536
 * (field-facts.md F9; measured on 2.4.71 and uWSGI 2.0.21).
 */
import type { Rule } from '../lib/engine/types';
import type { RelatedLocation } from '../lib/core/finding';

const MAX_PORT = 65535;

export const rule: Rule = {
  meta: {
    id: 'proxy-port-out-of-range',
    severity: 'error',
    category: 'correctness',
    description: 'A proxy URL with a port above 65535 passes `apachectl -t` and fails every request with 400',
    docs: 'docs/rules/proxy-port-out-of-range.md',
    targets: ['httpd'],
    fixable: false,
    fixHint: 'Use a port from 1 to 65535 (and the same one in the backend).',
  },
  check({ deployment, report }) {
    for (const route of deployment.routes) {
      const endpoint = route.endpoint;
      if (endpoint.kind !== 'tcp' || endpoint.port <= MAX_PORT) continue;
      const wrapped = endpoint.port % 65536;
      const related: RelatedLocation[] = [];
      for (const instance of deployment.uwsgi) {
        for (const socket of instance.sockets) {
          if (socket.endpoint.kind === 'tcp' && socket.endpoint.port === endpoint.port) {
            related.push({ location: socket.option.entryLocation, message: `\`${socket.option.key} = ${socket.option.value}\`: uWSGI accepts this port and really listens on ${wrapped}` });
          }
        }
      }
      report({
        location: route.directive.location,
        related: related.length ? related : undefined,
        message:
          `\`${route.via} ${route.path} ${route.url}\` has port ${endpoint.port}, above 65535: \`apachectl -t\` passes, but every request gets 400 Bad Request (AH01083 "Invalid host/port"). ` +
          `Use a port from 1 to 65535${related.length ? ` in both files (uWSGI silently binds ${wrapped})` : ''}.`,
      });
    }
  },
};
