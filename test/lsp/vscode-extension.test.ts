/**
 * The VS Code extension (editors/vscode) packages: a copy of it gets its dependencies with `npm ci`
 * (its own package-lock.json; node_modules is never committed), `vsce package` builds the .vsix,
 * and the .vsix holds the client, its manifest and vscode-languageclient. Needs the npm registry or
 * an npm cache holding the extension's dependencies, as the pre-commit test does.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../cli/helpers';

jest.setTimeout(900_000);

const EXTENSION = path.join(ROOT, 'editors', 'vscode');

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 600_000, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
  if (r.error) throw r.error;
  const out = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${out.slice(-4000)}`);
  return out;
}

/** Names in a zip's central directory (a .vsix is a zip). */
function zipEntries(file: string): string[] {
  const buf = fs.readFileSync(file);
  const names: string[] = [];
  for (let i = buf.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); i >= 0; i = buf.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), i + 4)) {
    const nameLength = buf.readUInt16LE(i + 28);
    names.push(buf.subarray(i + 46, i + 46 + nameLength).toString('utf8'));
  }
  return names;
}

test('the manifest contributes the two languages deploylint lints and starts `deploylint lsp`', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'package.json'), 'utf8'));
  const ids = manifest.contributes.languages.map((l: { id: string }) => l.id);
  expect(ids).toEqual(['uwsgi-ini', 'apache-conf']);
  const apache = manifest.contributes.languages[1];
  expect(apache.filenames).toEqual(expect.arrayContaining(['apache2.conf', 'httpd.conf', '.htaccess']));
  expect(apache.filenamePatterns).toEqual(expect.arrayContaining(['**/sites-*/*.conf', '**/conf.d/*.conf']));
  expect(manifest.contributes.languages[0].filenames).toContain('uwsgi.ini');
  const client = fs.readFileSync(path.join(EXTENSION, 'extension.js'), 'utf8');
  expect(client).toMatch(/args: \['lsp', \.\.\.args\]/);
  expect(spawnSync(process.execPath, ['--check', path.join(EXTENSION, 'extension.js')]).status).toBe(0);
  // the extension is its own package: never part of deploylint's build or tarball
  const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'));
  expect(tsconfig.include.some((g: string) => g.startsWith('editors'))).toBe(false);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.files.some((f: string) => f.startsWith('editors'))).toBe(false);
});

test('`vsce package` builds the .vsix', () => {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-vsix-')));
  try {
    const dir = path.join(tmp, 'vscode');
    fs.cpSync(EXTENSION, dir, { recursive: true, filter: (src) => !/[\\/]node_modules([\\/]|$)|\.vsix$/.test(path.relative(EXTENSION, src)) });
    run('npm', ['ci', '--no-audit', '--no-fund'], dir);
    const out = run('npx', ['--no-install', 'vsce', 'package', '--allow-missing-repository'], dir);
    const vsix = path.join(dir, 'deploylint-vscode-0.1.0.vsix');
    if (!fs.existsSync(vsix)) throw new Error(`no .vsix after vsce package:\n${out}`);
    const entries = zipEntries(vsix);
    expect(entries).toEqual(expect.arrayContaining([
      'extension.vsixmanifest',
      'extension/package.json',
      'extension/extension.js',
      'extension/language-configuration.json',
      'extension/node_modules/vscode-languageclient/node.js',
    ]));
    // the packaging tool itself stays out of the package
    expect(entries.some((e) => e.includes('node_modules/@vscode/vsce/'))).toBe(false);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
