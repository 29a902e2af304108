/**
 * `ini = other.ini` / `include = other.ini` with a relative path is resolved from uWSGI's working
 * directory, not from the including file's directory: started from elsewhere (systemd starts
 * services in /) uWSGI exits with "realpath() of other.ini failed" (lab-findings.md; measured again
 * for `ini` and `include`). `%d` (the including file's directory, with its trailing slash) is the
 * portable form.
 */
import { defineRule } from '../lib/engine';

/** A value that is not a plain relative path: absolute, a URL, another section of this file (`:name`), or still templated. */
const NOT_RELATIVE = /^(\/|[A-Za-z][A-Za-z0-9+.-]*:\/\/|:|@|\$\(|%\(|\{\{|~)/;

export const rule = defineRule({
  id: 'uwsgi-relative-ini-include',
  severity: 'warning',
  category: 'reliability',
  description: 'A relative `ini =` / `include =` path: uWSGI resolves it from its working directory, not from the including file',
  targets: ['uwsgi'],
  // No automatic fix: whether the path was meant relative to this file or to a start-up directory
  // is the author's intent, which the file does not show.
  fixHint: 'Write the path relative to the including file with `%d` (`ini = %dcommon.ini`), or as an absolute path.',
  check({ deployment, report }) {
    for (const instance of deployment.uwsgi) {
      for (const option of instance.options) {
        if (option.role !== 'include') continue;
        const path = option.value.trim();
        // `file.ini:section` keeps its section suffix; only the path part matters.
        if (path === '' || NOT_RELATIVE.test(path) || NOT_RELATIVE.test(option.rawValue.trim())) continue;
        // Where the resolver could not find the file from this run's directory, it already reports include-not-found.
        const line = option.keyLocation.range.start.line;
        if (instance.config.findings.some((f) => f.ruleId === 'include-not-found' && f.location.file === option.keyLocation.file && f.location.range.start.line === line)) continue;
        const raw = option.rawValue.trim();
        report({
          location: option.entryLocation,
          message:
            `\`${option.key} = ${raw}\` is resolved from uWSGI's working directory, not this file's: started elsewhere (systemd starts services in /), uWSGI exits ("realpath() of ${path} failed"). ` +
            `Write \`${option.key} = %d${raw}\` if the file sits next to this one, or an absolute path.`,
        });
      }
    }
  },
});
