/**
 * deploylint's language server (`deploylint lsp`, JSON-RPC over stdio), on vscode-languageserver.
 *
 *   didOpen/didChange ──► the document's scope (workspace folder, or a loose file) is marked stale
 *                         and a run is scheduled after `debounceMs` of quiet (a newer edit restarts
 *                         the wait)
 *   run                ──► discovery (cached) ─► DeploymentLinter.lint(): one lint() per config
 *                         group, open buffers in place of their files (passed as text, and served by
 *                         the OverlayReadGate to every include), inline suppressions
 *                         a run yields between groups and before publishing; when a newer edit has
 *                         arrived by then, the run is dropped (its results are never published)
 *   publish            ──► diagnostics for every file of the deployment whose diagnostics changed
 *                         (and every edited open document), empty ones for files that lost theirs
 *
 * Every read goes through the input layer's ReadGate with the CLI's budgets; its roots are the
 * workspace folder (and `--allow-read`). Nothing the workspace holds ends the server: a failed run
 * is logged (window/logMessage) and shown as an `internal-error` diagnostic, a failed request is
 * logged and answered with nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { format } from 'util';
import {
  createConnection,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Configs } from '../cli/configs';
import type { Finding } from '../core/finding';
import type { RuleMeta } from '../engine/types';
import { Budget } from '../input/budget';
import { detectInputKind, detectWalkedKind } from '../input/kind';
import type { InputKind } from '../input/kind';
import { QUICKFIX } from './code-actions';
import { toDiagnostic } from './diagnostics';
import { FrameFilter } from './framing';
import { WholeDeploymentLinter, yieldToEventLoop, type DeploymentFile, type DeploymentLinter, type LintOutcome } from './linter';
import { OverlayReadGate } from './overlay-gate';
import { RuleDocs } from './rule-docs';
import { ServerLog } from './log';
import { publishFailure, publishRun } from './publish';
import { codeActionsFor, hoverFor, type RequestContext } from './requests';
import { Scope } from './scope';
import type { ServerSettings } from './settings';
import { discoverScope, DISCOVERY_FILES, WATCHED_GLOBS } from './workspace';
import { isInside, pathToUri, uriToPath } from './uri';

export { DEFAULT_DEBOUNCE_MS, type ServerSettings } from './settings';

export function startLanguageServer(settings: ServerSettings, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Connection {
  let report = (message: string): void => {
    process.stderr.write(`deploylint: ${message}\n`);
  };
  const frames = new FrameFilter((message) => report(message));
  input.on('error', (e) => report(`standard input: ${e.message}`));
  input.pipe(frames);
  const connection = createConnection(frames, output);
  report = (message) => connection.console.warn(`deploylint: ${message}`);
  new DeploylintServer(connection, settings).listen();
  return connection;
}

class DeploylintServer {
  private readonly documents = new TextDocuments(TextDocument);
  /** Open documents by absolute path and by real path: uri. */
  private readonly openByPath = new Map<string, string>();
  private folders: Scope[] = [];
  private readonly loose = new Map<string, Scope>();
  private debounceMs: number;
  private shuttingDown = false;
  private watchRegistration = false;

  constructor(private readonly connection: Connection, private readonly settings: ServerSettings) {
    this.debounceMs = settings.debounceMs;
  }

  listen(): void {
    const c = this.connection;
    if (this.settings.ownProcess !== false) {
      // stdout carries the protocol: anything printed goes to the client's log instead
      console.log = (...a: unknown[]) => c.console.log(Reflect.apply(format, null, a) as string);
      console.info = console.log;
      console.warn = (...a: unknown[]) => c.console.warn(Reflect.apply(format, null, a) as string);
      console.error = (...a: unknown[]) => c.console.error(Reflect.apply(format, null, a) as string);
      process.on('uncaughtException', (e) => this.logError('uncaught exception', e));
      process.on('unhandledRejection', (e) => this.logError('unhandled rejection', e));
    }

    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => {
      if (this.watchRegistration) {
        c.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) })
          .catch((e: unknown) => this.logError('registering file watchers', e));
      }
      if (this.hasFolderSupport) {
        c.workspace.onDidChangeWorkspaceFolders((event) => this.guard('workspace folders', () => {
          for (const removed of event.removed) this.removeFolder(removed);
          for (const added of event.added) this.addFolder(added);
        }));
      }
    });
    c.onShutdown(() => {
      this.shuttingDown = true;
      for (const scope of this.allScopes()) clearTimeout(scope.timer);
    });
    c.onDidChangeWatchedFiles((params) => this.guard('watched files', () => {
      for (const change of params.changes) {
        const p = uriToPath(change.uri);
        if (p) this.diskChanged(p);
      }
    }));
    c.onCodeAction((params) => this.guarded('code action', [], () => this.codeActions(params)));
    c.onHover((params) => this.guarded('hover', null, () => this.hover(params)));

    const d = this.documents;
    d.onDidOpen((e) => this.guard('didOpen', () => this.opened(e.document)));
    d.onDidChangeContent((e) => this.guard('didChange', () => this.changed(e.document)));
    d.onDidSave((e) => this.guard('didSave', () => this.saved(e.document)));
    d.onDidClose((e) => this.guard('didClose', () => this.closed(e.document)));
    d.listen(c);
    c.listen();
  }

  private hasFolderSupport = false;
  /** `initializationOptions.timing`: log each run's phases (window/logMessage, type Log). */
  private timing = false;

  private initialize(params: InitializeParams): InitializeResult {
    const options = params.initializationOptions as { debounceMs?: unknown; timing?: unknown } | undefined;
    if (typeof options?.debounceMs === 'number' && options.debounceMs >= 0 && options.debounceMs <= 60_000) this.debounceMs = options.debounceMs;
    this.timing = options?.timing === true;
    this.watchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.hasFolderSupport = params.capabilities.workspace?.workspaceFolders === true;
    const folders: WorkspaceFolder[] = params.workspaceFolders ?? [];
    if (folders.length === 0) {
      const root = params.rootUri ?? (params.rootPath ? pathToUri(params.rootPath) : null);
      if (root) folders.push({ uri: root, name: path.basename(root) });
    }
    for (const f of folders) this.addFolder(f);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [QUICKFIX] },
        hoverProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'deploylint', version: packageVersion() },
    };
  }

  // ---- scopes -------------------------------------------------------------------------------

  private newLinter(): DeploymentLinter {
    return this.settings.linterFactory ? this.settings.linterFactory() : new WholeDeploymentLinter();
  }

  private addFolder(folder: WorkspaceFolder): void {
    const root = uriToPath(folder.uri);
    if (!root || this.folders.some((s) => s.root === root)) return;
    const scope = new Scope(root, this.newLinter());
    this.folders.push(scope);
    // innermost folder first
    this.folders.sort((a, b) => b.root.length - a.root.length);
    // open documents now inside this folder leave their loose scopes (or an outer folder) for it
    let hasOpen = false;
    for (const [p, uri] of this.openByPath) {
      if (!isInside(p, root) || p !== uriToPath(uri)) continue;
      hasOpen = true;
      const loose = this.loose.get(p);
      if (loose) {
        this.loose.delete(p);
        this.retire(loose);
      }
    }
    for (const outer of this.folders) if (outer !== scope && isInside(root, outer.root) && outer.active) this.rerun(outer);
    if (hasOpen) {
      scope.active = true;
      this.schedule(scope);
    }
  }

  /** Run a scope again from discovery on (its files or their grouping changed). */
  private rerun(scope: Scope): void {
    scope.invalidateDiscovery();
    this.schedule(scope);
  }

  private removeFolder(folder: WorkspaceFolder): void {
    const root = uriToPath(folder.uri);
    const scope = this.folders.find((s) => s.root === root);
    if (!scope) return;
    this.folders = this.folders.filter((s) => s !== scope);
    this.retire(scope);
    // its open documents go to an outer folder, or are linted alone
    for (const [p, uri] of this.openByPath) {
      if (!isInside(p, scope.root) || p !== uriToPath(uri)) continue;
      const next = this.scopeOf(p, true)!;
      next.active = true;
      this.rerun(next);
    }
  }

  /** A scope that goes away takes its diagnostics with it. */
  private retire(scope: Scope): void {
    clearTimeout(scope.timer);
    scope.generation++;
    for (const uri of scope.published.keys()) this.connection.sendDiagnostics({ uri, diagnostics: [] });
    scope.published.clear();
  }

  private allScopes(): Scope[] {
    return [...this.folders, ...this.loose.values()];
  }

  /** The scope a file belongs to: the innermost workspace folder holding it, else its own loose scope. */
  private scopeOf(p: string, create = false): Scope | undefined {
    const folder = this.folders.find((s) => isInside(p, s.root));
    if (folder) return folder;
    let scope = this.loose.get(p);
    if (!scope && create) {
      scope = new Scope(path.dirname(p), this.newLinter(), p);
      this.loose.set(p, scope);
    }
    return scope;
  }

  // ---- documents ----------------------------------------------------------------------------

  private readonly kinds = new Map<string, InputKind | null>();

  private opened(doc: TextDocument): void {
    const p = uriToPath(doc.uri);
    if (!p) return;
    this.openByPath.set(p, doc.uri);
    const real = realPathOf(p);
    if (real !== p) this.openByPath.set(real, doc.uri);
    this.kinds.set(doc.uri, this.kindOfBuffer(p, doc.getText()));
    const scope = this.scopeOf(p, true)!;
    scope.active = true;
    if (!scope.discovery?.some((f) => f.path === p)) scope.invalidateDiscovery();
    scope.changed.add(p);
    this.schedule(scope);
  }

  private changed(doc: TextDocument): void {
    const p = uriToPath(doc.uri);
    if (!p) return;
    const scope = this.scopeOf(p);
    if (!scope) return;
    // A buffer that becomes (or stops being) a uWSGI or Apache config changes what discovery finds.
    const kind = this.kindOfBuffer(p, doc.getText());
    if (this.kinds.has(doc.uri) && this.kinds.get(doc.uri) !== kind) scope.invalidateDiscovery();
    this.kinds.set(doc.uri, kind);
    scope.changed.add(p);
    this.schedule(scope);
  }

  private saved(doc: TextDocument): void {
    const p = uriToPath(doc.uri);
    if (p) this.diskChanged(p);
  }

  private closed(doc: TextDocument): void {
    const p = uriToPath(doc.uri);
    this.kinds.delete(doc.uri);
    if (!p) return;
    for (const [k, uri] of this.openByPath) if (uri === doc.uri) this.openByPath.delete(k);
    const loose = this.loose.get(p);
    if (loose) {
      this.loose.delete(p);
      this.retire(loose);
      return;
    }
    // the file on disk takes the buffer's place again
    const scope = this.scopeOf(p);
    if (!scope) return;
    scope.invalidateDiscovery();
    scope.changed.add(p);
    this.schedule(scope);
  }

  /** A file changed on disk (saved, or reported by a file watcher): discovery and configs are read again. */
  private diskChanged(p: string): void {
    for (const scope of this.allScopes()) {
      if (!scope.active || !(isInside(p, scope.root) || scope.looseFile === p)) continue;
      if (!scope.discovery?.some((f) => f.path === p) || DISCOVERY_FILES.test(p)) scope.invalidateDiscovery();
      scope.resolveCache.clear();
      scope.changed.add(p);
      this.schedule(scope);
    }
  }

  private kindOfBuffer(p: string, text: string): InputKind | null {
    if (text.length > this.fileBytesLimit()) return detectInputKind(p, undefined);
    return detectWalkedKind(p, text);
  }

  private fileBytesLimit(): number {
    return new Budget(this.settings.budgets).limits['file-bytes'];
  }

  private readonly buffers = {
    textAt: (p: string): string | undefined => {
      const uri = this.openByPath.get(p);
      return uri === undefined ? undefined : this.documents.get(uri)?.getText();
    },
  };

  private versionOf(p: string): number | undefined {
    const uri = this.openByPath.get(p);
    return uri === undefined ? undefined : this.documents.get(uri)?.version;
  }

  private uriOf = (p: string): string => this.openByPath.get(p) ?? pathToUri(p);

  // ---- runs ---------------------------------------------------------------------------------

  /** (Re)start the quiet period of a scope: every edit makes a run in progress stale and waits again. */
  private schedule(scope: Scope, delay = this.debounceMs): void {
    if (this.shuttingDown) return;
    scope.generation++;
    clearTimeout(scope.timer);
    scope.timer = setTimeout(() => {
      scope.timer = undefined;
      void this.run(scope);
    }, delay);
  }

  private async run(scope: Scope): Promise<void> {
    if (scope.running) {
      scope.pending = true;
      return;
    }
    scope.running = true;
    const generation = scope.generation;
    const isStale = () => this.shuttingDown || scope.generation !== generation;
    const changed = scope.changed;
    scope.changed = new Set();
    const t0 = performance.now();
    try {
      const gate = new OverlayReadGate({ roots: [scope.root, ...this.settings.allowRead], cwd: scope.root, budget: new Budget(this.settings.budgets) }, this.buffers);
      const configs = this.settings.configsFor(scope.root);
      const discovered = !scope.discovery;
      if (!scope.discovery) scope.discovery = this.discover(scope, gate, configs);
      const t1 = performance.now();
      const versions = new Map<string, number>();
      for (const p of this.openByPath.keys()) {
        const v = this.versionOf(p);
        if (v !== undefined && (isInside(p, scope.root) || scope.looseFile === p)) versions.set(p, v);
      }
      const outcome = await scope.linter.lint({
        root: scope.root,
        files: scope.discovery,
        bufferText: this.buffers.textAt,
        textOf: (p) => this.buffers.textAt(p) ?? scope.diskText(p, gate),
        gate,
        configs,
        inlineSuppressions: this.settings.inlineSuppressions,
        hostFacts: this.settings.hostFacts,
        changed,
        cache: scope.resolveCache,
      }, isStale);
      const t2 = performance.now();
      // messages that arrived while lint() ran are read now: a newer edit makes this run stale
      await yieldToEventLoop();
      if (!outcome || isStale()) {
        for (const p of changed) scope.changed.add(p);
        if (this.timing) this.connection.console.log(`deploylint: run over ${scope.root} dropped: a newer edit arrived`);
        return;
      }
      const sent = this.publish(scope, outcome, versions, configs);
      if (this.timing) {
        const t3 = performance.now();
        this.connection.console.log(`deploylint: linted ${scope.discovery.length} files of ${scope.root}: ${outcome.findings.length} findings; ` +
          `configs and ${discovered ? 'discovery' : 'cached discovery'} ${(t1 - t0).toFixed(1)} ms, lint ${(t2 - t1).toFixed(1)} ms, publish ${(t3 - t2).toFixed(1)} ms (${sent} files sent)`);
      }
    } catch (e) {
      for (const p of changed) scope.changed.add(p);
      this.runFailed(scope, e);
    } finally {
      scope.running = false;
      if (scope.pending) {
        scope.pending = false;
        if (!scope.timer) this.schedule(scope, 0);
      }
    }
  }

  private discover(scope: Scope, gate: OverlayReadGate, configs: Configs): DeploymentFile[] {
    return discoverScope(scope, gate, configs, {
      textAt: (p) => this.buffers.textAt(p),
      innerRoots: this.folders.filter((s) => s !== scope && isInside(s.root, scope.root)).map((s) => s.root),
      openDocuments: () => [...this.openByPath].filter(([p, uri]) => p === uriToPath(uri) && this.scopeOf(p) === scope)
        .map(([p, uri]) => ({ path: p, text: this.documents.get(uri)?.getText(), kind: this.kinds.get(uri) })),
      warn: (message) => this.connection.console.warn(message),
    });
  }

  /** Send what changed; returns how many files were sent. */
  private publish(scope: Scope, outcome: LintOutcome, versions: Map<string, number>, configs: Configs): number {
    return publishRun(scope, outcome, versions, configs, {
      connection: this.connection,
      allowRead: this.settings.allowRead,
      uriOf: this.uriOf,
      diagnosticOf: (f) => this.diagnosticOf(f),
    });
  }

  private runFailed(scope: Scope, e: unknown): void {
    this.logError(`linting ${scope.looseFile ?? scope.root}`, e);
    const open = [...this.openByPath].filter(([p, uri]) => (isInside(p, scope.root) || scope.looseFile === p) && p === uriToPath(uri));
    publishFailure(scope, e, open.map(([p, uri]) => ({ uri, version: this.versionOf(p) })), this.connection, (id) => this.docsUrl(id));
  }

  private diagnosticOf(f: Finding): Diagnostic {
    return toDiagnostic(f, (id) => this.docsUrl(id), (file) => this.openDocument(file), this.uriOf);
  }

  private openDocument(p: string): TextDocument | undefined {
    const uri = this.openByPath.get(p);
    return uri === undefined ? undefined : this.documents.get(uri);
  }

  // ---- rule metadata ------------------------------------------------------------------------

  private readonly ruleDocs = new RuleDocs();

  private metaOf(id: string): RuleMeta | undefined {
    return this.ruleDocs.metaOf(id);
  }

  private docsUrl(id: string): string | undefined {
    return this.ruleDocs.docsUrl(id);
  }

  // ---- requests -----------------------------------------------------------------------------

  private requestContext(): RequestContext {
    return {
      documents: this.documents,
      settings: this.settings,
      buffers: this.buffers,
      scopeOf: (p) => this.scopeOf(p),
      openDocument: (p) => this.openDocument(p),
      uriOf: this.uriOf,
      diagnosticOf: (f) => this.diagnosticOf(f),
      kindOf: (uri) => this.kinds.get(uri),
      metaOf: (id) => this.metaOf(id),
      docsUrl: (id) => this.docsUrl(id),
      fileBytesLimit: () => this.fileBytesLimit(),
    };
  }

  private codeActions(params: CodeActionParams): CodeAction[] {
    return codeActionsFor(this.requestContext(), params);
  }

  private hover(params: HoverParams): Hover | null {
    return hoverFor(this.requestContext(), params);
  }

  private readonly log = new ServerLog(() => this.connection);

  private logError(what: string, e: unknown): void {
    this.log.error(what, e);
  }

  private guard(what: string, fn: () => void): void {
    this.log.guard(what, fn);
  }

  private guarded<T>(what: string, fallback: T, fn: () => T): T {
    return this.log.guarded(what, fallback, fn);
  }
}

function realPathOf(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return p;
  }
}

function packageVersion(): string {
  const { packageInfo } = require('../cli/package-info') as typeof import('../cli/package-info');
  return packageInfo().version;
}
