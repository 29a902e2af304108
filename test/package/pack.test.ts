/**
 * The package as a user gets it: `npm pack` of this repository, `npm install <tarball>` into an empty
 * scratch project (offline from the npm cache), then `npx deploylint` on a copy of the bundled
 * example in every output format. Checks what the tarball holds and that no output names the
 * install directory, the scratch directory or this checkout by an absolute path.
 *
 * Needs the npm cache to hold the runtime dependencies (npm ci filled it), or the npm registry.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FORMAT_NAMES } from '../../lib/format/types';
import { sarifValidator } from '../format/sarif-validator';
import { ROOT, requireBuild } from '../cli/helpers';

jest.setTimeout(300_000);

const NPM_ENV = { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_prefer_offline: 'true', NO_COLOR: '1' };

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...NPM_ENV, ...env }, encoding: 'utf8', timeout: 240_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(r: { status: number | null; stdout: string; stderr: string }, what: string) {
  if (r.status !== 0) throw new Error(`${what} exited with ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r;
}

let tmp = '';
let project = '';
let tarball = '';
let packed: string[] = [];
const outputs = new Map<string, { status: number | null; stdout: string; stderr: string }>();

beforeAll(() => {
  requireBuild();
  // the tarball is packed without scripts: building here would rewrite dist/ under the other tests
  const fresh = run(process.execPath, [path.join(ROOT, 'scripts', 'prepare.js'), '--check'], ROOT);
  if (fresh.status !== 0) throw new Error('dist/ is older than the sources: build first (npx tsc -p tsconfig.json; npm test does this)');
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-pack-')));
  const info = JSON.parse(ok(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT), 'npm pack').stdout)[0];
  tarball = path.join(tmp, info.filename);
  packed = info.files.map((f: { path: string }) => f.path);

  project = path.join(tmp, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }) + '\n');
  ok(run('npm', ['install', '--no-package-lock', tarball], project), 'npm install <tarball>');
  fs.cpSync(path.join(ROOT, 'examples', 'glance'), path.join(project, 'glance'), { recursive: true });
  for (const format of FORMAT_NAMES) outputs.set(format, run('npx', ['--no', '--', 'deploylint', '--format', format, 'glance'], project));
  outputs.set('explain', run('npx', ['--no', '--', 'deploylint', 'explain', 'uwsgi-quoted-value'], project));
  outputs.set('rules', run('npx', ['--no', '--', 'deploylint', 'rules'], project));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('the tarball holds what a user runs, and nothing of the development tree', () => {
  const unwanted = packed.filter((f) => /^(dist\/(lab|bench|test)\/|test\/|fixtures\/|lab\/|bench\/|examples\/|lib\/.*\.ts$|rules\/|scripts\/|node_modules\/)|\.map$|\.tgz$/.test(f) && !f.endsWith('.d.ts'));
  expect(unwanted).toEqual([]);
  for (const f of ['LICENSE', 'README.md', 'package.json', 'bin/deploylint.js', 'dist/deploylint.cjs', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/cli/main.js', 'docs/cli.md', 'docs/rules/parse-findings.md']) {
    expect(packed).toContain(f);
  }
  // every rule's compiled module and docs page
  const ruleIds = fs.readdirSync(path.join(ROOT, 'rules')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
  for (const id of ruleIds) {
    expect(packed).toContain(`dist/rules/${id}.js`);
    expect(packed).toContain(`docs/rules/${id}.md`);
  }
  const license = fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
  expect(license).toContain('Apache License');
  expect(license).toContain('Version 2.0, January 2004');
  expect(license).toContain('END OF TERMS AND CONDITIONS');
});

test('the installed package: main entry and its type declarations resolve', () => {
  const installed = path.join(project, 'node_modules', 'deploylint');
  const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  expect(fs.existsSync(path.join(installed, pkg.main))).toBe(true);
  expect(fs.existsSync(path.join(installed, pkg.types))).toBe(true);
  expect(ok(run(process.execPath, ['-e', 'const d = require("deploylint"); process.stdout.write(typeof d.lint + " " + d.loadRules().length)'], project), 'require').stdout).toMatch(/^function \d+$/);
  // a TypeScript user of the package: its declarations compile against the API it exports
  fs.writeFileSync(
    path.join(project, 'use.ts'),
    "import { lint, loadRules, type Finding, type LintResult } from 'deploylint';\nconst r: LintResult = lint([{ path: 'glance/uwsgi/glance-api.ini' }], {});\nconst f: Finding[] = r.findings;\nconsole.log(f.length, loadRules().length);\n",
  );
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  ok(run(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', 'false', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules', '@types'), '--moduleResolution', 'node', '--module', 'commonjs', '--target', 'es2022', 'use.ts'], project), 'tsc on use.ts');
});

test('every format runs from the installed package; SARIF validates, JSON parses', () => {
  for (const format of FORMAT_NAMES) {
    const r = outputs.get(format)!;
    expect({ format, status: r.status, stderr: r.status === 1 ? "" : r.stderr }).toEqual({ format, status: 1, stderr: "" });
    expect(r.stdout.length).toBeGreaterThan(0);
  }
  const log = JSON.parse(outputs.get('sarif')!.stdout);
  const validate = sarifValidator();
  if (!validate(log)) throw new Error(JSON.stringify(validate.errors, null, 2));
  expect(log.runs[0].results.length).toBeGreaterThan(0);
  expect(log.runs[0].tool.driver.rules.every((r: { help?: { markdown?: string } }) => typeof r.help?.markdown === 'string')).toBe(true);
  expect(JSON.parse(outputs.get('json')!.stdout).findings.length).toBe(log.runs[0].results.length);
  expect(outputs.get('checkstyle')!.stdout).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<checkstyle version="4.3">\n {2}<file name="glance\//);
  expect(outputs.get('explain')).toMatchObject({ status: 0, stdout: expect.stringContaining('# uwsgi-quoted-value') });
  expect(outputs.get('rules')).toMatchObject({ status: 0, stdout: expect.stringContaining('uwsgi-quoted-value') });
});

test('no output names the install directory, this checkout or a file: URL', () => {
  const installDir = path.join(project, 'node_modules');
  for (const [name, r] of outputs) {
    for (const [stream, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
      expect({ name, stream, install: text.includes(installDir), checkout: text.includes(ROOT), fileUrl: text.includes('file://') }).toEqual({ name, stream, install: false, checkout: false, fileUrl: false });
    }
  }
});

test('no output names the scratch directory by its absolute path', () => {
  const leaks: string[] = [];
  for (const [name, r] of outputs) {
    for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) if (line.includes(tmp)) leaks.push(`${name}: ${line.trim()}`);
  }
  expect(leaks).toEqual([]);
});
