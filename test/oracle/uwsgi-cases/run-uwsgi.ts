/**
 * Runs the real uWSGI to print its resolved configuration, without letting it start serving:
 * `--clock deploylint-oracle-stop` is acted on right after show-config and makes uWSGI exit at once
 * ("unable to set ... clock"), before it binds sockets, writes pid files, forks or daemonizes
 * anything (core/uwsgi.c: show_config() is followed by uwsgi_set_clock()). Every run has a hard
 * timeout and is killed by pid.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';

export const STOP_CLOCK = 'deploylint-oracle-stop';

export interface UwsgiRun {
  /** The show-config block (from the blank line before ";uWSGI instance configuration" to the blank line after ";end of configuration"), or null. */
  block: string | null;
  stderr: string;
  code: number | null;
  timedOut: boolean;
}

export function findUwsgi(): string | null {
  for (const p of ['/usr/bin/uwsgi', '/usr/bin/uwsgi-core', '/usr/local/bin/uwsgi']) if (fs.existsSync(p)) return p;
  return null;
}

/** Find uwsgi, installing uwsgi-core with apt-get when running as root and it is missing. */
export function ensureUwsgi(): string | null {
  const found = findUwsgi();
  if (found) return found;
  if (process.getuid && process.getuid() === 0) {
    spawnSync('apt-get', ['install', '-y', '-q', 'uwsgi-core'], { stdio: 'ignore', timeout: 300000 });
  }
  return findUwsgi();
}

/** Whether runs can go into a private network namespace with only loopback (needs root, unshare, ip). */
export function canIsolateNetwork(): boolean {
  const r = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore', timeout: 10000 });
  return r.status === 0;
}

export function uwsgiVersion(bin: string): string {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10000 });
  return (r.stdout ?? '').trim();
}

/** The path uWSGI reports as its binary (%b): the symlink chain resolved. */
export function uwsgiBinaryPath(bin: string): string {
  try {
    return fs.realpathSync(bin);
  } catch {
    return bin;
  }
}

export function extractShowConfig(stderr: string): string | null {
  const start = stderr.indexOf('\n;uWSGI instance configuration\n[uwsgi]\n');
  if (start < 0) return null;
  const endMarker = ';end of configuration\n\n';
  const end = stderr.indexOf(endMarker, start);
  if (end < 0) return null;
  return stderr.slice(start, end + endMarker.length);
}

export function runShowConfig(
  bin: string, argument: string, cwd: string, env: Record<string, string>, plugins: string[] = [], isolate = false, timeoutMs = 15000,
): Promise<UwsgiRun> {
  return new Promise((resolve) => {
    // --clock first: options after the file would be swallowed by an if-block the file leaves open
    const args = ['--clock', STOP_CLOCK, ...(plugins.length ? ['--plugins', plugins.join(',')] : []), '--show-config', '--ini', argument];
    // A socket with port 0 or no port is bound while options are applied, before the stop: in a
    // private network namespace (root only) nothing can reach it and no real interface is used.
    // `env -i K=V...` keeps the variables in the caller's order (UWSGI_* ones become options in that order).
    // 192.0.2.1 (TEST-NET-1) on the private loopback lets `socket = 192.*:N` (examples/logic.ini) find an address.
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const [cmd, cmdArgs] = isolate
      ? ['unshare', ['-n', 'sh', '-c', 'ip link set lo up && ip addr add 192.0.2.1/32 dev lo && exec env -i "$@"', 'sh', ...envArgs, bin, ...args]]
      : [bin, args];
    const child = spawn(cmd, cmdArgs as string[], {
      cwd, env, stdio: ['ignore', 'ignore', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }, timeoutMs);
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', () => {
      clearTimeout(timer);
      resolve({ block: null, stderr: '', code: null, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(chunks).toString('utf8');
      resolve({ block: extractShowConfig(stderr), stderr, code, timedOut });
    });
  });
}

/**
 * Exits inside an option's setter, after reading and before show-config, that depend on this
 * machine or on plugins deploylint does not model (route actions of router plugins that are not
 * loaded, a missing spooler directory, an unreadable TLS certificate). uWSGI prints no
 * configuration then, so the oracle cannot compare; such runs are counted apart.
 */
export const MACHINE_DEPENDENT_SETTER_EXITS: RegExp[] = [
  /unable to register route "/,
  /\[spooler directory\] access\(\)/,
  /\[uwsgi-ssl\] unable to assign certificate/,
  // sockets with port 0 are bound while options are applied; an address the machine lacks fails
  /bind\(\): Cannot assign requested address/,
  /unable to find a valid socket address/,
];

/** Run jobs with at most `limit` at a time. */
export async function pool<T, R>(items: T[], limit: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
