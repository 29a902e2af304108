/**
 * Step 2: argument counts (0-4 plain words and 'On') per directive in a scope where it is allowed, and
 * every section in every scope. Output: /tmp/ap/probe2-results.tsv.
 */
const { execFile } = require('child_process');
const fs = require('fs');
const ctxRows = fs.readFileSync(require('path').join(__dirname, '..', '..', '..', 'lib', 'knowledge', 'data', 'apache-directive-contexts.tsv'), 'utf8').split('\n').slice(1).filter(Boolean).map(l => l.split('\t'));
const scopes = ['top','vhost','directory','location','files','proxy','if'];
const wrap = {
  top: b => b,
  vhost: b => `<VirtualHost *:80>\n${b}\n</VirtualHost>`,
  directory: b => `<Directory "/tmp">\n${b}\n</Directory>`,
  location: b => `<Location "/a">\n${b}\n</Location>`,
  files: b => `<Files "x">\n${b}\n</Files>`,
  proxy: b => `<Proxy "http://x/">\n${b}\n</Proxy>`,
  if: b => `<If "true">\n${b}\n</If>`,
};
function run(text) {
  return new Promise(res => {
    const f = `/tmp/ap/probe/q${Math.random().toString(36).slice(2)}.conf`;
    fs.writeFileSync(f, 'Include /tmp/ap/allmods2.conf\nServerName x\n' + text + '\n');
    execFile('apache2', ['-t', '-f', f, '-d', '/tmp/ap/sr'], { timeout: 5000 }, (err, so, se) => {
      fs.unlinkSync(f);
      const lines = (se || '').split('\n').filter(l => l && !/AH00558|\[.*:warn\]|\[.*:notice\]/.test(l));
      let msg = 'OK';
      if (err) {
        const i = lines.findIndex(l => /AH00526/.test(l));
        msg = i >= 0 ? lines[i + 1] : (lines.join(' | ').replace(/^.*Syntax error on line \d+ of [^:]*: /, '') || 'ERR');
      }
      res(msg);
    });
  });
}
const jobs = [];
for (const r of ctxRows) {
  const scope = scopes.find((s, i) => r[i + 1] === 'ok');
  if (!scope) continue;
  for (const n of [0, 1, 2, 3, 4]) jobs.push([r[0], scope, n, Array(n).fill('x').join(' ')]);
  jobs.push([r[0], scope, 'On', 'On']);
}
// sections in every context
const sections = ['Directory "/d"','DirectoryMatch "^/d"','Location "/l"','LocationMatch "^/l"','Files "f"','FilesMatch "f"','VirtualHost *:80','Proxy "http://p/"','ProxyMatch "^http"','If "true"','ElseIf "true"','Else','Limit GET','LimitExcept GET','RequireAll','RequireAny','RequireNone','AuthnProviderAlias file f1','AuthzProviderAlias user u1 x','Macro M','MDomainSet example.org','MDomain example.org','RequireNotAll'];
for (const s of sections) for (const c of scopes) {
  const name = s.split(' ')[0];
  jobs.push(['<' + name, c, 'section', `<${s}>\n</${name}>`]);
}
(async () => {
  const out = fs.createWriteStream('/tmp/ap/probe2-results.tsv');
  let i = 0;
  async function worker() { while (i < jobs.length) { const [n, c, k, a] = jobs[i++]; const text = k === 'section' ? wrap[c](a) : wrap[c](`${n} ${a}`); const r = await run(text); out.write(`${n}\t${c}\t${k}\t${r.replace(/\s+/g, ' ')}\n`); } }
  await Promise.all([worker(), worker(), worker()]);
  out.end();
})();
