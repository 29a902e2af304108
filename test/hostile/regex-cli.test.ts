/**
 * Config-supplied patterns through the real built CLI: every place that matches a regular expression
 * or a glob taken from the linted repository, each fed a pattern that backtracks for hours on V8's
 * RegExp (each of these runs did not finish within 20 s before lib/core/safe-regex.ts and the
 * fnmatch rewrite). A run passes when it ends (the spawn timeout bounds it) with exit 0 or 1 and no
 * internal error; where the input has a finding of its own, that finding is still reported.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BIN, requireBuild } from '../cli/helpers';

let dir: string;
const LONG_PATH = '/' + 'a'.repeat(30_000) + '!';

beforeAll(() => {
  requireBuild();
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-regex-')));
  const files: Record<string, string> = {
    'ifversion.conf': '<IfVersion ~ ^(.?.?.?.?.?.?.?.?.?.?){60}X$>\nKeepAlive On\n</IfVersion>\n<IfVersion /^(a|aa)+$/>\nKeepAlive On\n</IfVersion>\nNoSuchDirective on\n',
    'locationmatch.conf': `<VirtualHost *:80>\nServerName x.example.com\n<LocationMatch "^/(a+)+$">\nSetEnv proxy-sendcl 1\n</LocationMatch>\nProxyPass ${LONG_PATH} uwsgi://127.0.0.1:3031/\n</VirtualHost>\n`,
    'setenvif.conf': `<VirtualHost *:80>\nServerName x.example.com\nSetEnvIf Request_URI "^/(a+)+$" proxy-sendcl=1\nProxyPass ${LONG_PATH} uwsgi://127.0.0.1:3031/\n</VirtualHost>\n`,
    'hostname.ini': '[uwsgi]\nmodule = app.wsgi\nif-hostname-match = ^(.?){30000}X$\nprocesses = 4\nendif =\nif-not-hostname-match = ^(a|aa)+$\nprocesses = 2\nendif =\nbogus-option-xyz = 1\nsocket = 127.0.0.1:3031\n',
    'profiles/.deploylintrc.json': JSON.stringify({ appProfiles: { ['*a'.repeat(12) + '*b']: 'glance' } }),
    'profiles/app.ini': `[uwsgi]\nmodule = ${'a'.repeat(30_000)}\nbogus-option-xyz = 1\nsocket = 127.0.0.1:3031\n`,
    'include-range.conf': 'Include d/[z-a]\n',
    'include-stars.conf': 'IncludeOptional d/*a*a*a*a*a*a*a*a*a*a*a*b\nNoSuchDirective on\n',
    [`d/${'a'.repeat(250)}`]: 'KeepAlive On\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function lint(file: string): { ruleId: string; line: number; message: string }[] {
  const r = spawnSync(process.execPath, [BIN, '--format', 'json', file], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, DEPLOYLINT_DEBUG: '' } as NodeJS.ProcessEnv,
  });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') throw new Error(`${file}: deploylint did not finish within 60 s`);
  expect(r.stderr).not.toMatch(/internal error|RangeError|SyntaxError/);
  expect([0, 1]).toContain(r.status);
  return (JSON.parse(r.stdout) as { findings: { ruleId: string; line: number; message: string }[] }).findings;
}

test('<IfVersion ~ ...> and <IfVersion /.../>', () => {
  expect(lint('ifversion.conf').some((f) => f.ruleId === 'apache-unknown-directive' && f.line === 7)).toBe(true);
});

test('<LocationMatch> against a 30,000-character ProxyPass path', () => {
  lint('locationmatch.conf');
});

test('SetEnvIf Request_URI against a 30,000-character ProxyPass path', () => {
  lint('setenvif.conf');
});

test('uWSGI if-hostname-match / if-not-hostname-match', () => {
  expect(lint('hostname.ini').some((f) => f.ruleId === 'uwsgi-unknown-option' && f.line === 9)).toBe(true);
});

test('appProfiles glob against a 30,000-character module name', () => {
  expect(lint('profiles/app.ini').some((f) => f.ruleId === 'uwsgi-unknown-option' && f.line === 3)).toBe(true);
});

test('Include d/[z-a]: httpd\'s "no matches" error, no exception', () => {
  expect(lint('include-range.conf').some((f) => /No matches for the wildcard '\[z-a\]'/.test(f.message))).toBe(true);
});

test('IncludeOptional d/*a*a*...*b over a 250-character file name', () => {
  expect(lint('include-stars.conf').some((f) => f.ruleId === 'apache-unknown-directive' && f.line === 2)).toBe(true);
});
