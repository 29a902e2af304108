/**
 * The model's request-body paths: for each entry (Apache route, mod_wsgi app, uWSGI socket reached
 * directly), what becomes of a chunked and a Content-Length body, with the deciding lines.
 */
import { at, deploymentOf } from './deployment';
import type { RequestBodyPath } from '../../lib/model/types';

const vhost = (...lines: string[]) => ['<VirtualHost *:80>', ...lines.map((l) => `  ${l}`), '</VirtualHost>', ''].join('\n');
const ini = (...lines: string[]) => ['[uwsgi]', ...lines, ''].join('\n');
const summary = (p: RequestBodyPath) => `${p.chunked.fate} ${p.chunked.cause} @ ${p.chunked.decidedBy.map(at).join(' ')}`;

describe('Apache routes', () => {
  test('mod_proxy_uwsgi refuses chunked bodies; proxy-sendcl reaches the route and is ignored; Content-Length is streamed', () => {
    const d = deploymentOf({
      'site.conf': vhost('SetEnv proxy-sendcl 1', 'ProxyPass /api uwsgi://127.0.0.1:3031/'),
      'app.ini': ini('module = app.wsgi:application', 'socket = 127.0.0.1:3031'),
    });
    const path = d.bodyPathOf(d.routes[0]);
    expect(summary(path)).toBe('refused mod-proxy-uwsgi @ site.conf:3');
    expect(path.front).toMatchObject({ handler: 'mod_proxy_uwsgi', spools: 'never', sendclIgnored: 'handler' });
    expect(path.front.sendcl.map((s) => at(s.directive.location))).toEqual(['site.conf:2']);
    expect(path.contentLength).toMatchObject({ fate: 'delivered', cause: 'streamed' });
    expect(path.ends[0].stall.contentLength.map((t) => `${t.name}=${t.seconds}${t.isDefault ? ' (default)' : ''}`)).toEqual(['socket-timeout=4 (default)']);
  });

  test('mod_proxy_http streams a chunked body on to http-socket, where wsgi.input reads it empty', () => {
    const d = deploymentOf({
      'site.conf': vhost('ProxyPass /up http://127.0.0.1:8000/'),
      'app.ini': ini('module = app.wsgi:application', 'http-socket = 127.0.0.1:8000', 'socket-timeout = 10'),
    });
    const path = d.bodyPathOf(d.routes[0]);
    expect(summary(path)).toBe('lost wsgi-input-empty @ site.conf:2 app.ini:3 app.ini:2');
    expect(path.ends).toHaveLength(1);
    expect(path.ends[0].stall.contentLength.map((t) => `${t.name}=${t.seconds} ${at(t.option!.entryLocation)}`)).toEqual(['socket-timeout=10 app.ini:4']);
    expect(d.bodyPathsTo(d.uwsgi[0])).toEqual([path]);
    // The instance is fronted: its socket's direct path says so.
    const direct = d.requestBodies.find((p) => p.entry === 'uwsgi-direct');
    expect(direct).toMatchObject({ fronted: true, chunked: { cause: 'wsgi-input-empty' } });
  });

  test('proxy-sendcl scoped to the route spools chunked bodies, always or conditionally; proxy-sendchunked cancels it', () => {
    const app = ini('module = app.wsgi:application', 'http-socket = 127.0.0.1:8000');
    const scoped = deploymentOf({ 'site.conf': vhost('ProxyPass /up http://127.0.0.1:8000/', '<Location /up>', '  SetEnv proxy-sendcl 1', '</Location>'), 'app.ini': app });
    const path = scoped.bodyPathOf(scoped.routes[0]);
    expect(summary(path)).toBe('delivered spooled-by-apache @ site.conf:2 site.conf:4');
    expect(path.front.spools).toBe('always');
    expect(path.ends[0].stall.chunked).toEqual([]);

    const conditional = deploymentOf({ 'site.conf': vhost('SetEnvIf Request_URI "^/up" proxy-sendcl=1', 'ProxyPass /up http://127.0.0.1:8000/'), 'app.ini': app });
    expect(conditional.bodyPathOf(conditional.routes[0]).front.spools).toBe('conditionally');

    const cancelled = deploymentOf({ 'site.conf': vhost('SetEnv proxy-sendcl 1', 'SetEnv proxy-sendchunked 1', 'ProxyPass /up http://127.0.0.1:8000/'), 'app.ini': app });
    const streamed = cancelled.bodyPathOf(cancelled.routes[0]);
    expect(streamed.front).toMatchObject({ spools: 'never', sendclIgnored: 'sendchunked' });
    expect(streamed.chunked.cause).toBe('wsgi-input-empty');
  });

  test('a route that speaks another protocol than its socket, and one that reaches nothing of the run', () => {
    const d = deploymentOf({
      'site.conf': vhost('ProxyPass /a http://127.0.0.1:3031/', 'ProxyPass /b http://127.0.0.1:9999/'),
      'app.ini': ini('module = app.wsgi:application', 'socket = 127.0.0.1:3031'),
    });
    expect(d.routes.map((r) => summary(d.bodyPathOf(r)))).toEqual([
      'unknown protocol-mismatch @ site.conf:2 app.ini:3',
      'unknown backend-outside-run @ site.conf:3',
    ]);
  });

  test('an app that reads chunked bodies with uWSGI\'s API gets them; so does wsgi.input with 2.1\'s wsgi-manage-chunked-input', () => {
    const glance = deploymentOf({
      'site.conf': vhost('ProxyPass /image http://127.0.0.1:60999/'),
      'glance.ini': ini('module = glance.wsgi.api:application', 'http-socket = 127.0.0.1:60999'),
    });
    expect(glance.bodyPathOf(glance.routes[0]).chunked).toMatchObject({ fate: 'delivered', cause: 'uwsgi-chunked-api' });
    expect(glance.bodyPathOf(glance.routes[0]).takesChunked).toBe(true);
    const managed = ini('module = app.wsgi:application', 'http-socket = 127.0.0.1:8000', 'wsgi-manage-chunked-input = true');
    const on21 = deploymentOf({ 'app.ini': managed }, { targets: { uwsgi: '2.1' } });
    expect(on21.uwsgiLine).toBe('2.1');
    expect(summary(on21.requestBodies[0])).toBe('delivered wsgi-manage-chunked-input @ app.ini:4 app.ini:3');
    expect(deploymentOf({ 'app.ini': managed }).requestBodies[0].chunked.cause).toBe('wsgi-input-empty');
  });

  test('a balancer route leaves the verdict to its members; the balancer has its members and ProxySet parameters', () => {
    const d = deploymentOf({
      'site.conf': vhost(
        '<Proxy balancer://cluster>',
        '  BalancerMember http://127.0.0.1:8000',
        '  BalancerMember uwsgi://127.0.0.1:3031',
        '  ProxySet lbmethod=bybusyness',
        '</Proxy>',
        'ProxyPass /app balancer://cluster/ lbmethod=heartbeat',
      ),
    });
    const server = d.apache[0];
    expect(server.balancers).toHaveLength(1);
    const balancer = server.balancers[0];
    expect(balancer).toMatchObject({ name: 'balancer://cluster', params: { lbmethod: 'bybusyness' } });
    expect(balancer.members.map((m) => m.url)).toEqual(['http://127.0.0.1:8000', 'uwsgi://127.0.0.1:3031']);
    expect(balancer.routes.map((r) => r.path)).toEqual(['/app']);
    expect(d.routes.map((r) => `${r.via} ${r.scheme}: ${d.bodyPathOf(r).chunked.cause}`)).toEqual([
      'ProxyPass balancer: balancer',
      'BalancerMember http: backend-outside-run',
      'BalancerMember uwsgi: mod-proxy-uwsgi',
    ]);
  });
});

describe('mod_wsgi applications', () => {
  test('without WSGIChunkedRequest On a chunked body gets 411; the deciding line comes first', () => {
    const off = deploymentOf({ 'site.conf': vhost('WSGIScriptAlias / /srv/app.wsgi', 'WSGIChunkedRequest Off') });
    expect(summary(off.requestBodies[0])).toBe('refused mod-wsgi-chunked-off @ site.conf:3 site.conf:2');
    const unset = deploymentOf({ 'site.conf': vhost('WSGIScriptAlias / /srv/app.wsgi') });
    expect(summary(unset.requestBodies[0])).toBe('refused mod-wsgi-chunked-off @ site.conf:2');
    const on = deploymentOf({ 'site.conf': vhost('WSGIChunkedRequest On', 'WSGIScriptAlias / /srv/app.wsgi') });
    expect(summary(on.requestBodies[0])).toBe('delivered mod-wsgi-chunked-on @ site.conf:2 site.conf:3');
  });
});

describe('uWSGI sockets reached directly', () => {
  test('the HTTP router drops chunked bodies without http-chunked-input; with it they reach the app as its chunked stream', () => {
    const without = deploymentOf({ 'app.ini': ini('module = app.wsgi:application', 'http = :8080', 'socket = 127.0.0.1:3031') });
    expect(without.requestBodies.map(summary)).toEqual([
      'dropped router-drops-chunked @ app.ini:3',
      'unknown front-decides @ app.ini:4',
    ]);
    const glance = deploymentOf({ 'glance.ini': ini('module = glance.wsgi.api:application', 'http = :9292', 'http-chunked-input = true', 'http-timeout = 120', 'socket-timeout = 5') });
    const router = glance.requestBodies[0];
    expect(router.chunked.cause).toBe('uwsgi-chunked-api');
    expect(router.ends[0].stall.chunked.map((t) => `${t.name}=${t.seconds}`)).toEqual(['http-timeout=120', 'chunked-input-timeout=5']);
  });

  test('an instance without a Python WSGI entry point is not judged', () => {
    const d = deploymentOf({ 'php.ini': ini('plugins = php', 'http-socket = :8000', 'wsgi-file = /srv/x.py') });
    expect(d.uwsgi[0].servesPythonWsgi).toBe(false);
    expect(d.requestBodies[0].chunked.cause).toBe('not-a-python-app');
  });
});
