/**
 * The real CLI, end to end: argv in, report and exit status out. Each test builds its input in a
 * scratch directory so the results do not depend on which rules other fixtures happen to trip.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GENERIC_ROUTER_INI, GLANCE_ROUTER_INI, GOOD_INI, requireBuild, ROOT, runCli, scratch } from './helpers';
import { sarifValidator } from '../format/sarif-validator';

const RULE = 'uwsgi-router-chunked-input';
const dirs: string[] = [];
function tmp(files: Record<string, string>): string {
  const d = scratch(files);
  dirs.push(d);
  return d;
}

beforeAll(requireBuild);
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('basics', () => {
  test('--version and --help', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(runCli(['--version'])).toMatchObject({ status: 0, stdout: `${pkg.version}\n` });
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    for (const opt of ['--format', '--output', '--max-warnings', '--failure-level', '--rule', '--target', '--stdin', '--stdin-filename', '--config', '--print-config', '--quiet', '--no-color', '--no-inline-suppressions', '--write-baseline', '--baseline', '--env', '--envvars', '--allow-read', '--budget', '--host-facts']) {
      expect(help.stdout).toContain(opt);
    }
  });

  test.each([
    [['--bogus'], /Unknown option --bogus/],
    [['--format', 'xml', 'a.ini'], /--format xml: expected stylish, gcc, json, sarif, github or checkstyle/],
    [['--failure-level', 'fatal'], /--failure-level: expected error, warning or info/],
    [['--max-warnings', 'many'], /--max-warnings: expected a whole number/],
    [['--rule', 'no-such-rule=off'], /unknown rule "no-such-rule"/],
    [['--rule', `${RULE}=loud`], /expected ID=off\|info\|warning\|error/],
    [['--target', 'uwsgi=3.0'], /--target.uwsgi: expected "2.0" or "2.1"/],
    [['--target', 'glance'], /expected COMPONENT=VERSION/],
    [['does-not-exist.ini'], /No such file or directory: does-not-exist.ini/],
    [['no-match-*.ini'], /No files match the pattern "no-match-\*.ini"/],
    [['--stdin-filename', 'x.ini'], /--stdin-filename needs --stdin/],
    [['explain', 'no-such-rule'], /unknown rule "no-such-rule"/],
  ])('usage error %j exits 2 with a message and no stack', (args, message) => {
    const dir = tmp({});
    const r = runCli(args as string[], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  test('the launcher without a build says how to build, exit 2', () => {
    const dir = tmp({ 'bin/.keep': '' });
    fs.copyFileSync(path.join(ROOT, 'bin', 'deploylint.js'), path.join(dir, 'bin', 'deploylint.js'));
    const { spawnSync } = require('child_process') as typeof import('child_process');
    const r = spawnSync(process.execPath, [path.join(dir, 'bin', 'deploylint.js'), '--version'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('deploylint: not built (dist/lib/cli/main.js is missing); run `npm run build` first.');
  });

  test('internal errors exit 2 without a stack trace unless DEPLOYLINT_DEBUG=1', () => {
    const dir = tmp({ 'app.ini': GENERIC_ROUTER_INI, 'out/.keep': '' });
    const r = runCli(['--output', 'out', 'app.ini'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^deploylint: internal error: .*EISDIR/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const debug = runCli(['--output', 'out', 'app.ini'], { cwd: dir, env: { DEPLOYLINT_DEBUG: '1' } });
    expect(debug.status).toBe(2);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});

describe('linting and exit status', () => {
  test('an error finding exits 1 with stylish output; a clean file exits 0 and says so', () => {
    const dir = tmp({ 'glance.ini': GLANCE_ROUTER_INI, 'good.ini': GOOD_INI });
    const bad = runCli(['glance.ini'], { cwd: dir });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('glance.ini');
    expect(bad.stdout).toMatch(new RegExp(`6:1 +error +.* +${RULE}`));
    expect(bad.stdout).toMatch(/✖ \d+ problems? \(\d+ errors?, \d+ warnings?, \d+ infos?\)/);
    expect(bad.stdout).toContain(`deploylint explain`);
    const good = runCli(['good.ini'], { cwd: dir });
    expect(good.status).toBe(0);
    expect(good.stdout).toBe('✔ 1 file checked, no problems.\nChecked 1 file: 1 uWSGI ini file.\n');
    // machine formats print only their report
    expect(runCli(['--format', 'gcc', 'good.ini'], { cwd: dir })).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });

  test('warnings: exit 0 by default, 1 with --failure-level warning or --max-warnings 0; --quiet drops them', () => {
    const dir = tmp({ 'app.ini': GENERIC_ROUTER_INI });
    const json = JSON.parse(runCli(['--format', 'json', 'app.ini'], { cwd: dir }).stdout);
    const mine = json.findings.filter((f: { ruleId: string }) => f.ruleId === RULE);
    expect(mine).toHaveLength(1);
    expect(mine[0].severity).toBe('warning');
    const onlyWarnings = json.findings.every((f: { severity: string }) => f.severity !== 'error');
    if (onlyWarnings) expect(runCli(['app.ini'], { cwd: dir }).status).toBe(0);
    expect(runCli(['--failure-level', 'warning', 'app.ini'], { cwd: dir }).status).toBe(1);
    expect(runCli(['--max-warnings', '0', 'app.ini'], { cwd: dir }).status).toBe(1);
    expect(runCli(['--max-warnings', '100', 'app.ini'], { cwd: dir }).status).toBe(onlyWarnings ? 0 : 1);
    const quiet = runCli(['--quiet', '--failure-level', 'warning', 'app.ini'], { cwd: dir });
    expect(quiet.stdout).not.toContain(RULE);
  });

  test('--rule overrides severity or turns a rule off', () => {
    const dir = tmp({ 'glance.ini': GLANCE_ROUTER_INI });
    const off = JSON.parse(runCli(['--format', 'json', '--rule', `${RULE}=off`, 'glance.ini'], { cwd: dir }).stdout);
    expect(off.findings.filter((f: { ruleId: string }) => f.ruleId === RULE)).toEqual([]);
    const info = JSON.parse(runCli(['--format', 'json', '--rule', `${RULE}=info`, 'glance.ini'], { cwd: dir }).stdout);
    expect(info.findings.find((f: { ruleId: string }) => f.ruleId === RULE).severity).toBe('info');
  });

  test('--stdin with --stdin-filename', () => {
    const dir = tmp({});
    const r = runCli(['--stdin', '--stdin-filename', 'deploy/glance.ini', '--format', 'gcc'], { cwd: dir, input: GLANCE_ROUTER_INI });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`deploy/glance.ini:6:1: error: `);
    expect(r.stdout).toContain(`[${RULE}]`);
  });

  test('file.ini:section lints that section', () => {
    const dir = tmp({ 'multi.ini': `[uwsgi]\nplugins = python3\nhttp-socket = :9000\nmodule = myapp\n\n[router]\nmodule = glance.wsgi.api:application\nplugins = python3,http\nhttp = :8080\n` });
    const all = JSON.parse(runCli(['--format', 'json', 'multi.ini'], { cwd: dir }).stdout);
    expect(all.findings.filter((f: { ruleId: string }) => f.ruleId === RULE)).toEqual([]);
    const section = JSON.parse(runCli(['--format', 'json', 'multi.ini:router'], { cwd: dir }).stdout);
    expect(section.findings.filter((f: { ruleId: string }) => f.ruleId === RULE).map((f: { line: number }) => f.line)).toEqual([9]);
  });

  test('--output writes the report to a file', () => {
    const dir = tmp({ 'glance.ini': GLANCE_ROUTER_INI });
    const r = runCli(['--format', 'json', '--output', 'report.json', 'glance.ini'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).version).toBe(1);
  });
});

describe('formats through the CLI', () => {
  test('sarif output validates against the official schema and carries the docs page', () => {
    const dir = tmp({ 'glance.ini': GLANCE_ROUTER_INI, 'app.ini': GENERIC_ROUTER_INI });
    const r = runCli(['--format', 'sarif', 'glance.ini', 'app.ini'], { cwd: dir });
    const log = JSON.parse(r.stdout);
    const validate = sarifValidator();
    if (!validate(log)) throw new Error(JSON.stringify(validate.errors, null, 2));
    const rules = log.runs[0].tool.driver.rules;
    const rule = rules.find((x: { id: string }) => x.id === RULE);
    // the page itself, not a link into the install directory (package.json names no web home yet)
    expect(rule.help.markdown.startsWith(`# ${RULE}\n`)).toBe(true);
    expect(r.stdout).not.toContain('file://');
    expect(rule.defaultConfiguration.level).toBe('error');
    const results = log.runs[0].results.filter((x: { ruleId: string }) => x.ruleId === RULE);
    expect(results.map((x: { level: string }) => x.level).sort()).toEqual(['error', 'warning']);
    for (const res of results) expect(rules[res.ruleIndex].id).toBe(RULE);
    expect(results[0].locations[0].physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
  });

  test('github, checkstyle and gcc', () => {
    const dir = tmp({ 'glance.ini': GLANCE_ROUTER_INI });
    expect(runCli(['--format', 'github', 'glance.ini'], { cwd: dir }).stdout).toMatch(new RegExp(`^::error file=glance\\.ini,line=6,col=1,.*title=${RULE}::`, 'm'));
    expect(runCli(['--format', 'checkstyle', 'glance.ini'], { cwd: dir }).stdout).toMatch(new RegExp(`<file name="glance.ini">\\n(    <error [^\\n]+\\n)*    <error line="6" column="1" severity="error" message="[^"]+" source="deploylint.${RULE}"/>`));
    expect(runCli(['--format', 'gcc', 'glance.ini'], { cwd: dir }).stdout).toMatch(new RegExp(`^glance\\.ini:6:1: error: .+ \\[${RULE}\\]$`, 'm'));
  });

  test('colour: only on a terminal or when forced; --no-color and NO_COLOR win', () => {
    const dir = tmp({ 'glance.ini': GLANCE_ROUTER_INI });
    expect(runCli(['glance.ini'], { cwd: dir }).stdout).not.toMatch(/\x1b\[/);
    expect(runCli(['glance.ini'], { cwd: dir, env: { FORCE_COLOR: '1' } }).stdout).toMatch(/\x1b\[31merror/);
    expect(runCli(['--no-color', 'glance.ini'], { cwd: dir, env: { FORCE_COLOR: '1' } }).stdout).not.toMatch(/\x1b\[/);
    expect(runCli(['--color', 'glance.ini'], { cwd: dir, env: { NO_COLOR: '1' } }).stdout).toMatch(/\x1b\[/);
  });
});

describe('discovery', () => {
  test('directories: uWSGI ini and Apache configs by name and content; skips are counted', () => {
    const dir = tmp({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'build/\n*.local.ini\n',
      'deploy/glance.ini': GLANCE_ROUTER_INI,
      'deploy/tox.ini': '[tox]\nenvlist = py3\n',
      'deploy/nginx.conf': 'server {\n  listen 80;\n}\n',
      'deploy/notes.txt': 'hello\n',
      'deploy/dev.local.ini': GLANCE_ROUTER_INI,
      'build/glance.ini': GLANCE_ROUTER_INI,
      'node_modules/pkg/glance.ini': GLANCE_ROUTER_INI,
      'apache/sites-available/glance': '<VirtualHost *:80>\n  ServerName glance.example\n</VirtualHost>\n',
      'apache/conf.d/empty.conf': '# nothing yet\n',
    });
    const r = runCli(['--format', 'json'], { cwd: dir });
    const out = JSON.parse(r.stdout);
    expect(out.files.map((f: { path: string }) => f.path).sort()).toEqual(['apache/conf.d/empty.conf', 'apache/sites-available/glance', 'deploy/glance.ini']);
    expect(out.files.find((f: { path: string }) => f.path === 'deploy/glance.ini').kind).toBe('uwsgi-ini');
    expect(out.files.find((f: { path: string }) => f.path === 'apache/sites-available/glance').kind).toBe('apache');
    expect(out.skipped.byReason).toMatchObject({
      'in node_modules or VCS directories': 2,
      'ignored by .gitignore': 2,
      'not uWSGI or Apache configs': 4, // tox.ini, nginx.conf, notes.txt, .gitignore
    });
    expect(r.stderr).toMatch(/Skipped \d+ paths: /);
    const stylish = runCli([], { cwd: dir });
    expect(stylish.stdout).toMatch(/Skipped 8 paths: .*2 in node_modules or VCS directories/);
    expect(stylish.stdout).toMatch(/Skipped 8 paths: .*2 ignored by .gitignore/);
  });

  test('globs, and config ignores apply to files found and files named', () => {
    const dir = tmp({
      '.deploylintrc.json': JSON.stringify({ ignore: ['legacy/**'] }),
      'legacy/old.ini': GLANCE_ROUTER_INI,
      'svc/a.ini': GLANCE_ROUTER_INI,
      'svc/b.ini': GOOD_INI,
    });
    const globbed = JSON.parse(runCli(['--format', 'json', 'svc/*.ini'], { cwd: dir }).stdout);
    expect(globbed.files.map((f: { path: string }) => f.path)).toEqual(['svc/a.ini', 'svc/b.ini']);
    const walked = JSON.parse(runCli(['--format', 'json', '.'], { cwd: dir }).stdout);
    expect(walked.files.map((f: { path: string }) => f.path)).toEqual(['svc/a.ini', 'svc/b.ini']);
    expect(walked.skipped.byReason['ignored by configuration']).toBe(1);
    const named = runCli(['--format', 'json', 'legacy/old.ini'], { cwd: dir });
    expect(JSON.parse(named.stdout).files).toEqual([]);
    expect(named.status).toBe(0);
    expect(named.stderr).toContain('1 ignored by configuration');
  });

  test('unreadable files are listed, not dropped', () => {
    const dir = tmp({ 'good.ini': GOOD_INI });
    fs.symlinkSync(path.join(dir, 'missing-target.ini'), path.join(dir, 'dangling.ini'));
    const r = runCli([], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Could not read 1 file: dangling.ini (ENOENT).');
    const json = runCli(['--format', 'json'], { cwd: dir });
    expect(JSON.parse(json.stdout).skipped.unreadable).toEqual(['dangling.ini (ENOENT)']);
    expect(json.stderr).toContain('deploylint: Could not read 1 file: dangling.ini (ENOENT).');
  });

  test('a named file that is neither kind is counted, not linted', () => {
    const dir = tmp({ 'README.txt': 'hello\n' });
    const r = runCli(['README.txt'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1 given but not recognised as uWSGI or Apache config');
  });

  test('named *.ini and *.conf files (as pre-commit passes them) must look like uWSGI or Apache configs', () => {
    const dir = tmp({
      'tox.ini': '[tox]\nenvlist = py3\n',
      'mypy.ini': '[mypy]\nplugins = mypy_django_plugin.main\n',
      'nginx.conf': 'server {\n  listen 80;\n}\n',
      'typo.ini': '[uswgi]\nmodule = myapp\n',
      'site.conf': 'ProxyPass / http://127.0.0.1:8000/\n',
      'weird-name.txt': '[uwsgi]\nmodule = myapp\n',
    });
    const r = runCli(['--format', 'json', 'tox.ini', 'mypy.ini', 'nginx.conf', 'typo.ini', 'site.conf', 'weird-name.txt'], { cwd: dir });
    const out = JSON.parse(r.stdout);
    expect(out.files.map((f: { path: string; kind: string }) => `${f.path}:${f.kind}`).sort()).toEqual(['site.conf:apache', 'typo.ini:uwsgi-ini', 'weird-name.txt:uwsgi-ini']);
    expect(out.skipped.byReason['given but not recognised as uWSGI or Apache config']).toBe(3);
    // a section named on the command line is always read
    const named = JSON.parse(runCli(['--format', 'json', 'tox.ini:tox'], { cwd: dir }).stdout);
    expect(named.files.map((f: { path: string }) => f.path)).toEqual(['tox.ini']);
  });
});

describe('configuration', () => {
  test('.deploylintrc.json found from the file upward; the nearest wins; --print-config shows it', () => {
    const dir = tmp({
      '.deploylintrc.json': JSON.stringify({ rules: { [RULE]: 'info' }, targets: { uwsgi: '2.0' } }),
      'a/glance.ini': GLANCE_ROUTER_INI,
      'b/.deploylintrc.yaml': `rules:\n  ${RULE}: "off"\ntargets:\n  glance: "31.0"\n`,
      'b/glance.ini': GLANCE_ROUTER_INI,
      'c/package.json': JSON.stringify({ name: 'x', deploylint: { rules: { [RULE]: 'warning' } } }),
      'c/glance.ini': GLANCE_ROUTER_INI,
    });
    const out = JSON.parse(runCli(['--format', 'json', 'a/glance.ini', 'b/glance.ini', 'c/glance.ini'], { cwd: dir }).stdout);
    const sev = (file: string) => out.findings.filter((f: { ruleId: string; file: string }) => f.ruleId === RULE && f.file === file).map((f: { severity: string }) => f.severity);
    expect(sev('a/glance.ini')).toEqual(['info']);
    expect(sev('b/glance.ini')).toEqual([]);
    expect(sev('c/glance.ini')).toEqual(['warning']);
    const printed = JSON.parse(runCli(['--print-config', 'b/glance.ini'], { cwd: dir }).stdout);
    expect(printed).toMatchObject({ configFile: path.join(dir, 'b', '.deploylintrc.yaml'), rules: { [RULE]: 'off' }, targets: { glance: '31.0' }, env: {} });
    // the command line overrides the file
    const cli = JSON.parse(runCli(['--print-config', '--rule', `${RULE}=error`, '--target', 'glance=33.0,uwsgi=2.1', 'b/glance.ini'], { cwd: dir }).stdout);
    expect(cli).toMatchObject({ rules: { [RULE]: 'error' }, targets: { glance: '33.0', uwsgi: '2.1' }, effectiveTargets: { uwsgi: '2.1', services: { glance: '33.0' } } });
    expect(cli.effectiveTargets.httpd).toMatch(/^2\.4/);
  });

  test('appProfiles reach the rules: a generic app declared as Glance makes the router finding an error', () => {
    const dir = tmp({ 'app.ini': GENERIC_ROUTER_INI });
    const before = JSON.parse(runCli(['--format', 'json', 'app.ini'], { cwd: dir }).stdout);
    expect(before.findings.find((f: { ruleId: string }) => f.ruleId === RULE).severity).toBe('warning');
    fs.writeFileSync(path.join(dir, '.deploylintrc.json'), JSON.stringify({ appProfiles: { 'myapp.wsgi:application': 'glance' } }));
    const after = JSON.parse(runCli(['--format', 'json', 'app.ini'], { cwd: dir }).stdout);
    expect(after.findings.find((f: { ruleId: string }) => f.ruleId === RULE).severity).toBe('error');
  });

  test('--envvars and --env fill $(VAR) in ini files; a config file cannot set the environment', () => {
    const ini = GENERIC_ROUTER_INI.replace('http = :8080', 'http = $(ROUTER)');
    const dir = tmp({ 'app.ini': ini, 'router.env': '# Debian-style\nunset HOME\nexport ROUTER=":8080" # the router\n' });
    const message = (args: string[]) => JSON.parse(runCli(['--format', 'json', ...args, 'app.ini'], { cwd: dir }).stdout).findings.find((f: { ruleId: string }) => f.ruleId === RULE).message;
    expect(message([])).toContain('`http = $(ROUTER)`');
    expect(message(['--envvars', 'router.env'])).toContain('`http = :8080`');
    expect(message(['--envvars', 'router.env', '--env', 'ROUTER=:9090'])).toContain('`http = :9090`');
    // the repository's config is not trusted to set the environment (UWSGI_INI names a file to read)
    fs.writeFileSync(path.join(dir, '.deploylintrc.json'), JSON.stringify({ env: { ROUTER: ':9090' } }));
    const refused = runCli(['app.ini'], { cwd: dir });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('.deploylintrc.json: env: a configuration file cannot set the environment');
    const bad = runCli(['--env', 'no-equals', 'app.ini'], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--env no-equals: expected NAME=VALUE');
  });

  test('--config, rule options, --envvars and --env', () => {
    const dir = tmp({
      'cfg.json': JSON.stringify({ rules: { [RULE]: ['warning', { note: 1 }] } }),
      'vars.env': '# comment\nexport A="from-env-file"\nC=c\n',
      'glance.ini': GLANCE_ROUTER_INI,
    });
    const printed = JSON.parse(runCli(['--print-config', '--config', 'cfg.json', '--envvars', 'vars.env', '--env', 'B=b', 'glance.ini'], { cwd: dir }).stdout);
    expect(printed).toMatchObject({ rules: { [RULE]: 'warning' }, ruleOptions: { [RULE]: { note: 1 } }, env: { A: 'from-env-file', B: 'b', C: 'c' } });
  });

  test.each([
    ['.deploylintrc.json', JSON.stringify({ rules: { foo: 'error' } }), '.deploylintrc.json: rules.foo: unknown rule'],
    ['.deploylintrc.json', JSON.stringify({ targets: { uwsgi: '3' } }), '.deploylintrc.json: targets.uwsgi: expected "2.0" or "2.1"'],
    ['.deploylintrc.json', JSON.stringify({ rulez: {} }), '.deploylintrc.json: rulez: unknown key'],
    ['.deploylintrc.json', JSON.stringify({ rules: { [RULE]: 'loud' } }), `.deploylintrc.json: rules.${RULE}: expected "off"`],
    ['.deploylintrc.json', JSON.stringify({ ignore: 'x' }), '.deploylintrc.json: ignore: expected an array'],
    ['.deploylintrc.json', JSON.stringify({ appProfiles: { '*/api.py': 'no-such-app' } }), '.deploylintrc.json: appProfiles.*/api.py: unknown profile "no-such-app"'],
    ['.deploylintrc.json', JSON.stringify({ targets: { httpd: '2.2' } }), '.deploylintrc.json: targets.httpd: expected "2.4" or "2.4.N"'],
    ['.deploylintrc.json', JSON.stringify({ targets: { glance: 'latest' } }), '.deploylintrc.json: targets.glance: expected a version like "32.0"'],
    ['.deploylintrc.json', '{ not json', '.deploylintrc.json: invalid JSON'],
    ['.deploylintrc.yaml', 'rules: [unclosed', '.deploylintrc.yaml: invalid YAML'],
    ['package.json', JSON.stringify({ deploylint: { env: { A: '1' } } }), 'package.json#deploylint: env: a configuration file cannot set the environment'],
  ])('bad config %s exits 2 naming the key', (name, content, message) => {
    const dir = tmp({ [name]: content, 'glance.ini': GLANCE_ROUTER_INI });
    const r = runCli(['glance.ini'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`deploylint: ${message}`);
    expect(r.stdout).toBe('');
  });
});

describe('inline suppressions through the CLI', () => {
  const suppressed = GLANCE_ROUTER_INI.replace('http = ', `# deploylint-disable-next-line ${RULE} -- only GET traffic\nhttp = `);
  test('disable-next-line silences the finding; --no-inline-suppressions brings it back', () => {
    const dir = tmp({ 'glance.ini': suppressed });
    const r = JSON.parse(runCli(['--format', 'json', 'glance.ini'], { cwd: dir }).stdout);
    expect(r.findings.filter((f: { ruleId: string }) => f.ruleId === RULE || f.ruleId.startsWith('suppression-'))).toEqual([]);
    const all = JSON.parse(runCli(['--format', 'json', '--no-inline-suppressions', 'glance.ini'], { cwd: dir }).stdout);
    expect(all.findings.filter((f: { ruleId: string }) => f.ruleId === RULE)).toHaveLength(1);
  });

  test('; comments in ini files, unused and expired suppressions are reported', () => {
    const ini = GLANCE_ROUTER_INI.replace('http = ', `; deploylint-disable-next-line ${RULE} until=2020-01-01 -- expired\nhttp = `).replace('master = true', `; deploylint-disable-next-line ${RULE}\nmaster = true`);
    const dir = tmp({ 'glance.ini': ini });
    const r = JSON.parse(runCli(['--format', 'json', 'glance.ini'], { cwd: dir }).stdout);
    const ids = r.findings.map((f: { ruleId: string; line: number }) => `${f.ruleId}@${f.line}`);
    expect(ids).toEqual(expect.arrayContaining(['suppression-unused@4', 'suppression-expired@7', `${RULE}@8`]));
    const off = JSON.parse(runCli(['--format', 'json', '--rule', 'suppression-unused=off', 'glance.ini'], { cwd: dir }).stdout);
    expect(off.findings.some((f: { ruleId: string }) => f.ruleId === 'suppression-unused')).toBe(false);
  });

  test('Apache configs: # comments inside sections; disable ... enable spans', () => {
    const site = (body: string) => `<VirtualHost *:80>\n  ServerName a.example\n${body}</VirtualHost>\n`;
    const dir = tmp({
      'plain.conf': site('  FooBarBaz on\n'),
      'next-line.conf': site('  # deploylint-disable-next-line apache-unknown-directive -- from a custom module\n  FooBarBaz on\n'),
      'span.conf': site('  # deploylint-disable apache-unknown-directive\n  FooBarBaz on\n  FooBarQux on\n  # deploylint-enable apache-unknown-directive\n  FooBarZap on\n'),
    });
    const lines = (file: string) => JSON.parse(runCli(['--format', 'json', file], { cwd: dir }).stdout).findings.map((f: { ruleId: string; line: number }) => `${f.ruleId}@${f.line}`);
    expect(lines('plain.conf')).toEqual(['apache-unknown-directive@3']);
    expect(lines('next-line.conf')).toEqual([]);
    expect(lines('span.conf')).toEqual(['apache-unknown-directive@7']);
  });

  test('until=component@version follows the target', () => {
    const ini = GLANCE_ROUTER_INI.replace('http = ', `# deploylint-disable-next-line ${RULE} until=glance@33\nhttp = `);
    const dir = tmp({ 'glance.ini': ini });
    const holding = JSON.parse(runCli(['--format', 'json', '--target', 'glance=32.0', 'glance.ini'], { cwd: dir }).stdout);
    expect(holding.findings.filter((f: { ruleId: string }) => f.ruleId === RULE)).toEqual([]);
    const expired = JSON.parse(runCli(['--format', 'json', '--target', 'glance=33.0', 'glance.ini'], { cwd: dir }).stdout);
    expect(expired.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(expect.arrayContaining(['suppression-expired', RULE]));
  });
});

describe('baseline', () => {
  test('write, then report only new findings, and list entries that no longer match', () => {
    const dir = tmp({ 'glance.ini': GLANCE_ROUTER_INI });
    const w = runCli(['--write-baseline', 'baseline.json', 'glance.ini'], { cwd: dir });
    expect(w.status).toBe(0);
    expect(w.stderr).toMatch(/wrote \d+ baseline entr/);
    const baseline = JSON.parse(fs.readFileSync(path.join(dir, 'baseline.json'), 'utf8'));
    expect(baseline.version).toBe(1);
    expect(baseline.entries.find((e: { ruleId: string }) => e.ruleId === RULE)).toMatchObject({ file: 'glance.ini', fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/) });

    expect(runCli(['--baseline', 'baseline.json', 'glance.ini'], { cwd: dir })).toMatchObject({ status: 0, stdout: expect.not.stringContaining(RULE) });

    // moving the line does not resurrect it
    fs.writeFileSync(path.join(dir, 'glance.ini'), '# moved down\n\n' + GLANCE_ROUTER_INI);
    expect(runCli(['--baseline', 'baseline.json', 'glance.ini'], { cwd: dir }).status).toBe(0);

    // a second router line is new
    fs.writeFileSync(path.join(dir, 'glance.ini'), GLANCE_ROUTER_INI + 'http = 127.0.0.1:9393\n');
    const added = JSON.parse(runCli(['--format', 'json', '--baseline', 'baseline.json', 'glance.ini'], { cwd: dir }).stdout);
    expect(added.findings.filter((f: { ruleId: string }) => f.ruleId === RULE).length).toBeGreaterThanOrEqual(1);

    // fixed: the entry is stale and reported
    fs.writeFileSync(path.join(dir, 'glance.ini'), GLANCE_ROUTER_INI + 'http-chunked-input = true\n');
    const fixed = runCli(['--format', 'gcc', '--baseline', 'baseline.json', 'glance.ini'], { cwd: dir });
    expect(fixed.stderr).toMatch(/baseline entr(y no longer matches|ies no longer match)/);
    expect(fixed.stderr).toContain(`glance.ini: ${RULE}`);
  });

  test('a broken baseline file exits 2', () => {
    const dir = tmp({ 'glance.ini': GLANCE_ROUTER_INI, 'baseline.json': '{"entries": 3}' });
    const r = runCli(['--baseline', 'baseline.json', 'glance.ini'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('baseline.json: expected {"version":1,"entries":[...]}');
  });
});

describe('subcommands', () => {
  test('rules lists id, severity, category, fixable, description', () => {
    const r = runCli(['rules']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^ID +SEVERITY +CATEGORY +FIXABLE +DESCRIPTION$/);
    expect(r.stdout).toMatch(new RegExp(`^${RULE} +(error|warning|info) +[a-z-]+ +(yes|no) +\\S`, 'm'));
    expect(r.stdout).toMatch(/^suppression-unused +warning/m);
    const json = JSON.parse(runCli(['rules', '--format', 'json']).stdout);
    expect(json.find((m: { id: string }) => m.id === RULE).docs).toBe(`docs/rules/${RULE}.md`);
  });

  test('explain prints the docs page', () => {
    const r = runCli(['explain', RULE]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(fs.readFileSync(path.join(ROOT, 'docs', 'rules', `${RULE}.md`), 'utf8').replace(/\n*$/, '\n'));
    const s = runCli(['explain', 'suppression-unused']);
    expect(s.stdout).toMatch(/^## Inline suppressions/);
  });

  test('parse --resolved prints the uWSGI options as uwsgi --show-config does', () => {
    const dir = tmp({ 'base.ini': '[uwsgi]\nport = 9292\n', 'app.ini': '[uwsgi]\nini = base.ini\nhttp-socket = 127.0.0.1:%(port)\nchdir = $(APP_DIR)\n', 'vars.env': 'APP_DIR=/srv/app\n' });
    const r = runCli(['parse', '--resolved', '--envvars', 'vars.env', 'app.ini'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('http-socket = 127.0.0.1:9292');
    expect(r.stdout).toContain('chdir = /srv/app');
  });

  test('parse --resolved and --includes for Apache', () => {
    const dir = tmp({ 'apache2.conf': 'Define PORT 8080\nInclude sites/*.conf\n', 'sites/a.conf': '<VirtualHost *:${PORT}>\n  ServerName a.example\n</VirtualHost>\n' });
    const resolved = runCli(['parse', 'apache2.conf'], { cwd: dir });
    expect(resolved.status).toBe(0);
    expect(resolved.stdout).toMatch(/<VirtualHost \*:8080>/);
    const includes = runCli(['parse', '--includes', 'apache2.conf'], { cwd: dir });
    expect(includes.status).toBe(0);
    expect(includes.stdout).toContain('a.conf');
  });

  test('parse --tree prints the syntax tree as JSON without the parsers\' helper objects', () => {
    const dir = tmp({ 'app.ini': '[uwsgi]\nhttp = :8080\n', 'site.conf': '<VirtualHost *:80>\n  ServerName a.example\n</VirtualHost>\n' });
    for (const file of ['app.ini', 'site.conf']) {
      const r = runCli(['parse', '--tree', file], { cwd: dir });
      expect(r.status).toBe(0);
      const tree = JSON.parse(r.stdout);
      expect(tree.file).toBe(file);
      expect(r.stdout).not.toContain('"starts"');
    }
    expect(runCli(['parse', '--tree', 'app.ini'], { cwd: dir }).stdout).toContain('"http = :8080"');
  });

  test('--resolved and friends belong to parse', () => {
    expect(runCli(['--tree', 'x.ini']).status).toBe(2);
  });
});

describe('progress on stderr', () => {
  const hasScript = fs.existsSync('/usr/bin/script');
  // script(1) gives the CLI a terminal; stdout goes to /dev/null so only stderr reaches the pty.
  function onTerminal(dir: string, env: Record<string, string>): string {
    const { spawnSync } = require('child_process') as typeof import('child_process');
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(ROOT, 'bin', 'deploylint.js'))} --format gcc glance.ini 2>&1 >/dev/null`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
    return r.stdout;
  }

  (hasScript ? test : test.skip)('shown on a terminal once the run passes the threshold, and cleared at the end', () => {
    const dir = tmp({ 'glance.ini': GLANCE_ROUTER_INI });
    const shown = onTerminal(dir, { DEPLOYLINT_PROGRESS_AFTER_MS: '0' });
    expect(shown).toContain('deploylint: linting 1 file(s)');
    expect(shown.endsWith('\r\x1b[K')).toBe(true);
    // a quick run under the default one-second threshold shows nothing
    expect(onTerminal(dir, {})).toBe('');
  });

  test('never when stderr is not a terminal', () => {
    const dir = tmp({ 'glance.ini': GLANCE_ROUTER_INI });
    expect(runCli(['--format', 'gcc', 'glance.ini'], { cwd: dir, env: { DEPLOYLINT_PROGRESS_AFTER_MS: '0' } }).stderr).toBe('');
  });
});
