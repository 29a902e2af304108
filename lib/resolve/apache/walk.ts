/**
 * httpd's walk phase (ap_walk_config): every node in tree order, a section before its children, as
 * httpd hands each directive to its module. What httpd checks at start-up happens here: unknown or
 * unloaded directives, the context a directive may appear in (measured against apache2 -t, see
 * knowledge/apache-directives.ts), section arguments, and each directive's own argument checks
 * (checks.ts). Iterative: nesting thousands deep does not exhaust the call stack.
 */
import {
  canonicalDirectiveName,
  getApacheDirective,
  getApacheDirectives,
  isKnownModuleName,
  isManualModuleLoaded,
  measuredDirectiveContext,
  suggestApacheDirective,
  type MeasuredScope,
} from '../../knowledge/apache-directives';
import { thirdPartyModuleOf } from '../../knowledge/apache-third-party';
import { checkDirectiveArguments } from './checks';
import { TEMPLATE_MARKUP, type ApacheReadState } from './state';
import type { ResolvedNode, ResolvedSection } from './types';

const MPM_MODULES = new Set(['prefork', 'worker', 'event', 'mpm_common']);

/** Where a section puts its children, for context checks (httpd's cmd->override and find_parent). */
const SECTION_SCOPE: Record<string, MeasuredScope> = {
  virtualhost: 'vhost',
  directory: 'directory',
  directorymatch: 'directory',
  location: 'location',
  locationmatch: 'location',
  files: 'files',
  filesmatch: 'files',
  proxy: 'proxy',
  proxymatch: 'proxy',
  if: 'if',
  elseif: 'if',
  else: 'if',
};

/** Core containers whose handler needs an argument before the closing '>'. */
const SECTIONS_NEEDING_ARGS = new Set([
  'directory',
  'directorymatch',
  'location',
  'locationmatch',
  'files',
  'filesmatch',
  'virtualhost',
  'proxy',
  'proxymatch',
  'limit',
  'limitexcept',
  'if',
  'elseif',
  'authnprovideralias',
  'authzprovideralias',
  'macro',
]);

export function walk(s: ApacheReadState, rootNodes: ResolvedNode[], rootAncestors: ResolvedSection[]): void {
  const frames: { nodes: ResolvedNode[]; idx: number; ancestors: ResolvedSection[] }[] = [{ nodes: rootNodes, idx: 0, ancestors: rootAncestors }];
  while (frames.length) {
    const frame = frames[frames.length - 1];
    if (frame.idx >= frame.nodes.length) {
      frames.pop();
      continue;
    }
    const { nodes, ancestors } = frame;
    const idx = frame.idx++;
    const node = nodes[idx];
    const cmdName = node.kind === 'section' ? '<' + node.name : node.name;
    const infos = getApacheDirectives(cmdName).filter((d) => (node.kind === 'section') === (d.type === 'section') || d.type === 'directive');
    // measured with the event MPM loaded: directives of the other MPMs count as known too
    const known =
      infos.length > 0 && (measuredDirectiveContext(cmdName, 'top') !== 'invalid' || infos.some((d) => MPM_MODULES.has(d.module)));
    const loaded = !s.loadedKnown || infos.some((d) => d.module === 'core' || isManualModuleLoaded(d.module, s.loadedIds));
    const thirdPartyDirective = known ? undefined : thirdPartyModuleOf(node.name);
    const thirdParty = thirdPartyDirective?.module;
    if (thirdPartyDirective?.unknownToModule) {
      // the module's prefix, but no release of the module has the name: a typo httpd refuses
      const message = `Invalid command '${cmdName}', perhaps misspelled or defined by a module not included in the server configuration`;
      const hint = thirdPartyDirective.suggestions?.length ? ` Did you mean '${thirdPartyDirective.suggestions.join("' or '")}'?` : '';
      s.failSilently('walk', 'apache-invalid-command', message, node.location);
      s.findings.push({ ruleId: 'apache-invalid-command', severity: 'error', message: `${message}: no release of ${thirdParty!.name} has this directive, so httpd refuses it${s.loadedKnown ? '' : ' wherever this file is included, the module loaded or not'}.${hint}`, location: node.location });
      continue;
    }
    if (thirdParty && (!s.loadedKnown || s.loadedIds.has(thirdParty.id))) {
      // a directive of a module httpd does not ship (mod_auth_openidc's OIDC*, mod_shib's Shib*...):
      // loaded by the tree, or, in a fragment that does not show the server's modules, by whoever
      // deploys it. Its arguments are the module's to check.
      if (node.kind === 'section') frames.push({ nodes: node.children, idx: 0, ancestors: [...ancestors, node] });
      continue;
    }
    if (!known && !s.loadedKnown && node.assumedConditions.some(guardsUnknownModule)) {
      // in a snippet, inside an assumed <IfModule> of a module we have no table for, the directive
      // may well be that module's: say so without claiming httpd would fail
      s.warn('apache-unknown-directive', `Unknown directive '${cmdName}': not in httpd's or mod_wsgi's directive tables (assumed to belong to the module of ${node.assumedConditions.filter(guardsUnknownModule).join(', ')})`, node.location);
      if (node.kind === 'section') frames.push({ nodes: node.children, idx: 0, ancestors: [...ancestors, node] });
      continue;
    }
    if (!known || !loaded) {
      const message = `Invalid command '${cmdName}', perhaps misspelled or defined by a module not included in the server configuration`;
      if (TEMPLATE_MARKUP.test(cmdName)) {
        // A template (jinja, devstack's %VAR%, autoconf's @@VAR@@) is not a config yet: httpd
        // would stop here (kept as httpdError), but one note per file says more than an error
        // per template line.
        s.failSilently('walk', 'apache-invalid-command', message, node.location);
        s.noteTemplate(node.location, `\`${cmdName}\` is template markup, not a directive`);
        continue;
      }
      if (!known && !s.loadedKnown) {
        // A snippet given alone: the server's modules are unknown, so a directive no table knows
        // may belong to a third-party module (mod_auth_openidc's OIDC*, mod_shib...). It is an
        // error only when it looks like a typo of a known directive.
        const suggestions = suggestApacheDirective(node.name);
        if (suggestions.length === 0) {
          s.failSilently('walk', 'apache-invalid-command', message, node.location);
          s.warn('apache-unknown-directive', `Unknown directive '${cmdName}': not in httpd's or mod_wsgi's directive tables; httpd refuses to start unless the module that provides it is loaded`, node.location);
          if (node.kind === 'section') frames.push({ nodes: node.children, idx: 0, ancestors: [...ancestors, node] });
          continue;
        }
        // httpdError keeps httpd's own words; the finding adds the suggestion.
        s.failSilently('walk', 'apache-invalid-command', message, node.location);
        s.findings.push({ ruleId: 'apache-invalid-command', severity: 'error', message: `${message}. Did you mean '${suggestions.join("' or '")}'?`, location: node.location });
        continue;
      }
      if (thirdParty) {
        // httpd's own words stay the recorded error; the finding names the module that provides it
        s.failSilently('walk', 'apache-invalid-command', message, node.location);
        s.findings.push({ ruleId: 'apache-invalid-command', severity: 'error', message: `${message}: it is a directive of ${thirdParty.name}, which this server does not load. Load it (\`LoadModule ${thirdParty.id}\`; on Debian install ${thirdParty.debianPackage} and \`a2enmod\` it), or remove the line.`, location: node.location });
        continue;
      }
      s.fail('walk', 'apache-invalid-command', message, node.location);
      continue;
    }
    const ctxErr = contextError(node, ancestors);
    if (ctxErr) {
      s.fail('walk', 'apache-directive-context', ctxErr, node.location);
      continue;
    }
    const argErr = checkDirectiveArguments(node, {
      serverRoot: s.serverRoot,
      wholeTree: s.wholeTree,
      wsgiDaemons: s.wsgiDaemons,
      ancestors,
      serverLevel: !ancestors.some((a) => SECTION_SCOPE[a.lname] && SECTION_SCOPE[a.lname] !== 'vhost'),
      checkHostAccounts: s.options.checkHostAccounts === true,
      checkHostFiles: s.options.checkHostFiles !== false,
      loaded: s.loadedKnown ? s.loadedIds : null,
      authzAliases: s.authzAliases,
    });
    if (argErr && node.kind === 'directive') {
      s.failArguments(argErr, node);
      continue;
    }
    if (node.kind === 'section') {
      const canon = canonicalDirectiveName(node.name) ?? node.name;
      const argsText = node.argsText ?? '';
      const gt = argsText.lastIndexOf('>');
      if (node.lname === 'else') {
        if (gt < 0) {
          s.fail('walk', 'syntax-error', `<${canon}> directive missing closing '>'`, node.location);
          continue;
        }
        if (argsText.slice(0, gt).trim() !== '') {
          s.fail('walk', 'syntax-error', '<Else> does not take an argument', node.location);
          continue;
        }
      } else if (SECTIONS_NEEDING_ARGS.has(node.lname)) {
        if (gt < 0) {
          s.fail('walk', 'syntax-error', `<${canon}> directive missing closing '>'`, node.location);
          continue;
        }
        if (argsText.slice(0, gt).trim() === '') {
          s.fail('walk', 'syntax-error', `<${canon}> directive requires additional arguments`, node.location);
          continue;
        }
      }
      if (argErr) {
        s.failArguments(argErr, node);
        continue;
      }
      if (node.lname === 'authzprovideralias' && node.args[1]) s.authzAliases.add(node.args[1].value.toLowerCase());
      if (node.lname === 'else' || node.lname === 'elseif') {
        let prev: ResolvedNode | undefined;
        for (let k = idx - 1; k >= 0; k--) {
          const n = nodes[k];
          if (n.kind === 'section' && (n.lname === 'if' || n.lname === 'elseif' || n.lname === 'else')) {
            prev = n;
            break;
          }
        }
        if (!prev || prev.kind !== 'section' || prev.lname === 'else') {
          s.fail('walk', 'syntax-error', '<Else> or <ElseIf> section without previous <If> or <ElseIf> section in same scope', node.location);
          continue;
        }
      }
      frames.push({ nodes: node.children, idx: 0, ancestors: [...ancestors, node] });
    }
  }
}

function contextError(node: ResolvedNode, ancestors: ResolvedSection[]): string | null {
  const cmdName = node.kind === 'section' ? '<' + node.name : node.name;
  const canon = (node.kind === 'section' ? '<' : '') + (canonicalDirectiveName(node.name) ?? node.name);
  const gt = node.kind === 'section' ? '>' : '';
  const parent = ancestors[ancestors.length - 1];
  // the override check: decided by the innermost directory-like section, else top level / vhost
  let overrideScope: MeasuredScope = 'top';
  for (const a of ancestors) {
    const kind = SECTION_SCOPE[a.lname];
    if (kind === 'vhost' && overrideScope === 'top') overrideScope = 'vhost';
    else if (kind && kind !== 'vhost') overrideScope = kind;
  }
  const verdict = (scope: MeasuredScope) => scopeVerdict(cmdName, node.kind === 'section', scope);
  if (verdict(overrideScope) === 'not-allowed') {
    return parent ? `${canon} not allowed in <${parent.name}> context` : `${canon} not allowed here`;
  }
  // handler checks (ap_check_cmd_context), in httpd's order
  const inVhost = ancestors.some((a) => a.lname === 'virtualhost');
  if (inVhost && verdict('vhost') === 'cannot-occur') return `${canon}${gt} cannot occur within <VirtualHost> section`;
  const order: [MeasuredScope, string[]][] = [
    ['directory', ['directory', 'directorymatch']],
    ['location', ['location', 'locationmatch']],
    ['files', ['files', 'filesmatch']],
    ['if', ['if', 'elseif', 'else']],
    ['proxy', ['proxy', 'proxymatch']],
  ];
  for (const [scope, names] of order) {
    if (verdict(scope) !== 'cannot-occur') continue;
    for (let k = ancestors.length - 1; k >= 0; k--) {
      if (names.includes(ancestors[k].lname)) return `${canon}${gt} cannot occur within <${ancestors[k].name}> section`;
    }
  }
  return null;
}

function scopeVerdict(cmdName: string, isSection: boolean, scope: MeasuredScope): 'ok' | 'not-allowed' | 'cannot-occur' {
  const m = measuredDirectiveContext(cmdName, scope);
  if (m === 'not-allowed' || m === 'cannot-occur') return m;
  if (m === 'ok' || m === 'invalid') return 'ok';
  const info = getApacheDirective(cmdName);
  if (!info || isSection) return 'ok';
  const c = info.contexts;
  switch (scope) {
    case 'top':
      return c.includes('server config') || c.includes('virtual host') ? 'ok' : 'not-allowed';
    case 'vhost':
      if (c.includes('virtual host')) return 'ok';
      return c.includes('server config') ? 'cannot-occur' : 'not-allowed';
    default:
      return c.includes('directory') ? 'ok' : 'not-allowed';
  }
}

/** `<IfModule name>` (not negated) naming a module without a directive table here. */
function guardsUnknownModule(cond: string): boolean {
  const m = /^<IfModule\s+([^!\s>][^\s>]*)/i.exec(cond);
  return !!m && !isKnownModuleName(m[1]);
}

