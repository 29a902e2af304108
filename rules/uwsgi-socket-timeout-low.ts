/**
 * `socket-timeout` (default 4 s) is how long a worker waits for the next bytes of a request body.
 * A client that stalls longer mid-upload loses the request: the app gets OSError on wsgi.input and
 * mod_proxy_http answers 502 (field-facts.md F1; lab-findings.md "Stalled uploads"). devstack raised
 * it to 30 s for Glance (b79531a9, LP#1701088). When Apache spools a chunked body first
 * (`SetEnv proxy-sendcl 1` on a mod_proxy_http route, F6) that stall never reaches uWSGI, but a
 * Content-Length body is streamed all the same (lab: proxyhttp-httpsocket-timeout-2-sendcl-location).
 * Always a warning: a steady upload, however long, goes through (F1: 50 KB/s for 8 s against 2 s);
 * only a client pause longer than the timeout fails it, and the files cannot show client pauses.
 */
import { defineRule, describeOption, insertUwsgiOption, replaceUwsgiValue, uwsgiOptionClaim } from '../lib/engine';
import { instanceAnchor } from '../lib/model/uwsgi';
import type { Deployment, UwsgiInstance } from '../lib/model/types';

/** devstack's value for Glance (b79531a9, "from 4 secs", LP#1701088). */
const DEFAULT_FLOOR = 30;

/**
 * Why chunked uploads are safe from a stall even so: Apache spools them on every route to the
 * instance (an unconditional proxy-sendcl on mod_proxy_http or fcgi routes: a Content-Length body is
 * still streamed, measured in the lab), or chunked reads wait a long enough chunked-input-timeout.
 */
function chunkedCover(deployment: Deployment, instance: UwsgiInstance, floor: number): string | undefined {
  const chunkedInput = instance.timeouts.chunkedInput;
  if (chunkedInput.option && (chunkedInput.seconds ?? 0) >= floor) return `\`chunked-input-timeout = ${chunkedInput.value}\``;
  const routes = deployment.bodyPathsTo(instance);
  if (routes.length > 0 && routes.every((path) => path.front.spools === 'always')) return 'proxy-sendcl spools them';
  return undefined;
}

export const rule = defineRule({
  id: 'uwsgi-socket-timeout-low',
  severity: 'warning',
  category: 'reliability',
  description: '`socket-timeout` (default 4 s) below the floor for a service that streams long uploads: a client stall kills the upload',
  targets: ['uwsgi'],
  fixable: true,
  // Raising a timeout lets every stalled client hold a worker longer: a change beyond the finding.
  fixApplicability: 'unsafe',
  fixHint: 'Set `socket-timeout = 30` (or more) on instances that take long uploads.',
  check({ deployment, report, options }) {
    const floor = typeof options.floor === 'number' && options.floor > 0 ? options.floor : DEFAULT_FLOOR;
    for (const instance of deployment.uwsgi) {
      const timeout = instance.timeouts.socket;
      // A quoted value reads as 0: uwsgi-quoted-value reports that one.
      if (timeout.seconds === undefined || timeout.seconds >= floor) continue;
      const streams = instance.app.streamsLongUploads;
      const uploadSignal = instance.uploadOptions[0];
      // Generic apps run with the default everywhere; only an instance configured for uploads is worth a warning.
      if (!streams && !(instance.app.takesChunkedUploads === 'unknown' && uploadSignal)) continue;
      // With chunked uploads covered, only Content-Length uploads are left on socket-timeout.
      const cover = chunkedCover(deployment, instance, floor);
      const what = streams ? `${instance.app.name} streams long uploads` : `this instance is set up for uploads (\`${uploadSignal!.key}\`)`;
      const exposure = cover ? `; chunked ones are safe (${cover})` : '';
      const edit = timeout.option
        ? replaceUwsgiValue(instance, timeout.option, String(floor))
        : insertUwsgiOption(instance, [instance.sockets[instance.sockets.length - 1]?.option, instance.entries[0]], 'socket-timeout', String(floor));
      report({
        fix: edit && { description: `${timeout.option ? 'raise' : 'set'} \`socket-timeout = ${floor}\``, edits: [edit], claims: [uwsgiOptionClaim(instance, 'socket-timeout')] },
        location: timeout.option?.entryLocation ?? instanceAnchor(instance),
        related: uploadSignal && !streams ? [{ location: uploadSignal.entryLocation, message: 'upload option' }] : undefined,
        message:
          `${timeout.isDefault ? '`socket-timeout` is unset' : describeOption(timeout.option!)}: uWSGI waits only ${timeout.seconds} s for a body's next bytes, and ${what}, so a client that pauses longer than that mid-upload loses it (502 through mod_proxy_http)${exposure}. ` +
          `Set \`socket-timeout = ${floor}\` or more.`,
      });
    }
  },
});
