/**
 * uWSGI matches ini keys with an exact strcmp; a key no option has is silently kept as a placeholder
 * and never applied (`socket_timeout`, `enabled-threads`, `vaccum`), unless `strict = true`, where it
 * is fatal at start-up (field-facts.md F8, measured on 2.0.21; uwsgi-facts.md 1 "Unknown key").
 * A custom key referenced as `%(key)` is a legitimate placeholder, except under strict mode.
 */
import type { Rule } from '../lib/engine/types';
import { getUwsgiOption, suggestUwsgiOption } from '../lib/knowledge/uwsgi-options';
import { uwsgiLine } from '../lib/knowledge/targets';
import { referencedPlaceholders } from '../lib/model/uwsgi';

/** Logic-block terminators handled by config.c:467-477 before any option lookup. */
const BLOCK_TERMINATORS = new Set(['end', 'endif', 'endfor', 'end-if', 'end-for']);

/** A key still holding a template or an unexpanded variable: not what uWSGI will finally see. */
const TEMPLATED = /\{\{|\{%|\$\(|%\(|@\(|\$\{/;

export const rule: Rule = {
  meta: {
    id: 'uwsgi-unknown-option',
    severity: 'warning',
    category: 'correctness',
    description: 'An ini key that no uWSGI option of the target line has: uWSGI silently ignores it (or refuses to start with `strict = true`)',
    docs: 'docs/rules/uwsgi-unknown-option.md',
    targets: ['uwsgi'],
    fixable: false,
    fixHint: 'Fix the option name (uWSGI option names use dashes, not underscores), or use `set-placeholder` for custom keys.',
  },
  check({ deployment, report }) {
    const line = uwsgiLine(deployment.targets);
    for (const instance of deployment.uwsgi) {
      const strictOption = instance.last('strict');
      const strict = instance.flag('strict');
      const placeholders = referencedPlaceholders(instance);
      for (const option of instance.options) {
        const key = option.key;
        // The resolver marks include and logic-block lines (ini =, if-env, endif): not options to judge.
        const role = (option as { role?: string }).role;
        if (role === 'include' || role === 'logic') continue;
        if (key === '' || BLOCK_TERMINATORS.has(key) || TEMPLATED.test(key)) continue;
        if (getUwsgiOption(key, line)) continue;
        const isPlaceholder = placeholders.has(key);
        if (isPlaceholder && !strict) continue;
        const related = strict && strictOption ? [{ location: strictOption.entryLocation, message: '`strict` makes unknown keys fatal' }] : undefined;
        if (isPlaceholder) {
          report({
            severity: 'error', location: option.keyLocation, related,
            message: `\`${key}\` is a custom placeholder key, and with \`strict\` on uWSGI refuses to start ("unknown config directive"). ` +
              `Declare it with \`set-placeholder = ${key}=${option.value}\` instead.`,
          });
          continue;
        }
        const otherLine = line === '2.0' ? '2.1' : '2.0';
        const inOtherLine = getUwsgiOption(key, otherLine) !== undefined;
        const suggestions = suggestUwsgiOption(key, line);
        const cause = inOtherLine
          ? `\`${key}\` exists only in uWSGI ${otherLine}${otherLine === '2.1' ? ' (the unreleased master branch)' : ''}, not in the ${line} line targeted`
          : `\`${key}\` is not a uWSGI ${line} option`;
        const effect = strict ? 'with `strict` on, uWSGI refuses to start' : 'uWSGI silently ignores the line';
        const advice = suggestions.length > 0 ? `Did you mean ${suggestions.map((s) => `\`${s}\``).join(' or ')}?` : inOtherLine ? 'Remove it, or target that line.' : 'Remove it or fix its name.';
        report({
          severity: strict ? 'error' : 'warning',
          location: option.keyLocation,
          related,
          message: `${cause}: ${effect}. ${advice}`,
        });
      }
    }
  },
};
