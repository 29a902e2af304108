/**
 * Generated uWSGI ini cases for the show-config oracle: each case is a small directory (the root ini,
 * maybe included files, templates and @() files) plus an environment. A seeded generator mixes the
 * features whose reading is easy to get wrong: placeholders (incl. arithmetic and nesting), magic
 * variables, $(ENV), @(file), includes by every form, inherit, sections, logic blocks, comments,
 * odd spacing, duplicate keys, CRLF, BOM, lone CR, NUL, "%" at line end, no final newline.
 *
 * Left out on purpose, because uWSGI itself does not terminate or is not deterministic: %t/%T
 * (time), self-referencing placeholders and include loops (uWSGI loops or crashes; unit tests
 * cover deploylint's bounded handling), and options whose setters exit on bad values.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface GeneratedCase {
  name: string;
  /** Files relative to the case directory. */
  files: Record<string, string | Buffer>;
  /** The `--ini` argument (relative to the case directory, which is uWSGI's cwd; `@DIR@` stands for that directory). */
  argument: string;
  env: Record<string, string>;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  constructor(private readonly rnd: () => number) {}
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

/** Options whose setters accept any text without exiting, in core (no plugin needed). */
const SAFE_OPTIONS = [
  'processes', 'workers', 'threads', 'master', 'harakiri', 'buffer-size', 'socket-timeout', 'post-buffering',
  'vacuum', 'die-on-term', 'enable-threads', 'thunder-lock', 'lazy-apps', 'max-requests', 'add-header',
  'env', 'chdir', 'http-socket', 'socket', 'uwsgi-socket', 'limit-post', 'need-app', 'memory-report',
  'procname-prefix', 'pidfile', 'touch-reload', 'listen', 'umask', 'mount',
  'manage-script-name', 'log-x-forwarded-for', 'disable-logging', 'reload-mercy', 'worker-reload-mercy', 'module', 'pythonpath',
];
const CUSTOM_KEYS = ['base', 'name', 'app_root', 'num', 'proj', 'x', 'socket_timeout', 'enabled-threads', 'Master'];
const MAGIC = ['%d', '%n', '%p', '%s', '%e', '%c', '%x', '%o', '%0', '%1', '%2', '%i', '%j', '%V', '%k', '%u', '%U', '%g',
  '%G', '%h', '%v', '%b', '%O', '%P', '%S', '%D', '%C', '%E', '%N', '%X', '%I', '%J', '%%', '%Y', '%q', '%[', '%-', '%.'];
const ENV_NAMES = ['APP_HOME', 'PORT', 'EMPTY', 'UNSET_VAR', 'HOME'];
const WORDS = ['/srv/app', '127.0.0.1:0', 'app.wsgi:application', '42', '8192', 'true', 'false', 'off', '0', '"quoted value"',
  "'single'", 'a b  c', 'x=y', 'value ; not a comment', 'value # not a comment', '', 'X-Test: 1', '/tmp/dl.sock'];

function value(g: Gen, defined: string[]): string {
  const parts: string[] = [];
  const n = 1 + g.int(3);
  for (let i = 0; i < n; i++) {
    const r = g.int(10);
    if (r < 3) parts.push(g.pick(WORDS));
    else if (r < 5 && defined.length) parts.push(`%(${g.pick(defined)})`);
    else if (r === 5) parts.push(g.pick(MAGIC));
    else if (r === 6) parts.push(`$(${g.pick(ENV_NAMES)})`);
    else if (r === 7 && defined.length >= 1) parts.push(g.pick([`%(${g.pick(defined)} + 1)`, `%(${g.pick(defined)} ${g.pick(defined)})`, `%(num * 2)`, `%(${g.pick(defined)} ++)`, '%(nope)', '%()', '%(a(b))']));
    else if (r === 8) parts.push(g.pick(['%(x%(base))', '%(_)', '$(X:-d)', '@(data.txt)', '%%(base)', '%(', ')']));
    else parts.push(g.pick(['-', '/', ':', ',', ' ', '=']));
  }
  return parts.join('');
}

function entryLine(g: Gen, key: string, val: string): string {
  const form = g.int(8);
  if (form === 0) return `${key}=${val}`;
  if (form === 1) return `  ${key}\t=\t${val}  `;
  if (form === 2) return `${key} =${val}`;
  if (form === 3 && val === '') return key;
  if (form === 4) return `\t${key} = ${val}\t`;
  return `${key} = ${val}`;
}

function body(g: Gen, lines: string[], defined: string[], opts: { allowLogic: boolean; allowIncludes: boolean; includeTargets: string[] }): void {
  const count = 3 + g.int(12);
  let inLogic = false;
  for (let i = 0; i < count; i++) {
    const r = g.int(20);
    if (r < 7) {
      const key = g.chance(0.6) ? g.pick(SAFE_OPTIONS) : g.pick(CUSTOM_KEYS);
      lines.push(entryLine(g, key, value(g, defined)));
      if (!defined.includes(key)) defined.push(key);
    } else if (r === 7) {
      lines.push(g.pick(['master', 'vacuum', 'die-on-term', 'enable-threads', 'lazy-apps']));
    } else if (r === 8) {
      lines.push(g.pick(['; comment', '# comment', '   ; indented', '\t# tab comment %d', ';', '#[uwsgi]', '; %(base) $(HOME)']));
    } else if (r === 9) {
      lines.push(g.pick(['', '   ', '\t']));
    } else if (r === 10 && opts.allowIncludes && opts.includeTargets.length) {
      const target = g.pick(opts.includeTargets);
      lines.push(g.pick([`ini = ${target}`, `include = ${target}`, `ini = %d${target}`, `inherit = ${target}`, `ini = ${target}:extra`, 'ini = :other', 'ini = :extra', `inherit = %(base)`]));
    } else if (r === 11 && opts.allowLogic && !inLogic) {
      const head = g.pick([
        'if-env = APP_HOME', 'if-env = UNSET_VAR', 'if-not-env = UNSET_VAR', 'if-not-env = APP_HOME', 'if-env = PORT=0',
        'if-env = PORT=8080', 'if-opt = base', 'if-opt = processes=4', 'if-not-opt = nothing', 'if-exists = data.txt',
        'if-not-exists = nothing.txt', 'if-dir = /tmp', 'if-file = data.txt', 'for = a b  c', 'for-times = 3',
        'if-not-reload', 'if-reload', 'for-readline = data.txt', 'if-hostname = nohost', 'if-not-hostname = nohost',
        'for-glob = *.txt', 'for-glob = sub/*', 'for-glob = nomatch*', 'for-glob = *', 'if-not-dir = sub', 'if-plugin = python',
      ]);
      lines.push(head);
      inLogic = true;
    } else if (r === 12 && inLogic) {
      lines.push(g.pick(['endif', 'endfor', 'end', 'end-if', 'end-for', 'endif =']));
      inLogic = false;
    } else if (r === 13) {
      const name = g.pick(['ph', 'root', 'num']);
      lines.push(`${g.pick(['set-placeholder', 'set-ph'])} = ${name}=${value(g, defined)}`);
      if (!defined.includes(name)) defined.push(name);
    } else if (r === 14) {
      lines.push(entryLine(g, g.pick(['env', 'add-header', 'mount', 'plugins']), value(g, defined)));
    } else if (r === 15) {
      lines.push(`${g.pick(CUSTOM_KEYS)} = ${g.pick(['100%', 'x%', '50%%', 'ends with percent %'])}`);
    } else if (r === 16) {
      lines.push(g.pick(['a=b=c', '= novalue', '=', 'key with spaces = v', 'k = v = w', 'listen = %(num)', 'print = %(base)', 'strict = true', 'strict = false', 'chmod-socket = 660', 'chmod-socket = 0660', 'chmod-socket', 'socket =', 'else', 'exit = 3']));
    } else if (r === 17) {
      lines.push(`num = ${g.int(100)}`);
      if (!defined.includes('num')) defined.push('num');
    } else {
      lines.push(entryLine(g, 'base', g.pick(['/srv/app', '%d', '/opt/%n', '$(APP_HOME)', '%(app_root)/x'])));
      if (!defined.includes('base')) defined.push('base');
    }
  }
}

function joinLines(g: Gen, lines: string[]): string {
  const crlf = g.chance(0.15);
  let text = lines.join(crlf ? '\r\n' : '\n');
  if (!g.chance(0.1)) text += crlf ? '\r\n' : '\n';
  if (g.chance(0.03)) text = text.replace('\n', '\r');
  return text;
}

export function generateCases(count: number, seed = 20261122): GeneratedCase[] {
  const cases: GeneratedCase[] = [];
  for (let k = 0; k < count; k++) {
    const g = new Gen(mulberry32(seed + k * 7919));
    const defined: string[] = [];
    const files: Record<string, string | Buffer> = {};
    files['data.txt'] = g.pick(['data\n', 'line1\nline2\n', 'no-newline', 'two\n\n']);
    const includeTargets: string[] = [];
    const nIncludes = g.int(3);
    for (let i = 0; i < nIncludes; i++) {
      const name = g.pick(['inc.ini', 'sub/inc.ini', 'tpl.ini', 'other.ini']);
      if (includeTargets.includes(name)) continue;
      includeTargets.push(name);
    }
    includeTargets.forEach((target, index) => {
      const lines = ['[uwsgi]'];
      // an included file may include the ones after it (never itself or an earlier one: no loops)
      const later = includeTargets.slice(index + 1);
      body(g, lines, defined, { allowLogic: true, allowIncludes: later.length > 0, includeTargets: later });
      if (g.chance(0.5)) {
        lines.push('[extra]');
        body(g, lines, defined, { allowLogic: false, allowIncludes: false, includeTargets: [] });
      }
      files[target] = joinLines(g, lines);
    });
    const lines: string[] = [];
    if (g.chance(0.15)) lines.push(entryLine(g, 'before', 'section'));
    const sectionName = g.chance(0.1) ? 'app' : 'uwsgi';
    lines.push(g.chance(0.1) ? ` [${sectionName}] ` : `[${sectionName}]`);
    body(g, lines, defined, { allowLogic: true, allowIncludes: true, includeTargets });
    if (g.chance(0.3)) {
      lines.push(g.pick(['[other]', '[UWSGI]', '[ uwsgi ]', '[uwsgi', '[]']));
      body(g, lines, defined, { allowLogic: false, allowIncludes: false, includeTargets: [] });
    }
    if (g.chance(0.3)) {
      lines.push(`[${sectionName}]`);
      body(g, lines, defined, { allowLogic: true, allowIncludes: true, includeTargets });
    }
    let text = joinLines(g, lines);
    if (g.chance(0.05)) text = `\ufeff${text}`;
    if (g.chance(0.03)) text = text.replace(/\n([a-z])/, '\n$1\0junk');
    const rootName = g.pick(['app.ini', 'uwsgi.ini', 'conf.d/site.ini', 'x.y.ini']);
    files[rootName] = text;
    if (g.chance(0.2)) files['b.txt'] = 'b\n';
    // how the file is named on the command line changes %o %p %e (uWSGI does not normalise paths)
    const named = g.pick([rootName, rootName, `./${rootName}`, `@DIR@/${rootName}`, `@DIR@//${rootName}`]);
    const env: Record<string, string> = { APP_HOME: '/srv/home', PORT: g.pick(['8080', '0']), EMPTY: '' };
    if (g.chance(0.5)) env.HOME = '/root';
    // UWSGI_* variables become options ahead of the command line
    if (g.chance(0.1)) env.UWSGI_PROCESSES = String(1 + g.int(8));
    if (g.chance(0.05)) env.UWSGI_CUSTOM_KEY = '%(base)';
    if (g.chance(0.05)) env.UWSGI_RELOADS = '1';
    cases.push({ name: `gen-${String(k).padStart(3, '0')}`, files, argument: sectionName === 'uwsgi' ? named : `${named}:${sectionName}`, env });
  }
  return cases;
}

export function writeCase(dir: string, c: GeneratedCase): void {
  for (const [name, content] of Object.entries(c.files)) {
    const full = path.join(dir, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
}

/**
 * Mutants of a real config: the same options under the reading hazards of section 1 of
 * uwsgi-facts.md (CRLF, BOM, "%" at a line end, a second [uwsgi], no final newline, a lone CR,
 * inline ; and #, the file read through `ini = :section` of another section).
 */
export function mutateConfig(text: string, seed: number): Array<{ name: string; text: string }> {
  const g = new Gen(mulberry32(seed));
  const lines = text.split('\n');
  const pickLine = (): number => g.int(lines.length);
  const mutants: Array<{ name: string; text: string }> = [];
  mutants.push({ name: 'crlf', text: lines.map((l) => (l.endsWith('\r') ? l : `${l}\r`)).join('\n').replace(/\r$/, '') });
  const edits: Array<[string, () => string]> = [
    ['bom', () => `\ufeff${text}`],
    ['percent-eol', () => { const c = [...lines]; const i = pickLine(); c[i] = `${c[i]}%`; return c.join('\n'); }],
    ['second-section', () => `${text}\n[uwsgi]\nextra-key = %(extra-key)x\nprocesses = 3\n`],
    ['no-final-newline', () => text.replace(/\n+$/, '')],
    ['lone-cr', () => { const c = [...lines]; const i = pickLine(); c[i] = `${c[i]}\rglued = 1`; return c.join('\n'); }],
    ['inline-comments', () => lines.map((l) => (/^\s*[\w-]+\s*=/.test(l) ? `${l} ; note # more` : l)).join('\n')],
    ['moved-section', () => `[uwsgi]\nini = :real\n${text.replace(/^([ \t]*)\[uwsgi\]/m, '$1[real]')}`],
    ['indented', () => lines.map((l) => `\t ${l}  `).join('\n')],
    ['magic', () => `${text}\n[uwsgi]\nmagic = %d|%n|%e|%c|%s|%0|%1|%%|%Z\nref = %(magic)\n`],
  ];
  for (let k = 0; k < 2; k++) {
    const [name, edit] = edits[g.int(edits.length)];
    if (mutants.some((m) => m.name === name)) continue;
    mutants.push({ name, text: edit() });
  }
  return mutants;
}
