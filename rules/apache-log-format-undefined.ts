/**
 * `CustomLog FILE NAME` where NAME has no `%` and no `LogFormat ... NAME` reaches it: mod_log_config
 * takes the word as the format string itself, and every line of that log is the word (measured on
 * 2.4.71, lab `apache-log-format-undefined-*`: `CustomLog access.log proxy` without `LogFormat ...
 * proxy` wrote `proxy` for a request). httpd starts and says nothing. The nickname is looked up after
 * the whole config is read, in the VirtualHost's own LogFormat lines and the server scope's
 * (whatever their order, case-insensitive); one defined only in another VirtualHost does not count.
 * mod_log_config has one nickname built in (`CLF`); Debian's apache2.conf defines vhost_combined,
 * combined, common, referer and agent, which a file given without its server root is assumed to get.
 *
 * A warning, not an error: every request is still served, and no request's data is lost; what is
 * lost is the access log's record of the requests, which matters as far as someone reads that log
 * (and, with `env=`, as far as requests carry the variable), which the files do not tell.
 */
import { code, defineRule, describeDirective } from '../lib/engine';
import { DEBIAN_LOG_FORMAT_NICKNAMES } from '../lib/knowledge/apache-log-formats';
import { customLogFormats } from '../lib/model/apache-log';

export const rule = defineRule({
  id: 'apache-log-format-undefined',
  severity: 'warning',
  category: 'correctness',
  description: 'A CustomLog names a format nickname no LogFormat defines: every line of that log is the bare word',
  targets: ['httpd'],
  fixHint: 'Define the nickname (`LogFormat "%h %l %u %t \\"%r\\" %>s %O" proxy`) at server scope or in the VirtualHost, or name a defined one (combined).',
  check({ deployment, report }) {
    for (const server of deployment.apache) {
      const fragment = !server.config.wholeTree;
      for (const log of customLogFormats(server)) {
        if (log.kind !== 'literal') continue;
        const word = log.format.value;
        const where = fragment
          ? ` here, nor by Debian's apache2.conf (${DEBIAN_LOG_FORMAT_NICKNAMES.map((n) => code(n)).join(', ')}), assumed to include this file`
          : ' in this server';
        const other = log.elsewhere.length ? ' (another VirtualHost\'s does not count)' : '';
        report({
          location: log.format.location,
          message:
            `${describeDirective(log.directive)}: no \`LogFormat ... ${word}\` is defined${where}${other}, so mod_log_config takes \`${word}\` as the format and every line of this log is that word. ` +
            `Define \`LogFormat "%h %l %u %t \\"%r\\" %>s %O" ${word}\` at server scope or in this VirtualHost, or use a defined format such as \`combined\`.`,
          related: log.elsewhere.length ? log.elsewhere.map((d) => ({ location: d.location, message: `${describeDirective(d)}: in another VirtualHost` })) : undefined,
        });
      }
    }
  },
});
