/**
 * httpd 2.2's access lines (`Order`, `Allow`, `Deny`, `Satisfy`: mod_access_compat, which Debian
 * enables by default) in httpd 2.4, alone or beside 2.4's `Require`. Measured on 2.4.71 (lab
 * `accesscompat-*`): with `Satisfy All` (the default) a request must pass both the old lines and
 * `Require`, so
 * - `Order allow,deny` + `Allow from all` beside `Require all granted` change nothing: info;
 * - `Deny from all` (`Order deny,allow`) or an `Order allow,deny` with no `Allow` beside `Require all
 *   granted` refuse every request with 403 (AH01797): error, the files alone decide it;
 * - a section with only `Order`/`Allow from all` under a 2.4 `Require all denied` of an enclosing
 *   section (Debian's `<Directory />`) grants nothing: the inherited `Require all denied` refuses
 *   every request with 403 (AH01630). An error when the denial is in the files; in a file without its
 *   server root, a warning for a `<Directory>` outside what the stock main configs grant, naming that
 *   assumption;
 * - where nothing denies (a server-scope `<Proxy *>` / `<Location />` with `Allow from all` and no
 *   Require), the lines open nothing that a `Require` denies and change no route: info.
 * `Satisfy Any` makes an old grant real (it passes the request without `Require`): a section it
 * may govern is left alone. Old lines that restrict by host or variable are not judged, nor, in a
 * whole tree, old lines that replace or are replaced by another section's (a section merged later
 * replaces the old lines of those merged before it: lab `accesscompat-location-lifts-deny`). In a
 * whole tree without mod_access_compat the lines are `apache-invalid-command`.
 */
import { code, defineRule, deleteLines, describeDirective, listOf, writtenDirective } from '../lib/engine';
import type { Fix } from '../lib/core/finding';
import { moduleIdOf, moduleOfDirective, STOCK_DIRECTORY_GRANTS } from '../lib/knowledge/apache-directives';
import type { ApacheScope, ApacheServer, ResolvedDirective } from '../lib/model/types';

const OLD = new Set(['order', 'allow', 'deny', 'satisfy']);
const SECTIONS = new Set(['directory', 'directorymatch', 'location', 'locationmatch', 'files', 'filesmatch', 'proxy', 'proxymatch']);
const REQUIRE_CONTAINERS = new Set(['requireany', 'requireall', 'requirenone']);

interface SectionAccess {
  scope: ApacheScope;
  order?: ResolvedDirective;
  allows: ResolvedDirective[];
  denies: ResolvedDirective[];
  requires: ResolvedDirective[];
  /** An access line inside <Limit>/<LimitExcept> or with a templated word: not judged. */
  unjudged: boolean;
}

const words = (d: ResolvedDirective) => d.args.map((a) => a.value.toLowerCase());
const fromAll = (d: ResolvedDirective) => words(d)[0] === 'from' && words(d).slice(1).includes('all');
const orderOf = (s: SectionAccess) => (s.order ? words(s.order).join('') : 'deny,allow');
const oldLines = (s: SectionAccess) => [s.order, ...s.allows, ...s.denies].filter((d): d is ResolvedDirective => d !== undefined).sort((a, b) => a.location.range.start.line - b.location.range.start.line);

/** mod_access_compat lets every client through (whatever the client's address). */
function allowsAll(s: SectionAccess): boolean {
  return orderOf(s) === 'deny,allow' ? s.denies.length === 0 || s.allows.some(fromAll) : s.allows.some(fromAll) && s.denies.length === 0;
}

/** mod_access_compat refuses every client (an explicit Order only: a lone Deny's order may be inherited). */
function deniesAll(s: SectionAccess): boolean {
  if (!s.order) return false;
  return orderOf(s) === 'deny,allow' ? s.denies.some(fromAll) && s.allows.length === 0 : s.allows.length === 0 || s.denies.some(fromAll);
}

const requireWords = (d: ResolvedDirective) => words(d).join(' ');
const requireDenies = (s: SectionAccess) => s.requires.length > 0 && s.requires.every((r) => requireWords(r) === 'all denied');
const requireGrants = (s: SectionAccess) => s.requires.some((r) => requireWords(r) !== 'all denied');

/** The request section (<Directory>, <Location>, <Proxy>, ...) an access line belongs to; null outside one. */
function sectionOf(scope: ApacheScope): { section: ApacheScope | null; limited: boolean } {
  let limited = false;
  for (let s: ApacheScope | null = scope; s; s = s.parent) {
    if (SECTIONS.has(s.kind)) return { section: s, limited };
    if (s.kind !== 'other' || !REQUIRE_CONTAINERS.has(s.section?.lname ?? '')) limited = true;
    if (s.kind === 'server' || s.kind === 'virtualhost') break;
  }
  return { section: null, limited };
}

function sectionsOf(server: ApacheServer): SectionAccess[] {
  const byScope = new Map<ApacheScope, SectionAccess>();
  for (const { directive, scope } of server.directives) {
    if (!OLD.has(directive.lname) && directive.lname !== 'require') continue;
    // A fallback branch for servers without a module (`<IfModule !mod_authz_core.c>`, httpd 2.2's
    // lines beside a 2.4 branch), undecided in a snippet: not both branches are read by one server.
    if (directive.assumedConditions.some((c) => /^<IfModule\s+!/i.test(c))) continue;
    const { section, limited } = sectionOf(scope);
    if (!section) continue;
    let entry = byScope.get(section);
    if (!entry) byScope.set(section, (entry = { scope: section, allows: [], denies: [], requires: [], unjudged: false }));
    if (limited || directive.args.some((a) => a.templated)) entry.unjudged = true;
    if (directive.lname === 'order') entry.order = directive;
    else if (directive.lname === 'allow') entry.allows.push(directive);
    else if (directive.lname === 'deny') entry.denies.push(directive);
    else if (directive.lname === 'require') entry.requires.push(directive);
  }
  return [...byScope.values()];
}

/** A plain (not regex) section path: <Directory /srv/app>, <Location /api>; undefined otherwise. */
function plainPath(scope: ApacheScope): string | undefined {
  const first = scope.args[0];
  if (!first || first === '~' || scope.kind.endsWith('match') || scope.section?.args.some((a) => a.templated)) return undefined;
  return first.replace(/\/+$/, '') || '/';
}

const covers = (outer: string, inner: string) => outer === '/' || inner === outer || inner.startsWith(`${outer}/`);

/** httpd merges <Directory> (and, for proxied requests, <Proxy>) first, then <Files>, then <Location>. */
function rank(scope: ApacheScope): number {
  return scope.kind.startsWith('files') ? 1 : scope.kind.startsWith('location') ? 2 : 0;
}

function family(scope: ApacheScope): string {
  return scope.kind.replace(/match$/, '');
}

/**
 * Could the old lines of `section` replace those of `other` for some request (lab, by hand: a
 * server-scope <Location /> `Allow from all` lifted a <Directory> `Deny from all`)? Yes when `other`
 * is merged before it: an earlier kind, or the same kind at a path that encloses it (unknown paths: maybe).
 */
function lifts(section: SectionAccess, other: SectionAccess): boolean {
  if (other === section) return false;
  if (section.scope.vhost !== null && other.scope.vhost !== null && other.scope.vhost !== section.scope.vhost) return false;
  if (rank(other.scope) !== rank(section.scope)) return rank(other.scope) < rank(section.scope);
  const outer = plainPath(other.scope);
  const inner = plainPath(section.scope);
  // <Directory> and <Proxy> never meet: a proxied request walks <Proxy> sections instead.
  if (family(other.scope) !== family(section.scope)) return false;
  return outer === undefined || inner === undefined || covers(outer, inner);
}

/**
 * The `Require all denied` of an enclosing section of the same kind (server scope or the same
 * VirtualHost) that no nearer `Require` grant overrides: what refuses the section's requests.
 */
function enclosingDenial(section: SectionAccess, all: SectionAccess[]): SectionAccess | undefined {
  const kind = section.scope.kind;
  const path = plainPath(section.scope);
  if (path === undefined || (kind !== 'directory' && kind !== 'location')) return undefined;
  const same = all.filter((s) => s !== section && family(s.scope) === family(section.scope) && (s.scope.vhost === null || s.scope.vhost === section.scope.vhost));
  let denial: { other: SectionAccess; length: number } | undefined;
  let grant = -1;
  for (const other of same) {
    const outer = plainPath(other.scope);
    // A regex section (<DirectoryMatch>, <Location ~>) that grants may cover it: the files do not tell.
    if (outer === undefined && requireGrants(other)) grant = Infinity;
    if (outer === undefined || !covers(outer, path)) continue;
    const length = outer === '/' ? 0 : outer.length;
    if (requireDenies(other) && (!denial || length >= denial.length)) denial = { other, length };
    if (requireGrants(other)) grant = Math.max(grant, length);
  }
  // A <Location> grant may cover a <Directory>'s requests (and the reverse): the files do not tell which.
  const crossGrant = all.some((s) => s.scope.kind !== kind && requireGrants(s) && (s.scope.vhost === null || s.scope.vhost === section.scope.vhost));
  return denial && grant < denial.length && !crossGrant ? denial.other : undefined;
}

/** Could a `Satisfy` written in `scope` govern the requests of `section` (the same section, an enclosing one, or one of another kind)? */
function mayCover(scope: ApacheScope, section: ApacheScope): boolean {
  if (scope.vhost !== null && scope.vhost !== section.vhost) return false;
  const own = sectionOf(scope).section;
  if (!own) return true;
  if (own === section || own.kind !== section.kind) return true;
  const outer = plainPath(own);
  const inner = plainPath(section);
  return outer === undefined || inner === undefined || covers(outer, inner);
}

/** A section as written, `<Directory /srv/app>` (template variants share it, unlike a rendered label). */
function sectionName(scope: ApacheScope): string {
  const opening = scope.section;
  return opening ? code(`<${[opening.name, ...opening.args.map((a) => a.raw)].join(' ')}>`) : scope.label;
}

/**
 * Deleting old lines that let every client through: safe in a whole tree where no other section
 * restricts with old lines (the section then inherits none, and nothing changes: lab, by hand, the
 * same section with `Require all granted` alone); in a file without its server root another file
 * might hold an old `Deny` these lines lift, so the fix is unsafe there.
 */
function deleteOldLines(lines: ResolvedDirective[], fragment: boolean): Fix | undefined {
  if (!lines.every(writtenDirective)) return undefined;
  const edits = lines.map((d) => deleteLines(d.location));
  if (edits.some((e) => e === undefined)) return undefined;
  return {
    description: `delete ${listOf(lines.map((d) => describeDirective(d)))}`,
    edits: edits.filter((e): e is NonNullable<typeof e> => e !== undefined),
    ...(fragment ? { applicability: 'unsafe' as const } : {}),
  };
}

function related(lines: ResolvedDirective[], message: string) {
  return lines.map((d) => ({ location: d.location, message }));
}

export const rule = defineRule({
  id: 'apache-access-compat-mixed',
  severity: 'error',
  severities: ['error', 'warning', 'info'],
  category: 'correctness',
  description: 'httpd 2.2 access lines (`Order`/`Allow`/`Deny`) in httpd 2.4: beside `Require` they do nothing or refuse every request, and alone they grant nothing against a 2.4 `Require all denied`',
  targets: ['httpd'],
  fixable: true,
  fixHint: 'Delete the `Order`/`Allow`/`Deny` lines and decide access with `Require` alone (`Require all granted`).',
  check({ deployment, report }) {
    const compat = moduleIdOf(moduleOfDirective('Order') ?? 'mod_access_compat');
    for (const server of deployment.apache) {
      if (server.loadedModules !== null && !server.loadedModules.has(compat)) continue;
      const fragment = server.loadedModules === null;
      const sections = sectionsOf(server);
      // Satisfy Any passes a request that the old lines allow without asking Require: they are real grants there.
      const satisfyAny = server.directives.filter(({ directive }) => directive.lname === 'satisfy' && words(directive)[0] === 'any').map(({ scope }) => scope);
      const old = sections.filter((s) => !s.unjudged && (s.order || s.allows.length || s.denies.length));
      // A section's old lines replace those of the sections merged before it (lab
      // `accesscompat-location-lifts-deny`): where they may lift an old restriction, they are not idle.
      const restrictions = sections.filter((s) => (s.order || s.allows.length || s.denies.length) && (s.unjudged || !allowsAll(s)));
      const module = fragment ? ' (with mod_access_compat loaded, as Debian enables it by default)' : '';
      for (const section of old) {
        if (satisfyAny.some((s) => mayCover(s, section.scope))) continue;
        const lines = oldLines(section);
        const first = lines[0];
        const written = listOf(lines.map((d) => describeDirective(d)));
        const where = sectionName(section.scope);
        const verb = (plural: string, singular: string) => (lines.length > 1 ? plural : singular);
        // A section merged later with old lines of its own replaces these (lab `accesscompat-location-lifts-deny`).
        const replaced = old.some((later) => !deniesAll(later) && lifts(later, section));
        if (section.requires.length && deniesAll(section) && !requireDenies(section) && !replaced) {
          report({
            severity: 'error',
            location: first.location,
            message:
              `${written} in ${where} ${verb('refuse', 'refuses')} every client, and httpd 2.4 needs both ${verb('them', 'it')} and ${describeDirective(section.requires[0])} to pass${module}: every request gets 403 (AH01797). ` +
              'Delete the `Order`/`Allow`/`Deny` lines and let `Require` decide.',
            related: related(section.requires, 'the 2.4 access line that is meant to decide'),
          });
          continue;
        }
        if (!allowsAll(section)) continue;
        if (section.requires.length) {
          if (!fragment && restrictions.some((r) => lifts(section, r))) continue;
          report({
            severity: 'info',
            location: first.location,
            message:
              `${written} in ${where} ${verb('do', 'does')} nothing beside ${describeDirective(section.requires[0])}: in httpd 2.4 a request must pass both, and these let every client through, so \`Require\` alone decides. ` +
              'Delete the `Order`/`Allow` lines.',
            related: related(section.requires, 'what decides access'),
            fix: deleteOldLines(lines, fragment),
          });
          continue;
        }
        const denying = enclosingDenial(section, sections);
        if (denying) {
          const denial = denying.requires[0];
          report({
            severity: 'error',
            location: first.location,
            message:
              `${written} in ${where} ${verb('grant', 'grants')} nothing in httpd 2.4: ${describeDirective(denial)} in ${sectionName(denying.scope)} (line ${denying.scope.section?.location.range.start.line ?? '?'}) still applies to its requests, so every one gets 403 (AH01630). ` +
              'Replace the `Order`/`Allow` lines with `Require all granted`.',
            related: [{ location: denial.location, message: 'the 2.4 denial these lines do not lift' }],
          });
          continue;
        }
        const path = plainPath(section.scope);
        if (section.scope.kind === 'directory' || section.scope.kind === 'directorymatch') {
          if (fragment) {
            if (path === undefined) continue;
            const stock = STOCK_DIRECTORY_GRANTS.some((granted) => `${path}/`.startsWith(granted));
            const grantedHere = sections.some((s) => s !== section && requireGrants(s) && (s.scope.kind === 'location' || s.scope.kind === 'locationmatch' || (plainPath(s.scope) !== undefined && covers(plainPath(s.scope)!, path))));
            if (!stock && !grantedHere) {
              report({
                severity: 'warning',
                location: first.location,
                message:
                  `${written} in ${where} ${verb('grant', 'grants')} nothing in httpd 2.4: under the \`<Directory /> Require all denied\` of Debian's and RHEL's main config, every request for ${path} gets 403 (AH01630), \`Allow from all\` or not. ` +
                  'Replace the `Order`/`Allow` lines with `Require all granted`.',
              });
              continue;
            }
          }
        }
        if (!fragment && restrictions.some((r) => lifts(section, r))) continue;
        if (fragment && path === undefined && (section.scope.kind === 'directory' || section.scope.kind === 'directorymatch')) continue;
        report({
          severity: 'info',
          location: first.location,
          message:
            `${written} in ${where} ${verb('do', 'does')} nothing in httpd 2.4: they let every client through and open nothing that a \`Require\` denies${fragment ? ' (they would only lift a `Deny` of another file)' : ''}. ` +
            'Delete them, or write `Require all granted` where a grant is meant.',
          fix: deleteOldLines(lines, fragment),
        });
      }
    }
  },
});
