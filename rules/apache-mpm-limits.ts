/**
 * An MPM sizing line httpd adjusts or never uses. httpd's MPMs check ServerLimit, ThreadLimit,
 * ThreadsPerChild, MaxRequestWorkers and StartServers at start-up and change what does not fit,
 * logging a `WARNING:` (AH00507, AH00511, AH00513, AH00515, prefork AH00180...); StartServers above
 * the processes MaxRequestWorkers allows is cut silently, and a ServerLimit or ThreadLimit above what
 * MaxRequestWorkers can use reserves scoreboard slots (shared memory) no process ever takes, silently
 * too. MaxRequestWorkers' default does not follow ServerLimit: it is 16 × 25 = 400 (event, worker)
 * or 256 (prefork) unless written. Measured on 2.4.71 (lab `apache-mpm-limits-*`): openstack-helm's
 * keystone block (ServerLimit 1024, StartServers 32, ThreadLimit 720, ThreadsPerChild 25) starts 16
 * processes, not 32, with a 236 MiB scoreboard, and logs nothing. Requests are served either way:
 * configuration that does not do what it says, hence info.
 *
 * Only the MPM the lines are for is judged: the loaded one in a whole server tree, the one an
 * `<IfModule mpm_X_module>` names in a fragment (lines outside one are left alone there). In a
 * fragment, a setting it does not write may come from another file of the server: the message says
 * which values are httpd's defaults.
 */
import { code, defineRule, describeDirective, listOf } from '../lib/engine';
import { MPM_SETTING_NAMES, mpmSizings, type MpmAdjustment, type MpmSizing } from '../lib/model/apache-mpm';

function given(adj: MpmAdjustment): string {
  const parts = adj.inputs.map((i) => `${code(`${MPM_SETTING_NAMES[i.setting]} ${i.value}`)}${i.directive ? '' : ' (default)'}`);
  return parts.length ? ` with ${listOf(parts)}` : '';
}

/** In a fragment, a setting taken from httpd's defaults may be written in another file of the server. */
function elsewhere(adj: MpmAdjustment, sizing: MpmSizing): string {
  const defaults = adj.inputs.filter((i) => !i.directive).map((i) => code(MPM_SETTING_NAMES[i.setting]));
  if (!defaults.length || sizing.from !== 'ifmodule') return '';
  const debian = adj.inputs.some((i) => !i.directive && i.setting === 'maxRequestWorkers') ? ' (Debian\'s sets `MaxRequestWorkers 150`)' : '';
  return ` Another file of the server may set ${listOf(defaults)}${debian}.`;
}

function message(adj: MpmAdjustment, sizing: MpmSizing): string {
  const line = describeDirective(adj.directive);
  const mpm = `the ${sizing.mpm} MPM`;
  const said = adj.logged ? `httpd warns (${adj.logged})` : 'silently';
  const head = (effect: string, after = '') => `${line}: ${effect}${given(adj)}${after}; ${said}.${elsewhere(adj, sizing)} `;
  const threads = adj.inputs.find((i) => i.setting === 'threadsPerChild')?.value ?? 0;
  switch (adj.kind) {
    case 'out-of-range':
      return head(`out of range for ${mpm}, which uses ${adj.becomes}`) + `Write \`${adj.becomes}\` or a value in range.`;
    case 'threads-above-thread-limit':
      return head(`${mpm} runs ${adj.becomes} threads per process, not ${adj.written}, as ThreadLimit caps it`) +
        'Raise `ThreadLimit` to it, or lower `ThreadsPerChild`.';
    case 'workers-below-threads':
      return head(`${mpm} raises MaxRequestWorkers to ${adj.becomes}, one whole process`) + 'Make `MaxRequestWorkers` a multiple of `ThreadsPerChild`.';
    case 'workers-not-multiple':
      return head(`${mpm} lowers MaxRequestWorkers to ${adj.becomes}, a multiple of ThreadsPerChild`) +
        `Write \`MaxRequestWorkers ${adj.becomes}\` or \`${adj.becomes + threads}\`.`;
    case 'workers-above-server-limit':
      return head(`${mpm} allows only ${adj.becomes} ${sizing.facts.threaded ? 'workers' : 'processes'}, as ServerLimit caps the processes`) +
        'Raise `ServerLimit`, or lower `MaxRequestWorkers` to what runs.';
    case 'start-servers-above-processes':
      return head(`${mpm} starts only ${adj.becomes} processes, the most MaxRequestWorkers allows`) +
        `Write \`StartServers ${adj.becomes}\`, or raise \`MaxRequestWorkers\` (and \`ServerLimit\`).`;
    case 'server-limit-unused': {
      const unset = adj.inputs.some((i) => i.setting === 'maxRequestWorkers' && !i.directive) ? ' (its default ignores ServerLimit)' : '';
      return head(`at most ${adj.becomes} processes of ${mpm} run`, `${unset}, yet the scoreboard reserves shared memory for ${adj.written}`) +
        `Set \`MaxRequestWorkers\`, or write \`ServerLimit ${adj.becomes}\` unless a graceful restart raises it.`;
    }
    case 'thread-limit-unused':
      return head(`processes of ${mpm} run ${adj.becomes} threads`, `, yet the scoreboard reserves ${adj.written} thread slots for each`) +
        `Write \`ThreadLimit ${adj.becomes}\` (or drop it) unless a graceful restart raises ThreadsPerChild.`;
  }
}

export const rule = defineRule({
  id: 'apache-mpm-limits',
  severity: 'info',
  category: 'dead-config',
  description: 'An MPM sizing line (ServerLimit, ThreadLimit, ThreadsPerChild, MaxRequestWorkers, StartServers) that httpd adjusts at start-up or never uses',
  targets: ['httpd'],
  fixHint: 'Make MaxRequestWorkers a multiple of ThreadsPerChild, ServerLimit = MaxRequestWorkers / ThreadsPerChild, ThreadLimit = ThreadsPerChild, StartServers at most ServerLimit.',
  check({ deployment, report }) {
    for (const server of deployment.apache) {
      for (const sizing of mpmSizings(server)) {
        for (const adj of sizing.adjustments) {
          const related = adj.inputs.filter((i) => i.directive && i.directive !== adj.directive)
            .map((i) => ({ location: i.directive!.location, message: `${describeDirective(i.directive!)}: decides it` }));
          report({ location: adj.directive.location, message: message(adj, sizing).trimEnd(), related: related.length ? related : undefined });
        }
      }
    }
  },
});
