/**
 * Bad input never ends the language server: garbage on the wire, malformed or unknown messages, a
 * huge buffer, NUL bytes, files that point out of the workspace, a failing run. After each, the
 * server still answers. The server runs with V8's heap capped at 1 GiB, as the security tests do.
 */
import * as fs from 'fs';
import * as path from 'path';
import { requireBuild, scratch } from '../cli/helpers';
import { LspClient, uriOf, type PublishParams } from './client';

jest.setTimeout(180_000);

beforeAll(() => requireBuild());

const clients: LspClient[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.kill();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function start(dir: string, env: Record<string, string> = {}): LspClient {
  const c = new LspClient({ cwd: dir, env: { NODE_OPTIONS: '--max-old-space-size=1024', ...env } });
  clients.push(c);
  return c;
}

function workspace(files: Record<string, string>): string {
  const dir = scratch(files);
  dirs.push(dir);
  return dir;
}

const codes = (p: PublishParams) => p.diagnostics.map((d) => d.code);
const INI = '[uwsgi]\nmodule = app.wsgi:application\nsocket-timeout = "30"\n';

/** The server still answers a request. */
async function stillAnswers(c: LspClient, uri: string): Promise<void> {
  await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }, 'a hover after the bad input');
  expect(c.alive).toBe(true);
}

describe('deploylint lsp and bad input', () => {
  test('garbage on the wire, malformed and unknown messages: logged, answered with errors, never fatal', async () => {
    const dir = workspace({ 'app.ini': INI });
    const c = start(dir);
    await c.initialize(dir);
    const uri = c.open(path.join(dir, 'app.ini'), INI);
    await c.diagnostics(uri, (p) => codes(p).includes('uwsgi-quoted-value'));

    c.writeRaw(Buffer.from('{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {', 'utf8'));
    c.writeRaw(Buffer.from('\x00\xff\xfe garbage \x1b[2J', 'latin1'));
    c.writeRaw(Buffer.from('[1, 2, 3]'));
    c.writeRaw(Buffer.from('null'));
    c.writeBytes('X-Nonsense: yes\r\n\r\n');
    c.notify('textDocument/didOpen', {});
    c.notify('textDocument/didChange', { textDocument: { uri: 'file:///nowhere/x.ini', version: 3 }, contentChanges: [{ text: 'x' }] });
    c.notify('textDocument/didClose', { textDocument: { uri: 'untitled:Untitled-1' } });
    c.notify('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-1', languageId: 'ini', version: 1, text: INI } });
    c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: 'not a uri', type: 9 }] });
    c.notify('$/unknownNotification', { x: 1 });
    await expect(c.request('deploylint/noSuchMethod', {})).rejects.toThrow(/Unhandled method|not found/i);
    expect(await c.request('textDocument/codeAction', { textDocument: { uri } }, 'a code action without context')).toEqual([]);
    expect(await c.request('textDocument/hover', { textDocument: { uri: 'file:///nowhere/x.ini' }, position: { line: 0, character: 0 } })).toBeNull();
    expect(await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 99999, character: -5 } }, 'a hover far outside the text')).toBeDefined();

    // still linting as typed
    c.change(uri, 2, INI.replace('"30"', '30'));
    await c.diagnostics(uri, (p) => p.version === 2 && !codes(p).includes('uwsgi-quoted-value'));
    expect(await c.stop()).toBe(0);
  });

  test('a buffer larger than the file-bytes budget is one finding, not a parse of it; hover on it still answers', async () => {
    const dir = workspace({ 'big.ini': '[uwsgi]\n' });
    const c = start(dir);
    await c.initialize(dir);
    const huge = '[uwsgi]\n' + `socket-timeout = "${'9'.repeat(64)}"\n`.repeat(240_000); // ~20 MiB, over the 16 MiB default
    expect(huge.length).toBeGreaterThan(16 * 1024 * 1024);
    const uri = c.open(path.join(dir, 'big.ini'), huge);
    const published = await c.diagnostics(uri, (p) => p.version === 1, 'diagnostics for the huge buffer');
    expect(codes(published)).toEqual(['budget-exceeded']);
    expect(published.diagnostics[0].message).toMatch(/file-bytes budget/);
    await stillAnswers(c, uri);
    // the same buffer cut down to size is linted again
    c.change(uri, 2, INI);
    await c.diagnostics(uri, (p) => p.version === 2 && codes(p).includes('uwsgi-quoted-value'));
  });

  test('NUL bytes in an ini buffer and in an Apache buffer', async () => {
    const dir = workspace({ 'app.ini': INI, 'sites-available/a.conf': '<VirtualHost *:80>\n</VirtualHost>\n' });
    const c = start(dir);
    await c.initialize(dir);
    const uri = c.open(path.join(dir, 'app.ini'), '[uwsgi]\nmodule = a\0b\nmaster = true\0\0\0\n');
    const ini = await c.diagnostics(uri, (p) => p.version === 1);
    expect(codes(ini)).toContain('ini-nul-byte');
    const siteUri = c.open(path.join(dir, 'sites-available/a.conf'), '<VirtualHost *:80>\n    ServerName a\0.example.org\n\0\0\0\0\n</VirtualHost>\n');
    await c.diagnostics(siteUri, (p) => p.version === 1);
    await stillAnswers(c, siteUri);
    await stillAnswers(c, uri);
  });

  test('nothing in the workspace makes it read outside: includes, symbolic links and FIFOs', async () => {
    const site = '<VirtualHost *:80>\n    Include /etc/passwd\n    Include ../../../../../../etc/shadow\n</VirtualHost>\n';
    const dir = workspace({ 'sites-available/a.conf': site, 'app.ini': '[uwsgi]\ninherit = /etc/passwd\nini = /proc/self/environ\nmodule = a:b\n' });
    fs.symlinkSync('/etc/passwd', path.join(dir, 'sites-available', 'passwd.conf'));
    fs.symlinkSync('/etc', path.join(dir, 'etc'));
    const { spawnSync } = require('child_process') as typeof import('child_process');
    spawnSync('mkfifo', [path.join(dir, 'sites-available', 'fifo.conf')]);
    const c = start(dir);
    await c.initialize(dir);
    const uri = c.open(path.join(dir, 'sites-available/a.conf'), site);
    const published = await c.diagnostics(uri, (p) => p.version === 1);
    expect(codes(published).filter((x) => x === 'include-outside').length).toBeGreaterThanOrEqual(1);
    await c.diagnostics(uriOf(path.join(dir, 'app.ini')), (p) => codes(p).includes('include-outside'));
    const everything = JSON.stringify(c.notifications);
    expect(everything).not.toMatch(/root:x?:0:0/);
    expect(everything).not.toContain(uriOf(path.join(dir, 'sites-available', 'passwd.conf')));
    await stillAnswers(c, uri);
  });

  test('a failing run is a log message and an internal-error diagnostic; the next edit lints again', async () => {
    const dir = workspace({ 'app.ini': INI });
    const c = start(dir, { DEPLOYLINT_LSP_TEST_FAULT: 'BOOM-FOR-THE-TEST' });
    await c.initialize(dir);
    const uri = c.open(path.join(dir, 'app.ini'), INI + '# BOOM-FOR-THE-TEST\n');
    const failed = await c.diagnostics(uri, (p) => codes(p).includes('internal-error'), 'an internal-error diagnostic');
    expect(failed.diagnostics[0].severity).toBe(1);
    expect(failed.diagnostics[0].codeDescription?.href).toMatch(/parse-findings\.md#internal-error$/);
    await c.until(() => (c.logMessages().some((m) => /internal error while linting/.test(m) && /injected fault/.test(m)) ? true : undefined), 'the error in the log');
    c.change(uri, 2, INI);
    await c.diagnostics(uri, (p) => p.version === 2 && codes(p).includes('uwsgi-quoted-value') && !codes(p).includes('internal-error'));
    expect(await c.stop()).toBe(0);
  });
});
