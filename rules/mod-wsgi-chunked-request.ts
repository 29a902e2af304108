/**
 * mod_wsgi answers 411 Length Required to a `Transfer-Encoding: chunked` request unless
 * `WSGIChunkedRequest On` applies to it (measured: lab-findings.md "Apache in front"; apache-facts.md
 * W1-W3). With it On the app reads wsgi.input to EOF, since no CONTENT_LENGTH is given. The model's
 * request-body paths decide (lib/model/request-body.ts); the finding is on the deciding line.
 * Severity follows the app's clients: an error for an app whose clients
 * send chunked uploads (Glance), a warning naming the assumption for an app of unknown traffic,
 * nothing for a service whose clients never send chunked bodies (nothing is lost: every OpenStack
 * API but Glance), nor for one whose chunked endpoint refuses mod_wsgi anyway (gnocchi's InfluxDB
 * writes answer 501 outside uWSGI, so WSGIChunkedRequest would change nothing).
 */
import { defineRule, describeDirective, insertLineAfter, replaceAt, sourceOf, writtenDirective } from '../lib/engine';
import { chunkedTrafficClause } from '../lib/knowledge/app-profiles';

export const rule = defineRule({
  id: 'mod-wsgi-chunked-request',
  severity: 'error',
  severities: ['error', 'warning'],
  category: 'correctness',
  description: 'A mod_wsgi application without `WSGIChunkedRequest On` answers 411 Length Required to chunked uploads',
  targets: ['httpd', 'mod_wsgi'],
  fixable: true,
  fixHint: 'Add `WSGIChunkedRequest On` to the VirtualHost (or a <Location>/<Directory> covering the app), and have the app read wsgi.input to EOF.',
  check({ deployment, report }) {
    for (const path of deployment.requestBodies) {
      if (path.entry !== 'mod-wsgi' || path.chunked.cause !== 'mod-wsgi-chunked-off' || path.takesChunked === false) continue;
      const app = path.wsgiApp;
      if (app.app.chunkedNeedsUwsgi) continue;
      const off = app.chunkedRequest.directive;
      // `WSGIChunkedRequest On` after the app's WSGIScriptAlias: safe for a service whose uploads are
      // chunked; for a generic app it lets chunked bodies reach code that may not read wsgi.input to
      // EOF, a change beyond the finding (unsafe). An `Off` turned `On` may govern other apps too: unsafe.
      const arg = off?.args[0];
      const edit = off
        ? (arg && writtenDirective(off) && sourceOf(arg.location) === arg.raw && /^off$/i.test(arg.value) ? replaceAt(arg.location, 'On') : undefined)
        : (writtenDirective(app.directive) ? insertLineAfter(app.directive.location, 'WSGIChunkedRequest On') : undefined);
      report({
        fix: edit && { description: off ? 'set `WSGIChunkedRequest On`' : 'add `WSGIChunkedRequest On`', edits: [edit], applicability: path.takesChunked === true && !off ? 'safe' : 'unsafe' },
        // Uploads of an app known to take chunked bodies fail; for a generic app it depends on clients.
        severity: path.takesChunked === true ? 'error' : 'warning',
        location: path.chunked.decidedBy[0],
        related: off ? [{ location: app.directive.location, message: `${describeDirective(app.directive)}: the application this setting governs` }] : undefined,
        message:
          `${describeDirective(app.directive)} is served by mod_wsgi ${off ? 'with `WSGIChunkedRequest Off`' : 'without `WSGIChunkedRequest On`'}, so chunked uploads get 411 Length Required (${chunkedTrafficClause(path.apps)}). ` +
          `${off ? 'Set it to `WSGIChunkedRequest On`' : `Add \`WSGIChunkedRequest On\` to ${app.vhost ? 'the VirtualHost' : 'the server config'}`}, and have the app read wsgi.input to EOF.`,
      });
    }
  },
});
