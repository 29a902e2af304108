/**
 * The layer in front of the real parsers, as the Apache and uWSGI integration will use it: parse
 * each variant's text, map every location back to the template, ask the spans which values are
 * templated. The parsers are used as they are.
 */
import * as path from 'path';
import { parseApacheConfig, type ApacheDirectiveNode, type ApacheSyntaxNode } from '../../lib/parsers/apache';
import { resolveApacheConfig } from '../../lib/resolve/apache';
import { parseUwsgiIni, type UwsgiIniEntry } from '../../lib/parsers/uwsgi-ini';
import { resolveUwsgiIni } from '../../lib/resolve/uwsgi-ini';
import type { Finding } from '../../lib/core/finding';
import { dedupeFindings, renderTemplate, TemplatedFiles, templatedSpansIn } from '../../lib/templates';
import { FIXTURES, fixture } from './helpers';

const at = (name: string) => path.join(FIXTURES, name);

function directives(nodes: ApacheSyntaxNode[], out: ApacheDirectiveNode[] = []): ApacheDirectiveNode[] {
  for (const n of nodes) {
    if (n.kind === 'directive') out.push(n);
    else if (n.kind === 'section') directives(n.children, out);
  }
  return out;
}

test('alternative LoadModule lines are no longer "already loaded"', () => {
  const name = 'kolla-vhost.conf.j2';
  const text = fixture(name);
  const raw = resolveApacheConfig(at(name), { text, checkHostFiles: false });
  expect(raw.findings.map((f) => f.ruleId)).toContain('apache-module-already-loaded');
  const r = renderTemplate(text, { target: 'apache', fileName: name });
  for (const v of r.variants) {
    const res = resolveApacheConfig(at(name), { text: v.text, checkHostFiles: false });
    expect(res.findings.map((f) => f.ruleId)).not.toContain('apache-module-already-loaded');
    expect(res.findings.map((f) => f.ruleId)).not.toContain('template-placeholder');
  }
});

test('alternative <VirtualHost> openings are no longer a syntax error', () => {
  const name = 'alt-vhost.conf.j2';
  const text = fixture(name);
  expect(parseApacheConfig(text, name).findings.map((f) => f.ruleId)).toContain('syntax-error');
  const r = renderTemplate(text, { target: 'apache', fileName: name });
  const ports = r.variants.map((v) => {
    const doc = parseApacheConfig(v.text, name);
    expect(doc.findings).toEqual([]);
    const vhosts = doc.nodes.filter((n) => n.kind === 'section');
    expect(vhosts).toHaveLength(1);
    return vhosts[0].kind === 'section' ? vhosts[0].open.args[0].value : '';
  });
  expect(ports.sort()).toEqual(['*:443', '*:80', '*:8443']);
});

test('an unquoted expression stays one argument, with its templated part and its literal tail', () => {
  const text = 'WSGIScriptAlias / {{ wsgi_directory }}/nova-metadata-wsgi\n';
  const r = renderTemplate(text, { target: 'apache' });
  const v = r.variants[0];
  const d = directives(parseApacheConfig(v.text, 'nova-metadata-wsgi.conf.j2').nodes).find((n) => n.lname === 'wsgiscriptalias')!;
  expect(d.args).toHaveLength(2);
  const arg = d.args[1];
  expect(arg.value.endsWith('/nova-metadata-wsgi')).toBe(true);
  // per argument: which parts are template markup, and the source the user wrote
  const parts = v.parts(arg.location.range.start.offset, arg.location.range.end.offset);
  expect(parts.map((p) => (p.templated ? p.span!.markup : p.text))).toEqual(['{{ wsgi_directory }}', '/nova-metadata-wsgi']);
  const loc = v.mapLocation(arg.location);
  expect(r.source.slice(loc.range.start.offset, loc.range.end.offset)).toBe('{{ wsgi_directory }}/nova-metadata-wsgi');
  expect(templatedSpansIn(r.spans, loc.range.start.offset, loc.range.end.offset)).toHaveLength(1);
});

test('a value that is only markup is known to be templated; control and comment lines are gone', () => {
  const name = 'keystone-uwsgi.ini.j2';
  const text = fixture(name);
  const r = renderTemplate(text, { target: 'uwsgi-ini', fileName: name });
  for (const v of r.variants) {
    const doc = parseUwsgiIni(v.text, name);
    const entries = doc.lines.filter((l): l is UwsgiIniEntry => l.kind === 'entry');
    for (const e of entries) expect(e.key).not.toMatch(/[{}%]/);
    const chmod = entries.find((e) => e.key === 'logfile-chmod')!;
    expect(v.isTemplated(chmod.valueRange.start.offset, chmod.valueRange.end.offset)).toBe(true);
    const mapped = v.mapRange(chmod.valueRange);
    expect([mapped.start.line, mapped.start.column]).toEqual([16, 17]);
    expect(text.slice(mapped.start.offset, mapped.end.offset)).toBe('{{ mode }}');
    // the resolver's finding on the placeholder lands on the template's own line and column
    const res = resolveUwsgiIni(at(name), { text: v.text });
    const f = res.findings.find((x) => x.ruleId === 'uwsgi-invalid-value')!;
    const back = v.mapFinding(f);
    expect([back.location.range.start.line, back.location.range.start.column]).toEqual([16, 17]);
    expect(templatedSpansIn(r.spans, back.location.range.start.offset, back.location.range.end.offset).map((s) => s.markup)).toEqual(['{{ mode }}']);
    // a line after removed control and comment lines keeps its template line number
    const threads = entries.find((e) => e.key === 'threads')!;
    expect(v.mapRange(threads.range).start.line).toBe(text.split('\n').indexOf('threads = 1') + 1);
  }
});

test('a directive after `{% if x -%}` is placed on its own line, not on the tag\'s, whose indentation it took', () => {
  const text = '<VirtualHost *:80>\n    {% if sp -%}\n    <Directory /srv/keystone>\n        Options Indexes\n    </Directory>\n    {% endif %}\n</VirtualHost>\n';
  const r = renderTemplate(text, { target: 'apache' });
  const v = r.variants.find((x) => x.text.includes('<Directory'))!;
  // the rendered line is the tag line's indentation followed by the next line's text
  expect(v.text).toContain('    <Directory /srv/keystone>');
  const vhost = parseApacheConfig(v.text, 'k.conf.j2').nodes.find((n) => n.kind === 'section');
  const dir = vhost?.kind === 'section' ? vhost.children.find((n) => n.kind === 'section') : undefined;
  if (dir?.kind !== 'section') throw new Error('no <Directory> section parsed');
  const mapped = v.mapRange(dir.open.location.range);
  expect([mapped.start.line, mapped.start.column]).toEqual([3, 1]);
  expect(text.slice(mapped.start.offset, mapped.start.offset + 14)).toBe('    <Directory');
  // a range that does not start with blanks maps as before
  const opts = v.text.indexOf('Options');
  expect(v.mapRange({ start: { line: 1, column: 1, offset: opts }, end: { line: 1, column: 1, offset: opts + 7 } }).start.line).toBe(4);
});

test('ERB and EPP control lines are no longer unknown directives', () => {
  for (const name of ['puppet-proxy.conf.erb', 'wsgi.conf.epp']) {
    const text = fixture(name);
    const raw = resolveApacheConfig(at(name), { text, checkHostFiles: false }).findings.map((f) => f.ruleId);
    expect(raw).toContain('apache-unknown-directive');
    const r = renderTemplate(text, { target: 'apache', fileName: name });
    for (const v of r.variants) {
      const ids = resolveApacheConfig(at(name), { text: v.text, checkHostFiles: false }).findings.map((f) => f.ruleId);
      expect(ids).not.toContain('apache-unknown-directive');
      expect(ids).not.toContain('syntax-error');
    }
  }
});

test('devstack whole-directive placeholders are read as comments, not directives', () => {
  const name = 'apache-api.template';
  const r = renderTemplate(fixture(name), { target: 'apache', fileName: name });
  const v = r.variants[0];
  const names = directives(parseApacheConfig(v.text, name).nodes).map((d) => d.name);
  expect(names.some((n) => /SSLENGINE|SSLCERTFILE/.test(n))).toBe(false);
  const wsgi = directives(parseApacheConfig(v.text, name).nodes).find((d) => d.lname === 'wsgidaemonprocess')!;
  const last = wsgi.args[wsgi.args.length - 1];
  expect(v.parts(last.location.range.start.offset, last.location.range.end.offset).map((p) => p.span?.markup)).toEqual(['%VIRTUALENV%']);
  expect(wsgi.args.map((a) => a.value)).toContain('display-name=%{GROUP}');
});

test('a uWSGI ini with ${VAR} placeholders: the routing variables stay uWSGI syntax', () => {
  const name = 'uwsgi-shell.ini';
  const text = fixture(name);
  const r = renderTemplate(text, { target: 'uwsgi-ini', fileName: name });
  const doc = parseUwsgiIni(r.variants[0].text, name);
  const value = (k: string) => doc.lines.filter((l): l is UwsgiIniEntry => l.kind === 'entry' && l.key === k).map((e) => e.value);
  expect(value('socket')).toEqual(['__SOCKET_DIR_/app.sock']);
  expect(value('route-run')).toEqual(['log:${REMOTE_ADDR} ${cookie[session]}']);
  expect(value('http-socket')).toEqual([':$(PORT)']);
});

test('the README usage: every variant through the real resolvers, one list of findings at template positions', () => {
  const templates = new TemplatedFiles();
  const lintApache = (file: string, text: string): Finding[] => {
    const t = renderTemplate(text, { target: 'apache', fileName: file, file });
    templates.add(file, t.spans);
    const findings: Finding[] = [...t.problems];
    for (const v of t.variants) {
      const resolved = resolveApacheConfig(file, { text: v.text, checkHostFiles: false });
      findings.push(...resolved.findings.map((f) => v.mapFinding(f)));
    }
    return dedupeFindings(findings);
  };
  const lintUwsgi = (file: string, text: string): Finding[] => {
    const t = renderTemplate(text, { target: 'uwsgi-ini', fileName: file, file });
    templates.add(file, t.spans);
    const findings: Finding[] = [...t.problems];
    for (const v of t.variants) findings.push(...resolveUwsgiIni(file, { text: v.text }).findings.map((f) => v.mapFinding(f)));
    return dedupeFindings(findings);
  };
  const apache = lintApache(at('kolla-vhost.conf.j2'), fixture('kolla-vhost.conf.j2'));
  const ini = lintUwsgi(at('keystone-uwsgi.ini.j2'), fixture('keystone-uwsgi.ini.j2'));
  // what the parsers say about placeholder values (a port, a process count, a chmod) is about the template's unknowns
  const aboutValues = [...apache, ...ini].filter((f) => templates.isTemplated(f.location));
  const rest = [...apache, ...ini].filter((f) => !templates.isTemplated(f.location));
  expect(aboutValues.map((f) => `${f.ruleId} ${path.basename(f.location.file)}:${f.location.range.start.line}`).sort()).toEqual([
    'apache-directive-arguments kolla-vhost.conf.j2:10', // Listen {{ api_interface_address | ... }}:{{ svc_port }}
    'apache-directive-arguments kolla-vhost.conf.j2:15', // processes={{ svc_workers }}
    'uwsgi-invalid-value keystone-uwsgi.ini.j2:16', // logfile-chmod = {{ mode }}
  ]);
  expect(rest).toEqual([]);
});
