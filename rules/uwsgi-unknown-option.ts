/**
 * uWSGI matches ini keys with an exact strcmp; a key no option has is silently kept as a placeholder
 * and never applied (`socket_timeout`, `enabled-threads`, `vaccum`), unless `strict = true`, where it
 * is fatal at start-up (field-facts.md F8, measured on 2.0.21; uwsgi-facts.md 1 "Unknown key").
 * A custom key referenced as `%(key)` is a legitimate placeholder. Under strict mode the resolver
 * already reports every unknown key as fatal (`strict-unknown-option`), so this rule stays out.
 * uWSGI does nothing with such a key, but it keeps it in `uwsgi.opt`, where the app may read it
 * (neutron reads `start-time`, oslo.log `name`: lib/knowledge/uwsgi-app-keys.ts): keys real apps
 * read are not reported, a near-miss of a real option is a typo, and any other key is reported with
 * the assumption named (nothing reads it), never as useless outright.
 */
import { editDistance } from '../lib/core/edit-distance';
import { defineRule, inRootFile, replaceAt, sourceOf, uwsgiOptionClaim } from '../lib/engine';
import { uwsgiAppKey } from '../lib/knowledge/uwsgi-app-keys';
import { getUwsgiOption, suggestUwsgiOption } from '../lib/knowledge/uwsgi-options';
import { referencedPlaceholders } from '../lib/model/uwsgi';

/** Logic-block terminators handled by config.c:467-477 before any option lookup. */
const BLOCK_TERMINATORS = new Set(['end', 'endif', 'endfor', 'end-if', 'end-for']);

/**
 * A key still holding a template or an unexpanded variable: not what uWSGI will finally see. Jinja
 * `{% if %}` lines reach us as `{if ...` because uWSGI's magic-variable pass eats `%` and the next byte.
 */
const TEMPLATED = /[{}]|\$\(|%\(|@\(/;
/** Documentation ellipses (`...`) and other keys without a letter are not attempts at an option. */
const NOT_A_NAME = /^[^A-Za-z]*$/;

export const rule = defineRule({
  id: 'uwsgi-unknown-option',
  severity: 'warning',
  category: 'correctness',
  description: 'An ini key that no uWSGI option of the target line has: uWSGI ignores it (a typo), unless the app reads it from uwsgi.opt',
  targets: ['uwsgi'],
  fixable: true,
  fixHint: 'Fix the option name (uWSGI option names use dashes, not underscores), or use `set-placeholder` for custom keys.',
  check({ deployment, report }) {
    const line = deployment.uwsgiLine;
    for (const instance of deployment.uwsgi) {
      // Under strict mode uWSGI exits at the first unknown key: the ini resolver reports that as the
      // fatal `strict-unknown-option` finding, so this rule does not say it a second time.
      if (instance.config.strict || instance.flag('strict')) continue;
      const placeholders = referencedPlaceholders(instance);
      for (const option of instance.options) {
        const key = option.key;
        // Include and logic-block lines (ini =, if-env, endif) are not options; keys defined by
        // set-placeholder are placeholders by declaration.
        if (option.role === 'include' || option.role === 'logic' || option.role === 'placeholder') continue;
        if (key === '' || option.keyTemplated || BLOCK_TERMINATORS.has(key) || TEMPLATED.test(key) || NOT_A_NAME.test(key)) continue;
        if (getUwsgiOption(key, line)) continue;
        // A custom key used as %(key) is a legitimate placeholder (measured); one real apps read
        // from uwsgi.opt is the app's setting (neutron's `start-time = %t`).
        if (placeholders.has(key) || uwsgiAppKey(key)) continue;
        const otherLine = line === '2.0' ? '2.1' : '2.0';
        const inOtherLine = getUwsgiOption(key, otherLine) !== undefined;
        const suggestions = suggestUwsgiOption(key, line);
        const cause = inOtherLine
          ? `\`${key}\` exists only in uWSGI ${otherLine}${otherLine === '2.1' ? ' (the unreleased master branch)' : ''}, not in the ${line} line targeted`
          : `\`${key}\` is not a uWSGI ${line} option`;
        if (suggestions.length > 0 || inOtherLine) {
          const advice = suggestions.length > 0 ? `Did you mean ${suggestions.map((s) => `\`${s}\``).join(' or ')}?` : 'Remove it, or target that line.';
          // One suggestion is a fix: the key renamed, safe when it is the same name spelt with `_` or
          // another case, or one typo away (one letter or two swapped letters); a further guess is unsafe.
          const only = suggestions.length === 1 && !inOtherLine && inRootFile(instance, option) && sourceOf(option.keyLocation) === key ? suggestions[0] : undefined;
          const edit = only ? replaceAt(option.keyLocation, only) : undefined;
          const close = only !== undefined && (key.toLowerCase().replace(/_/g, '-') === only || editDistance(key, only, 1) <= 1);
          report({
            location: option.keyLocation,
            message: `${cause}: uWSGI silently ignores the line (with \`strict = true\` it would refuse to start). ${advice}`,
            fix: edit && { description: `rename \`${key}\` to \`${only}\``, edits: [edit], applicability: close ? 'safe' : 'unsafe', claims: [uwsgiOptionClaim(instance, only!)] },
          });
          continue;
        }
        // Not a near-miss of an option: a typo beyond recognition, or a setting the app reads from
        // uwsgi.opt. Only the first is a problem, and the files cannot tell which.
        report({
          location: option.keyLocation,
          message: `${cause}: uWSGI does nothing with it, and only the app can read it (from \`uwsgi.opt\`). If the app does not, fix its name or remove it.`,
        });
      }
    }
  },
});
