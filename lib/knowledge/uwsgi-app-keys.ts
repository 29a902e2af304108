/**
 * Keys that applications read back from `uwsgi.opt`. uWSGI keeps every key it parses, options or
 * not, in its exported options (core/config.c:392-396 add_exported_option, also for ini keys,
 * core/ini.c:152), and the Python plugin copies them into the dict `uwsgi.opt`
 * (plugins/python/python_plugin.c:791-825; values are bytes on Python 3, a repeated key a list, a
 * bare key True). So a key that is no uWSGI option is not necessarily useless: the app may read it.
 * These are the ones real applications read, each with the code that reads it. Keys that are also uWSGI options (`enable-threads`, `lazy-apps`, `master`,
 * `harakiri`...) are read by agents too, but they are options and never "unknown".
 */

export interface UwsgiAppKey {
  /** The ini key. */
  key: string;
  /** Who reads it. */
  reader: string;
  /** What it is for. */
  purpose: string;
  /** Who writes it in real deployments. */
  writtenBy?: string;
  source: string;
}

export const UWSGI_APP_KEYS: readonly UwsgiAppKey[] = [
  {
    key: 'start-time',
    reader: 'neutron (API under uWSGI, from 26.0.0)',
    purpose: 'one start time shared by all API workers for the OVN hash ring; without it neutron logs "uWSGI must provide a start time" and each worker uses its own time',
    writtenBy: 'devstack write_uwsgi_config and write_local_uwsgi_http_config (`start-time = %t`, lib/apache:298, :372, for every service); openstack-ansible os_neutron (vars/main.yml:317-319); not kolla-ansible',
    source: 'openstack/neutron@2131d26f7326 neutron/common/wsgi_utils.py:44 get_start_time(): uwsgi.opt.get(\'start-time\'), int(start_time.decode(\'utf-8\')); releasenotes/notes/wsgi_start-time-101ce9c9a36b8a4f.yaml (26.0.0): "requires a new configuration parameter: [uwsgi]start-time=%t"',
  },
  {
    key: 'name',
    reader: 'oslo.log FluentFormatter (every OpenStack service logging to Fluentd), since oslo.log 4.4.0',
    purpose: 'labels each log event with the uWSGI instance name (`uwsgi_name`)',
    source: 'openstack/oslo.log@7808001c1055 oslo_log/formatters.py:345 svc_name = uwsgi.opt.get("name"), emitted as message["uwsgi_name"] (:414-415); commit 6f9b434, LP#1887232',
  },
  {
    key: 'galaxy_config_file',
    reader: 'Galaxy (its uWSGI application stack)',
    purpose: 'locates the Galaxy config file (set with --set or in the ini)',
    source: 'galaxyproject/galaxy@52efcc1cfcb8 lib/galaxy/web/stack/__init__.py UWSGIApplicationStack.get_app_kwds',
  },
];

/** The app-read key of that name, if real applications are known to read it. */
export function uwsgiAppKey(key: string): UwsgiAppKey | undefined {
  return UWSGI_APP_KEYS.find((entry) => entry.key === key);
}
