/**
 * uWSGI compares `listen` with the host's net.core.somaxconn on Linux before binding any socket and
 * exits if it is larger: "Listen queue size is greater than the system max net.core.somaxconn (N)."
 * Measured on 2.0.21 with somaxconn 4096 (lab
 * `direct-listen-above-somaxconn`): 4097 exits with status 1 on a TCP http-socket, a uwsgi socket
 * and a unix socket alike; 4096 runs. The files cannot show the host's somaxconn: 4096 by default
 * since Linux 5.4 (commit 19f92a030ca6, "net: increase SOMAXCONN to 4096"), 128 before (RHEL 8's
 * 4.18, Ubuntu 18.04's 4.15). A warning, naming the host value it assumes.
 */
import { defineRule, describeOption } from '../lib/engine';
import { readUwsgiInt } from '../lib/knowledge/uwsgi-values';
import { isTemplatedValue } from '../lib/model/uwsgi';

const MODERN_DEFAULT = 4096;
const OLD_DEFAULT = 128;

export const rule = defineRule({
  id: 'uwsgi-listen-above-somaxconn',
  severity: 'warning',
  category: 'reliability',
  description: 'uWSGI `listen` above the kernel\'s default net.core.somaxconn (4096 since Linux 5.4, 128 before): uWSGI refuses to start unless the host raised it',
  targets: ['uwsgi'],
  fixHint: 'Keep `listen` at or below the host\'s net.core.somaxconn, or raise that sysctl first (sysctl -w net.core.somaxconn=N, in /etc/sysctl.d).',
  check({ deployment, report }) {
    for (const instance of deployment.uwsgi) {
      const option = instance.last('listen');
      if (!option || isTemplatedValue(option.value) || /^\s*["']/.test(option.value)) continue;
      const backlog = readUwsgiInt(option.value);
      if (backlog <= OLD_DEFAULT) continue;
      const modern = backlog > MODERN_DEFAULT;
      report({
        location: option.entryLocation,
        message: modern
          ? `${describeOption(option)} is above ${MODERN_DEFAULT}, the default net.core.somaxconn since Linux 5.4: uWSGI refuses to start ("Listen queue size is greater than the system max net.core.somaxconn") unless the host raised it to ${backlog}. Raise the sysctl first, or lower \`listen\`.`
          : `${describeOption(option)} is above ${OLD_DEFAULT}, the default net.core.somaxconn of kernels before 5.4 (RHEL 8, Ubuntu 18.04): on such a host uWSGI refuses to start unless the sysctl was raised (on 5.4 and later the default is ${MODERN_DEFAULT}). Check the hosts it runs on.`,
      });
    }
  },
});
