/**
 * uWSGI's `harakiri` kills a worker whose request runs longer than N seconds. When Apache's timeout
 * for the route is not clearly below it, Apache gives up first: measured on 2.4.71 / uWSGI 2.0.21
 * (lab `proxyhttp-harakiri-not-below-timeout`,
 * `proxyuwsgi-harakiri-not-below-timeout`): the client gets 502 (mod_proxy_http) or 500
 * (mod_proxy_uwsgi, with no Apache log line at any level) at Apache's timeout, never 504, while the
 * worker keeps running the request; harakiri still fires later and logs, and without harakiri uWSGI
 * logs such a request as 200. Requests that harakiri was set to allow fail. harakiri fires between N
 * and N + 2 s (the master checks once a second, start times are whole seconds), so a harakiri less
 * than 3 s below Apache's timeout is a race. Whether requests run that long is traffic: a warning.
 */
import { defineRule, describeOption, describeRoute } from '../lib/engine';
import { readUwsgiInt } from '../lib/knowledge/uwsgi-values';
import { proxyTimeoutOf } from '../lib/model/apache-settings';
import { isTemplatedValue } from '../lib/model/uwsgi';

/** harakiri fires up to 2 s late: it decides only when it is at least this much below Apache's timeout. */
const MARGIN = 3;

export const rule = defineRule({
  id: 'uwsgi-harakiri-not-below-proxy-timeout',
  severity: 'warning',
  category: 'reliability',
  description: 'uWSGI `harakiri` at or above (or within 3 s of) Apache\'s proxy timeout: Apache answers 502/500 first and the worker runs on',
  targets: ['uwsgi', 'httpd'],
  fixHint: 'Set `harakiri` at least 3 s below Apache\'s timeout for the route (ProxyPass `timeout=`, ProxyTimeout or Timeout), or raise that timeout.',
  check({ deployment, report }) {
    for (const instance of deployment.uwsgi) {
      const option = instance.last('harakiri');
      if (!option || isTemplatedValue(option.value) || /^\s*["']/.test(option.value)) continue;
      const harakiri = readUwsgiInt(option.value);
      if (!(harakiri > 0)) continue;
      const seen = new Set<string>();
      for (const link of deployment.linksTo(instance)) {
        const timeout = proxyTimeoutOf(link.route);
        if (!timeout || harakiri + MARGIN <= timeout.seconds) continue;
        const route = link.route.balancerRoute ?? link.route;
        const key = `${route.directive.location.file}:${route.directive.location.range.start.offset}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const status = link.route.scheme === 'uwsgi' ? '500' : '502';
        report({
          location: option.entryLocation,
          related: [{ location: (timeout.directive ?? link.route.directive).location, message: `${describeRoute(route)}: Apache waits ${timeout.seconds} s (${timeout.written})` }],
          message:
            `${describeOption(option)} is not at least ${MARGIN} s below Apache's ${timeout.seconds} s timeout for ${describeRoute(route)} (${timeout.written}): a request running longer than ${timeout.seconds} s gets ${status} from Apache while the worker runs on until harakiri ends it. ` +
            `Set \`harakiri\` below ${Math.max(1, timeout.seconds - MARGIN + 1)} or raise Apache's timeout.`,
        });
      }
    }
  },
});
