/**
 * A ProxyPass or proxy-* environment setting outside every <VirtualHost> applies to all of them
 * (field-facts.md F4; measured on 2.4.71: a server-scope ProxyPass was served by every vhost, even
 * with ProxyPassInherit Off, and a server-scope SetEnv reached every vhost's routes). A warning: the
 * line is not dead, it acts on more VirtualHosts than its place suggests, which is a problem (an
 * internal API served on a public vhost, a setting reaching another app's routes) only if not every
 * VirtualHost should have it, which the files cannot tell. The message names that assumption.
 */
import { defineRule, describeDirective, describeRoute } from '../lib/engine';
import { routesReachedBy, vhostBodyFiles, writtenRoutes } from '../lib/model/apache-queries';

export const rule = defineRule({
  id: 'apache-server-scope-proxy',
  severity: 'warning',
  category: 'reliability',
  description: 'A ProxyPass, `SetEnv proxy-*`, `KeepAlive` or `WSGIScriptAlias` outside every VirtualHost applies to all VirtualHosts of the server (in a file given without its server root, whatever it holds)',
  targets: ['httpd'],
  fixHint: 'Move the ProxyPass or SetEnv into the VirtualHost (or <Location>) that should have it.',
  check({ deployment, report }) {
    for (const server of deployment.apache) {
      // A file given without its server root is a piece of a server whose other VirtualHosts the
      // run does not show: what it puts outside a VirtualHost reaches them all, however few it has.
      const fragment = !server.config.wholeTree;
      // In a whole tree with one VirtualHost the server scope and the vhost serve the same requests.
      if (!fragment && server.vhosts.length < 2) continue;
      // A fragment written as a VirtualHost's body (puppet's vhost fragments) is inside that VirtualHost.
      const bodies = fragment ? vhostBodyFiles(server) : new Set<string>();
      const outside = (location: { file: string }) => !bodies.has(location.file);
      const vhostList = server.vhosts.map((v) => v.serverName ?? v.addresses.join(' ')).join(', ');
      const reach = fragment
        ? 'every site of the server this file is included in'
        : `all ${server.vhosts.length} VirtualHosts (${vhostList})`;
      for (const route of writtenRoutes(server)) {
        if (route.vhost !== null || !outside(route.directive.location)) continue;
        report({
          location: route.directive.location,
          message:
            `${describeRoute(route)} is outside every VirtualHost, so ${reach} serve${fragment ? 's' : ''} it, \`ProxyPassInherit Off\` or not${fragment ? ': other sites\' pages at that path go to this backend' : ''}. ` +
            'If not all of them should, move it into the VirtualHost that should serve it.',
        });
      }
      for (const setting of server.env) {
        if (setting.scope.vhost !== null || !outside(setting.directive.location) || !/^(proxy-|force-proxy-request-1\.0$)/i.test(setting.name)) continue;
        const reached = routesReachedBy(setting);
        // A shared proxy-sendcl is proxy-sendcl-shared-vhost's finding, with more to say.
        if (setting.name.toLowerCase() === 'proxy-sendcl' && reached.length >= 2) continue;
        if (!fragment && !reached.some((route) => route.vhost !== null)) continue;
        report({
          location: setting.directive.location,
          message:
            `${describeDirective(setting.directive)} is outside every VirtualHost, so it reaches the proxied routes of ${fragment ? 'every site of the server this file is included in' : 'every VirtualHost'}${reached.length ? ` (${reached.map((r) => r.path).join(', ')})` : ''}. ` +
            'If not all of them need it, move it into the VirtualHost, <Location> or <Proxy> whose routes do.',
        });
      }
      if (!fragment) continue;
      // A piece of a server also sets, for every site of that server, what it writes outside a
      // VirtualHost: keep-alive, and the URL paths its WSGI applications take. A file with no
      // VirtualHost at all that mounts a WSGI app is a package's conf.d file, server-wide by design
      // (Debian's openstack-dashboard.conf, graphite-web's): its mount is not reported.
      const withVhost = new Set(server.vhosts.map((v) => v.section.location.file));
      for (const { directive, scope } of server.directives) {
        if (scope.kind !== 'server' || !outside(directive.location)) continue;
        const mount = directive.lname === 'wsgiscriptalias' || directive.lname === 'wsgiscriptaliasmatch';
        if (mount && !withVhost.has(directive.location.file)) continue;
        const what = directive.lname === 'keepalive' ? 'keep-alive for' : mount ? 'this URL path on' : null;
        if (!what) continue;
        report({
          severity: 'warning',
          location: directive.location,
          message:
            `${describeDirective(directive)} is outside every VirtualHost in a file that is a piece of a server, so it sets ${what} every VirtualHost of that server, not only this file's. ` +
            'If not all of them should have it, move it into the VirtualHost that should.',
        });
      }
    }
  },
});
