/**
 * Shell scripts that write configs, through the real CLI: found in a walk (`*.sh`, devstack's
 * extensionless `lib/*`) or named, each written config linted as a fragment, findings at the
 * script's own lines, no fix offered, and the run's summary saying what the script was read as.
 */
import * as fs from 'fs';
import * as path from 'path';
import { requireBuild, runCli, scratch } from '../cli/helpers';

interface JsonFinding { ruleId: string; severity: string; message: string; file: string; line: number; column: number; fix?: unknown; related?: { file: string; line: number }[] }
interface JsonReport { findings: JsonFinding[]; files: { path: string; kind: string; writes?: { name: string; kind: string; variants: number }[] }[] }

const dirs: string[] = [];
beforeAll(() => requireBuild());
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function run(files: Record<string, string>, args: string[] = ['.']) {
  const dir = scratch(files);
  dirs.push(dir);
  return { dir, ...runCli(args, { cwd: dir }) };
}

function lintJson(files: Record<string, string>, args: string[] = ['.']): JsonReport {
  const r = run(files, ['--format', 'json', ...args]);
  if (r.status !== 0 && r.status !== 1) throw new Error(`exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as JsonReport;
}

const SCRIPT = `#!/bin/bash
# writes a uWSGI ini and a site for an API

function write_api_config {
    local conf=$1
    local url=$2; rm -rf "$conf"
    local socket="/var/run/uwsgi/api.socket"
    iniset "$conf" uwsgi module "api.wsgi:application"
    iniset "$conf" uwsgi master true
    iniset "$conf" uwsgi socket "$socket"
    iniset "$conf" uwsgi chmod-socket 666
    echo "KeepAlive Off" | sudo tee $apache_conf
    echo "ProxyPass \\"\${url}\\" \\"unix:\${socket}|uwsgi://api\\" retry=0" | sudo tee -a $apache_conf
}
`;

describe('a shell script that writes configs', () => {
  test('findings stand at the script\'s iniset and echo lines, with no fix', () => {
    const report = lintJson({ 'lib/api': SCRIPT });
    expect(report.files).toEqual([{
      path: 'lib/api', kind: 'shell-script', included: [],
      writes: [{ name: 'write_api_config.ini', kind: 'uwsgi-ini', variants: 1 }, { name: 'write_api_config.conf', kind: 'apache', variants: 1 }],
    }]);
    const at = (rule: string) => report.findings.filter((f) => f.ruleId === rule).map((f) => [f.file, f.line, f.column, f.severity]);
    expect(at('socket-world-writable')).toEqual([['lib/api', 11, 26, 'warning']]);
    expect(at('uwsgi-need-app-missing')).toEqual([['lib/api', 8, 26, 'warning']]);
    // the Apache lines are a fragment: server-scope lines reach every site of the server
    expect(at('apache-server-scope-proxy')).toEqual([['lib/api', 12, 11, 'warning'], ['lib/api', 13, 11, 'warning']]);
    // the route and the socket name the same variable, set once in the function: they link
    expect(at('proxy-backend-unmatched')).toEqual([]);
    for (const f of report.findings) {
      expect(f.fix).toBeUndefined();
      expect(f.file).toBe('lib/api');
      for (const r of f.related ?? []) expect(r.file).toBe('lib/api');
      // messages quote the script's words, never a placeholder or a virtual file name
      expect(f.message).not.toMatch(/#write_api_config|___/);
    }
    const world = report.findings.find((f) => f.ruleId === 'socket-world-writable')!;
    expect(world.message).toContain('/var/run/uwsgi/api.socket');
    expect(world.related).toEqual([expect.objectContaining({ file: 'lib/api', line: 10 })]);
  });

  test('the summary says what the script was read as; --fix leaves the script alone', () => {
    const r = run({ 'tools/deploy.sh': SCRIPT.replace('#!/bin/bash\n', '') }, ['.']);
    expect(r.stdout + r.stderr).toContain('Checked 1 file: 1 shell script writing configs (writing 1 uWSGI ini file, 1 Apache config).');
    const fixed = run({ 'deploy.sh': SCRIPT }, ['--fix', '.']);
    expect(fs.readFileSync(path.join(fixed.dir, 'deploy.sh'), 'utf8')).toBe(SCRIPT);
  });

  test('a socket the script does not fix is no unix socket; a literal `:` makes a TCP one', () => {
    const report = lintJson({
      'lib/api': `function w {
    rm -f $conf; iniset $conf uwsgi module app.wsgi:application
    iniset $conf uwsgi socket $API_SOCKET
    iniset $conf uwsgi chmod-socket 666
    echo "ProxyPass / unix:$API_SOCKET|uwsgi://api/" | sudo tee -a $site
}
function h {
    rm -f $conf; iniset $conf uwsgi module app.wsgi:application
    iniset $conf uwsgi http-socket "127.0.0.1:$port"
    iniset $conf uwsgi chmod-socket 666
}
`,
    });
    const at = (rule: string) => report.findings.filter((f) => f.ruleId === rule).map((f) => [f.line, f.severity]);
    // $API_SOCKET may be a TCP address: chmod-socket is not judged; the route is not compared with it
    expect(at('socket-world-writable')).toEqual([[10, 'info']]);
    expect(at('proxy-backend-unmatched')).toEqual([]);
  });

  test('`deploylint parse` prints each config the script writes, as it is linted', () => {
    const r = run({ 'lib/api': SCRIPT }, ['parse', 'lib/api']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('# lib/api#write_api_config.ini (uwsgi-ini, written to "$conf"), variant 1 of 1\n[uwsgi]\nmodule = api.wsgi:application\n');
    expect(r.stdout).toContain('socket = /var/run/uwsgi/api.socket\n');
    expect(r.stdout).toContain('# lib/api#write_api_config.conf (apache, written to $apache_conf), variant 1 of 1\nKeepAlive Off\n');
  });

  test('a suppression comment in the script covers the finding on the next line', () => {
    const script = SCRIPT.replace('    iniset "$conf" uwsgi chmod-socket 666\n', '    # deploylint-disable-next-line socket-world-writable -- a devstack VM\n    iniset "$conf" uwsgi chmod-socket 666\n');
    const report = lintJson({ 'lib/api': script });
    expect(report.findings.filter((f) => f.ruleId === 'socket-world-writable' || f.ruleId.startsWith('suppression'))).toEqual([]);
  });

  test('named on the command line it is read the same way; a script that writes no config is not recognised', () => {
    expect(lintJson({ 'lib/api': SCRIPT }, ['lib/api']).files[0].kind).toBe('shell-script');
    const r = run({ 'build.sh': '#!/bin/sh\nmake all\n' }, ['build.sh']);
    expect(r.stdout + r.stderr).toMatch(/not recognised/);
  });

  test('a walk leaves alone scripts that write nothing, and extensionless files of lib/ that are no writers', () => {
    const report = lintJson({
      'lib/api': SCRIPT,
      'lib/other': 'function f {\n    cat > $x <<EOF\nProxyPass / http://localhost:8080/\nEOF\n}\n',
      'run.sh': '#!/bin/bash\necho "ProxyPass / http://x/"\n',
      'devstack/apache-api.template': '<VirtualHost *:80>\n    ProxyPass / http://127.0.0.1:8080/\n</VirtualHost>\n',
    });
    expect(report.files.map((f) => [f.path, f.kind]).sort()).toEqual([['devstack/apache-api.template', 'apache'], ['lib/api', 'shell-script']]);
  });
});
