/** The process edges main() talks to, passed in so the CLI can run in-process as well. */
export interface CliIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Text, or bytes (a `--diff` of files in their own encodings); `columns`: the terminal's width when stdout is one (stylish wraps messages to it). */
  stdout: { write(s: string | Uint8Array): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  readStdin(): string;
}

export function processIO(): CliIO {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    // process.stderr is made on first use (for a pipe that loads node's net and stream modules): a run
    // that writes nothing to stderr, the common case, does not pay for it
    stderr: {
      write: (s: string) => process.stderr.write(s),
      get isTTY() {
        return process.stderr.isTTY;
      },
    },
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    readStdin: () => (require('fs') as typeof import('fs')).readFileSync(0, 'utf8'),
  };
}

/**
 * Colour level for human output: --no-color / --color win, then FORCE_COLOR (0/false = off,
 * 1-3 = level), then NO_COLOR (any non-empty value = off, see no-color.org), then whether the
 * stream is a terminal.
 */
export function colorLevel(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (flag === false) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return n >= 1 && n <= 3 ? (n as 1 | 2 | 3) : 1;
  }
  if (flag === true) return 1;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (!isTTY || env.TERM === 'dumb') return 0;
  return env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit' ? 3 : /256/.test(env.TERM ?? '') ? 2 : 1;
}

/** Progress on stderr, only on a terminal and only once the run has taken more than a second. */
export class Progress {
  private readonly started = Date.now();
  private shown = false;
  constructor(private readonly stderr: CliIO['stderr'], private readonly thresholdMs = 1000) {}
  update(message: string): void {
    if (Date.now() - this.started < this.thresholdMs || !this.stderr.isTTY) return;
    this.shown = true;
    this.stderr.write(`\r\x1b[K${message}`);
  }
  done(): void {
    if (this.shown) this.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}
