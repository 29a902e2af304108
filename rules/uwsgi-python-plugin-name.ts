/**
 * `plugins = python` loads `<plugin-dir>/python_plugin.so`. Debian and Ubuntu (like Fedora and
 * Alpine) ship the Python 3 plugin only as python3_plugin.so (and python3XX_plugin.so), so the load
 * fails, no app is loaded and every request fails (field-facts.md F8; measured on Debian 12).
 * A pip/monolithic build embeds Python and the line is harmless there, so the rule is sure only
 * when the config shows a distro layout.
 */
import type { Rule } from '../lib/engine/types';
import type { UwsgiInstance } from '../lib/model/types';

/** Signs of a Debian/Ubuntu packaged uWSGI in the config itself. */
function distroEvidence(instance: UwsgiInstance): string | undefined {
  if (/\/etc\/uwsgi\/apps-(enabled|available)\//.test(instance.file)) return `the file lives in ${instance.file.replace(/[^/]*$/, '')} (the Debian/Ubuntu uwsgi package layout)`;
  const dir = instance.last('plugin-dir') ?? instance.last('plugins-dir');
  if (dir && /^\/usr\/lib(64)?\/uwsgi/.test(dir.value)) return `\`${dir.key} = ${dir.value}\` is the distro plugin directory`;
  const distroNamed = instance.plugins.find((name) => /^python3\d*$/.test(name));
  if (distroNamed) return `\`${distroNamed}\` is a distro plugin name`;
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'uwsgi-python-plugin-name',
    severity: 'warning',
    category: 'correctness',
    description: '`plugins = python` on a distro uWSGI, which ships only python3_plugin.so: no app is loaded',
    docs: 'docs/rules/uwsgi-python-plugin-name.md',
    targets: ['uwsgi'],
    fixable: false,
    fixHint: 'Write `plugins = python3` on Debian, Ubuntu, Fedora and Alpine packages (pip builds need no python plugin line).',
  },
  check({ deployment, report }) {
    for (const instance of deployment.uwsgi) {
      for (const option of [...instance.all('plugins'), ...instance.all('need-plugin'), ...instance.all('need-plugins')]) {
        const names = option.value.split(/[,\s]+/).map((n) => n.trim());
        if (!names.some((n) => /^python(_plugin\.so)?$/i.test(n))) continue;
        const evidence = distroEvidence(instance);
        report({
          severity: evidence ? 'error' : 'warning',
          location: option.valueLocation,
          message:
            `\`${option.key} = ${option.value}\` loads python_plugin.so, which Debian, Ubuntu, Fedora and Alpine packages do not ship (their Python 3 plugin is python3_plugin.so): uWSGI logs "UNABLE to load uWSGI plugin", loads no app and every request fails` +
            `${evidence ? ` (${evidence})` : ' (harmless only on a pip/monolithic build, which embeds Python)'}. Write \`python3\` instead of \`python\`.`,
        });
      }
    }
  },
};
