/**
 * The two questions the model asks the uWSGI option knowledge: which canonical option a key names
 * (aliases such as `workers` -> `processes` fold together), and an option's default for a target.
 */
import type { Targets } from '../knowledge/targets';
import { compareVersions } from '../knowledge/targets';

/** Aliases that share setter and target in core/uwsgi.c (uwsgi-options-2.0.30.tsv, same_setter_and_target_as). */
const ALIASES: Record<string, string> = {
  workers: 'processes',
  wsgi: 'module',
  file: 'wsgi-file',
  plugin: 'plugins',
  chmod: 'chmod-socket',
  httprouter: 'http',
  'socket-protocol': 'protocol',
  'ssl-socket': 'suwsgi-socket',
};

export function canonicalUwsgiOption(key: string, _line: '2.0' | '2.1'): string {
  return ALIASES[key] ?? key;
}

/** Defaults that rules depend on (uwsgi-facts.md section 2, field-facts.md F1, F8). */
export function uwsgiDefault(name: string, targets: Targets): string | undefined {
  switch (name) {
    case 'socket-timeout': return '4';
    case 'buffer-size': return '4096';
    case 'http-timeout': return '60';
    case 'die-on-term': return targets.uwsgi.startsWith('2.1') ? 'true' : 'false';
    case 'enable-threads':
      return compareVersions(targets.uwsgi, '2.0.27') >= 0 || targets.uwsgi === '2.0' ? 'true' : 'false';
    case 'master': return 'false';
    case 'processes': return '1';
    case 'threads': return '1';
    case 'post-buffering': return '0';
    case 'harakiri': return '0';
    case 'http-chunked-input': return 'false';
    default: return undefined;
  }
}
