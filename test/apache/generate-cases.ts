/**
 * Generated Apache configs for the oracle: valid building blocks combined at random (seeded), then
 * mutated the ways real configs break (unclosed and crossed sections, stray closers, continuation at
 * EOF, unterminated quotes, unknown directives, wrong contexts, missing includes, include loops,
 * conditionals with unbalanced bodies, encodings). `@DIR@` stands for the case's own directory.
 */
import { rng } from './httpd-harness';

export interface GeneratedCase {
  name: string;
  /** Relative path -> content; `main.conf` is the file given to httpd. */
  files: Record<string, string>;
}

const BLOCKS: string[] = [
  '<VirtualHost *:80>\n  ServerName example.com\n  ProxyPass /app http://127.0.0.1:8000/\n  ProxyPassReverse /app http://127.0.0.1:8000/\n</VirtualHost>',
  '<Directory /var/www>\n  Options -Indexes\n  Require all granted\n</Directory>',
  '<Location /api>\n  ProxyPass http://127.0.0.1:9000/\n  SetEnv proxy-sendcl 1\n</Location>',
  '<IfModule mod_wsgi.c>\n  WSGIDaemonProcess app processes=2 threads=4\n  WSGIScriptAlias /w /srv/app.wsgi process-group=app\n</IfModule>',
  '<IfModule !mod_nonexist.c>\n  KeepAlive On\n</IfModule>',
  '<IfModule mod_nonexist.c>\n  Bogus directive\n  <Location /x>\n  </Location>\n</IfModule>',
  'Define APPDIR /srv/app\n<Directory ${APPDIR}>\n  Require all denied\n</Directory>',
  '<IfDefine !NOPE>\n  Timeout 30\n</IfDefine>',
  'LogFormat "%h %l \\"%r\\"" myfmt\nCustomLog /dev/null myfmt',
  'SetEnvIf Request_URI "^/up" proxy-sendcl=1\nHeader set X-Test "a b"',
  'Alias /static /srv/static\n<Directory /srv/static>\n  <Files "*.py">\n    Require all denied\n  </Files>\n</Directory>',
  '<If "%{REQUEST_URI} =~ m#^/a#">\n  Header set X-A 1\n</If>\n<ElseIf "true">\n  Header set X-B 1\n</ElseIf>\n<Else>\n  Header set X-C 1\n</Else>',
  'ServerAdmin \\\n  admin@example.com',
  '# comment \\\n still comment\nKeepAliveTimeout 5',
  '<IfVersion >= 2.4>\n  ProxyTimeout 60\n</IfVersion>',
  '<VirtualHost *:8080>\n  <Proxy "http://127.0.0.1:8001/">\n    ProxySet timeout=30\n  </Proxy>\n</VirtualHost>',
  'RewriteEngine On\nRewriteRule ^/old(.*) /new$1 [R=301,L]',
  '<LocationMatch "^/(a|b)">\n  Require all granted\n</LocationMatch>',
  '<IfModule proxy_uwsgi_module>\n  <Location /u>\n    ProxyPass unix:/run/app.sock|uwsgi://localhost/\n  </Location>\n</IfModule>',
  '<VirtualHost *:443>\n  ServerName s.example.com\n  <IfModule mod_headers.c>\n    Header always set X-Frame-Options DENY\n  </IfModule>\n  WSGIProcessGroup app\n</VirtualHost>',
  '<IfDefine HAVE_X>\n  <Directory "/unbalanced">\n</IfDefine>',
  'DirectoryIndex index.html # trailing words are values here',
  '<FilesMatch "\\.(py|pyc)$">\n  Require all denied\n</FilesMatch>',
  '<Directory "/srv/a b">\n  AllowOverride None\n</Directory>',
];

const WRONG_CONTEXT: [string, string][] = [
  // [line to insert, kind of section to insert it in]
  ['Listen 8081', 'location'],
  ['Listen 8082', 'vhost'],
  ['ProxyPass /x http://127.0.0.1:1/', 'directory'],
  ['ProxyPass /x http://127.0.0.1:1/', 'files'],
  ['<VirtualHost *:81>\n</VirtualHost>', 'directory'],
  ['<VirtualHost *:81>\n</VirtualHost>', 'vhost'],
  ['WSGIDaemonProcess x', 'directory'],
  ['<Files x>\n</Files>', 'location'],
  ['<Directory /a>\n</Directory>', 'directory'],
  ['<Location /a>\n</Location>', 'location'],
  ['ServerName in.dir', 'directory'],
  ['Timeout 10', 'location'],
  ['WSGIScriptAlias /a /b.wsgi', 'location'],
  ['LoadModule x_module /nonexist.so', 'vhost'],
  ['Options None', 'vhost'],
  ['AuthType Basic', 'top'],
  ['Require all granted', 'top'],
  ['<Else>\n</Else>', 'top'],
];

const SECTION_WRAP: Record<string, [string, string]> = {
  location: ['<Location /w>', '</Location>'],
  vhost: ['<VirtualHost *:80>', '</VirtualHost>'],
  directory: ['<Directory /w>', '</Directory>'],
  files: ['<Files w>', '</Files>'],
  top: ['', ''],
};

function pick<T>(r: () => number, a: T[]): T {
  return a[Math.floor(r() * a.length)];
}

function baseConfig(r: () => number): string[] {
  const n = 1 + Math.floor(r() * 4);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(pick(r, BLOCKS));
  return parts.join('\n\n').split('\n');
}

const CLOSE_RE = /^\s*<\//;
const OPEN_RE = /^\s*<[^/]/;

function indexesWhere(lines: string[], re: RegExp): number[] {
  const out: number[] = [];
  lines.forEach((l, i) => re.test(l) && out.push(i));
  return out;
}

type Mutation = (lines: string[], r: () => number, files: Record<string, string>) => string[] | null;

const MUTATIONS: Record<string, Mutation> = {
  none: (l) => l,
  'delete-close': (l, r) => {
    const c = indexesWhere(l, CLOSE_RE);
    if (!c.length) return null;
    const i = pick(r, c);
    return l.filter((_, k) => k !== i);
  },
  'delete-open': (l, r) => {
    const c = indexesWhere(l, OPEN_RE);
    if (!c.length) return null;
    const i = pick(r, c);
    return l.filter((_, k) => k !== i);
  },
  'duplicate-close': (l, r) => {
    const c = indexesWhere(l, CLOSE_RE);
    if (!c.length) return null;
    const i = pick(r, c);
    return [...l.slice(0, i + 1), l[i], ...l.slice(i + 1)];
  },
  'swap-closes': (l, r) => {
    const c = indexesWhere(l, CLOSE_RE);
    if (c.length < 2) return null;
    const a = pick(r, c);
    const b = pick(r, c.filter((x) => x !== a));
    const out = l.slice();
    [out[a], out[b]] = [out[b], out[a]];
    return out;
  },
  'stray-close': (l, r) => {
    const i = Math.floor(r() * (l.length + 1));
    return [...l.slice(0, i), pick(r, ['</Location>', '</VirtualHost>', '</IfModule>', '</Directory>']), ...l.slice(i)];
  },
  'continuation-at-eof': (l, r) => [...l, pick(r, ['Timeout 30 \\', 'KeepAlive \\\n', '<Location /eof> \\'])],
  'unterminated-quote': (l, r) => {
    const i = Math.floor(r() * (l.length + 1));
    return [...l.slice(0, i), pick(r, ['ServerAdmin "admin@example.com', 'Header set X-Q "abc def', 'Alias "/q /srv/q', "SetEnv A 'b"]), ...l.slice(i)];
  },
  'unknown-directive': (l, r) => {
    const i = Math.floor(r() * (l.length + 1));
    return [...l.slice(0, i), pick(r, ['Frobnicate on', 'ProxyPas /a http://b/', 'WSGIDeamonProcess x', 'UWSGIsocket /x']), ...l.slice(i)];
  },
  'wrong-context': (l, r) => {
    const [line, kind] = pick(r, WRONG_CONTEXT);
    const [o, c] = SECTION_WRAP[kind];
    const block = (o ? [o, ...line.split('\n'), c] : line.split('\n'));
    const i = Math.floor(r() * (l.length + 1));
    // insert at a line boundary outside any open section: prepend or append
    return i % 2 ? [...block, ...l] : [...l, ...block];
  },
  'include-missing': (l, r) => [...l, pick(r, ['Include @DIR@/missing.conf', 'IncludeOptional @DIR@/missing.conf', 'Include @DIR@/nomatch/*.conf', 'IncludeOptional @DIR@/nomatch/*.conf', 'Include @DIR@/inc/*.nomatch', 'Include relative-missing.conf'])],
  'include-loop': (l, r, files) => {
    files['inc/a.conf'] = 'KeepAlive On\nInclude @DIR@/inc/b.conf\n';
    files['inc/b.conf'] = pick(r, ['Include @DIR@/inc/a.conf\n', '\nInclude @DIR@/inc/*.conf\n']);
    return [...l, 'Include @DIR@/inc/a.conf'];
  },
  'include-glob-ok': (l, r, files) => {
    files['conf.d/10-a.conf'] = 'Timeout 20\n';
    files['conf.d/20-b.conf'] = '<Location /g>\n  Require all granted\n</Location>\n';
    files['conf.d/.hidden.conf'] = 'Bogus hidden\n';
    files['conf.d/sub/x.conf'] = pick(r, ['KeepAlive Off\n', '</Location>\n', 'Nonsense here\n']);
    return [...l, pick(r, ['Include @DIR@/conf.d/*.conf', 'IncludeOptional @DIR@/conf.d/*.conf', 'Include @DIR@/conf.d', 'Include @DIR@/conf.d/*/x.conf', 'Include @DIR@/*.d/*.conf'])];
  },
  'include-unbalanced': (l, r, files) => {
    files['inc/open.conf'] = pick(r, ['<VirtualHost *:80>\nServerName a\n', '</VirtualHost>\n', '<IfModule mod_nonexist.c>\n<Location /\n']);
    return [...pick(r, [['<VirtualHost *:80>', 'Include @DIR@/inc/open.conf', '</VirtualHost>'], ['Include @DIR@/inc/open.conf']]), ...l];
  },
  'trailing-comment-on-close': (l, r) => {
    const c = indexesWhere(l, CLOSE_RE);
    if (!c.length) return null;
    const i = pick(r, c);
    const out = l.slice();
    out[i] = out[i] + ' # end';
    return out;
  },
  'close-missing-gt': (l, r) => {
    const c = indexesWhere(l, CLOSE_RE);
    if (!c.length) return null;
    const i = pick(r, c);
    const out = l.slice();
    out[i] = out[i].replace(/>\s*$/, pick(r, ['', ' >']));
    return out;
  },
  'open-missing-gt': (l, r) => {
    const c = indexesWhere(l, OPEN_RE);
    if (!c.length) return null;
    const i = pick(r, c);
    const out = l.slice();
    out[i] = out[i].replace(/>\s*$/, '');
    return out;
  },
  'case-change': (l, r) =>
    l.map((x) => (r() < 0.5 ? x.replace(/^(\s*<?\/?)([A-Za-z]+)/, (_m, a, b) => a + (r() < 0.5 ? b.toLowerCase() : b.toUpperCase())) : x)),
  'undefined-var': (l, r) => [...l, pick(r, ['ServerAdmin ${UNDEFINED_THING}', 'Define A:B', 'Define X "a b"\nServerAdmin ${X}', 'Define X "a@b"\nServerAdmin ${X}', 'Define C #x\n${C}'])],
  'empty-conditional': (l, r) => [...l, pick(r, ['<IfModule>\n</IfModule>', '<IfDefine>\n</IfDefine>', '<IfModule mod_env.c\n</IfModule>', '<Location>\n</Location>', '<Else>\n</Else>', '<If "true" "x">\n</If>'])],
  'skipped-unbalanced': (l, r) => [...l, pick(r, ['<IfModule mod_nonexist.c>\n<Directory />\n</IfModule>', '<IfModule mod_nonexist.c>\n</Directory>\n</IfModule>', '<IfDefine NOPE>\n<Location />', '<IfModule !mod_env.c>\n<Files x>\n</Files>\n</IfModule > x'])],
  'nul-byte': (l, r) => {
    const i = Math.floor(r() * l.length);
    const out = l.slice();
    out[i] = out[i] + '\0 extra words';
    return out;
  },
  'comment-continuation': (l, r) => {
    const i = Math.floor(r() * (l.length + 1));
    return [...l.slice(0, i), '# a note \\', pick(r, ['Frobnicate x', '</VirtualHost>', 'KeepAlive On']), ...l.slice(i)];
  },
  macro: (l, r) =>
    [
      ...l,
      ...pick(r, [
        ['<Macro App $name $port>', '<VirtualHost *:$port>', '  ServerName $name', '</VirtualHost>', '</Macro>', 'Use App a.example 80'],
        ['<Macro App $name>', '  ServerName $name', '</Macro>', 'Use App'],
        ['<Macro App $name>', '  ServerName $name', '</Macro>', 'Use App a b'],
        ['Use Nothing 1'],
        ['<Macro App $name>', '  ServerName $name'],
        ['<Macro App $x>', 'Use App $x', '</Macro>', 'Use App 1'],
        ['<Macro App $x>', '<Location $x>', '</Macro>', 'Use App /a'],
        ['<Macro App $x>', 'KeepAlive $x', '</Macro>', 'Use App On', 'UndefMacro App', 'Use App Off'],
        ['<Macro App $name>', '  ServerName $name', '</Macro>', 'Use App "two words"'],
      ]),
    ],
  'deep-nesting': (l, r) => {
    const depth = 2 + Math.floor(r() * 30);
    const open: string[] = [];
    const close: string[] = [];
    for (let i = 0; i < depth; i++) {
      open.push(`<IfModule ${r() < 0.8 ? 'mod_env.c' : '!mod_env.c'}>`);
      close.unshift('</IfModule>');
    }
    if (r() < 0.3) close.pop();
    return [...l, ...open, 'KeepAlive On', ...close];
  },
};

const MUTATION_NAMES = Object.keys(MUTATIONS);

export function generateCases(count: number, seed = 20261122): GeneratedCase[] {
  const r = rng(seed);
  const out: GeneratedCase[] = [];
  let i = 0;
  while (out.length < count) {
    const mname = MUTATION_NAMES[i % MUTATION_NAMES.length];
    i++;
    const files: Record<string, string> = {};
    const lines = MUTATIONS[mname](baseConfig(r), r, files);
    if (!lines) continue;
    let text = lines.join('\n');
    const style = r();
    if (style < 0.1) text = text.replace(/\n/g, '\r\n') + '\r\n';
    else if (style < 0.13) text = '\ufeff' + text + '\n';
    else if (style < 0.25) {
      /* no final newline */
    } else text += '\n';
    files['main.conf'] = text;
    out.push({ name: `${String(out.length).padStart(4, '0')}-${mname}`, files });
  }
  return out;
}

/** One mutated copy of a real file (structure mutations only, so the result tests the reader). */
export function mutateText(text: string, seed: number): { mutation: string; files: Record<string, string> } | null {
  const r = rng(seed);
  const structural = ['delete-close', 'delete-open', 'duplicate-close', 'swap-closes', 'stray-close', 'continuation-at-eof', 'trailing-comment-on-close', 'close-missing-gt', 'open-missing-gt', 'case-change', 'skipped-unbalanced', 'comment-continuation', 'unknown-directive', 'wrong-context'];
  for (let attempt = 0; attempt < 5; attempt++) {
    const mutation = structural[Math.floor(r() * structural.length)];
    const files: Record<string, string> = {};
    const crlf = text.includes('\r\n');
    const lines = MUTATIONS[mutation](text.replace(/\r\n/g, '\n').split('\n'), r, files);
    if (!lines) continue;
    files['main.conf'] = crlf ? lines.join('\r\n') : lines.join('\n');
    return { mutation, files };
  }
  return null;
}

/** ProxyPass shapes, URLs and worker parameters, each alone and inside a <Location>. */
const PROXY_LINES: string[] = [
  "ProxyPass /a http://b/ # x",
  "ProxyPass /a http://b/ foo=1",
  "ProxyPass /a http://b/ timeout=0",
  "ProxyPass /a http://b/ timeout=x",
  "ProxyPass /a http://b/ retry=x",
  "ProxyPass /a unix:/tmp/x.sock",
  "ProxyPass /a unix:/tmp/x.sock|uwsgi://localhost/",
  "ProxyPass /a unix:/tmp/x.sock|uwsgi:",
  "ProxyPass /a b",
  "ProxyPass /a",
  "ProxyPass http://b/",
  "ProxyPass /a !",
  "ProxyPass ~ /a http://b/",
  "ProxyPass /a http://b/ nocanon NOQUERY interpolate",
  "ProxyPass /a http://b/ Timeout=30 connectiontimeout=5 max=10 keepalive=On",
  "ProxyPass /a http://b/ keepalive=maybe",
  "ProxyPass /a http://b/ disablereuse=yes",
  "ProxyPass /a http://b/ mapping=foo",
  "ProxyPass /a http://b/ ttl=x",
  "ProxyPass /a http://b/ ping=x",
  "ProxyPass /a \"unix:/x.sock|http://localhost/\" timeout=5",
  "ProxyPass /a balancer://c/ lbmethod=byrequests",
  "ProxyPass /a balancer://c/ foo=1",
  "ProxyPass /a http://b/ =x",
  "ProxyPass /a http:",
  "ProxyPass /a ftp",
  "ProxyPass /a /local",
  "ProxyPassMatch ^/(a.*)$ http://b/$1 timeout=5",
  "ProxyPassMatch ^/(a.*)$ b/$1",
  "ProxyPass /a http://b/ ping=100ms",
  "ProxyPass /a http://b/ enablereuse=maybe",
  "ProxyPass /a fcgi://127.0.0.1:9000/ flushpackets=on",
  "ProxyPass /a ws://b/ upgrade=websocket",
];

const WSGI_LINES: string[] = [
  'WSGIDaemonProcess x foo',
  'WSGIDaemonProcess x threads=0',
  'WSGIDaemonProcess x processes=0',
  'WSGIDaemonProcess x threads=-1',
  'WSGIDaemonProcess',
  "WSGIDaemonProcess app lang='en_US.UTF-8' locale='en_US.UTF-8' display-name=%{GROUP} processes=2 threads=32 python-path=/a:/b",
  'WSGIDaemonProcess x python-optimize=1',
  'WSGIDaemonProcess x header-buffer-size=100',
  'WSGIDaemonProcess x header-buffer-size=0 response-buffer-size=65536 send-buffer-size=512',
  'WSGIDaemonProcess x server-metrics=maybe',
  'WSGIDaemonProcess x user=www-data group=www-data',
  'WSGIDaemonProcess x user=nosuchuser',
  'WSGIDaemonProcess x socket-timeout=10 request-timeout=60 queue-timeout=45 inactivity-timeout=300',
  'WSGIDaemonProcess x\nWSGIDaemonProcess x',
  'WSGIScriptAlias / /srv/app.wsgi process-group=x application-group=%{GLOBAL}',
  'WSGIDaemonProcess x\nWSGIScriptAlias / /srv/app.wsgi process-group=x application-group=%{GLOBAL}',
  'WSGIScriptAlias / /srv/app.wsgi process-group=x',
  'WSGIScriptAlias / /srv/app.wsgi process-group=%{GLOBAL} application-group=%{GLOBAL}',
  '<VirtualHost *:80>\nServerName a\nWSGIDaemonProcess x\n</VirtualHost>\n<VirtualHost *:80>\nServerName b\nWSGIScriptAlias / /srv/app.wsgi process-group=x application-group=%{GLOBAL}\n</VirtualHost>',
  'WSGIScriptAlias / /srv/app.wsgi processgroup=x',
  'WSGIScriptAlias / /srv/app.wsgi process-group',
];

export function proxyCases(): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  PROXY_LINES.forEach((line, i) => {
    out.push({ name: `proxy-${String(i).padStart(2, '0')}`, files: { 'main.conf': `${line}\n` } });
    const inLoc = line.replace(/^(ProxyPass(Match)?) (~ )?\S+ /, '$1 ');
    out.push({ name: `proxy-${String(i).padStart(2, '0')}-location`, files: { 'main.conf': `<Location /l>\n  ${inLoc}\n</Location>\n<Location /m>\n  ${line}\n</Location>\n` } });
  });
  WSGI_LINES.forEach((line, i) => out.push({ name: `wsgi-${String(i).padStart(2, '0')}`, files: { 'main.conf': `${line}\n` } }));
  return out;
}
