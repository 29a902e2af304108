/**
 * Debian's /etc/apache2/envvars: the shell fragment apache2ctl sources before starting httpd; its
 * `export NAME=value` lines are what `${APACHE_LOG_DIR}` and friends expand to. Read as plain
 * assignments (lib/input/shell-env.ts), with APACHE_CONFDIR and Debian's SUFFIX (from an
 * /etc/apache2-NAME directory) set as apache2ctl sets them.
 */
import { parseShellEnv } from '../../input/shell-env';

export function parseDebianEnvvars(text: string, confdir: string, base: Record<string, string> = {}): Record<string, string> {
  const m = /\/apache2-([^/]+)$/.exec(confdir);
  const env = parseShellEnv(text, { APACHE_CONFDIR: confdir, ...base, SUFFIX: m ? `-${m[1]}` : '' });
  delete env.SUFFIX;
  return env;
}
