/**
 * Step 1 of regenerating lib/knowledge/data/apache-directive-contexts.tsv: runs `apache2 -t` once per
 * directive (manual table + mod_wsgi) and scope, with every Debian module loaded, and records what httpd
 * says. Needs /tmp/ap/allmods2.conf (one LoadModule line per module of /etc/apache2/mods-available, one
 * MPM only) and a scratch ServerRoot /tmp/ap/sr with logs/. Output: /tmp/ap/probe-results.tsv.
 * Then run probe-arity.js, then make-data.py.
 */
const { execFile } = require('child_process');
const fs = require('fs');
const tsv = fs.readFileSync(require('path').join(__dirname, '..', '..', '..', '..', 'shared', 'knowledge', 'apache-directives.tsv'), 'utf8').split('\n').slice(1).filter(Boolean).map(l => l.split('\t'));
const wsgi = 'WSGIAcceptMutex WSGIAccessScript WSGIApplicationGroup WSGIApplicationWrapper WSGIAuthGroupScript WSGIAuthUserScript WSGICallableObject WSGICaseSensitivity WSGIChunkedRequest WSGIDaemonProcess WSGIDestroyInterpreter WSGIDispatchScript WSGIDontWriteBytecode WSGIEnableSendfile WSGIErrorOverride WSGIGroupAuthoritative WSGIHandlerScript WSGIIgnoreActivity WSGIImportScript WSGILazyInitialization WSGIMapHEADToGET WSGINewRelicConfigFile WSGINewRelicEnvironment WSGIPassApacheRequest WSGIPassAuthorization WSGIProcessGroup WSGIPythonEggs WSGIPythonHashSeed WSGIPythonHome WSGIPythonOptimize WSGIPythonPath WSGIPythonWarnings WSGIRestrictEmbedded WSGIRestrictProcess WSGIRestrictSignal WSGIRestrictStdin WSGIRestrictStdout WSGIScriptAlias WSGIScriptAliasMatch WSGIScriptReloading WSGIServerMetrics WSGISocketPrefix WSGISocketRotation WSGITrustedProxies WSGITrustedProxyHeaders WSGIVerboseDebugging'.split(' ');
const names = [...new Set([...tsv.filter(r => r[2] === 'directive').map(r => r[0]), ...wsgi])];
const ctxs = {
  top: b => b,
  vhost: b => `<VirtualHost *:80>\n${b}\n</VirtualHost>`,
  directory: b => `<Directory "/tmp">\n${b}\n</Directory>`,
  location: b => `<Location "/a">\n${b}\n</Location>`,
  files: b => `<Files "x">\n${b}\n</Files>`,
  proxy: b => `<Proxy "http://x/">\n${b}\n</Proxy>`,
  if: b => `<If "true">\n${b}\n</If>`,
};
const variants = ['x', 'x y', '', 'On', 'x y z', 'x=1'];
function run(text) {
  return new Promise(res => {
    const f = `/tmp/ap/probe/p${Math.random().toString(36).slice(2)}.conf`;
    fs.writeFileSync(f, 'Include /tmp/ap/allmods2.conf\nServerName x\n' + text + '\n');
    execFile('apache2', ['-t', '-f', f, '-d', '/tmp/ap/sr'], { timeout: 5000 }, (err, so, se) => {
      fs.unlinkSync(f);
      const lines = (se || '').split('\n').filter(l => l && !/AH00558|\[.*:warn\]|\[.*:notice\]/.test(l));
      res(err ? (lines.join(' | ') || 'ERR') : 'OK');
    });
  });
}
const argErr = /takes|requires|argument|must be|must have|parameter|Invalid|invalid|bad |unknown|Unknown|not a valid|must specify/;
async function probe(name, ctx) {
  let last;
  for (const v of variants) {
    const msg = await run(ctxs[ctx](`${name} ${v}`));
    last = msg;
    if (msg === 'OK') return 'OK';
    if (/not allowed (here|in)|cannot occur/.test(msg)) return msg.replace(/^.*?F?:? ?\| ?/, '');
    if (/Invalid command/.test(msg)) return 'INVALID';
  }
  return 'OTHER ' + last;
}
(async () => {
  const jobs = [];
  for (const n of names) for (const c of Object.keys(ctxs)) jobs.push([n, c]);
  const out = fs.createWriteStream('/tmp/ap/probe-results.tsv');
  let i = 0;
  async function worker() { while (i < jobs.length) { const [n, c] = jobs[i++]; const r = await probe(n, c); out.write(`${n}\t${c}\t${r.replace(/\s+/g, ' ')}\n`); } }
  await Promise.all([worker(), worker(), worker()]);
  out.end();
})();
