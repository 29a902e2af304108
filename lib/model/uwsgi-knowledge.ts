/**
 * The two questions the model asks the uWSGI option knowledge: which canonical option a key names
 * (aliases such as `workers` -> `processes` fold together), and an option's default for a target.
 */
import type { Targets } from '../knowledge/targets';
import { getUwsgiDefault } from '../knowledge/uwsgi-defaults';
import { getUwsgiOption, type UwsgiVersionLine } from '../knowledge/uwsgi-options';

/**
 * Preferred canonical names for well-known alias groups (the name the docs and rules use).
 * Options with the same setter and target in core/uwsgi.c are aliases (option table column
 * same_setter_and_target_as); these pin which member of the group is the canonical one.
 */
const PREFERRED: Record<string, string> = {
  workers: 'processes',
  wsgi: 'module',
  file: 'wsgi-file',
  plugin: 'plugins',
  chmod: 'chmod-socket',
  httprouter: 'http',
  'socket-protocol': 'protocol',
  'ssl-socket': 'suwsgi-socket',
};

/**
 * Setters that branch on the option name, so sharing setter and target does not make two options
 * the same (uwsgi-facts.md, option tables): `need-plugin` is fatal where `plugins` only logs,
 * `final-route` is not `route`, `attach-daemon2` parses differently from `attach-daemon`, ...
 */
const NAME_BRANCHING_SETTERS = new Set([
  'uwsgi_opt_add_route', 'uwsgi_opt_load_plugin', 'uwsgi_opt_add_daemon', 'uwsgi_opt_add_daemon2',
  'uwsgi_opt_add_shared_socket', 'uwsgi_opt_add_socket', 'uwsgi_opt_add_ssl_socket', 'uwsgi_opt_corerouter',
  'uwsgi_opt_deprecated', 'uwsgi_opt_noop', 'uwsgi_opt_true', 'uwsgi_opt_false', 'uwsgi_opt_load',
  'uwsgi_opt_load_ini', 'uwsgi_opt_load_config', 'uwsgi_opt_add_cron', 'uwsgi_opt_add_unique_cron',
  'uwsgi_opt_add_legion_cron', 'uwsgi_opt_add_lazy_socket',
]);

/** Same setter and target but different behaviour (the setter reads the option name or a mode). */
const NOT_ALIASES = new Set(['suspend', 'resume', 'pause', 'worker-mount', 'wait-for-file', 'wait-for-dir', 'wait-for-fs']);

const cache: Record<UwsgiVersionLine, Map<string, string>> = { '2.0': new Map(), '2.1': new Map() };

/**
 * The canonical name of an option key for a uWSGI line. Keys uWSGI does not know come back as
 * written (a custom placeholder key is its own name). Aliases come from the option table: same
 * setter, same target, and a setter that does not branch on the name.
 */
export function canonicalUwsgiOption(key: string, line: UwsgiVersionLine): string {
  const preferred = PREFERRED[key];
  if (preferred) return preferred;
  const cached = cache[line].get(key);
  if (cached !== undefined) return cached;
  let canonical = key;
  const info = getUwsgiOption(key, line);
  if (info && !NOT_ALIASES.has(key) && info.target !== '' && info.target !== 'NULL' && !NAME_BRANCHING_SETTERS.has(info.setter)) {
    const group = [key, ...info.aliases.filter((alias) => {
      const other = getUwsgiOption(alias, line);
      return other !== undefined && !NOT_ALIASES.has(alias) && other.setter === info.setter && other.target === info.target;
    })];
    // One canonical per group: a pinned name if the group has one, else the shortest, then alphabetical.
    const pinned = group.find((name) => Object.values(PREFERRED).includes(name));
    canonical = pinned ?? [...group].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))[0];
  }
  cache[line].set(key, canonical);
  return canonical;
}

/** An option's default for the target uWSGI version, from the defaults table (with its sources). */
export function uwsgiDefault(name: string, targets: Targets): string | undefined {
  return getUwsgiDefault(name, targets.uwsgi)?.value;
}
