/**
 * Malformed templates never throw: each defect is one positioned problem, and the rest of the file
 * is still read.
 */
import { renderTemplate, type TemplateOptions } from '../../lib/templates';
import { violations } from './helpers';

function problems(text: string, options: TemplateOptions = {}) {
  const r = renderTemplate(text, options);
  expect(violations(r)).toEqual([]);
  return {
    r,
    list: r.problems.map((p) => {
      const { start, end } = p.location.range;
      return { id: p.ruleId, severity: p.severity, line: start.line, column: start.column, at: text.slice(start.offset, end.offset), message: p.message };
    }),
  };
}

describe('template-syntax problems', () => {
  test('unclosed {% if %} at the end of the file', () => {
    const { list, r } = problems('Listen 80\n  {% if tls %}\nSSLEngine on\n');
    expect(list).toEqual([expect.objectContaining({ id: 'template-syntax', severity: 'error', line: 2, column: 3, at: '{% if tls %}' })]);
    expect(list[0].message).toContain('not closed before the end of the file');
    expect(r.variants.map((v) => v.text).sort()).toEqual(['Listen 80\n  ', 'Listen 80\n  SSLEngine on\n']);
  });

  test('stray {% endif %} and {% else %}', () => {
    const { list } = problems('A\n{% endif %}\nB {% else %}\n');
    expect(list.map((p) => [p.line, p.column, p.at])).toEqual([[2, 1, '{% endif %}'], [3, 3, '{% else %}']]);
    expect(list[0].message).toContain('closes no open block');
    expect(list[1].message).toContain('outside any if');
  });

  test('mismatched closer: the inner block is reported unclosed, the outer one closes', () => {
    const { list, r } = problems('{% for p in ps %}\n{% if a %}\nX\n{% endfor %}\nY\n');
    expect(list.map((p) => [p.line, p.at])).toEqual([[2, '{% if a %}']]);
    for (const v of r.variants) expect(v.text).toContain('Y');
  });

  test('elif in a for loop, else after else', () => {
    const { list } = problems('{% for p in ps %}{% elif x %}{% endfor %}{% if a %}A{% else %}B{% else %}C{% endif %}');
    expect(list.map((p) => p.at)).toEqual(['{% elif x %}', '{% else %}']);
    expect(list[1].message).toContain('after the else branch');
  });

  test('unclosed {{, {%, {# and <% : the rest of the line is one value, the next lines are read', () => {
    const { list, r } = problems('Listen {{ port\nServerName x\n', { fileName: 'a.conf.j2' });
    expect(list).toEqual([expect.objectContaining({ id: 'template-syntax', line: 1, column: 8, at: '{{' })]);
    expect(r.variants[0].text).toBe('Listen ___port\nServerName x\n');
    expect(problems('{% if a\nX\n', { engines: ['jinja2'] }).list.map((p) => p.at)).toEqual(['{%']);
    expect(problems('{# note\nX\n', { engines: ['jinja2'] }).list.map((p) => p.at)).toEqual(['{#']);
    expect(problems('A <%= @x\nB\n', { engines: ['erb'] }).list.map((p) => p.at)).toEqual(['<%']);
    expect(problems('{{/* licence\nB\n', { engines: ['go-template'] }).list.map((p) => p.at)).toEqual(['{{/*']);
    expect(problems('{% raw %}X\n', { engines: ['jinja2'] }).list.map((p) => p.at)).toEqual(['{% raw %}']);
  });

  test('ERB: a stray %> (a missing <%=) is a warning; LogFormat %>s is not', () => {
    const text = "<% if @x -%>\nOIDCCacheShmMax scope['apache::x'] %>\nLogFormat \"%h %>s %b\" common\n<% end -%>\n";
    const { list } = problems(text);
    expect(list).toEqual([expect.objectContaining({ id: 'template-syntax', severity: 'warning', line: 2, at: '%>' })]);
  });

  test('ERB and EPP: unclosed blocks, stray end and }', () => {
    expect(problems('<% if @a -%>\nX\n').list.map((p) => [p.line, p.at])).toEqual([[1, '<% if @a -%>']]);
    expect(problems('X\n<% end -%>\n', { engines: ['erb'] }).list.map((p) => [p.line, p.at])).toEqual([[2, '<% end -%>']]);
    expect(problems('X\n<% } -%>\n', { engines: ['epp'] }).list.map((p) => [p.line, p.at])).toEqual([[2, '<% } -%>']]);
  });

  test('Helm: unclosed if and stray end', () => {
    expect(problems('{{ if .a }}\nX\n').list.map((p) => p.at)).toEqual(['{{ if .a }}']);
    expect(problems('X\n{{ end }}\n{{ .Values.x }}\n').list.map((p) => p.at)).toEqual(['{{ end }}']);
  });

  test('problems follow httpd line counting for Apache (LF only) and editor counting otherwise', () => {
    const text = 'A\rB\n{% endif %}\n';
    expect(problems(text, { target: 'apache' }).list[0].line).toBe(2);
    expect(problems(text, { target: 'uwsgi-ini' }).list[0].line).toBe(3);
  });

  test('problems carry the file name given', () => {
    const r = renderTemplate('{% endif %}', { file: 'roles/x/templates/a.conf.j2' });
    expect(r.problems[0].location.file).toBe('roles/x/templates/a.conf.j2');
  });

  test('extends is noted', () => {
    expect(problems('{% extends "base.j2" %}{% block a %}X{% endblock %}').list.map((p) => [p.id, p.severity])).toEqual([['template-unsupported', 'info']]);
  });
});

test('stray closers under a deep stack of open blocks stay linear', () => {
  const n = 50000;
  const t0 = Date.now();
  const r = renderTemplate('{% with x = 1 %}'.repeat(n) + '{% endfor %}'.repeat(n) + '<% if @a %>'.repeat(n) + '{{ end }}'.repeat(n), { engines: ['jinja2', 'erb'] });
  expect(Date.now() - t0).toBeLessThan(10000);
  expect(r.problems).toHaveLength(101);
  expect(r.problems[100].message).toMatch(/^\d+ more template problems not listed$/);
});

test('a very long elif chain stays linear', () => {
  const n = 20000;
  const t0 = Date.now();
  const r = renderTemplate('{% if c0 %}A' + Array.from({ length: n }, (_, i) => `{% elif c${i + 1} %}B${i}`).join('') + '{% else %}E{% endif %}', { engines: ['jinja2'] });
  expect(Date.now() - t0).toBeLessThan(10000);
  expect(r.variants).toHaveLength(8);
  expect(r.coverage).toMatchObject({ alternatives: n + 2, covered: 8, capped: true });
});

test('garbage of every delimiter never throws and keeps every invariant', () => {
  const pieces = ['{{', '}}', '{%', '%}', '{#', '#}', '<%', '%>', '<%%', '-%>', '<%-', '{%-', '-%}', '{% if a %}', '{% else %}', '{% endif %}',
    '{% for x in y %}', '{% endfor %}', '{{ end }}', '{{ if .x }}', '<% end %>', '<% } %>', '<% if @a { %>', '%FOO%', '@x@', '${V}', '\n', ' ', 'X', '"', "'"];
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 2000; i++) {
    const text = Array.from({ length: 1 + rand(30) }, () => pieces[rand(pieces.length)]).join('');
    for (const engines of [undefined, ['jinja2'], ['go-template'], ['erb'], ['epp'], ['devstack', 'autoconf', 'shell']] as const) {
      const r = renderTemplate(text, { target: 'uwsgi-ini', engines: engines as never });
      const v = violations(r);
      if (v.length) throw new Error(`${JSON.stringify(text)} ${JSON.stringify(engines)}: ${v.join('; ')}`);
    }
  }
});
