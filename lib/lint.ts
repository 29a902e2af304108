/**
 * The one entry point the CLI, the lab and the tests call: files in, findings out.
 * Parse and resolve every file, build one deployment, run the rules, and return every finding
 * (parse problems included) sorted by file and position.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Finding, Severity } from './core/finding';
import { detectInputKind } from './input-kind';
import { resolveTargets } from './knowledge/targets';
import { buildDeployment } from './model';
import { runRules } from './engine/run';
import { resolveApacheConfig } from './parsers/apache';
import type { ResolvedApacheConfig } from './parsers/apache/types';
import { resolveUwsgiIni } from './parsers/uwsgi-ini';
import type { ResolvedUwsgiConfig } from './parsers/uwsgi-ini/types';

export type InputKind = 'uwsgi-ini' | 'apache';

export interface LintInputFile {
  /** Path as the user gave it; for stdin, the --stdin-filename. */
  path: string;
  /** Detected from name and content when absent. */
  kind?: InputKind;
  /** Content when it does not come from disk (stdin). */
  text?: string;
  /** uWSGI section (`file.ini:section`). */
  section?: string;
}

export interface LintOptions {
  /** e.g. { uwsgi: '2.0', httpd: '2.4.71', glance: '32.0.0' } */
  targets?: Record<string, string>;
  /** Per-rule severity override or 'off'. */
  rules?: Record<string, Severity | 'off'>;
  /** Per-rule options, e.g. { 'uwsgi-socket-timeout-low': { floor: 30 } }. */
  ruleOptions?: Record<string, Record<string, unknown>>;
  /** App profile overrides: uWSGI module / wsgi-file / script path pattern -> profile id. */
  appProfiles?: Record<string, string>;
  /** Environment for $(VAR) in ini files and ${VAR} in Apache configs. */
  env?: Record<string, string>;
  /**
   * Directories includes may be read from (besides a ServerRoot the Apache config sets itself):
   * an include outside them is reported, not read. Default: the directories of the given files.
   */
  readRoots?: string[];
  /**
   * Also check what httpd checks on its own host (LoadModule objects and directories exist), as
   * `apache2 -t` does. Off by default: configs are usually linted from a repository or a copy,
   * not on the server that runs them.
   */
  checkHostFiles?: boolean;
}

export interface FileReport {
  path: string;
  kind: InputKind;
  /** Files pulled in through includes while reading this one. */
  included: string[];
}

export interface LintResult {
  findings: Finding[];
  files: FileReport[];
}

export function lint(files: LintInputFile[], options: LintOptions = {}): LintResult {
  const targets = resolveTargets(options.targets);
  const findings: Finding[] = [];
  const reports: FileReport[] = [];
  const uwsgi: ResolvedUwsgiConfig[] = [];
  const apache: ResolvedApacheConfig[] = [];

  const readRoots = options.readRoots ?? [...new Set(files.map((f) => path.dirname(path.resolve(fileOnDisk(f.path)))))];
  for (const file of files) {
    const kind = file.kind ?? detectInputKind(file.path, file.text ?? readSample(file.path)) ?? 'apache';
    if (kind === 'uwsgi-ini') {
      const resolved = resolveUwsgiIni(path.resolve(file.path), {
        section: file.section, env: options.env, text: file.text, allowedRoots: readRoots,
        // uWSGI resolves a relative `ini =` from its own working directory, which the files do not
        // tell (uwsgi-relative-ini-include warns about that). The including file's directory is the
        // best stand-in, and keeps results independent of where deploylint itself runs.
        cwd: path.dirname(path.resolve(fileOnDisk(file.path))),
      });
      uwsgi.push(resolved);
      reports.push({ path: file.path, kind, included: resolved.files.slice(1) });
    } else {
      const resolved = resolveApacheConfig(file.text === undefined ? path.resolve(file.path) : file.path, { env: options.env, text: file.text, httpdVersion: targets.httpd, readRoots, checkHostFiles: options.checkHostFiles ?? false });
      apache.push(resolved);
      reports.push({ path: file.path, kind, included: resolved.files.slice(1) });
    }
  }

  // A file that a whole server tree of this run already includes (a site in sites-enabled given
  // alongside apache2.conf) is linted as part of that tree, not a second time on its own.
  const includedByTree = new Set(apache.filter((c) => c.wholeTree).flatMap((c) => c.files.slice(1).map(realPath)));
  const apacheRoots = apache.filter((c) => c.wholeTree || !includedByTree.has(realPath(c.file)));

  for (const config of [...uwsgi, ...apacheRoots]) for (const f of config.findings) findings.push(f);
  const deployment = buildDeployment({ apache: apacheRoots, uwsgi, targets, appProfiles: options.appProfiles });
  for (const f of runRules(deployment, { rules: options.rules, ruleOptions: options.ruleOptions })) findings.push(f);

  const named = withGivenPaths(findings, files);
  return { findings: applySeverityOverrides(dedupe(named), options.rules).sort(compareFindings), files: reports };
}

/**
 * A finding in a file the user named carries the path as the user wrote it (parsers may have
 * made it absolute, as httpd does), so suppressions, baselines and editors find it again.
 */
function withGivenPaths(findings: Finding[], files: LintInputFile[]): Finding[] {
  const given = new Map<string, string>();
  for (const file of files) {
    const onDisk = fileOnDisk(file.path);
    given.set(path.resolve(onDisk), onDisk);
  }
  const rename = <T extends { file: string }>(location: T): T => {
    const shown = given.get(path.resolve(location.file));
    return shown === undefined || shown === location.file ? location : { ...location, file: shown };
  };
  return findings.map((f) => ({
    ...f,
    location: rename(f.location),
    ...(f.related ? { related: f.related.map((r) => ({ ...r, location: rename(r.location) })) } : {}),
  }));
}

function readSample(filePath: string): string | undefined {
  const onDisk = fileOnDisk(filePath);
  try {
    if (!fs.statSync(onDisk).isFile()) return undefined; // a FIFO would block: the parser refuses it
    const fd = fs.openSync(onDisk, 'r');
    try {
      const buffer = Buffer.alloc(65536);
      const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
      return buffer.subarray(0, n).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined; // the parser reports the unreadable file with a position
  }
}

/** `app.ini:section` names a section of app.ini, unless a file by that very name exists. */
function fileOnDisk(p: string): string {
  return fs.existsSync(p) ? p : p.replace(/:[^/:]*$/, '');
}

function realPath(p: string): string {
  try {
    // The native call resolves the whole path at once instead of lstat-ing each component.
    return fs.realpathSync.native(p);
  } catch {
    return p;
  }
}

function applySeverityOverrides(findings: Finding[], rules: LintOptions['rules']): Finding[] {
  if (!rules) return findings;
  return findings.flatMap((finding) => {
    const configured = rules[finding.ruleId];
    if (configured === 'off') return [];
    return [configured ? { ...finding, severity: configured } : finding];
  });
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}\0${f.location.file}\0${f.location.range.start.offset}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.location.file !== b.location.file) return a.location.file < b.location.file ? -1 : 1;
  return a.location.range.start.line - b.location.range.start.line
    || a.location.range.start.column - b.location.range.start.column
    || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
