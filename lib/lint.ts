/**
 * The one entry point the CLI, the lab and the tests call: files in, findings out.
 * Parse and resolve every file, build one deployment, run the rules, and return every finding
 * (parse problems included) sorted by file and position.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compareFindings, type Finding, type Severity } from './core/finding';
import { Budget, type BudgetLimits } from './input/budget';
import { relocated, type SourceLocation } from './core/source';
import { decodeBytes } from './core/text';
import { splitSection } from './input/file-arg';
import { ReadGate } from './input/gate';
import { resolveTargets } from './knowledge/targets';
import { buildDeployment } from './model';
import { runRules } from './engine/run';
import { settleFindings } from './engine/settle';
import { suppressionInputs } from './suppress';
import type { ResolvedApacheConfig } from './resolve/apache';
import type { ResolvedUwsgiConfig } from './resolve/uwsgi-ini';
import { classify, mapToTemplates, passesNeeded, prepareFile, prepareShellScript, resolvedFor, templateFindings, type PreparedFile, type ResolveCache, type ResolveSettings } from './lint-inputs';
export { ResolveCache } from './lint-inputs';

import type { InputKind } from './input/kind';
export type { InputKind };

export interface LintInputFile {
  /** Path as the user gave it; for stdin, the --stdin-filename. */
  path: string;
  /** Detected from name and content when absent. */
  kind?: InputKind;
  /** Content when it does not come from disk (stdin). */
  text?: string;
  /** uWSGI section (`file.ini:section`). */
  section?: string;
  /** Known to be a template (discovery saw a template suffix or markup); detected when absent. */
  template?: boolean;
}

export interface LintOptions {
  /** e.g. { uwsgi: '2.0', httpd: '2.4.71', glance: '32.0.0' } */
  targets?: Record<string, string>;
  /** Per-rule severity override or 'off' (parse findings and suppression checks included). */
  rules?: Record<string, Severity | 'off'>;
  /**
   * Honour `# deploylint-disable...` comments in the files read (default true): findings they cover
   * are left out (counted in `suppressed`), and suppressions that match nothing or have expired are
   * reported (`suppression-unused`, `suppression-expired`).
   */
  inlineSuppressions?: boolean;
  /** The date `until=YYYY-MM-DD` suppressions are judged against; default today (UTC). */
  today?: string;
  /** Per-rule options, e.g. { 'uwsgi-socket-timeout-low': { floor: 30 } }. */
  ruleOptions?: Record<string, Record<string, unknown>>;
  /** App profile overrides: uWSGI module / wsgi-file / script path pattern -> profile id. */
  appProfiles?: Record<string, string>;
  /** Environment for $(VAR) in ini files and ${VAR} in Apache configs. */
  env?: Record<string, string>;
  /**
   * The roots of the read gate: nothing whose real path lies outside them is read (an include of
   * one is reported, not read). No config can widen them. Default: the directories of the given
   * files. Ignored when `gate` is given.
   */
  readRoots?: string[];
  /** A read gate shared with discovery (one budget and one real-path cache for the whole run). */
  gate?: ReadGate;
  /** Budget limits for this run (see lib/input/budget.ts); ignored when `gate` is given. */
  budgets?: Partial<BudgetLimits>;
  /**
   * Expand uWSGI's host facts (%h %k %u %U %g %G) with this machine's values. Off by default: a
   * config is linted on another machine than the one that runs it, and findings must not print the
   * linting host's name or user.
   */
  hostFacts?: boolean;
  /**
   * Also check what httpd checks on its own host (LoadModule objects and directories exist), as
   * `apache2 -t` does. Off by default: configs are usually linted from a repository or a copy,
   * not on the server that runs them.
   */
  checkHostFiles?: boolean;
  /** Directory relative paths are taken from (default the process's working directory). */
  cwd?: string;
  /**
   * Resolutions kept from an earlier run over the same files (`new ResolveCache()`, kept by the
   * caller): a file whose bytes, and whose includes' bytes, are unchanged is not read again. For
   * callers that re-lint on every edit (the language server); clear() it when files change on disk.
   */
  cache?: ResolveCache;
}

export interface FileReport {
  path: string;
  kind: InputKind;
  /** Files pulled in through includes while reading this one. */
  included: string[];
  /** The file is a template: the engines read and how many variants were linted. */
  template?: { engines: string[]; variants: number };
  /** A shell script: the configs it writes, each linted as a virtual file `<script>#<name>` (findings are shown at the script's lines). */
  writes?: { name: string; kind: 'uwsgi-ini' | 'apache'; variants: number }[];
}

export interface LintResult {
  findings: Finding[];
  files: FileReport[];
  /** Findings hidden by inline suppressions. */
  suppressed: number;
}

export function lint(files: LintInputFile[], options: LintOptions = {}): LintResult {
  const targets = resolveTargets(options.targets);
  const cwd = options.cwd ?? process.cwd();
  const findings: Finding[] = [];
  const reports: FileReport[] = [];
  const gate = options.gate ?? new ReadGate({
    roots: options.readRoots ?? [...new Set(files.map((f) => path.dirname(path.resolve(cwd, splitSection(f.path).file))))],
    cwd,
    budget: new Budget(options.budgets),
  });
  const settings: ResolveSettings = { gate, cache: options.cache, env: options.env, httpdVersion: targets.httpd, hostFacts: options.hostFacts, checkHostFiles: options.checkHostFiles, cwd };

  const prepared: PreparedFile[] = [];
  const scripts: FileReport[] = [];
  for (const file of files) {
    const onDisk = path.resolve(cwd, splitSection(file.path).file);
    if (file.text === undefined && gate.leavesRoots(onDisk)) {
      // a named or walked file that is a symbolic link out of the given paths is never read
      findings.push({
        ruleId: 'symlink-outside', severity: 'warning',
        message: `${file.path} is a symbolic link to a file outside the paths given to deploylint, so it was not read; give the directory that holds its target too (or --allow-read DIR)`,
        location: { file: file.path, range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } },
      });
      continue;
    }
    const { kind, template } = classify(file, onDisk, gate);
    if (kind === 'shell-script') {
      // the configs a script writes are virtual files of the run; the script is reported once
      const script = prepareShellScript(file, onDisk, settings);
      for (const config of script.configs) prepared.push(config);
      for (const problem of script.problems) findings.push(problem);
      scripts.push({ path: file.path, kind, included: [], writes: script.report });
      continue;
    }
    prepared.push(prepareFile({ ...file, kind, template: file.template ?? (template || undefined) }, kind, onDisk, settings));
  }
  for (const f of templateFindings(prepared)) findings.push(f);
  const launches = prepared.flatMap((f) => f.launches);

  // A run over templates is one pass per variant (lint-inputs.ts); plain files are resolved once.
  const passes = passesNeeded(prepared);
  /** Sites and snippets of a server tree in the run that the tree does not enable (see notEnabled). */
  const disabled = new Set<string>();
  for (let pass = 0; pass < passes; pass++) {
    const uwsgi: ResolvedUwsgiConfig[] = [];
    const apache: ResolvedApacheConfig[] = [];
    for (const f of prepared) {
      const resolved = resolvedFor(f, pass, settings);
      if (!resolved) continue;
      if (f.kind === 'uwsgi-ini') uwsgi.push(resolved as ResolvedUwsgiConfig);
      else apache.push(resolved as ResolvedApacheConfig);
    }
    const passFindings: Finding[] = [];
    // A file that a whole server tree of this run already includes (a site in sites-enabled given
    // alongside apache2.conf) is linted as part of that tree, not a second time on its own.
    const realPath = (p: string): string => {
      const real = gate.realPath(p);
      return typeof real === 'string' ? real : p;
    };
    const includedByTree = new Set<string>();
    for (const c of apache) if (c.wholeTree) for (const f of c.files.slice(1)) includedByTree.add(realPath(f));
    const apacheRoots = apache.filter((c) => c.wholeTree || !includedByTree.has(realPath(c.file)));
    if (pass === 0) for (const f of notEnabled(apache, apacheRoots)) disabled.add(f);
    // resolution findings of plain files are the same in every pass: taken from the first only
    for (const config of [...uwsgi, ...apacheRoots]) {
      if (pass > 0 && !prepared.some((f) => f.template && f.resolved.includes(config))) continue;
      for (const f of config.findings) passFindings.push(f);
    }
    const deployment = buildDeployment({ apache: apacheRoots, uwsgi, targets, appProfiles: options.appProfiles, launches });
    for (const f of runRules(deployment, { rules: options.rules, ruleOptions: options.ruleOptions })) passFindings.push(f);
    for (const f of mapToTemplates(passFindings, prepared, pass)) findings.push(f);
  }
  for (const script of scripts) reports.push(script);
  for (const f of prepared) {
    if (f.writtenBy) continue;
    if (f.kind === 'systemd-unit' || f.kind === 'supervisor') {
      reports.push({ path: f.input.path, kind: f.kind, included: [] });
      continue;
    }
    const included = new Set<string>();
    for (const r of f.resolved) if (r) for (const p of r.files.slice(1)) included.add(p);
    reports.push({
      path: f.input.path, kind: f.kind, included: [...included],
      ...(f.template ? { template: { engines: f.template.engines, variants: f.template.variants.length } } : {}),
    });
  }

  const shown = displayPaths(files, cwd);
  for (const r of reports) r.included = r.included.map(shown);
  const named = withGivenPaths(disabled.size ? findings.map((f) => (disabled.has(f.location.file) ? asNotEnabled(f) : f)) : findings, shown, gate, cwd);
  const settled = settleFindings(named, {
    rules: options.rules,
    suppressions: options.inlineSuppressions === false ? undefined : {
      inputs: suppressionInputs(reports.flatMap((r) => [r.path, ...r.included].map((p) => ({ path: p, ini: r.kind === 'uwsgi-ini' }))), named, textReader(files, gate, cwd)),
      today: options.today ?? new Date().toISOString().slice(0, 10),
      targets: options.targets ?? {},
    },
  });
  return { findings: settled.findings, files: reports, suppressed: settled.suppressed };
}

/**
 * The files in a server tree's `sites-available/`, `conf-available/` or `mods-available/` that the
 * tree given in the same run does not include: httpd does not read them (nothing links them from
 * `*-enabled/`), so what they hold cannot fail a request today.
 */
function notEnabled(all: ResolvedApacheConfig[], roots: ResolvedApacheConfig[]): string[] {
  const trees = all.filter((c) => c.wholeTree).map((c) => path.dirname(c.file));
  if (trees.length === 0) return [];
  return roots.filter((c) => !c.wholeTree && /(^|\/)(sites|conf|mods)-available\/[^/]+$/.test(c.file)
    && trees.some((t) => path.dirname(path.dirname(c.file)) === t)).map((c) => c.file);
}

/** A finding in a site that is not enabled: nothing fails until it is, so at most a warning, and the message says why. */
function asNotEnabled(f: Finding): Finding {
  const note = ' (This file is not enabled: no link to it in the tree\'s *-enabled directory, so httpd does not read it yet.)';
  return { ...f, severity: f.severity === 'error' ? 'warning' : f.severity, message: f.message + note };
}

/** The text of a file of the run, for its suppression comments: as given (stdin), else read through the run's gate. */
function textReader(files: LintInputFile[], gate: ReadGate, cwd: string): (file: string) => string | undefined {
  const given = new Map(files.filter((f) => f.text !== undefined).map((f) => [f.path, f.text]));
  return (file) => {
    if (given.has(file)) return given.get(file);
    const read = gate.readFile(path.resolve(cwd, file));
    return read.ok ? decodeBytes(read.bytes).text : undefined;
  };
}

/**
 * How a file is shown: as the user named it, else relative to the working directory (a parser may
 * have made it absolute, as httpd does), so suppressions, baselines, editors and other machines
 * find it again; a file outside the working directory keeps its absolute path.
 */
function displayPaths(files: LintInputFile[], cwd: string): (file: string) => string {
  const given = new Map<string, string>();
  for (const file of files) {
    const onDisk = splitSection(file.path).file;
    given.set(path.resolve(cwd, onDisk), onDisk);
  }
  return (file) => {
    const abs = path.resolve(cwd, file);
    const named = given.get(abs);
    if (named !== undefined) return named;
    const rel = path.relative(cwd, abs);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
  };
}

/**
 * The file a location is in, when it was read through a symbolic link to a file inside the given
 * paths (`sites-enabled/glance.conf -> ../sites-available/glance.conf`): the real file, the one kept
 * in git, and the link it was read through.
 */
function throughLink(file: string, gate: ReadGate, cwd: string): { real: string; link: string } | null {
  const abs = path.resolve(cwd, file);
  const real = gate.realPath(abs);
  if (typeof real !== 'string' || real === abs || !gate.containsReal(real)) return null;
  const dir = gate.realPath(path.dirname(abs));
  // only a link in the last component: a linked directory names the same files
  if (typeof dir !== 'string' || path.join(dir, path.basename(abs)) === real) return null;
  return { real, link: abs };
}

/**
 * Every finding leaves lint() with plain locations in files as the user would name them; one found
 * through a symbolic link to a file is reported at the real file, with the link as related location.
 */
function withGivenPaths(findings: Finding[], shown: (file: string) => string, gate: ReadGate, cwd: string): Finding[] {
  const links = new Map<string, { real: string; link: string } | null>();
  const linkOf = (file: string) => {
    let hit = links.get(file);
    if (hit === undefined) links.set(file, (hit = throughLink(file, gate, cwd)));
    return hit;
  };
  // a lazy Span is materialised here, once
  const rename = (location: SourceLocation): SourceLocation => {
    const link = linkOf(location.file);
    return relocated(location, shown(link ? link.real : location.file));
  };
  return findings.map((f) => {
    const link = linkOf(f.location.file);
    const related = f.related ? f.related.map((r) => ({ ...r, location: rename(r.location) })) : [];
    if (link) {
      const start = { line: 1, column: 1, offset: 0 };
      related.push({ location: { file: shown(link.link), range: { start, end: start } }, message: `the symbolic link it was read through (to ${shown(link.real)})` });
    }
    return { ...f, location: rename(f.location), ...(related.length ? { related } : {}) };
  });
}

export { compareFindings };
