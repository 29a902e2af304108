/**
 * Lookups by vhost, built once per server on first use (after the walk), so that rules and the
 * model's own queries touch only a vhost's entries plus those outside every vhost: linear in the
 * size of the server, not quadratic in its number of vhosts.
 */
import type { ApacheServer, EnvSetting, ProxyRoute, VirtualHost } from './types';

export interface ByVhost<T> {
  /** Everything, in config order. */
  all: T[];
  /** Entries outside every vhost. */
  outside: T[];
  byVhost: Map<VirtualHost, T[]>;
  /** Config order, to merge `outside` and one vhost's entries back into it. */
  order: Map<T, number>;
}

export interface ServerIndex {
  /** Every directive, by the vhost it is written in (null: outside every vhost), in config order. */
  directivesByVhost: Map<VirtualHost | null, ApacheServer['directives'][number][]>;
  directivesByName: Map<string, ByVhost<ApacheServer['directives'][number]>>;
  envByName: Map<string, ByVhost<EnvSetting>>;
  writtenRoutes: ByVhost<ProxyRoute>;
  balancerMembers: Map<ProxyRoute, ProxyRoute[]>;
  globalServerName: string | undefined;
}

const serverIndexes = new WeakMap<ApacheServer, ServerIndex>();

function emptyByVhost<T>(): ByVhost<T> {
  return { all: [], outside: [], byVhost: new Map(), order: new Map() };
}

function addByVhost<T>(bucket: ByVhost<T>, item: T, vhost: VirtualHost | null): void {
  bucket.order.set(item, bucket.all.length);
  bucket.all.push(item);
  if (vhost === null) bucket.outside.push(item);
  else {
    const list = bucket.byVhost.get(vhost);
    if (list) list.push(item);
    else bucket.byVhost.set(vhost, [item]);
  }
}

/** The entries written in `vhost` itself (null: outside every vhost). */
export function entriesIn<T>(bucket: ByVhost<T>, vhost: VirtualHost | null): T[] {
  return vhost === null ? bucket.outside : bucket.byVhost.get(vhost) ?? [];
}

/** Entries that can concern something in `vhost` (null: outside every vhost, so every entry). */
export function candidatesIn<T>(bucket: ByVhost<T> | undefined, vhost: VirtualHost | null): T[] {
  if (!bucket) return [];
  if (vhost === null) return bucket.all;
  const own = bucket.byVhost.get(vhost);
  if (!own) return bucket.outside;
  if (bucket.outside.length === 0) return own;
  return [...bucket.outside, ...own].sort((a, b) => bucket.order.get(a)! - bucket.order.get(b)!);
}

/** The server's index. Build it only once the walk is over: it does not follow later additions. */
export function indexOf(server: ApacheServer): ServerIndex {
  const cached = serverIndexes.get(server);
  if (cached) return cached;
  const index: ServerIndex = { directivesByVhost: new Map(), directivesByName: new Map(), envByName: new Map(), writtenRoutes: emptyByVhost(), balancerMembers: new Map(), globalServerName: undefined };
  for (const entry of server.directives) {
    const vhost = entry.scope.vhost ?? null;
    const own = index.directivesByVhost.get(vhost);
    if (own) own.push(entry);
    else index.directivesByVhost.set(vhost, [entry]);
    const lname = entry.directive.lname;
    let bucket = index.directivesByName.get(lname);
    if (!bucket) index.directivesByName.set(lname, (bucket = emptyByVhost()));
    addByVhost(bucket, entry, entry.scope.vhost);
    if (lname === 'servername' && entry.scope.kind === 'server') index.globalServerName = entry.directive.args[0]?.value;
  }
  for (const setting of server.env) {
    const name = setting.name.toLowerCase();
    let bucket = index.envByName.get(name);
    if (!bucket) index.envByName.set(name, (bucket = emptyByVhost()));
    addByVhost(bucket, setting, setting.scope.vhost);
  }
  for (const route of server.routes) {
    if (route.via === 'BalancerMember' && route.balancerRoute) {
      const members = index.balancerMembers.get(route.balancerRoute);
      if (members) members.push(route);
      else index.balancerMembers.set(route.balancerRoute, [route]);
    } else if (route.via !== 'BalancerMember') {
      addByVhost(index.writtenRoutes, route, route.vhost);
    }
  }
  serverIndexes.set(server, index);
  return index;
}
