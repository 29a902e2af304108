/**
 * `plugins = python` loads `<plugin-dir>/python_plugin.so`. Debian and Ubuntu (like Fedora and
 * Alpine) ship the Python 3 plugin only as python3_plugin.so (and python3XX_plugin.so), so the load
 * fails, no app is loaded and every request fails (field-facts.md F8; measured on Debian 12).
 * A pip/monolithic build embeds Python and the line is harmless there, so the rule is sure only
 * when the config shows a distro layout.
 */
import { defineRule, describeOption, inRootFile, replaceWithin, sourceOf } from '../lib/engine';
import type { UwsgiInstance } from '../lib/model/types';
import { distroBuildEvidence } from '../lib/model/uwsgi';

/** Signs of a distro build: the layout or plugin directory, or another Python plugin named the distro way. */
function distroEvidence(instance: UwsgiInstance): string | undefined {
  const layout = distroBuildEvidence(instance);
  if (layout) return layout;
  const distroNamed = instance.plugins.find((name) => /^python3\d*$/.test(name));
  return distroNamed ? `\`${distroNamed}\` is a distro plugin name` : undefined;
}

export const rule = defineRule({
  id: 'uwsgi-python-plugin-name',
  severity: 'warning',
  severities: ['error', 'warning'],
  category: 'correctness',
  description: '`plugins = python` on a distro uWSGI, which ships only python3_plugin.so: no app is loaded',
  targets: ['uwsgi'],
  fixable: true,
  fixHint: 'Write `plugins = python3` on Debian, Ubuntu, Fedora and Alpine packages (pip builds need no python plugin line).',
  check({ deployment, report }) {
    for (const instance of deployment.uwsgi) {
      for (const option of [...instance.all('plugins'), ...instance.all('need-plugin'), ...instance.all('need-plugins')]) {
        const names = option.value.split(/[,\s]+/).map((n) => n.trim());
        if (!names.some((n) => /^python(_plugin\.so)?$/i.test(n))) continue;
        const evidence = distroEvidence(instance);
        // The word `python` in the value as written becomes `python3`: safe where the config shows a
        // distro build (python_plugin.so cannot load there), unsafe otherwise (a pip build has no python3 plugin to load).
        const word = /(^|[,\s])(python)(?=$|[,\s])/i.exec(option.rawValue);
        const edit = word && option.rawValue === option.value && inRootFile(instance, option) && sourceOf(option.valueLocation) === option.rawValue
          ? replaceWithin(option.valueLocation, word.index + word[1].length, word.index + word[1].length + word[2].length, 'python3') : undefined;
        report({
          fix: edit && { description: 'load `python3` instead of `python`', edits: [edit], applicability: evidence ? 'safe' : 'unsafe' },
          severity: evidence ? 'error' : 'warning',
          location: option.valueLocation,
          message:
            `${describeOption(option)} loads python_plugin.so, which Debian, Ubuntu, Fedora and Alpine do not ship (theirs is python3_plugin.so): no app is loaded and every request fails` +
            `${evidence ? ` (${evidence})` : ', unless this is a pip build, which embeds Python'}. Write \`python3\` instead of \`python\`.`,
        });
      }
    }
  },
});
