/**
 * Quick fixes: every fix a finding carries, as a WorkspaceEdit (offsets converted with each file's
 * positionAt), and "disable this rule for this line", which inserts
 * `# deploylint-disable-next-line <rule-id> -- <reason>` on its own line above the finding's line,
 * with that line's indentation (see lib/suppress for the syntax; `#` is a comment in both languages).
 */
import type { CodeAction, Diagnostic, TextEdit as LspTextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/finding';
import { SUPPRESSION_EXPIRED, SUPPRESSION_UNUSED } from '../suppress';

export const QUICKFIX = 'quickfix';
export const REASON_PLACEHOLDER = 'reason';

/** Findings a suppression comment makes no sense for. */
const NOT_SUPPRESSIBLE = new Set([SUPPRESSION_EXPIRED, SUPPRESSION_UNUSED, 'internal-error', 'config-error']);

export interface ActionContext {
  /** The document the request is for. */
  document: TextDocument;
  /** The text of another file the fix edits (open buffer, or the file read through the gate). */
  documentOf(file: string): TextDocument | undefined;
  uriOf(file: string): string;
}

/** The quick fix a finding carries, or undefined when it has none (or a file it edits cannot be read). */
export function fixAction(f: Finding, diagnostic: Diagnostic, ctx: ActionContext): CodeAction | undefined {
  if (!f.fix || f.fix.edits.length === 0) return undefined;
  const changes: Record<string, LspTextEdit[]> = {};
  for (const edit of f.fix.edits) {
    const doc = ctx.documentOf(edit.file);
    if (!doc) return undefined;
    const length = doc.getText().length;
    const { startOffset, endOffset } = edit.range;
    if (!(startOffset >= 0 && startOffset <= endOffset && endOffset <= length)) return undefined;
    const uri = ctx.uriOf(edit.file);
    (changes[uri] ??= []).push({ range: { start: doc.positionAt(startOffset), end: doc.positionAt(endOffset) }, newText: edit.text });
  }
  const edit: WorkspaceEdit = { changes };
  return { title: `${capitalise(f.fix.description)} (${f.ruleId})`, kind: QUICKFIX, diagnostics: [diagnostic], isPreferred: true, edit };
}

/** "Disable <rule> for this line": a suppression comment above the line the finding starts on. */
export function disableAction(f: Finding, diagnostic: Diagnostic, ctx: ActionContext): CodeAction | undefined {
  if (NOT_SUPPRESSIBLE.has(f.ruleId)) return undefined;
  const doc = ctx.document;
  const text = doc.getText();
  let line = diagnostic.range.start.line;
  if (line >= doc.lineCount) return undefined;
  // A directive continued with a backslash is one logical line: the comment goes above its first
  // physical line (inside the continuation it would become part of the directive).
  while (line > 0 && /\\[ \t]*$/.test(lineText(doc, line - 1))) line--;
  const current = lineText(doc, line);
  const indent = /^[ \t]*/.exec(current)![0];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const comment = `${indent}# deploylint-disable-next-line ${f.ruleId} -- ${REASON_PLACEHOLDER}${eol}`;
  const at = { line, character: 0 };
  return {
    title: `Disable ${f.ruleId} for this line`,
    kind: QUICKFIX,
    diagnostics: [diagnostic],
    edit: { changes: { [ctx.uriOf(f.location.file)]: [{ range: { start: at, end: at }, newText: comment }] } },
  };
}

function lineText(doc: TextDocument, line: number): string {
  const start = doc.offsetAt({ line, character: 0 });
  const end = line + 1 < doc.lineCount ? doc.offsetAt({ line: line + 1, character: 0 }) : doc.getText().length;
  return doc.getText().slice(start, end).replace(/\r?\n$|\r$/, '');
}

function capitalise(s: string): string {
  return s.length > 0 ? s[0].toUpperCase() + s.slice(1) : s;
}
