/**
 * When uWSGI files are part of the run, a local route (loopback address or unix socket) that reaches
 * none of their sockets is usually a typo or a stale port: Apache answers 503 (connection refused)
 * or reaches some other process. Routes to other hosts are left alone unless a socket of the run
 * uses the same port (then the host is the likely mistake).
 */
import * as path from 'path';
import { defineRule, describeOption, describeRoute } from '../lib/engine';
import { editDistance } from '../lib/core/edit-distance';
import { describeEndpoint, endpointMayReach, normaliseSocketPath } from '../lib/model/endpoint';
import type { Endpoint, UwsgiInstance, UwsgiSocket } from '../lib/model/types';

const BACKEND_SCHEMES = new Set(['http', 'https', 'uwsgi', 'fcgi', 'scgi', 'ws', 'wss']);

interface Candidate { instance: UwsgiInstance; socket: UwsgiSocket }

/** The socket the route was most likely meant for: same port elsewhere, nearest port on a local listener, or the closest unix path. */
function nearest(target: Endpoint, candidates: Candidate[]): Candidate | undefined {
  if (target.kind === 'tcp') {
    const samePort = candidates.find((c) => endpointMayReach(target, c.socket.endpoint));
    if (samePort) return samePort;
    const local = candidates.filter((c) => c.socket.endpoint.kind === 'tcp' && c.socket.endpoint.hostClass !== 'named');
    return local.sort((x, y) => Math.abs((x.socket.endpoint as { port: number }).port - target.port) - Math.abs((y.socket.endpoint as { port: number }).port - target.port))[0];
  }
  if (target.kind === 'unix') {
    // A path that shares little with the target is no suggestion.
    const limit = Math.max(3, Math.floor(target.path.length / 3));
    const scored = candidates
      .filter((c) => c.socket.endpoint.kind === 'unix')
      .map((c) => ({ c, d: editDistance(normaliseSocketPath(target.path), normaliseSocketPath((c.socket.endpoint as { path: string }).path), limit) }))
      .sort((x, y) => x.d - y.d);
    const best = scored[0];
    return best && best.d <= limit ? best.c : undefined;
  }
  return undefined;
}

export const rule = defineRule({
  id: 'proxy-backend-unmatched',
  severity: 'warning',
  category: 'correctness',
  description: 'A local proxy route reaches no uWSGI socket of the files given with it',
  targets: ['httpd', 'uwsgi'],
  fixHint: 'Point the route at the address the uWSGI instance listens on (or add that instance\'s ini to the run).',
  check({ deployment, report }) {
    if (deployment.uwsgi.length === 0) return;
    const candidates: Candidate[] = deployment.uwsgi.flatMap((instance) =>
      instance.sockets.filter((socket) => socket.endpoint.kind !== 'unresolved').map((socket) => ({ instance, socket })));
    if (candidates.length === 0) return;
    // A server none of whose routes reaches the run's uWSGI may front other servers entirely
    // (weblate's gunicorn example beside its uWSGI one): there, only a socket the route could
    // really use (same protocol) makes the mismatch likely enough to say.
    const frontsRun = new Set(deployment.links.map((link) => link.route.server));
    for (const route of deployment.routes) {
      const target = route.endpoint;
      if (!BACKEND_SCHEMES.has(route.scheme) || target.kind === 'unresolved') continue;
      if (deployment.linksOf(route).length > 0) continue;
      const speaksRoute = (c: Candidate): boolean => (route.scheme === 'uwsgi' ? c.socket.protocol === 'uwsgi' && !c.socket.router : c.socket.protocol === route.scheme || (route.scheme === 'ws' && c.socket.protocol === 'http'));
      const suggestion = nearest(target, frontsRun.has(route.server) ? candidates : candidates.filter(speaksRoute));
      if (!frontsRun.has(route.server) && !suggestion) continue;
      const local = target.kind === 'unix' || target.hostClass !== 'named';
      // A route to another host is somebody else's backend, unless a socket here has the same port.
      if (!local && !(suggestion && endpointMayReach(target, suggestion.socket.endpoint))) continue;
      const file = suggestion ? path.basename(suggestion.instance.file) : '';
      const hint = !suggestion
        ? ''
        : endpointMayReach(target, suggestion.socket.endpoint)
          ? ` (${describeOption(suggestion.socket.option)} in ${file} binds the port on an address it does not reach)`
          : ` (did you mean ${describeEndpoint(suggestion.socket.endpoint)} in ${file}?)`;
      report({
        location: route.directive.location,
        related: suggestion ? [{ location: suggestion.socket.option.entryLocation, message: `the closest uWSGI socket of this run: ${describeEndpoint(suggestion.socket.endpoint)}` }] : undefined,
        message:
          `${describeRoute(route)} reaches no uWSGI instance of this run: none listens on ${describeEndpoint(target)}${hint}, so requests get 503. ` +
          'Point the route at the address uWSGI listens on, or lint the ini that serves it with this file.',
      });
    }
  },
});
