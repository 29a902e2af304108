/**
 * On a modular (distro) uWSGI build, an option belongs to the plugin that defines it: without that
 * plugin loaded the key is unknown and silently ignored (lab-findings.md: `http-chunked-input` with
 * `plugins = python3` alone is an "unknown config directive" under --strict). A pip/monolithic build
 * embeds python, http and the routers, so an instance that names no plugin at all is not judged.
 */
import { defineRule } from '../lib/engine';
import { distroPluginNames, getUwsgiOption } from '../lib/knowledge/uwsgi-options';
import { UWSGI_ROUTER_STARTERS } from '../lib/knowledge/uwsgi-sockets';
import { declaresPlugins, distroBuildEvidence, loadedSourcePlugins } from '../lib/model/uwsgi';
import type { ResolvedUwsgiOption, UwsgiInstance } from '../lib/model/types';

/** Setters that start a router or gateway process: without its plugin nothing listens. */
const SERVER_SETTERS = new Set(['uwsgi_opt_corerouter', 'uwsgi_opt_undeferred_corerouter', 'uwsgi_opt_https', 'uwsgi_opt_https2', 'uwsgi_opt_sslrouter', 'uwsgi_opt_sslrouter2', 'uwsgi_opt_forkpty_urouter']);

interface PluginOption { option: ResolvedUwsgiOption; serves: boolean; router: boolean }

/** What is lost when the line is ignored. */
function consequence(instance: UwsgiInstance, main: PluginOption, plugin: string): string {
  if (!main.serves) return 'the setting has no effect';
  if (main.router) return `no ${plugin} router is started`;
  return instance.entries.includes(main.option) ? 'no app is loaded and every request fails' : 'that socket is not opened';
}

export const rule = defineRule({
  id: 'uwsgi-option-needs-plugin',
  severity: 'warning',
  severities: ['error', 'warning'],
  category: 'correctness',
  description: 'An option of a uWSGI plugin that the instance does not load: a modular (distro) build ignores it',
  targets: ['uwsgi'],
  fixHint: 'Add the plugin that defines the option to `plugins =` (e.g. `plugins = python3,http` for `http =`).',
  check({ deployment, report }) {
    const line = deployment.uwsgiLine;
    for (const instance of deployment.uwsgi) {
      if (!declaresPlugins(instance)) continue;
      const loaded = loadedSourcePlugins(instance);
      const pluginsLine = instance.last('plugins') ?? instance.last('need-plugin');
      // Only the config's own layout proves a modular build; `plugins = python3` is also written
      // (harmlessly) for pip builds, so without proof the finding stays a warning.
      const evidence = distroBuildEvidence(instance);
      // One finding per missing plugin: at the option that matters most (a router or the app entry), the rest as related lines.
      const byPlugin = new Map<string, PluginOption[]>();
      for (const option of instance.options) {
        const info = getUwsgiOption(option.key, line);
        if (!info || info.plugin === 'core' || loaded.has(info.plugin)) continue;
        // Router tuning options without a router are dead either way: uwsgi-router-option-unused says so.
        if (info.plugin === 'http' && !instance.router && !UWSGI_ROUTER_STARTERS.has(option.key)) continue;
        // A Python app served while no Python plugin is named at all can only be a monolithic build
        // with extra plugins loaded (uWSGI's own test configs do this): nothing to say.
        if (info.plugin === 'python' && !evidence) continue;
        const router = SERVER_SETTERS.has(info.setter);
        const serves = router || instance.entries.includes(option) || instance.sockets.some((s) => s.option === option);
        byPlugin.set(info.plugin, [...(byPlugin.get(info.plugin) ?? []), { option, serves, router }]);
      }
      for (const [plugin, options] of byPlugin) {
        const main = options.find((o) => o.serves) ?? options[0];
        const others = options.filter((o) => o !== main);
        const more = others.length > 0 ? ` (and ${others.map((o) => `\`${o.option.key}\``).join(', ')} too)` : '';
        report({
          severity: main.serves && evidence ? 'error' : 'warning',
          location: main.option.keyLocation,
          related: [
            ...(pluginsLine ? [{ location: pluginsLine.entryLocation, message: 'plugins loaded here' }] : []),
            ...others.map((o) => ({ location: o.option.keyLocation, message: `another option of the ${plugin} plugin` })),
          ],
          message:
            `\`${main.option.key}\` is an option of the ${plugin} plugin, which this instance does not load: ` +
            `${evidence ? `this modular (distro) build (${evidence}) ignores the line` : 'a modular (distro) build ignores the line'}${more}, so ${consequence(instance, main, plugin)}. ` +
            `Add \`${distroPluginNames(plugin)[0] ?? plugin}\` to \`plugins\`.`,
        });
      }
    }
  },
});
