/** Runs the real built CLI (`node bin/deploylint.js`) as a child process. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'deploylint.js');
export const FIXTURES = path.join(ROOT, 'fixtures');

/** Fails the test file clearly when the build step has not run. */
export function requireBuild(): void {
  const main = path.join(ROOT, 'dist', 'lib', 'cli', 'main.js');
  if (!fs.existsSync(main)) {
    throw new Error(`${main} is missing: the CLI tests run the compiled CLI. Build first: npx tsc -p tsconfig.json (npm test does this).`);
  }
  const lint = path.join(ROOT, 'dist', 'lib', 'lint.js');
  if (!fs.existsSync(lint)) throw new Error(`${lint} is missing: build first (npx tsc -p tsconfig.json).`);
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string | undefined> } = {}): CliRun {
  const env: Record<string, string | undefined> = { ...process.env };
  // Colour and CI settings of the machine running the tests must not leak into the output.
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  delete env.DEPLOYLINT_DEBUG;
  Object.assign(env, opts.env ?? {});
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input ?? '',
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A scratch directory filled from a { relativePath: content } map; removed by the caller. */
export function scratch(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-cli-')));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return dir;
}

export function fixture(rule: string, name: string): string {
  return fs.readFileSync(path.join(FIXTURES, rule, name), 'utf8');
}

/** A uWSGI ini with uWSGI's HTTP router and no http-chunked-input, for a generic app (a warning). */
export const GENERIC_ROUTER_INI = '[uwsgi]\nmodule = myapp.wsgi:application\nplugins = python3,http\ndie-on-term = true\nhttp = :8080\n';
/** The same for Glance, which takes chunked uploads (an error). */
export const GLANCE_ROUTER_INI = '[uwsgi]\nmodule = glance.wsgi.api:application\nplugins = python3,http\nmaster = true\ndie-on-term = true\nhttp = 127.0.0.1:9292\nsocket-timeout = 30\nbuffer-size = 65535\n';
export const GOOD_INI = '[uwsgi]\nmodule = myapp.wsgi:application\nplugins = python3\nsocket = 127.0.0.1:60999\nsocket-timeout = 60\nbuffer-size = 65535\nmaster = true\ndie-on-term = true\nneed-app = true\n';
