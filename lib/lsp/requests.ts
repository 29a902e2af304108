/** The editor's requests on an open document: quick fixes (code actions) and hovers. */
import * as path from 'path';
import type { CodeAction, CodeActionParams, Diagnostic, Hover, HoverParams, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/finding';
import type { RuleMeta } from '../engine/types';
import { Budget } from '../input/budget';
import type { InputKind } from '../input/kind';
import { resolveTargets } from '../knowledge/targets';
import { disableAction, fixAction, QUICKFIX, type ActionContext } from './code-actions';
import { rangesTouch, toLspRange } from './diagnostics';
import { hoverAt } from './hover';
import { configForDir } from './linter';
import { OverlayReadGate, type Buffers } from './overlay-gate';
import type { Scope } from './scope';
import type { ServerSettings } from './settings';
import { uriToPath } from './uri';

export interface RequestContext {
  documents: TextDocuments<TextDocument>;
  settings: ServerSettings;
  buffers: Buffers;
  scopeOf(path: string): Scope | undefined;
  openDocument(path: string): TextDocument | undefined;
  uriOf(path: string): string;
  diagnosticOf(f: Finding): Diagnostic;
  kindOf(uri: string): InputKind | null | undefined;
  metaOf(id: string): RuleMeta | undefined;
  docsUrl(id: string): string | undefined;
  fileBytesLimit(): number;
}


/** Findings of the last run for an open document, if they were computed from its current text. */
function currentFindings(ctx: RequestContext, uri: string): { path: string; doc: TextDocument; scope: Scope; findings: Finding[] } | undefined {
  const p = uriToPath(uri);
  const doc = ctx.documents.get(uri);
  if (!p || !doc) return undefined;
  const scope = ctx.scopeOf(p);
  if (!scope) return undefined;
  const run = scope.lastRun;
  const findings = run && run.versions.get(p) === doc.version ? run.findingsByPath.get(p) ?? [] : [];
  return { path: p, doc, scope, findings };
}

export function codeActionsFor(ctx: RequestContext, params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((k) => k === '' || k === QUICKFIX || QUICKFIX.startsWith(`${k}.`))) return [];
  const current = currentFindings(ctx, params.textDocument.uri);
  if (!current) return [];
  const readGate = new OverlayReadGate({ roots: [current.scope.root, ...ctx.settings.allowRead], cwd: current.scope.root, budget: new Budget(ctx.settings.budgets) }, ctx.buffers);
  const actions: ActionContext = {
    document: current.doc,
    documentOf: (file) => {
      const open = ctx.openDocument(file);
      if (open) return open;
      const text = current.scope.diskText(file, readGate);
      return text === undefined ? undefined : TextDocument.create(ctx.uriOf(file), '', 0, text);
    },
    uriOf: ctx.uriOf,
  };
  const fixes: CodeAction[] = [];
  const disables: CodeAction[] = [];
  for (const f of current.findings) {
    const diagnostic = ctx.diagnosticOf(f);
    if (!rangesTouch(diagnostic.range, params.range)) continue;
    const fix = fixAction(f, diagnostic, actions);
    if (fix) fixes.push(fix);
    const disable = disableAction(f, diagnostic, actions);
    if (disable && !disables.some((a) => a.title === disable.title && a.edit?.changes && JSON.stringify(a.edit) === JSON.stringify(disable.edit))) disables.push(disable);
  }
  return [...fixes, ...disables];
}

export function hoverFor(ctx: RequestContext, params: HoverParams): Hover | null {
  const current = currentFindings(ctx, params.textDocument.uri);
  if (!current) return null;
  const { doc, path: p, scope } = current;
  const pos = params.position;
  const here = current.findings.filter((f) => {
    const r = toLspRange(f.location.range, doc);
    const empty = r.start.line === r.end.line && r.start.character === r.end.character;
    return empty ? r.start.line === pos.line : rangesTouch(r, { start: pos, end: pos });
  });
  const text = doc.getText();
  const kind = scope.discovery?.find((f) => f.path === p)?.kind ?? ctx.kindOf(doc.uri) ?? undefined;
  const configs = scope.lastRun?.configs ?? ctx.settings.configsFor(scope.root);
  const result = hoverAt({
    text,
    file: p,
    kind,
    offset: doc.offsetAt(pos),
    findings: here,
    targets: resolveTargets(configForDir(configs, path.dirname(p)).targets),
    metaOf: (id) => ctx.metaOf(id),
    docsUrl: (id) => ctx.docsUrl(id),
    maxChars: ctx.fileBytesLimit(),
  });
  if (!result) return null;
  return {
    contents: { kind: 'markdown', value: result.markdown },
    ...(result.range ? { range: { start: doc.positionAt(result.range.start), end: doc.positionAt(result.range.end) } } : {}),
  };
}

