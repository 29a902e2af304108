/**
 * Findings as LSP diagnostics: severity, range, the rule id as `code` with a link to its page, the
 * related locations as `relatedInformation`.
 *
 * Ranges come from the findings' 1-based lines and columns. Columns count UTF-16 code units, as
 * LSP positions do by default, and lines break at LF, CRLF and a lone CR as editors break them. The
 * one exception is an Apache file with a lone CR (httpd counts LF only, and so does the Apache
 * parser): there the range is taken from the offsets when the text is at hand.
 */
import type { Diagnostic, DiagnosticRelatedInformation, Range as LspRange } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Severity } from '../core/finding';
import type { Range } from '../core/source';
import { pathToUri } from './uri';

export const SOURCE = 'deploylint';

const SEVERITY: Record<Severity, 1 | 2 | 3> = { error: 1, warning: 2, info: 3 };

/** Text of a file for offset conversion, when it is at hand. */
export type DocumentOf = (file: string) => TextDocument | undefined;

const LONE_CR = /\r(?!\n)/;

export function toLspRange(range: Range, doc?: TextDocument): LspRange {
  if (doc && range.start.offset <= range.end.offset && range.end.offset <= doc.getText().length && LONE_CR.test(doc.getText())) {
    return { start: doc.positionAt(range.start.offset), end: doc.positionAt(range.end.offset) };
  }
  const start = { line: Math.max(0, range.start.line - 1), character: Math.max(0, range.start.column - 1) };
  let end = { line: Math.max(0, range.end.line - 1), character: Math.max(0, range.end.column - 1) };
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) end = start;
  return { start, end };
}

export function toDiagnostic(f: Finding, docsUrl: (ruleId: string) => string | undefined, documentOf: DocumentOf, uriOf: (file: string) => string = pathToUri): Diagnostic {
  const href = docsUrl(f.ruleId);
  const related: DiagnosticRelatedInformation[] | undefined = f.related?.map((r) => ({
    location: { uri: uriOf(r.location.file), range: toLspRange(r.location.range, documentOf(r.location.file)) },
    message: r.message,
  }));
  return {
    range: toLspRange(f.location.range, documentOf(f.location.file)),
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    ...(href ? { codeDescription: { href } } : {}),
    source: SOURCE,
    message: f.message,
    ...(related && related.length > 0 ? { relatedInformation: related } : {}),
  };
}

/** An `internal-error` diagnostic at the top of a file: deploylint itself failed on this run. */
export function internalErrorDiagnostic(message: string, docsUrl: (ruleId: string) => string | undefined): Diagnostic {
  const href = docsUrl('internal-error');
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 1,
    code: 'internal-error',
    ...(href ? { codeDescription: { href } } : {}),
    source: SOURCE,
    message: `deploylint failed on this deployment (${message}); the other findings could not be checked. The details are in the language server's log; please report this as a bug.`,
  };
}

/** A configuration file that does not load: shown on that file, as the CLI would refuse to run. */
export function configErrorDiagnostic(message: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 1,
    code: 'config-error',
    source: SOURCE,
    message: `${message}. Until it is fixed, files under it are linted with the default configuration.`,
  };
}

/** Do two LSP ranges overlap (touching counts)? */
export function rangesTouch(a: LspRange, b: LspRange): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
