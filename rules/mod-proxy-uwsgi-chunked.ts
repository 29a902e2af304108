/**
 * mod_proxy_uwsgi calls ap_setup_client_block(r, REQUEST_CHUNKED_ERROR): every request with a chunked
 * body gets 411 Length Required, and proxy-sendcl (read only by mod_proxy_http and mod_proxy_fcgi)
 * does not change that (measured: lab-findings.md "Apache in front"; field-facts.md F3). The
 * model's request-body paths decide (lib/model/request-body.ts).
 */
import type { Rule } from '../lib/engine/types';
import type { RelatedLocation } from '../lib/core/finding';

export const rule: Rule = {
  meta: {
    id: 'mod-proxy-uwsgi-chunked',
    severity: 'error',
    category: 'correctness',
    description: 'A `uwsgi://` route (mod_proxy_uwsgi) answers 411 Length Required to every chunked upload, proxy-sendcl or not',
    docs: 'docs/rules/mod-proxy-uwsgi-chunked.md',
    targets: ['httpd'],
    fixable: false,
    fixHint: 'Serve the app on a uWSGI `http-socket` and proxy to it with `http://` (mod_proxy_http).',
  },
  check({ deployment, report }) {
    for (const path of deployment.requestBodies) {
      if (path.entry !== 'apache-route' || path.chunked.cause !== 'mod-proxy-uwsgi' || path.takesChunked === false) continue;
      const { route, front } = path;
      const related: RelatedLocation[] = [
        ...front.sendcl.map((setting) => ({
          location: setting.directive.location,
          message: `\`${setting.directive.name} ${setting.directive.args.map((a) => a.raw).join(' ')}\` has no effect on this route: mod_proxy_uwsgi does not read proxy-sendcl`,
        })),
        ...path.ends.map((end) => ({ location: end.socket.option.entryLocation, message: `the uWSGI socket this route reaches (${end.instance.file})` })),
      ];
      const uploader = path.apps.find((app) => app.takesChunkedUploads === true);
      report({
        severity: path.takesChunked === true ? 'error' : 'warning',
        location: route.directive.location,
        related: related.length ? related : undefined,
        message:
          `\`${route.via} ${route.path} ${route.url}\` goes through mod_proxy_uwsgi, which answers 411 Length Required to every request with a chunked body` +
          `${uploader ? ` (${uploader.name} uploads are chunked)` : ''}; \`SetEnv proxy-sendcl\` does not change that. ` +
          'Serve the app on a uWSGI `http-socket` and proxy to it with `http://` (mod_proxy_http).',
      });
    }
  },
};
