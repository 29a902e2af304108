/**
 * The input stage of a lint run: each file read through the gate, classified, and resolved, with
 * templates read as what they are. A template (kolla's Jinja2, puppet's ERB, devstack's %VAR%...)
 * is rendered by lib/templates into a few consistent variants (each a choice of branches, every
 * expression one opaque word); every variant is resolved as the plain config it is, with the
 * template's expressions marked so that nothing judges a value the template does not fix.
 *
 * A run over templates is then several passes (lint.ts): pass k reads variant k of every template
 * (a template with fewer variants keeps its last one) and the plain files as they are, so branches
 * of one `{% if %}` never meet, and a finding found in any pass is one a real rendering has. Its
 * positions are mapped back to the template's own lines and columns, and a fix whose edits touch
 * template markup is dropped (only literal text is fixed).
 */
import * as path from 'path';
import type { Finding } from './core/finding';
import { relocated, type SourceLocation } from './core/source';
import { decodeBytes } from './core/text';
import type { ReadGate } from './input/gate';
import { decideNamedKind, hasTemplateMarkup, templateInnerName, type InputKind } from './input/kind';
import { parseUnitFile } from './parsers/unit';
import type { ResolvedApacheConfig } from './resolve/apache';
import { uwsgiLaunches, type UwsgiLaunch } from './resolve/launch';
import type { ResolvedUwsgiConfig } from './resolve/uwsgi-ini';
import type { TemplateResult, TemplateVariant } from './templates';

// Loaded when a run first needs them: a run over ini files never loads the Apache reader, and a
// run without templates never loads the template layer (start-up time is a benchmark figure).
const apacheResolver = () => require('./resolve/apache') as typeof import('./resolve/apache');
const uwsgiResolver = () => require('./resolve/uwsgi-ini') as typeof import('./resolve/uwsgi-ini');
const templateLayer = () => require('./templates') as typeof import('./templates');
const shellReader = () => require('./templates/shell') as typeof import('./templates/shell');

export interface InputFile {
  path: string;
  kind?: InputKind;
  text?: string;
  section?: string;
  template?: boolean;
}

export interface ResolveSettings {
  gate: ReadGate;
  /** Resolutions kept from earlier runs (the language server): see ResolveCache. */
  cache?: ResolveCache;
  env?: Record<string, string>;
  httpdVersion: string;
  hostFacts?: boolean;
  checkHostFiles?: boolean;
  cwd: string;
}

/** One file of the run, read and classified; a template keeps its rendering. */
export interface PreparedFile {
  input: InputFile;
  /** Absolute path of the file on disk (the section suffix taken off). */
  onDisk: string;
  kind: InputKind;
  /** The template as rendered, when the file is one. */
  template?: TemplateResult;
  /** What resolving each variant (or the file itself: one entry) gave. */
  resolved: (ResolvedUwsgiConfig | ResolvedApacheConfig)[];
  launches: UwsgiLaunch[];
  /** A config a shell script writes (lib/templates/shell): the script, on disk and as given; its findings go there. */
  writtenBy?: { onDisk: string; path: string; name: string };
}

/** A shell script read for the configs it writes: one prepared config per file it writes, and the reader's problems. */
export interface PreparedScript {
  configs: PreparedFile[];
  problems: Finding[];
  report: { name: string; kind: 'uwsgi-ini' | 'apache'; variants: number }[];
}

/**
 * Read a shell script for the configs it writes (devstack's `lib/apache`): each becomes a virtual
 * file, `<script>#<function>.ini` or `.conf`, linted as a template of the script (a fragment, for the
 * Apache lines: no server root), whose findings are put back at the script's lines at the end.
 */
export function prepareShellScript(input: InputFile, onDisk: string, settings: ResolveSettings): PreparedScript {
  const text = input.text ?? readText(settings.gate, onDisk);
  if (text === undefined) return { configs: [], problems: [], report: [] };
  const read = shellReader().readShellWriters(text, { file: onDisk, maxVariants: settings.gate.budget.limits['template-variants'] });
  const configs = read.configs.map((c): PreparedFile => {
    const virtual = `${onDisk}#${c.name}`;
    return {
      input: { path: `${input.path}#${c.name}`, kind: c.kind, text: c.template.variants[0].text, template: true },
      onDisk: virtual, kind: c.kind, template: c.template, resolved: [], launches: [],
      writtenBy: { onDisk, path: input.path, name: c.name },
    };
  });
  return { configs, problems: read.problems, report: read.configs.map((c) => ({ name: c.name, kind: c.kind, variants: c.template.variants.length })) };
}

/** Read, classify and (for plain files) resolve one file; templates are rendered here and resolved per variant on demand. */
export function prepareFile(input: InputFile, kind: InputKind, onDisk: string, settings: ResolveSettings): PreparedFile {
  const prepared: PreparedFile = { input, onDisk, kind, resolved: [], launches: [] };
  if (kind === 'shell-script') return prepared; // its configs are prepared by prepareShellScript
  if (kind === 'systemd-unit' || kind === 'supervisor') {
    // what starts uWSGI: which ini files, with which extra options, stopped by which signal
    const text = input.text ?? readText(settings.gate, onDisk);
    if (text !== undefined) prepared.launches = uwsgiLaunches(parseUnitFile(text, input.path, kind === 'systemd-unit' ? 'systemd' : 'supervisor'));
    return prepared;
  }
  const text = mayBeTemplate(input) ? input.text ?? readText(settings.gate, onDisk) : undefined;
  // the cheap markup test first: the template layer is loaded and run only for files that may be templates
  if (text !== undefined && (input.template || templateInnerName(path.basename(input.path).toLowerCase()).template || hasTemplateMarkup(text) || (kind === 'uwsgi-ini' && text.includes('${')))) {
    const template = templateLayer().renderTemplate(text, { target: kind, fileName: input.path, file: onDisk, maxVariants: settings.gate.budget.limits['template-variants'] });
    if (template.isTemplate) prepared.template = template;
  }
  if (!prepared.template) prepared.resolved.push(resolveFile(input, kind, onDisk, settings));
  return prepared;
}

/** The config a pass reads for this file: variant `pass` of a template (its last when it has fewer), else the file. */
export function resolvedFor(file: PreparedFile, pass: number, settings: ResolveSettings): ResolvedUwsgiConfig | ResolvedApacheConfig | undefined {
  if (file.kind === 'systemd-unit' || file.kind === 'supervisor' || file.kind === 'shell-script') return undefined;
  if (!file.template) return file.resolved[0];
  const index = Math.min(pass, file.template.variants.length - 1);
  if (!file.resolved[index]) {
    const variant = file.template.variants[index];
    file.resolved[index] = resolveFile({ ...file.input, text: variant.text }, file.kind, file.onDisk, settings, (s, e) => variant.isTemplated(s, e));
  }
  return file.resolved[index];
}

export function passesNeeded(files: PreparedFile[]): number {
  let n = 1;
  for (const f of files) if (f.template) n = Math.max(n, f.template.variants.length);
  return n;
}

/**
 * Findings of pass `pass` with every location in a template put back on the template's own lines
 * and columns, and fixes that would edit template markup left out.
 */
const LABEL = /\([^()\s:]+:\d+\)/;
const LABELS = /\(([^()\s:]+):(\d+)\)/g;

export function mapToTemplates(findings: Finding[], files: PreparedFile[], pass: number): Finding[] {
  const variants = new Map<string, TemplateVariant>();
  /** Configs a shell script writes: their findings are the script's, and no fix edits a script. */
  const scripts = new Map<string, string>();
  for (const f of files) {
    if (!f.template) continue;
    const variant = f.template.variants[Math.min(pass, f.template.variants.length - 1)];
    variants.set(resolvedName(f), variant);
    if (f.writtenBy) scripts.set(resolvedName(f), f.writtenBy.onDisk);
  }
  if (variants.size === 0) return findings;
  // Scope labels quote `(file.conf:LINE)` from the rendered text: put the template's own line back
  // (only for a base name one file of the run has, so that the line is that file's).
  const byBase = new Map<string, TemplateVariant | null>();
  for (const f of files) {
    const base = path.basename(resolvedName(f));
    byBase.set(base, byBase.has(base) ? null : variants.get(resolvedName(f)) ?? null);
  }
  const lines = (message: string): string => message.replace(LABELS, (whole, base: string, n: string) => {
    const variant = byBase.get(base);
    return variant ? `(${base}:${variant.sourceLine(Number(n))})` : whole;
  });
  const map = (loc: SourceLocation): SourceLocation => {
    const variant = variants.get(loc.file);
    return variant ? variant.mapLocation(loc, scripts.get(loc.file) ?? loc.file) : loc;
  };
  return findings.map((f) => {
    const touched = variants.has(f.location.file) || f.related?.some((r) => variants.has(r.location.file)) || f.fix?.edits.some((e) => variants.has(e.file)) || LABEL.test(f.message);
    if (!touched) return f;
    // Only the templates the finding is about are quoted in its messages: placeholder words of
    // another template (`____key___` of `<%= key %>` inside `_____key___` of `<%= $key %>`) must not
    // be put back into them.
    const ownFiles = [f.location.file, ...(f.related ?? []).map((r) => r.location.file)];
    // the configs one script writes share its source: each one's words are that script's
    const ownScripts = new Set(ownFiles.map((file) => scripts.get(file)).filter((s) => s !== undefined));
    if (ownScripts.size) for (const [file, script] of scripts) if (ownScripts.has(script)) ownFiles.push(file);
    const own = [...new Set(ownFiles)].map((file) => variants.get(file)).filter((v) => v !== undefined);
    const mapped: Finding = {
      ...f,
      message: lines(asWritten(f.message, own)),
      location: map(f.location),
      ...(f.related ? { related: f.related.map((r) => ({ ...r, message: lines(asWritten(r.message, own)), location: map(r.location) })) } : {}),
    };
    if (f.fix && f.fix.edits.some((e) => scripts.has(e.file))) {
      delete mapped.fix;
    } else if (f.fix) {
      const edits = [];
      for (const e of f.fix.edits) {
        const variant = variants.get(e.file);
        if (!variant) {
          edits.push(e);
          continue;
        }
        // only literal text is fixed: an edit that touches an expression or a control tag is not made
        const r = variant.sourceRange(e.range.startOffset, e.range.endOffset);
        // contiguous in the source: no control tag or whitespace control between the edit's ends
        const literal = r.end - r.start === e.range.endOffset - e.range.startOffset;
        if (!literal || variant.isTemplated(e.range.startOffset, e.range.endOffset)) {
          edits.length = 0;
          break;
        }
        edits.push({ ...e, range: { startOffset: r.start, endOffset: r.end } });
      }
      if (edits.length === f.fix.edits.length) mapped.fix = { ...f.fix, edits };
      else delete mapped.fix;
    }
    return mapped;
  });
}

/**
 * A message quotes config text as the variant has it: each expression's placeholder word
 * (`___wsgi_directory___`) is put back as the template writes it (`{{ wsgi_directory }}`).
 */
function asWritten(message: string, variants: TemplateVariant[]): string {
  // one pass, longest placeholder first, so that text put back is never read again
  const markup = new Map<string, string>();
  for (const variant of variants) {
    for (const span of variant.spans) {
      const rendered = variant.text.slice(span.renderedStart, span.renderedEnd);
      if (rendered.length >= 3 && !markup.has(rendered) && message.includes(rendered)) markup.set(rendered, span.markup);
    }
  }
  if (markup.size === 0) return message;
  const words = [...markup.keys()].sort((a, b) => b.length - a.length);
  return message.replace(new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g'), (w) => markup.get(w) ?? w);
}

/** Template problems (syntax, includes, capped variants), positioned in the template. */
export function templateFindings(files: PreparedFile[]): Finding[] {
  const out: Finding[] = [];
  for (const f of files) if (f.template) for (const p of f.template.problems) out.push({ ...p, location: relocated(p.location, resolvedName(f)) });
  return out;
}

/** A file that could be a template: named as one, or holding markup. */
function mayBeTemplate(input: InputFile): boolean {
  if (input.template !== undefined) return input.template;
  if (templateInnerName(path.basename(input.path).toLowerCase()).template) return true;
  return input.text !== undefined ? hasTemplateMarkup(input.text) : true;
}

/** The name the resolvers give the root file (and so its findings): see resolveFile. */
function resolvedName(f: PreparedFile): string {
  if (f.writtenBy) return f.onDisk;
  return f.kind === 'apache' && f.input.text !== undefined && !f.template ? f.input.path : f.onDisk;
}

/**
 * Resolutions kept between runs over the same files, for a caller that lints again and again (the
 * language server re-lints a whole deployment on every edit). An entry is reused only while every
 * file it read still has the same bytes through the run's gate (an open buffer or the disk) and the
 * settings are the same; what the files cannot show (a file added to a directory an Include globs,
 * an `if-exists` target) is the caller's to signal with clear(), on any change on disk.
 */
export class ResolveCache {
  private readonly entries = new Map<string, { resolved: ResolvedUwsgiConfig | ResolvedApacheConfig; text?: string; read: { file: string; bytes: Buffer }[] }>();
  hits = 0;
  misses = 0;

  clear(): void {
    this.entries.clear();
  }

  get(key: string, input: InputFile, gate: ReadGate): ResolvedUwsgiConfig | ResolvedApacheConfig | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.text !== input.text) return undefined;
    for (const { file, bytes } of entry.read) {
      const now = gate.readFile(file);
      if (!now.ok || !now.bytes.equals(bytes)) return undefined;
    }
    return entry.resolved;
  }

  set(key: string, input: InputFile, gate: ReadGate, resolved: ResolvedUwsgiConfig | ResolvedApacheConfig, cwd: string): void {
    const read: { file: string; bytes: Buffer }[] = [];
    // the root given as text is compared as text; every file read from disk or a buffer by its bytes
    for (const file of input.text === undefined ? resolved.files : resolved.files.slice(1)) {
      const got = gate.readFile(path.resolve(cwd, file));
      if (!got.ok) return; // a file that could not be read again: nothing to compare with, not kept
      read.push({ file: path.resolve(cwd, file), bytes: got.bytes });
    }
    this.entries.set(key, { resolved, text: input.text, read });
  }
}

function resolveFile(input: InputFile, kind: InputKind, onDisk: string, settings: ResolveSettings, templated?: (s: number, e: number) => boolean): ResolvedUwsgiConfig | ResolvedApacheConfig {
  const cache = templated ? undefined : settings.cache;
  if (!cache) return resolveNow(input, kind, onDisk, settings, templated);
  const key = JSON.stringify([kind, onDisk, input.path, input.section ?? null, settings.env ?? null, settings.httpdVersion, !!settings.hostFacts, !!settings.checkHostFiles, settings.gate.budget.limits]);
  const hit = cache.get(key, input, settings.gate);
  if (hit) {
    cache.hits++;
    return hit;
  }
  cache.misses++;
  const resolved = resolveNow(input, kind, onDisk, settings, templated);
  cache.set(key, input, settings.gate, resolved, settings.cwd);
  return resolved;
}

function resolveNow(input: InputFile, kind: InputKind, onDisk: string, settings: ResolveSettings, templated?: (s: number, e: number) => boolean): ResolvedUwsgiConfig | ResolvedApacheConfig {
  if (kind === 'uwsgi-ini') {
    return uwsgiResolver().resolveUwsgiIni(onDisk, {
      section: input.section ?? 'uwsgi', env: settings.env, text: input.text, gate: settings.gate, templated, build: 'unknown',
      // uWSGI resolves a relative `ini =` from its own working directory, which the files do not
      // tell (uwsgi-relative-ini-include warns about that). The including file's directory is the
      // best stand-in, and keeps results independent of where deploylint itself runs.
      cwd: path.dirname(onDisk),
      ...(settings.hostFacts ? {} : { runtime: { hostFactsAsWritten: true } }),
    });
  }
  return apacheResolver().resolveApacheConfig(input.text === undefined || templated ? onDisk : input.path, {
    env: settings.env, text: input.text, httpdVersion: settings.httpdVersion, gate: settings.gate, templated,
    checkHostFiles: settings.checkHostFiles ?? false,
  });
}

function readText(gate: ReadGate, onDisk: string): string | undefined {
  const read = gate.readFile(onDisk);
  return read.ok ? decodeBytes(read.bytes).text : undefined;
}

/** Kind of a file not classified by discovery: its name and text, through the gate. */
export function classify(input: InputFile, onDisk: string, gate: ReadGate): { kind: InputKind; template: boolean } {
  if (input.kind) return { kind: input.kind, template: input.template ?? false };
  const text = input.text ?? readText(gate, onDisk)?.slice(0, 1 << 20);
  const decided = decideNamedKind(input.path, text);
  return decided ?? { kind: 'apache', template: false };
}

