/**
 * mod_wsgi looks a process group up only at request time: a WSGIProcessGroup / process-group= that
 * names no WSGIDaemonProcess, or one defined in a vhost with another ServerName, passes `apachectl -t`
 * and fails every request with 500 (apache-facts.md W8; measured on 2.4.71 with mod_wsgi 4.9.4).
 * Daemon names are unique across the whole server ("Name duplicates previous WSGI daemon definition"),
 * so a group defined in another vhost of the same file cannot also be defined elsewhere; a name
 * defined nowhere in the file is reported only for a whole server tree.
 */
import type { Rule } from '../lib/engine/types';
import type { ApacheServer, ResolvedDirective, VirtualHost, WsgiDaemonGroup } from '../lib/model/types';
import { effectiveServerName } from '../lib/model/apache';

interface GroupUse { name: string; directive: ResolvedDirective; vhost: VirtualHost | null; written: string }

function usesOf(server: ApacheServer): GroupUse[] {
  const uses: GroupUse[] = [];
  for (const { directive, scope } of server.directives) {
    const args = directive.args.map((a) => a.value);
    if (directive.lname === 'wsgiprocessgroup' && args[0]) {
      uses.push({ name: args[0], directive, vhost: scope.vhost, written: `WSGIProcessGroup ${args[0]}` });
    }
    if (directive.lname === 'wsgiscriptalias' || directive.lname === 'wsgiscriptaliasmatch') {
      const option = args.slice(2).find((word) => word.startsWith('process-group='));
      if (option) uses.push({ name: option.slice('process-group='.length), directive, vhost: scope.vhost, written: option });
    }
  }
  // %{GLOBAL} is embedded mode; %{ENV:var} is decided per request.
  return uses.filter((use) => use.name !== '' && !use.name.startsWith('%{'));
}

/** Can requests served by `vhost` use `group`? Same vhost, a global group, or a vhost with the same ServerName (wsgi_remote.c). */
function accessible(server: ApacheServer, group: WsgiDaemonGroup, vhost: VirtualHost | null): boolean {
  if (group.vhost === null || group.vhost === vhost) return true;
  const serving = vhost ? [vhost] : server.vhosts.length > 0 ? server.vhosts : [null];
  const groupName = effectiveServerName(server, group.vhost);
  return serving.every((v) => v === group.vhost || effectiveServerName(server, v) === groupName);
}

export const rule: Rule = {
  meta: {
    id: 'wsgi-process-group-undefined',
    severity: 'error',
    category: 'correctness',
    description: 'WSGIProcessGroup / process-group= names a daemon process group this virtual host cannot use; every request gets 500',
    docs: 'docs/rules/wsgi-process-group-undefined.md',
    targets: ['httpd', 'mod_wsgi'],
    fixable: false,
    fixHint: 'Define the group with `WSGIDaemonProcess NAME ...` in the same VirtualHost (or at server scope), or fix the name.',
  },
  check({ deployment, report }) {
    for (const server of deployment.apache) {
      const wholeTree = server.loadedModules !== null;
      // Without mod_wsgi the WSGI* lines are "Invalid command" (the parser says so): nothing to add.
      if (server.loadedModules && !server.loadedModules.has('wsgi_module')) continue;
      // httpd itself refuses some of these at start-up (a WSGIScriptAlias naming both groups, with a
      // daemon not defined before it: "WSGI process group not yet configured."); the parser reports
      // those, and this rule's "apachectl -t passes" would be wrong there.
      const refused = new Set(server.config.findings.filter((f) => f.ruleId === 'apache-directive-arguments').map((f) => `${f.location.file}:${f.location.range.start.offset}`));
      for (const use of usesOf(server)) {
        if (refused.has(`${use.directive.location.file}:${use.directive.location.range.start.offset}`)) continue;
        const groups = server.wsgiGroups.filter((group) => group.name === use.name);
        if (groups.length === 0) {
          if (!wholeTree) continue; // a snippet's group may be defined by another file of the server
          const near = server.wsgiGroups.find((group) => group.name.toLowerCase() === use.name.toLowerCase());
          report({
            location: use.directive.location,
            related: near ? [{ location: near.directive.location, message: `\`WSGIDaemonProcess ${near.name}\`: names are case-sensitive` }] : undefined,
            message:
              `\`${use.written}\` names a daemon process group that no \`WSGIDaemonProcess\` of this server defines: \`apachectl -t\` passes, but every request gets 500 ("No WSGI daemon process called '${use.name}' has been configured"). ` +
              `${near ? `Did you mean \`${near.name}\`? ` : ''}Define it with \`WSGIDaemonProcess ${use.name} ...\` or fix the name.`,
          });
          continue;
        }
        if (groups.some((group) => accessible(server, group, use.vhost))) continue;
        const group = groups[0];
        const here = effectiveServerName(server, use.vhost) || '(none)';
        const there = effectiveServerName(server, group.vhost) || '(none)';
        report({
          location: use.directive.location,
          related: [{ location: group.directive.location, message: `\`WSGIDaemonProcess ${group.name}\` is defined here, in a VirtualHost with ServerName ${there}` }],
          message:
            `\`${use.written}\` uses the daemon process group '${use.name}', which is defined in another VirtualHost (ServerName ${there}, not ${here}): \`apachectl -t\` passes, but every request gets 500 ("Daemon process called '${use.name}' cannot be accessed by this WSGI application"). ` +
            'Define the WSGIDaemonProcess in this VirtualHost (under another name) or at server scope.',
        });
      }
    }
  },
};
