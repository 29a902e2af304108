/**
 * The files operators keep in git, through the real CLI: templates are found by default and read as
 * templates (branches as alternatives, expressions as unknown values), units tell how uWSGI is
 * started and stopped, and a run over several projects links only what belongs together.
 */
import * as fs from 'fs';
import * as path from 'path';
import { requireBuild, runCli, scratch } from '../cli/helpers';

interface JsonFinding { ruleId: string; severity: string; message: string; file: string; line: number; column: number }
interface JsonReport { findings: JsonFinding[]; files: { path: string; kind: string; template?: { engines: string[]; variants: number } }[] }

const dirs: string[] = [];
beforeAll(() => requireBuild());
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function lintJson(files: Record<string, string>, args: string[] = ['.']): JsonReport {
  const dir = scratch(files);
  dirs.push(dir);
  const r = runCli(['--format', 'json', ...args], { cwd: dir });
  if (r.status !== 0 && r.status !== 1) throw new Error(`exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as JsonReport;
}

const KOLLA_VHOST = `{% set binary_path = '/var/lib/kolla/venv/bin' %}
{% if kolla_base_distro in ['debian', 'ubuntu'] %}
LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so
{% else %}
LoadModule ssl_module /usr/lib64/httpd/modules/mod_ssl.so
{% endif %}
Listen {{ api_interface_address }}:{{ nova_metadata_listen_port }}

{% if enable_tls %}
<VirtualHost *:443>
    SSLEngine on
{% else %}
<VirtualHost *:80>
{% endif %}
    WSGIDaemonProcess nova-metadata processes={{ nova_metadata_workers }} threads=1 user=nova group=nova
    WSGIProcessGroup nova-metadata
    WSGIScriptAlias / {{ wsgi_directory }}/nova-metadata-wsgi
</VirtualHost>
`;

describe('templates in a repository', () => {
  test('are found by default and read as templates: no error from the markup, alternatives never meet', () => {
    const report = lintJson({ 'ansible/roles/nova/templates/nova-metadata-wsgi.conf.j2': KOLLA_VHOST });
    expect(report.files).toEqual([expect.objectContaining({ kind: 'apache', template: { engines: ['jinja2'], variants: 2 } })]);
    const ids = report.findings.map((f) => f.ruleId);
    expect(ids).not.toContain('apache-module-already-loaded');
    expect(ids).not.toContain('syntax-error');
    expect(report.findings.filter((f) => f.severity === 'error' && f.ruleId !== 'removed-entry-point')).toEqual([]);
  });

  test('an unquoted expression is one word: the literal tail still names a removed entry point, at the template\'s own position', () => {
    const report = lintJson({ 'nova-metadata-wsgi.conf.j2': KOLLA_VHOST }, ['--target', 'nova=33.0.0', '.']);
    const removed = report.findings.find((f) => f.ruleId === 'removed-entry-point');
    expect(removed).toMatchObject({ line: 17, column: 23 }); // the script argument, as written in the template
    expect(removed?.message).toContain('{{ wsgi_directory }}/nova-metadata-wsgi');
  });

  test('a value that is only markup is not judged; control lines are not options', () => {
    const report = lintJson({
      'glance-uwsgi.ini.j2': '[uwsgi]\n{% if glance_use_uwsgi %}\nmodule = glance.wsgi.api:application\n{% endif %}\nlogfile-chmod = {{ mode }}\nbuffer-size = {{ glance_wsgi_buffer_size }}\nsocket-timeout = 30\nmaster = true\ndie-on-term = true\nhttp-socket = :{{ glance_api_port }}\n',
    });
    const ids = report.findings.map((f) => f.ruleId);
    for (const id of ['uwsgi-invalid-value', 'uwsgi-unknown-option', 'uwsgi-buffer-size-small', 'strict-unknown-option']) expect(ids).not.toContain(id);
  });

  test('ERB and EPP are recognised; shell ${VAR} in an ini is markup (uWSGI expands only $(VAR))', () => {
    const report = lintJson({
      'templates/uwsgi.ini.erb': '[uwsgi]\n<% if @enable_threads -%>\nenable-threads = true\n<% end -%>\nprocesses = <%= @processes %>\nmodule = keystone.wsgi.api:application\nmaster = true\ndie-on-term = true\nbuffer-size = 65535\n',
      'templates/app.ini': '[uwsgi]\nmodule = app.wsgi\nhttp-socket = 127.0.0.1:${APP_PORT}\nmaster = true\ndie-on-term = true\n',
      'templates/vhost.conf.epp': '<VirtualHost *:80>\n<% if $wsgi_enabled { -%>\n  WSGIScriptAlias / <%= $wsgi_path %>\n<% } -%>\n</VirtualHost>\n',
    });
    const bad = report.findings.filter((f) => ['uwsgi-unknown-option', 'strict-unknown-option', 'apache-invalid-command', 'apache-unknown-directive', 'syntax-error'].includes(f.ruleId));
    expect(bad).toEqual([]);
    expect(report.files.filter((f) => f.template).map((f) => f.template!.engines[0]).sort()).toEqual(['epp', 'erb', 'shell']);
  });

  test('an installer placeholder in an Apache file given alone is noted once, as coming from the environment', () => {
    const report = lintJson({ 'searxng.conf': '<VirtualHost *:80>\n    ServerName searx.example\n    ProxyPass / http://127.0.0.1:${SEARXNG_PORT}/\n    ProxyPassReverse / http://127.0.0.1:${SEARXNG_PORT}/\n</VirtualHost>\n' });
    expect(report.findings.filter((f) => f.ruleId === 'apache-undefined-variable')).toEqual([expect.objectContaining({ severity: 'info', line: 3 })]);
  });

  test('a broken template is one positioned template-syntax finding, not a flood of parse errors', () => {
    const report = lintJson({ 'x.conf.j2': '<VirtualHost *:80>\n{% if a %}\nServerName a\n</VirtualHost>\n' });
    expect(report.findings.filter((f) => f.ruleId === 'template-syntax')).toEqual([expect.objectContaining({ severity: 'error', line: 2 })]);
  });

  test('a message quotes its own template: a placeholder of another template in the run is not put back into it', () => {
    // puppetlabs-apache keeps the ERB and the EPP version of the same fragment: `<%= key %>` and
    // `<%= $key %>` become placeholder words one of which holds the other
    const report = lintJson({
      '_proxy.erb': '  WSGIScriptAlias <%= key %> "<%= value %>"\n',
      '_wsgi.epp': '  WSGIScriptAlias <%= $key %> "<%= $value %>"\n',
    });
    const quoted = (file: string) => report.findings.filter((f) => f.file === file && f.ruleId === 'limit-request-body-default').map((f) => f.message);
    expect(quoted('_proxy.erb')).toEqual([expect.stringContaining('`WSGIScriptAlias <%= key %> "<%= value %>"`')]);
    expect(quoted('_wsgi.epp')).toEqual([expect.stringContaining('`WSGIScriptAlias <%= $key %> "<%= $value %>"`')]);
  });
});

describe('what starts uWSGI', () => {
  const INI = '[uwsgi]\nmodule = app.wsgi:application\nmaster = true\nhttp-socket = 127.0.0.1:8000\nbuffer-size = 65535\n';
  test('a systemd unit that stops uWSGI with SIGQUIT: no reload-on-SIGTERM finding; with the default SIGTERM, one that names the unit', () => {
    const quit = lintJson({ 'etc/uwsgi/app.ini': INI, 'systemd/app.service': '[Unit]\nDescription=app\n[Service]\nExecStart=/usr/bin/uwsgi --ini /etc/uwsgi/app.ini\nKillSignal=SIGQUIT\n' });
    expect(quit.findings.map((f) => f.ruleId)).not.toContain('uwsgi-sigterm-reload');
    expect(quit.files.map((f) => f.kind).sort()).toEqual(['systemd-unit', 'uwsgi-ini']);
    const term = lintJson({ 'etc/uwsgi/app.ini': INI, 'systemd/app.service': '[Service]\nExecStart=/usr/bin/uwsgi --ini /etc/uwsgi/app.ini\n' });
    expect(term.findings.find((f) => f.ruleId === 'uwsgi-sigterm-reload')?.message).toContain('KillSignal is unset in app.service');
  });

  test('a supervisor program with stopsignal=INT: no finding', () => {
    const report = lintJson({ 'app.ini': INI, 'supervisor/app.conf': '[program:app]\ncommand=uwsgi --ini /srv/app/app.ini\nstopsignal=INT\n' });
    expect(report.findings.map((f) => f.ruleId)).not.toContain('uwsgi-sigterm-reload');
  });
});

describe('a server tree and the sites it does not enable', () => {
  test('a site in sites-available that sites-enabled does not link is linted, but nothing in it is an error', () => {
    const dir = scratch({
      'apache2/apache2.conf': 'ServerRoot .\nLoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\nLoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\nListen 80\nIncludeOptional sites-enabled/*.conf\n',
      'apache2/sites-enabled/.keep': '',
      'apache2/sites-available/old.conf': '<VirtualHost *:80>\n    ServerName old.example\n    ProxyPass / http://127.0.0.1:99999/\n</VirtualHost>\n',
    });
    dirs.push(dir);
    const report = JSON.parse(runCli(['--format', 'json', 'apache2'], { cwd: dir }).stdout) as JsonReport;
    const port = report.findings.find((f) => f.ruleId === 'proxy-port-out-of-range');
    expect(port?.severity).toBe('warning');
    expect(port?.message).toContain('not enabled');
  });
});

describe('deployments', () => {
  test('two repositories in one run are not linked to each other, and the run says so', () => {
    const dir = scratch({
      'a/.git/HEAD': 'ref: refs/heads/main\n',
      'a/site.conf': '<VirtualHost *:80>\n    ServerName a.example\n    ProxyPass /api uwsgi://127.0.0.1:8000/\n</VirtualHost>\n',
      'b/.git/HEAD': 'ref: refs/heads/main\n',
      'b/app.ini': '[uwsgi]\nmodule = app.wsgi\nhttp-socket = 127.0.0.1:8000\nmaster = true\ndie-on-term = true\n',
    });
    dirs.push(dir);
    const r = runCli(['--format', 'json', '.'], { cwd: dir });
    const report = JSON.parse(r.stdout) as JsonReport;
    // linked, the uwsgi:// route to an http-socket would be a protocol mismatch
    expect(report.findings.map((f) => f.ruleId)).not.toContain('proxy-protocol-mismatch');
    expect(r.stderr).toContain('Linked as 2 separate deployments');
    // the same files in one repository are one deployment
    fs.rmSync(path.join(dir, 'b', '.git'), { recursive: true });
    fs.rmSync(path.join(dir, 'a', '.git'), { recursive: true });
    fs.mkdirSync(path.join(dir, '.git'));
    const one = JSON.parse(runCli(['--format', 'json', '.'], { cwd: dir }).stdout) as JsonReport;
    expect(one.findings.map((f) => f.ruleId)).toContain('proxy-protocol-mismatch');
  });

  test('`deployments` in the config groups files the layout does not', () => {
    const report = lintJson({
      '.deploylintrc.json': JSON.stringify({ deployments: { front: ['apache/**'], back: ['uwsgi/**'] } }),
      'apache/site.conf': '<VirtualHost *:80>\n    ServerName a.example\n    ProxyPass /api uwsgi://127.0.0.1:8000/\n</VirtualHost>\n',
      'uwsgi/app.ini': '[uwsgi]\nmodule = app.wsgi\nhttp-socket = 127.0.0.1:8000\nmaster = true\ndie-on-term = true\n',
    });
    expect(report.findings.map((f) => f.ruleId)).not.toContain('proxy-protocol-mismatch');
  });
});

test('a scope label quotes the template\'s own line, so one finding of two variants is one finding, and a section after `-%}` is at its own line', () => {
  const vhost = [
    '{% if tls %}', 'LoadModule ssl_module modules/mod_ssl.so', '{% endif %}', '{# a comment #}', '{% for x in y %}', '# {{ x }}', '{% endfor %}',
    '<VirtualHost *:80>', '    SetEnv proxy-sendcl 1', '    ProxyPass /image http://127.0.0.1:9292', '    ProxyPass /identity http://127.0.0.1:5000',
    '    {% if legacy -%}', '    <Directory /srv/www>', '        Require all granted', '        Order allow,deny', '        Allow from all', '    </Directory>', '    {% endif %}',
    '</VirtualHost>', '',
  ].join('\n');
  const report = lintJson({ 'v.conf.j2': vhost }, ['v.conf.j2']);
  const sendcl = report.findings.filter((f) => f.ruleId === 'proxy-sendcl-shared-vhost');
  // rendered, the VirtualHost opens on line 3 or 2 (the control lines are gone); in the template, on 8
  expect(sendcl).toHaveLength(1);
  expect(sendcl[0].message).toContain('<VirtualHost *:80> (v.conf.j2:8)');
  const compat = report.findings.filter((f) => f.ruleId === 'apache-access-compat-mixed');
  expect(compat.length).toBeGreaterThan(0);
  for (const f of compat) expect(f.line).toBeGreaterThanOrEqual(15);
});
