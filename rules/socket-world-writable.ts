/**
 * `chmod-socket = 666` (or `= 1`) makes a uWSGI unix socket writable by every local user: any
 * process on the host can talk to the app directly, past Apache, and set the variables Apache
 * would set (REMOTE_USER, HTTPS, REMOTE_ADDR). devstack writes it for every API. chmod-socket acts
 * only on unix sockets (uwsgi-facts.md 1.4: exactly 3 octal digits, or 1 for 666). In an ini file a
 * bare `chmod-socket` is an empty value, which uWSGI rejects (measured on 2.0.21).
 */
import { defineRule, describeOption, replaceUwsgiValue } from '../lib/engine';
import type { UwsgiInstance } from '../lib/model/types';
import { isTemplatedValue } from '../lib/model/uwsgi';

/** The socket mode uWSGI will set, or null when it refuses the value (`invalid chmod value`). */
function socketMode(value: string): number | null {
  const v = value.trim();
  if (v === '1') return 0o666;
  return /^[0-7]{3}$/.test(v) ? parseInt(v, 8) : null;
}

/** Unix sockets with a file (abstract `@name` sockets have no permissions to set). */
function filesystemSockets(instance: UwsgiInstance) {
  return instance.sockets.filter((s) => s.endpoint.kind === 'unix' && !s.endpoint.path.startsWith('@'));
}

export const rule = defineRule({
  id: 'socket-world-writable',
  severity: 'warning',
  severities: ['error', 'warning', 'info'],
  category: 'security',
  description: '`chmod-socket = 666` makes the uWSGI unix socket writable by every local user (and does nothing for TCP sockets)',
  targets: ['uwsgi'],
  fixable: true,
  // 660 keeps out every user but the socket's owner and group: unless `chown-socket` gives the socket
  // to Apache's group (www-data on Debian, apache on RHEL: the files do not say), Apache itself can no
  // longer connect. Measured with the lab harness (uWSGI as root, Apache as www-data, mod_proxy_uwsgi
  // over the unix socket): 666 gives 200, 660 gives 503. So the edit is shown, never applied by --fix.
  fixApplicability: 'display-only',
  fixHint: 'Use `chmod-socket = 660` with `chown-socket = <user>:<apache group>` so that only Apache can connect.',
  check({ deployment, report }) {
    for (const instance of deployment.uwsgi) {
      const option = instance.last('chmod-socket');
      if (!option || /^\s*["']/.test(option.value) || isTemplatedValue(option.value, option)) continue; // quoted: uwsgi-quoted-value
      const mode = socketMode(option.uwsgiValue);
      if (mode === null) {
        report({
          severity: 'error',
          location: option.entryLocation,
          message: `${describeOption(option)} is not a mode uWSGI accepts in an ini file (three octal digits, or 1): it exits at start-up with "invalid chmod value". Write \`chmod-socket = 660\` (or 666 if every local user must connect).`,
        });
        continue;
      }
      const unix = filesystemSockets(instance);
      if (unix.length === 0) {
        // Only TCP (or abstract) sockets: the option has nothing to act on. With no socket in the
        // file (set by environment or command line), nothing can be said.
        if (instance.sockets.length > 0 && instance.sockets.every((s) => s.endpoint.kind !== 'unresolved' || s.endpoint.transport === 'tcp')) {
          report({
            severity: 'info',
            location: option.entryLocation,
            message: `${describeOption(option)} does nothing: this instance has no unix socket file to change, only ${instance.sockets.map((s) => describeOption(s.option)).join(', ')}. Remove it.`,
          });
        }
        continue;
      }
      if ((mode & 0o002) === 0) continue;
      const which = unix.length === 1 && unix[0].endpoint.kind === 'unix' ? `the unix socket ${unix[0].endpoint.path}` : 'the unix sockets';
      const edit = replaceUwsgiValue(instance, option, '660');
      report({
        fix: edit && { description: 'write `chmod-socket = 660` (and set `chown-socket` to the Apache group)', edits: [edit] },
        location: option.entryLocation,
        related: unix.map((s) => ({ location: s.option.entryLocation, message: 'unix socket made world-writable' })),
        message:
          `${describeOption(option)} makes ${which} writable by every local user, who can then send requests to the app past Apache and its access control. ` +
          'Use `chmod-socket = 660` with `chown-socket` set to the Apache group.',
      });
    }
  },
});
