/**
 * One run, one deployment: every Apache server and uWSGI instance given, and the links between
 * them (which Apache route reaches which uWSGI socket).
 */
import type { ResolvedApacheConfig } from '../resolve/apache/types';
import type { ResolvedUwsgiConfig } from '../resolve/uwsgi-ini/types';
import { uwsgiLine, type Targets } from '../knowledge/targets';
import { buildApacheServer } from './apache';
import { buildRequestBodies } from './request-body';
import { buildUwsgiInstance } from './uwsgi';
import { linkLaunches } from './launch';
import type { UwsgiLaunch } from '../resolve/launch';
import { endpointReaches, normaliseSocketPath } from './endpoint';
import type { Deployment, Endpoint, ProxyRoute, RouteBodyPath, RouteLink, UwsgiInstance } from './types';

export interface DeploymentInput {
  apache: ResolvedApacheConfig[];
  uwsgi: ResolvedUwsgiConfig[];
  targets: Targets;
  appProfiles?: Record<string, string>;
  /** What the run's systemd units and supervisor programs start (lib/resolve/launch.ts). */
  launches?: UwsgiLaunch[];
}

/**
 * Apache files given without their server root (a site, a conf.d fragment) are what httpd makes of
 * them: Included pieces of one server. Several given together (devstack writes one per service)
 * are pieces of the same server, so a server-scope `SetEnv proxy-sendcl 1` in keystone's file
 * reaches glance's route in another. Whole server trees stay servers of their own.
 */
function piecesOfOneServer(configs: ResolvedApacheConfig[]): ResolvedApacheConfig[] {
  const fragments = configs.filter((c) => !c.wholeTree);
  if (fragments.length < 2) return configs;
  const merged: ResolvedApacheConfig = {
    ...fragments[0],
    nodes: fragments.flatMap((c) => c.nodes),
    files: fragments.flatMap((c) => c.files),
    findings: [],
  };
  return [...configs.filter((c) => c.wholeTree), merged];
}

export function buildDeployment(input: DeploymentInput): Deployment {
  const appProfiles = input.appProfiles ?? {};
  const apache = piecesOfOneServer(input.apache).map((config) => buildApacheServer(config, appProfiles));
  const line = uwsgiLine(input.targets);
  const uwsgi = input.uwsgi.map((config) => buildUwsgiInstance(config, { targets: input.targets, line, appProfiles }));
  linkLaunches(uwsgi, input.launches ?? []);
  const routes = apache.flatMap((server) => server.routes);

  // Index sockets by port and by unix path, so linking stays linear in routes + sockets.
  const byKey = new Map<string, { instance: UwsgiInstance; socket: UwsgiInstance['sockets'][number] }[]>();
  for (const instance of uwsgi) {
    for (const socket of instance.sockets) {
      const key = endpointKey(socket.endpoint);
      if (!key) continue;
      const list = byKey.get(key) ?? [];
      list.push({ instance, socket });
      byKey.set(key, list);
    }
  }
  const links: RouteLink[] = [];
  for (const route of routes) {
    const endpoint = route.endpoint;
    const key = endpointKey(endpoint);
    if (!key) continue;
    for (const candidate of byKey.get(key) ?? []) {
      if (endpointReaches(endpoint, candidate.socket.endpoint)) links.push({ route, ...candidate });
    }
  }
  const linksByRoute = new Map<ProxyRoute, RouteLink[]>();
  const linksByInstance = new Map<UwsgiInstance, RouteLink[]>();
  for (const link of links) {
    const byRoute = linksByRoute.get(link.route);
    if (byRoute) byRoute.push(link);
    else linksByRoute.set(link.route, [link]);
    const byInstance = linksByInstance.get(link.instance);
    if (byInstance) byInstance.push(link);
    else linksByInstance.set(link.instance, [link]);
  }
  const linksOf = (route: ProxyRoute): RouteLink[] => linksByRoute.get(route) ?? [];
  const linksTo = (instance: UwsgiInstance): RouteLink[] => linksByInstance.get(instance) ?? [];
  const bodies = buildRequestBodies({ apache, uwsgi, linksOf, linksTo, line });
  const pathsTo = new Map<UwsgiInstance, RouteBodyPath[]>();
  for (const link of links) {
    const path = bodies.byRoute.get(link.route)!;
    const list = pathsTo.get(link.instance) ?? [];
    if (!list.includes(path)) list.push(path);
    pathsTo.set(link.instance, list);
  }
  // A uWSGI app reached through a route takes the route's app profile hints too: `/image` on a
  // generic-looking module is still whatever the uWSGI side says, so only the uWSGI side decides.
  return {
    apache, uwsgi, links, targets: input.targets, uwsgiLine: line, routes, linksOf, linksTo,
    requestBodies: bodies.paths,
    bodyPathOf: (route) => bodies.byRoute.get(route)!,
    bodyPathsTo: (instance) => pathsTo.get(instance) ?? [],
  };
}

/** The bucket a route and the sockets it may reach share: the TCP port, or the normalised unix path. */
function endpointKey(endpoint: Endpoint): string | null {
  if (endpoint.kind === 'tcp') return `tcp:${endpoint.port}`;
  if (endpoint.kind === 'unix') return `unix:${normaliseSocketPath(endpoint.path)}`;
  return null;
}

export type * from './types';
