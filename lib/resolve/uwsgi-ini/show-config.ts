/**
 * The text `uwsgi --show-config --ini FILE` writes (core/uwsgi.c show_config): a blank line, a
 * header, then every exported option as `key = value` in list order: the command line's own
 * options (`show-config = true`, `ini = FILE`) where they were given, the file's options, and last
 * the options pulled in by `inherit`. A flag given without value prints as `true`; a bare key read
 * from a file prints with an empty value.
 */
import type { ResolvedUwsgiConfig } from './types';

/** Render `config.exported` exactly as uWSGI's show_config() does. */
export function printResolvedUwsgi(config: ResolvedUwsgiConfig): string {
  const lines: string[] = ['', ';uWSGI instance configuration', '[uwsgi]'];
  for (const o of config.exported) lines.push(`${o.key} = ${o.value === null ? 'true' : o.value}`);
  lines.push(';end of configuration', '', '');
  return lines.join('\n');
}
