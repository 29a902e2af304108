/**
 * Detection: each engine is found from well-formed markup, and real config syntax that looks like
 * markup is not taken for it.
 */
import { detectTemplateEngines, renderTemplate, type TemplateTarget } from '../../lib/templates';
import { fixture } from './helpers';

const engines = (text: string, target: TemplateTarget = 'unknown', fileName?: string) => detectTemplateEngines(text, { target, fileName }).engines;

describe('each engine is detected', () => {
  test.each([
    ['Jinja2 expression', 'WSGIScriptAlias / {{ wsgi_directory }}/nova-metadata-wsgi\n', ['jinja2']],
    ['Jinja2 statement', '{% if tls %}\nSSLEngine on\n{% endif %}\n', ['jinja2']],
    ['Jinja2 whitespace control', '{%- if tls -%}\nSSLEngine on\n{%- endif %}\n', ['jinja2']],
    ['Jinja2 comment', '{# managed by ansible #}\nListen 80\n', ['jinja2']],
    ['Helm value', 'Listen {{ .Values.port }}\n', ['go-template']],
    ['Helm control', '{{- if .Values.tls }}\nSSLEngine on\n{{- end }}\n', ['go-template']],
    ['Helm comment', '{{/* licence */}}\nListen 80\n', ['go-template']],
    ['Helm variable', 'Listen {{ $portInt }}\n', ['go-template']],
    ['ERB output', '  WSGIDaemonProcess <%= @name %> processes=<%= @processes %>\n', ['erb']],
    ['ERB control', '<% if @ssl -%>\n  SSLEngine on\n<% end -%>\n', ['erb']],
    ['ERB comment', '<%# nothing %>\nListen 80\n', ['erb']],
    ['EPP', '<% if $ssl { -%>\n  SSLEngine on\n<% } -%>\n', ['epp']],
    ['devstack', 'Listen %PUBLICPORT%\n', ['devstack']],
    ['autoconf', 'User @HTTPD_USER@\n', ['autoconf']],
    ['autoconf double', 'ServerRoot "@@ServerRoot@@"\n', ['autoconf']],
    ['autoconf lower case', 'PidFile @rel_runtimedir@/httpd.pid\n', ['autoconf']],
  ])('%s', (_name, text, expected) => {
    expect(engines(text)).toEqual(expected);
  });

  test('shell ${VAR} is markup in a uWSGI ini only', () => {
    const ini = '[uwsgi]\nsocket = ${SOCKET_DIR}/app.sock\n';
    expect(engines(ini, 'uwsgi-ini')).toEqual(['shell']);
    expect(engines(ini, 'apache')).toEqual([]);
    expect(engines(ini, 'unknown')).toEqual([]);
    expect(engines('ErrorLog ${APACHE_LOG_DIR}/error.log\n', 'apache')).toEqual([]);
  });

  test('several engines in one file, with the first evidence of each', () => {
    const text = 'Listen %PORT%\nServerName {{ name }}\nUser @USER@\n';
    const d = detectTemplateEngines(text);
    expect(d.engines).toEqual(['jinja2', 'devstack', 'autoconf']);
    expect(d.evidence.map((e) => text.slice(e.start, e.end))).toEqual(['%PORT%', '{{ name }}', '@USER@']);
  });

  test('the file extension makes an engine certain even without well-formed markup', () => {
    const r = renderTemplate('Listen {{ port\n', { fileName: 'x.conf.j2', target: 'apache' });
    expect(r.engines).toEqual(['jinja2']);
    expect(r.problems.map((p) => p.ruleId)).toEqual(['template-syntax']);
    expect(renderTemplate('Listen {{ port\n', { target: 'apache' }).engines).toEqual([]);
  });
});

describe('real config syntax is not template markup', () => {
  test.each([
    ['uWSGI placeholders and magic variables', '[uwsgi]\nchdir = %(base)\nhome = %d\npidfile = %d/run/%n.pid\nprocesses = %k\nprocname = %V-%%-%h\n'],
    ['uWSGI environment and file includes', '[uwsgi]\nhttp-socket = :$(PORT)\nlogto = @(/etc/app/logfile)\n'],
    ['uWSGI routing variables', '[uwsgi]\nroute = ^/old rewrite:/new?${QUERY_STRING}\nroute-if = equal:${uwsgi[status]};404 log:${REMOTE_ADDR}\nfinal-route-run = log:${HTTP_HOST}\n'],
    ['uWSGI log-format', '[uwsgi]\nlog-format = %(addr) - %(user) [%(ltime)] "%(method) %(uri)" %(status)\n'],
  ])('%s (uwsgi-ini)', (_name, text) => {
    expect(engines(text, 'uwsgi-ini')).toEqual([]);
  });

  test.each([
    ['httpd variables', 'ErrorLog ${APACHE_LOG_DIR}/error.log\nDefine X 1\nDocumentRoot ${X}/www\n'],
    ['RewriteCond server variables', 'RewriteCond %{HTTP_HOST} ^www\\.(.+)$ [NC]\nRewriteRule ^(.*)$ https://%1$1 [R=301,L]\n'],
    ['an ap_expr variable in braces', 'RewriteRule ^ - [E=ORIG:{%{HTTP_HOST}}]\n'],
    ['LogFormat', 'LogFormat "%h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\"" combined\nLogFormat "%a%D%T" t\n'],
    ['ErrorLogFormat', 'ErrorLogFormat "[%{u}t] [%-m:%l] [pid %P:tid %T] %7F: %E: %M% ,\\ referer\\ %{Referer}i"\n'],
    ['rotatelogs strftime', 'CustomLog "|/usr/bin/rotatelogs /var/log/access.%Y%m%d%H%M.log 86400" combined\n'],
    ['URL-encoded bytes', 'RewriteRule ^/a%2Fb%C3%A9%E2%80%99(.*)$ /x [NE]\n'],
    ['e-mail addresses', 'ServerAdmin root@localhost\nSetEnvIf Request_URI "^/mail/user@host@example" m\n'],
    ['mod_macro parameters', '<Macro Site $domain @port %root>\n  <VirtualHost *:@port>\n    ServerName $domain\n    DocumentRoot %root/www\n  </VirtualHost>\n</Macro>\n'],
    ['mod_wsgi %{GLOBAL} and %{GROUP}', 'WSGIApplicationGroup %{GLOBAL}\nWSGIDaemonProcess app display-name=%{GROUP}\n'],
    ['regex quantifiers and braces', 'RewriteRule ^/[0-9]{2,4}/(.*)$ /y/$1\nHeader set CSP "script-src \'sha256-{abc}\'"\n'],
    ['SSI comment', '<!--#echo var="DATE_LOCAL" -->\n'],
    ['a lone %> (LogFormat status)', 'LogFormat "%>s %<s"\n'],
  ])('%s (apache)', (_name, text) => {
    expect(engines(text, 'apache')).toEqual([]);
  });

  test('the trap fixtures detect nothing and render to themselves', () => {
    for (const [name, target] of [['plain-traps.conf', 'apache'], ['plain-traps.ini', 'uwsgi-ini']] as const) {
      const text = fixture(name);
      expect(engines(text, target)).toEqual([]);
      const r = renderTemplate(text, { target, fileName: name });
      expect(r.isTemplate).toBe(false);
      expect(r.variants).toHaveLength(1);
      expect(r.variants[0].text).toBe(text);
    }
  });

  test('malformed-looking markup is not evidence when the engine is not certain', () => {
    expect(engines('Header set X "{{ unclosed"\n', 'apache')).toEqual([]);
    expect(engines('Header set X "{%{REQUEST_URI}e}"\n', 'apache')).toEqual([]);
    expect(engines('Header set X "<%a%>"\n', 'apache')).toEqual([]);
    expect(engines('Header set X "<%%"\n', 'apache')).toEqual([]);
  });
});

describe('detection is linear', () => {
  test('many unclosed openers of every kind', () => {
    const text = '{{ a {% b {# c <%= d %X @y ${z '.repeat(40000);
    const t0 = Date.now();
    detectTemplateEngines(text, { target: 'uwsgi-ini' });
    renderTemplate(text, { target: 'uwsgi-ini', engines: ['jinja2', 'erb', 'devstack', 'autoconf', 'shell'] });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
