/**
 * What the lab reads from a running httpd instead of from a client's answer: the start-up warnings
 * its MPM logs (AH00507, AH00513, AH00515, AH00180...: written to stderr with APLOG_STARTUP before
 * the ErrorLog opens, so they land in the server's console log), how many child processes it runs,
 * how much shared memory its scoreboard holds, and the lines its access log got. Each returns an
 * outcome and a one-line detail, like the clients.
 */
import * as fs from 'fs';
import type { Outcome } from './clients';
import { sleep } from './harness';

export interface Observation {
  outcome: Outcome;
  detail: string;
}

/**
 * An MPM's start-up adjustment: `AH00513: WARNING: MaxRequestWorkers of 250 is not an integer
 * multiple...` on the console (first read of the config), `AH00514: MaxRequestWorkers of 250 is not
 * an integer multiple...` in the ErrorLog (second read).
 */
const MPM_WARNING = /AH\d{5}: (?:WARNING: )?(?:ServerLimit|ThreadLimit|ThreadsPerChild|MaxRequestWorkers|StartServers|MinSpare\w+) of [^\n]*/g;

/** The MPM's start-up warnings in `logText`: fails-loudly when there is one (httpd changed a setting and said so). */
export function startupWarnings(logText: string): Observation {
  const warnings = logText.match(MPM_WARNING) ?? [];
  if (!warnings.length) return { outcome: 'works', detail: 'no MPM warning at start-up' };
  const ids = [...new Set(warnings.map((w) => w.slice(0, 7)))].join(', ');
  return { outcome: 'fails-loudly', detail: `${ids}: ${(warnings[0] ?? '').slice(9, 160)}` };
}

/**
 * A start-up message other than the MPM's (`AH00548: NameVirtualHost has no effect...`, `AH00545:
 * MaxRequestsPerChild is deprecated...`): fails-loudly when a line of the console or error log
 * matches `pattern` (httpd said the configuration is not what it reads), works when none does.
 */
export function startupNotices(logText: string, pattern: string): Observation {
  const re = new RegExp(pattern, 'g');
  const lines = logText.split('\n').filter((line) => { re.lastIndex = 0; return re.test(line); });
  if (!lines.length) return { outcome: 'works', detail: `no start-up message matching /${pattern}/` };
  const first = lines[0].replace(/^.*?(AH\d{5}: )/, '$1').slice(0, 140);
  const others = [...new Set(lines.slice(1).flatMap((l) => l.match(/AH\d{5}/g) ?? []))].filter((id) => !first.startsWith(id));
  return { outcome: 'fails-loudly', detail: `${first}${others.length ? ` (also ${others.join(', ')})` : ''}` };
}

function childrenOf(pid: number): number {
  let count = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
      if (new RegExp(`^PPid:\\s*${pid}$`, 'm').test(status)) count += 1;
    } catch { /* gone meanwhile */ }
  }
  return count;
}

/**
 * The most child processes the httpd parent `pid` runs over `windowMs` after start-up (the MPM
 * starts StartServers at once, then its idle maintenance may stop some one per second), against
 * the StartServers written: fewer is a silent cut.
 */
export async function startedProcesses(pid: number, startServers: number, windowMs = 1_500): Promise<Observation> {
  let most = 0;
  const end = Date.now() + windowMs;
  while (Date.now() < end) {
    most = Math.max(most, childrenOf(pid));
    await sleep(100);
  }
  const detail = `${most} child processes for StartServers ${startServers}`;
  return { outcome: most >= startServers ? 'works' : 'fails-silently', detail };
}

/**
 * The scoreboard's size: the shared anonymous mapping (`/dev/zero (deleted)`, rw-s) of the httpd
 * parent, ServerLimit × ThreadLimit worker slots. Measured on 2.4.71: 132 KiB for 16 × 25,
 * 236 MiB for 1024 × 720. Above `atMostBytes` (what the setup's MaxRequestWorkers needs) it holds
 * slots no process takes.
 */
export function scoreboardSize(pid: number, atMostBytes: number): Observation {
  let largest = 0;
  try {
    for (const line of fs.readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) rw-s .*\/dev\/zero \(deleted\)/.exec(line);
      if (m) largest = Math.max(largest, Number.parseInt(m[2], 16) - Number.parseInt(m[1], 16));
    }
  } catch (e) {
    return { outcome: 'fails-loudly', detail: `cannot read /proc/${pid}/maps: ${(e as Error).message}` };
  }
  const kib = Math.round(largest / 1024);
  const detail = `scoreboard ${kib >= 10240 ? `${Math.round(kib / 1024)} MiB` : `${kib} KiB`} (needed at most ${Math.round(atMostBytes / 1024)} KiB)`;
  if (largest === 0) return { outcome: 'fails-loudly', detail: 'no scoreboard mapping found' };
  return { outcome: largest > atMostBytes ? 'fails-silently' : 'works', detail };
}

/**
 * The access log's last line after a request to `path`: it must name the request; a line without it
 * (a bare word from a CustomLog whose format nickname is undefined) loses the record silently.
 */
export async function accessLogLine(file: string, path: string, waitMs = 3_000): Promise<Observation> {
  const end = Date.now() + waitMs;
  let text = '';
  while (Date.now() < end) {
    text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (text.trim()) break;
    await sleep(50);
  }
  const last = text.trim().split('\n').pop() ?? '';
  if (!last) return { outcome: 'fails-loudly', detail: 'nothing logged' };
  const detail = `logged: ${JSON.stringify(last.slice(0, 80))}`;
  return { outcome: last.includes(path) ? 'works' : 'fails-silently', detail };
}
