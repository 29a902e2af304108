/**
 * uWSGI's HTTP router (`http =`) discards a chunked request body unless `http-chunked-input` is on:
 * the app's uwsgi.chunked_read() fails with "unable to receive chunked part" and wsgi.input is empty
 * (lab-findings.md "uWSGI alone"; field-facts.md F2). `http-socket` is not the router and needs no
 * such option (and ignores it).
 */
import type { Rule } from '../lib/engine/types';

export const rule: Rule = {
  meta: {
    id: 'uwsgi-router-chunked-input',
    severity: 'error',
    category: 'data-loss',
    description: "uWSGI's HTTP router (`http =`) without `http-chunked-input` drops chunked request bodies",
    docs: 'docs/rules/uwsgi-router-chunked-input.md',
    targets: ['uwsgi'],
    fixable: false,
    fixHint: 'Add `http-chunked-input = true` to the instance that runs `http =` (and load the http plugin).',
  },
  check({ deployment, report }) {
    for (const instance of deployment.uwsgi) {
      const routers = instance.sockets.filter((s) => s.router);
      if (routers.length === 0 || instance.flag('http-chunked-input')) continue;
      const takes = instance.app.takesChunkedUploads;
      if (takes === false) continue;
      for (const router of routers) {
        report({
          // Where the failure depends on traffic the files cannot tell, it is a warning.
          severity: takes === true ? 'error' : 'warning',
          location: router.option.entryLocation,
          message:
            `\`${router.optionName} = ${router.option.value}\` starts uWSGI's HTTP router, which drops chunked request bodies ` +
            `without \`http-chunked-input\`: ${takes === true ? `${instance.app.name} uploads` : 'chunked uploads'} fail inside the app. ` +
            'Add `http-chunked-input = true`.',
        });
      }
    }
  },
};
