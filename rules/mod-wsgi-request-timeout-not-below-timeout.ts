/**
 * mod_wsgi's `request-timeout=` restarts a daemon process whose request runs longer than N seconds.
 * Apache itself waits for the daemon only `socket-timeout=` (default: the Timeout directive, 60 s in
 * httpd, 300 in Debian's apache2.conf). With request-timeout at or above that wait, Apache answers 504
 * first ("Timeout when reading response headers from daemon process") to requests request-timeout
 * was set to allow. Measured on 2.4.71 / mod_wsgi 4.9.4 (lab
 * `modwsgi-request-timeout-not-below-timeout`): Timeout 3, request-timeout=10, a 5 s request: 504 at
 * 3 s; Timeout 30: 200. Whether requests run that long is traffic: a warning.
 */
import { defineRule, describeDirective } from '../lib/engine';
import { parseApacheSeconds, wsgiSocketTimeoutOf } from '../lib/model/apache-settings';

export const rule = defineRule({
  id: 'mod-wsgi-request-timeout-not-below-timeout',
  severity: 'warning',
  category: 'reliability',
  description: 'A mod_wsgi daemon whose `request-timeout=` is not below the time Apache waits for it (socket-timeout= or Timeout): Apache answers 504 first',
  targets: ['httpd', 'mod_wsgi'],
  fixHint: 'Give the daemon a `socket-timeout=` (or Timeout) above its `request-timeout=`, or lower request-timeout.',
  check({ deployment, report }) {
    for (const server of deployment.apache) {
      for (const group of server.wsgiGroups) {
        const requestTimeout = parseApacheSeconds(group.options['request-timeout']);
        if (!requestTimeout) continue;
        const wait = wsgiSocketTimeoutOf(server, group);
        if (!wait || requestTimeout < wait.seconds) continue;
        report({
          location: group.directive.location,
          related: wait.directive && wait.directive !== group.directive ? [{ location: wait.directive.location, message: `Apache waits ${wait.seconds} s for the daemon` }] : undefined,
          message:
            `${describeDirective(group.directive)}: \`request-timeout=${group.options['request-timeout']}\` is not below the ${wait.seconds} s Apache waits for the daemon (${wait.written}): a request running longer than ${wait.seconds} s gets 504 from Apache although request-timeout allows it. ` +
            `Add \`socket-timeout=${requestTimeout + 10}\` (or raise Timeout) above request-timeout.`,
        });
      }
    }
  },
});
