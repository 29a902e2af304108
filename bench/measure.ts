/** Timing helpers: wall-clock milliseconds from the monotonic clock, medians, child processes (with their CPU time under GNU time). */
import { spawnSync, type SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function timeMs(fn: () => void): number {
  const start = nowMs();
  fn();
  return nowMs() - start;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface ProcessRun {
  ms: number;
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
  timedOut: boolean;
}

/** Run a process to completion (stdout discarded unless asked for), timing it from spawn to exit. */
export function runProcess(cmd: string, args: string[], opts: SpawnSyncOptions & { keepStdout?: boolean } = {}): ProcessRun {
  const devNull = fs.openSync('/dev/null', 'w');
  try {
    const start = nowMs();
    const r = spawnSync(cmd, args, {
      ...opts,
      stdio: ['ignore', opts.keepStdout ? 'pipe' : devNull, 'pipe'],
      maxBuffer: 1 << 30,
      encoding: 'utf8',
    });
    const ms = nowMs() - start;
    const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
    return { ms, status: r.status, signal: r.signal, stderr: String(r.stderr ?? ''), stdout: String(r.stdout ?? ''), timedOut };
  } finally {
    fs.closeSync(devNull);
  }
}

export function mbPerSecond(bytes: number, ms: number): number {
  return bytes / (1024 * 1024) / (ms / 1000);
}

export interface TimedRun extends ProcessRun {
  /** User + system CPU time of the command (and its children), from GNU time; null without it. */
  cpuMs: number | null;
  /** Peak resident set of the command, from GNU time; null without it. */
  maxRssMb: number | null;
}

const GNU_TIME = '/usr/bin/time';
const TIMEOUT = '/usr/bin/timeout';

export function canMeasureCpu(): boolean {
  return fs.existsSync(GNU_TIME);
}

/**
 * A process run under GNU time (`/usr/bin/time -f '%U %S %M'`), for its CPU time and peak RSS as well
 * as the wall time (taken here, around the whole run: time itself adds about a millisecond). A
 * limit is enforced by coreutils `timeout`, which kills the whole process group (time and the
 * command), not only its direct child. Without /usr/bin/time the command runs bare, CPU unknown.
 */
export function runTimed(cmd: string, args: string[], opts: SpawnSyncOptions & { keepStdout?: boolean; timeout?: number } = {}): TimedRun {
  if (!canMeasureCpu()) return { ...runProcess(cmd, args, opts), cpuMs: null, maxRssMb: null };
  const out = path.join(os.tmpdir(), `deploylint-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const timed = [GNU_TIME, '-f', '%U %S %M', '-o', out, cmd, ...args];
  const { timeout, ...rest } = opts;
  const limited = timeout && fs.existsSync(TIMEOUT) ? [TIMEOUT, '-s', 'KILL', `${Math.ceil(timeout / 1000)}s`, ...timed] : timed;
  try {
    const r = runProcess(limited[0], limited.slice(1), { ...rest, timeout: timeout ? timeout + 5000 : undefined });
    // timeout(1) exits 124, or 128+9 when it had to kill: the run did not finish
    if (limited !== timed && (r.status === 124 || r.status === 137)) return { ...r, timedOut: true, cpuMs: null, maxRssMb: null };
    let cpuMs: number | null = null;
    let maxRssMb: number | null = null;
    try {
      const line = fs.readFileSync(out, 'utf8').trim().split('\n').pop() ?? '';
      const m = /^([\d.]+) ([\d.]+) (\d+)$/.exec(line);
      if (m) {
        cpuMs = (Number(m[1]) + Number(m[2])) * 1000;
        maxRssMb = Number(m[3]) / 1024;
      }
    } catch {
      // time wrote nothing (killed)
    }
    return { ...r, cpuMs, maxRssMb };
  } finally {
    fs.rmSync(out, { force: true });
  }
}

export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
