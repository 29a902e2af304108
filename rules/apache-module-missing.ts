/**
 * A ProxyPass scheme needs its mod_proxy_* module. Without it `apachectl -t` says Syntax OK, and every
 * request gets 500 (AH01144 "No protocol handler was valid"); a balancer without mod_slotmem_shm or
 * its lbmethod module passes -t and then httpd does not start (apache-facts.md 6.5; measured on 2.4.71).
 * Directives of unloaded modules (ProxyPass without mod_proxy, WSGI* without mod_wsgi, SetEnv without
 * mod_env) are "Invalid command" and already reported by the parser (apache-invalid-command).
 */
import { defineRule, describeRoute, insertLineAfter, sourceOf } from '../lib/engine';
import type { Fix } from '../lib/core/finding';
import type { ApacheServer } from '../lib/model/types';
import { lbMethodOf } from '../lib/model/apache-queries';
import type { ProxyScheme } from '../lib/model/types';

/** Modules that can serve a scheme, any one of them being enough. */
const SCHEME_MODULES: Partial<Record<ProxyScheme, { ids: string[]; name: string; debian: string }>> = {
  http: { ids: ['proxy_http_module'], name: 'mod_proxy_http', debian: 'proxy_http' },
  https: { ids: ['proxy_http_module'], name: 'mod_proxy_http', debian: 'proxy_http' },
  ws: { ids: ['proxy_http_module', 'proxy_wstunnel_module'], name: 'mod_proxy_http (or mod_proxy_wstunnel)', debian: 'proxy_http' },
  wss: { ids: ['proxy_http_module', 'proxy_wstunnel_module'], name: 'mod_proxy_http (or mod_proxy_wstunnel)', debian: 'proxy_http' },
  uwsgi: { ids: ['proxy_uwsgi_module'], name: 'mod_proxy_uwsgi', debian: 'proxy_uwsgi' },
  fcgi: { ids: ['proxy_fcgi_module'], name: 'mod_proxy_fcgi', debian: 'proxy_fcgi' },
  scgi: { ids: ['proxy_scgi_module'], name: 'mod_proxy_scgi', debian: 'proxy_scgi' },
  ajp: { ids: ['proxy_ajp_module'], name: 'mod_proxy_ajp', debian: 'proxy_ajp' },
  ftp: { ids: ['proxy_ftp_module'], name: 'mod_proxy_ftp', debian: 'proxy_ftp' },
  h2: { ids: ['proxy_http2_module'], name: 'mod_proxy_http2', debian: 'proxy_http2' },
  h2c: { ids: ['proxy_http2_module'], name: 'mod_proxy_http2', debian: 'proxy_http2' },
  balancer: { ids: ['proxy_balancer_module'], name: 'mod_proxy_balancer', debian: 'proxy_balancer' },
};

function loadHint(debian: string): string {
  return `Load it (Debian: \`a2enmod ${debian}\`).`;
}

export const rule = defineRule({
  id: 'apache-module-missing',
  severity: 'error',
  category: 'correctness',
  description: 'A proxy route whose scheme module is not loaded passes `apachectl -t` and fails every request with 500',
  targets: ['httpd'],
  fixable: true,
  fixHint: 'Load the module the scheme needs (`a2enmod proxy_uwsgi`, `proxy_http`, `proxy_balancer`...).',
  check({ deployment, report }) {
    for (const server of deployment.apache) {
      const loaded = server.loadedModules;
      // Only a whole server tree says what is loaded; without mod_proxy the parser already reports ProxyPass.
      if (loaded === null || !loaded.has('proxy_module')) continue;
      for (const route of server.routes) {
        // RewriteRule [P] is mod_rewrite's; its own module check is httpd's "Invalid command" too.
        const needed = SCHEME_MODULES[route.scheme];
        if (!needed) continue;
        const location = route.directive.location;
        if (!needed.ids.some((id) => loaded.has(id))) {
          report({
            location,
            fix: loadModuleFix(server, needed.ids[0], needed.debian),
            message: `${describeRoute(route)} needs ${needed.name}, which this server does not load: \`apachectl -t\` passes, but every request gets 500 (AH01144). ${loadHint(needed.debian)}`,
          });
          continue;
        }
        if (route.scheme !== 'balancer') continue;
        // mod_proxy_balancer itself needs shared memory and the balancer's lbmethod at start-up.
        if (!loaded.has('slotmem_shm_module')) {
          report({
            location,
            message: `${describeRoute(route)} needs mod_slotmem_shm, which this server does not load: \`apachectl -t\` passes, but httpd does not start (AH01177). ${loadHint('slotmem_shm')}`,
          });
        }
        const { method } = lbMethodOf(route);
        if (/^[a-z]+$/.test(method) && !loaded.has(`lbmethod_${method}_module`)) {
          report({
            location,
            message: `${describeRoute(route)} balances with lbmethod ${method}, whose module this server does not load: \`apachectl -t\` passes, but httpd does not start (AH02432). ${loadHint(`lbmethod_${method}`)}`,
          });
        }
      }
    }
  },
});

/**
 * The LoadModule line Debian's `a2enmod` would enable (`LoadModule proxy_http_module
 * /usr/lib/apache2/modules/mod_proxy_http.so`, in the directory the neighbouring lines use), after
 * the last LoadModule of the server, when that line is in a file that lists several (apache2.conf,
 * RHEL's conf.modules.d/00-proxy.conf). Debian's one-module `.load` files get no fix: there the
 * operator runs `a2enmod`, which adds a file, not a line.
 */
function loadModuleFix(server: ApacheServer, id: string, debian: string): Fix | undefined {
  const loads = server.config.loadModuleLines ?? [];
  const last = loads[loads.length - 1];
  if (!last || loads.filter((d) => d.location.file === last.location.file).length < 2) return undefined;
  const pathArg = last.args[1];
  const written = pathArg && sourceOf(pathArg.location) === pathArg.raw ? /^("?)(.*\/)?mod_[A-Za-z0-9_]+\.so("?)$/.exec(pathArg.raw) : null;
  const object = written ? `${written[1]}${written[2] ?? ''}mod_${debian}.so${written[3]}` : `/usr/lib/apache2/modules/mod_${debian}.so`;
  const edit = insertLineAfter(last.location, `LoadModule ${id} ${object}`);
  return edit && { description: `load ${id} (\`LoadModule ${id} ${object}\`)`, edits: [edit], claims: [`apache-module:${server.file}:${id}`] };
}
