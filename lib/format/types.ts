/**
 * What every output format receives. A formatter is a pure function of the findings and this
 * context: it never reads files or the environment, so the CLI decides colour, paths and docs links.
 */
import type { Finding } from '../core/finding';
import type { RuleMeta } from '../engine/types';
import type { FileReport } from '../lint';

export type FormatName = 'stylish' | 'gcc' | 'json' | 'sarif' | 'github' | 'checkstyle';
export const FORMAT_NAMES: readonly FormatName[] = ['stylish', 'gcc', 'json', 'sarif', 'github', 'checkstyle'];

/** What discovery left out, by reason, so nothing is skipped silently. */
export interface SkipSummary {
  /** reason -> count, e.g. { 'not a deployment config': 12, 'ignored by .gitignore': 3 } */
  byReason: Record<string, number>;
  unreadable: string[];
}

export interface FormatResult {
  findings: Finding[];
  files: FileReport[];
  /** What `--fix`, `--fix-dry-run` or `--diff` did (absent otherwise). */
  fixes?: import('../fix').FixSummary;
}

export interface FormatContext {
  /** Directory paths are shown relative to (SARIF uses it as %SRCROOT%). */
  cwd: string;
  /** chalk level: 0 = no colour. Only stylish colours its output. */
  colorLevel: 0 | 1 | 2 | 3;
  /** Metadata of every known rule, for SARIF's rule table and docs links. */
  rules: RuleMeta[];
  /**
   * URL of a rule's docs page (`''`: the tool's main page). Formats that link (SARIF) use it only when
   * it is a web URL: a `file:` URL names a path on the machine that ran deploylint, a dead link
   * anywhere else and a leak of that machine's paths.
   */
  docsUrl(ruleId: string): string;
  toolVersion: string;
  skipped?: SkipSummary;
  /** Lines appended to the human summary (baseline notes and the like). */
  notes?: string[];
  /**
   * Text of a linted file, as the CLI read it through the read gate (`undefined`: not available).
   * SARIF fingerprints hash the offending line with it (the baseline's fingerprints); without it
   * they hash the message instead. Formatters never read input files themselves.
   */
  textOf?(file: string): string | undefined;
  /**
   * Markdown of a rule's docs page (its own section of a shared page), for SARIF's rule help.
   * Default: read from the docs/ pages shipped in this package (lib/format/rule-docs.ts).
   */
  ruleDocs?(meta: RuleMeta): string | undefined;
  /**
   * Width to wrap `stylish` messages to, in columns (the terminal's width). Unset: no wrapping, one
   * line per finding (output to a pipe or a file, like ESLint and ruff).
   */
  width?: number;
}

export type Formatter = (result: FormatResult, ctx: FormatContext) => string;
