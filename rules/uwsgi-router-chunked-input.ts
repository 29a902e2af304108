/**
 * uWSGI's HTTP router (`http =`) discards a chunked request body unless `http-chunked-input` is on:
 * the app's uwsgi.chunked_read() fails with "unable to receive chunked part" and wsgi.input is empty
 * (lab-findings.md "uWSGI alone"; field-facts.md F2). `http-socket` is not the router and needs no
 * such option (and ignores it). The model's request-body paths decide (lib/model/request-body.ts).
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
    // A client of the router: chunked bodies it sends are dropped there, whatever comes after.
    for (const path of deployment.requestBodies) {
      if (path.entry !== 'uwsgi-direct' || path.chunked.cause !== 'router-drops-chunked' || path.takesChunked === false) continue;
      const { socket, instance } = path;
      report({
        // Where the failure depends on traffic the files cannot tell, it is a warning.
        severity: path.takesChunked === true ? 'error' : 'warning',
        location: socket.option.entryLocation,
        message:
          `\`${socket.optionName} = ${socket.option.value}\` starts uWSGI's HTTP router, which drops chunked request bodies ` +
          `without \`http-chunked-input\`: ${path.takesChunked === true ? `${instance.app.name} uploads` : 'chunked uploads'} fail inside the app. ` +
          'Add `http-chunked-input = true`.',
      });
    }
  },
};
