import { endpointReaches, parseProxyUrl, parseUwsgiAddress } from '../../lib/model/endpoint';

describe('uWSGI socket addresses', () => {
  test.each([
    [':8000', { kind: 'tcp', host: '', hostClass: 'wildcard', port: 8000 }],
    ['0.0.0.0:8000', { kind: 'tcp', hostClass: 'wildcard', port: 8000 }],
    ['[::]:8000', { kind: 'tcp', host: '::', hostClass: 'wildcard', port: 8000 }],
    ['127.0.0.1:60999', { kind: 'tcp', hostClass: 'loopback', port: 60999 }],
    ['localhost:60999', { kind: 'tcp', hostClass: 'loopback', port: 60999 }],
    ['[::1]:3031', { kind: 'tcp', host: '::1', hostClass: 'loopback', port: 3031 }],
    ['10.0.0.5:9292', { kind: 'tcp', hostClass: 'named', port: 9292 }],
    ['/run/uwsgi/app.socket', { kind: 'unix', path: '/run/uwsgi/app.socket' }],
    ['@abstract', { kind: 'unix', path: '@abstract' }],
    ['127.0.0.1:8443,cert.pem,key.pem', { kind: 'tcp', port: 8443 }],
    ['{{ api_interface_address }}:9292', { kind: 'unresolved' }],
    ['$(HOST):9292', { kind: 'unresolved' }],
  ])('%s', (value, expected) => {
    expect(parseUwsgiAddress(value)).toMatchObject(expected);
  });
});

describe('template words in addresses (rendered placeholders)', () => {
  test.each([
    // a whole-word expression is any address, not a unix path named after the variable
    ['___uwsgi_socket___', true, { kind: 'unresolved' }],
    ['___uwsgi_socket___', false, { kind: 'unix', path: '___uwsgi_socket___' }],
    // literal text shows a path
    ['/var/run/uwsgi/__name_.socket', true, { kind: 'unix', path: '/var/run/uwsgi/__name_.socket' }],
    // a `:` is literal (no placeholder has one): TCP, on a port the files do not fix
    ['127.0.0.1:_port', true, { kind: 'unresolved', transport: 'tcp' }],
    ['_APACHE_LOCAL_HOST:_port', true, { kind: 'unresolved', transport: 'tcp' }],
    ['_host:9292', true, { kind: 'tcp', hostClass: 'named', port: 9292 }],
  ])('%s (templated: %s)', (value, templated, expected) => {
    expect(parseUwsgiAddress(value, templated)).toMatchObject(expected);
  });

  test('a ProxyPass unix path that is one template word is unresolved; one with a literal path is a path', () => {
    expect(parseProxyUrl('unix:__sock_|uwsgi://app/', true).endpoint).toMatchObject({ kind: 'unresolved' });
    expect(parseProxyUrl('unix:/run/__name_.sock|uwsgi://app/', true).endpoint).toMatchObject({ kind: 'unix', path: '/run/__name_.sock' });
  });
});

describe('ProxyPass targets', () => {
  test.each([
    ['http://127.0.0.1:60999', 'http', { kind: 'tcp', port: 60999, hostClass: 'loopback' }],
    ['http://localhost/', 'http', { kind: 'tcp', port: 80 }],
    ['uwsgi://127.0.0.1/', 'uwsgi', { kind: 'tcp', port: 3031 }],
    ['unix:/run/uwsgi/keystone.socket|uwsgi://uwsgi-uds-keystone', 'uwsgi', { kind: 'unix', path: '/run/uwsgi/keystone.socket' }],
    ['UNIX:/run/x.sock|http://localhost/', 'http', { kind: 'unix', path: '/run/x.sock' }],
    ['http://[::1]:8080/app', 'http', { kind: 'tcp', host: '::1', port: 8080 }],
    ['balancer://cluster/', 'balancer', { kind: 'unresolved' }],
    ['http://{{ host }}:{{ port }}/', 'http', { kind: 'unresolved' }],
  ])('%s', (url, scheme, endpoint) => {
    const parsed = parseProxyUrl(url);
    expect(parsed.scheme).toBe(scheme);
    expect(parsed.endpoint).toMatchObject(endpoint);
  });
});

describe('which listener a route reaches', () => {
  const route = (url: string) => parseProxyUrl(url).endpoint;
  test('loopback reaches a wildcard listener on the same port', () => {
    expect(endpointReaches(route('http://127.0.0.1:8000'), parseUwsgiAddress(':8000'))).toBe(true);
  });
  test('localhost and 127.0.0.1 are the same loopback', () => {
    expect(endpointReaches(route('http://localhost:8000'), parseUwsgiAddress('127.0.0.1:8000'))).toBe(true);
  });
  test('a different port is not reached', () => {
    expect(endpointReaches(route('http://127.0.0.1:8001'), parseUwsgiAddress(':8000'))).toBe(false);
  });
  test('a named host does not reach a loopback-only listener', () => {
    expect(endpointReaches(route('http://controller:8000'), parseUwsgiAddress('127.0.0.1:8000'))).toBe(false);
  });
  test('unix paths match exactly, /var/run being /run', () => {
    expect(endpointReaches(route('unix:/var/run/uwsgi/a.socket|uwsgi://a'), parseUwsgiAddress('/run/uwsgi/a.socket'))).toBe(true);
    expect(endpointReaches(route('unix:/run/uwsgi/a.socket|uwsgi://a'), parseUwsgiAddress('/run/uwsgi/b.socket'))).toBe(false);
  });
});
