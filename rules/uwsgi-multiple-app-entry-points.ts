/**
 * `module` (or `wsgi`) and `wsgi-file` (or `file`) in one instance, without `mount`: both want the
 * default mount point. The Python plugin loads module apps before file apps, whatever their order
 * in the file, so only the module's app serves `/`; the file is skipped without being imported
 * ("mountpoint  already configured. skip."). If the module fails to import, the file's app takes
 * `/` instead and answers every request, silently. Measured on 2.0.21 (lab
 * `direct-module-and-wsgi-file`, `direct-broken-module-and-wsgi-file`). Which app was meant is
 * context: a warning. Entries whose value is a template (`module = {{ x }}`) are left out: in
 * deployment-tool templates they sit in exclusive if/elif branches (kolla's service-uwsgi-config,
 * openstack-ansible's ansible-role-uwsgi), which a file read as written cannot tell apart.
 */
import { defineRule, describeOption } from '../lib/engine';
import { isTemplatedValue } from '../lib/model/uwsgi';

export const rule = defineRule({
  id: 'uwsgi-multiple-app-entry-points',
  severity: 'warning',
  category: 'correctness',
  description: '`module` and `wsgi-file` both set without `mount`: only the module\'s app serves; the file\'s app silently takes over if the module fails to import',
  targets: ['uwsgi'],
  fixHint: 'Keep one entry point: `module = pkg.wsgi:application` or `wsgi-file = /path/app.wsgi` (use `mount = /prefix=...` to serve several apps).',
  check({ deployment, report }) {
    for (const instance of deployment.uwsgi) {
      const literal = instance.entryPoints.filter((entry) => !isTemplatedValue(entry.option.value));
      const module = literal.find((entry) => entry.kind === 'module');
      if (!module) continue;
      for (const file of literal.filter((entry) => entry.kind === 'wsgi-file')) {
        report({
          location: file.option.entryLocation,
          related: [{ location: module.option.entryLocation, message: `${describeOption(module.option)}: the app that serves` }],
          message:
            `${describeOption(file.option)} is never loaded while ${describeOption(module.option)} imports: uWSGI loads module apps first and skips the second app for the same mount point, whatever the order; if the module fails to import, this file's app silently serves every URL instead. ` +
            'Keep one of the two.',
        });
      }
    }
  },
});
