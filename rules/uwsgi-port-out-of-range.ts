/**
 * A TCP port above 65535 in a uWSGI socket is not rejected: uWSGI 2.0.21 logs "bound on
 * 127.0.0.1:80999" and listens on 80999 - 65536 = 15463 (field-facts.md F9 with `http =`; measured
 * again with `http-socket`). Whoever connects to the written port never reaches it.
 */
import { defineRule, describeOption } from '../lib/engine';

const MAX_PORT = 65535;

export const rule = defineRule({
  id: 'uwsgi-port-out-of-range',
  severity: 'error',
  category: 'correctness',
  description: 'A uWSGI socket with a TCP port above 65535: uWSGI silently binds the port modulo 65536',
  targets: ['uwsgi'],
  fixHint: 'Use a port between 1 and 65535.',
  check({ deployment, report }) {
    for (const instance of deployment.uwsgi) {
      for (const socket of instance.sockets) {
        const endpoint = socket.endpoint;
        if (endpoint.kind !== 'tcp' || endpoint.port <= MAX_PORT) continue;
        report({
          location: socket.option.valueLocation,
          message:
            `${describeOption(socket.option)}: uWSGI accepts port ${endpoint.port}, above 65535, and listens on ${endpoint.port % 65536} instead, so clients of port ${endpoint.port} never reach it. ` +
            'Use a port between 1 and 65535.',
        });
      }
    }
  },
});
