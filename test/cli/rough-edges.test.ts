/**
 * What a new user hits first, through the real CLI: the messages of --max-warnings and of a run that
 * finds nothing, did-you-mean for `explain`, `-` for standard input, odd file names, findings in a
 * site enabled through a symbolic link, paths shown relative to the working directory, and
 * `--context` (how the pre-commit hook lints a changed file with its deployment).
 */
import * as fs from 'fs';
import * as path from 'path';
import { GOOD_INI, requireBuild, runCli, scratch } from './helpers';

beforeAll(requireBuild);

const WARN_ONLY_INI = '[uwsgi]\nmodule = myapp.wsgi:application\nplugins = python3\nhttp-socket = 127.0.0.1:8080\nmaster = true\ndie-on-term = true\nsocket-timeout = 60\n';

function withDir(files: Record<string, string>, body: (dir: string) => void): void {
  const dir = scratch(files);
  try {
    body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('--max-warnings says why it fails, as ESLint does', () => {
  withDir({ 'app.ini': WARN_ONLY_INI }, (dir) => {
    const under = runCli(['app.ini', '--max-warnings', '5'], { cwd: dir });
    expect(under.status).toBe(0);
    expect(under.stderr).not.toMatch(/too many warnings/);
    const over = runCli(['app.ini', '--max-warnings', '0'], { cwd: dir });
    expect(over.stdout).toMatch(/uwsgi-buffer-size-small/);
    expect(over.stderr).toMatch(/deploylint found too many warnings \(\d+; maximum: 0\)\./);
    expect(over.status).toBe(1);
  });
});

test('a run that finds no config exits 2 and says where it looked, unless told that is fine', () => {
  withDir({ 'docs/README.md': '# nothing\n', 'tox.ini': '[tox]\nenvlist = py3\n' }, (dir) => {
    const none = runCli(['.'], { cwd: dir });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/no uWSGI ini file or Apache config found in \. \(Skipped 2 paths: .*\); use --no-error-on-unmatched-pattern/);
    const allowed = runCli(['.', '--no-error-on-unmatched-pattern'], { cwd: dir });
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toMatch(/Checked 0 files\./);
  });
});

test('explain suggests the nearest rule ids', () => {
  const typo = runCli(['explain', 'uwsgi-unkown-option']);
  expect(typo.status).toBe(2);
  expect(typo.stderr).toMatch(/unknown rule "uwsgi-unkown-option"; did you mean "uwsgi-unknown-option"\?/);
  const fragment = runCli(['explain', 'chunked']);
  expect(fragment.stderr).toMatch(/did you mean .*"mod-proxy-uwsgi-chunked"/);
  expect(runCli(['explain', 'zzzz-qqqq-xxxx']).stderr).not.toMatch(/did you mean/);
});

test('a bare - reads standard input', () => {
  const r = runCli(['-', '--stdin-filename', 'app.ini'], { input: '[uwsgi]\nhttp-socket = :8080\nvaccum = true\n' });
  expect(r.stdout).toMatch(/app\.ini/);
  expect(r.stdout).toMatch(/Did you mean `vacuum`\?/);
  expect(runCli(['-', 'other.ini']).status).toBe(2);
});

test('a file name with a colon found by walking is that file, not file:section', () => {
  withDir({ 'apps:glance.ini': '[uwsgi]\nhttp-socket = :8080\nvaccum = true\n' }, (dir) => {
    const r = runCli(['.', '-f', 'json'], { cwd: dir });
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; file: string }[] };
    expect(report.findings.map((f) => f.ruleId)).toContain('uwsgi-unknown-option');
    expect(report.findings.map((f) => f.ruleId)).not.toContain('include-not-found');
    expect(new Set(report.findings.map((f) => f.file))).toEqual(new Set(['apps:glance.ini']));
  });
});

test('a finding in a site enabled by a symbolic link is reported at the real file, the link related; included paths are relative', () => {
  const site = '<VirtualHost *:80>\n    ServerName glance.example.com\n    ProxyPass / http://127.0.0.1:60999/\n</VirtualHost>\n';
  withDir({
    'etc/apache2/apache2.conf': 'ServerRoot ${APACHE_ROOT}\nIncludeOptional sites-enabled/*.conf\n',
    'etc/apache2/sites-available/glance.conf': site,
    'uwsgi/glance.ini': GOOD_INI,
  }, (dir) => {
    fs.writeFileSync(path.join(dir, 'etc/apache2/apache2.conf'), 'LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\nLoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so\nIncludeOptional sites-enabled/*.conf\n');
    fs.mkdirSync(path.join(dir, 'etc/apache2/sites-enabled'));
    fs.symlinkSync('../sites-available/glance.conf', path.join(dir, 'etc/apache2/sites-enabled/glance.conf'));
    const r = runCli(['.', '-f', 'json'], { cwd: dir });
    const report = JSON.parse(r.stdout) as {
      findings: { ruleId: string; file: string; related?: { file: string; message: string }[] }[];
      files: { path: string; included: string[] }[];
    };
    const mismatch = report.findings.find((f) => f.ruleId === 'proxy-protocol-mismatch');
    expect(mismatch?.file).toBe('etc/apache2/sites-available/glance.conf');
    expect(mismatch?.related?.map((x) => x.file)).toEqual(expect.arrayContaining(['uwsgi/glance.ini', 'etc/apache2/sites-enabled/glance.conf']));
    const tree = report.files.find((f) => f.path === 'etc/apache2/apache2.conf');
    expect(tree?.included).toEqual(['etc/apache2/sites-enabled/glance.conf']);
    expect(r.stdout).not.toContain(dir);
  });
});

test('--context lints the named files with their deployment and reports only what involves them', () => {
  withDir({
    'glance-uwsgi.ini': GOOD_INI,
    'other-uwsgi.ini': '[uwsgi]\nhttp-socket = :8081\nvaccum = true\n',
    'app.conf': '<VirtualHost *:80>\n  ProxyPass /app http://127.0.0.1:60999/\n</VirtualHost>\n',
  }, (dir) => {
    // alone, the vhost reaches nothing the run knows
    const alone = runCli(['app.conf'], { cwd: dir });
    expect(alone.stdout).not.toMatch(/proxy-protocol-mismatch/);
    const linked = runCli(['--context', '.', 'app.conf'], { cwd: dir });
    expect(linked.status).toBe(1);
    expect(linked.stdout).toMatch(/proxy-protocol-mismatch/);
    expect(linked.stdout).toMatch(/glance-uwsgi\.ini:4:1/);
    // the other ini's own finding is not about app.conf: not shown
    expect(linked.stdout).not.toMatch(/vaccum/);
    expect(linked.stdout).toMatch(/Linked with 2 files of their deployment from \./);
    expect(linked.stdout).toMatch(/Checked 1 file: 1 Apache config\./);
  });
});
