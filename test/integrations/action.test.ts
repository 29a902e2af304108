/**
 * The GitHub Action (action.yml), step by step as the runner takes it: action.yml is parsed, each
 * step's `if:` and `${{ }}` expressions are evaluated, every `run:` step runs in bash the way the
 * runner runs composite steps (`bash --noprofile --norc -eo pipefail`, GITHUB_OUTPUT, GITHUB_ACTION_PATH,
 * the step's env), in a scratch repository with a bad uWSGI ini. The `uses:` steps are not run: the
 * test checks that setup-node is skipped when Node.js 20+ is on PATH and what upload-sarif receives.
 *
 * The action's own checkout is a copy of this working tree; its install step runs `npm ci` there
 * (needs the npm cache, which npm ci filled, or the registry).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { sarifValidator } from '../format/sarif-validator';
import { ROOT } from '../cli/helpers';

jest.setTimeout(600_000);

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  runs: { using: string; steps: Step[] };
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { value: string }>;
}

const ACTION = yaml.load(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;

type Context = { inputs: Record<string, string>; steps: Record<string, Record<string, string>>; github: Record<string, string> };

/**
 * GitHub's expression language, the part action.yml uses: context paths (`inputs.x`,
 * `steps.id.outputs.y`, `github.action_path`), '...' strings, `==` `!=` (strings compare without
 * case), `&&` `||` `!` and parentheses. Anything else throws, so action.yml cannot grow an
 * expression this test would silently get wrong.
 */
function evaluate(expr: string, ctx: Context): string | boolean {
  const tokens = expr.match(/'(?:[^']|'')*'|==|!=|&&|\|\||[!()]|[A-Za-z_][\w.-]*|\S/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const truthy = (v: string | boolean) => v !== '' && v !== false;
  const primary = (): string | boolean => {
    const t = tokens[i++];
    if (t === undefined) throw new Error(`expression ends early: ${expr}`);
    if (t === '(') {
      const v = or();
      if (tokens[i++] !== ')') throw new Error(`missing ) in ${expr}`);
      return v;
    }
    if (t === '!') return !truthy(primary());
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (t === 'true' || t === 'false') return t === 'true';
    const [head, ...rest] = t.split('.');
    if (head === 'inputs' && rest.length === 1) return ctx.inputs[rest[0]] ?? '';
    if (head === 'github' && rest.length === 1 && rest[0] in ctx.github) return ctx.github[rest[0]];
    if (head === 'steps' && rest.length === 3 && rest[1] === 'outputs') return ctx.steps[rest[0]]?.[rest[2]] ?? '';
    throw new Error(`unsupported expression ${t} in ${expr}`);
  };
  const eq = (): string | boolean => {
    let v = primary();
    while (peek() === '==' || peek() === '!=') {
      const op = tokens[i++];
      const w = primary();
      const same = String(v).toLowerCase() === String(w).toLowerCase();
      v = op === '==' ? same : !same;
    }
    return v;
  };
  const and = (): string | boolean => {
    let v = eq();
    while (peek() === '&&') {
      i++;
      const w = eq();
      v = truthy(v) ? w : v;
    }
    return v;
  };
  const or = (): string | boolean => {
    let v = and();
    while (peek() === '||') {
      i++;
      const w = and();
      v = truthy(v) ? v : w;
    }
    return v;
  };
  const v = or();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]} in ${expr}`);
  return v;
}

const substitute = (text: string, ctx: Context) => text.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => String(evaluate(e, ctx)));

function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let k = 0; k < lines.length; k++) {
    const heredoc = /^([\w-]+)<<(.+)$/.exec(lines[k]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], k + 1);
      out[heredoc[1]] = lines.slice(k + 1, end).join('\n');
      k = end;
    } else if (lines[k].includes('=')) out[lines[k].slice(0, lines[k].indexOf('='))] = lines[k].slice(lines[k].indexOf('=') + 1);
  }
  return out;
}

interface StepRun { step: Step; skipped: boolean; status: number; stdout: string; stderr: string; with?: Record<string, string> }

/** The action's steps in order, as the runner would take them; stops after the first failing step. */
function runAction(actionPath: string, workspace: string, given: Record<string, string>) {
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(ACTION.inputs)) inputs[name] = given[name] ?? spec.default ?? '';
  const ctx: Context = { inputs, steps: {}, github: { action_path: actionPath, workspace } };
  const runs: StepRun[] = [];
  for (const step of ACTION.runs.steps) {
    const condition = step.if === undefined ? true : evaluate(step.if.replace(/^\$\{\{(.*)\}\}$/, '$1'), ctx);
    if (condition === '' || condition === false) {
      runs.push({ step, skipped: true, status: 0, stdout: '', stderr: '' });
      continue;
    }
    if (step.uses) {
      const withValues = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), ctx)]));
      runs.push({ step, skipped: false, status: 0, stdout: '', stderr: '', with: withValues });
      continue;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-step-'));
    try {
      const script = path.join(dir, 'step.sh');
      const output = path.join(dir, 'output');
      fs.writeFileSync(script, step.run!);
      fs.writeFileSync(output, '');
      const env: Record<string, string> = { ...(process.env as Record<string, string>), GITHUB_OUTPUT: output, GITHUB_ACTION_PATH: actionPath, GITHUB_WORKSPACE: workspace, npm_config_prefer_offline: 'true', NO_COLOR: '1' };
      for (const [k, v] of Object.entries(step.env ?? {})) env[k] = substitute(String(v), ctx);
      const cwd = step['working-directory'] ? substitute(step['working-directory'], ctx) : workspace;
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, encoding: 'utf8', timeout: 300_000 });
      if (r.error) throw r.error;
      if (step.id) ctx.steps[step.id] = readOutputs(output);
      runs.push({ step, skipped: false, status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr });
      if (r.status !== 0) break;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const outputs = Object.fromEntries(Object.entries(ACTION.outputs).map(([k, o]) => [k, substitute(o.value, ctx)]));
  const failed = runs.find((r) => !r.skipped && r.status !== 0);
  return { runs, outputs, status: failed ? failed.status : 0, byId: (id: string) => runs.find((r) => r.step.id === id)!, uses: (prefix: string) => runs.find((r) => r.step.uses?.startsWith(prefix))! };
}

const BAD_INI = '[uwsgi]\nmodule = app.wsgi:application\nsocket-timeout = "30"\nmaster = true\ndie-on-term = true\n';
const GOOD_INI = '[uwsgi]\nmodule = app.wsgi:application\nplugins = python3\nsocket = 127.0.0.1:60999\nsocket-timeout = 60\nbuffer-size = 65535\nmaster = true\ndie-on-term = true\nneed-app = true\n';

let tmp = '';
let actionPath = '';

function repo(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  spawnSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-action-')));
  // the action's checkout: this working tree's files (tracked, and new ones not ignored), nothing built
  actionPath = path.join(tmp, 'action');
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const rel of listed) {
    const from = path.join(ROOT, rel);
    if (!fs.existsSync(from) || fs.lstatSync(from).isDirectory()) continue;
    fs.mkdirSync(path.dirname(path.join(actionPath, rel)), { recursive: true });
    fs.cpSync(from, path.join(actionPath, rel), { verbatimSymlinks: true });
  }
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('action.yml: a composite action whose scripts take inputs only through the environment', () => {
  expect(ACTION.runs.using).toBe('composite');
  for (const name of ['paths', 'format', 'args', 'sarif-file', 'upload-sarif']) expect(ACTION.inputs[name]?.description).toBeTruthy();
  for (const step of ACTION.runs.steps) {
    if (step.run) {
      expect(step.shell).toBe('bash');
      // `${{ }}` inside a script is pasted in before the shell reads it: an input could run code
      expect(step.run).not.toMatch(/\$\{\{/);
    }
  }
  expect(ACTION.runs.steps.filter((s) => s.uses).map((s) => s.uses)).toEqual(['actions/setup-node@v6', 'github/codeql-action/upload-sarif@v4']);
});

test('a bad config: annotations, a valid SARIF file handed to upload-sarif, and the step fails with 1', () => {
  const ws = repo('bad', { 'deploy/uwsgi/app.ini': BAD_INI, 'README.md': 'not linted\n' });
  const r = runAction(actionPath, ws, { paths: 'deploy', format: 'github,sarif', 'upload-sarif': 'true', 'sarif-file': 'reports/deploylint.sarif' });
  // Node.js 20+ is on PATH: no setup-node
  expect(r.byId('node').skipped).toBe(false);
  expect(r.uses('actions/setup-node').skipped).toBe(true);
  const install = r.byId('install');
  expect({ status: install.status, stderr: install.status === 0 ? '' : install.stderr }).toEqual({ status: 0, stderr: '' });
  expect(install.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  const run = r.byId('run');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^::error file=deploy\/uwsgi\/app\.ini,line=3,col=\d+,.*title=uwsgi-quoted-value::/m);
  expect(r.outputs).toEqual({ 'exit-code': '1', 'sarif-file': 'reports/deploylint.sarif' });
  const upload = r.uses('github/codeql-action/upload-sarif');
  expect(upload.skipped).toBe(false);
  expect(upload.with).toEqual({ sarif_file: 'reports/deploylint.sarif', category: 'deploylint' });
  const log = JSON.parse(fs.readFileSync(path.join(ws, 'reports/deploylint.sarif'), 'utf8'));
  const validate = sarifValidator();
  if (!validate(log)) throw new Error(JSON.stringify(validate.errors, null, 2));
  expect(log.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('uwsgi-quoted-value');
  expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'deploy/uwsgi/app.ini', uriBaseId: '%SRCROOT%' });
  expect(JSON.stringify(log)).not.toContain(tmp);
  // decided after the upload: the job fails on the findings
  expect(r.byId('result').status).toBe(1);
  expect(r.status).toBe(1);
});

test('the second use in a job does not install again; fail-on-findings false passes; no upload unless asked', () => {
  const ws = repo('bad-lenient', { 'app.ini': BAD_INI });
  const r = runAction(actionPath, ws, { format: 'sarif', 'fail-on-findings': 'false' });
  expect(r.byId('install').stdout).toMatch(/already installed/);
  expect(r.outputs).toEqual({ 'exit-code': '1', 'sarif-file': 'deploylint.sarif' });
  expect(fs.existsSync(path.join(ws, 'deploylint.sarif'))).toBe(true);
  expect(r.uses('github/codeql-action/upload-sarif').skipped).toBe(true);
  expect(r.status).toBe(0);
});

test('a clean config passes; args reach deploylint; a usage error fails even with fail-on-findings false', () => {
  const ws = repo('good', { 'app.ini': GOOD_INI, 'other/app.ini': BAD_INI });
  const clean = runAction(actionPath, ws, { paths: 'app.ini' });
  expect(clean.outputs['exit-code']).toBe('0');
  expect(clean.byId('run').stdout).toBe('');
  expect(clean.status).toBe(0);
  // args: the error in other/ made a warning by --rule, then --failure-level warning fails on it
  const lenient = runAction(actionPath, ws, { paths: 'other', args: '--rule uwsgi-quoted-value=warning' });
  expect(lenient.byId('run').stdout).toMatch(/^::warning file=other\/app\.ini,line=3,.*title=uwsgi-quoted-value::/m);
  expect(lenient.outputs['exit-code']).toBe('0');
  const strict = runAction(actionPath, ws, { paths: 'other', args: '--rule uwsgi-quoted-value=warning\n--failure-level warning' });
  expect(strict.outputs['exit-code']).toBe('1');
  const usage = runAction(actionPath, ws, { args: '--no-such-option', 'fail-on-findings': 'false' });
  expect(usage.outputs['exit-code']).toBe('2');
  expect(usage.status).toBe(2);
});

test('inputs are data, never shell code', () => {
  const ws = repo('hostile', { 'app.ini': GOOD_INI });
  const r = runAction(actionPath, ws, { paths: '$(touch pwned1) `touch pwned2` ; touch pwned3 *', args: '$(touch pwned4)', format: 'github' });
  for (const f of ['pwned1', 'pwned2', 'pwned3', 'pwned4', ';']) expect(fs.existsSync(path.join(ws, f))).toBe(false);
  // the words reach deploylint as written (an unknown option, here): a usage error, exit 2
  expect(r.outputs['exit-code']).toBe('2');
  expect(r.byId("run").stderr).toMatch(/deploylint: .*\$\(touch/);
});
