/**
 * Runs the real apache2 in config-test mode only (`-t`, never serving) and reads its verdict, so the
 * oracle tests can compare deploylint with httpd. Modules are loaded with `-C LoadModule ...` before
 * the file is read, so the file under test is passed to httpd unchanged (its line numbers stay true).
 */
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const MODULE_DIR = '/usr/lib/apache2/modules';

/** Make sure apache2 exists (installing it as root when missing); returns false when it cannot. */
export function ensureApache2(): boolean {
  const has = () => {
    try {
      execFileSync('apache2', ['-v'], { stdio: 'ignore', timeout: 10000 });
      return true;
    } catch {
      return false;
    }
  };
  if (has()) return true;
  if (process.getuid && process.getuid() === 0) {
    try {
      execFileSync('apt-get', ['install', '-y', 'apache2'], { stdio: 'ignore', timeout: 300000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch {
      /* reported below */
    }
  }
  return has();
}

/** Fail under CI, skip otherwise (the house rule for tests needing a real server). */
export function requireApache2(): boolean {
  if (ensureApache2()) return true;
  const msg = 'apache2 is not installed and could not be installed: Apache oracle tests skipped';
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(msg);
  return false;
}

/** Module identifier -> .so for every module Debian ships (from mods-available/*.load). */
export function debianModules(): Map<string, string> {
  const out = new Map<string, string>();
  const dir = '/etc/apache2/mods-available';
  let files: string[] = [];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.load'));
  } catch {
    /* fall back on the file names below */
  }
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const m = /^\s*LoadModule\s+(\S+)\s+(\S+)/m.exec(text);
    if (m && fs.existsSync(m[2])) out.set(m[1], m[2]);
  }
  if (!out.size) {
    for (const so of fs.readdirSync(MODULE_DIR).filter((f) => f.endsWith('.so'))) {
      out.set(so.replace(/^mod_/, '').replace(/\.so$/, '') + '_module', path.join(MODULE_DIR, so));
    }
  }
  return out;
}

/** Every module that can be loaded together: one MPM (event), everything else. */
export function allCompatibleModules(): Map<string, string> {
  const all = debianModules();
  for (const id of [...all.keys()]) if (id === 'mpm_prefork_module' || id === 'mpm_worker_module') all.delete(id);
  return all;
}

export interface HttpdVerdict {
  ok: boolean;
  /** Innermost file and line of the first error, when httpd named one. */
  file?: string;
  line?: number;
  message?: string;
  stdout: string;
  stderr: string;
}

export function makeScratchServerRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-httpd-'));
  fs.mkdirSync(path.join(dir, 'logs'));
  return dir;
}

/** Parse `apache2 -t` output into a verdict. */
export function parseHttpdOutput(code: number | null, stdout: string, stderr: string): HttpdVerdict {
  if (code === 0 && !/Syntax error/.test(stderr)) return { ok: true, stdout, stderr };
  const lines = stderr.split('\n');
  // walk phase: "AH00526: Syntax error on line N of FILE:" then the message on the next line
  for (let i = 0; i < lines.length; i++) {
    const m = /AH00526: Syntax error on line (\d+) of (.*):$/.exec(lines[i]);
    if (m) return { ok: false, line: Number(m[1]), file: m[2], message: lines[i + 1] ?? '', stdout, stderr };
  }
  // read phase: "apache2: Syntax error on line N of FILE: [Syntax error on line M of FILE2: ...] MESSAGE"
  for (const l of lines) {
    if (!/Syntax error on line \d+ of /.test(l)) continue;
    const re = /Syntax error on line (\d+) of (.*?): /g;
    let m: RegExpExecArray | null;
    let last: RegExpExecArray | null = null;
    let lastEnd = 0;
    while ((m = re.exec(l))) {
      last = m;
      lastEnd = re.lastIndex;
    }
    if (last) return { ok: false, line: Number(last[1]), file: last[2], message: l.slice(lastEnd), stdout, stderr };
  }
  return { ok: false, message: lines.filter(Boolean).pop(), stdout, stderr };
}

export interface RunOptions {
  serverRoot: string;
  modules?: Map<string, string>;
  defines?: string[];
  env?: Record<string, string>;
  extraArgs?: string[];
  timeoutMs?: number;
}

export function runHttpdTest(file: string, opts: RunOptions): Promise<HttpdVerdict> {
  const args = ['-t', '-f', file, '-d', opts.serverRoot];
  for (const [id, so] of opts.modules ?? []) args.push('-C', `LoadModule ${id} ${so}`);
  for (const d of opts.defines ?? []) args.push('-D', d);
  args.push(...(opts.extraArgs ?? []));
  return new Promise((resolve) => {
    execFile(
      'apache2',
      args,
      { timeout: opts.timeoutMs ?? 15000, env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', ...(opts.env ?? {}) }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? ((err as NodeJS.ErrnoException & { code?: number }).code as unknown as number) ?? 1 : 0;
        resolve(parseHttpdOutput(typeof code === 'number' ? code : 1, String(stdout), String(stderr)));
      },
    );
  });
}

/** Run jobs with bounded parallelism. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Deterministic PRNG (mulberry32) for generated cases. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
