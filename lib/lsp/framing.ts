/**
 * A filter in front of vscode-jsonrpc's reader that passes on only well-formed frames
 * (`Content-Length: N\r\n\r\n` + N bytes). vscode-jsonrpc stops reading the rest of a chunk after a
 * header block without a usable Content-Length, and buffers without bound while it waits for a
 * header's end; here such a block is dropped (and reported), runaway header bytes are discarded, and
 * a body longer than MAX_BODY_BYTES is skipped rather than held in memory. Bodies that are not JSON
 * are left to vscode-jsonrpc, which reports them and reads on.
 */
import { Transform, type TransformCallback } from 'stream';

/** Longest header block kept while waiting for its end. */
const MAX_HEADER_BYTES = 64 * 1024;
/** Longest message body accepted: the read-bytes budget, far above any buffer worth linting. */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');

export class FrameFilter extends Transform {
  private buffer = Buffer.alloc(0);
  /** Bytes of an oversized body still to skip. */
  private skipping = 0;
  /** Body length of the frame being read, after its header was passed on. */
  private bodyLeft = 0;

  constructor(private readonly report: (message: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
    } catch (e) {
      this.report(`dropped unreadable input: ${(e as Error).message}`);
      this.buffer = Buffer.alloc(0);
    }
    callback();
  }

  private consume(chunk: Buffer): void {
    let data = this.buffer.length > 0 ? Buffer.concat([this.buffer, chunk]) : chunk;
    this.buffer = Buffer.alloc(0);
    while (data.length > 0) {
      if (this.skipping > 0) {
        const n = Math.min(this.skipping, data.length);
        this.skipping -= n;
        data = data.subarray(n);
        continue;
      }
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, data.length);
        this.push(data.subarray(0, n));
        this.bodyLeft -= n;
        data = data.subarray(n);
        continue;
      }
      const end = data.indexOf(HEADER_END);
      if (end < 0) {
        if (data.length > MAX_HEADER_BYTES) {
          this.report(`dropped ${data.length} bytes that hold no message header`);
          data = data.subarray(data.length - HEADER_END.length);
        }
        this.buffer = Buffer.from(data);
        return;
      }
      const header = data.subarray(0, end).toString('latin1');
      data = data.subarray(end + HEADER_END.length);
      const m = /^content-length:[ \t]*(\d+)[ \t]*$/im.exec(header);
      const length = m ? Number(m[1]) : NaN;
      if (!Number.isSafeInteger(length)) {
        this.report('dropped a message header without a valid Content-Length');
        continue;
      }
      if (length > MAX_BODY_BYTES) {
        this.report(`dropped a message of ${length} bytes (more than ${MAX_BODY_BYTES})`);
        this.skipping = length;
        continue;
      }
      this.push(Buffer.from(`Content-Length: ${length}\r\n\r\n`, 'ascii'));
      this.bodyLeft = length;
    }
  }
}
