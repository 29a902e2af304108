/**
 * uWSGI's HTTP router (`http =`) discards a chunked request body unless `http-chunked-input` is on:
 * the app's uwsgi.chunked_read() fails with "unable to receive chunked part" and wsgi.input is empty
 * (lab-findings.md "uWSGI alone"; field-facts.md F2). `http-socket` is not the router and needs no
 * such option (and ignores it). The model's request-body paths decide (lib/model/request-body.ts):
 * this rule reports the router sockets whose clients' chunked bodies are dropped.
 */
import { defineRule, describeOption, insertUwsgiOption, replaceUwsgiValue, uwsgiOptionClaim } from '../lib/engine';
import { declaresPlugins, loadedSourcePlugins } from '../lib/model/uwsgi';

export const rule = defineRule({
  id: 'uwsgi-router-chunked-input',
  severity: 'error',
  severities: ['error', 'warning'],
  category: 'data-loss',
  description: "uWSGI's HTTP router (`http =`) without `http-chunked-input` drops chunked request bodies",
  targets: ['uwsgi'],
  fixable: true,
  fixHint: 'Add `http-chunked-input = true` to the instance that runs `http =` (and load the http plugin).',
  check({ deployment, report }) {
    for (const path of deployment.requestBodies) {
      if (path.entry !== 'uwsgi-direct' || path.chunked.cause !== 'router-drops-chunked' || path.takesChunked === false) continue;
      // `http-chunked-input = true` after the router's line, for an app that reads chunked bodies with
      // uwsgi.chunked_read() (an app reading only wsgi.input would then get an empty body instead:
      // lab direct-router-plain-chunked-input), where the router's plugin is loaded or built in (on a
      // modular build without the http plugin the option is an unknown key).
      const { instance } = path;
      const off = instance.router?.chunkedInput.option;
      const canLoad = !declaresPlugins(instance) || loadedSourcePlugins(instance).has('http');
      const edit = !canLoad || !instance.app.readsChunkedWithUwsgiApi ? undefined : off
        ? replaceUwsgiValue(instance, off, 'true')
        : insertUwsgiOption(instance, [path.socket.option], 'http-chunked-input', 'true');
      report({
        fix: edit && { description: `${off ? 'set' : 'add'} \`http-chunked-input = true\``, edits: [edit], claims: [uwsgiOptionClaim(instance, 'http-chunked-input')] },
        // Where the failure depends on traffic the files cannot tell, it is a warning.
        severity: path.takesChunked === true ? 'error' : 'warning',
        location: path.socket.option.entryLocation,
        message:
          `${describeOption(path.socket.option)} starts uWSGI's HTTP router, which drops chunked request bodies without \`http-chunked-input\`: ` +
          `${path.takesChunked === true ? `${path.instance.app.name} uploads` : 'chunked uploads'} fail inside the app. Add \`http-chunked-input = true\`.`,
      });
    }
  },
});
