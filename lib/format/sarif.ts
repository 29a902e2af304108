/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. Paths are relative to %SRCROOT%
 * (the working directory) when the file lies inside it, so results line up with the repository.
 * Regions use SARIF's default utf16CodeUnits columns, which is what deploylint's columns count;
 * endColumn is exclusive in both.
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Finding, Fix, Severity } from '../core/finding';
import type { SourceLocation } from '../core/source';
import type { FormatContext, FormatResult } from './types';
import { escapeJsonControls, sortFindings } from './util';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

function artifactUri(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(abs).href };
}

function physicalLocation(loc: SourceLocation, cwd: string): Record<string, unknown> {
  const { start, end } = loc.range;
  const region: Record<string, number> = { startLine: Math.max(1, start.line), startColumn: Math.max(1, start.column) };
  if (end.line > start.line || (end.line === start.line && end.column > start.column)) {
    region.endLine = end.line;
    region.endColumn = Math.max(1, end.column);
  }
  return { artifactLocation: artifactUri(loc.file, cwd), region };
}

export function format(result: FormatResult, ctx: FormatContext): string {
  const findings = sortFindings(result.findings);
  const metaById = new Map(ctx.rules.map((m) => [m.id, m]));
  const ruleIds = [...new Set([...ctx.rules.map((m) => m.id), ...findings.map((f) => f.ruleId)])];
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id) => {
    const meta = metaById.get(id);
    const descriptor: Record<string, unknown> = {
      id,
      shortDescription: { text: meta?.description ?? id },
      helpUri: ctx.docsUrl(id),
      defaultConfiguration: { level: LEVEL[meta?.severity ?? 'error'] },
    };
    if (meta) {
      descriptor.help = { text: meta.fixHint || meta.description };
      descriptor.properties = { category: meta.category, fixable: meta.fixable, tags: [meta.category] };
    }
    return descriptor;
  });
  const results = findings.map((f: Finding) => {
    const r: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: physicalLocation(f.location, ctx.cwd) }],
    };
    if (f.fix && f.fix.edits.length > 0) r.fixes = [sarifFix(f.fix, ctx.cwd)];
    if (f.related && f.related.length > 0) {
      r.relatedLocations = f.related.map((rel, i) => ({
        id: i + 1,
        physicalLocation: physicalLocation(rel.location, ctx.cwd),
        message: { text: rel.message },
      }));
    }
    return r;
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'deploylint',
            version: ctx.toolVersion,
            informationUri: ctx.docsUrl(''),
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(ctx.cwd.endsWith(path.sep) ? ctx.cwd : ctx.cwd + path.sep).href } },
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return escapeJsonControls(JSON.stringify(log, null, 2)) + '\n';
}

/** A SARIF fix: one artifactChange per file, each edit a replacement (offsets, plus line/column when known). */
function sarifFix(fix: Fix, cwd: string): Record<string, unknown> {
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  return {
    description: { text: `${fix.description} (${fix.applicability ?? 'safe'})` },
    artifactChanges: [...byFile].map(([file, edits]) => ({
      artifactLocation: artifactUri(file, cwd),
      replacements: edits.map((e) => {
        const { startOffset, endOffset, start, end } = e.range;
        const region: Record<string, number> = { charOffset: startOffset, charLength: endOffset - startOffset };
        if (start && end) Object.assign(region, { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column });
        return { deletedRegion: region, insertedContent: { text: e.text } };
      }),
    })),
  };
}
