/**
 * httpd 2.2 names that 2.4 still reads but no longer needs. `NameVirtualHost` does nothing since
 * 2.3.11 (name-based virtual hosts need no declaration): httpd logs "AH00548: NameVirtualHost has no
 * effect and will be removed in the next release" at every start. `MaxRequestsPerChild` and
 * `MaxClients` are old names of `MaxConnectionsPerChild` and `MaxRequestWorkers`: they still set
 * them, and httpd calls them deprecated ("AH00545: MaxRequestsPerChild is deprecated, use
 * MaxConnectionsPerChild instead", AH00521 / prefork AH00188 for MaxClients) only at start-up log
 * level info (`apache2 -t -e info`). Measured on 2.4.71 (lab `apache-obsolete-names` for AH00548).
 * Nothing fails: info, with a safe fix (delete the line; the current name).
 */
import { code, defineRule, deleteLines, describeDirective, replaceAt, writtenDirective } from '../lib/engine';
import type { TextEdit } from '../lib/core/finding';

interface Obsolete {
  /** The current name, or null when the directive does nothing. */
  current: string | null;
  said: string;
}

const OBSOLETE: Record<string, Obsolete> = {
  namevirtualhost: { current: null, said: 'logs "AH00548: NameVirtualHost has no effect and will be removed in the next release" at every start' },
  maxrequestsperchild: { current: 'MaxConnectionsPerChild', said: 'calls it deprecated (AH00545, shown with `apache2 -t -e info`)' },
  maxclients: { current: 'MaxRequestWorkers', said: 'calls it deprecated (AH00521, prefork AH00188, shown with `apache2 -t -e info`)' },
};

export const rule = defineRule({
  id: 'apache-obsolete-directive',
  severity: 'info',
  category: 'compatibility',
  description: 'An httpd 2.2 directive 2.4 ignores (`NameVirtualHost`) or reads under an old name (`MaxRequestsPerChild`, `MaxClients`)',
  targets: ['httpd'],
  fixable: true,
  fixHint: 'Remove `NameVirtualHost`; write `MaxConnectionsPerChild` and `MaxRequestWorkers` instead of their old names.',
  check({ deployment, report }) {
    for (const server of deployment.apache) {
      for (const { directive } of server.directives) {
        const obsolete = OBSOLETE[directive.lname];
        if (!obsolete) continue;
        const written = writtenDirective(directive);
        let edit: TextEdit | undefined;
        if (written) edit = obsolete.current ? replaceAt(directive.nameLocation, obsolete.current) : deleteLines(directive.location);
        const message = obsolete.current
          ? `${describeDirective(directive)}: ${code(directive.name)} is httpd 2.2's name of ${code(obsolete.current)}; httpd 2.4 still reads it and ${obsolete.said}. Write ${code(obsolete.current)}.`
          : `${describeDirective(directive)} does nothing in httpd 2.4: name-based virtual hosts need no declaration, and httpd ${obsolete.said}. Remove the line.`;
        report({
          location: directive.location,
          message,
          ...(edit ? { fix: { description: obsolete.current ? `rename to ${code(obsolete.current)}` : 'remove the line', edits: [edit], applicability: 'safe' as const } } : {}),
        });
      }
    }
  },
});
