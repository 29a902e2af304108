/**
 * A scope is what one lint run covers, the way one CLI run would: a workspace folder (every uWSGI ini
 * and Apache file discovery finds under it, grouped by configuration file), or a file opened outside
 * every workspace folder (that file alone, as `deploylint FILE`). Each scope keeps its own discovery,
 * its debounce timer and generation counter, and what it last published.
 */
import * as fs from 'fs';
import type { Finding } from '../core/finding';
import type { Configs } from '../cli/configs';
import type { ReadGate } from '../input/gate';
import type { DeploymentFile, DeploymentLinter } from './linter';
import { ResolveCache } from '../lint-inputs';

export interface PublishedFile {
  /** The diagnostics as last sent, serialised (to send only what changed). */
  key: string;
  /** Version of the open document they were computed for. */
  version?: number;
}

export interface LastRun {
  /** Findings by absolute path. */
  findingsByPath: Map<string, Finding[]>;
  /** Versions of the open documents the run read. */
  versions: Map<string, number>;
  configs: Configs;
}

export class Scope {
  /** Has a document in it been opened (only active scopes are linted)? */
  active = false;
  /** Bumped by every change that makes a run in progress stale. */
  generation = 0;
  timer: NodeJS.Timeout | undefined;
  running = false;
  /** A run was asked for while one was running: start another when it ends. */
  pending = false;
  /** Discovery result, kept until something on disk or an open buffer's kind changes. */
  discovery: DeploymentFile[] | undefined;
  /** Paths whose text changed since the last completed run (the incremental linter's hint). */
  changed = new Set<string>();
  published = new Map<string, PublishedFile>();
  lastRun: LastRun | undefined;
  private readonly diskTexts = new Map<string, { text: string; mtimeMs: number; size: number }>();
  /**
   * What lint() resolved in earlier runs: an edit re-resolves only the files whose bytes (or whose
   * includes' bytes) changed. Dropped whenever something changes on disk, since a file added to a
   * globbed directory or an `if-exists` target is not in any file's bytes.
   */
  readonly resolveCache = new ResolveCache();

  constructor(
    /** The folder, or the loose file's directory: the root of the read gate. */
    readonly root: string,
    readonly linter: DeploymentLinter,
    /** Set for a file outside every workspace folder. */
    readonly looseFile?: string,
  ) {}

  invalidateDiscovery(): void {
    this.discovery = undefined;
    this.resolveCache.clear();
  }

  /** Remember text read from disk during discovery, so suppression checks need not read it again. */
  rememberDiskText(file: string, text: string): void {
    const st = statOf(file);
    if (st) this.diskTexts.set(file, { text, ...st });
  }

  /** The text of a file on disk: from the cache while its mtime and size hold, else read through the gate. */
  diskText(file: string, gate: ReadGate): string | undefined {
    const st = statOf(file);
    const hit = this.diskTexts.get(file);
    if (hit && st && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.text;
    const read = gate.readFile(file);
    if (!read.ok) {
      this.diskTexts.delete(file);
      return undefined;
    }
    const text = read.bytes.toString('utf8');
    if (st) this.diskTexts.set(file, { text, ...st });
    return text;
  }

  forgetDiskTexts(): void {
    this.diskTexts.clear();
  }
}

function statOf(file: string): { mtimeMs: number; size: number } | undefined {
  try {
    const st = fs.statSync(file);
    return { mtimeMs: st.mtimeMs, size: st.size };
  } catch {
    return undefined;
  }
}
