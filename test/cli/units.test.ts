/** In-process checks of the small decisions the CLI makes: argv, colour, exit status, file kinds. */
import { parseArgs } from '../../lib/cli/args';
import { colorLevel } from '../../lib/cli/io';
import { exitCode } from '../../lib/cli/main';
import type { Finding, Severity } from '../../lib/core/finding';
import { splitSection } from '../../lib/input/file-arg';
import { detectWalkedKind } from '../../lib/input/kind';
import { UsageError } from '../../lib/cli/errors';
import { parseShellEnv } from '../../lib/input/shell-env';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const f = (severity: Severity): Finding => ({ ruleId: 'x', severity, message: 'm', location: { file: 'a', range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } } });

test('argv: values inline or separate, repeatable options, subcommands only first', () => {
  const a = parseArgs(['--format=json', '--rule', 'a=off', '--rule=b=info', '--target', 'uwsgi=2.1', '-o', 'out', 'x.ini', '--', '--weird-file']);
  expect(a).toMatchObject({ command: 'lint', format: 'json', rules: ['a=off', 'b=info'], targets: ['uwsgi=2.1'], output: 'out', positionals: ['x.ini', '--weird-file'] });
  expect(parseArgs(['rules']).command).toBe('rules');
  expect(parseArgs(['x', 'rules']).positionals).toEqual(['x', 'rules']);
  expect(parseArgs(['parse', '--includes', 'a.conf'])).toMatchObject({ command: 'parse', parseMode: 'includes', positionals: ['a.conf'] });
  expect(parseArgs(['--max-warnings', '-1']).maxWarnings).toBeUndefined();
  expect(() => parseArgs(['--quiet=yes'])).toThrow(UsageError);
  expect(() => parseArgs(['--format'])).toThrow('--format needs a value');
});

test('colour: --no-color > FORCE_COLOR > --color > NO_COLOR > terminal', () => {
  expect(colorLevel(undefined, {}, true)).toBe(1);
  expect(colorLevel(undefined, {}, false)).toBe(0);
  expect(colorLevel(undefined, { TERM: 'xterm-256color' }, true)).toBe(2);
  expect(colorLevel(undefined, { COLORTERM: 'truecolor' }, true)).toBe(3);
  expect(colorLevel(undefined, { TERM: 'dumb' }, true)).toBe(0);
  expect(colorLevel(undefined, { NO_COLOR: '1' }, true)).toBe(0);
  expect(colorLevel(undefined, { NO_COLOR: '' }, true)).toBe(1);
  expect(colorLevel(undefined, { FORCE_COLOR: '1', NO_COLOR: '1' }, false)).toBe(1);
  expect(colorLevel(undefined, { FORCE_COLOR: '3' }, false)).toBe(3);
  expect(colorLevel(undefined, { FORCE_COLOR: '0' }, true)).toBe(0);
  expect(colorLevel(true, {}, false)).toBe(1);
  expect(colorLevel(false, { FORCE_COLOR: '2' }, true)).toBe(0);
});

test('exit status: failure level and max warnings', () => {
  const base = { failureLevel: 'error' as const, maxWarnings: undefined };
  expect(exitCode([], base)).toBe(0);
  expect(exitCode([f('warning'), f('info')], base)).toBe(0);
  expect(exitCode([f('error')], base)).toBe(1);
  expect(exitCode([f('warning')], { ...base, failureLevel: 'warning' })).toBe(1);
  expect(exitCode([f('info')], { ...base, failureLevel: 'warning' })).toBe(0);
  expect(exitCode([f('info')], { ...base, failureLevel: 'info' })).toBe(1);
  expect(exitCode([f('warning'), f('warning')], { ...base, maxWarnings: 2 })).toBe(0);
  expect(exitCode([f('warning'), f('warning'), f('warning')], { ...base, maxWarnings: 2 })).toBe(1);
});

test('kinds met during a directory walk', () => {
  expect(detectWalkedKind('deploy/app.ini', '[uwsgi]\nmodule = x\n')).toBe('uwsgi-ini');
  expect(detectWalkedKind('deploy/app.ini', '; c\n[uwsgi]   \r\nmodule = x\n')).toBe('uwsgi-ini');
  expect(detectWalkedKind('tox.ini', '[tox]\n')).toBeNull();
  expect(detectWalkedKind('etc/nginx.conf', 'server {\n}\n')).toBeNull();
  expect(detectWalkedKind('etc/supervisord.conf', '[program:x]\ncommand=y\n')).toBeNull();
  expect(detectWalkedKind('etc/site.conf', '<VirtualHost *:80>\n</VirtualHost>\n')).toBe('apache');
  expect(detectWalkedKind('etc/site.conf', '  WSGIDaemonProcess app processes=2\n')).toBe('apache');
  expect(detectWalkedKind('etc/apache2/conf-available/x.conf', '# only comments\n')).toBe('apache');
  expect(detectWalkedKind('etc/apache2/sites-enabled/000-default', '\n')).toBe('apache');
  expect(detectWalkedKind('site/.htaccess', '')).toBe('apache');
  expect(detectWalkedKind('etc/httpd.conf', '')).toBe('apache');
  // uWSGI reads ini files whatever their extension
  expect(detectWalkedKind('etc/glance-uwsgi.conf', '[uwsgi]\nhttp-socket = :9292\n')).toBe('uwsgi-ini');
});

test('path:section only when the file before the colon is an ini file', () => {
  expect(splitSection('app.ini:router')).toEqual({ file: 'app.ini', section: 'router' });
  expect(splitSection('app.ini')).toEqual({ file: 'app.ini' });
  expect(splitSection('c:/x.conf')).toEqual({ file: 'c:/x.conf' });
});

test('environment files are read as shell assignments, as Debian\'s envvars is', () => {
  const debian = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'shared', 'corpus', 'debian-apache2', 'etc-apache2', 'envvars'), 'utf8');
  const env = parseShellEnv(debian, { APACHE_CONFDIR: '/etc/apache2', SUFFIX: '' });
  expect(env).toMatchObject({ APACHE_RUN_USER: 'www-data', APACHE_LOG_DIR: '/var/log/apache2', APACHE_PID_FILE: '/var/run/apache2/apache2.pid', LANG: 'C' });
  expect(parseShellEnv('# c\n\nA=1\nexport B="two words" # note\nC=\'q $A\'\nD=\nE=$A-${B}\nnot an assignment\nunset HOME\n'))
    .toEqual({ A: '1', B: 'two words', C: 'q $A', D: '', E: '1-two words' });
});
