/**
 * Start-up stays lean for the pre-commit case (one file, a new process each time). Checked by what a
 * run loads, deterministically; the start-up time itself is a benchmark figure (`npm run bench`), not
 * a timed test.
 *
 * The CLI runs from one bundled file (dist/deploylint.cjs, scripts/bundle.js): a single-file run must
 * read no other JavaScript file (require.cache holds the launcher and at most the bundle), and inside
 * the bundle it must not evaluate what only other paths need: the Apache resolver, the template
 * layer, the language server, the baseline, formatters it does not print with, and the libraries
 * for globbing (fast-glob: directories and globs), .gitignore matching (ignore), YAML (js-yaml: a
 * .deploylintrc.yaml), colours (chalk: only a terminal), config regular expressions (re2js) and
 * LSP. The bundle lists the modules it evaluated when DEPLOYLINT_TRACE_MODULES names a file. The
 * unbundled path (DEPLOYLINT_UNBUNDLED=1, the fallback when there is no bundle) is held to the same
 * packages through require.cache.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BIN, GLANCE_ROUTER_INI, ROOT, requireBuild, scratch } from './helpers';

const PRELOAD = path.join(__dirname, 'support', 'module-report.js');
const BUNDLE = path.join(ROOT, 'dist', 'deploylint.cjs');

interface Loaded {
  /** require.cache, package-relative. */
  files: string[];
  /** npm packages among them. */
  packages: string[];
  /** Modules the bundle evaluated (package-relative: lib/..., rules/..., node_modules/...), when the bundle ran. */
  bundled: string[] | null;
}

function packageOf(file: string): string | undefined {
  return /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file)?.[1].replace(/\\/g, '/');
}

function loaded(args: string[], cwd: string, env: Record<string, string> = {}): Loaded {
  const trace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-trace-')), 'modules');
  try {
    const r = spawnSync(process.execPath, ['-r', PRELOAD, BIN, ...args], {
      cwd, stdio: ['ignore', 'ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 30_000,
      env: { ...process.env, DEPLOYLINT_TRACE_MODULES: trace, ...env },
    });
    const lines = String(r.output[3] ?? '').split('\n').filter(Boolean);
    // The CLI must have run to the end (exit 0 or 1) and the preload must have reported.
    if (![0, 1].includes(r.status ?? -1) || lines[0] !== 'report') throw new Error(`no module report (status ${r.status}): ${r.stderr}`);
    const files = lines.slice(1).filter((f) => f !== PRELOAD).map((f) => path.relative(ROOT, f).split(path.sep).join('/'));
    const bundled = fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8').split('\n').filter(Boolean) : null;
    const packages = [...new Set([...files, ...(bundled ?? [])].map(packageOf).filter((p): p is string => p !== undefined))].sort();
    return { files, packages, bundled };
  } finally {
    fs.rmSync(path.dirname(trace), { recursive: true, force: true });
  }
}

/** The bundle must exist and be newer than the compiled tree, or bin/deploylint.js would not run it. */
function requireBundle(): void {
  requireBuild();
  const main = path.join(ROOT, 'dist', 'lib', 'cli', 'main.js');
  if (!fs.existsSync(BUNDLE) || fs.statSync(BUNDLE).mtimeMs + 1000 < fs.statSync(main).mtimeMs) {
    throw new Error('dist/deploylint.cjs is missing or older than dist/lib: bundle first (node scripts/bundle.js; npm run build and npm test do this)');
  }
}

const LAZY_PACKAGES = ['fast-glob', 'ignore', 'js-yaml', 'chalk', 'ajv', 're2js', 'vscode-languageserver', 'vscode-languageserver-textdocument', 'vscode-jsonrpc'];
/** Parts of the library a single uWSGI ini file never needs. */
const LAZY_MODULES = [/^lib\/resolve\/apache\//, /^lib\/parsers\/apache\//, /^lib\/templates\//, /^lib\/lsp\//, /^lib\/baseline\/index\.js$/,
  /^lib\/format\/(json|sarif|gcc|github|checkstyle|rule-docs)\.js$/, /^lib\/cli\/commands\.js$/];

let dir = '';
beforeAll(() => {
  dir = scratch({ 'glance.ini': GLANCE_ROUTER_INI });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a single-file run reads one JavaScript file besides the launcher: the bundle', () => {
  requireBundle();
  const run = loaded(['--no-color', 'glance.ini'], dir);
  // With the code cache the bundle is compiled through vm.Script and is not in require.cache at all.
  expect(run.files.filter((f) => f !== 'bin/deploylint.js' && f !== 'dist/deploylint.cjs')).toEqual([]);
  expect(run.bundled).not.toBeNull();
  expect(run.bundled).toContain('lib/cli/main.js');
  // the same without the code cache: plain require of the bundle
  const plain = loaded(['--no-color', 'glance.ini'], dir, { DEPLOYLINT_COMPILE_CACHE: '0' });
  expect(plain.files).toEqual(['bin/deploylint.js', 'dist/deploylint.cjs']);
});

test('inside the bundle a single-file run evaluates no resolver, template layer, server, other formatter or lazy library', () => {
  requireBundle();
  const run = loaded(['--no-color', 'glance.ini'], dir);
  const bundled = run.bundled ?? [];
  // what it does evaluate: the ini path, the rules, the one formatter
  for (const m of ['lib/resolve/uwsgi-ini/index.js', 'lib/format/stylish.js', 'rules/uwsgi-quoted-value.js']) expect(bundled).toContain(m);
  expect(bundled.filter((m) => LAZY_MODULES.some((re) => re.test(m)))).toEqual([]);
  expect(run.packages.filter((p) => LAZY_PACKAGES.includes(p))).toEqual([]);
  // another format evaluates that formatter and not stylish
  const json = loaded(['--format', 'json', 'glance.ini'], dir).bundled ?? [];
  expect(json).toContain('lib/format/json.js');
  expect(json).not.toContain('lib/format/stylish.js');
});

test('a glob argument does evaluate the glob library (the trace can see it)', () => {
  requireBundle();
  expect(loaded(['--no-color', '*.ini'], dir).packages).toContain('fast-glob');
});

test('unbundled (dist/lib, the fallback without a bundle): no glob, ignore, YAML or colour library either', () => {
  requireBuild();
  const run = loaded(['--no-color', 'glance.ini'], dir, { DEPLOYLINT_UNBUNDLED: '1' });
  expect(run.bundled).toBeNull();
  expect(run.files).toContain('dist/lib/cli/main.js');
  expect(run.packages.filter((p) => LAZY_PACKAGES.includes(p))).toEqual([]);
  expect(loaded(['--no-color', '*.ini'], dir, { DEPLOYLINT_UNBUNDLED: '1' }).packages).toContain('fast-glob');
});
