/**
 * Hostile inputs through the real CLI process (`node bin/deploylint.js --format json ...`, built
 * dist/): include bombs and loops, symlink loops, files that vanish, files that cannot be read,
 * special files, odd bytes, huge lines, and includes that point outside the given paths. For each:
 * the run ends within a bound, exits 0 or 1 (never 2, never a stack trace), prints valid JSON whose
 * findings all have a position, still reports a well-formed neighbour file's findings, and leaves
 * every input file byte-for-byte as it was.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'bin', 'deploylint.js');
const BUILT_CLI = path.join(REPO, 'dist', 'lib', 'cli', 'main.js');
const RUN_TIMEOUT_MS = 60_000;

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  related?: { file: string; line: number; column: number; message: string }[];
}

interface JsonReport {
  version: number;
  findings: JsonFinding[];
  files: { path: string; kind: string; included: string[] }[];
  skipped?: { byReason: Record<string, number>; unreadable: string[] };
}

interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
  cwd: string;
  report?: JsonReport;
}

let root: string;
let neighbourFindings: JsonFinding[];

/** A well-formed ini with one known finding, given in every run to show the run goes on. */
const NEIGHBOUR = '[uwsgi]\nmodule = app.wsgi\nbogus-option-xyz = 1\nprocesses = 4\nsocket = 127.0.0.1:3031\n';

function runCli(args: string[], cwd: string, opts: { timeoutMs?: number; uid?: number; gid?: number } = {}): CliRun {
  const start = Date.now();
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? RUN_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', DEPLOYLINT_DEBUG: '' },
    uid: opts.uid,
    gid: opts.gid,
  });
  const run: CliRun = {
    status: r.status,
    signal: r.signal,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    timedOut: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT',
    ms: Date.now() - start,
    cwd,
  };
  try {
    run.report = JSON.parse(run.stdout) as JsonReport;
  } catch {
    run.report = undefined;
  }
  return run;
}

function caseDir(name: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'neighbour.ini'), NEIGHBOUR);
  return dir;
}

function write(dir: string, rel: string, content: string | Buffer): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

/** sha256 of every regular file under `dir` (symlinks recorded by target, special files by type). */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d)) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      if (st.isSymbolicLink()) out.set(p, `symlink:${fs.readlinkSync(p)}`);
      else if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.set(p, crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex') + `:${st.mode}`);
      else out.set(p, `special:${st.mode}`);
    }
  };
  walk(dir);
  return out;
}

const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|\(node:[^)]*\))$/m;

function describeRun(run: CliRun): string {
  return `exit ${run.status ?? run.signal} after ${run.ms} ms${run.timedOut ? ' (TIMED OUT, killed)' : ''}\n` +
    `stderr: ${run.stderr.slice(0, 1500)}\nstdout: ${run.stdout.slice(0, 800)}`;
}

function lineCount(file: string): number | null {
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > 64 * 1024 * 1024) return null;
    // Lines as editors count them (LF, CRLF or a lone CR), which is never fewer than LF-only lines.
    const text = fs.readFileSync(file, 'latin1');
    let n = 1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
    }
    return n;
  } catch {
    return null;
  }
}

/**
 * What every run must satisfy: bounded, exit 0/1, no stack trace, valid JSON, positioned findings,
 * the neighbour's findings still reported.
 */
function expectWellBehaved(run: CliRun): JsonReport {
  if (run.timedOut) throw new Error(`deploylint did not finish within the time limit: ${describeRun(run)}`);
  if (run.status !== 0 && run.status !== 1) throw new Error(`expected exit 0 or 1: ${describeRun(run)}`);
  if (STACK_FRAME.test(run.stderr) || /internal error/i.test(run.stderr)) throw new Error(`stack trace or internal error on stderr: ${describeRun(run)}`);
  if (!run.report) throw new Error(`stdout is not JSON: ${describeRun(run)}`);
  const report = run.report;
  expect(report.version).toBe(1);
  expect(Array.isArray(report.findings)).toBe(true);
  const bad: string[] = [];
  const counted = new Map<string, number | null>();
  const linesOf = (file: string) => {
    if (!counted.has(file)) counted.set(file, lineCount(file));
    return counted.get(file)!;
  };
  for (const f of report.findings) {
    const where = `${f.ruleId} ${JSON.stringify(f.file)}:${f.line}:${f.column}`;
    if (typeof f.file !== 'string' || f.file === '') bad.push(`${where}: no file`);
    if (!Number.isInteger(f.line) || f.line < 1) bad.push(`${where}: line < 1`);
    if (!Number.isInteger(f.column) || f.column < 1) bad.push(`${where}: column < 1`);
    const lines = typeof f.file === 'string' ? linesOf(path.resolve(run.cwd, f.file)) : null;
    if (lines !== null && f.line > lines) bad.push(`${where}: line beyond the file's ${lines} lines`);
  }
  if (bad.length) throw new Error(`findings without a valid position:\n  ${bad.slice(0, 10).join('\n  ')}`);
  const key = (f: JsonFinding): string => `${f.ruleId}:${f.line}:${f.column}`;
  const got = new Set(report.findings.filter((f) => path.basename(f.file) === 'neighbour.ini').map(key));
  const missing = neighbourFindings.map(key).filter((k) => !got.has(k));
  if (missing.length) throw new Error(`the neighbour file's findings are missing (${missing.join(', ')}): the run did not go on. ${describeRun(run)}`);
  return report;
}

/** Findings (or related locations) in `file`, optionally on `line`. */
function findingsAt(run: CliRun, file: string, line?: number): JsonFinding[] {
  const target = path.resolve(file);
  return (run.report?.findings ?? []).filter((f) => {
    const locs = [{ file: f.file, line: f.line }, ...(f.related ?? [])];
    return locs.some((l) => path.resolve(run.cwd, l.file) === target && (line === undefined || l.line === line));
  });
}

function expectFindingAt(run: CliRun, file: string, line?: number, what = ''): void {
  if (findingsAt(run, file, line).length > 0) return;
  const all = (run.report?.findings ?? []).map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column} ${f.message.slice(0, 100)}`);
  throw new Error(`expected a finding at ${path.relative(run.cwd, file)}${line ? `:${line}` : ''}${what ? ` (${what})` : ''}; got:\n  ${all.slice(0, 15).join('\n  ') || '(none)'}` +
    `\nskipped: ${JSON.stringify(run.report?.skipped ?? null)}`);
}

/** Run with the inputs hashed before and after; any change to an input fails the test. */
function runUnchanged(dirs: string[], args: string[], cwd: string, opts?: Parameters<typeof runCli>[2]): CliRun {
  const before = dirs.map(snapshot);
  const run = runCli(args, cwd, opts);
  dirs.forEach((d, i) => {
    const after = snapshot(d);
    const changed = [...new Set([...before[i].keys(), ...after.keys()])].filter((k) => before[i].get(k) !== after.get(k));
    if (changed.length) throw new Error(`deploylint changed its inputs: ${changed.slice(0, 5).join(', ')}`);
  });
  return run;
}

beforeAll(() => {
  if (!fs.existsSync(BUILT_CLI)) {
    throw new Error(`dist/ is not built (${path.relative(REPO, BUILT_CLI)} is missing): run \`npm run build\` first (\`npm test\` does).`);
  }
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-hostile-'));
  fs.chmodSync(root, 0o755);
  const dir = caseDir('baseline');
  const run = runCli(['neighbour.ini'], dir);
  if (!run.report) throw new Error(`the CLI does not run on a plain ini file: ${describeRun(run)}`);
  neighbourFindings = run.report.findings.filter((f) => path.basename(f.file) === 'neighbour.ini');
  if (neighbourFindings.length === 0) throw new Error('the neighbour ini gives no finding any more; pick a line that does');
});

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('include bombs', () => {
  it('an IncludeOptional glob matching 10,000 files is read (or reported) within the bound', () => {
    const dir = caseDir('glob-bomb');
    for (let i = 0; i < 10_000; i++) write(dir, `many/site-${String(i).padStart(5, '0')}.conf`, `# site ${i}\nDefine SITE_${i} 1\n`);
    const conf = write(dir, 'apache2.conf', `ServerRoot "${dir}"\nIncludeOptional many/*.conf\n`);
    const run = runUnchanged([dir], ['apache2.conf', 'neighbour.ini'], dir, { timeoutMs: 120_000 });
    const report = expectWellBehaved(run);
    const entry = report.files.find((f) => path.resolve(dir, f.path) === conf);
    const included = entry?.included.length ?? 0;
    if (included !== 10_000) expectFindingAt(run, conf, 2, `only ${included} of 10,000 files included and nothing said`);
  }, 180_000);

  it('an Include loop (a.conf -> b.conf -> a.conf) is reported at an Include line', () => {
    const dir = caseDir('include-loop');
    const a = write(dir, 'a.conf', `ServerName a.example\nInclude ${dir}/b.conf\n`);
    const b = write(dir, 'b.conf', `Include ${dir}/a.conf\n`);
    const run = runUnchanged([dir], ['a.conf', 'neighbour.ini'], dir);
    expectWellBehaved(run);
    if (findingsAt(run, a).length === 0) expectFindingAt(run, b, 1, 'include loop');
  });

  it('a 200-deep chain of Includes is reported (httpd stops at depth 128)', () => {
    const dir = caseDir('include-depth');
    for (let i = 0; i < 200; i++) write(dir, `chain/c${i}.conf`, i < 199 ? `Include ${dir}/chain/c${i + 1}.conf\n` : 'ServerName deep.example\n');
    const run = runUnchanged([dir], ['chain/c0.conf', 'neighbour.ini'], dir);
    expectWellBehaved(run);
    const hit = (run.report?.findings ?? []).some((f) => /chain\/c\d+\.conf$/.test(f.file) && /depth|recurs|loop/i.test(f.message + f.ruleId));
    if (!hit) expectFindingAt(run, path.join(dir, 'chain/c0.conf'), 1, 'include depth over 128');
  });

  it('a uWSGI ini that includes itself is reported at the ini line', () => {
    const dir = caseDir('ini-loop');
    const self = write(dir, 'self.ini', `[uwsgi]\nmodule = app.wsgi\nini = ${dir}/self.ini\n`);
    const run = runUnchanged([dir], ['self.ini', 'neighbour.ini'], dir);
    expectWellBehaved(run);
    expectFindingAt(run, self, undefined, 'include loop');
  });

  it('a 200-deep chain of uWSGI ini includes finishes', () => {
    const dir = caseDir('ini-depth');
    for (let i = 0; i < 200; i++) write(dir, `chain/c${i}.ini`, `[uwsgi]\n${i < 199 ? `ini = ${dir}/chain/c${i + 1}.ini\n` : 'module = deep.wsgi\n'}`);
    const run = runUnchanged([dir], ['chain/c0.ini', 'neighbour.ini'], dir);
    expectWellBehaved(run);
  });

  it('10,000 nested sections in one Apache file', () => {
    const dir = caseDir('deep-sections');
    write(dir, 'nested.conf', '<Location /x>\n'.repeat(10_000) + 'SetEnv A 1\n' + '</Location>\n'.repeat(10_000));
    const run = runUnchanged([dir], ['nested.conf', 'neighbour.ini'], dir);
    expectWellBehaved(run);
  });
});

describe('files that are not there or cannot be read', () => {
  it('a symlink loop given as a file is reported', () => {
    const dir = caseDir('symlink-loop');
    fs.symlinkSync('loop2.conf', path.join(dir, 'loop1.conf'));
    fs.symlinkSync('loop1.conf', path.join(dir, 'loop2.conf'));
    const run = runUnchanged([dir], ['loop1.conf', 'neighbour.ini'], dir);
    expectWellBehaved(run);
    expectFindingAt(run, path.join(dir, 'loop1.conf'), 1, 'ELOOP');
  });

  it('a directory symlink loop reached by `Include conf.d` is reported (httpd: nesting level 128)', () => {
    const dir = caseDir('dir-symlink-loop');
    write(dir, 'conf.d/site.conf', 'ServerName loop.example\n');
    fs.symlinkSync('.', path.join(dir, 'conf.d', 'again'));
    const conf = write(dir, 'apache2.conf', `ServerRoot "${dir}"\nInclude conf.d\n`);
    const run = runUnchanged([dir], ['apache2.conf', 'neighbour.ini'], dir);
    expectWellBehaved(run);
    expectFindingAt(run, conf, 2, 'directory recursion');
  });

  it('a dangling symlink given as a file (a file deleted between discovery and read) is reported', () => {
    const dir = caseDir('dangling');
    fs.symlinkSync(path.join(dir, 'deleted.conf'), path.join(dir, 'gone.conf'));
    fs.symlinkSync(path.join(dir, 'deleted.ini'), path.join(dir, 'gone.ini'));
    const run = runUnchanged([dir], ['gone.conf', 'gone.ini', 'neighbour.ini'], dir);
    expectWellBehaved(run);
    expectFindingAt(run, path.join(dir, 'gone.conf'), 1, 'file vanished');
    expectFindingAt(run, path.join(dir, 'gone.ini'), 1, 'file vanished');
  });

  it('a dangling symlink matched by an IncludeOptional glob does not stop the run', () => {
    const dir = caseDir('dangling-glob');
    write(dir, 'sites/a.conf', '<VirtualHost *:80>\nServerName a.example\n</VirtualHost>\n');
    fs.symlinkSync(path.join(dir, 'deleted.conf'), path.join(dir, 'sites', 'b.conf'));
    write(dir, 'apache2.conf', `ServerRoot "${dir}"\nIncludeOptional sites/*.conf\n`);
    const run = runUnchanged([dir], ['apache2.conf', 'neighbour.ini'], dir);
    expectWellBehaved(run);
  });

  it('a unix socket named like a config (open fails with ENXIO, even for root) is reported', async () => {
    const dir = caseDir('socket-file');
    const sock = path.join(dir, 'app.ini');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      const run = runUnchanged([dir], ['app.ini', 'neighbour.ini'], dir);
      expectWellBehaved(run);
      expectFindingAt(run, sock, 1, 'cannot open a socket');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a FIFO named like a config (open blocks until a writer comes) is reported without hanging', () => {
    const dir = caseDir('fifo-file');
    const fifo = path.join(dir, 'site.conf');
    const mk = spawnSync('mkfifo', [fifo]);
    if (mk.status !== 0) throw new Error(`mkfifo failed: ${mk.stderr}`);
    const run = runUnchanged([dir], ['site.conf', 'neighbour.ini'], dir, { timeoutMs: 30_000 });
    expectWellBehaved(run);
    expectFindingAt(run, fifo, 1, 'not a regular file');
  }, 60_000);

  it('a FIFO matched by an Include is reported at the Include line without hanging', () => {
    const dir = caseDir('fifo-include');
    fs.mkdirSync(path.join(dir, 'sites'));
    const mk = spawnSync('mkfifo', [path.join(dir, 'sites', 'pipe.conf')]);
    if (mk.status !== 0) throw new Error(`mkfifo failed: ${mk.stderr}`);
    const conf = write(dir, 'apache2.conf', `ServerRoot "${dir}"\nIncludeOptional sites/*.conf\n`);
    const run = runUnchanged([dir], ['apache2.conf', 'neighbour.ini'], dir, { timeoutMs: 30_000 });
    expectWellBehaved(run);
    expectFindingAt(run, conf, 2, 'Include of a FIFO');
  }, 60_000);

  it('a file the user running deploylint may not read (chmod 000, run as nobody) is reported', () => {
    const dir = caseDir('no-permission');
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, 'neighbour.ini'), 0o644);
    const secret = write(dir, 'secret.ini', '[uwsgi]\nmodule = app.wsgi\n');
    fs.chmodSync(secret, 0o000);
    const run = runUnchanged([dir], ['secret.ini', 'neighbour.ini'], dir, { uid: 65534, gid: 65534 });
    expectWellBehaved(run);
    expectFindingAt(run, secret, 1, 'EACCES');
  });

  it('a directory where uWSGI expects a file (`ini = DIR`) is reported at that line', () => {
    const dir = caseDir('dir-as-file');
    fs.mkdirSync(path.join(dir, 'vassals.ini'));
    const app = write(dir, 'app.ini', `[uwsgi]\nmodule = app.wsgi\nini = ${dir}/vassals.ini\n`);
    const run = runUnchanged([dir], ['app.ini', 'neighbour.ini'], dir);
    expectWellBehaved(run);
    expectFindingAt(run, app, 3, 'EISDIR');
  });

  it('a directory named like a file given on the command line does not stop the run', () => {
    const dir = caseDir('dir-named-file');
    fs.mkdirSync(path.join(dir, 'site.conf'));
    const run = runUnchanged([dir], ['site.conf', 'neighbour.ini'], dir);
    expectWellBehaved(run);
  });
});

describe('odd bytes', () => {
  it('non-UTF-8 (latin1) bytes: positions stay inside the lines', () => {
    const dir = caseDir('latin1');
    write(dir, 'latin1.ini', Buffer.from('[uwsgi]\n; caf\xe9 cr\xe8me\nmodule = caf\xe9.wsgi\nbogus-\xe9 = 1\n', 'latin1'));
    write(dir, 'latin1.conf', Buffer.from('# caf\xe9\nServerName caf\xe9.example\nSetEnv X "\xff\xfe"\n', 'latin1'));
    const run = runUnchanged([dir], ['latin1.ini', 'latin1.conf', 'neighbour.ini'], dir);
    expectWellBehaved(run);
  });

  it('empty files', () => {
    const dir = caseDir('empty');
    write(dir, 'empty.ini', '');
    write(dir, 'empty.conf', '');
    const run = runUnchanged([dir], ['empty.ini', 'empty.conf', 'neighbour.ini'], dir);
    expectWellBehaved(run);
  });

  it('binary files named like configs are reported', () => {
    const dir = caseDir('binary');
    const bytes = Buffer.alloc(4096);
    let s = 12345;
    for (let i = 0; i < bytes.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      bytes[i] = s >>> 24;
    }
    const ini = write(dir, 'blob.ini', bytes);
    const conf = write(dir, 'blob.conf', bytes);
    const run = runUnchanged([dir], ['blob.ini', 'blob.conf', 'neighbour.ini'], dir);
    expectWellBehaved(run);
    expectFindingAt(run, ini, undefined, 'binary file');
    expectFindingAt(run, conf, undefined, 'binary file');
  });

  it('NUL bytes inside lines are reported (uWSGI and httpd read C strings and stop at NUL)', () => {
    const dir = caseDir('nul');
    const ini = write(dir, 'nul.ini', '[uwsgi]\nmodule = app.wsgi\nsocket = /run/a\0b.sock\n');
    const conf = write(dir, 'nul.conf', 'ServerName a.example\nSetEnv X a\0b\n');
    const run = runUnchanged([dir], ['nul.ini', 'nul.conf', 'neighbour.ini'], dir);
    expectWellBehaved(run);
    expectFindingAt(run, ini, 3, 'NUL in a value');
    expectFindingAt(run, conf, 2, 'NUL in a directive');
  });

  it('a 1 MB line in an ini file and in an Apache config', () => {
    const dir = caseDir('huge-line');
    write(dir, 'huge.ini', `[uwsgi]\nmodule = app.wsgi\nenv = X=${'%($('.repeat(1 << 18)}\n`);
    write(dir, 'huge.conf', `ServerName a.example\nSetEnv X "${'${\\"'.repeat(1 << 18)}"\n`);
    const run = runUnchanged([dir], ['huge.ini', 'huge.conf', 'neighbour.ini'], dir, { timeoutMs: 60_000 });
    expectWellBehaved(run);
  }, 90_000);
});

describe('includes outside the given paths', () => {
  let outside: string;
  beforeAll(() => {
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-outside-'));
    // If read, each of these would give findings located in the outside file.
    write(outside, 'secret.conf', '<VirtualHost *:80>\nServerName secret.example\nProxyPass / http://0.0.0.0:1/\n');
    write(outside, 'secret.ini', '[uwsgi]\nhttp-socket = 0.0.0.0:9000\nbogus-secret-option = 1\n');
  });
  afterAll(() => {
    if (outside) fs.rmSync(outside, { recursive: true, force: true });
  });

  function expectNotRead(run: CliRun, paths: string[]): void {
    const report = run.report!;
    const read = report.files.flatMap((f) => [f.path, ...f.included]).map((p) => path.resolve(run.cwd, p));
    const leaked = report.findings.filter((f) => paths.some((p) => path.resolve(run.cwd, f.file) === p || path.resolve(run.cwd, f.file).startsWith(outside + path.sep)));
    const readOutside = read.filter((p) => paths.includes(p) || p.startsWith(outside + path.sep));
    if (leaked.length || readOutside.length) {
      throw new Error(`an include outside the given paths was read: files ${JSON.stringify(readOutside)}, findings ${JSON.stringify(leaked.slice(0, 3))}`);
    }
  }

  it('`Include /etc/passwd` and an Include of a file outside are reported, not read', () => {
    const dir = caseDir('outside-apache');
    const conf = write(dir, 'site.conf', `Include /etc/passwd\nInclude ${outside}/secret.conf\n<VirtualHost *:80>\nServerName inside.example\n</VirtualHost>\n`);
    const run = runUnchanged([dir, outside], ['site.conf', 'neighbour.ini'], dir);
    expectWellBehaved(run);
    expectNotRead(run, ['/etc/passwd', path.join(outside, 'secret.conf')]);
    expectFindingAt(run, conf, 1, 'Include outside the given paths');
    expectFindingAt(run, conf, 2, 'Include outside the given paths');
  });

  it('a uWSGI `ini =` of a file outside is reported, not read', () => {
    const dir = caseDir('outside-uwsgi');
    const ini = write(dir, 'app.ini', `[uwsgi]\nmodule = app.wsgi\nini = ${outside}/secret.ini\nini = /etc/passwd\n`);
    const run = runUnchanged([dir, outside], ['app.ini', 'neighbour.ini'], dir);
    expectWellBehaved(run);
    expectNotRead(run, ['/etc/passwd', path.join(outside, 'secret.ini')]);
    expectFindingAt(run, ini, 3, 'ini outside the given paths');
  });

  it('a ServerRoot of the config never widens what is read: an Include under it outside the given paths is reported, not read', () => {
    const dir = caseDir('outside-serverroot');
    const conf = write(dir, 'apache2.conf', `ServerRoot "${outside}"\nInclude secret.conf\n`);
    const run = runUnchanged([dir], ['apache2.conf', 'neighbour.ini'], dir);
    const report = expectWellBehaved(run);
    const entry = report.files.find((f) => path.resolve(dir, f.path) === conf);
    expect(entry?.included.map((p) => path.resolve(dir, p))).not.toContain(path.join(outside, 'secret.conf'));
    expect(report.findings.some((f) => f.ruleId === 'include-outside' && f.line === 2)).toBe(true);
  });
});

describe('shell scripts that write configs', () => {
  const iniLine = (k: number) => `    iniset "$conf" uwsgi opt-${k} ${k}\n`;

  it('10,000 iniset lines in one function: one generated ini, findings at the script\'s lines', () => {
    const dir = caseDir('shell-many-iniset');
    const script = write(dir, 'lib/many', `#!/bin/bash\nfunction w {\n    rm -f "$conf"\n    iniset "$conf" uwsgi module app.wsgi\n${Array.from({ length: 10_000 }, (_, k) => iniLine(k)).join('')}}\n`);
    const run = runUnchanged([dir], ['.'], dir);
    const report = expectWellBehaved(run);
    expect(report.files.find((f) => f.path === 'lib/many')?.kind).toBe('shell-script');
    expectFindingAt(run, script);
  });

  it('if blocks nested 5,000 deep: read, with the depth beyond 100 said once', () => {
    const dir = caseDir('shell-deep');
    const depth = 5_000;
    const script = write(dir, 'deep.sh', `f() {\nrm -f $c\n${'if c; then\n'.repeat(depth)}iniset $c uwsgi module app.wsgi\necho "KeepAlive Off" | sudo tee -a $a\n${'fi\n'.repeat(depth)}}\n`);
    const run = runUnchanged([dir], ['.'], dir);
    expectWellBehaved(run);
    expect(findingsAt(run, script).some((f) => f.ruleId === 'template-unsupported')).toBe(true);
    expect(findingsAt(run, script).some((f) => f.ruleId === 'apache-server-scope-proxy')).toBe(true);
  });

  it('lines built to make a pattern backtrack: 1 MB of `echo ProxyPass` with no redirect, an `if` condition of 200,000 `;`, a template tag of 200,000 ` #`', () => {
    // Both took minutes before (the shell-writer test was one pattern with `[^\n]*` between its
    // parts; a condition's trailing `;` were cut with /[;\s]+$/): a run within the timeout is the claim.
    const dir = caseDir('shell-backtrack');
    write(dir, 'words.sh', `#!/bin/bash\necho ${'ProxyPass '.repeat(100_000)}\n`);
    // an ERB tag whose condition is 400 KB of ` #` and a line break (a trailing-comment pattern retried from every blank)
    write(dir, 'tag.conf.erb', `<% if @x${' #'.repeat(200_000)}\n y %>\nKeepAlive Off\n<% end %>\n`);
    const cond = write(dir, 'cond.sh', `f() {\n  rm -f $c\n  if [ x ${'; '.repeat(200_000)}y ]; then\n    iniset $c uwsgi module app.wsgi\n  fi\n}\n`);
    const run = runUnchanged([dir], ['.'], dir, { timeoutMs: 30_000 });
    const report = expectWellBehaved(run);
    expect(report.files.find((f) => f.path === 'cond.sh')?.kind).toBe('shell-script');
    // the generated ini is linted: its findings are at the iniset line
    expect(findingsAt(run, cond, 4).length).toBeGreaterThan(0);
  });

  it('a 512 KB echo line, unclosed quotes and here-documents, case with 10,000 arms, 300 functions', () => {
    const dir = caseDir('shell-odd');
    const huge = write(dir, 'huge.sh', `f() {\n  echo "KeepAlive Off ${'x '.repeat(256 << 10)}" | sudo tee $a\n}\n`);
    write(dir, 'unclosed.sh', 'f() {\n  iniset $c uwsgi module "app\n  cat <<EOF | tee $a\nProxyPass / http://x/\n');
    write(dir, 'arms.sh', `f() {\n  rm -f $c\n  case $x in\n${Array.from({ length: 10_000 }, (_, k) => `  a${k}) iniset $c uwsgi processes ${k} ;;\n`).join('')}  esac\n  iniset $c uwsgi module app.wsgi\n}\n`);
    const fns = write(dir, 'fns.sh', Array.from({ length: 300 }, (_, k) => `f${k}() {\n  rm -f $c\n  iniset $c uwsgi module app${k}.wsgi\n}\n`).join(''));
    const run = runUnchanged([dir], ['.'], dir);
    expectWellBehaved(run);
    // the generated configs are bounded per script, and the cut is said where it happens
    expect(findingsAt(run, fns).some((f) => f.ruleId === 'budget-exceeded')).toBe(true);
    expect(findingsAt(run, path.join(dir, 'arms.sh')).some((f) => f.ruleId === 'template-variants-capped')).toBe(true);
    expect(findingsAt(run, huge, 2).length).toBeGreaterThan(0);
  });
});
