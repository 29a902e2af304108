/**
 * mod_wsgi looks a process group up only at request time: a WSGIProcessGroup / process-group= that
 * names no WSGIDaemonProcess, or one defined in a vhost with another ServerName, passes `apachectl -t`
 * and fails every request with 500 (apache-facts.md W8; measured on 2.4.71 with mod_wsgi 4.9.4).
 * Daemon names are unique across the whole server ("Name duplicates previous WSGI daemon definition"),
 * so a group defined in another vhost of the same file cannot also be defined elsewhere; a name
 * defined nowhere in the file is reported only for a whole server tree. The model resolves every
 * use (lib/model/wsgi.ts); this rule reports those that resolve to nothing.
 */
import { defineRule } from '../lib/engine';
import { effectiveServerName } from '../lib/model/apache-queries';

export const rule = defineRule({
  id: 'wsgi-process-group-undefined',
  severity: 'error',
  category: 'correctness',
  description: 'WSGIProcessGroup / process-group= names a daemon process group this virtual host cannot use; every request gets 500',
  targets: ['httpd', 'mod_wsgi'],
  fixHint: 'Define the group with `WSGIDaemonProcess NAME ...` in the same VirtualHost (or at server scope), or fix the name.',
  check({ deployment, report }) {
    for (const server of deployment.apache) {
      // httpd refuses some of these at start-up (the parser reports them): "apachectl -t passes" would be wrong there.
      for (const use of server.wsgiGroupUses.filter((u) => !u.refusedAtStartup)) {
        if (use.access === 'undefined') {
          const near = server.wsgiGroups.find((group) => group.name.toLowerCase() === use.name.toLowerCase());
          report({
            location: use.directive.location,
            related: near ? [{ location: near.directive.location, message: `\`WSGIDaemonProcess ${near.name}\`: names are case-sensitive` }] : undefined,
            message:
              `\`${use.written}\` names a daemon process group no \`WSGIDaemonProcess\` of this server defines: \`apachectl -t\` passes, but every request gets 500. ` +
              `${near ? `Did you mean \`${near.name}\`? ` : ''}Define it with \`WSGIDaemonProcess ${use.name} ...\` or fix the name.`,
          });
        } else if (use.access === 'other-vhost') {
          const group = use.definitions[0];
          const here = effectiveServerName(server, use.vhost) || '(none)';
          const there = effectiveServerName(server, group.vhost) || '(none)';
          report({
            location: use.directive.location,
            related: [{ location: group.directive.location, message: `\`WSGIDaemonProcess ${group.name}\` is defined here, in a VirtualHost with ServerName ${there}` }],
            message:
              `\`${use.written}\` uses a daemon process group of another VirtualHost (ServerName ${there}, not ${here}): \`apachectl -t\` passes, but every request gets 500. ` +
              'Define the WSGIDaemonProcess in this VirtualHost (under another name) or at server scope.',
          });
        }
      }
    }
  },
});
