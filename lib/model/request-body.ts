/**
 * Request-body paths, computed once per deployment: for every place a body enters (each Apache
 * route, each mod_wsgi application, each uWSGI socket a client may reach directly), what becomes of
 * a chunked body and of a Content-Length body on the way to the app, which timeout ends a stalled
 * one, and the lines that decide. Measured facts (lab-findings.md; lab/results.md):
 * - mod_proxy_uwsgi answers 411 to every chunked body; proxy-sendcl does not change it (F3).
 * - mod_proxy_http (and mod_proxy_fcgi) spool a chunked body and send Content-Length when
 *   proxy-sendcl reaches the route and (mod_proxy_http) no proxy-sendchunked cancels it; otherwise
 *   they stream it on, still chunked.
 * - mod_wsgi answers 411 unless `WSGIChunkedRequest On` applies.
 * - uWSGI's HTTP router discards chunked bodies without `http-chunked-input`; with it, and on
 *   `http-socket`, uWSGI hands the app its chunked stream: wsgi.input reads empty (200, 0 bytes),
 *   uwsgi.chunked_read() reads it all, and 2.1's `wsgi-manage-chunked-input` makes wsgi.input work.
 * - A worker waits `socket-timeout` (default 4 s) for the next bytes of a body, chunked reads
 *   `chunked-input-timeout`, the router `http-timeout` on its client.
 */
import type { SourceLocation } from '../core/source';
import type { UwsgiVersionLine } from '../knowledge/uwsgi-options';
import { envReaching, routeReadsSendcl, sendclReaching, takesChunkedUploads } from './apache-queries';
import type {
  ApacheServer, BodyEnd, BodyFate, BodyVerdict, DirectBodyPath, ModWsgiBodyPath, ProxyRoute, ProxyScheme, RequestBodyPath,
  RouteBodyHandling, RouteBodyPath, RouteLink, StallTimeout, UwsgiInstance, UwsgiSocket, WsgiApplication,
} from './types';

/** The mod_proxy module that carries each scheme's bodies. */
const HANDLERS: Partial<Record<ProxyScheme, string>> = {
  http: 'mod_proxy_http', https: 'mod_proxy_http', uwsgi: 'mod_proxy_uwsgi', fcgi: 'mod_proxy_fcgi', scgi: 'mod_proxy_scgi',
  ajp: 'mod_proxy_ajp', ws: 'mod_proxy_wstunnel', wss: 'mod_proxy_wstunnel', h2: 'mod_proxy_http2', h2c: 'mod_proxy_http2',
  ftp: 'mod_proxy_ftp', balancer: 'balancer',
};

/** Schemes whose body handling is modelled, and the socket protocol each must meet. */
const SPEAKS: Partial<Record<ProxyScheme, string>> = { http: 'http', https: 'https', uwsgi: 'uwsgi', fcgi: 'fastcgi', scgi: 'scgi' };

/** Worst first, for the outcome of a path with several ends. */
const FATE_RANK: Record<BodyFate, number> = { refused: 4, dropped: 3, lost: 2, unknown: 1, delivered: 0 };

export interface RequestBodyInput {
  apache: ApacheServer[];
  uwsgi: UwsgiInstance[];
  linksOf(route: ProxyRoute): RouteLink[];
  linksTo(instance: UwsgiInstance): RouteLink[];
  line: UwsgiVersionLine;
}

export interface RequestBodies {
  paths: RequestBodyPath[];
  byRoute: Map<ProxyRoute, RouteBodyPath>;
}

export function buildRequestBodies(input: RequestBodyInput): RequestBodies {
  const paths: RequestBodyPath[] = [];
  const byRoute = new Map<ProxyRoute, RouteBodyPath>();
  for (const server of input.apache) {
    for (const route of server.routes) {
      const path = routePath(route, input);
      paths.push(path);
      byRoute.set(route, path);
    }
    for (const app of server.wsgiApps) paths.push(modWsgiPath(app));
  }
  for (const instance of input.uwsgi) {
    const fronted = input.linksTo(instance).length > 0;
    for (const socket of instance.sockets) paths.push(directPath({ socket, instance, fronted }, input.line));
  }
  return { paths, byRoute };
}

// ---------------------------------------------------------------- Apache routes

function routeFront(route: ProxyRoute): RouteBodyHandling {
  const sendcl = envReaching(route, 'proxy-sendcl');
  const readsSendcl = routeReadsSendcl(route);
  const spooledBy = readsSendcl ? sendclReaching(route) : [];
  return {
    handler: HANDLERS[route.scheme] ?? 'other',
    sendcl,
    spooledBy,
    sendclIgnored: sendcl.length > 0 && spooledBy.length === 0 ? (readsSendcl ? 'sendchunked' : 'handler') : undefined,
    spools: spooledBy.some((setting) => !setting.conditional) ? 'always' : spooledBy.length > 0 ? 'conditionally' : 'never',
  };
}

/** What the front alone decides for a chunked body; undefined when it streams the body on and the end decides. */
function frontChunkedVerdict(route: ProxyRoute, front: RouteBodyHandling): BodyVerdict | undefined {
  const at = route.directive.location;
  if (route.scheme === 'uwsgi') return verdict('refused', 'mod-proxy-uwsgi', [at]);
  if (route.scheme === 'balancer') return verdict('unknown', 'balancer', [at]);
  if (!SPEAKS[route.scheme]) return verdict('unknown', 'handler-unmodelled', [at]);
  if (front.spools !== 'never') return verdict('delivered', 'spooled-by-apache', [at, ...front.spooledBy.map((s) => s.directive.location)]);
  return undefined;
}

function routePath(route: ProxyRoute, input: RequestBodyInput): RouteBodyPath {
  const front = routeFront(route);
  const links = input.linksOf(route);
  const frontChunked = frontChunkedVerdict(route, front);
  const ends = links.map((link): BodyEnd => {
    const { socket, instance } = link;
    // mod_proxy_uwsgi speaks uwsgi to the workers' sockets, never to the HTTP router.
    const compatible = SPEAKS[route.scheme] !== undefined && socket.protocol === SPEAKS[route.scheme] && !(route.scheme === 'uwsgi' && socket.router);
    const mismatch = verdict('unknown', 'protocol-mismatch', [route.directive.location, socket.option.entryLocation]);
    // Streamed on, the body meets the socket as it left the client: the route (which does not spool it) decides too.
    const chunked = frontChunked ?? (compatible ? via(route, socketChunkedIntake(socket, instance, input.line)) : mismatch);
    const streamed = SPEAKS[route.scheme] === undefined ? frontChunked! : compatible ? streamedVerdict(socket, instance) : mismatch;
    return {
      link, socket, instance, chunked, contentLength: streamed,
      stall: {
        chunked: chunked.fate === 'delivered' && chunked.cause !== 'spooled-by-apache' ? chunkedStall(socket, instance) : [],
        contentLength: streamed.fate === 'delivered' ? contentLengthStall(socket, instance) : [],
      },
    };
  });
  const linked = links.map((link) => link.instance.app);
  const apps = linked.length > 0 ? linked : route.app ? [route.app] : [];
  const outside = verdict('unknown', 'backend-outside-run', [route.directive.location]);
  return {
    entry: 'apache-route', route, front, ends, apps, takesChunked: takesChunkedUploads(apps),
    chunked: frontChunked ?? worst(ends.map((end) => end.chunked)) ?? outside,
    contentLength: SPEAKS[route.scheme] === undefined ? frontChunked! : worst(ends.map((end) => end.contentLength)) ?? outside,
  };
}

// ---------------------------------------------------------------- mod_wsgi

function modWsgiPath(app: WsgiApplication): ModWsgiBodyPath {
  const alias = app.directive.location;
  const setting = app.chunkedRequest.directive?.location;
  // `WSGIChunkedRequest <%= @wsgi_chunked_request %>`: the template, not the file, says On or Off.
  const chunked = app.chunkedRequest.templated && setting
    ? verdict('unknown', 'templated-setting', [setting, alias])
    : app.chunkedRequest.on
      ? verdict('delivered', 'mod-wsgi-chunked-on', [setting ?? alias, alias])
      : verdict('refused', 'mod-wsgi-chunked-off', setting ? [setting, alias] : [alias]);
  return {
    entry: 'mod-wsgi', wsgiApp: app, ends: [], apps: [app.app], takesChunked: app.app.takesChunkedUploads,
    chunked, contentLength: verdict('delivered', 'streamed', [alias]),
  };
}

// ---------------------------------------------------------------- uWSGI sockets

function directPath({ socket, instance, fronted }: Pick<DirectBodyPath, 'socket' | 'instance' | 'fronted'>, line: UwsgiVersionLine): DirectBodyPath {
  const chunked = socketChunkedIntake(socket, instance, line);
  const contentLength = streamedVerdict(socket, instance);
  const end: BodyEnd = {
    socket, instance, chunked, contentLength,
    stall: { chunked: chunked.fate === 'delivered' ? chunkedStall(socket, instance) : [], contentLength: contentLengthStall(socket, instance) },
  };
  return {
    entry: 'uwsgi-direct', socket, instance, ends: [end], fronted, apps: [instance.app], takesChunked: instance.app.takesChunkedUploads,
    chunked, contentLength,
  };
}

/** What a uWSGI socket does with a body that reaches it still chunked. */
function socketChunkedIntake(socket: UwsgiSocket, instance: UwsgiInstance, line: UwsgiVersionLine): BodyVerdict {
  const at = socket.option.entryLocation;
  const router = instance.router;
  if (socket.router && router && !router.chunkedInput.on) {
    return verdict('dropped', 'router-drops-chunked', compact([at, router.chunkedInput.option?.entryLocation]));
  }
  if (socket.protocol === 'uwsgi') return verdict('unknown', 'front-decides', [at]);
  if (socket.protocol !== 'http') return verdict('unknown', 'socket-unmodelled', [at]);
  if (!instance.servesPythonWsgi) return verdict('unknown', 'not-a-python-app', compact([at, instance.entries[0]?.entryLocation]));
  if (instance.app.readsChunkedWithUwsgiApi) return verdict('delivered', 'uwsgi-chunked-api', compact([instance.app.evidence, at]));
  const manage = instance.last('wsgi-manage-chunked-input');
  if (line === '2.1' && instance.flag('wsgi-manage-chunked-input')) return verdict('delivered', 'wsgi-manage-chunked-input', compact([manage?.entryLocation, at]));
  return verdict('lost', 'wsgi-input-empty', compact([at, instance.entries[0]?.entryLocation]));
}

function streamedVerdict(socket: UwsgiSocket, instance: UwsgiInstance): BodyVerdict {
  return verdict('delivered', 'streamed', compact([socket.option.entryLocation, instance.timeouts.socket.option?.entryLocation]));
}

function contentLengthStall(socket: UwsgiSocket, instance: UwsgiInstance): StallTimeout[] {
  return socket.router && instance.router ? [instance.router.timeout, instance.timeouts.socket] : [instance.timeouts.socket];
}

function chunkedStall(socket: UwsgiSocket, instance: UwsgiInstance): StallTimeout[] {
  return socket.router && instance.router ? [instance.router.timeout, instance.timeouts.chunkedInput] : [instance.timeouts.chunkedInput];
}

// ---------------------------------------------------------------- helpers

function verdict(fate: BodyFate, cause: BodyVerdict['cause'], decidedBy: SourceLocation[]): BodyVerdict {
  return { fate, cause, decidedBy };
}

function via(route: ProxyRoute, v: BodyVerdict): BodyVerdict {
  return { ...v, decidedBy: [route.directive.location, ...v.decidedBy] };
}

function worst(verdicts: BodyVerdict[]): BodyVerdict | undefined {
  return verdicts.reduce<BodyVerdict | undefined>((a, b) => (a === undefined || FATE_RANK[b.fate] > FATE_RANK[a.fate] ? b : a), undefined);
}

function compact(locations: (SourceLocation | undefined)[]): SourceLocation[] {
  return locations.filter((l): l is SourceLocation => l !== undefined);
}
