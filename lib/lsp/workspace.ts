/**
 * What a scope's deployment is: the CLI's discovery over the workspace folder (through the run's
 * gate, with the configs' ignores), less the folders nested inside it (deployments of their own),
 * plus the open documents the walk leaves out (binary or oversized ones are named files, and an
 * unsaved new file counts when its text makes it a config).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Configs } from '../cli/configs';
import { discover, globMatcher } from '../input/discover';
import { detectInputKind, type InputKind } from '../input/kind';
import type { DeploymentFile } from './linter';
import type { OverlayReadGate } from './overlay-gate';
import type { Scope } from './scope';
import { isInside } from './uri';

/** File names whose change can change what discovery finds or how files are grouped. */
export const DISCOVERY_FILES = /(^|\/)(\.deploylintrc(\.json|\.ya?ml)?|package\.json|\.gitignore)$/;

export const WATCHED_GLOBS = ['**/*.ini', '**/*.conf', '**/*.uwsgi', '**/.htaccess', '**/sites-*/**', '**/conf.d/**', '**/.deploylintrc*', '**/package.json', '**/.gitignore'];

export interface WorkspaceContext {
  /** An open buffer's text, when the path is open. */
  textAt(path: string): string | undefined;
  /** Workspace folders inside this scope's folder. */
  innerRoots: string[];
  /** The open documents of this scope (their text and the kind their text gave). */
  openDocuments(): { path: string; text: string | undefined; kind: InputKind | null | undefined }[];
  warn(message: string): void;
}

export function discoverScope(scope: Scope, gate: OverlayReadGate, configs: Configs, ctx: WorkspaceContext): DeploymentFile[] {
  scope.forgetDiskTexts();
  if (scope.looseFile) {
    const p = scope.looseFile;
    const text = ctx.textAt(p);
    const kind = detectInputKind(p, text === undefined || text.length > gate.budget.limits['file-bytes'] ? undefined : text.slice(0, 1 << 20));
    return kind ? [{ path: p, kind }] : [];
  }
  const matchers = new Map<string, (abs: string, isDir: boolean) => boolean>();
  let found;
  try {
    found = discover([scope.root], {
      cwd: scope.root,
      gate,
      isIgnored: (abs, isDir) => {
        let loaded;
        try {
          loaded = configs.loadedFor(path.dirname(abs));
        } catch {
          return false; // a broken config is reported by the run; its ignores do not apply
        }
        if (!loaded.file || !loaded.config.ignore?.length) return false;
        let m = matchers.get(loaded.file);
        if (!m) matchers.set(loaded.file, (m = globMatcher(loaded.config.ignore, path.dirname(loaded.file))));
        return m(abs, isDir);
      },
    });
  } catch (e) {
    ctx.warn(`deploylint: cannot search ${scope.root}: ${(e as Error).message}`);
    return [];
  }
  const files: DeploymentFile[] = [];
  const seen = new Set<string>();
  // a workspace folder inside this one is a deployment of its own
  const inner = ctx.innerRoots;
  for (const f of found.files) {
    const abs = path.resolve(scope.root, f.path);
    if (inner.some((r) => isInside(abs, r))) continue;
    seen.add(abs);
    files.push({ path: abs, kind: f.kind, ...(f.section ? { section: f.section } : {}) });
    if (f.text !== undefined && ctx.textAt(abs) === undefined) scope.rememberDiskText(abs, f.text);
  }
  const limit = gate.budget.limits['file-bytes'];
  for (const { path: p, text, kind: bufferKind } of ctx.openDocuments()) {
    if (seen.has(p) || text === undefined) continue;
    let kind: InputKind | null | undefined;
    if (text.length > limit || text.includes('\0')) {
      // The walk leaves binary and oversized files out. A document open in the editor is named,
      // and a named file is never dropped silently: the parser says what is wrong with it.
      kind = detectInputKind(p, text.length > limit ? undefined : text.slice(0, 1 << 20));
    } else if (!fs.existsSync(p)) {
      // a new, unsaved file is part of the deployment when its text makes it a config
      kind = bufferKind;
    }
    if (kind) {
      files.push({ path: p, kind });
      seen.add(p);
    }
  }
  return files;
}
