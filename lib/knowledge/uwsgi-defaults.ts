/**
 * uWSGI defaults that rules depend on, per version, each with where it comes from. "Source" cites
 * uwsgi-facts.md (which cites uWSGI's C source) or field-facts.md / lab-findings.md (measured).
 */
import { compareVersions } from './targets';

export interface UwsgiDefault {
  option: string;
  /** The value uWSGI uses when the option is absent, as ini text ('false'/'true' for flags). */
  value: string;
  /** Versions this default holds for: inclusive lower bound, exclusive upper bound ('2.0.27'). */
  since?: string;
  until?: string;
  /** What the value means, in one line. */
  meaning: string;
  source: string;
}

export const UWSGI_DEFAULTS: readonly UwsgiDefault[] = [
  { option: 'socket-timeout', value: '4', meaning: 'seconds a worker waits on the client or front-end socket (body reads, blocked writes)',
    source: 'uwsgi-facts.md 2 (core/init.c:137, [S] 131); field-facts.md F1 (measured)' },
  { option: 'buffer-size', value: '4096', meaning: 'maximum size of the request variables block (headers); larger requests are dropped',
    source: 'uwsgi-facts.md 2 (core/init.c:116); lab-findings.md (6 KB header dropped)' },
  { option: 'http-timeout', value: '60', meaning: 'socket timeout of the HTTP router (`http =`), not of http-socket',
    source: 'uwsgi-facts.md 2 (plugins/http/http.c:35, corerouter.c:719-720)' },
  { option: 'harakiri', value: '0', meaning: 'off', source: 'uwsgi-facts.md 2 (core/uwsgi.c:61)' },
  { option: 'post-buffering', value: '0', meaning: 'off: the body is streamed to the app', source: 'uwsgi-facts.md 2 (core/protocol.c:711-725)' },
  { option: 'post-buffering-bufsize', value: '8192', meaning: 'read() chunk size while buffering', source: 'uwsgi-facts.md 2 (core/utils.c:3626-3635)' },
  { option: 'limit-post', value: '0', meaning: 'unlimited (compared with CONTENT_LENGTH only)', source: 'uwsgi-facts.md 2 (core/protocol.c:453-462)' },
  { option: 'chunked-input-limit', value: '1048576', meaning: 'maximum size of one chunk', source: 'uwsgi-facts.md 2 (core/init.c:197)' },
  { option: 'listen', value: '100', meaning: 'socket backlog', source: 'uwsgi-facts.md 2 (core/init.c:124)' },
  { option: 'processes', value: '1', meaning: 'one worker', source: 'uwsgi-facts.md 2 (core/init.c:118)' },
  { option: 'threads', value: '1', meaning: 'one thread per worker', source: 'uwsgi-facts.md 2 (core/init.c:105)' },
  { option: 'enable-threads', value: 'false', until: '2.0.27',
    meaning: 'Python thread support (GIL release) off unless enable-threads or threads > 1',
    source: 'uwsgi-facts.md 2 (python_plugin.c:330-331; commit 1caea16d); field-facts.md F8 (2.0.21 measured)' },
  { option: 'enable-threads', value: 'true', since: '2.0.27', meaning: 'thread support forced on in sanitize_args',
    source: 'uwsgi-facts.md 2 (core/init.c:471, [S] 435; commit 1caea16d, 2024-07-21)' },
  { option: 'master', value: 'false', meaning: 'no master process (many options switch it on implicitly)', source: 'uwsgi-facts.md 2 (core/uwsgi.c:194, config.c:531-544)' },
  { option: 'die-on-term', value: 'false', until: '2.1', meaning: 'SIGTERM means a brutal reload, not a shutdown',
    source: 'uwsgi-facts.md 2 ([S] master.c:346-353, measured); lab-findings.md (SIGTERM respawned the workers on 2.0.21)' },
  { option: 'die-on-term', value: 'true', since: '2.1', meaning: 'deprecated no-op: SIGTERM always shuts down',
    source: 'uwsgi-facts.md 2 ([M] master.c:370-371; commit e0aa4b9d)' },
  { option: 'thunder-lock', value: 'false', meaning: 'accept() not serialised', source: 'uwsgi-facts.md 2 (core/uwsgi.c:59)' },
  { option: 'max-vars', value: '64', meaning: 'maximum number of request variables', source: 'uwsgi-facts.md 2 (uwsgi.h:951, core/init.c:134-135)' },
  { option: 'worker-reload-mercy', value: '60', meaning: 'seconds a worker gets to finish on reload', source: 'uwsgi-facts.md 2 (core/init.c:131)' },
  { option: 'http-keepalive', value: 'false', meaning: 'HTTP router keep-alive off', source: 'uwsgi-facts.md 2 (plugins/http/http.c:37)' },
  { option: 'http-chunked-input', value: 'false', meaning: 'HTTP router discards chunked request bodies', source: 'uwsgi-facts.md 2.2 (http.c:1118-1121); lab-findings.md' },
  { option: 'protocol', value: 'uwsgi', meaning: 'protocol of a plain `socket =`', source: 'uwsgi-facts.md 2.1 (core/socket.c:9-21)' },
  { option: 'callable', value: 'application', meaning: 'WSGI callable name', source: 'uwsgi-facts.md 2 (python_plugin.c:113)' },
  { option: 'chmod-socket', value: '', meaning: 'unix sockets keep the umask-derived mode', source: 'uwsgi-facts.md 1.4 (core/uwsgi.c:4696-4721)' },
];

/**
 * The default of `option` for uWSGI `version` ('2.0.21', '2.0.30', '2.1'); a bare line such as
 * '2.0' means its latest release (2.0.30). Undefined when the table does not know the option.
 */
export function getUwsgiDefault(option: string, version = '2.0.30'): UwsgiDefault | undefined {
  const v = version === '2.0' ? '2.0.30' : version;
  return UWSGI_DEFAULTS.find(
    (d) => d.option === option
      && (d.since === undefined || compareVersions(v, d.since) >= 0)
      && (d.until === undefined || compareVersions(v, d.until) < 0),
  );
}
