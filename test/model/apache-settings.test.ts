/** Which Apache setting governs a request (lib/model/apache-settings.ts): timeouts, LimitRequestBody, section coverage, and app profiles read from the daemon group or the file. */
import { deploymentOf } from './deployment';
import {
  parseApacheSeconds, proxyTimeoutOf, requestBodyLimitOf, siteOfRoute, siteOfWsgiApp, wsgiDaemonOf, wsgiSocketTimeoutOf,
} from '../../lib/model/apache-settings';

const tree = (...lines: string[]) => ['ServerRoot /etc/apache2', 'LoadModule proxy_module m/mod_proxy.so', 'LoadModule proxy_http_module m/mod_proxy_http.so',
  'LoadModule wsgi_module m/mod_wsgi.so', ...lines, ''].join('\n');

describe('proxy timeouts', () => {
  test('timeout= on the route, then ProxyTimeout, then Timeout, then httpd\'s 60 s in a whole tree', () => {
    const d = deploymentOf({
      'apache2.conf': tree(
        'Timeout 300',
        '<VirtualHost *:80>',
        '  ProxyTimeout 30',
        '  ProxyPass /a http://127.0.0.1:1/ timeout=5',
        '  ProxyPass /b http://127.0.0.1:2/',
        '</VirtualHost>',
        '<VirtualHost *:81>',
        '  ProxyPass /c http://127.0.0.1:3/',
        '</VirtualHost>',
      ),
    });
    const timeouts = d.routes.map((route) => `${route.path} ${proxyTimeoutOf(route)?.seconds} ${proxyTimeoutOf(route)?.written}`);
    expect(timeouts).toEqual(['/a 5 timeout=5', '/b 30 ProxyTimeout 30', '/c 300 Timeout 300']);
    const bare = deploymentOf({ 'apache2.conf': tree('ProxyPass /d http://127.0.0.1:4/') });
    expect(proxyTimeoutOf(bare.routes[0])?.seconds).toBe(60);
  });

  test('a snippet without a timeout line knows none (the server config may set Timeout)', () => {
    const d = deploymentOf({ 'site.conf': '<VirtualHost *:80>\n  ProxyPass /a http://127.0.0.1:1/\n</VirtualHost>\n' });
    expect(proxyTimeoutOf(d.routes[0])).toBeUndefined();
  });

  test('httpd time units', () => {
    expect(parseApacheSeconds('300')).toBe(300);
    expect(parseApacheSeconds('500ms')).toBe(0.5);
    expect(parseApacheSeconds('2mi')).toBe(120);
    expect(parseApacheSeconds('x')).toBeUndefined();
  });
});

describe('mod_wsgi daemon waits', () => {
  test('socket-timeout= of the group, else the Timeout of its VirtualHost', () => {
    const d = deploymentOf({
      'site.conf': [
        '<VirtualHost *:80>', '  Timeout 3', '  WSGIDaemonProcess a request-timeout=10', '  WSGIScriptAlias / /srv/a.wsgi process-group=a', '</VirtualHost>',
        '<VirtualHost *:81>', '  WSGIDaemonProcess b socket-timeout=20', '</VirtualHost>', '',
      ].join('\n'),
    });
    const server = d.apache[0];
    expect(server.wsgiGroups.map((g) => wsgiSocketTimeoutOf(server, g)?.written)).toEqual(['Timeout 3', 'socket-timeout=20']);
    expect(wsgiDaemonOf(server.wsgiApps[0])?.name).toBe('a');
  });
});

describe('LimitRequestBody', () => {
  const files = {
    'site.conf': [
      '<VirtualHost *:80>',
      '  WSGIScriptAlias /app /srv/app/app.wsgi',
      '  <Location /upload>', '    LimitRequestBody 0', '  </Location>',
      '  ProxyPass /upload uwsgi://127.0.0.1:3031/',
      '  ProxyPass /other uwsgi://127.0.0.1:3032/',
      '</VirtualHost>', '',
    ].join('\n'),
  };
  test('a covering <Location> sets it; elsewhere the target\'s default applies (1 GiB since 2.4.54)', () => {
    const d = deploymentOf(files);
    const [upload, other] = d.routes;
    expect(requestBodyLimitOf(siteOfRoute(upload), '2.4.71').directive?.name).toBe('LimitRequestBody');
    expect(requestBodyLimitOf(siteOfRoute(other), '2.4.71')).toEqual({ bytes: 1024 ** 3 });
    expect(requestBodyLimitOf(siteOfRoute(other), '2.4.53')).toEqual({ bytes: 0 });
    expect(requestBodyLimitOf(siteOfWsgiApp(d.apache[0].wsgiApps[0]), '2.4.71').bytes).toBe(1024 ** 3);
  });
});

describe('app profiles from the daemon group and the file name', () => {
  test('a templated script takes the profile of its daemon group; a bare route the one its file names', () => {
    const d = deploymentOf({
      'apache-nova-api.conf': '<VirtualHost *:8774>\n  WSGIDaemonProcess nova-api\n  WSGIScriptAlias / %PUBLICWSGI% process-group=nova-api\n</VirtualHost>\n',
      'uwsgi-keystone.conf': '<VirtualHost *:5000>\n  ProxyPass / uwsgi://127.0.0.1:5001/\n</VirtualHost>\n',
    });
    expect(d.apache[0].wsgiApps[0].app.id).toBe('openstack-api');
    expect(d.routes[0].app?.id).toBe('keystone');
  });
});

describe('Alias + SetHandler wsgi-script', () => {
  test('is a mod_wsgi application; an Alias without the handler is not', () => {
    const d = deploymentOf({
      'site.conf': [
        'Alias /identity /usr/local/bin/keystone-wsgi-public',
        '<Location /identity>', '  SetHandler wsgi-script', '  WSGIProcessGroup keystone-public', '</Location>',
        'Alias /static /srv/static/', 'Alias /files /srv/files/index.html', '',
      ].join('\n'),
    });
    const apps = d.apache[0].wsgiApps.map((app) => `${app.directive.name} ${app.urlPath} ${app.scriptPath} group=${app.processGroup} ${app.app.id}`);
    expect(apps).toEqual(['Alias /identity /usr/local/bin/keystone-wsgi-public group=keystone-public keystone']);
  });
});
