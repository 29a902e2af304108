/**
 * `WSGIDaemonProcess ... user=SOMEUSER` copied from a sample: httpd resolves the names when it reads
 * the config, so `apache2 -t` fails and Apache does not start ("AH00543: apache2: bad user name
 * SOMEUSER", AH00544 for a group). Measured on 2.4.71 / mod_wsgi 4.9.4 (lab
 * `modwsgi-placeholder-user`). Whether an arbitrary name exists needs the target host's passwd
 * (the resolver checks that only with checkHostAccounts, on the host itself); a placeholder word
 * (SOMEUSER, CHANGEME, <user>) exists on no host, so the files alone decide: an error.
 * Template variables (`%USER%`, `{{ user }}`) are filled in before deployment and are not reported.
 */
import { defineRule, describeDirective } from '../lib/engine';

const PLACEHOLDERS = [
  /^(some|your|my|the)[-_]?(user|group|account)(name)?$/i,
  /^(change[-_]?me|replace[-_]?me|fill[-_]?me|fixme|todo|xxx+|username|groupname|user[-_]name|group[-_]name)$/i,
  /^<[^<>]+>$/,
  /^\[[^\[\]]+\]$/,
];
const TEMPLATED = /\{\{|\{%|%[A-Za-z_]+%|@[A-Za-z_]+@|\$\{|\$\(/;
const ACCOUNT_OPTIONS = ['user', 'group', 'socket-user', 'script-user', 'script-group'];

function isPlaceholderAccount(name: string): boolean {
  return !TEMPLATED.test(name) && PLACEHOLDERS.some((pattern) => pattern.test(name));
}

export const rule = defineRule({
  id: 'wsgi-daemon-placeholder-account',
  severity: 'error',
  category: 'correctness',
  description: 'A placeholder account name (SOMEUSER, CHANGEME, <user>) in WSGIDaemonProcess user=/group=: `apachectl -t` fails and Apache does not start',
  targets: ['httpd', 'mod_wsgi'],
  fixHint: 'Put the real account the daemon should run as (`user=aodh group=aodh`).',
  check({ deployment, report }) {
    for (const server of deployment.apache) {
      for (const group of server.wsgiGroups) {
        for (const key of ACCOUNT_OPTIONS) {
          const name = group.options[key];
          if (name === undefined || !isPlaceholderAccount(name)) continue;
          const kind = key.endsWith('group') ? 'group' : 'user';
          report({
            location: group.directive.location,
            message:
              `${describeDirective(group.directive)}: \`${key}=${name}\` is a placeholder, not an account: httpd resolves it at start-up, \`apachectl -t\` fails ("bad ${kind} name ${name}") and Apache does not start. ` +
              `Put the real ${kind} the daemon should run as.`,
          });
        }
      }
    }
  },
});
