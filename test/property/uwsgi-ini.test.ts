/** Property tests of the uWSGI ini parser and resolver (see suite.ts for the properties). */
import { uwsgiIni } from './parsers';
import { defineParserProperties } from './suite';
import { INI_TOKENS } from './support';

defineParserProperties({
  parser: uwsgiIni,
  tokens: INI_TOKENS,
  resolveTokens: [
    '\nini = other.ini\n', '\nini = @DIR@/other.ini\n', '\nini = @DIR@/other.ini:app\n', '\nini = @DIR@/loop.ini\n',
    '\nini = @DIR@/root.ini\n', '\nini = @DIR@/missing.ini\n', '\nini = @DIR@/sub\n', '\ninherit = @DIR@/other.ini\n',
    '@(@DIR@/other.ini)', '@(@DIR@/missing)', '\nini = exec://touch @DIR@/EXECUTED\n', '@(exec://touch @DIR@/EXECUTED)',
    '\nfor-readline = @DIR@/other.ini\n', '\nendfor =\n', '\nif-exists = @DIR@/other.ini\n', '\nif-env = HOME\n', '\nendif =\n',
    '\nini = %d/other.ini\n', '\n[uwsgi]\n', '\n[app]\n', '\nini = /etc/passwd\n', '@(/etc/hostname)', '\nini = @DIR@/../x.ini\n',
    '\nfor-readline = /etc/hostname\n',
  ],
  confine: true,
  corpusFilter: (c) => c.uwsgi || /\.ini$/.test(c.file),
  rootName: 'root.ini',
  siblings: {
    'other.ini': '[uwsgi]\nprocesses = 2\nbase = /srv/other\n[app]\nmodule = app.wsgi\n',
    'loop.ini': '[uwsgi]\nini = @DIR@/loop.ini\n',
    'sub/inner.ini': '[uwsgi]\nthreads = 4\n',
  },
  resolveOptions: (dir) => ({ cwd: dir, env: { HOME: '/home/property' } }),
  scalingFragments: ['%(', '$(', '%(a)', '%(%(', '@(', '"', "'", '\\', '=', '[', ';', '%', '%d', '\r', '\0', '\uFEFF'],
  scalingPrefix: '[uwsgi]\nbase = x\nkey = ',
});
