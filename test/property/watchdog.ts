/**
 * Bounds the time of one synchronous call (a parse or a resolution) even when it never returns.
 * Jest cannot interrupt a synchronous loop, so a separate thread watches a shared clock: when a call
 * runs past the limit it prints the call's label and input on stderr and kills the process, which
 * fails the suite loudly instead of hanging the test run.
 */
import { Worker } from 'worker_threads';

const INPUT_CHARS = 4096;

// Plain JavaScript: the worker runs outside ts-jest.
const WATCHER_SOURCE = `
const { workerData } = require('worker_threads');
const fs = require('fs');
const clock = new Float64Array(workerData.clock);
const label = new Uint16Array(workerData.label);
const input = new Uint16Array(workerData.input);
const lengths = new Int32Array(workerData.lengths);
const read = (arr, n) => { let s = ''; for (let i = 0; i < n; i++) s += String.fromCharCode(arr[i]); return s; };
setInterval(() => {
  const started = clock[0];
  if (started > 0 && Date.now() - started > workerData.limitMs) {
    fs.writeSync(2, '\\nWATCHDOG: ' + read(label, lengths[0]) + ' did not finish within ' + workerData.limitMs +
      ' ms; input (first ' + lengths[1] + ' chars of ' + lengths[2] + '): ' + JSON.stringify(read(input, lengths[1])) + '\\n');
    process.kill(process.pid, 'SIGKILL');
  }
}, 50);
`;

export class Watchdog {
  private readonly clock = new Float64Array(new SharedArrayBuffer(8));
  private readonly label = new Uint16Array(new SharedArrayBuffer(2 * 256));
  private readonly input = new Uint16Array(new SharedArrayBuffer(2 * INPUT_CHARS));
  private readonly lengths = new Int32Array(new SharedArrayBuffer(4 * 3));
  private readonly worker: Worker;

  constructor(readonly limitMs: number) {
    this.worker = new Worker(WATCHER_SOURCE, {
      eval: true,
      workerData: { clock: this.clock.buffer, label: this.label.buffer, input: this.input.buffer, lengths: this.lengths.buffer, limitMs },
    });
    this.worker.unref();
  }

  /** Run `fn`, killing the process if it takes longer than the limit. */
  run<T>(label: string, input: string, fn: () => T): T {
    const l = Math.min(label.length, this.label.length);
    for (let i = 0; i < l; i++) this.label[i] = label.charCodeAt(i);
    const n = Math.min(input.length, INPUT_CHARS);
    for (let i = 0; i < n; i++) this.input[i] = input.charCodeAt(i);
    this.lengths[0] = l;
    this.lengths[1] = n;
    this.lengths[2] = input.length;
    this.clock[0] = Date.now();
    try {
      return fn();
    } finally {
      this.clock[0] = 0;
    }
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
