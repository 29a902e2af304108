/**
 * uWSGI 2.0 with a master process treats SIGTERM as "brutal reload", not "stop", unless
 * `die-on-term` is on: `systemctl stop`, `docker stop` and Kubernetes send SIGTERM, wait, and
 * kill -9 (uwsgi-facts.md 2 "die-on-term", [S] master.c:346-353; lab-findings.md; measured again
 * on 2.0.21). uWSGI 2.1 stops on SIGTERM and deprecates the option.
 */
import { defineRule, describeOption, insertUwsgiOption, replaceUwsgiValue, uwsgiOptionClaim } from '../lib/engine';
import { instanceAnchor, runsMaster } from '../lib/model/uwsgi';
import { readUwsgiFlag } from '../lib/knowledge/uwsgi-values';

/** `hook-master-start = unix_signal:15 gracefully_kill_them_all` (devstack) maps SIGTERM to a shutdown. */
function sigtermHookedToShutdown(values: string[]): boolean {
  return values.some((v) => /unix_signal:15\s+(gracefully_kill_them_all|kill_them_all)\b/.test(v));
}

export const rule = defineRule({
  id: 'uwsgi-sigterm-reload',
  severity: 'warning',
  category: 'reliability',
  description: 'uWSGI 2.0 with a master and without `die-on-term` reloads on SIGTERM instead of stopping',
  targets: ['uwsgi'],
  fixable: true,
  fixHint: 'Add `die-on-term = true` (uWSGI 2.0); on 2.1 SIGTERM already stops uWSGI.',
  check({ deployment, report }) {
    const line = deployment.uwsgiLine;
    if (line !== '2.0') return;
    for (const instance of deployment.uwsgi) {
      // An Emperor vassal is stopped by the Emperor, which it obeys without die-on-term (measured).
      if (/(^|\/)vassals\//.test(instance.file)) continue;
      // Without a master, the single process exits on SIGTERM (measured): nothing to report.
      if (!runsMaster(instance, line)) continue;
      const dieOnTerm = instance.last('die-on-term');
      if (dieOnTerm && readUwsgiFlag(dieOnTerm.value)) continue;
      // exit-on-reload turns the brutal reload into an exit (measured); the devstack hook stops it gracefully.
      const exitOnReload = instance.last('exit-on-reload');
      if (exitOnReload && readUwsgiFlag(exitOnReload.value)) continue;
      if (sigtermHookedToShutdown(instance.all('hook-master-start').map((o) => o.value))) continue;
      // the unit or supervisor program of the run that starts it says how it is stopped
      const launch = instance.launch;
      if (launch && launch.options.some((o) => o.key === 'die-on-term' && (o.value === null || readUwsgiFlag(o.value)))) continue;
      if (launch && launch.stopSignal.signal !== 'SIGTERM' && launch.stopSignal.signal !== '15') continue;
      const why = `\`die-on-term\` is ${dieOnTerm ? `off (${describeOption(dieOnTerm)})` : 'unset'}`;
      const stopper = launch
        ? `${launch.launcher === 'systemd' ? 'systemd' : 'supervisor'} stops it with SIGTERM (${launch.stopSignal.isDefault ? `${launch.launcher === 'systemd' ? 'KillSignal' : 'stopsignal'} is unset in ${launch.name}` : `as ${launch.name} says`}), waits out its timeout, then kills it`
        : 'if it is stopped with SIGTERM (`systemctl stop` without KillSignal, `docker stop`, Kubernetes), the stop waits out its timeout and then kills it';
      // `die-on-term = true` after `master` (or the value set to true): the stop the finding is about, nothing more.
      const edit = dieOnTerm
        ? replaceUwsgiValue(instance, dieOnTerm, 'true')
        : insertUwsgiOption(instance, [instance.last('master'), instance.entries[0], instance.sockets[0]?.option], 'die-on-term', 'true');
      report({
        fix: edit && { description: dieOnTerm ? 'set `die-on-term = true`' : 'add `die-on-term = true`', edits: [edit], claims: [uwsgiOptionClaim(instance, 'die-on-term')] },
        location: dieOnTerm?.entryLocation ?? instance.last('master')?.entryLocation ?? instanceAnchor(instance),
        ...(launch?.stopSignal.location ? { related: [{ location: launch.stopSignal.location, message: `${launch.name} stops uWSGI with ${launch.stopSignal.signal}` }] }
          : launch ? { related: [{ location: launch.command.location, message: `${launch.name} starts this uWSGI` }] } : {}),
        message:
          `This uWSGI 2.0 master reloads on SIGTERM instead of stopping, because ${why}: ${stopper}. ` +
          'Add `die-on-term = true`' + (launch ? ` (or KillSignal=SIGQUIT in ${launch.name})` : '') + '.',
      });
    }
  },
});
