/**
 * Runs the deploylint CLI, as a user would, on the files a lab setup started its servers from:
 *   node bin/deploylint.js --format json --config SCRATCH/deploylint.json FILES...
 * The config file carries the app profiles (script glob -> profile id), since the linter cannot
 * tell from the server files what the Python app does with a request body.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface LabFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  line?: number;
  /** The applicability of the fix the finding carries (`safe`, `unsafe`, `display-only`), if any. */
  fix?: string;
}

export interface LintRun {
  available: boolean;
  findings: LabFinding[];
  /** Why deploylint gave no usable answer. */
  error?: string;
  /** True when the CLI rejected --config and was run without the app profiles. */
  configIgnored?: boolean;
  command: string;
}

const LINT_TIMEOUT_MS = 60_000;

function exec(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, timeout: LINT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error && typeof (error as NodeJS.ErrnoException & { code?: unknown }).code === 'number'
        ? (error as unknown as { code: number }).code : error ? null : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

interface JsonFinding {
  ruleId?: unknown; severity?: unknown; message?: unknown; file?: unknown; line?: unknown; fix?: { applicability?: unknown };
  location?: { file?: unknown; start?: { line?: unknown }; line?: unknown };
}

function parseFindings(stdout: string): LabFinding[] | undefined {
  try {
    const parsed = JSON.parse(stdout) as { findings?: JsonFinding[] };
    if (!Array.isArray(parsed.findings)) return undefined;
    return parsed.findings.map((f) => ({
      ruleId: String(f.ruleId),
      severity: String(f.severity),
      message: String(f.message ?? ''),
      file: String(f.file ?? f.location?.file ?? ''),
      line: typeof f.line === 'number' ? f.line : typeof f.location?.start?.line === 'number' ? f.location.start.line : undefined,
      ...(f.fix ? { fix: String(f.fix.applicability ?? 'safe') } : {}),
    }));
  } catch {
    return undefined;
  }
}

export async function lintFiles(repoRoot: string, files: string[], appProfiles: Record<string, string>, scratch: string): Promise<LintRun> {
  const cli = path.join(repoRoot, 'bin', 'deploylint.js');
  const shown = files.map((f) => path.basename(f)).join(' ');
  const command = `node bin/deploylint.js --format json --config deploylint.json ${shown}`;
  if (!fs.existsSync(cli)) return { available: false, findings: [], error: 'deploylint unavailable: bin/deploylint.js not found', command };
  const configPath = path.join(scratch, 'deploylint.json');
  fs.writeFileSync(configPath, JSON.stringify({ appProfiles }, null, 2) + '\n');

  let configIgnored = false;
  let result = await exec([cli, '--format', 'json', '--config', configPath, ...files], repoRoot);
  let findings = parseFindings(result.stdout);
  if (!findings && /config/i.test(result.stderr) && /unknown|unrecognized|invalid|unexpected/i.test(result.stderr)) {
    configIgnored = true;
    result = await exec([cli, '--format', 'json', ...files], repoRoot);
    findings = parseFindings(result.stdout);
  }
  if (!findings) {
    const why = (result.stderr || result.stdout).trim().split('\n').slice(0, 2).join(' | ').slice(0, 200);
    return { available: false, findings: [], error: `deploylint unavailable: exit ${result.code}: ${why}`, configIgnored, command };
  }
  return { available: true, findings, configIgnored, command };
}

/** What `--fix --unsafe-fixes --format json` did: the findings that remain and the fixes applied or not. */
export interface LabFixRun extends LintRun {
  applied: Array<{ ruleId: string; description: string; applicability: string; file: string; line: number }>;
  notApplied: Array<{ ruleId: string; description: string; reason: string }>;
  exitCode: number | null;
}

/**
 * Runs the CLI as a user fixing a deployment would:
 *   node bin/deploylint.js --fix --unsafe-fixes --format json --config SCRATCH/deploylint.json FILES...
 * The files are fixed in place (they are the lab's own copy).
 */
export async function fixFiles(repoRoot: string, files: string[], appProfiles: Record<string, string>, scratch: string): Promise<LabFixRun> {
  const cli = path.join(repoRoot, 'bin', 'deploylint.js');
  const shown = files.map((f) => path.basename(f)).join(' ');
  const command = `node bin/deploylint.js --fix --unsafe-fixes --format json --config deploylint.json ${shown}`;
  const empty = { applied: [], notApplied: [], exitCode: null };
  if (!fs.existsSync(cli)) return { available: false, findings: [], error: 'deploylint unavailable: bin/deploylint.js not found', command, ...empty };
  const configPath = path.join(scratch, 'deploylint.json');
  fs.writeFileSync(configPath, JSON.stringify({ appProfiles }, null, 2) + '\n');
  const result = await exec([cli, '--fix', '--unsafe-fixes', '--format', 'json', '--config', configPath, ...files], repoRoot);
  const findings = parseFindings(result.stdout);
  if (!findings) {
    const why = (result.stderr || result.stdout).trim().split('\n').slice(0, 2).join(' | ').slice(0, 200);
    return { available: false, findings: [], error: `deploylint --fix unavailable: exit ${result.code}: ${why}`, command, ...empty, exitCode: result.code };
  }
  const fixes = (JSON.parse(result.stdout) as { fixes?: { applied?: LabFixRun['applied']; notApplied?: LabFixRun['notApplied'] } }).fixes ?? {};
  return { available: true, findings, command, applied: fixes.applied ?? [], notApplied: fixes.notApplied ?? [], exitCode: result.code };
}
