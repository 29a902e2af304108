/**
 * Oracle: deploylint's Apache reader against the real apache2 (config test mode only, `-t`).
 *
 * (a) Syntax verdicts. Every Apache file of the shared corpus and a few hundred generated or mutated
 *     configs are given to `apache2 -t -f FILE -d SCRATCH` and to resolveApacheConfig. Harness, the
 *     same for both sides: every module Debian ships is loaded up front (httpd: `-C LoadModule ...`,
 *     so the file itself is read unchanged and its line numbers stay true; deploylint: the same ids as
 *     `loadedModules`), ServerRoot is a scratch directory with a logs/ subdirectory. They must agree on
 *     OK versus error and, for an error, on the file and line httpd names first.
 * (b) Resolution. Debian's default tree (the corpus copy, symlinks restored, envvars supplied as the
 *     environment) and generated trees: dumpApacheConfig / dumpApacheIncludes must equal
 *     `-D DUMP_CONFIG` / `-D DUMP_INCLUDES` byte for byte.
 */
import { ReadGate } from '../../lib/input/gate';
import * as fs from 'fs';
import * as path from 'path';
import { dumpApacheConfig, dumpApacheIncludes, parseDebianEnvvars, resolveApacheConfig } from '../../lib/resolve/apache';
import { generateCases, mutateText, proxyCases } from '../apache/generate-cases';
import { generateTrees } from '../apache/generate-trees';
import { allCompatibleModules, makeScratchServerRoot, mapLimit, requireApache2, runHttpdTest, type HttpdVerdict } from '../apache/httpd-harness';
import { recordFigures } from '../integrations/figures';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');
const PARALLEL = 4;

function corpusApacheFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        if (/README\.md$|corpus-manifest\.tsv$/.test(p)) continue;
        if (/etc-apache2\/(envvars|magic)$/.test(p)) continue;
        const text = fs.readFileSync(p, 'latin1');
        if (/^\s*\[uwsgi\]/m.test(text)) continue;
        out.push(p);
      }
    }
  };
  if (fs.existsSync(CORPUS)) walk(CORPUS);
  return out.sort();
}

interface Outcome {
  name: string;
  httpd: HttpdVerdict;
  ours: { ok: boolean; file?: string; line?: number; message?: string };
  agree: boolean;
  messageAgree: boolean;
  /**
   * httpd failed after reading and walking the whole config, in a check of the machine it runs on
   * (unknown User/Group, missing log directory: AH00543/AH00544/AH00014), so it names no file or line.
   * Those depend on this host, not on the config's syntax; they are counted apart, not as agreement.
   */
  hostCheck: boolean;
}

function ourVerdict(file: string, serverRoot: string, loaded: string[], defines: string[] = [], env: Record<string, string> = {}) {
  const r = resolveApacheConfig(file, { gate: ReadGate.unrestricted(), serverRoot, loadedModules: loaded, defines, env, checkHostAccounts: true });
  const e = r.httpdError;
  if (!e) return { ok: true as const, resolved: r };
  return { ok: false as const, file: e.location.file, line: e.location.range.end.line, message: e.message, resolved: r };
}

function compare(name: string, httpd: HttpdVerdict, ours: Outcome['ours']): Outcome {
  let agree = httpd.ok === ours.ok;
  // httpd exits on an unknown account without naming the line (ap_uname2id): compare the message
  const account = /bad (user|group) name .*$/.exec(httpd.message ?? '');
  if (agree && !httpd.ok && !httpd.file && account) agree = ours.message === account[0];
  // inside a mod_macro expansion httpd names the expansion, not a file; we point at the macro body line
  else if (agree && !httpd.ok && httpd.file?.startsWith("macro '")) agree = sameMessage(httpd.message ?? '', ours.message ?? '');
  else if (agree && !httpd.ok) agree = httpd.file === ours.file && httpd.line === ours.line;
  const messageAgree = httpd.ok === ours.ok && (httpd.ok || sameMessage(account ? account[0] : httpd.message ?? '', ours.message ?? ''));
  const hostCheck = !httpd.ok && !httpd.file && /AH0054[34]|AH00014/.test(httpd.message ?? '') && ours.ok;
  return { name, httpd, ours, agree, messageAgree, hostCheck };
}

/** httpd's error log escapes bytes outside printable ASCII (\\xNN), writes newlines as \\n, and cuts
 * very long lines (a 128-deep include chain loses its end). */
function sameMessage(httpd: string, ours: string): boolean {
  const escaped = [...Buffer.from(ours, 'utf8')].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 10 ? '\\n' : b === 9 ? '\\t' : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
  if (httpd === escaped) return true;
  return /^Syntax error on line \d+ of /.test(httpd) && /^Exceeded maximum include depth/.test(ours);
}

function writeCase(dir: string, files: Record<string, string>, encoding: BufferEncoding = 'utf8'): void {
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content.replace(/@DIR@/g, dir), encoding);
  }
}

function report(label: string, outcomes: Outcome[]): void {
  const bad = outcomes.filter((o) => !o.agree);
  for (const o of bad.slice(0, Number(process.env.APACHE_ORACLE_SHOW ?? 15))) {
    console.log(
      `DISAGREE ${label} ${o.name}\n  httpd: ${o.httpd.ok ? 'OK' : `${o.httpd.file}:${o.httpd.line}: ${o.httpd.message}`}\n  ours:  ${o.ours.ok ? 'OK' : `${o.ours.file}:${o.ours.line}: ${o.ours.message}`}`,
    );
  }
}

const available = requireApache2();
const d = available ? describe : describe.skip;

d('apache oracle', () => {
  const scratch = available ? makeScratchServerRoot() : '';
  const modules = available ? allCompatibleModules() : new Map<string, string>();
  const loaded = [...modules.keys()];
  const summary: Record<string, string> = {};
  /** The same figures as data, for the README test (test/integrations/readme-figures.test.ts). */
  const figures: Record<string, string | number> = {};

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    console.log(`apache oracle: ${Object.entries(summary).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    if (Object.keys(figures).length > 0) recordFigures('apache-oracle', figures);
  });

  test('syntax verdicts agree with apache2 -t', async () => {
    const corpus = corpusApacheFiles();
    const cases = [...generateCases(400), ...proxyCases()];
    const jobs: { name: string; file: string; serverRoot: string }[] = [];
    for (const f of corpus) jobs.push({ name: path.relative(CORPUS, f), file: f, serverRoot: scratch });
    const casesRoot = path.join(scratch, 'cases');
    for (const c of cases) {
      const dir = path.join(casesRoot, c.name);
      writeCase(dir, c.files);
      jobs.push({ name: c.name, file: path.join(dir, 'main.conf'), serverRoot: scratch });
    }
    // every corpus file once more, with one structural mutation
    let mutated = 0;
    corpus.forEach((f, i) => {
      const m = mutateText(fs.readFileSync(f, 'latin1'), 1000 + i);
      if (!m) return;
      const dir = path.join(scratch, 'mutated', String(i).padStart(3, '0'));
      writeCase(dir, m.files, 'latin1');
      jobs.push({ name: `mutated ${m.mutation} ${path.relative(CORPUS, f)}`, file: path.join(dir, 'main.conf'), serverRoot: scratch });
      mutated++;
    });
    const outcomes = await mapLimit(jobs, PARALLEL, async (j) => {
      // a file that loads its own MPM gets no preloaded one (two MPMs are refused before any syntax check)
      const ownMpm = /^\s*LoadModule\s+mpm_/im.test(fs.readFileSync(j.file, 'latin1'));
      const mods = ownMpm ? new Map([...modules].filter(([id]) => !id.startsWith('mpm_'))) : modules;
      const httpd = await runHttpdTest(j.file, { serverRoot: j.serverRoot, modules: mods });
      const ours = ourVerdict(j.file, j.serverRoot, [...mods.keys()]);
      return compare(j.name, httpd, { ok: ours.ok, file: ours.ok ? undefined : ours.file, line: ours.ok ? undefined : ours.line, message: ours.ok ? undefined : ours.message });
    });
    const hostChecks = outcomes.filter((o) => o.hostCheck);
    const compared = outcomes.filter((o) => !o.hostCheck);
    report('syntax', compared);
    if (process.env.APACHE_ORACLE_SHOW_MESSAGES) {
      for (const o of compared.filter((x) => x.agree && !x.messageAgree)) console.log(`MESSAGE ${o.name}\n  httpd: ${o.httpd.message}\n  ours:  ${o.ours.message}`);
    }
    for (const o of hostChecks) console.log(`host check only (not compared): ${o.name}: ${o.httpd.message}`);
    const agree = compared.filter((o) => o.agree).length;
    const msg = compared.filter((o) => o.messageAgree).length;
    summary.syntax = `${agree}/${compared.length}`;
    summary['(same message'] = `${msg}/${compared.length}; host-only checks set apart: ${hostChecks.length})`;
    Object.assign(figures, { syntax: summary.syntax, sameMessage: `${msg}/${compared.length}`, hostChecks: hostChecks.length });
    console.log(`corpus files: ${corpus.length}, generated: ${cases.length}, mutated corpus files: ${mutated}, httpd errors: ${outcomes.filter((o) => !o.httpd.ok).length}`);
    expect(compared.length).toBeGreaterThanOrEqual(corpus.length + 300 - hostChecks.length);
    expect(compared.filter((o) => !o.agree).map((o) => o.name)).toEqual([]);
  }, 600000);

  test('resolution: DUMP_CONFIG and DUMP_INCLUDES equal httpd', async () => {
    interface ResJob {
      name: string;
      dir: string;
      main: string;
      defines: string[];
      env: Record<string, string>;
      /** Modules httpd gets with -C LoadModule (and deploylint as loadedModules). */
      preload?: string[];
    }
    const jobs: ResJob[] = [];
    // Debian's default tree, from the corpus copy (symlinks there are stored as text: restore them)
    const debSrc = path.join(CORPUS, 'debian-apache2/etc-apache2');
    if (fs.existsSync(debSrc)) {
      const deb = path.join(scratch, 'debian-apache2');
      fs.cpSync(debSrc, deb, { recursive: true });
      for (const sub of fs.readdirSync(deb).filter((s) => s.endsWith('-enabled'))) {
        for (const f of fs.readdirSync(path.join(deb, sub))) {
          const p = path.join(deb, sub, f);
          const target = fs.readFileSync(p, 'utf8').trim();
          if (target.startsWith('../')) {
            fs.rmSync(p);
            fs.symlinkSync(target, p);
          }
        }
      }
      const env = parseDebianEnvvars(fs.readFileSync(path.join(deb, 'envvars'), 'utf8'), deb);
      jobs.push({ name: 'debian-default', dir: deb, main: path.join(deb, 'apache2.conf'), defines: [], env });
      // the same tree with a site using mod_proxy_uwsgi and an IfModule that depends on it
      const deb2 = path.join(scratch, 'debian-uwsgi');
      fs.cpSync(deb, deb2, { recursive: true, verbatimSymlinks: true });
      fs.symlinkSync('../mods-available/proxy.load', path.join(deb2, 'mods-enabled/proxy.load'));
      fs.symlinkSync('../mods-available/proxy_uwsgi.load', path.join(deb2, 'mods-enabled/proxy_uwsgi.load'));
      fs.writeFileSync(
        path.join(deb2, 'sites-enabled/app.conf'),
        '<VirtualHost *:80>\n\tServerName app.example\n\t<IfModule proxy_uwsgi_module>\n\t\tProxyPass /api unix:/run/app.sock|uwsgi://localhost/ timeout=300\n\t</IfModule>\n\tErrorLog ${APACHE_LOG_DIR}/app-error.log\n</VirtualHost>\n',
      );
      jobs.push({ name: 'debian-uwsgi-site', dir: deb2, main: path.join(deb2, 'apache2.conf'), defines: [], env: parseDebianEnvvars(fs.readFileSync(path.join(deb2, 'envvars'), 'utf8'), deb2) });
    }
    // this machine's own /etc/apache2 (mod_info added with -C, since DUMP_CONFIG needs it)
    if (fs.existsSync('/etc/apache2/apache2.conf') && fs.existsSync('/etc/apache2/envvars')) {
      const live = path.join(scratch, 'etc-apache2');
      fs.cpSync('/etc/apache2', live, { recursive: true, verbatimSymlinks: true });
      jobs.push({ name: 'etc-apache2', dir: live, main: path.join(live, 'apache2.conf'), defines: [], env: parseDebianEnvvars(fs.readFileSync(path.join(live, 'envvars'), 'utf8'), live), preload: ['info_module'] });
    }
    // RHEL layout: conf/httpd.conf, conf.modules.d/*.conf, conf.d/*.conf, modules/ symlinked to the .so files
    {
      const rhel = path.join(scratch, 'rhel-httpd');
      writeCase(rhel, {
        'conf/httpd.conf':
          'ServerRoot "@DIR@"\nListen 80\nInclude conf.modules.d/*.conf\nUser www-data\nGroup www-data\nServerAdmin root@localhost\n<Directory />\n    AllowOverride none\n    Require all denied\n</Directory>\nDocumentRoot "/var/www/html"\n<IfModule dir_module>\n    DirectoryIndex index.html\n</IfModule>\nErrorLog "logs/error_log"\nLogLevel warn\nIncludeOptional conf.d/*.conf\n',
        'conf.modules.d/00-base.conf': 'LoadModule authz_core_module modules/mod_authz_core.so\nLoadModule dir_module modules/mod_dir.so\nLoadModule info_module modules/mod_info.so\n',
        'conf.modules.d/00-mpm.conf': 'LoadModule mpm_event_module modules/mod_mpm_event.so\n',
        'conf.modules.d/00-proxy.conf': 'LoadModule proxy_module modules/mod_proxy.so\nLoadModule proxy_uwsgi_module modules/mod_proxy_uwsgi.so\n',
        'conf.modules.d/10-wsgi-python3.conf': '<IfModule !wsgi_module>\n    LoadModule wsgi_module modules/mod_wsgi.so\n</IfModule>\n',
        'conf.d/app.conf':
          '<VirtualHost *:80>\n    ServerName app.example\n    WSGIDaemonProcess app processes=2 threads=4\n    WSGIScriptAlias /w /srv/app.wsgi process-group=app\n    <Location /api>\n        ProxyPass "unix:/run/app.sock|uwsgi://localhost/"\n    </Location>\n</VirtualHost>\n',
      });
      fs.symlinkSync('/usr/lib/apache2/modules', path.join(rhel, 'modules'));
      jobs.push({ name: 'rhel-layout', dir: rhel, main: path.join(rhel, 'conf/httpd.conf'), defines: [], env: {} });
    }
    // mod_macro: definitions, Use with substitution (longest parameter first), nesting, UndefMacro
    {
      const dir = path.join(scratch, 'macro-tree');
      writeCase(dir, {
        'main.conf':
          'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\nLoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so\nLoadModule info_module /usr/lib/apache2/modules/mod_info.so\nLoadModule macro_module /usr/lib/apache2/modules/mod_macro.so\nServerName localhost\n' +
          '<Macro VHost $name $port $dir>\n  <VirtualHost *:$port>\n    ServerName $name\n\n    # comment in a macro\n    <Directory $dir>\n      Require all granted\n    </Directory>\n  </VirtualHost>\n</Macro>\n' +
          'Use VHost a.example 80 /srv/a\nUse VHost b.example 8080 "/srv/b"\n<Macro Outer $x>\n  <Macro Inner $y>\n    Timeout $y\n  </Macro>\n  Use Inner $x\n</Macro>\nUse Outer 42\nUndefMacro VHost\nInclude @DIR@/more.conf\n',
        'more.conf': '<macro lower $p>\nKeepAlive $p\n</macro>\nuse LOWER On\n',
      });
      jobs.push({ name: 'macro-tree', dir, main: path.join(dir, 'main.conf'), defines: [], env: {} });
    }
    for (const t of generateTrees(48)) {
      const dir = path.join(scratch, 'trees', t.name);
      writeCase(dir, t.files);
      jobs.push({ name: t.name, dir, main: path.join(dir, 'main.conf'), defines: t.defines, env: {} });
    }
    const results = await mapLimit(jobs, PARALLEL, async (j) => {
      const all = allCompatibleModules();
      const preload = new Map((j.preload ?? []).map((id) => [id, all.get(id) ?? '']));
      const conf = await runHttpdTest(j.main, { serverRoot: j.dir, defines: [...j.defines, 'DUMP_CONFIG'], env: j.env, modules: preload });
      const inc = await runHttpdTest(j.main, { serverRoot: j.dir, defines: [...j.defines, 'DUMP_INCLUDES'], env: j.env, modules: preload });
      const r = resolveApacheConfig(j.main, { gate: ReadGate.unrestricted(), serverRoot: j.dir, defines: j.defines, env: j.env, ...(j.preload ? { loadedModules: j.preload } : {}) });
      const ourConf = dumpApacheConfig(r);
      const ourInc = dumpApacheIncludes(r);
      // an invalid tree prints no dump: then the verdicts must match instead
      const same =
        conf.ok && inc.ok
          ? !r.httpdError && ourConf === conf.stdout && ourInc === inc.stdout
          : !!r.httpdError && r.httpdError.message === conf.message && r.httpdError.location.range.end.line === conf.line;
      if (!same) {
        console.log(`RESOLUTION DIFF ${j.name}: httpd ok=${conf.ok} ${conf.message ?? ''} ours error=${r.httpdError?.message ?? 'none'}`);
        if (ourConf !== conf.stdout) console.log(firstDiff(conf.stdout, ourConf));
        if (ourInc !== inc.stdout) console.log(firstDiff(inc.stdout, ourInc));
      }
      return { same, dumped: conf.ok && inc.ok, lines: conf.stdout.split('\n').length };
    });
    summary.resolution = `${results.filter((x) => x.same).length}/${results.length}`;
    summary['(dumps compared'] = `${results.filter((x) => x.dumped).length}, ${results.reduce((a, x) => a + (x.dumped ? x.lines : 0), 0)} DUMP_CONFIG lines)`;
    Object.assign(figures, { resolution: summary.resolution, dumpConfigLines: results.reduce((a, x) => a + (x.dumped ? x.lines : 0), 0) });
    expect(results.every((x) => x.same)).toBe(true);
  }, 600000);
});

function firstDiff(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `  line ${i + 1}\n  httpd: ${JSON.stringify(la.slice(Math.max(0, i - 2), i + 3))}\n  ours:  ${JSON.stringify(lb.slice(Math.max(0, i - 2), i + 3))}`;
  }
  return '  (no line differs)';
}
