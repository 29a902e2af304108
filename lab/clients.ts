/**
 * HTTP clients written on raw sockets, so the lab controls exactly what goes on the wire: a
 * Content-Length upload, a chunked upload, uploads that stall mid-body, and a request with a
 * large header. Every client has a hard timeout and never throws: failures come back as data.
 */
import { randomBytes } from 'crypto';
import * as net from 'net';

export interface Target {
  host?: string;
  port: number;
  /** Request path, e.g. `/app`. */
  path: string;
}

export interface ClientResult {
  client: ClientKind;
  status?: number;
  /** Response body (text), when one arrived. */
  body?: string;
  /** The app's JSON answer, when the body parsed as JSON. */
  json?: Record<string, unknown>;
  /** Connection error or "closed without response". */
  error?: string;
  timedOut: boolean;
  elapsedMs: number;
  /** Body bytes the client sent (the app should report the same number). */
  bodyBytes: number;
}

export type ClientKind = 'content-length' | 'chunked' | 'chunked-small' | 'chunked-stall' | 'content-length-stall' | 'large-header' | 'oversized-upload' | 'slow-request' | 'path'
  | 'static-get';

export const UPLOAD_BYTES = 300_000;
/** Bytes sent before a stall: large enough that Apache's 16 KiB prefetch is done and streaming. */
export const STALL_AFTER_BYTES = 128 * 1024;
export const LARGE_HEADER_BYTES = 6 * 1024;
export const SMALL_CHUNKED_BYTES = 8_000;
/** Just over httpd's LimitRequestBody default (1 GiB since 2.4.54): 1 GiB + 1 MiB. */
export const OVERSIZED_BYTES = 1024 * 1024 * 1024 + 1024 * 1024;

let sharedUpload: Buffer | undefined;
export function uploadBody(): Buffer {
  sharedUpload ??= randomBytes(UPLOAD_BYTES);
  return sharedUpload;
}

interface Exchange {
  /** Writes the request; resolves when everything is written (or the socket died). */
  write(socket: net.Socket, alive: () => boolean): Promise<void>;
  bodyBytes: number;
}

function head(target: Target, lines: string[]): string {
  return [`POST ${target.path} HTTP/1.1`, `Host: 127.0.0.1:${target.port}`, 'Connection: close', ...lines, '', ''].join('\r\n');
}

/**
 * Writes, then pauses a millisecond so the event loop can take in an early answer before the next
 * write: a server that answers without reading the body closes with unread data, the kernel then
 * resets the connection, and Node destroys the socket on the failed write before its answer is read.
 */
function writeAsync(socket: net.Socket, data: Buffer | string, alive: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (!alive()) return resolve();
    socket.write(data, () => setTimeout(resolve, 1));
  });
}

async function writeInPieces(socket: net.Socket, data: Buffer, alive: () => boolean, pieceSize = 16 * 1024): Promise<void> {
  for (let offset = 0; offset < data.length && alive(); offset += pieceSize) {
    await writeAsync(socket, data.subarray(offset, offset + pieceSize), alive);
  }
}

async function sleepWhile(ms: number, alive: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end && alive()) await new Promise((r) => setTimeout(r, Math.min(100, end - Date.now())));
}

function chunk(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
}

async function writeChunked(socket: net.Socket, body: Buffer, alive: () => boolean, chunkSize = 16 * 1024): Promise<void> {
  for (let offset = 0; offset < body.length && alive(); offset += chunkSize) {
    await writeAsync(socket, chunk(body.subarray(offset, offset + chunkSize)), alive);
  }
}

function parseResponse(raw: Buffer): { status?: number; body?: string } {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return {};
  const headText = raw.subarray(0, split).toString('latin1');
  const match = /^HTTP\/\d\.\d (\d{3})/.exec(headText);
  if (!match) return {};
  let body = raw.subarray(split + 4);
  if (/\r\ntransfer-encoding:\s*chunked/i.test(headText)) body = dechunk(body);
  return { status: Number(match[1]), body: body.toString('utf8') };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function exchange(kind: ClientKind, target: Target, plan: Exchange, timeoutMs: number): Promise<ClientResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const received: Buffer[] = [];
    let error: string | undefined;
    let timedOut = false;
    let open = true;
    // A port above 65535 (as written in a config with an out-of-range port) cannot be connected to
    // at all: net.connect throws ERR_SOCKET_BAD_PORT, which comes back as the client's error.
    if (!Number.isInteger(target.port) || target.port < 0 || target.port > 65535) {
      resolve({ client: kind, error: `ERR_SOCKET_BAD_PORT: ${target.port > 65535 ? 'no TCP port above 65535' : 'not a TCP port'}`, timedOut: false, elapsedMs: 0, bodyBytes: plan.bodyBytes });
      return;
    }
    const socket = net.connect({ host: target.host ?? '127.0.0.1', port: target.port });
    const finish = () => {
      if (!open) return;
      open = false;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(received);
      const parsed = parseResponse(raw);
      let json: Record<string, unknown> | undefined;
      if (parsed.body) {
        try { json = JSON.parse(parsed.body) as Record<string, unknown>; } catch { json = undefined; }
      }
      if (parsed.status === undefined && !error) {
        error = timedOut ? `no response within ${timeoutMs} ms` : raw.length ? 'unparsable response' : 'connection closed without response';
      }
      resolve({
        client: kind, status: parsed.status, body: parsed.body, json,
        error: parsed.status === undefined ? error : undefined,
        timedOut, elapsedMs: Date.now() - started, bodyBytes: plan.bodyBytes,
      });
    };
    const timer = setTimeout(() => { timedOut = true; finish(); }, timeoutMs);
    socket.on('data', (data) => received.push(data));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // A server that answers early (411, 502) and closes makes our pending writes fail with EPIPE or
      // ECONNRESET: keep what it already sent.
      error ??= e.code ?? e.message;
      if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT') finish();
    });
    socket.once('connect', () => {
      // Stop sending as soon as the server has answered: a server that answers before reading the
      // body (411, or an app that ignores it) then closes, and writing on would end in EPIPE/RST
      // that can destroy the socket before its answer is read.
      plan.write(socket, () => open && !socket.destroyed && received.length === 0).catch(() => undefined);
    });
  });
}

export function contentLengthUpload(target: Target, timeoutMs = 10_000): Promise<ClientResult> {
  const body = uploadBody();
  return exchange('content-length', target, {
    bodyBytes: body.length,
    write: async (socket, alive) => {
      await writeAsync(socket, head(target, ['Content-Type: application/octet-stream', `Content-Length: ${body.length}`]), alive);
      await writeInPieces(socket, body, alive);
    },
  }, timeoutMs);
}

export function chunkedUpload(target: Target, timeoutMs = 10_000): Promise<ClientResult> {
  const body = uploadBody();
  return exchange('chunked', target, {
    bodyBytes: body.length,
    write: async (socket, alive) => {
      await writeAsync(socket, head(target, ['Content-Type: application/octet-stream', 'Transfer-Encoding: chunked']), alive);
      await writeChunked(socket, body, alive);
      await writeAsync(socket, '0\r\n\r\n', alive);
    },
  }, timeoutMs);
}

/**
 * A chunked upload of SMALL_CHUNKED_BYTES: small enough for mod_proxy_http's 16 KiB prefetch to hold
 * the whole body, in which case it forwards it with a Content-Length (apache-facts.md 6.2).
 */
export function smallChunkedUpload(target: Target, timeoutMs = 10_000): Promise<ClientResult> {
  const body = uploadBody().subarray(0, SMALL_CHUNKED_BYTES);
  return exchange('chunked-small', target, {
    bodyBytes: body.length,
    write: async (socket, alive) => {
      await writeAsync(socket, head(target, ['Content-Type: application/octet-stream', 'Transfer-Encoding: chunked']), alive);
      await writeChunked(socket, body, alive, 4096);
      await writeAsync(socket, '0\r\n\r\n', alive);
    },
  }, timeoutMs);
}

/** Chunked upload that sends STALL_AFTER_BYTES, goes quiet for `stallMs`, then sends the rest. */
export function stalledChunkedUpload(target: Target, stallMs: number, timeoutMs = stallMs + 10_000): Promise<ClientResult> {
  const body = uploadBody();
  return exchange('chunked-stall', target, {
    bodyBytes: body.length,
    write: async (socket, alive) => {
      await writeAsync(socket, head(target, ['Content-Type: application/octet-stream', 'Transfer-Encoding: chunked']), alive);
      await writeChunked(socket, body.subarray(0, STALL_AFTER_BYTES), alive);
      await sleepWhile(stallMs, alive);
      await writeChunked(socket, body.subarray(STALL_AFTER_BYTES), alive);
      await writeAsync(socket, '0\r\n\r\n', alive);
    },
  }, timeoutMs);
}

/** Content-Length upload that sends STALL_AFTER_BYTES, goes quiet for `stallMs`, then sends the rest. */
export function stalledContentLengthUpload(target: Target, stallMs: number, timeoutMs = stallMs + 10_000): Promise<ClientResult> {
  const body = uploadBody();
  return exchange('content-length-stall', target, {
    bodyBytes: body.length,
    write: async (socket, alive) => {
      await writeAsync(socket, head(target, ['Content-Type: application/octet-stream', `Content-Length: ${body.length}`]), alive);
      await writeInPieces(socket, body.subarray(0, STALL_AFTER_BYTES), alive);
      await sleepWhile(stallMs, alive);
      await writeInPieces(socket, body.subarray(STALL_AFTER_BYTES), alive);
    },
  }, timeoutMs);
}

/** A small Content-Length POST carrying one header of LARGE_HEADER_BYTES (a big cookie or token). */
export function largeHeaderRequest(target: Target, timeoutMs = 10_000): Promise<ClientResult> {
  const body = Buffer.alloc(1000, 0x61);
  return exchange('large-header', target, {
    bodyBytes: body.length,
    write: async (socket, alive) => {
      const token = 'x'.repeat(LARGE_HEADER_BYTES);
      await writeAsync(socket, head(target, [`X-Auth-Token: ${token}`, `Content-Length: ${body.length}`]), alive);
      await writeAsync(socket, body, alive);
    },
  }, timeoutMs);
}

/**
 * A Content-Length upload of OVERSIZED_BYTES zeros, streamed in 1 MiB writes from one buffer (nothing
 * is held in memory or written to disk): over httpd's 1 GiB LimitRequestBody default. About a second
 * on loopback when it goes through.
 */
export function oversizedUpload(target: Target, timeoutMs = 120_000): Promise<ClientResult> {
  const piece = Buffer.alloc(1024 * 1024);
  return exchange('oversized-upload', target, {
    bodyBytes: OVERSIZED_BYTES,
    write: async (socket, alive) => {
      await writeAsync(socket, head(target, ['Content-Type: application/octet-stream', `Content-Length: ${OVERSIZED_BYTES}`]), alive);
      for (let sent = 0; sent < OVERSIZED_BYTES && alive(); sent += piece.length) await writeAsync(socket, piece, alive);
    },
  }, timeoutMs);
}

/** A small Content-Length POST to `path?sleep=N`, for the `slow` app: the app takes N seconds to answer. */
export function slowRequest(target: Target, seconds: number, timeoutMs = seconds * 1000 + 10_000): Promise<ClientResult> {
  const body = Buffer.alloc(1000, 0x61);
  const slowTarget = { ...target, path: `${target.path}?sleep=${seconds}` };
  return exchange('slow-request', slowTarget, {
    bodyBytes: body.length,
    write: async (socket, alive) => {
      await writeAsync(socket, head(slowTarget, ['Content-Type: application/octet-stream', `Content-Length: ${body.length}`]), alive);
      await writeAsync(socket, body, alive);
    },
  }, timeoutMs);
}

/** A GET of `target.path` with no body. */
function get(kind: ClientKind, target: Target, timeoutMs: number): Promise<ClientResult> {
  return exchange(kind, target, {
    bodyBytes: 0,
    write: async (socket, alive) => {
      await writeAsync(socket, [`GET ${target.path} HTTP/1.1`, `Host: 127.0.0.1:${target.port}`, 'Connection: close', '', ''].join('\r\n'), alive);
    },
  }, timeoutMs);
}

/** A GET for the `paths` app: it answers with the path it was given. */
export function pathRequest(target: Target, timeoutMs = 10_000): Promise<ClientResult> {
  return get('path', target, timeoutMs);
}

/**
 * A GET for a static file (`/static/hello.txt`), to tell whether httpd served the file from the
 * file system or the request went to an app (the lab apps answer any path with their JSON).
 */
export function staticGet(target: Target, timeoutMs = 10_000): Promise<ClientResult> {
  return get('static-get', target, timeoutMs);
}

export type Outcome = 'works' | 'fails-loudly' | 'fails-silently';

/**
 * For a `path` request: works when the app dispatches on `expected` (its PATH_INFO), fails-silently
 * when a 2xx carries another path (a doubled or missing slash reached the app), fails-loudly on
 * 4xx/5xx, a connection error or a timeout.
 */
export function classifyPath(result: ClientResult, expected: string): Outcome {
  if (result.status === undefined || result.status < 200 || result.status >= 300) return 'fails-loudly';
  return result.json?.PATH_INFO === expected ? 'works' : 'fails-silently';
}

/** One line saying what happened to a `path` request. */
export function describePath(result: ClientResult): string {
  if (result.status === undefined) return result.error ?? 'no response';
  if (typeof result.json?.PATH_INFO !== 'string') return String(result.status);
  const script = typeof result.json.SCRIPT_NAME === 'string' && result.json.SCRIPT_NAME ? `SCRIPT_NAME ${String(result.json.SCRIPT_NAME)}, ` : '';
  return `${result.status}, ${script}PATH_INFO ${String(result.json.PATH_INFO)}`;
}

/**
 * For a static GET: works when the answer is 2xx with exactly the file's text; fails-silently when a
 * 2xx came from elsewhere (an app's JSON: the file is never served, and nothing says so); fails-loudly
 * on 4xx/5xx, a connection error or a timeout.
 */
export function classifyStatic(result: ClientResult, fileText: string): Outcome {
  if (result.status === undefined || result.status < 200 || result.status >= 300) return 'fails-loudly';
  return result.body === fileText ? 'works' : 'fails-silently';
}

/** One line saying what a static GET got: the file, or which app answered. */
export function describeStatic(result: ClientResult, fileText: string): string {
  if (result.status === undefined) return result.error ?? 'no response';
  if (result.body === fileText) return `${result.status}, the file (${Buffer.byteLength(fileText)} bytes)`;
  const app = typeof result.json?.app === 'string' ? `app '${result.json.app}' answered` : `${Buffer.byteLength(result.body ?? '')} other bytes`;
  return `${result.status}, ${app}, not the file`;
}

/**
 * works: 2xx and the app read every byte; fails-silently: 2xx but bytes were lost; fails-loudly:
 * 4xx/5xx, a connection error or a timeout.
 */
export function classify(result: ClientResult): Outcome {
  if (result.status === undefined) return 'fails-loudly';
  if (result.status < 200 || result.status >= 300) return 'fails-loudly';
  const received = result.json?.bytes_received;
  return received === result.bodyBytes ? 'works' : 'fails-silently';
}

/** One line saying what happened, for the results table. */
export function describe(result: ClientResult): string {
  if (result.status === undefined) return result.error ?? 'no response';
  const received = result.json?.bytes_received;
  const detail = typeof received === 'number' ? `, ${received}/${result.bodyBytes} bytes` : '';
  const appError = typeof result.json?.error === 'string' ? ` (${String(result.json.error).slice(0, 80)})` : '';
  return `${result.status}${detail}${appError}`;
}
