/**
 * Starts real Apache httpd and uWSGI processes (Debian's packages) from config files that a lab
 * setup writes into a private scratch directory, waits until they listen, and stops every process
 * it started, by process group, whatever happens. Nothing is written outside the scratch directory:
 * logs, pid files, mutexes, mod_wsgi sockets and Apache's spooled request bodies (TMPDIR) all go
 * there, and the directory is removed at the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export const APACHE_BIN = '/usr/sbin/apache2';
export const UWSGI_BIN = '/usr/bin/uwsgi';
export const APACHE_MODULES_DIR = '/usr/lib/apache2/modules';
export const UWSGI_PLUGINS_DIR = '/usr/lib/uwsgi/plugins';
/** Apache refuses to serve as root; its children run as this user and must read the scratch dir. */
export const APACHE_RUN_USER = 'www-data';

/** The repository root, from lab/ (ts-jest) or dist/lab/ (compiled) alike. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'lab', 'apps'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`repository root not found above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;

/** What a setup's config renderers may ask for while writing their files. */
export interface SetupContext {
  scratch: string;
  /** A free loopback TCP port, the same one for the same name within a setup. */
  port(name: string): number;
  /** A path for a unix socket inside scratch. */
  unixSocket(name: string): string;
  /** Path of a lab app (lab/apps/NAME) copied into scratch, readable by Apache's user. */
  app(fileName: string): string;
}

export type ServerKind = 'apache' | 'uwsgi';

export interface ServerFile {
  /** File name inside scratch, e.g. `apache2.conf`, `uwsgi-api.ini`. */
  name: string;
  kind: 'apache' | 'uwsgi-ini';
  text: string;
}

export interface StartedServer {
  kind: ServerKind;
  file: string;
  pid: number;
  log: string;
  /** Set when the process exited (or never became ready) during start-up. */
  startError?: string;
}

interface LiveGroup {
  pid: number;
  scratch: string;
}

/** Every process group and scratch dir alive right now, for the exit handler. */
const liveGroups = new Set<LiveGroup>();
const liveScratchDirs = new Set<string>();
/** Every scratch dir this process created, so tests can check that all of them are gone. */
const createdScratchDirs: string[] = [];
export function scratchDirsCreated(): string[] {
  return [...createdScratchDirs];
}
let exitHandlerInstalled = false;

function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  // Last resort when the lab is interrupted or throws past its finally blocks: kill synchronously.
  process.on('exit', () => {
    for (const group of liveGroups) {
      try { process.kill(-group.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    for (const dir of liveScratchDirs) {
      try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => process.exit(130));
  }
}

const handedOutPorts = new Set<number>();

/** Asks the kernel for a free loopback port, never handing out the same one twice in this process. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const chosen = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolve(chosen));
      });
    });
    if (port && !handedOutPorts.has(port)) {
      handedOutPorts.add(port);
      return port;
    }
  }
  throw new Error('no free loopback port');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Is any process of this process group still alive? */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canConnect(target: { port?: number; socketPath?: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = target.socketPath
      ? net.connect({ path: target.socketPath })
      : net.connect({ host: '127.0.0.1', port: target.port! });
    const timer = setTimeout(() => { socket.destroy(); resolve(false); }, 500);
    socket.once('connect', () => { clearTimeout(timer); socket.destroy(); resolve(true); });
    socket.once('error', () => { clearTimeout(timer); resolve(false); });
  });
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** A scratch directory plus the servers started from the files in it. */
export class LabRun {
  readonly scratch: string;
  readonly files: ServerFile[] = [];
  readonly servers: StartedServer[] = [];
  private readonly ports = new Map<string, number>();
  private readonly groups: LiveGroup[] = [];
  private readonly children: ChildProcess[] = [];

  private constructor(scratch: string) {
    this.scratch = scratch;
  }

  static async create(): Promise<LabRun> {
    installExitHandler();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-lab-'));
    liveScratchDirs.add(scratch);
    createdScratchDirs.push(scratch);
    // Apache's children run as www-data: they must traverse scratch and read the apps.
    fs.chmodSync(scratch, 0o755);
    fs.mkdirSync(path.join(scratch, 'apps'), { mode: 0o755 });
    fs.mkdirSync(path.join(scratch, 'run'), { mode: 0o755 });
    fs.mkdirSync(path.join(scratch, 'tmp'), { mode: 0o1777 });
    fs.chmodSync(path.join(scratch, 'tmp'), 0o1777);
    const appsSource = path.join(repoRoot(), 'lab', 'apps');
    for (const name of fs.readdirSync(appsSource)) {
      if (!name.endsWith('.py')) continue;
      const target = path.join(scratch, 'apps', name);
      fs.copyFileSync(path.join(appsSource, name), target);
      fs.chmodSync(target, 0o644);
    }
    return new LabRun(scratch);
  }

  /** Ports are allocated up front (renderers are synchronous): call before rendering. */
  async reservePorts(names: string[]): Promise<void> {
    for (const name of names) {
      if (!this.ports.has(name)) this.ports.set(name, await freePort());
    }
  }

  get allocatedPorts(): Map<string, number> {
    return new Map(this.ports);
  }

  context(): SetupContext {
    return {
      scratch: this.scratch,
      port: (name) => {
        const port = this.ports.get(name);
        if (port === undefined) throw new Error(`port '${name}' was not reserved`);
        return port;
      },
      unixSocket: (name) => path.join(this.scratch, 'run', `${name}.sock`),
      app: (fileName) => path.join(this.scratch, 'apps', fileName),
    };
  }

  writeFile(file: ServerFile): string {
    const full = path.join(this.scratch, file.name);
    fs.writeFileSync(full, file.text, { mode: 0o644 });
    this.files.push(file);
    return full;
  }

  /**
   * Writes a file a server serves (a DocumentRoot's static file) at `relativePath` inside scratch,
   * readable by Apache's user; it is not a config file, so deploylint is not given it.
   */
  writeDocument(relativePath: string, text: string): string {
    const full = path.join(this.scratch, relativePath);
    if (!full.startsWith(this.scratch + path.sep)) throw new Error(`document outside scratch: ${relativePath}`);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    for (let dir = path.dirname(full); dir !== this.scratch; dir = path.dirname(dir)) fs.chmodSync(dir, 0o755);
    fs.writeFileSync(full, text, { mode: 0o644 });
    return full;
  }

  filePath(name: string): string {
    return path.join(this.scratch, name);
  }

  private spawnGroup(kind: ServerKind, file: string, command: string, args: string[], cwd = this.scratch): StartedServer {
    const log = path.join(this.scratch, `${path.basename(file)}.out`);
    const fd = fs.openSync(log, 'a');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      LANG: 'C.UTF-8',
      // Apache spools proxy-sendcl bodies through apr_temp_dir_get: keep them in scratch.
      TMPDIR: path.join(this.scratch, 'tmp'),
      PYTHONDONTWRITEBYTECODE: '1',
    };
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', fd, fd], env });
    fs.closeSync(fd);
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    child.on('error', () => { /* reported through the log and the readiness wait */ });
    const group: LiveGroup = { pid: child.pid, scratch: this.scratch };
    liveGroups.add(group);
    this.groups.push(group);
    this.children.push(child);
    const server: StartedServer = { kind, file, pid: child.pid, log };
    this.servers.push(server);
    return server;
  }

  /**
   * Starts `uwsgi --ini FILE` and waits until its first worker is up (or it exits). `listen`
   * addresses are then polled briefly; a router that never binds (e.g. `http =` without the
   * http plugin) is left for the clients to discover. `cwd` (default: scratch) is uWSGI's working
   * directory, from which it resolves relative paths such as `ini = common.ini`.
   */
  async startUwsgi(fileName: string, listen: Array<{ port?: number; socketPath?: string }>, cwd?: string): Promise<StartedServer> {
    const file = this.filePath(fileName);
    const server = this.spawnGroup('uwsgi', file, UWSGI_BIN, ['--ini', file], cwd);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const log = readText(server.log);
      if (/spawned uWSGI worker 1\b/.test(log)) break;
      if (!processAlive(server.pid)) {
        server.startError = `uwsgi exited during start-up: ${lastLines(log, 3)}`;
        return server;
      }
      await sleep(50);
    }
    if (!/spawned uWSGI worker 1\b/.test(readText(server.log))) {
      server.startError = `uwsgi not ready after ${READY_TIMEOUT_MS} ms`;
      return server;
    }
    for (const address of listen) {
      const listenDeadline = Date.now() + 2_000;
      while (Date.now() < listenDeadline && !(await canConnect(address))) await sleep(50);
    }
    return server;
  }

  /** Starts `apache2 -f FILE -d SCRATCH -DFOREGROUND` and waits until it accepts on `port`. */
  async startApache(fileName: string, port: number): Promise<StartedServer> {
    const file = this.filePath(fileName);
    const server = this.spawnGroup('apache', file, APACHE_BIN, ['-f', file, '-d', this.scratch, '-DFOREGROUND']);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (await canConnect({ port })) return server;
      if (!processAlive(server.pid)) {
        const text = readText(server.log) + readText(path.join(this.scratch, 'error.log'));
        server.startError = `apache2 exited during start-up: ${lastLines(text, 3)}`;
        return server;
      }
      await sleep(50);
    }
    server.startError = `apache2 not accepting on ${port} after ${READY_TIMEOUT_MS} ms`;
    return server;
  }

  /** Logs of every server plus Apache's ErrorLog, for diagnosing an outcome. */
  logs(): string {
    const parts = this.servers.map((s) => `--- ${path.basename(s.log)}\n${readText(s.log)}`);
    const errorLog = path.join(this.scratch, 'error.log');
    if (fs.existsSync(errorLog)) parts.push(`--- error.log\n${readText(errorLog)}`);
    return parts.join('\n');
  }

  /**
   * Stops every process group this run started: SIGINT for uWSGI (SIGTERM would reload a 2.0
   * master without die-on-term), SIGTERM for Apache, then SIGKILL after a grace period; then
   * removes the scratch directory.
   */
  async close(): Promise<void> {
    await Promise.all(this.servers.map((server, index) => this.stopGroup(server, this.groups[index])));
    // LAB_KEEP_SCRATCH=1 keeps the files (servers are stopped all the same) for debugging a rule.
    if (process.env.LAB_KEEP_SCRATCH === '1') {
      process.stderr.write(`lab: kept ${this.scratch}\n`);
    } else {
      fs.rmSync(this.scratch, { recursive: true, force: true });
    }
    liveScratchDirs.delete(this.scratch);
  }

  private async stopGroup(server: StartedServer, group: LiveGroup): Promise<void> {
    const gentle = server.kind === 'uwsgi' ? 'SIGINT' : 'SIGTERM';
    try { process.kill(-group.pid, gentle); } catch { /* already gone */ }
    let deadline = Date.now() + STOP_GRACE_MS;
    while (groupAlive(group.pid) && Date.now() < deadline) await sleep(50);
    if (groupAlive(group.pid)) {
      try { process.kill(-group.pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
      deadline = Date.now() + 2_000;
      while (groupAlive(group.pid) && Date.now() < deadline) await sleep(50);
    }
    liveGroups.delete(group);
  }
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}

/** Runs `body` with a fresh LabRun and always closes it. */
export async function withLabRun<T>(body: (run: LabRun) => Promise<T>): Promise<T> {
  const run = await LabRun.create();
  try {
    return await body(run);
  } finally {
    await run.close();
  }
}

export interface ServerAvailability {
  ok: boolean;
  missing: string[];
}

const REQUIRED_PATHS: Record<string, string> = {
  apache2: APACHE_BIN,
  'uwsgi-core': UWSGI_BIN,
  'uwsgi-plugin-python3': path.join(UWSGI_PLUGINS_DIR, 'python3_plugin.so'),
  'libapache2-mod-wsgi-py3': path.join(APACHE_MODULES_DIR, 'mod_wsgi.so'),
};

export function checkServers(): ServerAvailability {
  const missing = Object.entries(REQUIRED_PATHS).filter(([, p]) => !fs.existsSync(p)).map(([pkg]) => pkg);
  return { ok: missing.length === 0, missing };
}

/**
 * Makes sure the Debian packages are installed: installs missing ones with apt-get when running as
 * root. Returns why it could not, or undefined when everything is there.
 */
export function ensureServers(): string | undefined {
  let availability = checkServers();
  if (availability.ok) return undefined;
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update'], { stdio: 'ignore', env, timeout: 300_000 });
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...availability.missing], {
      stdio: 'ignore', env, timeout: 600_000,
    });
    availability = checkServers();
    if (availability.ok) return undefined;
  }
  return `missing Debian packages: ${availability.missing.join(', ')} (install them with apt-get as root)`;
}
