/**
 * mod_wsgi in the model: each WSGIScriptAlias(Match) with the settings that govern it (process
 * group, WSGIChunkedRequest), and every use of a daemon process group with what it resolves to.
 * mod_wsgi looks groups up only at request time, so a name that resolves to nothing passes
 * `apachectl -t` and fails every request with 500 (apache-facts.md W8; measured on 2.4.71 with
 * mod_wsgi 4.9.4). Daemon names are unique across the whole server ("Name duplicates previous WSGI
 * daemon definition"); a group is usable from its own vhost, from server scope, and from vhosts with
 * the same ServerName (wsgi_remote.c).
 */
import { startOffsetOf } from '../core/source';
import * as path from 'path';
import type { ResolvedDirective } from '../resolve/apache/types';
import { detectAppProfile, profileFromDirectories } from '../knowledge/app-profiles';
import { candidatesIn, indexOf } from './apache-index';
import { effectiveServerName } from './apache-queries';
import type { ApacheScope, ApacheServer, VirtualHost, WsgiApplication, WsgiDaemonGroup, WsgiGroupUse } from './types';

/** `key=value` words, keys lower-cased (mod_wsgi options, proxy worker parameters). */
export function parseKeyValues(words: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq > 0) result[word.slice(0, eq).toLowerCase()] = word.slice(eq + 1);
  }
  return result;
}

/** A WSGIScriptAlias as the settings that govern it see it: where it is, which URL and script it maps. */
interface AliasSite {
  scope: ApacheScope;
  urlPath: string;
  scriptPath: string;
}

/** The directive of a kind that governs an alias: the nearest one in its scope chain or in a Location/Directory that covers it. */
function nearestDirective(server: ApacheServer, lname: string, alias: AliasSite): ResolvedDirective | undefined {
  let found: ResolvedDirective | undefined;
  let foundDepth = -1;
  // Only directives outside every vhost or in the alias's own vhost can cover it (coverDepth).
  for (const entry of candidatesIn(indexOf(server).directivesByName.get(lname), alias.scope.vhost)) {
    const depth = coverDepth(entry.scope, alias);
    if (depth >= foundDepth && depth >= 0) {
      found = entry.directive;
      foundDepth = depth;
    }
  }
  return found;
}

/**
 * How specifically `candidate` (the scope of a directive) covers requests for an alias: -1 not at
 * all; 0 server; 1 the same vhost; 2 a Location/Directory inside it that matches the alias's URL or
 * script path.
 */
function coverDepth(candidate: ApacheScope, alias: AliasSite): number {
  if (candidate.kind === 'server') return 0;
  if (candidate.vhost !== alias.scope.vhost) return -1;
  if (candidate.kind === 'virtualhost') return 1;
  const arg = candidate.args[0] ?? '';
  if (candidate.kind === 'location' && (alias.urlPath.startsWith(arg) || arg === '/')) return 2;
  if (candidate.kind === 'directory' && alias.scriptPath.startsWith(arg.replace(/\/?$/, '/').replace(/\/\/$/, '/'))) return 2;
  if (candidate.kind === 'files' && alias.scriptPath.endsWith(arg)) return 2;
  if (candidate.kind === 'directory' || candidate.kind === 'location' || candidate.kind === 'files') return -1;
  return candidate.parent ? coverDepth(candidate.parent, alias) : -1;
}

export function buildWsgiApplication(
  { directive, scope }: { directive: ResolvedDirective; scope: ApacheScope }, server: ApacheServer, appProfiles: Record<string, string>,
): WsgiApplication | null {
  const args = directive.args.map((a) => a.value);
  const [urlPath, scriptPath] = args;
  if (urlPath === undefined || scriptPath === undefined) return null;
  const alias: AliasSite = { scope, urlPath, scriptPath };
  const options = parseKeyValues(args.slice(2));
  let processGroup = options['process-group'];
  let processGroupDirective: ResolvedDirective | undefined;
  if (processGroup === undefined) {
    processGroupDirective = nearestDirective(server, 'wsgiprocessgroup', alias);
    processGroup = processGroupDirective?.args[0]?.value ?? '%{GLOBAL}';
  }
  if (processGroup === '%{GLOBAL}') processGroup = '';
  const chunked = nearestDirective(server, 'wsgichunkedrequest', alias);
  // A templated script path splits into several words (`{{ binary_path }}/keystone-wsgi-public`):
  // the whole argument text is evidence too.
  let app = detectAppProfile([
    { text: scriptPath, location: directive.args[1].location }, { text: urlPath, location: directive.args[0].location },
    { text: directive.args.map((a) => a.raw).join(' '), location: directive.location },
  ], appProfiles);
  // A templated or copied script (`%PUBLICWSGI%`, `/var/www/cgi-bin/nova/osapi`) says nothing: the
  // daemon group and the file still name the service (`WSGIDaemonProcess nova-api`, apache-nova-api.template).
  if (app.decidedBy === 'default') {
    const fallback = detectAppProfile([
      { text: processGroup, location: (processGroupDirective ?? directive).location },
      { text: path.basename(directive.location.file), location: directive.location },
    ], appProfiles);
    if (fallback.decidedBy !== 'default') app = fallback;
    else app = profileFromDirectories(directive.location.file, directive.location) ?? app;
  }
  return {
    directive, urlPath, scriptPath, processGroup, processGroupDirective,
    chunkedRequest: { on: (chunked?.args[0]?.value ?? 'off').toLowerCase() === 'on', ...(chunked?.args[0]?.templated ? { templated: true } : {}), directive: chunked },
    vhost: scope.vhost, scope, app, server,
  };
}

/**
 * `Alias /identity /usr/bin/keystone-wsgi-public` with `SetHandler wsgi-script` in a <Location>
 * (or <Directory>/<Files>) covering it is a mod_wsgi application as much as a WSGIScriptAlias is:
 * devstack's templates and keystone's own wsgi-keystone.conf mount services at a URL path that way.
 */
export function buildAliasedWsgiApplication(
  entry: { directive: ResolvedDirective; scope: ApacheScope }, server: ApacheServer, appProfiles: Record<string, string>,
): WsgiApplication | null {
  const [urlPath, scriptPath] = entry.directive.args.map((a) => a.value);
  if (urlPath === undefined || scriptPath === undefined || entry.directive.args.length !== 2 || scriptPath.endsWith('/')) return null;
  if (server.loadedModules && !server.loadedModules.has('wsgi_module')) return null;
  const handler = nearestDirective(server, 'sethandler', { scope: entry.scope, urlPath, scriptPath });
  if ((handler?.args[0]?.value ?? '').toLowerCase() !== 'wsgi-script') return null;
  return buildWsgiApplication(entry, server, appProfiles);
}

/** Every WSGIProcessGroup and process-group= of the server, in config order, resolved. */
export function buildWsgiGroupUses(server: ApacheServer): WsgiGroupUse[] {
  // Without mod_wsgi the WSGI* lines are "Invalid command" (the parser says so): they use nothing.
  if (server.loadedModules && !server.loadedModules.has('wsgi_module')) return [];
  const wholeTree = server.loadedModules !== null;
  // httpd itself refuses some of these at start-up (a WSGIScriptAlias naming a group with a daemon
  // not defined before it: "WSGI process group not yet configured."): the parser reports those.
  const refused = new Set(server.config.findings.filter((f) => f.ruleId === 'apache-directive-arguments').map((f) => `${f.location.file}:${startOffsetOf(f.location)}`));
  const byName = new Map<string, WsgiDaemonGroup[]>();
  for (const group of server.wsgiGroups) byName.set(group.name, [...(byName.get(group.name) ?? []), group]);
  const uses: WsgiGroupUse[] = [];
  for (const { directive, scope } of server.directives) {
    const args = directive.args.map((a) => a.value);
    let use: Pick<WsgiGroupUse, 'name' | 'via' | 'written'> | undefined;
    if (directive.lname === 'wsgiprocessgroup' && args[0]) use = { name: args[0], via: 'WSGIProcessGroup', written: `WSGIProcessGroup ${args[0]}` };
    if (directive.lname === 'wsgiscriptalias' || directive.lname === 'wsgiscriptaliasmatch') {
      const option = args.slice(2).find((word) => word.startsWith('process-group='));
      if (option) use = { name: option.slice('process-group='.length), via: 'process-group=', written: option };
    }
    if (!use || use.name === '') continue;
    const definitions = byName.get(use.name) ?? [];
    uses.push({
      ...use, directive, scope, vhost: scope.vhost, definitions,
      access: accessOf(server, { name: use.name, vhost: scope.vhost, definitions, wholeTree }),
      refusedAtStartup: refused.has(`${directive.location.file}:${startOffsetOf(directive.location)}`),
    });
  }
  return uses;
}

function accessOf(
  server: ApacheServer, use: { name: string; vhost: VirtualHost | null; definitions: WsgiDaemonGroup[]; wholeTree: boolean },
): WsgiGroupUse['access'] {
  if (use.name === '%{GLOBAL}') return 'embedded';
  if (use.name.startsWith('%{')) return 'per-request';
  if (use.definitions.length === 0) return use.wholeTree ? 'undefined' : 'unknown';
  return use.definitions.some((group) => accessible(server, group, use.vhost)) ? 'defined' : 'other-vhost';
}

/** Can requests served by `vhost` use `group`? Same vhost, a global group, or every serving vhost with the group's ServerName. */
function accessible(server: ApacheServer, group: WsgiDaemonGroup, vhost: VirtualHost | null): boolean {
  if (group.vhost === null || group.vhost === vhost) return true;
  const serving = vhost ? [vhost] : server.vhosts.length > 0 ? server.vhosts : [null];
  const groupName = effectiveServerName(server, group.vhost);
  return serving.every((v) => v === group.vhost || effectiveServerName(server, v) === groupName);
}
