/** Property tests of the Apache config parser and resolver (see suite.ts for the properties). */
import { apache } from './parsers';
import { defineParserProperties } from './suite';
import { APACHE_TOKENS } from './support';

defineParserProperties({
  parser: apache,
  tokens: APACHE_TOKENS,
  resolveTokens: [
    '\nInclude other.conf\n', '\nInclude @DIR@/other.conf\n', '\nIncludeOptional sites/*.conf\n', '\nInclude @DIR@/loop.conf\n',
    '\nInclude @DIR@/root.conf\n', '\nInclude *.conf\n', '\nIncludeOptional @DIR@/nope/*.conf\n', '\nInclude @DIR@/missing.conf\n',
    '\nInclude @DIR@/sites\n', '\nServerRoot @DIR@\n', '\nServerRoot @DIR@/sites\n', '\nDefine D @DIR@\n', '\nInclude ${D}/other.conf\n',
    '\nErrorLog "|/usr/bin/touch @DIR@/EXECUTED"\n', '\nCustomLog "|touch @DIR@/EXECUTED" common\n',
    '\nLoadModule wsgi_module /nonexistent/mod_wsgi.so\n', '\n<IfFile @DIR@/other.conf>\n', '\n<IfModule proxy_module>\n',
    '\nInclude /etc/passwd\n', '\nIncludeOptional /etc/apache2/*.conf\n', '\nInclude @DIR@/../outside.conf\n',
  ],
  confine: true,
  corpusFilter: (c) => !c.uwsgi && !/\/(envvars|magic)$/.test(c.file),
  rootName: 'root.conf',
  siblings: {
    'other.conf': 'ServerName other.example\n<IfModule proxy_module>\nProxyPass / http://127.0.0.1:8000/\n</IfModule>\n',
    'loop.conf': 'Include @DIR@/loop.conf\n',
    'sites/a.conf': '<VirtualHost *:80>\n  ServerName a\n  Include @DIR@/sites/b.conf\n</VirtualHost>\n',
    'sites/b.conf': 'Include @DIR@/sites/a.conf\n',
  },
  resolveOptions: (dir) => ({ serverRoot: dir, env: { APACHE_LOG_DIR: dir } }),
  scalingFragments: ['${', '${X}', '"', "'", '\\', '"\\"', '<', '<a ', '</a>', '%{', '#', '\r', '\0', '\\\n'],
  scalingPrefix: 'Define X 1\nSetEnv A ',
});
