/**
 * mod_log_config's CustomLog lines and the format each logs with (facts: lib/knowledge/apache-log-formats.ts).
 * A CustomLog's format word is a nickname when the server it is in knows a `LogFormat FMT NAME` of
 * that name (its own VirtualHost's or the server scope's, in any order; case-insensitive), else the
 * format string itself. A file given without its server root is assumed to be included by Debian's
 * apache2.conf, whose nicknames it then has.
 */
import { BUILTIN_LOG_FORMAT_NICKNAMES, DEBIAN_LOG_FORMAT_NICKNAMES } from '../knowledge/apache-log-formats';
import type { ApacheServer, ResolvedDirective, VirtualHost } from './types';
import type { ApacheArgument } from '../resolve/apache/types';

export interface CustomLogFormat {
  directive: ResolvedDirective;
  /** The format argument as written. */
  format: ApacheArgument;
  vhost: VirtualHost | null;
  /**
   * `format`: a format string (has a `%`); `nickname`: a nickname the server knows; `literal`: no `%`
   * and no nickname of that name, so every line logged is the word itself; `unknown`: a template decides it.
   */
  kind: 'format' | 'nickname' | 'literal' | 'unknown';
  /** For `nickname`: where it is defined, or how it is known without a line (`CLF` built in, Debian's apache2.conf). */
  definedBy?: ResolvedDirective | 'builtin' | 'debian';
  /** For `literal`: LogFormat lines of that name in other VirtualHosts of the server (they do not reach this one). */
  elsewhere: ResolvedDirective[];
}

export function customLogFormats(server: ApacheServer): CustomLogFormat[] {
  const nicknames: Array<{ name: string; directive: ResolvedDirective; vhost: VirtualHost | null; templated: boolean }> = [];
  for (const { directive, scope } of server.directives) {
    if (directive.lname !== 'logformat' || directive.args.length < 2) continue;
    nicknames.push({ name: directive.args[1].value.toLowerCase(), directive, vhost: scope.vhost, templated: directive.args[1].templated === true });
  }
  // A nickname a template names (`LogFormat "..." {{ name }}`) may be any word its vhost logs with.
  const templatedIn = (vhost: VirtualHost | null) => nicknames.some((n) => n.templated && (n.vhost === null || n.vhost === vhost || vhost === null));
  const fragment = !server.config.wholeTree;
  const out: CustomLogFormat[] = [];
  for (const { directive, scope } of server.directives) {
    // GlobalLog (2.4.19) takes the same arguments and is read by the same code (add_global_log).
    if ((directive.lname !== 'customlog' && directive.lname !== 'globallog') || directive.args.length < 2) continue;
    const format = directive.args[1];
    const base = { directive, format, vhost: scope.vhost, elsewhere: [] as ResolvedDirective[] };
    if (format.templated || templatedIn(scope.vhost)) { out.push({ ...base, kind: 'unknown' }); continue; }
    if (format.value.includes('%')) { out.push({ ...base, kind: 'format' }); continue; }
    const name = format.value.toLowerCase();
    const named = nicknames.filter((n) => n.name === name);
    // A server-scope CustomLog is also the log of every VirtualHost without its own, looked up in
    // that VirtualHost's table: a definition in any of them counts.
    const visible = named.find((n) => n.vhost === null || n.vhost === scope.vhost || scope.vhost === null);
    if (visible) { out.push({ ...base, kind: 'nickname', definedBy: visible.directive }); continue; }
    if (BUILTIN_LOG_FORMAT_NICKNAMES.some((n) => n.toLowerCase() === name)) { out.push({ ...base, kind: 'nickname', definedBy: 'builtin' }); continue; }
    if (fragment && DEBIAN_LOG_FORMAT_NICKNAMES.some((n) => n === name)) { out.push({ ...base, kind: 'nickname', definedBy: 'debian' }); continue; }
    out.push({ ...base, kind: 'literal', elsewhere: named.map((n) => n.directive) });
  }
  return out;
}
