/**
 * The threat model through the real CLI: everything in the linted tree is hostile (configs,
 * symlinks, .deploylintrc*, package.json); only the command line and the CI's environment are
 * trusted. Each case below printed a secret, hung or exhausted memory before the read gate and the
 * budgets existed. A secret is a canary: a file outside the linted tree and an environment variable
 * of the deploylint process, both with a random marker that must never appear in any output.
 *
 * Every run is bounded without a wall-clock assert: a 60 s kill (a hang fails the test), and V8's
 * heap capped at 1 GiB through NODE_OPTIONS (running out aborts, which fails the test).
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BIN, requireBuild } from '../cli/helpers';

const MARK = `CANARY${crypto.randomBytes(6).toString('hex')}`;
const ENV_SECRET = `ENVSECRET${crypto.randomBytes(6).toString('hex')}`;

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  report?: { findings: { ruleId: string; severity: string; message: string; file: string; line: number }[]; files: { path: string; included: string[] }[] };
}

let outside: string;
const made: string[] = [];

beforeAll(() => {
  requireBuild();
  outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-outside-')));
  made.push(outside);
  fs.writeFileSync(path.join(outside, 'secret.conf'), `${MARK} line one\n${MARK} line two\n`);
  fs.writeFileSync(path.join(outside, 'secret.ini'), `[uwsgi]\n${MARK} = 1\nsocket = ${MARK}\n`);
  fs.mkdirSync(path.join(outside, `ss-${MARK}-dir`));
  fs.writeFileSync(path.join(outside, 'flag'), 'x');
});

afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-hostile-')));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function cli(args: string[], cwd: string, json = true): Run {
  const r = spawnSync(process.execPath, [BIN, ...(json ? ['--format', 'json'] : []), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', DEPLOYLINT_CANARY: ENV_SECRET, NODE_OPTIONS: '--max-old-space-size=1024' },
  });
  const run: Run = { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  if (json && run.stdout.trim().startsWith('{')) run.report = JSON.parse(run.stdout);
  return run;
}

/** Ended by itself with 0 or 1, printed a report, leaked nothing. */
function wellBehaved(run: Run): NonNullable<Run['report']> {
  expect(run.signal).toBeNull();
  expect([0, 1]).toContain(run.status);
  expect(run.report).toBeDefined();
  noLeak(run);
  return run.report!;
}

function noLeak(run: Run): void {
  const all = run.stdout + run.stderr;
  expect(all).not.toContain(MARK);
  expect(all).not.toContain(ENV_SECRET);
}

const ids = (report: NonNullable<Run['report']>) => report.findings.map((f) => f.ruleId);

describe('no read outside the given paths, and no secret printed', () => {
  test('ServerRoot pointing elsewhere + Include: reported, not read', () => {
    const dir = tree({ 'apache2.conf': `ServerRoot "${outside}"\nInclude secret.conf\n` });
    const report = wellBehaved(cli(['apache2.conf'], dir));
    expect(report.findings.find((f) => f.ruleId === 'include-outside')?.line).toBe(2);
    expect(report.files[0].included).toEqual([]);
  });

  test('ServerRoot / + Include proc/self/environ: the environment is not read', () => {
    const dir = tree({ 'apache2.conf': 'ServerRoot /\nInclude proc/self/environ\nInclude etc/hostname\n' });
    const report = wellBehaved(cli(['apache2.conf'], dir));
    expect(ids(report).filter((id) => id === 'include-outside')).toHaveLength(2);
  });

  test('an absolute Include, a glob Include and an IncludeOptional of a directory outside', () => {
    const dir = tree({ 'site.conf': `Include ${outside}/secret.conf\nInclude ${outside}/*.conf\nIncludeOptional ${outside}\n<VirtualHost *:80>\nServerName x\n</VirtualHost>\n` });
    const report = wellBehaved(cli(['site.conf'], dir));
    expect(report.findings.filter((f) => f.ruleId === 'include-outside').map((f) => f.line)).toEqual([1, 2, 3]);
  });

  test('uWSGI ini =, inherit =, @(file), for-readline outside: reported, not read', () => {
    const dir = tree({
      'app.ini': `[uwsgi]\nini = ${outside}/secret.ini\ninherit = ${outside}/secret.ini\nsocket = @(${outside}/secret.conf)\nfor-readline = ${outside}/secret.conf\nenv = X=%(_)\nendfor =\nmodule = app\n`,
    });
    const report = wellBehaved(cli(['app.ini'], dir));
    expect(report.findings.filter((f) => f.ruleId === 'include-outside').length).toBeGreaterThanOrEqual(4);
    expect(report.files[0].included).toEqual([]);
  });

  test('a repository config cannot set the environment (UWSGI_INI names a file, %(key) prints values)', () => {
    const dir = tree({ 'app.ini': '[uwsgi]\nmodule = app\n', '.deploylintrc.json': JSON.stringify({ env: { UWSGI_INI: `${outside}/secret.ini`, UWSGI_CHMOD_SOCKET: '%(secret)' } }) });
    const run = cli(['app.ini'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('a configuration file cannot set the environment');
    noLeak(run);
  });

  test('an envvars beside apache2.conf that links to /proc/self/environ is not read', () => {
    const dir = tree({ 'apache2.conf': 'ServerRoot .\nServerName ${DEPLOYLINT_CANARY}\nServerAdmin ${APACHE_RUN_USER}\n' });
    fs.symlinkSync('/proc/self/environ', path.join(dir, 'envvars'));
    wellBehaved(cli(['apache2.conf'], dir));
  });

  test('an envvars that is a FIFO, or links to /dev/zero, neither hangs nor fills memory', () => {
    const fifo = tree({ 'apache2.conf': 'ServerRoot .\nServerName x\n' });
    expect(spawnSync('mkfifo', [path.join(fifo, 'envvars')]).status).toBe(0);
    wellBehaved(cli(['apache2.conf'], fifo));
    const zero = tree({ 'apache2.conf': 'ServerRoot .\nServerName x\n' });
    fs.symlinkSync('/dev/zero', path.join(zero, 'envvars'));
    wellBehaved(cli(['apache2.conf'], zero));
  });

  test('symbolic links out of the tree: the walk skips them, a named one is a finding', () => {
    const dir = tree({ 'site/sites-available/ok.conf': '<VirtualHost *:80>\nServerName ok\n</VirtualHost>\n' });
    fs.mkdirSync(path.join(dir, 'site', 'sites-enabled'));
    fs.symlinkSync(path.join(outside, 'secret.conf'), path.join(dir, 'site', 'sites-enabled', 'x.conf'));
    fs.symlinkSync(outside, path.join(dir, 'site', 'etc'));
    fs.symlinkSync('/', path.join(dir, 'site', 'root'));
    const walked = wellBehaved(cli(['site'], dir));
    expect(walked.files.map((f) => f.path)).toEqual(['site/sites-available/ok.conf']);
    const named = wellBehaved(cli(['site/sites-enabled/x.conf'], dir));
    expect(ids(named)).toEqual(['symlink-outside']);
  });

  test('for-glob outside the tree lists nothing there; /usr/** and a symlink loop stay bounded', () => {
    const dir = tree({
      'a.ini': `[uwsgi]\nmodule = app\nfor-glob = ${outside}/ss*\nenv = D=%(_)\nendfor =\n`,
      'b.ini': '[uwsgi]\nmodule = app\nfor-glob = /usr/**\nenv = D=%(_)\nendfor =\n',
      'c.ini': '[uwsgi]\nmodule = app\nfor-glob = loop/loop/loop/loop/loop/loop/loop/*\nenv = D=%(_)\nendfor =\n',
    });
    fs.symlinkSync('.', path.join(dir, 'loop'));
    for (const f of ['a.ini', 'b.ini', 'c.ini']) wellBehaved(cli([f], dir));
    const parsed = cli(['parse', '--resolved', 'a.ini'], dir, false);
    expect(parsed.status).toBe(0);
    noLeak(parsed);
  });

  test('parse --resolved goes through the same gate: @(file) outside prints nothing of it', () => {
    const dir = tree({ 'app.ini': `[uwsgi]\nsocket = @(${outside}/secret.conf)\nmodule = app\n` });
    const run = cli(['parse', '--resolved', 'app.ini'], dir, false);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('outside the paths given');
    noLeak(run);
    const apache = tree({ 'a.conf': `Include ${outside}/secret.conf\nServerName x\n` });
    const a = cli(['parse', '--resolved', 'a.conf'], apache, false);
    expect(a.status).toBe(0);
    noLeak(a);
  });

  test.each(['.deploylintrc.json', 'package.json'])('a %s that is a FIFO, /dev/zero or a link to a secret: exit 2 at once, nothing printed of it', (name) => {
    const fifo = tree({ 'app.ini': '[uwsgi]\nmodule = app\n' });
    expect(spawnSync('mkfifo', [path.join(fifo, name)]).status).toBe(0);
    const f = cli(['app.ini'], fifo);
    expect(f.status).toBe(2);
    const zero = tree({ 'app.ini': '[uwsgi]\nmodule = app\n' });
    fs.symlinkSync('/dev/zero', path.join(zero, name));
    expect(cli(['app.ini'], zero).status).toBe(2);
    const secret = tree({ 'app.ini': '[uwsgi]\nmodule = app\n' });
    fs.symlinkSync(path.join(outside, 'secret.conf'), path.join(secret, name));
    const s = cli(['app.ini'], secret);
    expect(s.status).toBe(2);
    noLeak(s);
  });

  test('host facts (%h %U %G %k) are not the linting machine\'s values unless --host-facts', () => {
    const dir = tree({ 'app.ini': '[uwsgi]\nmodule = app\nsocket = /run/uwsgi/%h-%U-%G-%k.sock\n' });
    const run = cli(['parse', '--resolved', 'app.ini'], dir, false);
    expect(run.stdout).toContain('/run/uwsgi/%h-%U-%G-%k.sock');
    expect(run.stdout).not.toContain(os.hostname());
    const asked = cli(['parse', '--resolved', '--host-facts', 'app.ini'], dir, false);
    expect(asked.stdout).toContain(os.hostname());
  });

  test('existence tests outside the tree do not depend on what is there', () => {
    const dir = tree({
      'app.ini': `[uwsgi]\nmodule = app\nif-exists = ${outside}/flag\nsocket = :1\nendif =\nif-not-exists = ${outside}/flag\nsocket = :2\nendif =\n`,
      'apache2.conf': `ServerRoot .\n<IfFile ${outside}/flag>\nServerName yes\n</IfFile>\n<IfFile !${outside}/flag>\nServerName no\n</IfFile>\n`,
    });
    const before = cli(['app.ini', 'apache2.conf'], dir).stdout;
    fs.rmSync(path.join(outside, 'flag'));
    try {
      expect(cli(['app.ini', 'apache2.conf'], dir).stdout).toBe(before);
    } finally {
      fs.writeFileSync(path.join(outside, 'flag'), 'x');
    }
  });
});

describe('small inputs that amplify stop at a budget with one finding', () => {
  test('a Define chain that doubles at each level (billion laughs)', () => {
    let conf = 'Define L0 "0123456789abcdef"\n';
    for (let i = 1; i <= 40; i++) conf += `Define L${i} "\${L${i - 1}}\${L${i - 1}}"\n`;
    conf += '<VirtualHost *:80>\nServerName ${L40}\n</VirtualHost>\n';
    const report = wellBehaved(cli(['site.conf'], tree({ 'site.conf': conf })));
    expect(report.findings.find((f) => f.ruleId === 'budget-exceeded')?.message).toContain('expanded-bytes');
  });

  test('mod_macro Use ten times per level, eight levels deep', () => {
    let conf = '<Macro M0 $x>\nServerAlias a$x\n</Macro>\n';
    for (let i = 1; i <= 8; i++) conf += `<Macro M${i} $x>\n${Array.from({ length: 10 }, (_, k) => `Use M${i - 1} $x${k}`).join('\n')}\n</Macro>\n`;
    conf += '<VirtualHost *:80>\nServerName x\nUse M8 z\n</VirtualHost>\n';
    const report = wellBehaved(cli(['site.conf'], tree({ 'site.conf': conf })));
    expect(report.findings.find((f) => f.ruleId === 'budget-exceeded')?.message).toMatch(/macro-expansions|nodes/);
  });

  test('a macro whose arguments amplify', () => {
    const body = Array.from({ length: 200 }, () => 'ServerAlias $a$a$a$a$a$a$a$a$a$a').join('\n');
    const conf = `<Macro Amp $a>\n${body}\n</Macro>\n<VirtualHost *:80>\nServerName x\n${Array.from({ length: 20 }, () => `Use Amp ${'y'.repeat(100_000)}`).join('\n')}\n</VirtualHost>\n`;
    const report = wellBehaved(cli(['site.conf'], tree({ 'site.conf': conf })));
    expect(report.findings.find((f) => f.ruleId === 'budget-exceeded')?.message).toContain('expanded-bytes');
  });

  test('an include graph that fans out four ways per level, in both languages', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 14; i++) {
      files[`f${i}.conf`] = `${Array.from({ length: 4 }, () => `Include f${i + 1}.conf`).join('\n')}\n`;
      files[`f${i}.ini`] = `[uwsgi]\n${Array.from({ length: 4 }, () => `ini = f${i + 1}.ini`).join('\n')}\n`;
    }
    files['f14.conf'] = 'KeepAlive On\n';
    files['f14.ini'] = '[uwsgi]\nprocesses = 2\n';
    const dir = tree(files);
    const a = wellBehaved(cli(['f0.conf'], dir));
    expect(a.findings.find((f) => f.ruleId === 'budget-exceeded')?.message).toContain('files budget');
    const u = wellBehaved(cli(['f0.ini'], dir));
    expect(u.findings.find((f) => f.ruleId === 'budget-exceeded')?.message).toContain('files budget');
  });

  test('inherit = %p, and two files inheriting each other', () => {
    const dir = tree({ 'self.ini': '[uwsgi]\nmodule = app\ninherit = %p\n', 'a.ini': '[uwsgi]\nmodule = app\ninherit = b.ini\n', 'b.ini': '[uwsgi]\ninherit = a.ini\n' });
    for (const f of ['self.ini', 'a.ini']) {
      const report = wellBehaved(cli([f], dir));
      expect(ids(report)).toContain('include-loop');
    }
  });

  test('for-times = 100000 over 100 keys', () => {
    const ini = `[uwsgi]\nmodule = app\nfor-times = 100000\n${Array.from({ length: 100 }, (_, i) => `k${i} = %(_)`).join('\n')}\nendfor =\n`;
    const report = wellBehaved(cli(['app.ini'], tree({ 'app.ini': ini })));
    expect(report.findings.find((f) => f.ruleId === 'budget-exceeded')?.message).toContain('loop-iterations');
  });

  test('a 128 KiB placeholder copied 40,000 times, and a value that rescans it hundreds of times', () => {
    const big = 'b'.repeat(128 * 1024);
    const copies = `[uwsgi]\nmodule = app\nbig = ${big}\n${Array.from({ length: 40_000 }, (_, i) => `c${i} = %(big)`).join('\n')}\n`;
    const rescans = `[uwsgi]\nmodule = app\nbig = ${big}\nv = ${'%(big)'.repeat(500)}\n`;
    const dir = tree({ 'copies.ini': copies, 'rescans.ini': rescans });
    for (const f of ['copies.ini', 'rescans.ini']) {
      const report = wellBehaved(cli([f], dir));
      expect(report.findings.some((x) => x.ruleId === 'budget-exceeded' || x.ruleId === 'placeholder-self-reference')).toBe(true);
    }
  });

  test('%-variables that grow the text (a long path repeated): bounded', () => {
    const dir = tree({ [`${'d'.repeat(200)}/app.ini`]: `[uwsgi]\nmodule = app\nx = ${'%d'.repeat(1_000_000)}\n` });
    const report = wellBehaved(cli([`${'d'.repeat(200)}/app.ini`], dir));
    expect(report.findings.find((f) => f.ruleId === 'budget-exceeded')?.message).toContain('expanded-bytes');
  });

  test('a 50 MB Apache file is over the file-bytes budget: one finding, not a parse', () => {
    const dir = tree({});
    const fd = fs.openSync(path.join(dir, 'huge.conf'), 'w');
    const chunk = Buffer.from('ServerAlias a.example b.example c.example\n'.repeat(25_000));
    for (let written = 0; written < 50 * 1024 * 1024; written += chunk.length) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    const report = wellBehaved(cli(['huge.conf'], dir));
    expect(report.findings.map((f) => f.message).join('\n')).toMatch(/file-bytes budget/);
  });

  test('--budget lowers or raises a budget; a bad name is a usage error', () => {
    const dir = tree({ 'a.conf': 'Define A "xxxxxxxxxx"\nServerName ${A}${A}${A}\n' });
    const low = wellBehaved(cli(['--budget', 'expanded-bytes=15', 'a.conf'], dir));
    expect(ids(low)).toContain('budget-exceeded');
    const bad = cli(['--budget', 'bogus=1', 'a.conf'], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--budget bogus=1: expected NAME=N');
  });

  test('--allow-read opens a directory the config points at (the RHEL layout), and nothing else', () => {
    const root = tree({ 'conf/httpd.conf': 'ServerRoot ..\nIncludeOptional conf.d/*.conf\n', 'conf.d/app.conf': '<VirtualHost *:80>\nServerName app\n</VirtualHost>\n' });
    // ServerRoot .. is relative to the file's directory only as httpd's -d would make it: give it absolutely
    fs.writeFileSync(path.join(root, 'conf/httpd.conf'), `ServerRoot "${root}"\nIncludeOptional conf.d/*.conf\n`);
    const narrow = wellBehaved(cli(['conf/httpd.conf'], root));
    expect(ids(narrow)).toContain('include-outside');
    const wide = wellBehaved(cli(['--allow-read', '.', 'conf/httpd.conf'], root));
    expect(ids(wide)).not.toContain('include-outside');
    // shown relative to the working directory, as every path deploylint prints
    expect(wide.files[0].included).toEqual(['conf.d/app.conf']);
  });
});
