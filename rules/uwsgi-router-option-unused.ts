/**
 * The http plugin's `http-*` options configure uWSGI's HTTP router (`http =` / `https =`) only; with
 * `http-socket` they do nothing (field-facts.md F2 and lab-findings.md, measured on 2.0.21;
 * uwsgi-facts.md 2.1). devstack's Glance ini sets four of them beside `http-socket`.
 */
import { defineRule } from '../lib/engine';
import { uwsgiOptionNamesOfPlugin } from '../lib/knowledge/uwsgi-options';
import { UWSGI_ROUTER_STARTERS } from '../lib/knowledge/uwsgi-sockets';

const routerOnlyByLine = new Map<'2.0' | '2.1', Set<string>>();

function routerOnlyOptions(line: '2.0' | '2.1'): Set<string> {
  let names = routerOnlyByLine.get(line);
  if (!names) {
    names = new Set(uwsgiOptionNamesOfPlugin('http', line).filter((name) => !UWSGI_ROUTER_STARTERS.has(name)));
    routerOnlyByLine.set(line, names);
  }
  return names;
}

export const rule = defineRule({
  id: 'uwsgi-router-option-unused',
  severity: 'info',
  category: 'dead-config',
  description: "An option of uWSGI's HTTP router (`http-chunked-input`, `http-keepalive`, `http-timeout`...) in an instance that runs no router",
  targets: ['uwsgi'],
  fixHint: 'Remove the `http-*` router options, or use `http =` if the router was meant; `http-socket` does not read them.',
  check({ deployment, report }) {
    const line = deployment.uwsgiLine;
    const routerOnly = routerOnlyOptions(line);
    for (const instance of deployment.uwsgi) {
      // An instance with a router key written (even one the model could not read as a socket) is left alone.
      if (instance.router) continue;
      const httpSocket = instance.sockets.find((socket) => !socket.router && (socket.protocol === 'http' || socket.protocol === 'https'));
      for (const option of instance.options) {
        if (!routerOnly.has(option.key)) continue;
        report({
          location: option.entryLocation,
          related: httpSocket ? [{ location: httpSocket.option.entryLocation, message: `\`${httpSocket.optionName}\` is served by the workers, not by the router` }] : undefined,
          message:
            `\`${option.key}\` configures uWSGI's HTTP router (\`http =\`), and this instance runs none${httpSocket ? ` (\`${httpSocket.optionName}\` does not read it)` : ''}: the line does nothing. ` +
            'Remove it, or switch to `http =` if the router was meant.',
        });
      }
    }
  },
});
