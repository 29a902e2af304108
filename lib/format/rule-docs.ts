/**
 * A rule's docs page as Markdown for SARIF's rule help, and its links made safe to show elsewhere.
 *
 * The pages are deploylint's own (docs/rules/<id>.md, shipped in the package), found through the
 * rule metadata's `docs` path; a path with an anchor (`docs/rules/parse-findings.md#syntax-error`)
 * names one `##` section of a shared page. Nothing here reads the linted tree.
 */
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../core/package-root';
import type { RuleMeta } from '../engine/types';

/** The installed package's root (lib/core/package-root: the same in the sources, dist/lib and the bundle). */
export { packageRoot };

const slug = (heading: string) => heading.toLowerCase().replace(/[^a-z0-9 -]/g, '').trim().replace(/ /g, '-');

/** The `#`-heading section whose slug is `anchor`, up to the next heading of the same or a higher level. */
export function markdownSection(markdown: string, anchor: string): string | undefined {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^#{1,6} /.test(l) && slug(l.replace(/^#+ /, '')) === anchor);
  if (start < 0) return undefined;
  const level = /^#+/.exec(lines[start])![0].length;
  let end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && /^#+/.exec(l)![0].length <= level);
  if (end < 0) end = lines.length;
  return lines.slice(start, end).join('\n').trim() + '\n';
}

/**
 * The Markdown for a rule: its page, or its section of a shared page. The suppression checks point
 * at docs/cli.md as a whole; like `deploylint explain`, they get its inline-suppressions section.
 */
export function ruleDocsFromPackage(meta: RuleMeta): string | undefined {
  const [file, anchor] = meta.docs.split('#');
  if (!/^docs\/[\w./-]+\.md$/.test(file) || file.includes('..')) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(path.join(packageRoot(), file), 'utf8');
  } catch {
    return undefined;
  }
  if (anchor) return markdownSection(text, anchor);
  if (file === 'docs/cli.md') return markdownSection(text, 'inline-suppressions');
  return text.trim() + '\n';
}

/**
 * Links in a docs page made absolute against the page's web URL, or reduced to their text when
 * there is none: relative links (`../../lab/results.md#x`) point into the repository, which a
 * reader of a SARIF report in another repository does not have.
 */
export function resolveDocLinks(markdown: string, pageUrl: string | undefined): string {
  return markdown.replace(/\[([^\]\n]*)\]\(([^)\s]+)\)/g, (whole, text: string, target: string) => {
    if (/^https?:\/\//i.test(target)) return whole;
    if (!pageUrl) return text;
    try {
      return `[${text}](${new URL(target, pageUrl).href})`;
    } catch {
      return text;
    }
  });
}

/** Markdown as plain text for SARIF's `help.text`: links become their text (and web address). */
export function markdownToText(markdown: string): string {
  return markdown
    .replace(/\[([^\]\n]*)\]\((https?:\/\/[^)\s]+)\)/g, '$1 ($2)')
    .replace(/\[([^\]\n]*)\]\(([^)\s]+)\)/g, '$1')
    .replace(/\*\*([^*\n]+)\*\*/g, '$1');
}
