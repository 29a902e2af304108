/**
 * Rendering: control blocks are alternatives, loops render once, definitions render nothing,
 * expressions become one opaque word, positions map back to the template.
 */
import { renderTemplate, templatedSpansIn, type TemplateResult } from '../../lib/templates';
import { fixture, render, variantWith, violations } from './helpers';

const texts = (r: TemplateResult) => r.variants.map((v) => v.text);
const noBoth = (r: TemplateResult, a: string, b: string) => {
  for (const t of texts(r)) expect(t.includes(a) && t.includes(b)).toBe(false);
};
const ok = (r: TemplateResult) => expect(violations(r)).toEqual([]);

describe('if/else are alternatives', () => {
  test('if/else: never both, each once', () => {
    const r = render('A\n{% if a %}\nX\n{% else %}\nY\n{% endif %}\nB\n');
    ok(r);
    noBoth(r, 'X', 'Y');
    expect(texts(r).sort()).toEqual(['A\nX\nB\n', 'A\nY\nB\n']);
    expect(r.coverage).toEqual({ alternatives: 2, covered: 2, capped: false, unreachable: 0 });
  });

  test('if without else also renders without its body', () => {
    const r = render('{% if a %}X{% endif %}');
    expect(texts(r).sort()).toEqual(['', 'X']);
  });

  test('elif chains: one branch per variant, all covered', () => {
    const r = render('{% if a %}A{% elif b %}B{% elif c %}C{% else %}D{% endif %}');
    ok(r);
    expect(texts(r).sort()).toEqual(['A', 'B', 'C', 'D']);
  });

  test('nested ifs: every branch covered, never two siblings', () => {
    const r = render(fixture('kolla-vhost.conf.j2'), { target: 'apache' });
    ok(r);
    noBoth(r, 'lib64/httpd/modules/mod_ssl.so', 'lib/apache2/modules/mod_ssl.so');
    expect(variantWith(r, ['lib64/httpd/modules/mod_ssl.so'])).toBeGreaterThanOrEqual(0);
    expect(variantWith(r, ['/usr/lib/apache2/modules/mod_ssl.so'])).toBeGreaterThanOrEqual(0);
    expect(variantWith(r, [], ['LoadModule'])).toBeGreaterThanOrEqual(0);
    expect(r.coverage.covered).toBe(r.coverage.alternatives);
  });

  test('the same condition takes the same branch everywhere in a variant', () => {
    const r = render(fixture('kolla-vhost.conf.j2'), { target: 'apache' });
    for (const t of texts(r)) expect(t.includes('LoadModule ssl_module')).toBe(t.includes('SSLEngine On'));
  });

  test('a negated condition takes the other branch', () => {
    const r = render('{% if tls %}T{% endif %}{% if not tls %}P{% endif %}<% unless @x %>U<% end %><% if @x %>I<% end %>');
    ok(r);
    for (const t of texts(r)) {
      expect(t.includes('T')).toBe(!t.includes('P'));
      expect(t.includes('I')).toBe(!t.includes('U'));
    }
  });

  test('a condition keeps its value across a chain and a later if', () => {
    const r = render('{% if a %}X{% elif b %}Y{% endif %}|{% if b %}Z{% endif %}|{% if a %}A{% endif %}|<% if @c -%>C<% elsif @d -%>D<% end -%><% unless @d %>N<% end %>');
    ok(r);
    for (const t of texts(r)) {
      if (t.includes('Y')) expect(t).toContain('Z');
      expect(t.includes('X')).toBe(t.includes('A'));
      if (t.includes('D')) expect(t).not.toContain('N');
    }
    expect(r.coverage.covered).toBe(r.coverage.alternatives);
  });

  test('Go with is decided with the if on the same value', () => {
    const r = render('{{ if .x }}I{{ end }}{{ with .x }}W{{ end }}', { engines: ['go-template'] });
    for (const t of texts(r)) expect(t.includes('I')).toBe(t.includes('W'));
  });

  test('contradictory nesting is reported as unreachable, not as a cut', () => {
    const r = render('{% if a %}{% if a %}X{% else %}Y{% endif %}{% endif %}');
    ok(r);
    expect(texts(r).some((t) => t.includes('Y'))).toBe(false);
    expect(r.coverage).toMatchObject({ capped: false, unreachable: 1 });
    expect(r.problems).toEqual([]);
  });

  test('alternative <VirtualHost> openings give one well-formed vhost per variant', () => {
    const r = render(fixture('alt-vhost.conf.j2'), { target: 'apache' });
    ok(r);
    expect(r.variants).toHaveLength(3);
    for (const t of texts(r)) expect(t.match(/<VirtualHost/g)).toHaveLength(1);
  });

  test('ERB if/elsif/else/end', () => {
    const r = render(fixture('puppet-proxy.conf.erb'), { target: 'apache' });
    ok(r);
    for (const t of texts(r)) expect([/SSLEngine on/, /SSLProxyEngine on/, /SSLEngine off/].filter((re) => re.test(t))).toHaveLength(1);
    expect(variantWith(r, ['SSLProxyEngine on'])).toBeGreaterThanOrEqual(0);
    expect(variantWith(r, ['SSLEngine off'])).toBeGreaterThanOrEqual(0);
  });

  test('EPP if/elsif/else and case', () => {
    const r = render(fixture('wsgi.conf.epp'), { target: 'apache' });
    ok(r);
    expect(r.engines).toEqual(['epp']);
    for (const t of texts(r)) {
      expect(t.match(/WSGIDaemonProcess|# no daemon process/g)).toHaveLength(1);
      expect((t.match(/WSGIProcessGroup (daemon|embedded)/g) ?? []).length).toBeLessThanOrEqual(1);
    }
    expect(variantWith(r, ['WSGIProcessGroup daemon'])).toBeGreaterThanOrEqual(0);
    expect(variantWith(r, ['WSGIProcessGroup embedded'])).toBeGreaterThanOrEqual(0);
    expect(variantWith(r, ['# no daemon process'])).toBeGreaterThanOrEqual(0);
  });

  test('Ruby case/when/else', () => {
    const r = render('<% case @mode -%>\n<% when "a" -%>\nA\n<% when "b" -%>\nB\n<% else -%>\nC\n<% end -%>\n');
    ok(r);
    expect(texts(r).sort()).toEqual(['A\n', 'B\n', 'C\n']);
  });

  test('Helm if/else/end and range', () => {
    const r = render(fixture('helm-wsgi.conf.tpl'), { target: 'apache' });
    ok(r);
    expect(r.engines).toEqual(['go-template']);
    noBoth(r, 'mod_ssl.so', 'mod_headers.so');
    for (const t of texts(r)) {
      expect(t.match(/<VirtualHost/g)).toHaveLength(1);
      expect(t).not.toContain('Listen 9999'); // {{ define }} renders nothing in place
      expect(t).not.toContain('Licensed'); // {{/* */}} comment
    }
  });

  test('Helm else if and with/else', () => {
    const r = render('{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}|{{ with .x }}W{{ else }}N{{ end }}', { engines: ['go-template'] });
    ok(r);
    for (const t of texts(r)) expect(t.match(/[ABC]/g)).toHaveLength(1);
    expect(new Set(texts(r).map((t) => t.split('|')[0]))).toEqual(new Set(['A', 'B', 'C']));
  });
});

describe('loops, blocks and definitions', () => {
  test('a for loop renders its body once; a VirtualHost in it stays one vhost', () => {
    const r = render('{% for ep in endpoints %}\n<VirtualHost {{ ep.addr }}:443>\n  ServerName {{ ep.name }}\n</VirtualHost>\n{% endfor %}\n');
    ok(r);
    expect(r.variants).toHaveLength(1);
    expect(r.variants[0].text.match(/<VirtualHost/g)).toHaveLength(1);
  });

  test('for/else: the body and the else are alternatives', () => {
    const r = render('{% for p in ports %}Listen {{ p }}\n{% else %}Listen 80\n{% endfor %}');
    ok(r);
    noBoth(r, 'Listen ___p___', 'Listen 80');
    expect(r.variants).toHaveLength(2);
  });

  test('ERB each-do and EPP each blocks render once', () => {
    const r = render('<% @ports.each do |p| -%>\nListen <%= p %>\n<% end -%>\n<% $vhosts.each |$k, $v| { -%>\nServerAlias <%= $k %>\n<% } -%>\n');
    ok(r);
    expect(r.variants).toHaveLength(1);
    expect(r.variants[0].text.match(/Listen/g)).toHaveLength(1);
    expect(r.variants[0].text.match(/ServerAlias/g)).toHaveLength(1);
  });

  test('block, with, filter render in place; macro, set-block and call render nothing', () => {
    const text = [
      '{% block main %}B{% endblock %}', '{% with x = 1 %}W{% endwith %}', '{% filter upper %}F{% endfilter %}',
      '{% macro m(a) %}M{% endmacro %}', '{% set s %}S{% endset %}', '{% call m(1) %}C{% endcall %}', '{% set v = 2 %}V',
    ].join('');
    const r = render(text);
    ok(r);
    expect(texts(r)).toEqual(['BWFV']);
  });

  test('raw blocks are literal text', () => {
    const r = render('{% raw %}Header set X "{{ not a var }}"{% endraw +%}\nListen {{ port }}\n');
    ok(r);
    expect(r.variants[0].text).toBe('Header set X "{{ not a var }}"\nListen ___port___\n');
    expect(r.spans.map((s) => s.markup)).toEqual(['{{ port }}']);
  });

  test('include is one opaque value, noted', () => {
    const r = render('<VirtualHost *:80>\n  {% include "extra.conf.j2" %}\n</VirtualHost>\n');
    ok(r);
    expect(r.spans.map((s) => s.kind)).toEqual(['include']);
    expect(r.problems.map((p) => [p.ruleId, p.severity, p.location.range.start.line])).toEqual([['template-include', 'info', 2]]);
    // the newline after it stays (trim_blocks or not): the unknown included text stands for its own last newline
    expect(r.variants[0].text).toBe('<VirtualHost *:80>\n  #__include__extra_conf_j2____\n</VirtualHost>\n');
  });
});

describe('expressions are one opaque word', () => {
  test('WSGIScriptAlias keeps its literal tail and knows its templated part', () => {
    const text = 'WSGIScriptAlias / {{ wsgi_directory }}/nova-metadata-wsgi\n';
    const r = render(text);
    const v = r.variants[0];
    expect(v.text).toBe('WSGIScriptAlias / ___wsgi_directory___/nova-metadata-wsgi\n');
    const start = text.indexOf('{{');
    const end = text.indexOf('\n');
    const parts = v.parts(start, end);
    expect(parts.map((p) => [p.templated, p.templated ? p.span!.markup : p.text])).toEqual([
      [true, '{{ wsgi_directory }}'],
      [false, '/nova-metadata-wsgi'],
    ]);
    expect(v.isTemplated(text.indexOf('/nova'), end)).toBe(false);
    expect(templatedSpansIn(r.spans, start, end).map((s) => s.markup)).toEqual(['{{ wsgi_directory }}']);
  });

  test('placeholders keep the width and contain no quote, space or config punctuation', () => {
    const r = render('X "{{ a | default(\'b c\') }}" <%= join(@o, " ") %> %SSL_FILE% @x_y@\n', { engines: ['jinja2', 'erb', 'devstack', 'autoconf'] });
    const v = r.variants[0];
    expect(v.text).toHaveLength(r.source.length);
    for (const s of v.spans) expect(v.text.slice(s.renderedStart, s.renderedEnd)).toMatch(/^[A-Za-z0-9_]+$/);
  });

  test('an expression alone on its line becomes a comment line; inside a continued line it stays a word', () => {
    const r = render('    %SSLENGINE%\nWSGIDaemonProcess x \\\n    %VIRTUALENV%\n', { target: 'apache' });
    const v = r.variants[0];
    expect(v.text).toBe('    #SSLENGINE_\nWSGIDaemonProcess x \\\n    _VIRTUALENV_\n');
    expect(v.spans.map((s) => s.standalone)).toEqual([true, true]);
    const w = render('    %SSLENGINE%\n', { standaloneExpressions: 'word' });
    expect(w.variants[0].text).toBe('    _SSLENGINE_\n');
  });

  test('a multi-line expression is one word on one line', () => {
    const r = render('Listen {{ a\n  | b }}:80\n');
    expect(r.variants[0].text).toBe('Listen ___a_____b___:80\n');
  });

  test('devstack placeholders sit next to real % syntax', () => {
    const r = render(fixture('apache-api.template'), { target: 'apache' });
    ok(r);
    expect(r.spans.map((s) => s.markup)).toEqual([
      '%PUBLICPORT%', '%PUBLICPORT%', '%APIWORKERS%', '%USER%', '%VIRTUALENV%', '%SVC_BIN_DIR%', '%APACHE_NAME%', '%APACHE_NAME%', '%SSLENGINE%', '%SSLCERTFILE%',
    ]);
    expect(r.variants[0].text).toContain('display-name=%{GROUP} _VIRTUALENV_');
    expect(r.variants[0].text).toContain('access.%Y%m%d%H.log');
  });

  test('adjacent placeholders are each one', () => {
    expect(render('%PORT%%HOST% @x@@y@ {{ a }}{{ b }}').spans.map((x) => x.markup)).toEqual(['%PORT%', '%HOST%', '@x@', '@y@', '{{ a }}', '{{ b }}']);
  });

  test('autoconf placeholders, e-mail and mod_macro left alone', () => {
    const r = render(fixture('app.conf.in'), { target: 'apache' });
    expect(r.spans.map((s) => s.markup)).toEqual(['@HTTPD_USER@', '@SYSCONFDIR@', '@@ServerRoot@@']);
  });

  test('shell ${VAR} in a uWSGI ini, except routing variables', () => {
    const r = render(fixture('uwsgi-shell.ini'), { target: 'uwsgi-ini' });
    expect(r.engines).toEqual(['shell']);
    expect(r.spans.map((s) => s.markup)).toEqual(['${SOCKET_DIR}']);
  });
});

describe('whitespace control', () => {
  test('Ansible defaults: trim_blocks removes the newline after a block tag', () => {
    expect(render('a\n{% if x %}\nb\n{% endif %}\nc\n').variants[0].text).toBe('a\nb\nc\n');
    expect(render('a\n{% if x %}\nb\n{% endif %}\nc\n', { trimBlocks: false }).variants[0].text).toBe('a\n\nb\n\nc\n');
  });

  test('lstrip_blocks removes the indentation of a block tag', () => {
    expect(render('  {% if x %}\nb\n  {% endif %}\n', { lstripBlocks: true }).variants[0].text).toBe('b\n');
    expect(render('  {% if x %}\nb\n  {% endif %}\n').variants[0].text).toBe('  b\n  ');
  });

  test('{%- and -%} remove all whitespace on their side', () => {
    expect(render('a  \n\n  {%- if x -%}  \n\n b{% endif %}').variants[0].text).toBe('ab');
    expect(render('Listen {{- port -}} \n:80').variants[0].text).toBe('Listen____port____:80');
  });

  test('ERB -%> joins the next line; <%- removes the indentation', () => {
    const r = render('  ProxyPass / <%= @url -%>\n  <%- if @p -%> retry=0\n<%- end %>\n', { engines: ['erb'] });
    const full = r.variants.find((v) => v.text.includes('retry'))!;
    expect(full.text).toBe('  ProxyPass / _____url____ retry=0\n\n');
  });

  test('ERB <%% is a literal <%', () => {
    const r = render(fixture('puppet-proxy.conf.erb'), { target: 'apache' });
    expect(r.variants[0].text).toContain('Header set X-Literal "<%= not a tag %>"');
    expect(r.problems).toEqual([]);
    const v = r.variants[0];
    const at = v.text.indexOf('<%= not');
    expect(r.source.slice(v.sourceOffset(at), v.sourceOffset(at) + 4)).toBe('<%%=');
    expect(r.source.charAt(v.sourceOffset(at + 2))).toBe('=');
  });

  test('Helm {{- trims the preceding newlines', () => {
    const r = render('A\n\n{{- if .x }}\nB\n{{- end }}\n', { engines: ['go-template'] });
    expect(texts(r).sort()).toEqual(['A\n', 'A\nB\n']);
  });
});

describe('positions map back to the template', () => {
  test('offsets, ranges and locations', () => {
    const text = '{% if a %}\nLoadModule x a.so\n{% else %}\nLoadModule x b.so\n{% endif %}\nListen {{ p }}\n';
    const r = render(text, { file: 't.conf.j2', target: 'apache' });
    for (const v of r.variants) {
      const at = v.text.indexOf('LoadModule');
      const src = v.sourceOffset(at);
      expect(text.slice(src, src + 10)).toBe('LoadModule');
      const end = at + 'LoadModule x a.so'.length;
      const range = v.sourceRange(at, end);
      expect(text.slice(range.start, range.end)).toMatch(/^LoadModule x [ab]\.so$/);
      const loc = v.mapLocation({ file: 'ignored', range: { start: { line: 1, column: 1, offset: at }, end: { line: 1, column: 1, offset: end } } }, 't.conf.j2');
      expect(loc.range.start.line).toBe(text.slice(0, src).split('\n').length);
      expect(loc.range.start.column).toBe(1);
      const listen = v.text.indexOf('Listen');
      expect(v.mapLocation({ file: 'x', range: { start: { line: 9, column: 9, offset: listen }, end: { line: 9, column: 9, offset: listen } } }).range.start.line).toBe(6);
    }
  });

  test('end of text maps to end of source', () => {
    const r = render('X{% if a %}{% endif %}');
    for (const v of r.variants) {
      expect(v.sourceOffset(v.text.length)).toBe(r.source.length);
      expect(v.sourceRange(0, v.text.length)).toEqual({ start: 0, end: 1 });
    }
  });

  test('choices say which branch a variant took', () => {
    const r = render('{% if a %}A{% else %}B{% endif %}');
    const b = r.variants.find((v) => v.text === 'B')!;
    expect(b.choices).toEqual([{ start: 0, end: 10, opening: '{% if a %}', alternative: 1, alternatives: 2, branchTag: { start: 11, end: 21, text: '{% else %}' } }]);
  });
});

describe('bounds', () => {
  test('the variant bound is respected and a cut is reported at the first branch left out', () => {
    const text = '{% if a %}A{% elif b %}B{% elif c %}C{% elif d %}D{% else %}E{% endif %}';
    const r = render(text, { maxVariants: 3 });
    ok(r);
    expect(r.variants).toHaveLength(3);
    expect(r.coverage).toMatchObject({ alternatives: 5, covered: 3, capped: true });
    const cut = r.problems.find((p) => p.ruleId === 'template-variants-capped')!;
    expect(cut.severity).toBe('info');
    expect(text.slice(cut.location.range.start.offset, cut.location.range.end.offset)).toBe('{% elif d %}');
  });

  test('independent ifs need only as many variants as the widest choice', () => {
    const r = render(Array.from({ length: 50 }, (_, i) => `{% if c${i} %}A${i}{% else %}B${i}{% endif %}\n`).join(''));
    ok(r);
    expect(r.variants).toHaveLength(2);
    expect(r.coverage.covered).toBe(100);
  });

  test('maxVariants 1 gives one variant', () => {
    expect(render('{% if a %}A{% else %}B{% endif %}', { maxVariants: 1 }).variants).toHaveLength(1);
  });

  test('deep nesting is bounded and does not overflow the stack', () => {
    const depth = 5000;
    const r = render('{% if a %}'.repeat(depth) + 'X' + '{% endif %}'.repeat(depth));
    expect(r.problems.map((p) => p.ruleId)).toContain('template-unsupported');
    expect(violations(r)).toEqual([]);
    const epp = render("<% case $a { %><% 'x': { %>".repeat(depth) + 'X' + '<% } %><% } %>'.repeat(depth), { engines: ['epp'] });
    expect(violations(epp)).toEqual([]);
    expect(epp.variants[0].text).toBe('X');
  });
});

test('a text without markup is its own single variant', () => {
  const text = 'Listen 80\n<VirtualHost *:80>\n</VirtualHost>\n';
  const r = renderTemplate(text, { target: 'apache' });
  expect(r).toMatchObject({ isTemplate: false, engines: [], spans: [], problems: [] });
  expect(r.variants.map((v) => v.text)).toEqual([text]);
  expect(r.variants[0].sourceOffset(5)).toBe(5);
});
