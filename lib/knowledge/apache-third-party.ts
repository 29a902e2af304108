/**
 * Apache modules that httpd does not ship but that deployments of WSGI services load: federation
 * and single sign-on for Keystone and Horizon (mod_auth_openidc, mod_auth_mellon, Shibboleth's
 * mod_shib, mod_auth_gssapi, mod_auth_kerb, mod_auth_cas), ModSecurity, and a few others often
 * found beside them. Their directives are in no directive table deploylint has; each module names
 * all of its directives with one prefix (or a short list), which is how they are recognised.
 *
 * A fragment given without its server root (a role's or manifest's template) does not show which
 * modules the server loads: a directive of one of these modules is then the module's, not an
 * unknown one. In a whole server tree that does not load the module, httpd refuses it ("Invalid
 * command ..., perhaps misspelled or defined by a module not included in the server configuration"),
 * and the finding says which module and package provide it.
 *
 * For the modules whose sources were read (data/apache-third-party-directives.tsv: every directive
 * any release registered, from mod_auth_openidc@1deff3d91057 src/cfg/cmds.c and the config.c of
 * every tag from v1.5, mod_auth_mellon@a0bb2fd5c786 auth_mellon_config.c of every tag, Shibboleth SP
 * (cpp-sp@43b1346c04da) apache/mod_shib.cpp of the last 15 tags), a name with the module's prefix
 * that no release has is a typo: httpd refuses it even with the module loaded.
 */

import * as fs from 'fs';
import * as path from 'path';
import { editDistance } from '../core/edit-distance';
import { knowledgeDataDir } from '../core/package-root';

export interface ThirdPartyModule {
  /** The module as it is named in its documentation. */
  name: string;
  /** The identifier LoadModule takes. */
  id: string;
  /** Debian's package, which also enables it with a2enmod. */
  debianPackage: string;
  /** Every directive of the module starts with one of these (case-insensitive, as httpd compares names). */
  prefixes: string[];
  /** Directives not covered by the prefixes. */
  names?: string[];
  /** Where the directive names were read. */
  source: string;
}

export const THIRD_PARTY_MODULES: readonly ThirdPartyModule[] = [
  { name: 'mod_auth_openidc', id: 'auth_openidc_module', debianPackage: 'libapache2-mod-auth-openidc', prefixes: ['OIDC'],
    source: 'OpenIDC/mod_auth_openidc auth_openidc.conf: every directive is OIDC*' },
  { name: 'mod_auth_mellon', id: 'auth_mellon_module', debianPackage: 'libapache2-mod-auth-mellon', prefixes: ['Mellon'],
    source: 'latchset/mod_auth_mellon README: every directive is Mellon*' },
  { name: 'mod_shib (Shibboleth SP)', id: 'mod_shib', debianPackage: 'libapache2-mod-shib', prefixes: ['Shib'],
    source: 'Shibboleth SP NativeSPApacheConfig: ShibRequestSetting, ShibUseHeaders, ShibRequireSession, ShibCompatWith24...' },
  { name: 'mod_auth_gssapi', id: 'auth_gssapi_module', debianPackage: 'libapache2-mod-auth-gssapi', prefixes: ['Gssapi'],
    source: 'gssapi/mod_auth_gssapi README: every directive is Gssapi*' },
  { name: 'mod_auth_kerb', id: 'auth_kerb_module', debianPackage: 'libapache2-mod-auth-kerb', prefixes: ['Krb'],
    source: 'mod_auth_kerb documentation: KrbMethodNegotiate, KrbServiceName, Krb5Keytab, KrbAuthRealms...' },
  { name: 'mod_auth_cas', id: 'auth_cas_module', debianPackage: 'libapache2-mod-auth-cas', prefixes: ['CAS'],
    source: 'apereo/mod_auth_cas README: every directive is CAS*' },
  { name: 'ModSecurity', id: 'security2_module', debianPackage: 'libapache2-mod-security2', prefixes: ['Sec'],
    source: 'owasp-modsecurity/ModSecurity v2 reference manual: every directive is Sec*' },
  { name: 'mod_xsendfile', id: 'xsendfile_module', debianPackage: 'libapache2-mod-xsendfile', prefixes: ['XSendFile'],
    source: 'nmaier/mod_xsendfile documentation: XSendFile, XSendFilePath' },
  { name: 'mod_rpaf', id: 'rpaf_module', debianPackage: 'libapache2-mod-rpaf', prefixes: ['RPAF'],
    source: 'gnif/mod_rpaf README: every directive is RPAF_*' },
  { name: 'mod_jk', id: 'jk_module', debianPackage: 'libapache2-mod-jk', prefixes: ['Jk'],
    source: 'Tomcat connectors reference (apache.html): every directive is Jk*' },
  { name: 'mod_perl', id: 'perl_module', debianPackage: 'libapache2-mod-perl2', prefixes: ['Perl'],
    source: 'mod_perl 2 directives reference: every directive is Perl*' },
  { name: 'Phusion Passenger', id: 'passenger_module', debianPackage: 'libapache2-mod-passenger', prefixes: ['Passenger'],
    source: 'Passenger configuration reference: every Apache directive is Passenger*' },
  { name: 'mod_php', id: 'php_module', debianPackage: 'libapache2-mod-php', prefixes: [], names: ['php_value', 'php_flag', 'php_admin_value', 'php_admin_flag'],
    source: 'PHP manual, "How to change configuration settings": php_value, php_flag, php_admin_value, php_admin_flag' },
];

let known: Map<string, { module: ThirdPartyModule; name: string }> | null = null;
let listed: Set<string> | null = null;

function directiveTable(): { byName: Map<string, { module: ThirdPartyModule; name: string }>; modulesWithList: Set<string> } {
  if (!known || !listed) {
    known = new Map();
    listed = new Set();
    const rows = fs.readFileSync(path.join(knowledgeDataDir(), 'apache-third-party-directives.tsv'), 'utf8').split('\n').slice(1).filter((l) => l !== '');
    for (const row of rows) {
      const [id, name] = row.split('\t');
      const module = THIRD_PARTY_MODULES.find((m) => m.id === id);
      if (!module || !name) continue;
      known.set(name.toLowerCase(), { module, name });
      listed.add(id);
    }
  }
  return { byName: known, modulesWithList: listed };
}

export interface ThirdPartyDirective {
  module: ThirdPartyModule;
  /** No release of the module has this name (a typo of one that does): httpd refuses it, loaded or not. */
  unknownToModule?: boolean;
  /** The module's directives nearest to a name it does not have. */
  suggestions?: string[];
}

/** The third-party module a directive name belongs to, if it is one of theirs. */
export function thirdPartyModuleOf(directive: string): ThirdPartyDirective | undefined {
  const lname = directive.replace(/^<\/?/, '').toLowerCase();
  const { byName, modulesWithList } = directiveTable();
  const exact = byName.get(lname);
  if (exact) return { module: exact.module };
  const module = THIRD_PARTY_MODULES.find((m) => m.prefixes.some((p) => lname.startsWith(p.toLowerCase()) && lname.length > p.length)
    || (m.names ?? []).includes(lname));
  if (!module) return undefined;
  if (!modulesWithList.has(module.id)) return { module };
  const names = [...byName.values()].filter((d) => d.module === module).map((d) => d.name);
  const scored = names.map((n) => ({ n, d: editDistance(lname, n.toLowerCase(), 3) })).filter((x) => x.d <= 3).sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : 1));
  return { module, unknownToModule: true, suggestions: scored.filter((x) => x.d === scored[0].d).map((x) => x.n).slice(0, 3) };
}
