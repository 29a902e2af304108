/**
 * Resolution: what uWSGI 2.0 builds from an ini, with exact origins (segments, locations,
 * include chains) and bounded, positioned findings for loops, missing files and runaway
 * placeholders. Expected values come from runs of the real uwsgi 2.0.21 (see the oracle test).
 */
import { ReadGate } from '../../lib/input/gate';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { printResolvedUwsgi, resolveUwsgiIni } from '../../lib/resolve/uwsgi-ini';
import type { ResolveUwsgiOptions, ResolvedUwsgiConfig } from '../../lib/resolve/uwsgi-ini';

let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-uwsgi-resolve-'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(scratch, name)), { recursive: true });
    fs.writeFileSync(path.join(scratch, name), text);
  }
}

function resolve(arg: string, options: ResolveUwsgiOptions = {}): ResolvedUwsgiConfig {
  return resolveUwsgiIni(arg, { cwd: scratch, ...options });
}

function pairs(config: ResolvedUwsgiConfig): string[] {
  return config.options.map((o) => `${o.key}=${o.uwsgiValue}`);
}

describe('resolveUwsgiIni', () => {
  it('if-hostname-match runs on RE2: unsupported or hostile patterns do not match and do not hang', () => {
    write({ 'h.ini': [
      '[uwsgi]',
      'if-hostname-match = ^web[0-9]+$', 'a = 1', 'endif =',
      'if-hostname-match = ^WEB', 'b = 1', 'endif =', // case-sensitive, as uWSGI's PCRE without options
      'if-hostname-match = ^(w)\\1', 'c = 1', 'endif =', // backreference: no match
      'if-not-hostname-match = ^(.?){30000}X$', 'd = 1', 'endif =',
      'if-hostname-match = ^(.?.?.?.?.?.?.?.?.?.?){60}X$', 'e = 1', 'endif =',
      '',
    ].join('\n') });
    const c = resolve('h.ini', { runtime: { hostname: 'web12' } });
    expect(pairs(c).filter((p) => /^[a-e]=/.test(p))).toEqual(['a=1', 'd=1']);
  });

  it('keeps repeated keys in order, quotes, inline ; and #, bare keys', () => {
    write({ 'a.ini': '[uwsgi]\nprocesses = 2\nq = "30"\nchdir = /srv ; note\nmaster\nprocesses=3\n' });
    const c = resolve('a.ini');
    expect(pairs(c)).toEqual(['processes=2', 'q="30"', 'chdir=/srv ; note', 'master=', 'processes=3']);
    const master = c.options[3];
    expect([master.value, master.bare, master.known]).toEqual(['true', true, true]);
    expect(c.fatal).toBeUndefined();
  });

  it('expands %(key) with the first value, $(ENV) from the given map, magic variables', () => {
    write({ 'sub/p.ini': '[uwsgi]\nbase = /srv/app\nbase = /other\nchdir = %(base)/x\nhome = $(HOME)|$(NOPE)\nd = %d|%n|%e|%c|%s|%x|%%|%Y.\n' });
    const c = resolve('sub/p.ini', { env: { HOME: '/root' } });
    expect(pairs(c)).toEqual([
      'base=/srv/app', 'base=/other', 'chdir=/srv/app/x', 'home=/root|$(NOPE)',
      `d=${scratch}/sub/|p|ini|sub|p.ini||%|.`,
    ]);
    const chdir = c.options[2];
    expect(chdir.rawValue).toBe('%(base)/x');
    expect(chdir.segments.map((s) => [s.text, s.via, s.expression])).toEqual([
      ['/srv/app', 'placeholder', '%(base)'],
      ['/x', 'literal', undefined],
    ]);
    // the placeholder points at where base's value was written, the literal at its own characters
    expect(chdir.segments[0].location?.range.start).toEqual({ line: 2, column: 8, offset: 15 });
    expect(chdir.segments[1].location?.range.start).toEqual({ line: 4, column: 16, offset: 53 });
    const d = c.options[4];
    expect(d.segments[0]).toMatchObject({ via: 'magic', expression: '%d', text: `${scratch}/sub/` });
    expect(d.segments[0].location?.range.start.column).toBe(5);
  });

  it('does arithmetic and concatenation in placeholders', () => {
    write({ 'm.ini': '[uwsgi]\nnum = 41\na = %(num + 1)\nb = %(num num)\nc = %(num / 0)\nd = %(x%(num))\n' });
    const m = resolve('m.ini');
    expect(pairs(m).slice(1)).toEqual(['a=42', 'b=4141', 'c=0', 'd=%(x41)']);
    expect(m.referencedKeys.sort()).toEqual(['num']);
  });

  it('glues the next line to a value ending in "%" and keeps positions in the original text', () => {
    write({ 'pct.ini': '[uwsgi]\nprint = 100%\nnext = line\nafter = 1\n' });
    const c = resolve('pct.ini');
    expect(pairs(c)).toEqual(['print=100next = line', 'after=1']);
    expect(c.options[1].keyLocation.range.start).toEqual({ line: 4, column: 1, offset: 33 });
    expect(c.findings.map((f) => f.ruleId)).toContain('ini-percent-joins-lines');
  });

  it('reads CRLF files and reports positions on the original lines', () => {
    write({ 'crlf.ini': '[uwsgi]\r\n  socket = 127.0.0.1:3031 \r\nmaster\r\n' });
    const c = resolve('crlf.ini');
    expect(pairs(c)).toEqual(['socket=127.0.0.1:3031', 'master=']);
    expect(c.options[0].valueLocation.range).toEqual({
      start: { line: 2, column: 12, offset: 20 }, end: { line: 2, column: 26, offset: 34 },
    });
  });

  it('selects sections: :name, repeated [uwsgi], case-sensitive, keys before the first header ignored', () => {
    write({ 's.ini': 'early = 1\n[uwsgi]\na = 1\n[UWSGI]\nb = 1\n[app]\nc = %x\n[uwsgi]\nd = 1\n' });
    expect(pairs(resolve('s.ini'))).toEqual(['a=1', 'd=1']);
    const app = resolve('s.ini:app');
    expect([app.section, app.argument, ...pairs(app)]).toEqual(['app', 's.ini:app', 'c=app']);
    const missing = resolve('s.ini:nope');
    expect(missing.options).toEqual([]);
    expect(missing.findings.map((f) => f.ruleId)).toContain('ini-section-not-found');
  });

  it('a BOM hides the first [uwsgi] header', () => {
    write({ 'bom.ini': '\ufeff[uwsgi]\nhidden = 1\n[uwsgi]\nshown = 1\n' });
    const c = resolve('bom.ini');
    expect(pairs(c)).toEqual(['shown=1']);
    expect(c.findings.find((f) => f.ruleId === 'ini-bom-hides-section')?.location.range.start.line).toBe(1);
  });

  it('includes in place with the chain of including lines; relative to the working directory', () => {
    write({
      'inc/main.ini': '[uwsgi]\na = 1\nini = inc/part.ini\nb = %(p)\ninclude = %dpart.ini:other\n',
      'inc/part.ini': '[uwsgi]\np = part-%n\n[other]\no = %x\n',
    });
    const c = resolve('inc/main.ini');
    expect(pairs(c)).toEqual(['a=1', 'ini=inc/part.ini', 'p=part-part', 'b=part-part', `include=${scratch}/inc/part.ini:other`, 'o=other']);
    const p = c.options[2];
    expect(p.file).toBe('inc/part.ini');
    expect(p.includedFrom.map((l) => [l.file, l.range.start.line])).toEqual([['inc/main.ini', 3]]);
    expect(c.files).toEqual(['inc/main.ini', 'inc/part.ini']);
    expect(c.options[1].role).toBe('include');
  });

  it('appends inherit at the end, unexpanded, and its scalars win', () => {
    write({ 'h.ini': '[uwsgi]\nlisten = 50\ninherit = tpl.ini\nx = 1\n', 'tpl.ini': '[uwsgi]\nlisten = 20\nt = %(x)$(HOME)\n' });
    const c = resolve('h.ini', { env: { HOME: '/root' } });
    expect(pairs(c)).toEqual(['listen=50', 'inherit=tpl.ini', 'x=1', 'listen=20', 't=%(x)$(HOME)']);
    expect(c.options.slice(3).every((o) => o.inherited)).toBe(true);
  });

  it('runs logic blocks: if-env, if-not-env, for, and leaves heads and ends in the list', () => {
    write({ 'l.ini': '[uwsgi]\nif-env = APP\na = %(_)\nendif\nif-env = NOPE\nb = 1\nendif =\nfor = x y\nf = %(_)\nendfor\nif-not-env = NOPE\nc = %(_)\nend\n' });
    const c = resolve('l.ini', { env: { APP: '/srv' } });
    expect(pairs(c)).toEqual(['if-env=APP', 'a=/srv', 'endif=', 'if-env=NOPE', 'endif=', 'for=x y', 'f=x', 'f=y', 'endfor=', 'if-not-env=NOPE', 'c=%(_)', 'end=']);
    expect(c.options[1].segments[0]).toMatchObject({ via: 'logic', expression: '%(_)', text: '/srv' });
  });

  it('reports nested logic and an unterminated block', () => {
    write({ 'n.ini': '[uwsgi]\nif-env = A\nif-env = B\nx = 1\n', 'u.ini': '[uwsgi]\nif-env = A\nx = 1\n' });
    const nested = resolve('n.ini', { env: { A: '1', B: '1' } });
    expect(nested.fatal?.message).toMatch(/recursive logic/);
    expect(nested.findings.find((f) => f.ruleId === 'logic-nested')?.location.range.start.line).toBe(3);
    const open = resolve('u.ini', { env: { A: '1' } });
    expect(open.findings.find((f) => f.ruleId === 'logic-unterminated')?.location.range.start.line).toBe(2);
  });

  it('stops an include loop with a positioned finding', () => {
    write({ 'loop1.ini': '[uwsgi]\nini = loop2.ini\n', 'loop2.ini': '[uwsgi]\na = 1\nini = loop1.ini\n' });
    const c = resolve('loop1.ini');
    const f = c.findings.find((x) => x.ruleId === 'include-loop');
    expect(f ? { file: f.location.file, range: f.location.range } : undefined).toEqual({ file: 'loop2.ini', range: { start: { line: 3, column: 7, offset: 20 }, end: { line: 3, column: 16, offset: 29 } } });
    expect(c.fatal).toBeDefined();
    expect(pairs(c)).toEqual(['ini=loop2.ini', 'a=1', 'ini=loop1.ini']);
  });

  it('reports a missing or unreadable include and a missing root file', () => {
    write({ 'mi.ini': '[uwsgi]\nini = nothere.ini\ninclude = adir.ini\n' });
    fs.mkdirSync(path.join(scratch, 'adir.ini'), { recursive: true });
    const c = resolve('mi.ini');
    const found = c.findings.filter((f) => f.ruleId === 'include-not-found');
    expect(found.map((f) => [f.location.range.start.line, f.location.range.start.column])).toEqual([[2, 7], [3, 11]]);
    expect(found[0].message).toMatch(/working directory/);
    const root = resolve('absent.ini');
    expect(root.findings[0]).toMatchObject({ ruleId: 'include-not-found', severity: 'error' });
    expect(root.options).toEqual([]);
  });

  it('does not read includes outside the read gate\'s roots', () => {
    write({ 'ar/app.ini': '[uwsgi]\nini = /etc/passwd\nx = @(/etc/hostname)\nini = ar/ok.ini\n', 'ar/ok.ini': '[uwsgi]\nok = 1\n' });
    const c = resolve('ar/app.ini', { gate: new ReadGate({ roots: [path.join(scratch, 'ar')] }) });
    expect(c.files).toEqual(['ar/app.ini', 'ar/ok.ini']);
    expect(c.findings.filter((f) => f.ruleId === 'include-outside').map((f) => f.location.range.start.line)).toEqual([2, 3]);
    expect(pairs(c)).toContain('ok=1');
  });

  it('knows shared-socket references and reloads', () => {
    write({ 'sh.ini': '[uwsgi]\nsocket = =0\n', 'sh2.ini': '[uwsgi]\nshared-socket = 127.0.0.1:3031\nsocket = =0\n', 'rl.ini': '[uwsgi]\nif-reload\nr = 1\nendif\n' });
    expect(resolve('sh.ini').fatal?.message).toBe('unable to use shared socket 0');
    expect(resolve('sh2.ini').fatal).toBeUndefined();
    expect(pairs(resolve('rl.ini'))).toEqual(['if-reload=', 'endif=']);
    expect(pairs(resolve('rl.ini', { env: { UWSGI_RELOADS: '1' } }))).toEqual(['if-reload=', 'r=1', 'endif=']);
  });

  it('does not block on a FIFO include', () => {
    write({ 'fifo/app.ini': '[uwsgi]\nini = fifo/pipe.ini\nx = @(fifo/pipe.ini)\n' });
    spawnSync('mkfifo', [path.join(scratch, 'fifo/pipe.ini')]);
    const c = resolve('fifo/app.ini');
    expect(c.findings.filter((f) => f.ruleId === 'include-not-found').map((f) => f.location.range.start.line)).toEqual([2, 3]);
  });

  it('bounds a self-referencing placeholder', () => {
    write({ 'self.ini': '[uwsgi]\nbase = x%(base)\nother = 1\n' });
    const c = resolve('self.ini');
    const f = c.findings.find((x) => x.ruleId === 'placeholder-self-reference');
    expect(f?.location.range.start).toEqual({ line: 2, column: 8, offset: 15 });
    expect(c.fatal).toBeDefined();
    expect(c.options[1].uwsgiValue).toBe('1');
  });

  it('strict mode makes unknown keys fatal, with the key position', () => {
    write({ 'st.ini': '[uwsgi]\nstrict = true\nsocket_timeout = 30\n' });
    const c = resolve('st.ini');
    expect(c.strict).toBe(true);
    expect(c.findings.find((f) => f.ruleId === 'strict-unknown-option')?.location.range.start.line).toBe(3);
    expect(c.fatal?.message).toMatch(/unknown config directive: socket_timeout/);
  });

  it('knows plugin options only when the plugin is loaded (python3 on Debian gives python options)', () => {
    write({ 'pl.ini': '[uwsgi]\nmodule = app:application\nplugins = python3,http\nhttp-chunked-input = true\n' });
    const c = resolve('pl.ini');
    expect(c.loadedPlugins.sort()).toEqual(['http', 'python']);
    expect(c.options.map((o) => o.known)).toEqual([true, true, true]);
    const bare = resolve('pl.ini', { availablePlugins: ['python3'] });
    expect(bare.options[2].known).toBe(false);
    expect(bare.findings.find((f) => f.ruleId === 'plugin-not-found')?.severity).toBe('warning');
  });

  it('prints what uwsgi --show-config prints', () => {
    write({ 'sc.ini': '[uwsgi]\nmaster\nprocesses = %(n)\nn = 4\ninherit = tpl2.ini\n', 'tpl2.ini': '[uwsgi]\nt = 1\n' });
    const c = resolve('sc.ini', { commandLine: { before: [{ key: 'show-config', value: null }], after: [{ key: 'clock', value: 'x' }] } });
    expect(printResolvedUwsgi(c)).toBe(
      '\n;uWSGI instance configuration\n[uwsgi]\nshow-config = true\nini = sc.ini\nmaster = \nprocesses = 4\nn = 4\ninherit = tpl2.ini\nclock = x\nt = 1\n;end of configuration\n\n',
    );
  });

  it('resolves text given directly and never throws on junk', () => {
    const c = resolve('stdin.ini', { text: '\0\0[uwsgi\n%\n%(\n$(\n@(\n=\n[uwsgi]\n%' });
    expect(Array.isArray(c.options)).toBe(true);
  });
});
