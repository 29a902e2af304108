/**
 * Language-server latency: the time from sending `textDocument/didChange` to receiving the
 * `textDocument/publishDiagnostics` for that version of the document, against the real server
 * (`node bin/deploylint.js lsp --stdio`, built). Prints figures; passes or fails nothing.
 *
 *   npm run bench:lsp                       (builds first)
 *   node dist/bench/lsp-latency.js [--quick] [--keep] [--json]
 *
 * `npm run bench` runs it as a child process with --json (one JSON object on stdout: the rows
 * below as data) and puts its figures in its own table, the edits in the 2,000-vhost workspace
 * without debounce judged against the goal (under 50 ms).
 *
 * Workspaces: the bundled example (examples/glance, copied), and a generated deployment of 2,000
 * vhost files under apache2.conf plus 2,000 uWSGI ini files (bench/generate.ts, fixed seed). Each is
 * measured with the server's default debounce (150 ms of quiet before a run, included in the
 * figure) and with no debounce (`initializationOptions.debounceMs = 0`: the server's own time).
 * Each edit waits for its diagnostics before the next is sent.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver/node';
import { writeDeployment } from './generate';
import { median, nowMs } from './measure';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'deploylint.js');
const quick = process.argv.includes('--quick');
const keep = process.argv.includes('--keep');
const json = process.argv.includes('--json');
const WAIT_MS = 600_000;

interface Publish {
  uri: string;
  version?: number;
  diagnostics: unknown[];
}

class Server {
  private readonly proc = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  readonly conn: MessageConnection;
  private readonly waiters: { uri: string; version: number; resolve(p: Publish): void }[] = [];
  readonly published = new Map<string, Publish>();
  /** The server's own account of each run (initializationOptions.timing). */
  readonly runs: string[] = [];

  constructor() {
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: Publish) => {
      this.published.set(p.uri, p);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && p.version === w.version) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.conn.onNotification('window/logMessage', (m: { message: string }) => {
      if (m.message.startsWith('deploylint: linted ')) this.runs.push(m.message);
    });
    this.conn.onRequest(() => null);
    this.conn.listen();
  }

  async initialize(root: string, debounceMs: number | undefined): Promise<void> {
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: path.basename(root) }],
      capabilities: {},
      initializationOptions: debounceMs === undefined ? { timing: true } : { debounceMs, timing: true },
    });
    await this.conn.sendNotification('initialized', {});
  }

  /** Resolves when diagnostics for `version` of `uri` arrive (bounded). */
  diagnostics(uri: string, version: number): Promise<Publish> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} version ${version} within ${WAIT_MS} ms`)), WAIT_MS);
      this.waiters.push({ uri, version, resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
  }

  async open(file: string, text: string): Promise<{ uri: string; ms: number; publish: Publish }> {
    const uri = pathToFileURL(file).href;
    const start = nowMs();
    const done = this.diagnostics(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version: 1, text } });
    const publish = await done;
    return { uri, ms: nowMs() - start, publish };
  }

  async change(uri: string, version: number, text: string): Promise<number> {
    const start = nowMs();
    const done = this.diagnostics(uri, version);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    await done;
    return nowMs() - start;
  }

  async stop(): Promise<void> {
    await this.conn.sendRequest('shutdown');
    await this.conn.sendNotification('exit');
    await new Promise((resolve) => this.proc.once('exit', resolve));
    this.conn.dispose();
  }
}

interface Case {
  name: string;
  root: string;
  /** Files to open, and how to edit each one (edit n of that file). */
  edits: { file: string; edit(text: string, n: number): string }[];
  count: number;
}

function fmt(ms: number): string {
  return `${ms.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} ms`;
}

/** One figure, as the table prints it and as --json gives it. */
export interface LatencyRow {
  workspace: string;
  /** The edited file, relative to the workspace. */
  file: string;
  /** Milliseconds of quiet the server waits before a run (its default when undefined: 150). */
  debounceMs: number | null;
  setting: string;
  measurement: 'open' | 'edit';
  label: string;
  /** Median (edits) or single (open) time in ms. */
  ms: number;
  runs: number;
  minMs?: number;
  maxMs?: number;
  spread: string;
}

function tableRow(r: LatencyRow): string {
  return `| ${r.workspace} | ${r.file} | ${r.setting} | ${r.label} | ${fmt(r.ms)} | ${r.spread} |`;
}

async function measure(c: Case, debounceMs: number | undefined): Promise<LatencyRow[]> {
  const server = new Server();
  const rows: LatencyRow[] = [];
  try {
    await server.initialize(c.root, debounceMs);
    const label = debounceMs === undefined ? 'default debounce (150 ms, included)' : `debounce ${debounceMs} ms`;
    for (const target of c.edits) {
      const original = fs.readFileSync(target.file, 'utf8');
      const opened = await server.open(target.file, original);
      const base = { workspace: c.name, file: path.relative(c.root, target.file), debounceMs: debounceMs ?? null, setting: label };
      rows.push({ ...base, measurement: 'open', label: 'didOpen -> first diagnostics (discovery + lint)', ms: opened.ms, runs: 1, spread: '' });
      const times: number[] = [];
      const firstRun = server.runs.length;
      for (let n = 1; n <= c.count; n++) {
        times.push(await server.change(opened.uri, n + 1, target.edit(original, n)));
        await new Promise((r) => setTimeout(r, 20));
      }
      const sorted = [...times].sort((a, b) => a - b);
      // the server's own split of its runs: configs + cached discovery, lint(), publishing
      const phase = (name: string) => median(server.runs.slice(firstRun).map((m) => Number(new RegExp(`${name} ([0-9.]+) ms`).exec(m)?.[1] ?? NaN)).filter((x) => !Number.isNaN(x)));
      rows.push({
        ...base, measurement: 'edit', label: `didChange -> publishDiagnostics, median of ${times.length}`, ms: median(times), runs: times.length,
        minMs: sorted[0], maxMs: sorted[sorted.length - 1],
        spread: `min ${fmt(sorted[0])}, max ${fmt(sorted[sorted.length - 1])}; server: discovery ${fmt(phase('cached discovery'))}, lint ${fmt(phase('lint'))}, publish ${fmt(phase('publish'))}`,
      });
    }
  } finally {
    await server.stop();
  }
  return rows;
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'lib', 'lsp', 'server.js'))) throw new Error('build first: npx tsc -p tsconfig.json');
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-lsp-bench-')));
  const rows: LatencyRow[] = [];
  try {
    const glance = path.join(tmp, 'glance');
    fs.cpSync(path.join(ROOT, 'examples', 'glance'), glance, { recursive: true });
    const vhosts = quick ? 200 : 2000;
    const generated = path.join(tmp, `deployment-${vhosts}`);
    fs.mkdirSync(generated);
    const dep = writeDeployment(generated, vhosts, 20261122);
    const cases: Case[] = [
      {
        name: 'examples/glance (3 files)',
        root: glance,
        count: quick ? 5 : 21,
        edits: [
          { file: path.join(glance, 'uwsgi', 'placement-api.ini'), edit: (t, n) => t.replace('"30"', `"${30 + n}"`) },
          { file: path.join(glance, 'apache2', 'sites-available', 'openstack-api.conf'), edit: (t, n) => t.replace('retry=0 acquire=1', `retry=${n} acquire=1`) },
        ],
      },
      {
        name: `generated: ${vhosts} vhosts + ${vhosts} ini files`,
        root: generated,
        count: quick ? 3 : 7,
        edits: [
          { file: dep.iniFiles[0], edit: (t, n) => `${t}\n# edit ${n}\nlisten = ${100 + n}\n` },
          { file: dep.vhostFiles[0], edit: (t, n) => t.replace('</VirtualHost>', `    Timeout ${60 + n}\n</VirtualHost>`) },
        ],
      },
    ];
    for (const c of cases) {
      for (const debounce of [undefined, 0]) rows.push(...await measure(c, debounce));
    }
    const cpus = os.cpus();
    if (json) {
      process.stdout.write(JSON.stringify({ node: process.version, quick, rows }) + '\n');
      return;
    }
    console.log(`deploylint lsp latency: ${new Date().toISOString()}, node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model ?? '?'}), ${quick ? 'quick' : 'full'} sizes`);
    console.log('');
    console.log('| workspace | edited file | server setting | measurement | figure | spread |');
    console.log('|---|---|---|---|---|---|');
    for (const r of rows) console.log(tableRow(r));
  } finally {
    if (keep) console.error(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
