/**
 * Generated server trees for the resolution oracle: a main file with LoadModule lines (mod_info
 * included, DUMP_CONFIG needs it), Includes by name, glob, directory and nested, Define/UnDefine and
 * ${VAR}, and every config-time conditional. All of them are valid, so httpd prints the full dump.
 */
import { rng } from './httpd-harness';

export interface GeneratedTree {
  name: string;
  files: Record<string, string>;
  defines: string[];
}

const MODULES: [string, string][] = [
  ['mpm_event_module', 'mod_mpm_event.so'],
  ['info_module', 'mod_info.so'],
  ['authz_core_module', 'mod_authz_core.so'],
  ['authz_host_module', 'mod_authz_host.so'],
];
const OPTIONAL_MODULES: [string, string][] = [
  ['env_module', 'mod_env.so'],
  ['headers_module', 'mod_headers.so'],
  ['proxy_module', 'mod_proxy.so'],
  ['alias_module', 'mod_alias.so'],
  ['mime_module', 'mod_mime.so'],
  ['setenvif_module', 'mod_setenvif.so'],
  ['wsgi_module', 'mod_wsgi.so'],
];

function pick<T>(r: () => number, a: T[]): T {
  return a[Math.floor(r() * a.length)];
}

function leaf(r: () => number, mods: Set<string>): string {
  const opts = [
    'Timeout 45',
    'KeepAlive On',
    'ServerAdmin "admin@example.com"',
    'ServerAdmin ${ADMIN}',
    'ErrorLog /dev/null',
    'LogLevel warn',
    'ServerSignature Off',
    'HostnameLookups Off',
    'Timeout \\\n    30',
    'ServerSignature   Off  ',
    "ServerAdmin 'a b'",
    'DocumentRoot "/var/www"',
    'keepalive Off',
    'timeout   20',
    'SERVERSIGNATURE On',
    'ServerAdmin "${ADMIN}"',
    'LogLevel warn \\\n  core:info',
  ];
  if (mods.has('env_module')) opts.push('SetEnv A "b c"', 'SetEnv proxy-sendcl 1', 'PassEnv PATH');
  if (mods.has('headers_module')) opts.push('Header set X-A "1 2"', 'RequestHeader unset Proxy');
  if (mods.has('alias_module')) opts.push('Alias /s "/srv/static"');
  if (mods.has('mime_module')) opts.push('AddType text/plain .txt');
  if (mods.has('setenvif_module')) opts.push('SetEnvIf Request_URI "^/up" proxy-sendcl=1');
  return pick(r, opts);
}

function dirLeaf(r: () => number, mods: Set<string>): string {
  const opts = ['Require all granted', 'Require local', 'Require all denied'];
  if (mods.has('env_module')) opts.push('SetEnv proxy-sendcl 1', 'UnsetEnv X');
  if (mods.has('headers_module')) opts.push('Header set X-In-Dir "1"');
  return pick(r, opts);
}

function block(r: () => number, mods: Set<string>, depth: number, files: Record<string, string>, dirLevel: boolean): string {
  const choice = r();
  if (depth > 2 || choice < 0.35) return leaf(r, mods);
  const inner = () => {
    const n = Math.floor(r() * 3);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(block(r, mods, depth + 1, files, true));
    return out.join('\n');
  };
  const kinds = [
    () => `<IfModule ${pick(r, ['mod_env.c', 'env_module', '!mod_env.c', 'mod_headers.c', 'headers_module', '!headers_module', 'mod_nonexist.c', 'mod_version.c', 'core.c', 'wsgi_module', 'mod_wsgi.c'])}>\n${inner()}\n</IfModule>`,
    () => `<IfDefine ${pick(r, ['FOO', '!FOO', 'BAR', '!BAR'])}>\n${inner()}\n</IfDefine>`,
    () => `<IfVersion ${pick(r, ['>= 2.4', '< 2.4', '= 2.4.71', '!= 2.4.71', '~ ^2\\.4', '> 2.4.70'])}>\n${inner()}\n</IfVersion>`,
    () => `<IfFile ${pick(r, ['main.conf', '!main.conf', 'nonexist.conf', '/etc/passwd'])}>\n${inner()}\n</IfFile>`,
    () => `<IfDirective ${pick(r, ['SetEnv', '!SetEnv', 'Header', 'Nonexist', 'Timeout'])}>\n${inner()}\n</IfDirective>`,
    () => `<IfSection ${pick(r, ['VirtualHost', '!VirtualHost', 'Proxy', 'NoSuch'])}>\n${inner()}\n</IfSection>`,
  ];
  if (!dirLevel) kinds.push(() => `<If "%{REQUEST_URI} =~ m#^/a#">\n  ${dirLeaf(r, mods)}\n  Require all granted\n</If>\n<ElseIf "true">\n</ElseIf>\n<Else>\n  Require all denied\n</Else>`);
  kinds.push(() => `Define ZED${Math.floor(r() * 3)}\n<IfDefine ZED1>\n  KeepAlive On\n</IfDefine>`);
  if (!dirLevel) {
    kinds.push(() => `<Directory "/srv/inc">\n  Include sub/dir-leaf.conf\n  ${dirLeaf(r, mods)}\n</Directory>`);
    kinds.push(() => `<VirtualHost *:81>\n  Include sub/dir-only.conf\n</VirtualHost>`);
    kinds.push(() => `<VirtualHost *:${pick(r, ['80', '8080'])}>\n  ServerName v${Math.floor(r() * 100)}.example\n${inner()}\n</VirtualHost>`);
    kinds.push(() => `<Directory "/srv/app">\n  Require all granted\n</Directory>`);
    kinds.push(() => `<Location /empty>\n</Location>`);
  }
  return pick(r, kinds)();
}

export function generateTrees(count: number, seed = 4711): GeneratedTree[] {
  const r = rng(seed);
  const trees: GeneratedTree[] = [];
  for (let t = 0; t < count; t++) {
    const files: Record<string, string> = {};
    const mods = new Set<string>();
    const lines: string[] = [];
    for (const [id, so] of MODULES) lines.push(`LoadModule ${id} /usr/lib/apache2/modules/${so}`);
    for (const [id, so] of OPTIONAL_MODULES) {
      if (r() < 0.6) {
        mods.add(id);
        lines.push(`LoadModule ${id} /usr/lib/apache2/modules/${so}`);
      }
    }
    lines.push('# main configuration', '', 'Define ADMIN admin@example.org');
    if (r() < 0.5) lines.push('Define FOO');
    if (r() < 0.3) lines.push('Define BAR value', 'UnDefine BAR');
    for (let i = 0; i < 3; i++) lines.push(block(r, mods, 0, files, false));
    // includes of every kind
    const nConfD = 1 + Math.floor(r() * 4);
    for (let i = 0; i < nConfD; i++) {
      const name = pick(r, ['00-first', '10-app', 'Zeta', 'alpha', '50_mid', 'b']) + `-${i}.conf`;
      files[`conf.d/${name}`] = `${block(r, mods, 1, files, false)}\n${r() < 0.5 ? 'Include sub/inner.conf\n' : ''}`;
    }
    files['conf.d/ignored.txt'] = 'Bogus would fail\n';
    files['sub/inner.conf'] = `${leaf(r, mods)}\n`;
    files['sub/dir-leaf.conf'] = `${dirLeaf(r, mods)}\n`;
    files['sub/dir-only.conf'] = '<Location /inc>\n  Require all granted\n</Location>\n';
    files['extra/b.conf'] = `${leaf(r, mods)}\n`;
    files['extra/a.conf'] = `<IfModule mod_env.c>\n${leaf(r, mods)}\n</IfModule>\n`;
    files['extra/nested/c.conf'] = `${leaf(r, mods)}\n`;
    lines.push(pick(r, ['Include conf.d/*.conf', 'IncludeOptional conf.d/*.conf', 'Include @DIR@/conf.d/*.conf']));
    lines.push(pick(r, ['Include extra', 'Include extra/*.conf', 'IncludeOptional extra/*/c.conf', 'IncludeOptional nothere/*.conf']));
    if (r() < 0.5) lines.push('<VirtualHost *:80>\n  ServerName inc.example\n  Include sub/inner.conf\n</VirtualHost>');
    lines.push('ServerName localhost');
    files['main.conf'] = lines.join('\n') + (r() < 0.8 ? '\n' : '');
    trees.push({ name: `tree-${String(t).padStart(3, '0')}`, files, defines: r() < 0.3 ? ['FOO'] : [] });
  }
  return trees;
}
