/**
 * A ProxyPass maps a URL path onto a target by plain string replacement: the request's rest after
 * the path is appended to the target as it is. When only one of the two ends with a slash, the
 * backend gets a wrong URL (measured on apache2 2.4.71, docs/lab.md section 14):
 *
 * - the path ends with `/` and the target does not: the rest is glued to the target. A target without
 *   a path glues it to the host (`/app/x` -> `http://127.0.0.1:8000x`): every request below the path
 *   gets 500 (AH00898 DNS lookup failure), for http://, uwsgi:// and unix sockets alike, and a
 *   `balancer://` name becomes an unknown one (500, AH01144). An error: the files alone decide it.
 *   A target with a path glues the rest to its last segment (`/api` + `x` = `/apix`): a warning, as the
 *   backend serves that only if it has such paths.
 * - the target ends with `/` and the path does not (`ProxyPass /app http://h/`, its `<Location /app>`
 *   form, or a ProxyPassMatch whose target has no `$N`, to which httpd appends the whole URL path):
 *   the backend gets a doubled slash (`//x`). Whether its router takes that is the app's business: a
 *   warning naming that assumption. mod_proxy_uwsgi folds the slashes at the start of PATH_INFO, so to
 *   a bare `uwsgi://host/` target the slash does nothing (info); behind a target with a path
 *   (`uwsgi://h/api/`) the doubled slash reaches the app there too (`/api//x`).
 *
 * Templates: a word whose end is template markup is not judged (the markup may end with a slash or
 * not); a literal slash after markup (`<%= @dest %>/`) is judged.
 */
import { defineRule, describeRoute, replaceWithin, sourceOf, writtenDirective } from '../lib/engine';
import type { TextEdit } from '../lib/core/finding';
import type { ProxyRoute } from '../lib/model/types';

type ApacheArgument = ProxyRoute['directive']['args'][number];

/** Schemes whose path handling the lab measured; a templated target's scheme is not known ('other'). */
const JUDGED = new Set(['http', 'https', 'uwsgi', 'balancer']);

/** Does the word end with a slash: true/false, or null when template markup decides its end. */
function endsWithSlash(value: string, arg: ApacheArgument | undefined): boolean | null {
  if (value.endsWith('/')) return true; // a placeholder never holds a slash: this one is literal
  // A templated word ending in a placeholder character may end in markup, which may end with a slash.
  if (arg?.templated && /[A-Za-z0-9_]$/.test(value)) return null;
  return false;
}

/** The target after a `unix:/path|` prefix, split into scheme, authority and path. */
function splitTarget(url: string): { backend: string; scheme: string | null; authorityEnd: number; hasPath: boolean } {
  const backend = /^unix:/i.test(url) && url.includes('|') ? url.slice(url.indexOf('|') + 1) : url;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/]*)(\/.*)?$/.exec(backend);
  if (!m) return { backend, scheme: null, authorityEnd: backend.length, hasPath: false };
  const authorityEnd = m[1].length + 3 + m[2].length;
  return { backend, scheme: m[1].toLowerCase(), authorityEnd, hasPath: m[3] !== undefined && m[3] !== '/' };
}

/** The target's path as the backend's URL starts (`/`, `/api/`); `…/` when template markup holds it. */
function basePath(target: ReturnType<typeof splitTarget>): string {
  return target.scheme ? target.backend.slice(target.authorityEnd) || '/' : '…/';
}

/** The argument of the directive (or of its <Location>/<LocationMatch>) that holds `value`. */
function argumentOf(route: ProxyRoute, value: string, fromSection: boolean): ApacheArgument | undefined {
  if (!fromSection) return route.directive.args.find((a) => a.value === value);
  for (let s = route.scope as ProxyRoute['scope'] | null; s; s = s.parent) {
    if ((s.kind === 'location' || s.kind === 'locationmatch') && s.section) return s.section.args.find((a) => a.value === value);
  }
  return undefined;
}

/** An edit adding (`add`) or removing the slash at the end of a written word, quotes kept. */
function slashEdit(route: ProxyRoute, arg: ApacheArgument | undefined, add: boolean): TextEdit | undefined {
  if (!arg || !writtenDirective(route.directive) || sourceOf(arg.location) !== arg.raw) return undefined;
  const quote = arg.quoted && /["']$/.test(arg.raw) ? 1 : 0;
  const end = arg.raw.length - quote;
  if (add) return arg.raw[end - 1] === '/' ? undefined : replaceWithin(arg.location, end, end, '/');
  return arg.raw[end - 1] === '/' && arg.raw[end - 2] !== '/' ? replaceWithin(arg.location, end - 1, end, '') : undefined;
}

/** The target's trailing slash does nothing to a mod_proxy_uwsgi backend without a path (PATH_INFO is folded). */
function foldedByUwsgi(route: ProxyRoute, scheme: string | null, hasPath: boolean): boolean {
  if (scheme === 'uwsgi') return !hasPath;
  if (scheme === 'balancer') {
    const members = route.balancer?.members ?? [];
    return members.length > 0 && members.every((m) => /^uwsgi:\/\/[^/]*\/?$/i.test(m.url.replace(/^unix:[^|]*\|/i, '')));
  }
  return false;
}

export const rule = defineRule({
  id: 'proxy-pass-trailing-slash',
  severity: 'error',
  severities: ['error', 'warning', 'info'],
  category: 'correctness',
  description: 'A ProxyPass whose path and target disagree on the trailing slash glues the URL to the host (500) or sends the backend a doubled or missing slash',
  targets: ['httpd'],
  fixable: true,
  fixHint: 'End both the path and the target with a slash, or neither (`ProxyPass /app/ http://127.0.0.1:8000/`, `ProxyPass /app http://127.0.0.1:8000`).',
  check({ deployment, report }) {
    for (const route of deployment.routes) {
      if (route.via !== 'ProxyPass' && route.via !== 'ProxyPassMatch') continue;
      const target = splitTarget(route.url);
      const urlArg = argumentOf(route, route.url, false);
      const templatedUrl = urlArg?.templated === true;
      if (!(target.scheme !== null ? JUDGED.has(target.scheme) : templatedUrl)) continue;
      const targetSlash = endsWithSlash(route.url, urlArg);
      if (targetSlash === null) continue;
      // The path is the directive's own word, or its <Location>'s when written in one.
      const words = route.directive.args[0]?.value === '~' ? route.directive.args.slice(1) : route.directive.args;
      const pathFromSection = words[0]?.value === route.url;
      const pathArg = argumentOf(route, route.path, pathFromSection);
      const related = pathFromSection && pathArg ? [{ location: pathArg.location, message: `the path \`${route.path}\` this ProxyPass serves comes from its section` }] : undefined;
      const shown = target.backend !== route.url ? ` (\`${target.backend}\`)` : '';
      /** The target's extra slash: info where mod_proxy_uwsgi folds it, else a warning about the doubled slash. */
      const extraSlash = (messages: { folded: string; doubled: string }) => {
        const folded = foldedByUwsgi(route, target.scheme, target.hasPath);
        const edit = slashEdit(route, urlArg, false);
        report({
          severity: folded ? 'info' : 'warning',
          location: route.directive.location,
          related,
          fix: edit && { description: 'drop the target\'s trailing slash', edits: [edit] },
          message: folded ? messages.folded : messages.doubled,
        });
      };

      if (route.via === 'ProxyPassMatch' || route.pathIsRegex) {
        // A regex route: only ProxyPassMatch without `$N` is judged, where httpd appends the whole
        // URL path (always starting with a slash) to the target.
        if (route.via !== 'ProxyPassMatch' || /\$(\d|\{\d)/.test(route.url) || !targetSlash) continue;
        extraSlash({
          folded: `${describeRoute(route)} has no \`$1\` in its target, so httpd appends the whole URL path to it; the target's trailing slash does nothing: mod_proxy_uwsgi folds the doubled slash at the start of PATH_INFO. Drop it so the line says what the backend gets.`,
          doubled: `${describeRoute(route)} has no \`$1\`, so httpd appends the whole URL path after the target's trailing slash: \`/app/x\` reaches the backend as \`${basePath(target)}/app/x\`, a doubled slash${templatedUrl && !target.scheme ? ' (unless it is a bare `uwsgi://host`)' : ''}. ` +
              'That works only if the app\'s router accepts doubled slashes (an assumption about the app). Drop the target\'s trailing slash.',
        });
        continue;
      }

      const pathSlash = endsWithSlash(route.path, pathArg);
      if (pathSlash === null || pathSlash === targetSlash) continue;
      const example = pathSlash ? `${route.path}x` : `${route.path}/x`;

      if (pathSlash) {
        // The rest after the path has no slash in front: glued to the target's end.
        const edit = slashEdit(route, urlArg, true);
        const fix = edit && { description: 'end the target with a slash', edits: [edit] };
        if (!target.hasPath && target.scheme !== null && !/\/$/.test(target.backend)) {
          const glued = `${target.backend}x`;
          const host = target.backend.slice(target.backend.indexOf('://') + 3) + 'x';
          report({
            location: route.directive.location,
            related,
            fix,
            message:
              `${describeRoute(route)}: the path ends with a slash and the target${shown} does not, so httpd glues the rest of the URL to the ${target.scheme === 'balancer' ? 'balancer name' : 'host'}: ` +
              `\`${example}\` goes to \`${glued}\` and gets 500 (${target.scheme === 'balancer' ? 'AH01144: no balancer has that name' : `AH00898 DNS lookup failure for \`${host}\``}); only \`${route.path}\` itself reaches the backend. ` +
              `End the target with a slash: \`${route.url}/\`.`,
          });
        } else {
          const base = target.backend.slice(target.authorityEnd);
          report({
            severity: 'warning',
            location: route.directive.location,
            related,
            fix,
            message:
              `${describeRoute(route)}: the path ends with a slash and the target${shown} does not, so httpd glues the rest of the URL to the target's last segment: ` +
              `\`${example}\` reaches the backend as \`${base || '…'}x\`, not \`${base || '…'}/x\`, which works only if the backend serves such paths (the files do not say). End the target with a slash.`,
          });
        }
        continue;
      }

      // The target ends with a slash and the path does not: the rest keeps its own slash.
      extraSlash({
        folded: `${describeRoute(route)}: the target${shown} ends with a slash and the path does not; mod_proxy_uwsgi folds the doubled slash at the start of PATH_INFO (\`${example}\` arrives as SCRIPT_NAME \`${route.path}\`, PATH_INFO \`/x\`), so the slash does nothing. Drop it so both ends agree.`,
        doubled: `${describeRoute(route)}: the target${shown} ends with a slash and the path does not, so \`${example}\` reaches the backend as \`${basePath(target)}/x\`, a doubled slash${templatedUrl && !target.scheme ? ' (unless it is a bare `uwsgi://host`)' : ''}. ` +
          'That works only if the app\'s router accepts doubled slashes (an assumption about the app). Drop the target\'s trailing slash.',
      });
    }
  },
});
