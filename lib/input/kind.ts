/**
 * Which language a file is in, decided by name first and content second, the way operators name
 * things and keep them in git:
 *   - uWSGI ini: `*.ini` with a `[uwsgi]` section (or uWSGI keys), `uwsgi`, `*.uwsgi`;
 *   - Apache: `*.conf`, `apache2.conf`, `httpd.conf`, `.htaccess`, files under `sites-*`, `conf.d`,
 *     `conf-*`, `mods-*`, `conf.modules.d`, and any file whose text is Apache directives;
 *   - the units that start uWSGI: systemd `*.service` files whose ExecStart runs uwsgi, and
 *     supervisor `[program:x]` sections whose command runs uwsgi;
 *   - templates of any of those: a template suffix (`.j2`, `.jinja`, `.jinja2`, `.erb`, `.epp`,
 *     `.template`, `.tmpl`, `.tpl`, `.in`) is taken off and the rest of the name decides, then the
 *     text (kolla's `wsgi-keystone.conf.j2`, openstack-ansible's `glance-uwsgi.ini.j2`, devstack's
 *     `apache-keystone.template`, puppet's `*.erb`); template markup in the text marks a template too;
 *   - shell scripts that write those (devstack's `lib/apache`: `iniset FILE uwsgi KEY VALUE`,
 *     `echo "ProxyPass ..." | sudo tee -a FILE`): `*.sh`, a `#!` line naming sh or bash, or an
 *     extensionless file under `lib/` or `devstack/` that starts like a script, holding such a write.
 * Only this module decides kinds: discovery, lint() and the language server all ask it.
 */
import * as path from 'path';

export type InputKind = 'uwsgi-ini' | 'apache' | 'systemd-unit' | 'supervisor' | 'shell-script';

/** What a file is: its language, and whether it is a template of it. */
export interface KindDecision {
  kind: InputKind;
  /** The name (a template suffix) or the text (markup) says the file is a template. */
  template: boolean;
}

/** A `[uwsgi]` header line (a comment may follow the `]`). */
const UWSGI_SECTION = /^[ \t]*\[uwsgi\][ \t\r]*(?:[;#].*)?$/m;
const APACHE_HINT = /^[ \t]*(<\/?(VirtualHost|Location|Directory|IfModule|Proxy)\b|(ProxyPass|WSGIScriptAlias|WSGIDaemonProcess|ServerName|Listen|LoadModule|Include|SetEnv|DocumentRoot|ErrorLog|Alias|RewriteRule)\b)/im;
/**
 * An Apache directive or section tag at the start of a line, in words httpd configs use and other
 * `.conf` dialects (nginx, supervisord, systemd, ini) do not: the stricter test for walked files.
 */
const APACHE_CONTENT =
  /^[ \t]*(?:<\/?(?:VirtualHost|Directory|DirectoryMatch|Location|LocationMatch|Files|FilesMatch|IfModule|IfDefine|IfVersion|IfFile|Proxy|Macro)\b|(?:LoadModule|ServerName|ServerAlias|ServerRoot|DocumentRoot|ProxyPass|ProxyPassMatch|ProxyPassReverse|ProxyPreserveHost|WSGI[A-Za-z]+|RewriteEngine|RewriteRule|RewriteCond|Include|IncludeOptional|Define|Listen|ErrorLog|CustomLog|LogFormat|AllowOverride|Require|Options|SetEnv|SetEnvIf|RequestHeader|Header|Alias|AliasMatch|ScriptAlias|Redirect|RedirectMatch|DirectoryIndex|AddHandler|SetHandler|LimitRequestBody|Timeout|KeepAlive|SSLEngine|SSLCertificateFile|Order|Allow|Deny|Satisfy|AuthType|ExpiresActive|AddType|AddDefaultCharset|ErrorDocument|OIDC[A-Za-z0-9]+|Mellon[A-Za-z0-9]+|Shib[A-Za-z0-9]+)[ \t])/m;
const APACHE_DIR = /^sites-(available|enabled)$|^conf\.d$|^conf-(available|enabled)$|^mods-(available|enabled)$|^conf\.modules\.d$/;
/** Options that mark an ini file as meant for uWSGI even when its section is misspelt. */
const UWSGI_KEYS = /^[ \t]*(module|wsgi-file|wsgi|http-socket|uwsgi-socket|socket|master|processes|die-on-term|harakiri|buffer-size|socket-timeout|callable|mount|http-chunked-input)[ \t]*=/m;
/** A systemd unit that starts uWSGI (ExecStart may carry `-`, `@`, `+` prefixes and a path). */
const SYSTEMD_UWSGI = /^[ \t]*ExecStart[ \t]*=[^\n]*\buwsgi\b/m;
const SYSTEMD_UNIT = /^[ \t]*\[(Unit|Service|Install)\][ \t]*$/m;
/** A supervisor program that runs uWSGI. */
const SUPERVISOR_UWSGI = /^[ \t]*\[program:[^\]\n]+\][^[]*?^[ \t]*command[ \t]*=[^\n]*\buwsgi\b/m;

/** A `#!` line naming a Bourne-style shell. */
const SHELL_SHEBANG = /^#![ \t]*\S*\/(env[ \t]+)?(ba|da|k|z)?sh\b/;
/** Directories whose extensionless files may be shell libraries (devstack's `lib/apache`, a plugin's `devstack/lib/x`). */
const SCRIPT_DIR = /^(lib|devstack)$/;
/**
 * A write of a uWSGI option or an Apache line, looked for line by line on at most the first
 * megabyte (the shell reader in lib/templates/shell decides exactly). Each step is one linear
 * search from where the previous one matched: one pattern with `[^\n]*` between its parts would
 * backtrack polynomially on a long line of repeated words (30 KB took 13 s), and the text is the
 * repository's.
 */
const INISET = /\biniset\b/;
const INISET_UWSGI = /[ \t]["']?uwsgi["']?[ \t]/;
const ECHO = /\b(echo|printf)\b/;
const APACHE_WORD = /\b(ProxyPass|ProxyPassMatch|KeepAlive|SetEnv|WSGI[A-Za-z]+|Listen|Alias|LoadModule|<\/?(VirtualHost|Location|Directory|IfModule))\b/;
const TO_FILE = /\|[ \t]*(sudo[ \t]+)?tee\b|>/;

function writesConfig(text: string): boolean {
  for (const line of text.split('\n')) {
    const iniset = line.search(INISET);
    if (iniset >= 0 && INISET_UWSGI.test(line.slice(iniset))) return true;
    const echo = line.search(ECHO);
    if (echo < 0) continue;
    const rest = line.slice(echo);
    const word = rest.search(APACHE_WORD);
    if (word >= 0 && TO_FILE.test(rest.slice(word))) return true;
  }
  return false;
}

/** Is this a shell script, by its name or its `#!` line? */
export function isShellScript(filePath: string, text: string | undefined): boolean {
  const base = path.basename(filePath).toLowerCase();
  if (/\.(sh|bash)$/.test(base)) return true;
  return text !== undefined && SHELL_SHEBANG.test(text.slice(0, 256));
}

/** A shell script that writes uWSGI options or Apache lines: read through the shell-writer reader. */
export function isShellWriter(filePath: string, text: string | undefined): boolean {
  if (text === undefined) return false;
  const base = path.basename(filePath).toLowerCase();
  const dirs = filePath.split(/[\\/]/).slice(0, -1).map((s) => s.toLowerCase());
  // devstack's libraries have no extension and a `#!/bin/bash` line (or none: then functions decide)
  const script = isShellScript(filePath, text) || (path.extname(base) === '' && SCRIPT_DIR.test(dirs[dirs.length - 1] ?? '') && /^[ \t]*(function[ \t]+[A-Za-z_][\w:-]*|[A-Za-z_][\w:-]*[ \t]*\([ \t]*\))[ \t]*\{?[ \t]*$/m.test(text.slice(0, 1 << 20)));
  return script && writesConfig(text.length > 1 << 20 ? text.slice(0, 1 << 20) : text);
}

/** Suffixes that make a file a template of what the rest of its name says. */
const TEMPLATE_SUFFIX = /\.(j2|jinja|jinja2|erb|epp|template|tmpl|tpl|in)$/i;
/**
 * Template markup a file's text may hold (cheap, for discovery; the template layer decides exactly):
 * Jinja/Go `{{ }}` `{% %}`, ERB/EPP `<%`, devstack `%NAME%`, autoconf `@NAME@` / `@@NAME@@`.
 */
const TEMPLATE_MARKUP = /\{\{|\{%|<%[=#-]?\s|%[A-Z][A-Z0-9_]*%|@@?[A-Za-z_][A-Za-z0-9_]*@@?(?![\w.-]*\.[a-z]{2,})/;

/** The file name without its template suffixes (`glance-uwsgi.ini.j2` -> `glance-uwsgi.ini`). */
export function templateInnerName(base: string): { name: string; template: boolean } {
  let name = base;
  let template = false;
  while (TEMPLATE_SUFFIX.test(name)) {
    name = name.replace(TEMPLATE_SUFFIX, '');
    template = true;
  }
  return { name, template };
}

export function hasTemplateMarkup(text: string): boolean {
  return TEMPLATE_MARKUP.test(text.length > 1 << 20 ? text.slice(0, 1 << 20) : text);
}

function launcherKind(base: string, text: string): InputKind | null {
  if (/\.service$/.test(base) && SYSTEMD_UNIT.test(text) && SYSTEMD_UWSGI.test(text)) return 'systemd-unit';
  if (SUPERVISOR_UWSGI.test(text)) return 'supervisor';
  return null;
}

/** Kind of a file given by name (on the command line, by an editor): the name first, then the text. */
export function detectInputKind(filePath: string, text: string | undefined): InputKind | null {
  return decideNamedKind(filePath, text)?.kind ?? null;
}

export function decideNamedKind(filePath: string, text: string | undefined): KindDecision | null {
  const { name: base, template: byName } = templateInnerName(path.basename(filePath.replace(/:[^/:]*$/, '')).toLowerCase());
  const sample = text === undefined ? undefined : text.slice(0, 1 << 20);
  const template = byName || (sample !== undefined && hasTemplateMarkup(sample));
  const decided = (kind: InputKind): KindDecision => ({ kind, template });
  if (sample !== undefined && isShellWriter(filePath, sample)) return { kind: 'shell-script', template: false };
  if (sample !== undefined && isShellScript(filePath, sample)) return null;
  if (sample !== undefined) {
    const launcher = launcherKind(base, sample);
    if (launcher) return decided(launcher);
    if (UWSGI_SECTION.test(sample)) return decided('uwsgi-ini');
  }
  if (/\.ini$/.test(base) || base === 'uwsgi' || base.endsWith('.uwsgi')) {
    return decided(sample === undefined || UWSGI_SECTION.test(sample) || !APACHE_HINT.test(sample) ? 'uwsgi-ini' : 'apache');
  }
  if (base === 'apache2.conf' || base === 'httpd.conf' || base === '.htaccess' || /\.(conf|vhost|load)$/.test(base)) return decided('apache');
  if (/(^|\/)(sites-(available|enabled)|conf\.d|conf-(available|enabled)|mods-(available|enabled)|conf\.modules\.d)\//.test(filePath)) return decided('apache');
  if (sample !== undefined && APACHE_HINT.test(sample)) return decided('apache');
  return null;
}

/**
 * Stricter test for files met during a directory walk, where a repository also holds tox.ini,
 * pytest.ini, nginx.conf, unrelated templates or units: an `.ini` needs a `[uwsgi]` section, a
 * `.conf` outside Apache's directories needs an Apache directive, a unit must start uWSGI.
 */
export function detectWalkedKind(filePath: string, text: string): InputKind | null {
  return decideWalkedKind(filePath, text)?.kind ?? null;
}

export function decideWalkedKind(filePath: string, text: string): KindDecision | null {
  const { name: base, template: byName } = templateInnerName(path.basename(filePath).toLowerCase());
  const template = byName || hasTemplateMarkup(text);
  const decided = (kind: InputKind): KindDecision => ({ kind, template });
  const ext = path.extname(base);
  if (base === '.htaccess' || base === 'apache2.conf' || base === 'httpd.conf') return decided('apache');
  // a script is read for the configs it writes, never as a config (a here-document of Apache lines is not one)
  if (isShellWriter(filePath, text)) return { kind: 'shell-script', template: false };
  // devstack's extensionless libraries are read only as writers (a `.template` beside them is not one of them)
  if (isShellScript(filePath, text) || (!byName && ext === '' && SCRIPT_DIR.test(filePath.split(/[\\/]/).slice(-2, -1)[0]?.toLowerCase() ?? ''))) return null;
  const launcher = launcherKind(base, text);
  if (launcher) return decided(launcher);
  if (UWSGI_SECTION.test(text)) return decided('uwsgi-ini');
  if (ext === '.ini' || ext === '.service') return null;
  if (APACHE_CONTENT.test(text)) return decided('apache');
  const dirs = filePath.split(/[\\/]/).slice(0, -1).map((s) => s.toLowerCase());
  // Files under Apache's own directories are Apache configs even when they hold only comments.
  if (dirs.some((s) => APACHE_DIR.test(s)) && (ext === '' || ext === '.conf' || ext === '.load')) return decided('apache');
  return null;
}

/**
 * A named file goes through lint()'s own kind detection, which goes by the name first. Tools such
 * as pre-commit pass every `*.ini` and `*.conf` of a commit, so a named `tox.ini` without a
 * `[uwsgi]` section or uWSGI options, or a `*.conf` without Apache directives (nginx.conf), is
 * counted as not recognised rather than linted as something it is not.
 */
export function plausibleWhenNamed(kind: InputKind, filePath: string, text: string): boolean {
  const ext = path.extname(templateInnerName(path.basename(filePath).toLowerCase()).name);
  if (kind === 'uwsgi-ini') return ext !== '.ini' || UWSGI_SECTION.test(text) || UWSGI_KEYS.test(text);
  if (kind === 'apache') return ext !== '.conf' || detectWalkedKind(filePath, text) === 'apache';
  return true;
}

/** Could this name hold a config worth reading? (Cheap test before reading a file during a walk.) */
export function worthReading(rel: string): boolean {
  const { name: base, template } = templateInnerName(path.basename(rel).toLowerCase());
  if (base === '.htaccess') return true;
  const ext = path.extname(base);
  if (ext === '.ini' || ext === '.conf' || ext === '.service' || ext === '.load' || ext === '.vhost') return true;
  // a template whose inner name has no extension (devstack's apache-keystone.template): the text decides
  if (template && ext === '') return true;
  // shell scripts, and devstack's extensionless libraries: the text decides (isShellWriter)
  if (ext === '.sh' || ext === '.bash') return true;
  const segments = rel.split(/[\\/]/).slice(0, -1).map((s) => s.toLowerCase());
  return ext === '' && (segments.some((s) => APACHE_DIR.test(s)) || SCRIPT_DIR.test(segments[segments.length - 1] ?? ''));
}
