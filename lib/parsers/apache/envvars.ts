/**
 * Debian's /etc/apache2/envvars is a shell fragment that apache2ctl sources before starting httpd;
 * its `export NAME=value` lines are what `${APACHE_LOG_DIR}` and friends expand to. This reads the
 * simple assignments (NAME=value, export NAME=value, with $VAR / ${VAR} references to earlier ones
 * and ${VAR##prefix} as Debian uses it for APACHE_CONFDIR suffixes) without running a shell.
 */
import * as fs from 'fs';
import * as path from 'path';

export function readDebianEnvvars(file: string, base: Record<string, string> = {}): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { ...base };
  }
  const env: Record<string, string> = { APACHE_CONFDIR: path.dirname(path.resolve(file)), ...base };
  const lookup = (name: string) => env[name] ?? '';
  const expandValue = (raw: string): string => {
    let v = raw.trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) {
      if (v.startsWith("'")) return v.slice(1, -1);
      v = v.slice(1, -1);
    }
    return v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(##([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, n1, _x, prefix, n2) => {
      const val = lookup(n1 ?? n2);
      if (prefix !== undefined) return val.startsWith(prefix) ? val.slice(prefix.length) : val;
      return val;
    });
  };
  // Debian computes SUFFIX from APACHE_CONFDIR (/etc/apache2-foo gives -foo)
  const confdir = env.APACHE_CONFDIR;
  const m = /\/apache2-([^/]+)$/.exec(confdir);
  env.SUFFIX = m ? `-${m[1]}` : '';
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const a = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!a) continue;
    if (a[1] === 'SUFFIX') continue;
    let value = a[2];
    // drop a trailing shell comment
    const hash = value.search(/\s#/);
    if (hash >= 0 && !/^["']/.test(value)) value = value.slice(0, hash);
    env[a[1]] = expandValue(value);
  }
  delete env.SUFFIX;
  return env;
}
