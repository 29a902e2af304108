/**
 * Checkstyle XML (version 4.3), read by Jenkins warnings-ng, reviewdog, GitLab converters and others.
 * Only files with findings get a `<file>` element. Checkstyle itself and ESLint's checkstyle formatter
 * also write an empty `<file>` for every clean file; the readers above take only `<error>` elements,
 * so those add nothing but size (one per file of a whole /etc/apache2 tree). The files a run read are
 * listed in the json format.
 */
import type { Finding } from '../core/finding';
import type { FormatContext, FormatResult } from './types';
import { displayPath, escapeControl, sortFindings } from './util';

export function escapeXml(s: string): string {
  // XML 1.0 forbids most control characters even as references: they (and DEL, C1, bidi controls)
  // become visible escapes; tab, LF and CR stay data and are written as character references below.
  return escapeControl(s, '\t\n\r')
    .replace(/[\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

export function format(result: FormatResult, ctx: FormatContext): string {
  const byFile = new Map<string, Finding[]>();
  for (const f of sortFindings(result.findings)) {
    const list = byFile.get(f.location.file) ?? [];
    list.push(f);
    byFile.set(f.location.file, list);
  }
  const out = ['<?xml version="1.0" encoding="utf-8"?>', '<checkstyle version="4.3">'];
  for (const [file, list] of byFile) {
    out.push(`  <file name="${escapeXml(displayPath(file, ctx.cwd))}">`);
    for (const f of list) {
      const s = f.location.range.start;
      out.push(
        `    <error line="${s.line}" column="${s.column}" severity="${f.severity}" message="${escapeXml(f.message)}" source="deploylint.${escapeXml(f.ruleId)}"/>`,
      );
    }
    out.push('  </file>');
  }
  out.push('</checkstyle>');
  return out.join('\n') + '\n';
}
