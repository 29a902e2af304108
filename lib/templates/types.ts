/**
 * Public types of the template layer (see README.md in this folder for the design).
 *
 * Offsets are 0-based UTF-16 indexes, as in lib/core/source.ts. "Source" means the template file as
 * written; "rendered" means the text of one variant, which the Apache and uWSGI parsers read.
 */
import type { Finding } from '../core/finding';

/**
 * Template languages the layer reads.
 * - `jinja2`: `{{ }}`, `{% %}`, `{# #}` (Ansible, kolla, openstack-ansible, charms).
 * - `go-template`: the same `{{ }}` delimiters with Go's `if/else/end/range/with/define` (Helm).
 * - `erb` and `epp`: `<%= %>`, `<% %>`, `<%# %>`, `<%-`/`-%>`, `<%%` (Puppet's two template languages).
 * - `devstack`: `%NAME%` with an upper-case name.
 * - `autoconf`: `@name@` and `@@name@@` (`.in` files).
 * - `shell`: `${NAME}` where the target format does not expand it itself (uWSGI ini files).
 */
export type TemplateEngine = 'jinja2' | 'go-template' | 'erb' | 'epp' | 'devstack' | 'autoconf' | 'shell';

export const ALL_ENGINES: readonly TemplateEngine[] = ['jinja2', 'go-template', 'erb', 'epp', 'devstack', 'autoconf', 'shell'];

/**
 * The language of the file once rendered. It decides what is real config syntax: `${VAR}` is httpd
 * syntax (Define/environment) in Apache, and template markup in a uWSGI ini, which expands only `$(VAR)`.
 */
export type TemplateTarget = 'apache' | 'uwsgi-ini' | 'unknown';

export interface TemplateOptions {
  /** Default `unknown`: `${VAR}` is then left alone. */
  target?: TemplateTarget;
  /** Used for its extension only: `.j2`/`.jinja`/`.jinja2`, `.erb`, `.epp` make that engine certain. */
  fileName?: string;
  /** File name put in problem locations (default: fileName, else ''). */
  file?: string;
  /** Read exactly these engines instead of detecting them. */
  engines?: readonly TemplateEngine[];
  /** Most variants rendered (default 8, at least 1). */
  maxVariants?: number;
  /** Jinja `trim_blocks` (default true, as Ansible's template module sets it). */
  trimBlocks?: boolean;
  /** Jinja `lstrip_blocks` (default false, as Ansible). */
  lstripBlocks?: boolean;
  /**
   * An expression alone on its rendered line (`%SSLENGINE%`, `<%= @custom_fragment %>`) may stand for
   * whole directives or for nothing. `comment` (default) renders its first character as `#`, so the
   * parsers skip the line; `word` keeps it as an opaque word (then it reads as a directive name).
   */
  standaloneExpressions?: 'comment' | 'word';
  /** Line counting for problem positions (default: false for `apache` as httpd counts LF only, else true). */
  loneCrBreaksLine?: boolean;
}

export const DEFAULT_MAX_VARIANTS = 8;

/** One piece of template markup that renders to an unknown value, in source offsets. */
export interface TemplatedSpan {
  start: number;
  end: number;
  engine: TemplateEngine;
  /** `include`: another template's text is inserted here (`{% include %}`, `{{ template }}`). */
  kind: 'expression' | 'include';
  /** The markup as written, e.g. `{{ wsgi_directory }}`. */
  markup: string;
}

/** A templated span as it stands in one variant's rendered text. */
export interface RenderedSpan extends TemplatedSpan {
  renderedStart: number;
  renderedEnd: number;
  /** Nothing but template expressions and blanks on its rendered line. */
  standalone: boolean;
}

/** Rendered `[rendered, rendered + length)` is source `[source, source + length)`, character for character. */
export interface OffsetRun {
  rendered: number;
  source: number;
  length: number;
}

/** Which alternative of one control block a variant took. */
export interface BranchChoice {
  /** The opening tag (`{% if x %}`, `<% if @x -%>`, `{{- if .Values.x }}`) in source offsets. */
  start: number;
  end: number;
  opening: string;
  /** 0-based; the last index is the implicit empty branch of an `if` without `else`. */
  alternative: number;
  alternatives: number;
  /** The tag that starts the branch taken (`{% else %}`), or null for the first and the implicit empty branch. */
  branchTag: { start: number; end: number; text: string } | null;
}

/** A part of a rendered range: literal config text, or one template expression. */
export interface ValuePart {
  /** Rendered text (the placeholder for a templated part). */
  text: string;
  templated: boolean;
  /** The expression, for a templated part. */
  span?: RenderedSpan;
  renderedStart: number;
  renderedEnd: number;
  sourceStart: number;
  sourceEnd: number;
}

export interface TemplateCoverage {
  /** Alternatives of every if/else, loop-else and case reachable from the top of the file. */
  alternatives: number;
  /** Those that appear in at least one variant. */
  covered: number;
  /** Uncovered alternatives remain because maxVariants was reached. */
  capped: boolean;
  /** Uncovered alternatives no consistent choice reaches (e.g. `{% if a %}{% if not a %}`). */
  unreachable: number;
}

/** One control block of the source, with the source range of each branch's text. */
export interface TemplateDecision {
  kind: 'if' | 'loop' | 'case';
  /** Opening tag, e.g. `{% if tls %}`. */
  start: number;
  end: number;
  opening: string;
  /** Closing tag (`{% endif %}`); the end of the file when the block is not closed. */
  closeStart: number;
  closeEnd: number;
  /** Branches plus the implicit empty one of an `if` without `else`. */
  alternatives: number;
  branches: { tagStart: number; tagEnd: number; bodyStart: number; bodyEnd: number }[];
}

export interface TemplateDetection {
  engines: TemplateEngine[];
  /** First markup found for each engine, in source offsets. */
  evidence: { engine: TemplateEngine; start: number; end: number }[];
}

/** Problem ids: `template-syntax`, `template-include`, `template-variants-capped`, `template-unsupported`, `internal-error`. */
export type TemplateProblem = Finding;
