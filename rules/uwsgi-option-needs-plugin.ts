/**
 * On a modular (distro) uWSGI build, an option belongs to the plugin that defines it: without that
 * plugin loaded the key is unknown and silently ignored (lab-findings.md: `http-chunked-input` with
 * `plugins = python3` alone is an "unknown config directive" under --strict). A pip/monolithic build
 * embeds python, http and the routers, so an instance that names no plugin at all is not judged.
 */
import type { Rule } from '../lib/engine/types';
import { distroPluginNames, getUwsgiOption } from '../lib/knowledge/uwsgi-options';
import { uwsgiLine } from '../lib/knowledge/targets';
import { declaresPlugins, loadedSourcePlugins } from '../lib/model/uwsgi';

/** Setters that start a router or gateway process: without its plugin nothing listens. */
const SERVER_SETTERS = new Set(['uwsgi_opt_corerouter', 'uwsgi_opt_undeferred_corerouter', 'uwsgi_opt_https', 'uwsgi_opt_https2', 'uwsgi_opt_sslrouter', 'uwsgi_opt_sslrouter2', 'uwsgi_opt_forkpty_urouter']);

export const rule: Rule = {
  meta: {
    id: 'uwsgi-option-needs-plugin',
    severity: 'warning',
    category: 'correctness',
    description: 'An option of a uWSGI plugin that the instance does not load: a modular (distro) build ignores it',
    docs: 'docs/rules/uwsgi-option-needs-plugin.md',
    targets: ['uwsgi'],
    fixable: false,
    fixHint: 'Add the plugin that defines the option to `plugins =` (e.g. `plugins = python3,http` for `http =`).',
  },
  check({ deployment, report }) {
    const line = uwsgiLine(deployment.targets);
    for (const instance of deployment.uwsgi) {
      if (!declaresPlugins(instance)) continue;
      const loaded = loadedSourcePlugins(instance);
      const pluginsLine = instance.last('plugins') ?? instance.last('need-plugin');
      for (const option of instance.options) {
        const info = getUwsgiOption(option.key, line);
        if (!info || info.plugin === 'core' || loaded.has(info.plugin)) continue;
        const serves = SERVER_SETTERS.has(info.setter) || instance.entries.includes(option) || instance.sockets.some((s) => s.option === option);
        const add = distroPluginNames(info.plugin)[0] ?? info.plugin;
        const consequence = serves
          ? (instance.entries.includes(option) ? 'no app is loaded and every request fails' : `no ${info.plugin} ${SERVER_SETTERS.has(info.setter) ? 'router' : 'socket'} is started`)
          : 'the setting has no effect';
        report({
          severity: serves ? 'error' : 'warning',
          location: option.keyLocation,
          related: pluginsLine ? [{ location: pluginsLine.entryLocation, message: 'plugins loaded here' }] : undefined,
          message:
            `\`${option.key}\` is an option of the ${info.plugin} plugin, which this instance does not load: a modular (distro) uWSGI ignores the line, so ${consequence}. ` +
            `Add \`${add}\` to \`plugins\`.`,
        });
      }
    }
  },
};
