/**
 * A TCP port above 65535 in a uWSGI socket is not rejected: uWSGI 2.0.21 logs "bound on
 * 127.0.0.1:80999" and listens on 80999 - 65536 = 15463 (field-facts.md F9 with `http =`; measured
 * again with `http-socket`). Whoever connects to the written port never reaches it.
 */
import type { Rule } from '../lib/engine/types';

const MAX_PORT = 65535;

export const rule: Rule = {
  meta: {
    id: 'uwsgi-port-out-of-range',
    severity: 'error',
    category: 'correctness',
    description: 'A uWSGI socket with a TCP port above 65535: uWSGI silently binds the port modulo 65536',
    docs: 'docs/rules/uwsgi-port-out-of-range.md',
    targets: ['uwsgi'],
    fixable: false,
    fixHint: 'Use a port between 1 and 65535.',
  },
  check({ deployment, report }) {
    for (const instance of deployment.uwsgi) {
      for (const socket of instance.sockets) {
        const endpoint = socket.endpoint;
        if (endpoint.kind !== 'tcp' || endpoint.port <= MAX_PORT) continue;
        const actual = endpoint.port % 65536;
        report({
          location: socket.option.valueLocation,
          message:
            `\`${socket.option.key} = ${socket.option.value}\`: port ${endpoint.port} is above 65535, and uWSGI does not refuse it: it logs the port as written but listens on ${actual}, ` +
            `so clients of port ${endpoint.port} never reach it. Use a port between 1 and 65535.`,
        });
      }
    }
  },
};
