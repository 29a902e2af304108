/** The model's other concepts: WSGI process-group uses, the uWSGI router and entry points, body timeouts, and the one owner of each uWSGI value reading. */
import { at, deploymentOf } from './deployment';
import { isUwsgiFalse, readUwsgiFlag, readUwsgiInt } from '../../lib/knowledge/uwsgi-values';
import { compareVersions, resolveTargets, uwsgiLine } from '../../lib/knowledge/targets';
import { lbMethodOf } from '../../lib/model/apache-queries';

describe('mod_wsgi process-group uses', () => {
  const tree = (...lines: string[]) => ['ServerRoot /etc/apache2', 'LoadModule wsgi_module /usr/lib/apache2/modules/mod_wsgi.so', ...lines, ''].join('\n');
  test('every WSGIProcessGroup and process-group= is resolved against the daemons the vhost can use', () => {
    const d = deploymentOf({
      'apache2.conf': tree(
        '<VirtualHost *:80>',
        '  ServerName a.example',
        '  WSGIDaemonProcess a',
        '  WSGIProcessGroup a',
        '  WSGIScriptAlias /x /srv/x.wsgi process-group=missing',
        '</VirtualHost>',
        '<VirtualHost *:80>',
        '  ServerName b.example',
        '  WSGIProcessGroup a',
        '  WSGIProcessGroup %{GLOBAL}',
        '</VirtualHost>',
      ),
    });
    const uses = d.apache[0].wsgiGroupUses.map((u) => `${at(u.directive.location)} ${u.via} ${u.name}: ${u.access}`);
    expect(uses).toEqual([
      'apache2.conf:6 WSGIProcessGroup a: defined',
      'apache2.conf:7 process-group= missing: undefined',
      'apache2.conf:11 WSGIProcessGroup a: other-vhost',
      'apache2.conf:12 WSGIProcessGroup %{GLOBAL}: embedded',
    ]);
  });

  test('in a snippet a group defined nowhere may be defined by another file of the server', () => {
    const d = deploymentOf({ 'site.conf': '<VirtualHost *:80>\n  WSGIProcessGroup elsewhere\n</VirtualHost>\n' });
    expect(d.apache[0].wsgiGroupUses.map((u) => u.access)).toEqual(['unknown']);
  });
});

describe('balancer lbmethod', () => {
  test('a ProxySet for the balancer wins over lbmethod= on the route; byrequests by default', () => {
    const conf = (proxySet: string) => `<Proxy balancer://c>\n  BalancerMember http://127.0.0.1:1\n${proxySet}</Proxy>\nProxyPass /a balancer://c/ lbmethod=heartbeat\nProxyPass /b balancer://c\n`;
    const set = deploymentOf({ 'site.conf': conf('  ProxySet lbmethod=bytraffic\n') });
    expect(set.routes.filter((r) => r.scheme === 'balancer').map((r) => lbMethodOf(r).method)).toEqual(['bytraffic', 'bytraffic']);
    const unset = deploymentOf({ 'site.conf': conf('') });
    expect(unset.routes.filter((r) => r.scheme === 'balancer').map((r) => lbMethodOf(r).method)).toEqual(['heartbeat', 'byrequests']);
  });
});

describe('uWSGI instances', () => {
  test('the router, its starters and settings; entry points read', () => {
    const d = deploymentOf({
      'app.ini': ['[uwsgi]', 'httprouter = :8080', 'https2 = addr=:8443,cert=c,key=k', 'http-chunked-input = true', 'mount = /app=app.wsgi', 'wsgi = other:app', 'file = /srv/x.py', ''].join('\n'),
    });
    const instance = d.uwsgi[0];
    expect(instance.router?.sockets.map((s) => s.option.key)).toEqual(['httprouter']);
    expect(instance.router?.starters.map((o) => o.key)).toEqual(['httprouter', 'https2']);
    expect(instance.router?.chunkedInput.on).toBe(true);
    expect(instance.router?.timeout).toMatchObject({ name: 'http-timeout', seconds: 60, isDefault: true });
    expect(instance.entryPoints.map((e) => `${e.kind} ${e.target}${e.mountPoint ? ` at ${e.mountPoint}` : ''}`)).toEqual(['module other:app', 'wsgi-file /srv/x.py', 'mount app.wsgi at /app']);
    expect(deploymentOf({ 'app.ini': '[uwsgi]\nhttp-socket = :8000\n' }).uwsgi[0].router).toBeNull();
  });

  test('body timeouts: a quoted or templated value says no number; chunked-input-timeout follows socket-timeout', () => {
    const quoted = deploymentOf({ 'a.ini': '[uwsgi]\nsocket-timeout = "30"\n' }).uwsgi[0].timeouts;
    expect(quoted.socket).toMatchObject({ value: '"30"', seconds: undefined, isDefault: false });
    const set = deploymentOf({ 'a.ini': '[uwsgi]\nsocket-timeout = 20\n' }).uwsgi[0].timeouts;
    expect(set.chunkedInput).toMatchObject({ name: 'chunked-input-timeout', seconds: 20, option: undefined });
    const own = deploymentOf({ 'a.ini': '[uwsgi]\nchunked-input-timeout = 60s\n' }).uwsgi[0].timeouts;
    expect(own.chunkedInput).toMatchObject({ seconds: 60, isDefault: false });
    expect(own.socket).toMatchObject({ seconds: 4, isDefault: true });
  });
});

describe('one owner for each reading', () => {
  test('uwsgi_opt_true: false only for false/off/no in any case and exactly 0, nothing trimmed', () => {
    for (const v of ['false', 'OFF', 'No', '0']) expect(isUwsgiFalse(v)).toBe(true);
    for (const v of ['', 'true', '00', 'nope', ' no', 'no ', '"false"']) expect(readUwsgiFlag(v)).toBe(true);
  });
  test('integers as atoi reads them', () => {
    expect([' 30', '60s', '"30"', 'abc', '-5', '99999999999'].map(readUwsgiInt)).toEqual([30, 60, 0, 0, -5, 2147483647]);
  });
  test('versions: numerically, missing and non-numeric parts as 0, optionally the first N parts only', () => {
    expect(compareVersions('2.0.27', '2.0.3')).toBeGreaterThan(0);
    expect(compareVersions('2.4', '2.4.0')).toBe(0);
    expect(compareVersions('2.4.71-1', '2.4.71')).toBeGreaterThan(0);
    expect(compareVersions('2.4.71-1', '2.4.71', { parts: 3 })).toBe(0);
    expect(uwsgiLine(resolveTargets({ uwsgi: '2.0.21' }))).toBe('2.0');
    expect(uwsgiLine(resolveTargets({ uwsgi: '2.1' }))).toBe('2.1');
  });
});
