/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers (shape and reasons: docs/ci.md).
 *
 * - Every artifact URI is a relative reference with `uriBaseId: "%SRCROOT%"`, the working directory
 *   deploylint ran in (the repository root, in CI). A file outside it is written with `../` segments.
 *   `originalUriBaseIds` is not written: it would be an absolute path of the machine that ran the
 *   linter, which means nothing to the reader and tells them how that machine is laid out.
 * - Each rule carries its docs page as `help.text` and `help.markdown` (code scanning shows it under
 *   the alert), and a `helpUri` only when the package names its web home (package.json `repository`
 *   or `homepage`): never a `file:` URL into the install directory.
 * - Each result has `partialFingerprints["deploylintFingerprint/v1"]`: the baseline's fingerprint
 *   (rule, file, the offending line's text with whitespace normalised, occurrence index; not the line
 *   number), so a result keeps its identity when lines above it move. GitHub's upload-sarif adds its
 *   own `primaryLocationLineHash` from the file, a content hash as well; deploylint does not write that
 *   key, which GitHub reserves (a different value there draws a warning per result).
 *
 * Regions use SARIF's default utf16CodeUnits columns, which is what deploylint's columns count;
 * endColumn is exclusive in both.
 */
import * as path from 'path';
import type { Finding, Fix, Severity } from '../core/finding';
import type { SourceLocation } from '../core/source';
import type { RuleMeta } from '../engine/types';
import { fingerprints } from '../baseline';
import type { FormatContext, FormatResult } from './types';
import { markdownToText, resolveDocLinks, ruleDocsFromPackage } from './rule-docs';
import { escapeJsonControls, sortFindings } from './util';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** The key under which results carry deploylint's own fingerprint. */
export const FINGERPRINT_KEY = 'deploylintFingerprint/v1';

const SRCROOT = '%SRCROOT%';

/**
 * A file as a URI reference relative to %SRCROOT% (the working directory): `dir/file.conf` inside it,
 * `../other/file.conf` outside it. A file on another drive (Windows), which no relative reference
 * reaches, is named by its path below that drive's root.
 */
export function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId: string } {
  const abs = path.resolve(cwd, file);
  let rel = path.relative(cwd, abs);
  if (path.isAbsolute(rel)) rel = rel.slice(path.parse(rel).root.length);
  const segments = rel.split(path.sep).filter((s) => s !== '' && s !== '.');
  const uri = segments.map((s) => (s === '..' ? s : encodeURIComponent(s))).join('/');
  return { uri: uri || '.', uriBaseId: SRCROOT };
}

function physicalLocation(loc: SourceLocation, cwd: string): Record<string, unknown> {
  const { start, end } = loc.range;
  const region: Record<string, number> = { startLine: Math.max(1, start.line), startColumn: Math.max(1, start.column) };
  if (end.line > start.line || (end.line === start.line && end.column > start.column)) {
    region.endLine = end.line;
    region.endColumn = Math.max(1, end.column);
  }
  return { artifactLocation: artifactLocation(loc.file, cwd), region };
}

/** A web URL, or nothing: file: URLs and anything else are paths of the machine that ran deploylint. */
function webUrl(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

function ruleDescriptor(id: string, meta: RuleMeta | undefined, ctx: FormatContext): Record<string, unknown> {
  const helpUri = webUrl(ctx.docsUrl(id));
  const descriptor: Record<string, unknown> = {
    id,
    shortDescription: { text: meta?.description ?? id },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[meta?.severity ?? 'error'] },
  };
  if (meta) {
    const page = (ctx.ruleDocs ?? ruleDocsFromPackage)(meta);
    if (page) {
      const markdown = resolveDocLinks(page, helpUri);
      descriptor.help = { text: markdownToText(markdown), markdown };
    } else {
      descriptor.help = { text: meta.fixHint || meta.description };
    }
    descriptor.properties = { category: meta.category, fixable: meta.fixable, tags: [meta.category] };
  }
  return descriptor;
}

export function format(result: FormatResult, ctx: FormatContext): string {
  const findings = sortFindings(result.findings);
  const metaById = new Map(ctx.rules.map((m) => [m.id, m]));
  const ruleIds = [...new Set([...ctx.rules.map((m) => m.id), ...findings.map((f) => f.ruleId)])];
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id) => ruleDescriptor(id, metaById.get(id), ctx));
  const prints = fingerprints(findings, { textOf: ctx.textOf ?? (() => undefined), cwd: ctx.cwd, baselineDir: ctx.cwd });
  const results = findings.map((f: Finding, i) => {
    const r: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: physicalLocation(f.location, ctx.cwd) }],
      partialFingerprints: { [FINGERPRINT_KEY]: prints[i].fingerprint },
    };
    if (f.fix && f.fix.edits.length > 0) r.fixes = [sarifFix(f.fix, ctx.cwd)];
    if (f.related && f.related.length > 0) {
      r.relatedLocations = f.related.map((rel, j) => ({
        id: j + 1,
        physicalLocation: physicalLocation(rel.location, ctx.cwd),
        message: { text: rel.message },
      }));
    }
    return r;
  });
  const informationUri = webUrl(ctx.docsUrl(''));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'deploylint',
            version: ctx.toolVersion,
            ...(informationUri ? { informationUri } : {}),
            rules,
          },
        },
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
      artifactLocation: artifactLocation(file, cwd),
      replacements: edits.map((e) => {
        const { startOffset, endOffset, start, end } = e.range;
        const region: Record<string, number> = { charOffset: startOffset, charLength: endOffset - startOffset };
        if (start && end) Object.assign(region, { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column });
        return { deletedRegion: region, insertedContent: { text: e.text } };
      }),
    })),
  };
}
