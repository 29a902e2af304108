/**
 * Publishing a run: diagnostics for every file of the deployment whose diagnostics changed (and
 * every edited open document, with its version), empty ones for files that lost theirs; a config
 * file that cannot be read gets a diagnostic of its own.
 */
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import type { Configs } from '../cli/configs';
import type { Finding } from '../core/finding';
import { configErrorDiagnostic, internalErrorDiagnostic } from './diagnostics';
import type { LintOutcome } from './linter';
import type { Scope } from './scope';
import { isInside } from './uri';

export interface PublishContext {
  connection: Connection;
  allowRead: string[];
  uriOf(path: string): string;
  diagnosticOf(f: Finding): Diagnostic;
}

/** Send what changed; returns how many files were sent. */
export function publishRun(scope: Scope, outcome: LintOutcome, versions: Map<string, number>, configs: Configs, ctx: PublishContext): number {
  let sent = 0;
  const byPath = new Map<string, Finding[]>();
  for (const f of outcome.findings) {
    const list = byPath.get(f.location.file);
    if (list) list.push(f);
    else byPath.set(f.location.file, [f]);
  }
  scope.lastRun = { findingsByPath: byPath, versions, configs };
  const extra = new Map<string, Diagnostic[]>();
  for (const problem of outcome.configProblems) {
    ctx.connection.console.warn(`deploylint: ${problem.message}`);
    if (problem.file) extra.set(problem.file, [...(extra.get(problem.file) ?? []), configErrorDiagnostic(problem.message)]);
  }
  const paths = new Set<string>([...outcome.files, ...byPath.keys(), ...extra.keys(), ...versions.keys()]);
  const next = new Map<string, { key: string; version?: number }>();
  for (const p of paths) {
    if (!isInside(p, scope.root) && scope.looseFile !== p && !ctx.allowRead.some((r) => isInside(p, r))) continue;
    const uri = ctx.uriOf(p);
    const diagnostics = [...(byPath.get(p) ?? []).map((f) => ctx.diagnosticOf(f)), ...(extra.get(p) ?? [])];
    const key = JSON.stringify(diagnostics);
    const version = versions.get(p);
    const before = scope.published.get(uri);
    next.set(uri, { key, version });
    if ((before?.key ?? '[]') === key && before?.version === version) continue;
    ctx.connection.sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics });
    sent++;
  }
  for (const uri of scope.published.keys()) {
    if (next.has(uri)) continue;
    ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
    sent++;
  }
  scope.published = next;
  return sent;
}

/** A run that failed: an `internal-error` diagnostic on every open document of the scope. */
export function publishFailure(scope: Scope, e: unknown, open: { uri: string; version?: number }[], connection: Connection, docsUrl: (id: string) => string | undefined): void {
  const diagnostic = internalErrorDiagnostic((e as Error)?.message ?? String(e), docsUrl);
  const key = JSON.stringify([diagnostic]);
  for (const { uri, version } of open) {
    connection.sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics: [diagnostic] });
    scope.published.set(uri, { key, version });
  }
}
