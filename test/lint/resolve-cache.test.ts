/**
 * lint() with a ResolveCache (how the language server re-lints on every edit): a second run over
 * unchanged files reuses what the first resolved and finds exactly the same; a change to a file, to
 * a file it includes, or to the text given for it is seen on the next run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lint, ResolveCache } from '../../lib';

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-cache-')));
  fs.writeFileSync(path.join(dir, 'app.ini'), '[uwsgi]\nmodule = myapp.wsgi:application\nplugins = python3\nsocket = 127.0.0.1:60999\nini = %dcommon.ini\n');
  fs.writeFileSync(path.join(dir, 'common.ini'), '[uwsgi]\nmaster = true\ndie-on-term = true\nbuffer-size = 65535\nsocket-timeout = 60\nneed-app = true\n');
  fs.writeFileSync(path.join(dir, 'site.conf'), '<VirtualHost *:80>\n  ProxyPass /app http://127.0.0.1:60999/\n</VirtualHost>\n');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const files = () => [{ path: 'app.ini' }, { path: 'site.conf' }];
const summary = (r: ReturnType<typeof lint>) => r.findings.map((f) => `${f.location.file}:${f.location.range.start.line} ${f.ruleId} ${f.severity} ${f.message}`);

test('a second run over unchanged files is served from the cache and finds the same', () => {
  const cache = new ResolveCache();
  const uncached = summary(lint(files(), { cwd: dir }));
  expect(uncached.some((s) => s.includes('proxy-protocol-mismatch'))).toBe(true);
  expect(summary(lint(files(), { cwd: dir, cache }))).toEqual(uncached);
  expect(cache.misses).toBe(2);
  expect(summary(lint(files(), { cwd: dir, cache }))).toEqual(uncached);
  expect(cache.hits).toBe(2);
});

test('a change to an included file, or to the file, is resolved again', () => {
  const cache = new ResolveCache();
  lint(files(), { cwd: dir, cache });
  fs.writeFileSync(path.join(dir, 'common.ini'), '[uwsgi]\nmaster = true\ndie-on-term = true\nbuffer-size = "65535"\nsocket-timeout = 60\nneed-app = true\n');
  const afterInclude = summary(lint(files(), { cwd: dir, cache }));
  expect(afterInclude.some((s) => s.startsWith('common.ini:4 uwsgi-quoted-value'))).toBe(true);
  expect(afterInclude).toEqual(summary(lint(files(), { cwd: dir })));
  fs.writeFileSync(path.join(dir, 'site.conf'), '<VirtualHost *:80>\n  ProxyPass /app uwsgi://127.0.0.1:60999/\n</VirtualHost>\n');
  const afterSite = summary(lint(files(), { cwd: dir, cache }));
  expect(afterSite.some((s) => s.includes('proxy-protocol-mismatch'))).toBe(false);
  expect(afterSite).toEqual(summary(lint(files(), { cwd: dir })));
});

test('text given for a file (an editor buffer) is compared too', () => {
  const cache = new ResolveCache();
  const onDisk = summary(lint(files(), { cwd: dir, cache }));
  const buffer = '[uwsgi]\nmodule = myapp.wsgi:application\nplugins = python3\nhttp-socket = 127.0.0.1:60999\nini = %dcommon.ini\n';
  const edited = summary(lint([{ path: 'app.ini', text: buffer }, { path: 'site.conf' }], { cwd: dir, cache }));
  expect(edited).not.toEqual(onDisk);
  expect(edited.some((s) => s.includes('proxy-protocol-mismatch'))).toBe(false);
  expect(edited).toEqual(summary(lint([{ path: 'app.ini', text: buffer }, { path: 'site.conf' }], { cwd: dir })));
});
