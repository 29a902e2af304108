/**
 * A small LSP client for the protocol tests: spawns the real server (`node bin/deploylint.js lsp
 * --stdio` on the built dist) and speaks JSON-RPC over its stdio with Content-Length framing. It can
 * also write raw bytes (garbage) to the server. Every wait is bounded and fails with what it waited
 * for; nothing measures wall-clock time.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { BIN, ROOT } from '../cli/helpers';

export interface Message {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: any;
  result?: any;
  error?: { code: number; message: string };
}

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  relatedInformation?: { location: { uri: string; range: any }; message: string }[];
}

export interface PublishParams {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export const WAIT_MS = 60_000;

export function uriOf(p: string): string {
  return pathToFileURL(p).href;
}

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams | undefined;
  private readonly toServer: NodeJS.WritableStream;
  readonly notifications: Message[] = [];
  stderr = '';
  exitCode: number | null | undefined = undefined;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(m: Message): void }>();
  private readonly listeners = new Set<() => void>();
  private readonly exited: Promise<number | null>;

  /** The real server in a child process, or (`streams`) a server running in this process. */
  constructor(options: { cwd?: string; env?: Record<string, string>; args?: string[]; streams?: { toServer: NodeJS.WritableStream; fromServer: NodeJS.ReadableStream } } = {}) {
    if (options.streams) {
      this.proc = undefined;
      this.toServer = options.streams.toServer;
      options.streams.fromServer.on('data', (chunk: Buffer) => this.onData(chunk));
      this.exited = new Promise(() => undefined);
      return;
    }
    const proc = spawn(process.execPath, [BIN, 'lsp', '--stdio', ...(options.args ?? [])], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...(options.env ?? {}) },
    });
    this.proc = proc;
    this.toServer = proc.stdin;
    proc.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    proc.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    // a write after the server exited must fail the test through its waits, not crash jest
    proc.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => proc.on('exit', (code) => {
      this.exitCode = code;
      resolve(code);
      this.wake();
    }));
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const m = /Content-Length: *(\d+)/i.exec(header);
      if (!m) throw new Error(`bad header from server: ${header}`);
      const length = Number(m[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(msg: Message): void {
    if (msg.method !== undefined && msg.id !== undefined && msg.id !== null) {
      // a request from the server (client/registerCapability, ...): accept it
      this.write({ jsonrpc: '2.0', id: msg.id, result: null });
      this.notifications.push(msg);
    } else if (msg.method !== undefined) {
      this.notifications.push(msg);
    } else if (typeof msg.id === 'number') {
      this.pending.get(msg.id)?.resolve(msg);
      this.pending.delete(msg.id);
    }
    this.wake();
  }

  private wake(): void {
    for (const l of [...this.listeners]) l();
  }

  write(msg: Message): void {
    this.writeRaw(Buffer.from(JSON.stringify(msg), 'utf8'));
  }

  /** One framed message whose body is `body` exactly (valid JSON or not). */
  writeRaw(body: Buffer): void {
    this.toServer.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  /** Bytes as they are, no framing. */
  writeBytes(bytes: Buffer | string): void {
    this.toServer.write(bytes);
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  async request(method: string, params: unknown, what = method): Promise<any> {
    const id = this.nextId++;
    const reply = new Promise<Message>((resolve) => this.pending.set(id, { resolve }));
    this.write({ jsonrpc: '2.0', id, method, params });
    const msg = await this.until(() => (this.exitCode !== undefined ? 'exited' : undefined), what, reply);
    if (msg === 'exited') throw new Error(`server exited (code ${this.exitCode}) before answering ${what}\n${this.stderr}`);
    if (msg.error) throw new Error(`${what}: ${msg.error.message}`);
    return msg.result;
  }

  /** Resolve when `check` gives a value or `race` settles; fail after WAIT_MS saying what was awaited. */
  until<T, R = never>(check: () => T | undefined, what: string, race?: Promise<R>, timeoutMs = WAIT_MS): Promise<T | R> {
    return new Promise<T | R>((resolve, reject) => {
      let done = false;
      const finish = (fn: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(poll);
        this.listeners.delete(listener);
        fn();
      };
      const listener = () => {
        const v = check();
        if (v !== undefined) finish(() => resolve(v));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; server stderr:\n${this.stderr.slice(-2000)}\nlast notifications: ${JSON.stringify(this.notifications.slice(-5)).slice(0, 3000)}`))), timeoutMs);
      this.listeners.add(listener);
      // conditions on state outside the messages (a linter's runs) are checked now and then too
      const poll = setInterval(listener, 20);
      race?.then((v) => finish(() => resolve(v)), (e) => finish(() => reject(e)));
      listener();
    });
  }

  /** The latest publishDiagnostics for `uri`, once one satisfies `accept` (seen from `since` on). */
  diagnostics(uri: string, accept: (p: PublishParams) => boolean = () => true, what = `diagnostics for ${uri}`, since = 0): Promise<PublishParams> {
    return this.until(() => {
      for (let i = this.notifications.length - 1; i >= since; i--) {
        const n = this.notifications[i];
        if (n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri) return accept(n.params) ? (n.params as PublishParams) : undefined;
      }
      return undefined;
    }, what) as Promise<PublishParams>;
  }

  publishes(uri: string): PublishParams[] {
    return this.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri).map((n) => n.params);
  }

  logMessages(): string[] {
    return this.notifications.filter((n) => n.method === 'window/logMessage').map((n) => String(n.params.message));
  }

  async initialize(rootPath: string | null, initializationOptions: unknown = { debounceMs: 20 }, capabilities: unknown = {}): Promise<any> {
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri: rootPath ? uriOf(rootPath) : null,
      workspaceFolders: rootPath ? [{ uri: uriOf(rootPath), name: path.basename(rootPath) }] : null,
      capabilities,
      initializationOptions,
    });
    this.notify('initialized', {});
    return result;
  }

  open(file: string, text: string, languageId = 'plaintext', version = 1): string {
    const uri = uriOf(file);
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return uri;
  }

  change(uri: string, version: number, text: string): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** shutdown, then exit: resolves to the exit code. */
  async stop(): Promise<number | null> {
    if (this.exitCode === undefined) {
      await this.request('shutdown', null);
      this.notify('exit', null);
    }
    return this.until(() => (this.exitCode === undefined ? undefined : this.exitCode), 'the server to exit');
  }

  kill(): void {
    if (this.exitCode === undefined) this.proc?.kill('SIGKILL');
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  waitExit(): Promise<number | null> {
    return this.exited;
  }
}
