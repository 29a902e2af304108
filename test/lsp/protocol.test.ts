/**
 * The language server over the protocol: the real built server (`node bin/deploylint.js lsp
 * --stdio`) spoken to over stdio by test/lsp/client.ts. Diagnostics as the user types (unsaved
 * buffers), cross-file re-publishing, quick fixes, hover, configuration files, shutdown and exit.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { requireBuild, ROOT, scratch } from '../cli/helpers';
import { LspClient, uriOf, type Diagnostic, type PublishParams } from './client';

jest.setTimeout(180_000);

beforeAll(() => requireBuild());

const clients: LspClient[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.kill();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function start(options: ConstructorParameters<typeof LspClient>[0] = {}): LspClient {
  const c = new LspClient(options);
  clients.push(c);
  return c;
}

function workspace(files: Record<string, string>): string {
  const dir = scratch(files);
  dirs.push(dir);
  return dir;
}

const codes = (p: PublishParams) => p.diagnostics.map((d) => d.code);
const has = (id: string) => (p: PublishParams) => codes(p).includes(id);
const lacks = (id: string) => (p: PublishParams) => !codes(p).includes(id);

const QUOTED_INI = '[uwsgi]\nmodule = app.wsgi:application\nplugins = python3\nhttp-socket = 127.0.0.1:8000\nmaster = true\ndie-on-term = true\nbuffer-size = 65535\n  socket-timeout = "30"\n';

/** Apply a WorkspaceEdit's changes for `uri` to `text`, as an editor would. */
function applyEdit(text: string, uri: string, edit: { changes?: Record<string, { range: any; newText: string }[]> }): string {
  const doc = TextDocument.create(uri, 'ini', 1, text);
  return TextDocument.applyEdits(doc, edit.changes?.[uri] ?? []);
}

describe('deploylint lsp', () => {
  test('initialize announces hover, quick fixes and incremental sync; shutdown and exit end it with 0', async () => {
    const c = start();
    const init = await c.initialize(null);
    expect(init.capabilities.hoverProvider).toBe(true);
    expect(init.capabilities.codeActionProvider.codeActionKinds).toEqual(['quickfix']);
    expect(init.capabilities.textDocumentSync.change).toBe(2);
    expect(init.serverInfo.name).toBe('deploylint');
    expect(await c.stop()).toBe(0);
  });

  test('an unsaved buffer is linted as typed: severity, range, rule id, rule page; a fixed buffer clears the finding', async () => {
    const dir = workspace({ 'app.ini': '[uwsgi]\n' });
    const c = start({ cwd: dir });
    await c.initialize(dir);
    // the file on disk is empty of options: what is linted is the buffer
    const uri = c.open(path.join(dir, 'app.ini'), QUOTED_INI);
    const first = await c.diagnostics(uri, (p) => p.version === 1);
    const quoted = first.diagnostics.find((d) => d.code === 'uwsgi-quoted-value') as Diagnostic;
    expect(quoted).toBeDefined();
    expect(quoted.source).toBe('deploylint');
    expect(quoted.severity).toBe(1);
    // `  socket-timeout = "30"`: the quoted value, start and end
    expect(quoted.range).toEqual({ start: { line: 7, character: 19 }, end: { line: 7, character: 23 } });
    expect(quoted.codeDescription?.href).toMatch(/docs\/rules\/uwsgi-quoted-value\.md$/);
    expect(fs.existsSync(new URL(quoted.codeDescription!.href).pathname)).toBe(true);

    c.change(uri, 2, QUOTED_INI.replace('"30"', '30'));
    const second = await c.diagnostics(uri, (p) => p.version === 2);
    expect(codes(second)).not.toContain('uwsgi-quoted-value');
    expect(await c.stop()).toBe(0);
  });

  test('edits in quick succession: only the last version is published', async () => {
    const dir = workspace({ 'app.ini': QUOTED_INI });
    const c = start({ cwd: dir });
    await c.initialize(dir, { debounceMs: 300 });
    const uri = c.open(path.join(dir, 'app.ini'), QUOTED_INI);
    for (let v = 2; v <= 8; v++) c.change(uri, v, QUOTED_INI.replace('"30"', `"${v}"`));
    const last = await c.diagnostics(uri, (p) => p.version === 8);
    expect(last.diagnostics.find((d) => d.code === 'uwsgi-quoted-value')?.message).toContain('"8"');
    expect(c.publishes(uri).map((p) => p.version)).toEqual([8]);
  });

  test('cross-file: editing the Apache vhost re-publishes the uWSGI ini it links to, and the other way round', async () => {
    const site = '<VirtualHost *:443>\n    ServerName app.example.org\n    ProxyPass "/" "http://127.0.0.1:8000/"\n</VirtualHost>\n';
    const ini = '[uwsgi]\nmodule = hc.wsgi:application\nplugins = python3\nhttp-socket = :8000\ndie-on-term = true\nbuffer-size = 65535\n';
    const dir = workspace({ 'apache/site.conf': site, 'uwsgi/app.ini': ini });
    const c = start({ cwd: dir });
    await c.initialize(dir);
    const iniUri = c.open(path.join(dir, 'uwsgi/app.ini'), ini);
    // the ini listens on every interface while Apache proxies to it locally: found only with the vhost
    const exposed = await c.diagnostics(iniUri, has('uwsgi-http-exposed'), 'uwsgi-http-exposed on app.ini');
    const siteUri = uriOf(path.join(dir, 'apache/site.conf'));
    // the vhost is part of the deployment: published although it is not open
    await c.diagnostics(siteUri, has('http-socket-chunked-body-lost'), 'the vhost published while closed');
    expect(exposed.diagnostics.find((d) => d.code === 'uwsgi-http-exposed')!.range.start.line).toBe(3);

    // Apache side: the route goes away in the (unsaved) vhost buffer; the ini loses its finding
    c.open(path.join(dir, 'apache/site.conf'), site);
    const mark = c.notifications.length;
    c.change(siteUri, 2, site.replace('    ProxyPass', '    # ProxyPass'));
    const iniAfter = await c.diagnostics(iniUri, lacks('uwsgi-http-exposed'), 'app.ini re-published without uwsgi-http-exposed', mark);
    expect(iniAfter.version).toBe(1);

    // uWSGI side: the ini moves to another port; the vhost's route now reaches no socket
    c.change(siteUri, 3, site);
    await c.diagnostics(iniUri, has('uwsgi-http-exposed'), 'uwsgi-http-exposed back on app.ini', c.notifications.length);
    c.change(iniUri, 2, ini.replace(':8000', '127.0.0.1:9000'));
    const siteAfter = await c.diagnostics(siteUri, has('proxy-backend-unmatched'), 'the vhost re-published with proxy-backend-unmatched');
    expect(codes(siteAfter)).not.toContain('http-socket-chunked-body-lost');
    expect(await c.stop()).toBe(0);
  });

  test('related locations in other files are relatedInformation (the bundled example)', async () => {
    const dir = workspace({});
    fs.cpSync(path.join(ROOT, 'examples', 'glance'), dir, { recursive: true });
    const c = start({ cwd: dir });
    await c.initialize(dir);
    const vhost = path.join(dir, 'apache2/sites-available/openstack-api.conf');
    const uri = c.open(vhost, fs.readFileSync(vhost, 'utf8'));
    // `ProxyPass /identity` reaches no uWSGI socket: the closest one, in glance-api.ini, is related
    const published = await c.diagnostics(uri, has('proxy-backend-unmatched'));
    const d = published.diagnostics.find((x) => x.code === 'proxy-backend-unmatched')!;
    expect(d.range.start.line).toBe(17);
    const glanceUri = uriOf(path.join(dir, 'uwsgi/glance-api.ini'));
    expect(d.relatedInformation?.some((r) => r.location.uri === glanceUri && r.location.range.start.line === 4)).toBe(true);
    const iniUri = uriOf(path.join(dir, 'uwsgi/placement-api.ini'));
    // every file of the deployment is published, the closed ones included
    await c.diagnostics(iniUri, has('uwsgi-quoted-value'));
    await c.diagnostics(uriOf(path.join(dir, 'uwsgi/glance-api.ini')), has('uwsgi-unknown-option'));
  });

  test('quick fix: the finding\'s own fix, as a WorkspaceEdit; applied, the finding is gone', async () => {
    const dir = workspace({ 'app.ini': QUOTED_INI });
    const c = start({ cwd: dir });
    await c.initialize(dir);
    const uri = c.open(path.join(dir, 'app.ini'), QUOTED_INI);
    const published = await c.diagnostics(uri, has('uwsgi-quoted-value'));
    const diagnostic = published.diagnostics.find((d) => d.code === 'uwsgi-quoted-value')!;
    const actions = await c.request('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] } });
    const fix = actions.find((a: any) => a.isPreferred);
    expect(fix.title).toBe('Remove the quotes (uwsgi-quoted-value)');
    expect(fix.kind).toBe('quickfix');
    expect(fix.diagnostics[0].code).toBe('uwsgi-quoted-value');
    const fixed = applyEdit(QUOTED_INI, uri, fix.edit);
    expect(fixed).toBe(QUOTED_INI.replace('"30"', '30'));
    c.change(uri, 2, fixed);
    expect(codes(await c.diagnostics(uri, (p) => p.version === 2))).not.toContain('uwsgi-quoted-value');
    // refactor-only requests get no quick fixes
    expect(await c.request('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [], only: ['refactor'] } })).toEqual([]);
  });

  test('quick fix: "disable this rule for this line" inserts the suppression comment with the line\'s indentation', async () => {
    const apache = '<VirtualHost *:80>\n    ServerName a.example.org\n    ProxyPass "/x" \\\n        "http://127.0.0.1:70000/"\n</VirtualHost>\n';
    const dir = workspace({ 'app.ini': QUOTED_INI, 'sites-available/a.conf': apache });
    const c = start({ cwd: dir });
    await c.initialize(dir);
    const uri = c.open(path.join(dir, 'app.ini'), QUOTED_INI);
    const diagnostic = (await c.diagnostics(uri, has('uwsgi-quoted-value'))).diagnostics.find((d) => d.code === 'uwsgi-quoted-value')!;
    const actions = await c.request('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    const disable = actions.find((a: any) => a.title === 'Disable uwsgi-quoted-value for this line');
    expect(disable).toBeDefined();
    const suppressed = applyEdit(QUOTED_INI, uri, disable.edit);
    expect(suppressed.split('\n')[7]).toBe('  # deploylint-disable-next-line uwsgi-quoted-value -- reason');
    c.change(uri, 2, suppressed);
    const after = await c.diagnostics(uri, (p) => p.version === 2);
    expect(codes(after)).not.toContain('uwsgi-quoted-value');
    expect(codes(after)).not.toContain('suppression-unused');

    // a directive continued over two lines: the comment goes above its first line
    const siteUri = c.open(path.join(dir, 'sites-available/a.conf'), apache);
    const port = (await c.diagnostics(siteUri, (p) => p.version === 1 && has('proxy-port-out-of-range')(p))).diagnostics.find((d) => d.code === 'proxy-port-out-of-range')!;
    const siteActions = await c.request('textDocument/codeAction', { textDocument: { uri: siteUri }, range: { start: { line: 3, character: 10 }, end: { line: 3, character: 10 } }, context: { diagnostics: [port] } });
    const disablePort = siteActions.find((a: any) => a.title === 'Disable proxy-port-out-of-range for this line');
    const siteSuppressed = applyEdit(apache, siteUri, disablePort.edit);
    expect(siteSuppressed.split('\n').slice(1, 4)).toEqual(['    ServerName a.example.org', '    # deploylint-disable-next-line proxy-port-out-of-range -- reason', '    ProxyPass "/x" \\']);
    c.change(siteUri, 2, siteSuppressed);
    expect(codes(await c.diagnostics(siteUri, (p) => p.version === 2))).not.toContain('proxy-port-out-of-range');
  });

  test('hover: uWSGI option (help, argument, default, plugin), Apache directive (syntax, context, module), a finding (rule summary)', async () => {
    const apache = '<VirtualHost *:80>\n    ProxyPass "/x" "http://127.0.0.1:70000/"\n</VirtualHost>\n';
    const dir = workspace({ 'app.ini': QUOTED_INI, 'sites-available/a.conf': apache });
    const c = start({ cwd: dir });
    await c.initialize(dir);
    const uri = c.open(path.join(dir, 'app.ini'), QUOTED_INI);
    await c.diagnostics(uri, has('uwsgi-quoted-value'));
    const key = await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 5 } });
    expect(key.contents.kind).toBe('markdown');
    expect(key.contents.value).toContain('`socket-timeout`');
    expect(key.contents.value).toContain('set internal sockets timeout');
    expect(key.contents.value).toContain('default: `4`');
    expect(key.contents.value).toContain('plugin: `core`');
    expect(key.contents.value).toContain('argument: a value is required');
    expect(key.range).toEqual({ start: { line: 7, character: 2 }, end: { line: 7, character: 16 } });

    const plugin = await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 2 } });
    expect(plugin.contents.value).toContain('`http-socket`');

    const finding = await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 20 } });
    expect(finding.contents.value).toContain('`uwsgi-quoted-value`');
    expect(finding.contents.value).toContain('uWSGI keeps the quotes');
    expect(finding.contents.value).toMatch(/\[Rule page\]\(file:.*uwsgi-quoted-value\.md\)/);

    const siteUri = c.open(path.join(dir, 'sites-available/a.conf'), apache);
    await c.diagnostics(siteUri, (p) => p.version === 1);
    const directive = await c.request('textDocument/hover', { textDocument: { uri: siteUri }, position: { line: 1, character: 6 } });
    expect(directive.contents.value).toContain('`ProxyPass`');
    expect(directive.contents.value).toContain('mod_proxy');
    expect(directive.contents.value).toMatch(/syntax: `ProxyPass \[/);
    expect(directive.contents.value).toContain('context: server config, virtual host, directory');
    const section = await c.request('textDocument/hover', { textDocument: { uri: siteUri }, position: { line: 0, character: 3 } });
    expect(section.contents.value).toContain('`<VirtualHost>`');
    expect(section.contents.value).toContain('`core`');
    // nothing under the cursor: no hover
    expect(await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } })).toBeNull();
  });

  test('.deploylintrc.json is honoured, re-read when it changes, and a broken one is shown on it without stopping the server', async () => {
    const dir = workspace({ 'app.ini': QUOTED_INI, '.deploylintrc.json': JSON.stringify({ rules: { 'uwsgi-quoted-value': 'off' } }) });
    const c = start({ cwd: dir });
    await c.initialize(dir);
    const uri = c.open(path.join(dir, 'app.ini'), QUOTED_INI);
    expect(codes(await c.diagnostics(uri, (p) => p.version === 1))).not.toContain('uwsgi-quoted-value');

    const rc = path.join(dir, '.deploylintrc.json');
    fs.writeFileSync(rc, JSON.stringify({ rules: { 'uwsgi-quoted-value': 'info' } }));
    c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(rc), type: 2 }] });
    const info = await c.diagnostics(uri, has('uwsgi-quoted-value'), 'the finding back at the configured severity');
    expect(info.diagnostics.find((d) => d.code === 'uwsgi-quoted-value')!.severity).toBe(3);

    fs.writeFileSync(rc, '{"rules": {');
    c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(rc), type: 2 }] });
    const broken = await c.diagnostics(uriOf(rc), has('config-error'), 'config-error on the broken config');
    expect(broken.diagnostics[0].message).toMatch(/invalid JSON/);
    // linted with the defaults meanwhile
    await c.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'uwsgi-quoted-value' && d.severity === 1));

    fs.writeFileSync(rc, '{}');
    c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(rc), type: 2 }] });
    await c.diagnostics(uriOf(rc), (p) => p.diagnostics.length === 0, 'config-error cleared');
    expect(c.alive).toBe(true);
  });

  test('a file outside every workspace folder is linted alone, and its diagnostics go when it is closed', async () => {
    const dir = workspace({ 'loose.ini': QUOTED_INI });
    const c = start({ cwd: dir });
    await c.initialize(null);
    const uri = c.open(path.join(dir, 'loose.ini'), QUOTED_INI);
    await c.diagnostics(uri, has('uwsgi-quoted-value'));
    c.notify('textDocument/didClose', { textDocument: { uri } });
    await c.diagnostics(uri, (p) => p.diagnostics.length === 0, 'diagnostics cleared on close');
  });

  test('a workspace folder added later takes in the open files under it, with their deployment', async () => {
    const site = '<VirtualHost *:443>\n    ProxyPass "/" "http://127.0.0.1:8000/"\n</VirtualHost>\n';
    const ini = '[uwsgi]\nmodule = hc.wsgi:application\nplugins = python3\nhttp-socket = :8000\ndie-on-term = true\nbuffer-size = 65535\n';
    const dir = workspace({ 'apache/site.conf': site, 'uwsgi/app.ini': ini });
    const c = start({ cwd: dir });
    await c.initialize(null, { debounceMs: 20 }, { workspace: { workspaceFolders: true } });
    const uri = c.open(path.join(dir, 'uwsgi/app.ini'), ini);
    // alone, the ini has no Apache in front of it
    expect(codes(await c.diagnostics(uri, (p) => p.version === 1))).not.toContain('uwsgi-http-exposed');
    c.notify('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: uriOf(dir), name: 'w' }], removed: [] } });
    await c.diagnostics(uri, has('uwsgi-http-exposed'), 'the ini linted with the vhost of the new folder');
    c.notify('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: uriOf(dir), name: 'w' }] } });
    await c.diagnostics(uri, lacks('uwsgi-http-exposed'), 'the ini alone again', c.notifications.length);
  });

  test('a new unsaved file in the workspace joins the deployment', async () => {
    const site = '<VirtualHost *:443>\n    ProxyPass "/" "http://127.0.0.1:8000/"\n</VirtualHost>\n';
    // the route reaches none of the sockets of the files on disk
    const dir = workspace({ 'site.conf': site, 'other.ini': '[uwsgi]\nhttp-socket = 127.0.0.1:9000\nmodule = a:b\n' });
    const c = start({ cwd: dir });
    await c.initialize(dir);
    const siteUri = c.open(path.join(dir, 'site.conf'), site);
    await c.diagnostics(siteUri, has('proxy-backend-unmatched'));
    const iniUri = c.open(path.join(dir, 'new.ini'), '');
    await c.diagnostics(iniUri, (p) => p.version === 1, 'the empty new buffer linted');
    expect(codes(c.publishes(siteUri).slice(-1)[0])).toContain('proxy-backend-unmatched');
    c.change(iniUri, 2, '[uwsgi]\nhttp-socket = 127.0.0.1:8000\nmodule = a:b\n');
    await c.diagnostics(siteUri, lacks('proxy-backend-unmatched'), 'the route reaches the unsaved ini\'s socket');
  });
});
