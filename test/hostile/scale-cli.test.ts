/**
 * Inputs big enough to break a `push(...list)` or `Math.max(...list)`: V8 passes spread arguments on
 * the stack, and a few hundred thousand of them throw `RangeError: Maximum call stack size exceeded`
 * (the CLI then exits 2 with "internal error"). Through the real built CLI: a `ServerAlias` with
 * 200,000 names, and a uWSGI ini with 250,000 unknown options (one finding each), in every format
 * that lays findings out. Each input stays under ~5 MB.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { BIN, requireBuild, ROOT } from '../cli/helpers';

let dir: string;

beforeAll(() => {
  requireBuild();
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-scale-')));
  const aliases: string[] = [];
  for (let i = 0; i < 200_000; i++) aliases.push(`h${i}.example.com`);
  fs.writeFileSync(
    path.join(dir, 'aliases.conf'),
    `<VirtualHost *:80>\nServerName a.example.com\nServerAlias ${aliases.join(' ')}\nProxyPass / http://127.0.0.1:8000/\nNoSuchDirective on\n</VirtualHost>\n`,
  );
  fs.writeFileSync(path.join(dir, 'many.ini'), '[uwsgi]\nmodule = app.wsgi\n' + 'fo=1\n'.repeat(250_000));
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 100_000,
    killSignal: 'SIGKILL',
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, DEPLOYLINT_DEBUG: '' } as NodeJS.ProcessEnv,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectNormalExit(r: { status: number | null; stderr: string }): void {
  expect(r.stderr).not.toMatch(/internal error|RangeError|Maximum call stack/);
  expect([0, 1]).toContain(r.status);
}

test('a ServerAlias with 200,000 names is linted, its findings reported', () => {
  expect(fs.statSync(path.join(dir, 'aliases.conf')).size).toBeLessThan(5 * 1024 * 1024);
  const r = run(['--format', 'json', 'aliases.conf']);
  expectNormalExit(r);
  const report = JSON.parse(r.stdout) as { findings: { ruleId: string; line: number }[] };
  expect(report.findings.some((f) => f.ruleId === 'apache-unknown-directive' && f.line === 5)).toBe(true);
});

describe('250,000 findings from one file', () => {
  test.each(['stylish', 'gcc', 'json'])('--format %s', (format) => {
    expect(fs.statSync(path.join(dir, 'many.ini')).size).toBeLessThan(5 * 1024 * 1024);
    const r = run(['--format', format, 'many.ini']);
    expectNormalExit(r);
    if (format === 'json') {
      const report = JSON.parse(r.stdout) as { findings: { ruleId: string }[] };
      expect(report.findings.filter((f) => f.ruleId === 'uwsgi-unknown-option').length).toBe(250_000);
    } else {
      expect(r.stdout.split('\n').filter((l) => l.includes('uwsgi-unknown-option')).length).toBe(250_000);
    }
  });
});

/**
 * The same class of crash, caught before it ships: no call in lib/, rules/ or bin/ spreads an array
 * into its arguments (`f(...xs)`, `new C(...xs)`). Spreads into array and object literals are fine.
 */
test('no spread arguments in calls in lib/, rules/, bin/', () => {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) files.push(p);
    }
  };
  for (const d of ['lib', 'rules', 'bin']) walk(path.join(ROOT, d));
  const hits: string[] = [];
  for (const file of files) {
    const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      if (ts.isSpreadElement(n) && (ts.isCallExpression(n.parent) || ts.isNewExpression(n.parent))) {
        const { line } = src.getLineAndCharacterOfPosition(n.getStart(src));
        hits.push(`${path.relative(ROOT, file)}:${line + 1}: ${n.parent.getText(src).slice(0, 80)}`);
      }
      ts.forEachChild(n, visit);
    };
    visit(src);
  }
  expect(hits).toEqual([]);
});
