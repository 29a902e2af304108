/**
 * mod_wsgi's `python-home=` is the environment's root (its sys.prefix: the directory holding
 * `bin/` and `lib/`), not its `lib/python3.X` or `site-packages`. One level too deep, the daemon's
 * Python cannot find its standard library ("ModuleNotFoundError: No module named 'encodings'"),
 * dies, and is restarted every second; every request waits for Apache's Timeout and gets 504.
 * `apachectl -t` says Syntax OK. Measured on 2.4.71 / mod_wsgi 4.9.4 (* GrahamDumpleton/mod_wsgi#396; lab `modwsgi-python-home-wrong-level`). The path alone shows the
 * mistake: an error.
 */
import { defineRule, describeDirective } from '../lib/engine';

/** `.../lib/python3.11`, `.../lib/python3.11/site-packages`, `.../dist-packages`: inside an environment, not its root. */
const TOO_DEEP = /^(.*?)\/lib(?:64)?\/python\d+(?:\.\d+)?(?:\/(?:site|dist)-packages)?\/?$|^(.*?)\/(?:site|dist)-packages\/?$/;

export const rule = defineRule({
  id: 'wsgi-python-home-wrong-level',
  severity: 'error',
  category: 'correctness',
  description: 'WSGIDaemonProcess `python-home=` pointing inside an environment (lib/pythonX.Y or site-packages) instead of its root: the daemon never starts, every request gets 504',
  targets: ['mod_wsgi'],
  fixHint: 'Point `python-home=` at the environment\'s root, the directory that holds bin/ and lib/ (its sys.prefix).',
  check({ deployment, report }) {
    for (const server of deployment.apache) {
      for (const group of server.wsgiGroups) {
        const home = group.options['python-home'];
        if (!home || /\{\{|\$\{|%[A-Za-z_]+%/.test(home)) continue;
        const match = TOO_DEEP.exec(home);
        if (!match) continue;
        const root = (match[1] ?? match[2] ?? '').replace(/\/+$/, '') || '/';
        report({
          location: group.directive.location,
          message:
            `${describeDirective(group.directive)}: \`python-home=${home}\` points inside an environment, not at its root: the daemon's Python finds no standard library and restarts every second, so every request gets 504 at Apache's Timeout. ` +
            `Use \`python-home=${root}\`.`,
        });
      }
    }
  },
});
