/**
 * uWSGI's ini reader never strips quotes (uwsgi-facts.md 1, ini.c:145-152; lab-findings.md):
 * `socket-timeout = "30"` reaches atoi() as `"30"`, which is 0; `processes = "2"` gives no workers;
 * `master = "false"` turns the master on; `chmod-socket = "666"` is fatal (measured on 2.0.21).
 * Severity: error where the value uWSGI ends up with stops it serving (chmod-socket, and the
 * numbers in ZERO_STOPS_SERVING), warning where a setting is merely lost.
 */
import { defineRule, describeOption } from '../lib/engine';
import { getUwsgiOption } from '../lib/knowledge/uwsgi-options';
import { isUwsgiFalse } from '../lib/knowledge/uwsgi-values';
import { isTemplatedValue } from '../lib/model/uwsgi';

/** Setters that read a number with atoi/strtol/strtoul: a leading quote gives 0. */
const NUMERIC_SETTERS = new Set(['uwsgi_opt_set_int', 'uwsgi_opt_set_rawint', 'uwsgi_opt_set_16bit', 'uwsgi_opt_set_64bit', 'uwsgi_opt_set_megabytes', 'uwsgi_opt_max_vars']);
/** Setters whose value is a shell command, a route or printed text: quotes there are the user's own syntax. */
const QUOTE_TOLERANT_SETTERS = new Set(['uwsgi_opt_print', 'uwsgi_opt_add_route', 'uwsgi_opt_add_daemon', 'uwsgi_opt_add_daemon2', 'uwsgi_opt_add_cron', 'uwsgi_opt_add_unique_cron', 'uwsgi_opt_add_legion_cron', 'uwsgi_opt_logic']);
const QUOTE_TOLERANT_NAMES = /^(exec-|hook-|call-|log-format$|logformat$|log-req-encoder|log-encoder|route|final-route|error-route|response-route|cron|unique-cron|legion-|attach-|smart-attach-|alarm|spooler-)/;

/**
 * Numeric options whose value 0 stops requests being served (measured on 2.0.21, uWSGI alone:
 * `socket-timeout = "30"` fails GETs and uploads, `buffer-size = "32768"` drops every request with
 * "invalid HTTP request size (max 0)", `processes = "2"` runs no worker). For the others 0 means off,
 * unlimited or the default (`harakiri = "30"` served every request, harakiri off): the setting is
 * lost, which matters or not depending on what it was for.
 */
const ZERO_STOPS_SERVING = new Set(['socket-timeout', 'buffer-size', 'processes', 'workers']);

/** What the quotes do to a value of this setter, or null when they change nothing that matters. */
function effectOf(key: string, setter: string, value: string, inner: string): { severity: 'error' | 'warning'; effect: string } | null {
  if (NUMERIC_SETTERS.has(setter)) {
    const zero = `uWSGI keeps the quotes and reads the number as 0${/^\d/.test(inner) ? `, not ${inner}` : ''}`;
    return ZERO_STOPS_SERVING.has(key)
      ? { severity: 'error', effect: `${zero}, and with 0 no request is served` }
      : { severity: 'warning', effect: `${zero} (off, unlimited or the default for most options), so the setting is lost` };
  }
  if (setter === 'uwsgi_opt_chmod_socket') return { severity: 'error', effect: 'uWSGI keeps the quotes and refuses to start (`invalid chmod value`)' };
  if (setter === 'uwsgi_opt_true' || setter === 'uwsgi_opt_false') {
    // Only a quoted false-word changes meaning: `"false"` is not false, so the flag turns on.
    if (!isUwsgiFalse(inner)) return null;
    return { severity: 'warning', effect: `uWSGI keeps the quotes, and \`${value}\` is not one of false/off/no/0, so the flag is ${setter === 'uwsgi_opt_true' ? 'on' : 'off'}` };
  }
  return { severity: 'warning', effect: `uWSGI keeps the quotes, so the value is \`${value}\` with the quote characters in it` };
}

export const rule = defineRule({
  id: 'uwsgi-quoted-value',
  severity: 'warning',
  severities: ['error', 'warning'],
  category: 'correctness',
  description: 'A quoted uWSGI ini value: uWSGI keeps the quotes, so a quoted number reads as 0',
  targets: ['uwsgi'],
  fixable: true,
  fixHint: 'Remove the quotes: uWSGI ini values are never quoted (`socket-timeout = 30`).',
  check({ deployment, report }) {
    for (const instance of deployment.uwsgi) {
      for (const option of instance.options) {
        const quoted = /^(["'])(.*)\1$/s.exec(option.value);
        if (!quoted || option.value.length < 2 || isTemplatedValue(option.value, option)) continue;
        const info = getUwsgiOption(option.key, deployment.uwsgiLine);
        if (!info || QUOTE_TOLERANT_SETTERS.has(info.setter) || QUOTE_TOLERANT_NAMES.test(option.key)) continue;
        const inner = quoted[2];
        const judged = effectOf(option.key, info.setter, option.value, inner);
        if (!judged) continue;
        // Offer a fix only when the quotes are written literally on this line (not produced by an expansion).
        const written = option.rawValue === option.value;
        const start = option.valueLocation.range.start.offset;
        const end = option.valueLocation.range.end.offset;
        report({
          severity: judged.severity,
          location: option.valueLocation,
          message: `${describeOption(option)}: ${judged.effect}. Remove the quotes: ${describeOption(option, inner)}.`,
          fix: written && end - start === option.value.length
            ? { description: 'remove the quotes', edits: [{ file: option.valueLocation.file, range: { startOffset: start, endOffset: end }, text: inner }] }
            : undefined,
        });
      }
    }
  },
});
