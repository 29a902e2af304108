/**
 * Runs the scenario matrix against live servers: each setup gets its own scratch directory and
 * servers, its probes run one after the other, deploylint is run on the same files while they
 * still exist, and everything is stopped and removed before the next setup takes the slot.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  chunkedUpload, classify, classifyPath, classifyStatic, contentLengthUpload, describe, describePath, describeStatic, largeHeaderRequest, pathRequest, oversizedUpload, slowRequest,
  stalledChunkedUpload, stalledContentLengthUpload, smallChunkedUpload, staticGet, type ClientResult, type Outcome, type Target,
} from './clients';
import { lintFiles, type LintRun } from './deploylint-cli';
import { accessLogLine, scoreboardSize, startedProcesses, startupNotices, startupWarnings } from './observations';
import { LabRun, groupAlive, processAlive, sleep, withLabRun, type StartedServer } from './harness';
import { APP_PROFILES, STALL_MS, STATIC_FILE, probeName, scenarioId, type Probe, type Setup } from './scenarios';

export interface ScenarioResult {
  id: string;
  setup: Setup;
  probe: Probe;
  outcome: Outcome;
  /** What happened, in a few words (status, bytes, error). */
  detail: string;
  /** Set when the first attempt had an unexpected outcome and the probe was run again. */
  firstAttempt?: string;
  elapsedMs: number;
}

export interface RecordedFile {
  name: string;
  kind: 'apache' | 'uwsgi-ini';
  /** The text the servers were started from, with the scratch path and ports made stable for docs. */
  displayText: string;
}

export interface SetupResult {
  setup: Setup;
  files: RecordedFile[];
  /** The deploylint config (app profiles) the lab passed along with the files. */
  appProfiles: Record<string, string>;
  startErrors: string[];
  scenarios: ScenarioResult[];
  lint: LintRun;
  /** Server log lines worth keeping (errors, warnings), for docs/lab.md. */
  logExcerpt: string;
  elapsedMs: number;
}

const SIGTERM_WAIT_MS = 15_000;

async function runProbe(run: LabRun, setup: Setup, probe: Probe, entryPort: number): Promise<{ outcome: Outcome; detail: string; result?: ClientResult }> {
  const answer = await runProbeKind(run, setup, probe, entryPort);
  // A probe that names the app it expects: a 2xx from another app is a silent failure.
  const app = answer.result?.json?.app;
  if (probe.expectApp && answer.outcome === 'works' && app !== probe.expectApp) {
    return { outcome: 'fails-silently', detail: `${answer.detail}, answered by app '${String(app)}', not '${probe.expectApp}'`, result: answer.result };
  }
  return answer;
}

async function runProbeKind(run: LabRun, setup: Setup, probe: Probe, entryPort: number): Promise<{ outcome: Outcome; detail: string; result?: ClientResult }> {
  const target: Target = { port: probe.targetPort?.(run.context()) ?? entryPort, path: probe.path ?? '/app' };
  switch (probe.kind) {
    case 'oversized-upload': return fromClient(await oversizedUpload(target));
    case 'slow-request': return fromClient(await slowRequest(target, probe.sleepSeconds ?? 5));
    case 'backend-restart': return backendRestartProbe(run, setup, target);
    case 'content-length': return fromClient(await contentLengthUpload(target));
    case 'chunked': return fromClient(await chunkedUpload(target));
    case 'chunked-small': return fromClient(await smallChunkedUpload(target));
    case 'chunked-stall': return fromClient(await stalledChunkedUpload(target, probe.stallMs ?? STALL_MS));
    case 'content-length-stall': return fromClient(await stalledContentLengthUpload(target, probe.stallMs ?? STALL_MS));
    case 'large-header': return fromClient(await largeHeaderRequest(target));
    case 'sigterm': return sigtermProbe(run.servers.find((s) => s.kind === 'uwsgi'));
    case 'path': {
      const result = await pathRequest(target);
      return { outcome: classifyPath(result, probe.backendPath ?? '/'), detail: `${describePath(result)} (wanted PATH_INFO ${probe.backendPath ?? '/'})`, result };
    }
    case 'static-file': {
      const result = await staticGet(target);
      return { outcome: classifyStatic(result, STATIC_FILE.text), detail: describeStatic(result, STATIC_FILE.text), result };
    }
    case 'startup-warnings': case 'startup-notices': case 'start-servers': case 'scoreboard-size': case 'access-log': return observeHttpd(run, probe, target);
  }
}

/**
 * Restarts the setup's (first) uWSGI instance the way a deploy or a crash does, and sends a request
 * as soon as it listens again: a warm-up request (must work), SIGINT to the uWSGI process group, one
 * request while it is down (Apache answers 503 and may put the worker in its error state), a fresh
 * start from the same file, then the request whose outcome counts.
 */
async function backendRestartProbe(run: LabRun, setup: Setup, target: Target): Promise<{ outcome: Outcome; detail: string; result?: ClientResult }> {
  const warm = await contentLengthUpload(target);
  if (classify(warm) !== 'works') return { outcome: 'fails-loudly', detail: `warm-up request failed: ${describe(warm)}` };
  const instance = setup.uwsgi[0];
  const server = run.servers.find((s) => s.kind === 'uwsgi' && processAlive(s.pid));
  if (!instance || !server) return { outcome: 'fails-loudly', detail: 'no running uWSGI server in this setup' };
  try { process.kill(-server.pid, 'SIGINT'); } catch { /* already gone */ }
  const gone = Date.now() + 10_000;
  while (Date.now() < gone && groupAlive(server.pid)) await sleep(50);
  const down = await contentLengthUpload(target);
  const ctx = run.context();
  const restarted = await run.startUwsgi(instance.file, instance.listen(ctx), instance.cwd?.(ctx));
  if (restarted.startError) return { outcome: 'fails-loudly', detail: `restart failed: ${restarted.startError}` };
  const after = await contentLengthUpload(target);
  return { outcome: classify(after), detail: `${describe(after)} right after the restart (while down: ${describe(down)})`, result: after };
}


/** The probes that read the running httpd itself (lab/observations.ts). */
async function observeHttpd(run: LabRun, probe: Probe, target: Target): Promise<{ outcome: Outcome; detail: string }> {
  const apache = run.servers.find((s) => s.kind === 'apache' && processAlive(s.pid));
  if (!apache) return { outcome: 'fails-loudly', detail: 'httpd is not running' };
  switch (probe.kind) {
    case 'startup-warnings': return startupWarnings(run.logs());
    case 'startup-notices': return startupNotices(run.logs(), probe.logPattern ?? '(?!)');
    case 'start-servers': return startedProcesses(apache.pid, probe.startServers ?? 1);
    case 'scoreboard-size': return scoreboardSize(apache.pid, probe.scoreboardAtMostBytes ?? 0);
    default: {
      const sent = await contentLengthUpload(target);
      const seen = await accessLogLine(run.filePath(probe.accessLog ?? 'access.log'), target.path);
      return { outcome: seen.outcome, detail: `${seen.detail} after ${describe(sent)}` };
    }
  }
}

function fromClient(result: ClientResult): { outcome: Outcome; detail: string; result: ClientResult } {
  return { outcome: classify(result), detail: describe(result), result };
}

/**
 * Sends SIGTERM to the uWSGI master, the way systemd or `docker stop` would, and sees whether it
 * stops. A 2.0 master without die-on-term logs "binary reloading uWSGI" and re-executes itself under
 * the same pid; with die-on-term it buries its workers (which can take a few seconds under load) and
 * exits.
 */
async function sigtermProbe(server: StartedServer | undefined): Promise<{ outcome: Outcome; detail: string }> {
  if (!server) return { outcome: 'fails-loudly', detail: 'no uWSGI server in this setup' };
  const logOffset = fs.existsSync(server.log) ? fs.statSync(server.log).size : 0;
  try { process.kill(server.pid, 'SIGTERM'); } catch { return { outcome: 'fails-loudly', detail: 'uWSGI was not running' }; }
  const deadline = Date.now() + SIGTERM_WAIT_MS;
  while (Date.now() < deadline) {
    if (!processAlive(server.pid)) return { outcome: 'works', detail: 'master exited on SIGTERM' };
    const logged = fs.readFileSync(server.log).subarray(logOffset).toString('utf8');
    if (/binary reloading uWSGI/.test(logged)) {
      await sleep(1_000);
      if (processAlive(server.pid)) return { outcome: 'fails-silently', detail: 'SIGTERM reloaded the master ("binary reloading uWSGI"); it kept running' };
    }
    await sleep(50);
  }
  return { outcome: 'fails-silently', detail: `master still running ${SIGTERM_WAIT_MS / 1000} s after SIGTERM` };
}

function appProfilesFor(setup: Setup): Record<string, string> {
  return Object.fromEntries(setup.apps.map((app) => [APP_PROFILES[app].glob, APP_PROFILES[app].profile]));
}

/** Replaces the scratch path and the random ports with stable stand-ins, so results.md does not churn. */
export function stableText(text: string, run: LabRun): string {
  let out = text.split(run.scratch).join('/srv/lab');
  let display = 18080;
  for (const [, port] of run.allocatedPorts) {
    out = out.replace(new RegExp(`(?<=:)${port}\\b`, 'g'), String(display));
    // A port written above 65535 on purpose (uWSGI binds it minus 65536) is kept in step.
    out = out.replace(new RegExp(`(?<=:)${port + 65536}\\b`, 'g'), String(display + 65536));
    display += 1;
  }
  return out;
}

export function interestingLogLines(logs: string): string {
  const keep = /error|invalid|timeout|refused|reset|AH0\d+|AH1\d+|OSError|unable|unknown|reload|strict|forbidden|chunked|HTTP\/1\.\d 5\d\d/i;
  const drop = /^\*\*\*|WARNING: you are running uWSGI as root|AH00558|AH00489|AH00490|AH00094|Attach interpreter|mapped \d+ bytes/;
  const lines = logs.split('\n').filter((l) => keep.test(l) && !drop.test(l));
  return lines.slice(0, 16).map((l) => l.slice(0, 240)).join('\n');
}

/** Writes a setup's files into the run's scratch directory: the files given to deploylint, and where the servers listen. */
export function writeSetupFiles(run: LabRun, setup: Setup): { written: string[]; listens: Array<Array<{ port?: number; socketPath?: string }>> } {
  const ctx = run.context();
  const written: string[] = [];
  const listens = setup.uwsgi.map((instance) => {
    written.push(run.writeFile({ name: instance.file, kind: 'uwsgi-ini', text: instance.text(ctx) }));
    // Files the ini includes are written beside it but not passed to deploylint: it follows the include.
    for (const include of instance.includes ?? []) run.writeFile({ name: include.file, kind: 'uwsgi-ini', text: include.text(ctx) });
    return instance.listen(ctx);
  });
  if (setup.apache) written.push(run.writeFile({ name: 'apache2.conf', kind: 'apache', text: setup.apache(ctx) }));
  // What the servers serve from the file system is not config: deploylint is not given it.
  for (const document of setup.documents ?? []) run.writeDocument(document.path, document.text);
  return { written, listens };
}

/** Starts the setup's servers from the files in scratch (as they are now); returns the start-up errors. */
export async function startSetup(run: LabRun, setup: Setup, listens: Array<Array<{ port?: number; socketPath?: string }>>): Promise<string[]> {
  const ctx = run.context();
  const startErrors: string[] = [];
  for (const [index, instance] of setup.uwsgi.entries()) {
    const server = await run.startUwsgi(instance.file, listens[index], instance.cwd?.(ctx));
    if (server.startError) startErrors.push(server.startError);
  }
  if (setup.apache) {
    const server = await run.startApache('apache2.conf', ctx.port('apache'));
    if (server.startError) startErrors.push(server.startError);
  }
  return startErrors;
}

/** Runs the setup's probes one after the other against its running servers. */
export async function probeSetup(run: LabRun, setup: Setup, expected: (probe: Probe) => Outcome = (probe) => probe.predicted): Promise<ScenarioResult[]> {
  const ctx = run.context();
  const scenarios: ScenarioResult[] = [];
  for (const probe of setup.probes) {
    const probeStarted = Date.now();
    let { outcome, detail } = await runProbe(run, setup, probe, ctx.port(setup.entryPort));
    let firstAttempt: string | undefined;
    // Timing races (a backend that resets while Apache still passes the body) can flip one
    // attempt on a loaded machine: an unexpected outcome is tried once more, and both are kept.
    if (outcome !== expected(probe) && probe.kind !== 'sigterm' && probe.kind !== 'backend-restart') {
      firstAttempt = `${outcome}: ${detail}`;
      ({ outcome, detail } = await runProbe(run, setup, probe, ctx.port(setup.entryPort)));
    }
    scenarios.push({ id: scenarioId(setup, probe), setup, probe, outcome, detail, firstAttempt, elapsedMs: Date.now() - probeStarted });
  }
  return scenarios;
}

export function appProfilesOf(setup: Setup): Record<string, string> {
  return appProfilesFor(setup);
}

export async function runSetup(setup: Setup, repoRoot: string): Promise<SetupResult> {
  const started = Date.now();
  return withLabRun(async (run) => {
    await run.reservePorts(setup.ports);
    const { written, listens } = writeSetupFiles(run, setup);
    const appProfiles = appProfilesFor(setup);

    // deploylint reads the very files the servers start from, while they exist.
    const lint = await lintFiles(repoRoot, written, appProfiles, run.scratch);

    const startErrors = await startSetup(run, setup, listens);
    const scenarios = await probeSetup(run, setup);
    const logExcerpt = stableText(interestingLogLines(run.logs()), run);
    const files: RecordedFile[] = run.files.map((file) => ({
      name: file.name, kind: file.kind, displayText: stableText(file.text, run),
    }));
    return {
      setup, files, appProfiles, startErrors: startErrors.map((e) => stableText(e, run)), scenarios,
      lint: { ...lint, findings: lint.findings.map((f) => ({ ...f, file: path.basename(f.file) })) },
      logExcerpt, elapsedMs: Date.now() - started,
    };
  });
}

/** Runs setups `concurrency` at a time, in matrix order. */
export async function runLab(setups: Setup[], repoRoot: string, concurrency = 4, onDone?: (r: SetupResult) => void): Promise<SetupResult[]> {
  const results: SetupResult[] = new Array(setups.length);
  let next = 0;
  const worker = async () => {
    while (next < setups.length) {
      const index = next++;
      results[index] = await runSetup(setups[index], repoRoot);
      onDone?.(results[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, setups.length) }, worker));
  return results;
}

export { probeName };
