/**
 * uWSGI 2.0 without `need-app` keeps running when its app fails to load (a missing dependency, an
 * entry point the release no longer ships): it logs "no app loaded. going in full dynamic mode" and
 * answers 500 to every request, while a supervisor (systemd, the Emperor, a container runtime) sees
 * a healthy process. With `need-app = true` it exits ("no app loaded. GAME OVER", status 22), also
 * with lazy-apps. Measured on 2.0.21 (lab `direct-need-app-missing`,
 * `direct-need-app`). uWSGI 2.1 makes need-app the default. Whether the app fails to load is not in
 * the files: a warning that says so.
 */
import { defineRule } from '../lib/engine';
import { instanceAnchor } from '../lib/model/uwsgi';

export const rule = defineRule({
  id: 'uwsgi-need-app-missing',
  severity: 'warning',
  category: 'reliability',
  description: 'uWSGI 2.0 without `need-app`: if the app fails to import, uWSGI keeps running and answers 500 to every request instead of exiting',
  targets: ['uwsgi'],
  fixHint: 'Add `need-app = true`, so that a failed import stops uWSGI where its supervisor sees it.',
  check({ deployment, report }) {
    if (deployment.uwsgiLine !== '2.0') return;
    for (const instance of deployment.uwsgi) {
      if (!instance.servesPythonWsgi || instance.sockets.length === 0) continue;
      // An explicit `need-app = false` is a choice (uWSGI's own tests use it for dynamic apps).
      if (instance.last('need-app')) continue;
      report({
        location: instanceAnchor(instance),
        message:
          'No `need-app`: if the app fails to import (a missing dependency, an entry point the release no longer ships), uWSGI 2.0 keeps running and answers 500 to every request, and its supervisor sees a healthy service. ' +
          'Add `need-app = true` so that it exits instead.',
      });
    }
  },
});
