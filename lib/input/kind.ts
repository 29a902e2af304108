/**
 * Which language a file is in, decided by name first and content second, the way operators name
 * things: `*.ini` with a `[uwsgi]` section is uWSGI; `*.conf`, `apache2.conf`, `httpd.conf`, files
 * under `sites-*`/`conf.d`/`conf-*`/`mods-*`, `.htaccess` are Apache.
 */
import * as path from 'path';

export type InputKind = 'uwsgi-ini' | 'apache';

const UWSGI_SECTION = /^[ \t]*\[uwsgi\][ \t\r]*$/m;
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
