import * as fs from 'fs';
import { ReadGate } from '../../lib/input/gate';
import * as os from 'os';
import * as path from 'path';
import { dumpApacheIncludes, parseDebianEnvvars, resolveApacheConfig, type ResolvedNode } from '../../lib/resolve/apache';
import { fnmatch, hasWildcard } from '../../lib/core/fnmatch';
import { getApacheDirective, moduleIdOf, moduleOfDirective, moduleSourceName, canonicalDirectiveName } from '../../lib/knowledge/apache-directives';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-apache-resolve-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, text: string): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

function names(nodes: ResolvedNode[]): string[] {
  return nodes.flatMap((n) => (n.kind === 'section' ? [`<${n.name}>`, ...names(n.children), `</${n.name}>`] : [n.name]));
}

describe('snippets given alone', () => {
  test('IfModule stays undecided: children kept, condition recorded, no invented modules', () => {
    const f = write('site.conf', '<VirtualHost *:80>\n<IfModule mod_wsgi.c>\nWSGIDaemonProcess app\n</IfModule>\n<IfModule !mod_wsgi.c>\nKeepAlive On\n</IfModule>\n</VirtualHost>\n');
    const r = resolveApacheConfig(f);
    expect(r.wholeTree).toBe(false);
    expect(r.loadedModules).toBeNull();
    expect(r.httpdError).toBeNull();
    const vhost = r.nodes[0];
    if (vhost.kind !== 'section') throw new Error('expected a section');
    expect(vhost.children.map((c) => [c.name, c.assumedConditions])).toEqual([
      ['WSGIDaemonProcess', ['<IfModule mod_wsgi.c>']],
      ['KeepAlive', ['<IfModule !mod_wsgi.c>']],
    ]);
  });
  test('built-in modules are decided even in a snippet', () => {
    const f = write('a.conf', '<IfModule mod_version.c>\nKeepAlive On\n</IfModule>\n<IfModule !version_module>\nKeepAlive Off\n</IfModule>\n');
    const r = resolveApacheConfig(f);
    expect(r.nodes.map((n) => [n.args[0].value, n.assumedConditions])).toEqual([['On', []]]);
  });
  test('a directive unknown to every module is reported with httpd text and position', () => {
    const f = write('a.conf', 'KeepAlive On\n  WSGIDeamonProcess x\n');
    const r = resolveApacheConfig(f);
    expect(r.httpdError?.message).toBe("Invalid command 'WSGIDeamonProcess', perhaps misspelled or defined by a module not included in the server configuration");
    expect(r.httpdError?.ruleId).toBe('apache-invalid-command');
    expect(r.httpdError?.location.range.start).toMatchObject({ line: 2, column: 1 });
  });
  test('inside an assumed <IfModule> of a module deploylint has no table for, an unknown directive is only a warning', () => {
    const f = write('example.conf', '<IfModule mod_example_auth.c>\nExampleAuthRealm staff\n</IfModule>\n<IfModule mod_wsgi.c>\nWSGIDeamonProcess x\n</IfModule>\n');
    const r = resolveApacheConfig(f);
    expect(r.findings.map((x) => [x.ruleId, x.severity, x.location.range.start.line])).toEqual([
      ['apache-unknown-directive', 'warning', 2],
      ['apache-invalid-command', 'error', 5],
    ]);
  });
  test('a known third-party module\'s directives are that module\'s in a fragment; a name no release of it has is refused', () => {
    const f = write('oidc.conf', '<IfModule mod_auth_openidc.c>\nOIDCProviderMetadataURL https://id.example/.well-known\n</IfModule>\nMellonEnable info\nShibRequestSetting requireSession 1\nOIDCRedisCachecPassword x\n');
    const r = resolveApacheConfig(f);
    expect(r.findings.map((x) => [x.ruleId, x.severity, x.location.range.start.line])).toEqual([['apache-invalid-command', 'error', 6]]);
    expect(r.findings[0].message).toMatch(/no release of mod_auth_openidc has this directive.*Did you mean 'OIDCRedisCachePassword'\?/);
  });
  test('wrong context is reported with httpd text', () => {
    const f = write('a.conf', '<Directory /srv>\nProxyPass /a http://127.0.0.1:1/\n</Directory>\n');
    const r = resolveApacheConfig(f);
    expect(r.httpdError?.message).toBe('ProxyPass cannot occur within <Directory> section');
    expect(r.httpdError?.ruleId).toBe('apache-directive-context');
  });
});

describe('whole trees', () => {
  test('Debian layout: envvars, mods-enabled, IfModule from LoadModule', () => {
    write('envvars', 'export APACHE_LOG_DIR=/var/log/apache2$SUFFIX\nexport APACHE_RUN_USER=www-data\n');
    write('apache2.conf', 'ErrorLog ${APACHE_LOG_DIR}/error.log\nIncludeOptional mods-enabled/*.load\nIncludeOptional mods-enabled/*.conf\nIncludeOptional sites-enabled/*.conf\n');
    write('mods-enabled/mpm_event.load', 'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n');
    write('mods-enabled/proxy.load', 'LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n');
    write('sites-enabled/app.conf', '<IfModule proxy_module>\nProxyPass /a http://127.0.0.1:1/\n</IfModule>\n<IfModule mod_wsgi.c>\nWSGIProcessGroup x\n</IfModule>\n');
    const env = parseDebianEnvvars(fs.readFileSync(path.join(dir, 'envvars'), 'utf8'), dir);
    expect(env.APACHE_LOG_DIR).toBe('/var/log/apache2');
    const r = resolveApacheConfig(path.join(dir, 'apache2.conf'), { env, serverRoot: dir });
    expect(r.wholeTree).toBe(true);
    expect(r.loadedModules?.has('proxy_module')).toBe(true);
    expect(r.loadedModules?.has('mod_proxy.c')).toBe(true);
    expect(names(r.nodes)).toEqual(['ErrorLog', 'ProxyPass']);
    expect(r.nodes[0].args[0].value).toBe('/var/log/apache2/error.log');
    expect(r.httpdError).toBeNull();
    expect(r.nodes[1].includeChain.map((l) => path.basename(l.file))).toEqual(['apache2.conf']);
  });
  test("apache2.conf without an env reads the envvars beside it, as apache2ctl does", () => {
    write('envvars', 'export APACHE_LOG_DIR=/var/log/apache2$SUFFIX\n');
    write('apache2.conf', 'ErrorLog ${APACHE_LOG_DIR}/error.log\n');
    const r = resolveApacheConfig(path.join(dir, 'apache2.conf'));
    expect(r.nodes[0].args[0].value).toBe('/var/log/apache2/error.log');
  });
  test('a directive of a module not loaded is an invalid command in a whole tree', () => {
    write('httpd.conf', 'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\nProxyPass /a http://b/\n');
    const r = resolveApacheConfig(path.join(dir, 'httpd.conf'), { serverRoot: dir });
    expect(r.httpdError?.message).toMatch(/^Invalid command 'ProxyPass'/);
  });
  test('RHEL layout: conf/httpd.conf, conf.modules.d, conf.d', () => {
    fs.symlinkSync('/usr/lib/apache2/modules', path.join(dir, 'modules'));
    write('conf/httpd.conf', `ServerRoot "${dir}"\nInclude conf.modules.d/*.conf\nIncludeOptional conf.d/*.conf\n`);
    write('conf.modules.d/00-mpm.conf', 'LoadModule mpm_event_module modules/mod_mpm_event.so\n');
    write('conf.modules.d/10-wsgi.conf', '<IfModule !wsgi_module>\nLoadModule wsgi_module modules/mod_wsgi.so\n</IfModule>\n');
    write('conf.d/app.conf', '<VirtualHost *:80>\nWSGIDaemonProcess app processes=2\n</VirtualHost>\n');
    // conf.d/ sits beside conf/: the gate must be given the server root (the CLI's --allow-read)
    const r = resolveApacheConfig(path.join(dir, 'conf/httpd.conf'), { gate: new ReadGate({ roots: [dir] }) });
    expect(r.serverRoot).toBe(dir);
    expect(r.httpdError).toBeNull();
    expect(names(r.nodes)).toEqual(['<VirtualHost>', 'WSGIDaemonProcess', '</VirtualHost>']);
    expect(r.files.map((f) => path.relative(dir, f))).toEqual(['conf/httpd.conf', 'conf.modules.d/00-mpm.conf', 'conf.modules.d/10-wsgi.conf', 'conf.d/app.conf']);
  });
  test('Define / UnDefine act in textual order; ${VAR} is expanded before words are split', () => {
    write('main.conf', 'ServerAdmin ${A}\nDefine A "x@y z"\nSetEnv B ${A}\nUnDefine A\n<IfDefine A>\nKeepAlive On\n</IfDefine>\n');
    const r = resolveApacheConfig(path.join(dir, 'main.conf'), { loadedModules: ['env_module'] });
    expect(r.nodes.map((n) => n.args.map((a) => a.value))).toEqual([['${A}'], ['B', 'x@y', 'z']]);
    expect(r.findings.find((f) => f.ruleId === 'apache-undefined-variable')?.message).toBe('Config variable ${A} is not defined');
    expect(r.httpdError?.message).toBe('SetEnv takes 1-2 arguments, an environment variable name and optional value to pass to CGI.');
  });
  test('IfVersion compares with the target version', () => {
    write('main.conf', '<IfVersion >= 2.4.60>\nKeepAlive On\n</IfVersion>\n<IfVersion < 2.4>\nKeepAlive Off\n</IfVersion>\n');
    expect(resolveApacheConfig(path.join(dir, 'main.conf')).nodes.map((n) => n.args[0].value)).toEqual(['On']);
    expect(resolveApacheConfig(path.join(dir, 'main.conf'), { httpdVersion: '2.4.41' }).nodes.map((n) => n.args[0].value)).toEqual([]);
  });
  test('IfVersion regexes run on RE2: case-sensitive, unsupported or hostile ones do not match and do not hang', () => {
    write('main.conf', [
      '<IfVersion ~ ^2\\.4\\.[0-9]+$>\nTimeout 1\n</IfVersion>',
      '<IfVersion /^2\\.2/>\nTimeout 2\n</IfVersion>',
      '<IfVersion !~ ^1\\.>\nTimeout 3\n</IfVersion>',
      '<IfVersion ~ ^(2)\\.\\1>\nTimeout 4\n</IfVersion>', // a backreference: RE2 cannot, counts as no match
      '<IfVersion ~ ^(.?.?.?.?.?.?.?.?.?.?){60}X$>\nTimeout 5\n</IfVersion>',
      '<IfVersion ~ ^(.?){30000}X$>\nTimeout 6\n</IfVersion>',
      '',
    ].join('\n'));
    expect(resolveApacheConfig(path.join(dir, 'main.conf'), { httpdVersion: '2.4.62' }).nodes.map((n) => n.args[0].value)).toEqual(['1', '3']);
  });
});

describe('includes', () => {
  test('glob order is bytewise, dotfiles are skipped by wildcards, directories are read whole', () => {
    write('main.conf', 'Include conf.d/*.conf\nInclude extra\n');
    write('conf.d/b.conf', 'KeepAlive On\n');
    write('conf.d/Z.conf', 'KeepAlive Off\n');
    write('conf.d/.hidden.conf', 'Bogus\n');
    write('extra/.dot', 'Timeout 1\n');
    write('extra/sub/x', 'Timeout 2\n');
    const r = resolveApacheConfig(path.join(dir, 'main.conf'), { serverRoot: dir });
    expect(r.files.map((f) => path.relative(dir, f))).toEqual(['main.conf', 'conf.d/Z.conf', 'conf.d/b.conf', 'extra/.dot', 'extra/sub/x']);
    expect(dumpApacheIncludes(r).split('\n')[2]).toBe(`    (1) ${path.join(dir, 'conf.d/Z.conf')}`);
  });
  test('missing file: error for Include, silent for IncludeOptional', () => {
    write('main.conf', 'IncludeOptional nothere.conf\nIncludeOptional nodir/*.conf\nInclude nothere.conf\n');
    const r = resolveApacheConfig(path.join(dir, 'main.conf'), { serverRoot: dir });
    expect(r.httpdError?.message).toBe(`Could not open configuration file ${dir}/nothere.conf: No such file or directory`);
    expect(r.httpdError?.ruleId).toBe('include-not-found');
    expect(r.httpdError?.location.range.start.line).toBe(3);
  });
  test('an include loop stops with httpd message, quickly', () => {
    write('main.conf', 'Include a.conf\n');
    write('a.conf', 'Include b.conf\n');
    write('b.conf', 'Include *.conf\n');
    const r = resolveApacheConfig(path.join(dir, 'main.conf'), { serverRoot: dir });
    expect(r.httpdError?.ruleId).toBe('include-loop');
    expect(r.httpdError?.message).toBe('Exceeded maximum include depth of 128, There appears to be a recursion.');
  });
  test('symlink loop, dangling symlink and a directory as the main file become findings', () => {
    fs.symlinkSync(path.join(dir, 'l2.conf'), path.join(dir, 'l1.conf'));
    fs.symlinkSync(path.join(dir, 'l1.conf'), path.join(dir, 'l2.conf'));
    fs.symlinkSync(path.join(dir, 'gone'), path.join(dir, 'dangling.conf'));
    write('main.conf', 'Include l1.conf\n');
    write('main2.conf', 'Include dangling.conf\n');
    const loop = resolveApacheConfig(path.join(dir, 'main.conf'), { serverRoot: dir });
    expect(loop.httpdError?.message).toMatch(/l1\.conf: Too many levels of symbolic links$/);
    const dangling = resolveApacheConfig(path.join(dir, 'main2.conf'), { serverRoot: dir });
    expect(dangling.httpdError?.message).toMatch(/dangling\.conf: No such file or directory$/);
    const asDir = resolveApacheConfig(dir, { serverRoot: dir });
    expect(asDir.httpdError?.location.range.start.line).toBe(1);
    expect(asDir.nodes).toEqual([]);
  });
  test('a glob matching 10,000 files', () => {
    fs.mkdirSync(path.join(dir, 'many'));
    for (let i = 0; i < 10000; i++) fs.writeFileSync(path.join(dir, 'many', `f${i}.conf`), `Timeout ${i}\n`);
    write('main.conf', 'Include many/*.conf\n');
    const r = resolveApacheConfig(path.join(dir, 'main.conf'), { serverRoot: dir });
    expect(r.nodes).toHaveLength(10000);
    expect(r.nodes[0].args[0].value).toBe('0');
    expect(r.nodes[1].args[0].value).toBe('1');
    expect(r.nodes[2].args[0].value).toBe('10');
  }, 60000);
  test('the read gate: an Include outside is reported at its line and not read; a ServerRoot in the config never widens it', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'secret.conf'), 'Bogus secret\n');
      const inner = path.join(dir, 'in');
      fs.mkdirSync(inner);
      write('in/site.conf', `Include /etc/passwd\nInclude ${outside}/*.conf\nKeepAlive On\n`);
      const r = resolveApacheConfig(path.join(inner, 'site.conf'), { gate: new ReadGate({ roots: [inner] }) });
      expect(r.files).toEqual([path.join(inner, 'site.conf')]);
      expect(r.findings.filter((f) => f.ruleId === 'include-outside').map((f) => f.location.range.start.line)).toEqual([1, 2]);
      expect(r.httpdError).toBeNull();
      write('in/tree.conf', `ServerRoot "${outside}"\nInclude secret.conf\n`);
      const t = resolveApacheConfig(path.join(inner, 'tree.conf'), { gate: new ReadGate({ roots: [inner] }) });
      expect(t.files).not.toContain(path.join(outside, 'secret.conf'));
      expect(t.findings.filter((f) => f.ruleId === 'include-outside').map((f) => f.location.range.start.line)).toEqual([2]);
      expect(JSON.stringify(t)).not.toContain('Bogus secret');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
  test('text given directly (stdin) resolves without touching the disk for the main file', () => {
    const r = resolveApacheConfig('<stdin>', { text: '<Location />\nRequire all granted\n</Location>\n' });
    expect(names(r.nodes)).toEqual(['<Location>', 'Require', '</Location>']);
  });
});

describe('mod_macro', () => {
  test('Use expands the body; nodes point at the body lines and carry the name httpd gives the expansion', () => {
    const f = write('m.conf', '<Macro VHost $name>\n<VirtualHost *:80>\n  ServerName $name\n</VirtualHost>\n</Macro>\nUse VHost a.example\nUse VHost "b c"\n');
    const r = resolveApacheConfig(f);
    expect(names(r.nodes)).toEqual(['<VirtualHost>', 'ServerName', '</VirtualHost>', '<VirtualHost>', 'ServerName', '</VirtualHost>']);
    const first = r.nodes[0];
    if (first.kind !== 'section') throw new Error('expected a section');
    expect(first.children[0].args[0].value).toBe('a.example');
    expect(first.children[0].location.range.start.line).toBe(3);
    expect(first.children[0].httpdFile).toBe(`macro 'vhost' (defined on line 1 of "${f}") used on line 6 of "${f}"`);
    // the value is substituted as text, so two words become two arguments
    expect(r.httpdError?.message).toBe('ServerName takes one argument, The hostname and port of the server');
    expect(r.httpdError?.location.range.start.line).toBe(3);
  });
  test("httpd's macro errors", () => {
    const msg = (t: string) => resolveApacheConfig(write('e.conf', t)).httpdError?.message;
    expect(msg('Use M 1\n')).toBe('no macro defined before Use');
    expect(msg('<Macro M $x>\nKeepAlive $x\n</Macro>\nUse M\n')).toMatch(/used with 0 arguments instead of 1$/);
    expect(msg('<Macro M $x>\nUse M $x\n</Macro>\nUse M 1\n')).toBe("recursive use of macro 'm' is invalid");
  });
});

describe('directive knowledge', () => {
  test('names, modules and contexts', () => {
    expect(getApacheDirective('proxypass')?.module).toBe('mod_proxy');
    expect(moduleOfDirective('WSGIDaemonProcess')).toBe('mod_wsgi');
    expect(getApacheDirective('<VirtualHost')?.type).toBe('section');
    expect(moduleIdOf('mod_proxy_uwsgi')).toBe('proxy_uwsgi_module');
    expect(moduleSourceName('proxy_uwsgi_module')).toBe('mod_proxy_uwsgi.c');
    expect(canonicalDirectiveName('TIMEOUT')).toBe('Timeout');
  });
  test('fnmatch as apr_fnmatch with APR_FNM_PERIOD', () => {
    expect(hasWildcard('a/*.conf')).toBe(true);
    expect(hasWildcard('a/b.conf')).toBe(false);
    expect(fnmatch('*.conf', '.x.conf')).toBe(false);
    expect(fnmatch('.*.conf', '.x.conf')).toBe(true);
    expect(fnmatch('[a-c]?.load', 'b1.load')).toBe(true);
    expect(fnmatch('[!a-c]*', 'abc')).toBe(false);
  });
});
