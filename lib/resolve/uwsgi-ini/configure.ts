/**
 * uwsgi_configure: every option not applied yet, in order. `inherit` appends its file's options at
 * the end (they are applied in turn, unexpanded). The few setters that exit on a value whatever the
 * machine are checked here; then the result the rest of deploylint reads.
 */
import { getUwsgiOption } from '../../knowledge/uwsgi-options';
import { readUwsgiInt as atoi } from '../../knowledge/uwsgi-values';
import { loadByExtension } from './includes';
import type { UwsgiResolver } from './state';
import type { ResolvedUwsgiConfig, ResolvedUwsgiOption } from './types';

/**
 * uwsgi_configure: every option not applied yet, in order. `inherit` appends its file's options at
 * the end (they are applied in turn, unexpanded). The few setters that exit on a value regardless
 * of the machine are checked here (invalid chmod-socket, empty socket, version); under strict mode
 * an unknown key exits.
 */
export function runConfigure(s: UwsgiResolver): void {
  let sharedSockets = 0;
  for (let i = 0; i < s.opts.length; i++) {
    const o = s.opts[i];
    if (o.configured) continue;
    o.configured = true;
    const info = s.optionInfo(o.key);
    if (!info) {
      if (s.strict && !o.keyTemplated) {
        s.strictUnknown(o.key, o.keyLocation);
      }
      continue;
    }
    const value = o.value;
    // a template's expression: the value uWSGI will get is not known here
    if (o.valueTemplated) continue;
    if (info.setter === 'uwsgi_opt_load') {
      o.role = 'include';
      loadByExtension(s, value ?? '', [...o.includedFrom, o.entryLocation], true, o.valueLocation);
    } else if (info.setter === 'uwsgi_opt_chmod_socket' || info.setter === 'uwsgi_opt_logfile_chmod') {
      if (value !== null && value !== '1' && !/^[0-7]{3}$/.test(value)) {
        s.report('uwsgi-invalid-value', 'error',
          `${o.key} takes exactly three octal digits (like 660) or 1; "${value}" makes uWSGI exit ("invalid chmod value")`, o.valueLocation);
        s.setFatal(`invalid chmod value: ${value}`, o.valueLocation);
      }
    } else if (info.setter === 'uwsgi_opt_add_shared_socket') {
      sharedSockets++;
    } else if (['uwsgi_opt_add_socket', 'uwsgi_opt_add_socket_no_defer', 'uwsgi_opt_add_lazy_socket'].includes(info.setter)) {
      const name = (value ?? '').replace(/^[ \t\n\v\f\r]+/, '');
      if (value !== null && name === '') {
        s.report('uwsgi-invalid-value', 'error', `${o.key} has no address: uWSGI exits ("invalid/empty uwsgi socket name")`, o.entryLocation);
        s.setFatal('invalid/empty uwsgi socket name', o.entryLocation);
      } else if (name.startsWith('=')) {
        // "=N" reuses shared socket N (uwsgi_new_socket); it must be declared before
        const n = atoi(name.slice(1));
        if (n >= 0 && n >= sharedSockets) {
          s.report('uwsgi-invalid-value', 'error',
            `${o.key} = ${name} refers to shared socket ${n}, but ${sharedSockets === 0 ? 'no shared-socket is' : `only ${sharedSockets} shared-socket${sharedSockets === 1 ? ' is' : 's are'}`} declared before it: uWSGI exits`, o.valueLocation);
          s.setFatal(`unable to use shared socket ${n}`, o.valueLocation);
        }
      }
    } else if (info.setter === 'uwsgi_opt_print' && info.target !== 'NULL' && info.target !== '') {
      s.report('uwsgi-exit', 'warning', `"${o.key}" makes uWSGI print its version and exit instead of starting`, o.keyLocation);
      s.setFatal(`${o.key} prints and exits`, o.keyLocation);
    }
  }
}
export function result(s: UwsgiResolver, argument: string, file: string, section: string): ResolvedUwsgiConfig {
  // The exported list (what --show-config prints) keeps the command line's flags (value null) and
  // every value as uWSGI holds it; it is built when asked for, from values taken before the file's
  // options become ResolvedUwsgiOptions below (in place: one object per option, not two).
  const all = s.opts.map((o) => ({ o, value: o.value }));
  let exportedList: ResolvedUwsgiConfig['exported'] | undefined;
  const options: ResolvedUwsgiOption[] = [];
  for (const o of s.opts) {
    if (o.synthetic) continue;
    const uwsgiValue = o.value ?? '';
    const known = o.role !== 'placeholder' || getUwsgiOption(o.key, s.version) !== undefined ? s.optionInfo(o.key) !== undefined : false;
    const option = o as unknown as ResolvedUwsgiOption;
    option.uwsgiValue = uwsgiValue;
    option.value = o.bare && uwsgiValue === '' ? 'true' : uwsgiValue;
    option.known = known;
    options.push(option);
  }
  const result: ResolvedUwsgiConfig = {
    file, section, argument, options, findings: s.findings, files: s.files,
    get exported() {
      return (exportedList ??= all.map(({ o, value }) => ({ key: o.key, value, commandLine: o.synthetic })));
    },
    fatal: s.fatal, loadedPlugins: [...s.loadedPlugins], strict: s.strict,
    referencedKeys: [...s.referencedKeys],
  };
  return result;
}
