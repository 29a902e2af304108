/** Timing helpers: wall-clock milliseconds from the monotonic clock, medians, child processes. */
import { spawnSync, type SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';

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
