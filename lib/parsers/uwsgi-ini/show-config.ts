/**
 * The text `uwsgi --show-config --ini FILE` writes (core/uwsgi.c show_config): a blank line, a
 * header, then every exported option as `key = value` in list order, starting with the command
 * line's own `show-config = true` and `ini = FILE`; options pulled in by `inherit` come last,
 * after any further command-line options.
 */
import type { ResolvedUwsgiConfig } from './types';

export interface ShowConfigOptions {
  /** Command-line options given after `--ini FILE` (printed after the file's options, before inherited ones). null prints `true`. */
  trailing?: Array<{ key: string; value: string | null }>;
}

export function printResolvedUwsgi(config: ResolvedUwsgiConfig, options: ShowConfigOptions = {}): string {
  const lines: string[] = ['', ';uWSGI instance configuration', '[uwsgi]', 'show-config = true', `ini = ${config.argument}`];
  const line = (key: string, value: string | null): string => `${key} = ${value === null ? 'true' : value}`;
  for (const o of config.options) if (!o.inherited) lines.push(line(o.key, o.uwsgiValue));
  for (const t of options.trailing ?? []) lines.push(line(t.key, t.value));
  for (const o of config.options) if (o.inherited) lines.push(line(o.key, o.uwsgiValue));
  lines.push(';end of configuration', '', '');
  return lines.join('\n');
}
