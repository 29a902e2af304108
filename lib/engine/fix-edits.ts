/**
 * Building a fix's edits the way a careful operator writes them: a changed word replaces exactly that
 * word; a new line copies the indentation of the line it follows and the file's own line ending (CRLF
 * stays CRLF); nothing else in the file changes. A rule never reads text: these helpers read the line
 * around a location from the location itself (a parser's Span knows its file's text). A location
 * without its text (a command-line option, a location rebuilt elsewhere) gives no edit, and the rule
 * then reports its finding without a fix.
 */
import type { TextEdit } from '../core/finding';
import { Span, type SourceLocation } from '../core/source';
import type { ProxyRoute, ResolvedDirective, ResolvedUwsgiOption, UwsgiInstance } from '../model/types';

/** One line of a file: `[start, contentEnd)` is its text, `[contentEnd, end)` its line ending. */
export interface LineInfo {
  text: string;
  start: number;
  contentEnd: number;
  end: number;
  /** `\r\n`, `\n`, or '' for a last line without one. */
  eol: string;
  /** Leading blanks (spaces and tabs) as written. */
  indent: string;
}

function spanOf(location: SourceLocation): Span | undefined {
  return location instanceof Span ? location : undefined;
}

/** The line that holds `offset` of `text` (lines end at `\n`; a `\r` before it is part of the ending). */
export function lineAround(text: string, offset: number): LineInfo {
  const start = offset > 0 ? text.lastIndexOf('\n', offset - 1) + 1 : 0;
  let newline = text.indexOf('\n', offset);
  if (newline < 0) newline = text.length;
  const contentEnd = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
  const end = newline < text.length ? newline + 1 : newline;
  const indent = /^[ \t]*/.exec(text.slice(start, contentEnd))![0];
  return { text, start, contentEnd, end, eol: text.slice(contentEnd, end), indent };
}

/** The file's line ending: that of its first line, `\n` when it has none. */
export function fileEol(text: string): string {
  const newline = text.indexOf('\n');
  return newline > 0 && text.charCodeAt(newline - 1) === 13 ? '\r\n' : '\n';
}

/** The line a location starts on (or, with `atEnd`, ends on), when the location knows its text. */
export function lineOf(location: SourceLocation, atEnd = false): LineInfo | undefined {
  const span = spanOf(location);
  return span ? lineAround(span.sourceText, atEnd ? span.endOffset : span.startOffset) : undefined;
}

/** The exact source text of a location, when it knows its text. */
export function sourceOf(location: SourceLocation): string | undefined {
  const span = spanOf(location);
  return span ? span.sourceText.slice(span.startOffset, span.endOffset) : undefined;
}

/** Replace exactly the location's text. */
export function replaceAt(location: SourceLocation, text: string): TextEdit | undefined {
  const span = spanOf(location);
  return span ? { file: span.file, range: { startOffset: span.startOffset, endOffset: span.endOffset }, text } : undefined;
}

/** Replace `[from, to)` of the location's own text (offsets relative to the location's start). */
export function replaceWithin(location: SourceLocation, from: number, to: number, text: string): TextEdit | undefined {
  const span = spanOf(location);
  if (!span || from < 0 || to < from || span.startOffset + to > span.endOffset) return undefined;
  return { file: span.file, range: { startOffset: span.startOffset + from, endOffset: span.startOffset + to }, text };
}

/**
 * A new line after the line the location ends on, indented like it (or with `indent`), ended like it;
 * after a last line without a line ending, the new line gets the file's ending before it instead.
 */
export function insertLineAfter(location: SourceLocation, line: string, indent?: string): TextEdit | undefined {
  const info = lineOf(location, true);
  if (!info) return undefined;
  const eol = info.eol || fileEol(info.text);
  return { file: location.file, range: { startOffset: info.contentEnd, endOffset: info.contentEnd }, text: `${eol}${indent ?? info.indent}${line}` };
}

/** Several new lines after the location's line (each indented as given, relative to nothing). */
export function insertLinesAfter(location: SourceLocation, lines: string[]): TextEdit | undefined {
  const info = lineOf(location, true);
  if (!info) return undefined;
  const eol = info.eol || fileEol(info.text);
  return { file: location.file, range: { startOffset: info.contentEnd, endOffset: info.contentEnd }, text: lines.map((l) => `${eol}${l}`).join('') };
}

/** A new line before the line the location starts on, indented like it (or with `indent`). */
export function insertLineBefore(location: SourceLocation, line: string, indent?: string): TextEdit | undefined {
  const info = lineOf(location);
  if (!info) return undefined;
  const eol = info.eol || fileEol(info.text);
  return { file: location.file, range: { startOffset: info.start, endOffset: info.start }, text: `${indent ?? info.indent}${line}${eol}` };
}

/** Remove the whole line(s) of a location, line ending included (for a last line, the ending before it). */
export function deleteLines(location: SourceLocation): TextEdit | undefined {
  const first = lineOf(location);
  const last = lineOf(location, true);
  if (!first || !last) return undefined;
  if (last.eol === '' && first.start > 0) {
    const before = lineAround(first.text, first.start - 1);
    return { file: location.file, range: { startOffset: before.contentEnd, endOffset: last.contentEnd }, text: '' };
  }
  return { file: location.file, range: { startOffset: first.start, endOffset: last.end }, text: '' };
}

/** One level of indentation as the file writes it under `outer`: what `inner` adds to it, else four spaces (a tab in a tab-indented file). */
export function indentStep(outer: string, inner: string): string {
  if (inner.length > outer.length && inner.startsWith(outer)) return inner.slice(outer.length);
  return outer.includes('\t') || inner.includes('\t') ? '\t' : '    ';
}

// ---------------------------------------------------------------- uWSGI

/** An option written in the instance's own file (not pulled in by `ini =`/`inherit =`, nor from the command line). */
export function inRootFile(instance: UwsgiInstance, option: ResolvedUwsgiOption | undefined): option is ResolvedUwsgiOption {
  return !!option && option.includedFrom.length === 0 && !option.inherited && option.file === instance.file && spanOf(option.entryLocation) !== undefined;
}

/** `key = value` with the separator the anchor line uses (`key=value` stays tight). */
export function uwsgiOptionLine(anchor: ResolvedUwsgiOption, key: string, value: string): string {
  const written = sourceOf(anchor.entryLocation);
  const keySpan = spanOf(anchor.keyLocation);
  const valueSpan = spanOf(anchor.valueLocation);
  let separator = ' = ';
  if (!anchor.bare && written !== undefined && keySpan && valueSpan && valueSpan.startOffset >= keySpan.endOffset) {
    const between = keySpan.sourceText.slice(keySpan.endOffset, valueSpan.startOffset);
    if (/^[ \t]*=[ \t]*$/.test(between)) separator = between;
  }
  return `${key}${separator}${value}`;
}

/**
 * A new `key = value` line in the instance's own file, after the first of `anchors` written there
 * (an included file is shared with other instances and is never the place) and outside any logic
 * block (a line after an option inside `if-env:`...`endif` would hold only while the block's
 * condition does). Undefined when no anchor is such a line.
 */
export function insertUwsgiOption(instance: UwsgiInstance, anchors: Array<ResolvedUwsgiOption | undefined>, key: string, value: string): TextEdit | undefined {
  const anchor = anchors.find((a): a is ResolvedUwsgiOption => inRootFile(instance, a) && !a.inBlock);
  return anchor ? insertLineAfter(anchor.entryLocation, uwsgiOptionLine(anchor, key, value)) : undefined;
}

/** Replace an option's value as written (only when it is written literally on its line). */
export function replaceUwsgiValue(instance: UwsgiInstance, option: ResolvedUwsgiOption, value: string): TextEdit | undefined {
  if (!inRootFile(instance, option) || option.bare) return undefined;
  const written = sourceOf(option.valueLocation);
  if (written === undefined || written !== option.rawValue || option.rawValue !== option.value) return undefined;
  return replaceAt(option.valueLocation, value);
}

/** What a fix that sets an option claims (see Fix.claims). */
export function uwsgiOptionClaim(instance: UwsgiInstance, name: string): string {
  return `uwsgi-option:${instance.file}:${instance.section}:${name}`;
}

// ---------------------------------------------------------------- Apache

/** A directive's line written literally (not expanded from a macro, its location knowing its text). */
export function writtenDirective(directive: ResolvedDirective): boolean {
  return !directive.httpdFile && spanOf(directive.location) !== undefined;
}

/** The indentation of the line a directive (or section tag) starts on. */
export function indentOf(location: SourceLocation): string | undefined {
  return lineOf(location)?.indent;
}

/**
 * `SetEnv proxy-sendcl 1` for one route only: a line before the route in its own `<Location /path>`
 * (the Location form of ProxyPass), or a new `<Location /path>` block right after a ProxyPass written
 * in a VirtualHost or at server scope, indented one level as the file indents. Undefined for a route
 * in any other scope, a regex route, a balancer member, or a line not written literally.
 */
export function scopeSendclToRoute(route: ProxyRoute): TextEdit | undefined {
  const { directive, scope } = route;
  if (route.via !== 'ProxyPass' || route.pathIsRegex || route.balancerRoute || !writtenDirective(directive)) return undefined;
  const line = 'SetEnv proxy-sendcl 1';
  if (scope.kind === 'location' && scope.args[0] === route.path) return insertLineBefore(directive.location, line);
  if (scope.kind !== 'virtualhost' && scope.kind !== 'server') return undefined;
  const pathArg = directive.args[0];
  if (!pathArg || pathArg.value !== route.path) return undefined;
  const indent = indentOf(directive.location) ?? '';
  const outer = scope.section ? indentOf(scope.section.location) ?? '' : '';
  const step = indentStep(outer, indent);
  return insertLinesAfter(directive.location, [`${indent}<Location ${pathArg.raw}>`, `${indent}${step}${line}`, `${indent}</Location>`]);
}
