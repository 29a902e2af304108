/** The server never ends on a failure: what went wrong goes to the client's log (window/logMessage). */
import type { Connection } from 'vscode-languageserver/node';

export class ServerLog {
  constructor(private readonly connection: () => Connection) {}

  error(what: string, e: unknown): void {
    const err = e as Error;
    try {
      this.connection().console.error(`deploylint: internal error while ${what}: ${err?.stack ?? err?.message ?? String(e)}`);
    } catch {
      // the connection itself is gone; nothing left to tell
    }
  }

  guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.error(what, e);
    }
  }

  guarded<T>(what: string, fallback: T, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      this.error(what, e);
      return fallback;
    }
  }
}
