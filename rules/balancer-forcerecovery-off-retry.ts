/**
 * A BalancerMember whose connection fails is put in error state for `retry` seconds (default 60;
 * AH00959 "disabling worker for (...) for 60s"). With the balancer's default `forcerecovery=On`, a
 * balancer whose members are all in error still tries them, so a restarted backend is served at
 * once; with `ProxySet forcerecovery=Off` it answers 503 until `retry` has passed, although the
 * backend is back. Measured on 2.4.71 (lab
 * `balancer-forcerecovery-off`): after a uWSGI restart, 503 for 60.4 s; with `retry=0`, 200 at once.
 * A plain ProxyPass worker was never put in error state there, so `retry` on it changed nothing
 * (devstack's `retry=0`): no rule reports that, since older 2.4 releases did disable such workers.
 * Whether all members fail at once is context (certain with one member): a warning.
 */
import { defineRule, describeDirective } from '../lib/engine';

export const rule = defineRule({
  id: 'balancer-forcerecovery-off-retry',
  severity: 'warning',
  category: 'reliability',
  description: 'A balancer with `forcerecovery=Off` whose member keeps `retry` (default 60 s): after a backend restart Apache answers 503 until retry has passed',
  targets: ['httpd'],
  fixHint: 'Set `retry=0` on the BalancerMember (or a short retry), or drop `forcerecovery=Off`.',
  check({ deployment, report }) {
    for (const server of deployment.apache) {
      for (const balancer of server.balancers) {
        const fromRoute = balancer.routes.map((route) => route.params.forcerecovery).find((v) => v !== undefined);
        const force = (balancer.params.forcerecovery ?? fromRoute)?.toLowerCase();
        if (force !== 'off') continue;
        const setBy = balancer.paramDirectives.forcerecovery ?? balancer.routes.find((route) => route.params.forcerecovery !== undefined)?.directive;
        for (const member of balancer.members) {
          const retry = member.params.retry ?? '60';
          if (retry === '0') continue;
          report({
            location: member.directive.location,
            related: setBy ? [{ location: setBy.location, message: `${describeDirective(setBy)}: the balancer does not retry members in error state` }] : undefined,
            message:
              `${describeDirective(member.directive)} keeps \`retry=${retry}\`${member.params.retry ? '' : ' (the default)'} in ${balancer.name}, which has \`forcerecovery=Off\`: after its backend restarts, Apache answers 503 for up to ${retry} s although the backend is back${balancer.members.length > 1 ? ' (when every member failed at once)' : ''}. ` +
              'Set `retry=0` on the member, or drop `forcerecovery=Off`.',
          });
        }
      }
    }
  },
});
