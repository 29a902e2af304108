/**
 * Which language a file is in, decided by name first and content second, the way operators name
 * things: `*.ini` with a `[uwsgi]` section is uWSGI; `*.conf`, `apache2.conf`, `httpd.conf`, files
 * under `sites-*`/`conf.d`/`conf-*`/`mods-*`, `.htaccess` are Apache.
 */
import * as path from 'path';

export type InputKind = 'uwsgi-ini' | 'apache';

/** A `[uwsgi]` header line (uWSGI takes the rest of a header line after `]` as nothing: a comment may follow). */
const UWSGI_SECTION = /^[ \t]*\[uwsgi\][ \t\r]*(?:[;#].*)?$/m;
const APACHE_HINT = /^[ \t]*(<\/?(VirtualHost|Location|Directory|IfModule|Proxy)\b|(ProxyPass|WSGIScriptAlias|WSGIDaemonProcess|ServerName|Listen|LoadModule|Include|SetEnv|DocumentRoot|ErrorLog|Alias|RewriteRule)\b)/im;

export function detectInputKind(filePath: string, text: string | undefined): InputKind | null {
  const base = path.basename(filePath.replace(/:[^/:]*$/, '')).toLowerCase();
  const sample = text === undefined ? undefined : text.slice(0, 1 << 20);
  if (sample !== undefined && UWSGI_SECTION.test(sample)) return 'uwsgi-ini';
  if (/\.ini(\.j2|\.template|\.in)?$/.test(base) || base === 'uwsgi' || base.endsWith('.uwsgi')) {
    return sample === undefined || UWSGI_SECTION.test(sample) || !APACHE_HINT.test(sample) ? 'uwsgi-ini' : 'apache';
  }
  if (base === 'apache2.conf' || base === 'httpd.conf' || base === '.htaccess' || /\.(conf|conf\.j2|conf\.in|template|vhost|load)$/.test(base)) return 'apache';
  if (/(^|\/)(sites-(available|enabled)|conf\.d|conf-(available|enabled)|mods-(available|enabled)|conf\.modules\.d)\//.test(filePath)) return 'apache';
  if (sample !== undefined && APACHE_HINT.test(sample)) return 'apache';
  return null;
}

// An Apache directive or section tag at the start of a line, in words httpd configs use and other
// `.conf` dialects (nginx, supervisord, systemd, ini) do not.
const APACHE_CONTENT =
  /^[ \t]*(?:<\/?(?:VirtualHost|Directory|DirectoryMatch|Location|LocationMatch|Files|FilesMatch|IfModule|IfDefine|IfVersion|IfFile|Proxy|Macro)\b|(?:LoadModule|ServerName|ServerAlias|ServerRoot|DocumentRoot|ProxyPass|ProxyPassMatch|ProxyPassReverse|ProxyPreserveHost|WSGI[A-Za-z]+|RewriteEngine|RewriteRule|RewriteCond|Include|IncludeOptional|Define|Listen|ErrorLog|CustomLog|LogFormat|AllowOverride|Require|Options|SetEnv|SetEnvIf|RequestHeader|Header|Alias|AliasMatch|ScriptAlias|Redirect|RedirectMatch|DirectoryIndex|AddHandler|SetHandler|LimitRequestBody|Timeout|KeepAlive|SSLEngine|SSLCertificateFile|Order|Allow|Deny|Satisfy|AuthType|ExpiresActive|AddType|AddDefaultCharset|ErrorDocument)[ \t])/m;
const APACHE_DIR = /^sites-(available|enabled)$|^conf\.d$|^conf-(available|enabled)$|^mods-(available|enabled)$|^conf\.modules\.d$/;

/**
 * Stricter test for files met during a directory walk, where a repository also holds tox.ini,
 * pytest.ini, nginx.conf or supervisord.conf: an `.ini` needs a `[uwsgi]` section and a plain
 * `.conf` outside Apache's directories needs an Apache directive.
 */
export function detectWalkedKind(filePath: string, text: string): InputKind | null {
  const base = path.basename(filePath).toLowerCase();
  const ext = path.extname(base);
  if (base === '.htaccess' || base === 'apache2.conf' || base === 'httpd.conf') return 'apache';
  if (UWSGI_SECTION.test(text)) return 'uwsgi-ini';
  if (ext === '.ini') return null;
  if (APACHE_CONTENT.test(text)) return 'apache';
  const dirs = filePath.split(/[\\/]/).slice(0, -1).map((s) => s.toLowerCase());
  // Files under Apache's own directories are Apache configs even when they hold only comments.
  if (dirs.some((s) => APACHE_DIR.test(s))) return 'apache';
  return null;
}

// Options that mark an ini file as meant for uWSGI even when its section is misspelt.
const UWSGI_KEYS = /^[ \t]*(module|wsgi-file|wsgi|http-socket|uwsgi-socket|socket|master|processes|die-on-term|harakiri|buffer-size|socket-timeout|callable|mount|http-chunked-input)[ \t]*=/m;

/**
 * A named file goes through lint()'s own kind detection, which goes by the name first. Tools such
 * as pre-commit pass every `*.ini` and `*.conf` of a commit, so a named `tox.ini` without a
 * `[uwsgi]` section or uWSGI options, or a `*.conf` without Apache directives (nginx.conf), is
 * counted as not recognised rather than linted as something it is not.
 */
export function plausibleWhenNamed(kind: InputKind, filePath: string, text: string): boolean {
  const ext = path.extname(filePath).toLowerCase();
  if (kind === 'uwsgi-ini') return ext !== '.ini' || UWSGI_SECTION.test(text) || UWSGI_KEYS.test(text);
  return ext !== '.conf' || detectWalkedKind(filePath, text) === 'apache';
}

/** Could this name hold a config worth reading? (Cheap test before reading a file during a walk.) */
export function worthReading(rel: string): boolean {
  const base = path.basename(rel).toLowerCase();
  if (base === '.htaccess') return true;
  const ext = path.extname(base);
  if (ext === '.ini' || ext === '.conf') return true;
  const segments = rel.split(/[\\/]/).slice(0, -1).map((s) => s.toLowerCase());
  return ext === '' && segments.some((s) => APACHE_DIR.test(s));
}
