/**
 * `--fix`, `--fix-dry-run`, `--diff` and `--unsafe-fixes` through the real CLI, on real rules: the
 * bytes around each edit stay as they were (CRLF, BOM, comments, tabs, latin1), a second run changes
 * nothing, a fix that would bring a new finding is rolled back with the reason, symbolic links, files
 * outside the roots and included files are left alone, the diff applies with git and patch, the exit
 * status is that of what remains, and JSON and SARIF carry the fixes.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requireBuild, ROOT, runCli, scratch } from '../cli/helpers';
import { sarifValidator } from '../format/sarif-validator';

requireBuild();

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });
function tree(files: Record<string, string>): string {
  const dir = scratch(files);
  dirs.push(dir);
  return dir;
}
function glanceCopy(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-glance-')));
  dirs.push(dir);
  fs.cpSync(path.join(ROOT, 'examples', 'glance'), dir, { recursive: true });
  return dir;
}
function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const GLANCE_INI = '[uwsgi]\nmodule = glance.wsgi.api:application\nplugins = python3\nhttp-socket = 127.0.0.1:9292\nmaster = true\nbuffer-size = 65535\nsocket-timeout = 30\n';

test('only the edited bytes change: CRLF, BOM, comments and tabs stay', () => {
  const text = '\ufeff; glance API\r\n[uwsgi]\r\n\tmodule = glance.wsgi.api:application\r\n\tplugins = python3\r\n\thttp-socket = 127.0.0.1:9292\r\n\t# master process\r\n\tmaster = true\r\n\tbuffer-size = "65535"\r\n\tsocket-timeout = 30\r\n';
  const dir = tree({ 'glance.ini': text });
  const r = runCli(['--fix', 'glance.ini'], { cwd: dir });
  expect(r.stdout.trim().split('\n').slice(-1)[0]).toBe('2 fixed (1 file changed).');
  expect(fs.readFileSync(path.join(dir, 'glance.ini'), 'utf8')).toBe(
    '\ufeff; glance API\r\n[uwsgi]\r\n\tmodule = glance.wsgi.api:application\r\n\tplugins = python3\r\n\thttp-socket = 127.0.0.1:9292\r\n\t# master process\r\n\tmaster = true\r\n\tdie-on-term = true\r\n\tbuffer-size = 65535\r\n\tsocket-timeout = 30\r\n');
  expect(r.status).toBe(0);
});

test('a latin1 file is fixed byte for byte', () => {
  const dir = tree({});
  const file = path.join(dir, 'legacy.ini');
  const before = Buffer.concat([Buffer.from('[uwsgi]\n# r'), Buffer.from([0xe9]), Buffer.from('sum\u00e9 latin1\n'.replace('\u00e9', '')), Buffer.from(GLANCE_INI.replace('[uwsgi]\n', '').replace('master = true\n', 'master = true\ndie-on-term = true\n').replace('socket-timeout = 30', 'socket-timeout = "45"'))]);
  fs.writeFileSync(file, before);
  const r = runCli(['--fix', 'legacy.ini'], { cwd: dir });
  expect(r.status).toBe(0);
  const after = fs.readFileSync(file);
  expect(after.equals(Buffer.from(before.toString('latin1').replace('"45"', '45'), 'latin1'))).toBe(true);
});

test('the bundled example: --fix --unsafe-fixes fixes five findings across two files; a second run is a no-op', () => {
  const dir = glanceCopy();
  const first = runCli(['--fix', '--unsafe-fixes', '.'], { cwd: dir });
  expect(first.stdout.trim().split('\n').slice(-1)[0]).toBe('5 fixed (2 files changed), 1 with a suggested fix to apply by hand (display-only).');
  expect(first.status).toBe(0);
  expect(fs.readFileSync(path.join(dir, 'uwsgi/placement-api.ini'), 'utf8')).toContain('socket = /run/uwsgi/placement-api.socket\nbuffer-size = 65535\nchmod-socket = 666\n');
  expect(fs.readFileSync(path.join(dir, 'uwsgi/glance-api.ini'), 'utf8')).toContain('http-socket = 127.0.0.1:60999\nsocket-timeout = 30\nprocesses = 4\nmaster = true\ndie-on-term = true\n');
  // Placement's clients never send chunked bodies: its mod_proxy_uwsgi route is not switched to HTTP
  expect(fs.readFileSync(path.join(dir, 'apache2/sites-available/openstack-api.conf'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'examples/glance/apache2/sites-available/openstack-api.conf'), 'utf8'));
  const before = hashes(dir);
  const second = runCli(['--fix', '--unsafe-fixes', '.'], { cwd: dir });
  expect(second.stdout.trim().split('\n').slice(-1)[0]).toBe('0 fixed, 1 with a suggested fix to apply by hand (display-only).');
  expect(hashes(dir)).toEqual(before);
});

test('without --unsafe-fixes only safe fixes are applied, and the rest are counted', () => {
  const dir = glanceCopy();
  const r = runCli(['--fix', '.'], { cwd: dir });
  expect(r.stdout.trim().split('\n').slice(-1)[0]).toBe('4 fixed (2 files changed), 1 more fixable with --unsafe-fixes, 1 with a suggested fix to apply by hand (display-only).');
});

test('--fix-dry-run and --diff write nothing; the diff applies with git apply and patch -p1', () => {
  const dir = glanceCopy();
  const before = hashes(dir);
  const dry = runCli(['--fix-dry-run', '--unsafe-fixes', '.'], { cwd: dir });
  expect(dry.stdout).toContain('would fix uwsgi/glance-api.ini:19 uwsgi-unknown-option: rename `vaccum` to `vacuum`');
  expect(dry.stdout.trim().split('\n').slice(-1)[0]).toBe('5 would be fixed (2 files), 1 with a suggested fix to apply by hand (display-only).');
  const diff = runCli(['--diff', '--unsafe-fixes', '.'], { cwd: dir });
  expect(diff.status).toBe(0);
  expect(diff.stderr.trim().split('\n').slice(-1)[0]).toBe('deploylint: 5 fixed in this diff (2 files), 1 with a suggested fix to apply by hand (display-only).');
  expect(hashes(dir)).toEqual(before);
  const patchFile = path.join(dir, '..', `${path.basename(dir)}.diff`);
  fs.writeFileSync(patchFile, diff.stdout);
  dirs.push(patchFile);
  execFileSync('git', ['init', '-q', '.'], { cwd: dir });
  execFileSync('git', ['apply', '--check', patchFile], { cwd: dir });
  if (spawnSync('patch', ['--version']).status === 0) execFileSync('patch', ['-p1', '--dry-run', '-s', '-i', patchFile], { cwd: dir });
  execFileSync('git', ['apply', patchFile], { cwd: dir });
  // the diff applied is exactly what --fix writes
  const fixed = glanceCopy();
  runCli(['--fix', '--unsafe-fixes', '.'], { cwd: fixed });
  const applied = hashes(dir);
  delete applied['.git'];
  for (const [file, hash] of Object.entries(hashes(fixed))) expect([file, applied[file]]).toEqual([file, hash]);
});

test('exit status: that of what remains after fixing (as ESLint)', () => {
  const dir = tree({ 'placement.ini': '[uwsgi]\nmodule = placement.wsgi.api:application\nplugins = python3\nsocket = 127.0.0.1:8778\nmaster = true\ndie-on-term = true\nbuffer-size = 65535\nsocket-timeout = "30"\n' });
  expect(runCli(['placement.ini'], { cwd: dir }).status).toBe(1);
  expect(runCli(['--fix-dry-run', 'placement.ini'], { cwd: dir }).status).toBe(0);
  expect(runCli(['--diff', 'placement.ini'], { cwd: dir }).status).toBe(0);
  expect(runCli(['placement.ini'], { cwd: dir }).status).toBe(1);
  const fixed = runCli(['--fix', 'placement.ini'], { cwd: dir });
  expect(fixed.status).toBe(0);
  expect(runCli(['placement.ini'], { cwd: dir }).status).toBe(0);
  // with an error no fix removes, --fix still exits 1
  const left = tree({ 'app.ini': '[uwsgi]\nmodule = glance.wsgi.api:application\nplugins = python3\nhttp-socket = 127.0.0.1:99999\nmaster = true\ndie-on-term = true\nbuffer-size = "65535"\nsocket-timeout = 30\n' });
  const r = runCli(['--fix', 'app.ini'], { cwd: left });
  expect(r.status).toBe(1);
  expect(r.stdout).toContain('uwsgi-port-out-of-range');
  expect(fs.readFileSync(path.join(left, 'app.ini'), 'utf8')).toContain('buffer-size = 65535\n');
});

test('a fix that would bring a new finding as severe is rolled back, and the output says why', () => {
  // renaming the misspelt http_socket makes uWSGI open that socket, which loses chunked bodies: a
  // warning as severe as the one the rename removes
  const ini = '[uwsgi]\r\nmodule = myapp.wsgi:application\r\nplugins = python3\r\nsocket = 127.0.0.1:9292\r\nhttp_socket = 127.0.0.1:9293\r\nmaster = true\r\ndie-on-term = true\r\nbuffer-size = 65535\r\nsocket-timeout = 30\r\nneed-app = true\r\n';
  const dir = tree({ 'app.ini': ini });
  const r = runCli(['--fix', 'app.ini'], { cwd: dir });
  expect(fs.readFileSync(path.join(dir, 'app.ini'), 'utf8')).toBe(ini);
  expect(r.stdout).toContain('not fixed app.ini:5 uwsgi-unknown-option (rename `http_socket` to `http-socket`): rolled back, it would bring a new finding: http-socket-chunked-body-lost (warning) at app.ini:5');
  expect(r.stdout.trim().split('\n').slice(-1)[0]).toBe('0 fixed.');
  expect(r.status).toBe(0);
  // a less severe finding that appears is kept, and named: unquoting chmod-socket = "666" (an error) shows the world-writable socket (a warning)
  const dir2 = tree({ 'app.ini': '[uwsgi]\nmodule = app.wsgi:application\nplugins = python3\nsocket = /run/app.sock\nchmod-socket = "666"\nmaster = true\ndie-on-term = true\nbuffer-size = 65535\n' });
  const r2 = runCli(['--fix', 'app.ini'], { cwd: dir2 });
  expect(fs.readFileSync(path.join(dir2, 'app.ini'), 'utf8')).toContain('chmod-socket = 666\n');
  expect(r2.stdout).toContain('  with it, socket-world-writable (warning) is now reported at app.ini:5');
});

test('a symbolic link given on the command line is not replaced; an included file is not edited', () => {
  const dir = tree({ 'real/glance.ini': GLANCE_INI.replace('socket-timeout = 30', 'socket-timeout = "30"').replace('master = true\n', 'master = true\ndie-on-term = true\n') });
  fs.symlinkSync(path.join(dir, 'real/glance.ini'), path.join(dir, 'real/link.ini'));
  const r = runCli(['--fix', 'real/link.ini'], { cwd: dir });
  expect(fs.lstatSync(path.join(dir, 'real/link.ini')).isSymbolicLink()).toBe(true);
  expect(fs.readFileSync(path.join(dir, 'real/glance.ini'), 'utf8')).toContain('socket-timeout = "30"');
  expect(r.stdout).toMatch(/not fixed real\/glance\.ini:\d+ uwsgi-quoted-value \(remove the quotes\): link\.ini: it is a symbolic link, and deploylint never replaces one/);

  const inc = tree({
    'main.ini': '[uwsgi]\nmodule = app.wsgi:application\nplugins = python3\nhttp-socket = 127.0.0.1:8000\nmaster = true\ndie-on-term = true\nini = %dshared/common.ini\n',
    'shared/common.ini': '[uwsgi]\nbuffer-size = "65535"\n',
  });
  const r2 = runCli(['--fix', 'main.ini'], { cwd: inc, env: { } });
  expect(fs.readFileSync(path.join(inc, 'shared/common.ini'), 'utf8')).toBe('[uwsgi]\nbuffer-size = "65535"\n');
  expect(r2.stdout).toMatch(/not fixed .*common\.ini:2 uwsgi-quoted-value \(remove the quotes\): common\.ini: it was not named on the command line nor found under a directory given/);
});

test('an option the fix adds goes after a line outside any logic block: an anchor inside if-not-env ... endif would make it conditional', () => {
  const ini = '[uwsgi]\nmodule = app.wsgi:application\nplugins = python3\nhttp-socket = 127.0.0.1:8000\nneed-app = true\nif-not-env = DEPLOYLINT_UNSET_FOR_THIS_TEST\nmaster = true\nendif =\n';
  const dir = tree({ 'app.ini': ini });
  const r = runCli(['--diff', 'app.ini'], { cwd: dir });
  // die-on-term is added after `module` (the first anchor outside the block), never after the `master` inside it
  expect(r.stdout).toContain(' module = app.wsgi:application\n+die-on-term = true\n');
  expect(r.stdout).not.toMatch(/ master = true\n\+die-on-term/);
  const bare = tree({ 'app.ini': '[uwsgi]\nif-not-env = DEPLOYLINT_UNSET_FOR_THIS_TEST\nmodule = app.wsgi:application\nplugins = python3\nhttp-socket = 127.0.0.1:8000\nneed-app = true\nmaster = true\nendif =\n' });
  // every anchor is inside the block: no fix is offered rather than a conditional one
  const json = JSON.parse(runCli(['--format', 'json', 'app.ini'], { cwd: bare }).stdout);
  const sigterm = json.findings.find((f: { ruleId: string }) => f.ruleId === 'uwsgi-sigterm-reload');
  expect(sigterm).toBeDefined();
  expect(sigterm.fix).toBeUndefined();
});

test('usage errors: --unsafe-fixes alone, --fix with --stdin, --fix with --fix-dry-run, --fix with --write-baseline', () => {
  expect(runCli(['--unsafe-fixes', 'x.ini']).stderr).toBe('deploylint: --unsafe-fixes needs --fix, --fix-dry-run or --diff\n');
  expect(runCli(['--fix', '--stdin'], { input: '[uwsgi]\n' }).status).toBe(2);
  expect(runCli(['--fix', '--fix-dry-run', 'x.ini']).status).toBe(2);
  expect(runCli(['--fix', '--write-baseline', 'b.json', 'x.ini']).status).toBe(2);
});

test('JSON carries each fix (applicability, edits with offsets and positions) and what --fix-dry-run would do; SARIF carries fixes and validates', () => {
  const dir = glanceCopy();
  const json = JSON.parse(runCli(['--format', 'json', 'uwsgi/placement-api.ini'], { cwd: dir }).stdout);
  const quoted = json.findings.find((f: { ruleId: string }) => f.ruleId === 'uwsgi-quoted-value');
  const ini = fs.readFileSync(path.join(dir, 'uwsgi/placement-api.ini'), 'utf8');
  const q = ini.indexOf('"30"');
  expect(quoted.fix).toEqual({
    description: 'remove the quotes', applicability: 'safe',
    edits: [{ file: 'uwsgi/placement-api.ini', range: { startOffset: q, endOffset: q + 4, start: { line: 10, column: 18 }, end: { line: 10, column: 22 } }, text: '30' }],
  });
  const chmod = json.findings.find((f: { ruleId: string }) => f.ruleId === 'socket-world-writable');
  expect(chmod.fix.applicability).toBe('display-only');
  expect(json.fixes).toBeUndefined();
  const dry = JSON.parse(runCli(['--format', 'json', '--fix-dry-run', 'uwsgi/placement-api.ini'], { cwd: dir }).stdout);
  expect(dry.fixes).toMatchObject({ mode: 'dry-run', moreWithUnsafeFixes: 0, displayOnly: 1, files: [{ path: 'uwsgi/placement-api.ini', written: false }] });
  expect(dry.fixes.applied.map((a: { ruleId: string }) => a.ruleId).sort()).toEqual(['uwsgi-buffer-size-small', 'uwsgi-quoted-value']);

  const sarif = JSON.parse(runCli(['--format', 'sarif', '--unsafe-fixes', '--fix-dry-run', '.'], { cwd: dir }).stdout);
  const validate = sarifValidator();
  if (!validate(sarif)) throw new Error(JSON.stringify(validate.errors, null, 2));
  const switched = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'socket-world-writable');
  expect(switched.fixes[0].artifactChanges[0]).toMatchObject({ artifactLocation: { uri: 'uwsgi/placement-api.ini', uriBaseId: '%SRCROOT%' } });
  // Placement's clients send no chunked bodies; declared a generic app, its mod_proxy_uwsgi route is
  // reported with the cross-file fix (vhost and ini together)
  fs.writeFileSync(path.join(dir, '.deploylintrc.json'), JSON.stringify({ appProfiles: { placement: 'generic' } }));
  const plain = JSON.parse(runCli(['--format', 'sarif', '.'], { cwd: dir }).stdout);
  const crossFile = plain.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'mod-proxy-uwsgi-chunked');
  expect(crossFile.fixes[0].artifactChanges.map((c: { artifactLocation: { uri: string } }) => c.artifactLocation.uri)).toEqual(['apache2/sites-available/openstack-api.conf', 'uwsgi/placement-api.ini']);
  expect(crossFile.fixes[0].artifactChanges[1].replacements[0]).toEqual({ deletedRegion: { charOffset: ini.indexOf('socket ='), charLength: 6, startLine: 5, startColumn: 1, endLine: 5, endColumn: 7 }, insertedContent: { text: 'http-socket' } });
  if (!validate(plain)) throw new Error(JSON.stringify(validate.errors, null, 2));
});

test('after --fix-dry-run, the remaining fixes are positioned in the fixed text', () => {
  const dir = glanceCopy();
  const dry = JSON.parse(runCli(['--format', 'json', '--fix-dry-run', 'uwsgi/placement-api.ini'], { cwd: dir }).stdout);
  const chmod = dry.findings.find((f: { ruleId: string }) => f.ruleId === 'socket-world-writable');
  // buffer-size = 65535 is added above it, so the finding and its edit are on line 7, not 6
  expect(chmod.line).toBe(7);
  expect(chmod.fix.edits[0].range.start).toEqual({ line: 7, column: 16 });
});

test("Debian's sites-enabled link: the file it points to is fixed when it is walked too, and the link stays a link", () => {
  const dir = tree({
    'apache2.conf': 'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\nLoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so\nLoadModule wsgi_module /usr/lib/apache2/modules/mod_wsgi.so\nListen 80\nIncludeOptional sites-enabled/*.conf\n',
    'sites-available/glance.conf': '<VirtualHost *:80>\n    WSGIDaemonProcess glance-api processes=2 threads=1\n    WSGIProcessGroup glance-api\n    WSGIScriptAlias /image /srv/glance/glance-wsgi-api.py\n</VirtualHost>\n',
  });
  fs.mkdirSync(path.join(dir, 'sites-enabled'));
  fs.symlinkSync('../sites-available/glance.conf', path.join(dir, 'sites-enabled/glance.conf'));
  const r = runCli(['--fix', '.'], { cwd: dir });
  // findings read through the link are reported at the real file (the one kept in git)
  expect(r.stdout).toContain('fixed sites-available/glance.conf:4 mod-wsgi-chunked-request: add `WSGIChunkedRequest On`');
  expect(fs.lstatSync(path.join(dir, 'sites-enabled/glance.conf')).isSymbolicLink()).toBe(true);
  expect(fs.readFileSync(path.join(dir, 'sites-available/glance.conf'), 'utf8')).toContain('    WSGIScriptAlias /image /srv/glance/glance-wsgi-api.py\n    WSGIChunkedRequest On\n</VirtualHost>\n');
});
