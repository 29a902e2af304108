/**
 * `buffer-size` (default 4096) caps the request's variable block: headers plus, behind
 * mod_proxy_uwsgi, every CGI and SetEnv variable Apache sends. A larger request is dropped
 * ("invalid request block size"; measured: mod_proxy_http 502, mod_proxy_uwsgi 500 or 503 (lab),
 * direct http-socket connection closed). Values are read with strtoul: `64k` is 64 bytes. On 2.0 the
 * option is 16-bit and clamps above 65535 (uwsgi-facts.md 1.4, 2).
 */
import { defineRule, describeOption, insertUwsgiOption, replaceUwsgiValue, uwsgiOptionClaim } from '../lib/engine';
import type { Fix } from '../lib/core/finding';
import type { ResolvedUwsgiOption, UwsgiInstance } from '../lib/model/types';
import { readUwsgiInt } from '../lib/knowledge/uwsgi-values';
import { instanceAnchor, isTemplatedValue } from '../lib/model/uwsgi';

/** What services with large headers need at least; devstack writes 65535 for every OpenStack API. */
const LARGE_HEADER_FLOOR = 8192;
const DEFAULT_BUFFER_SIZE = 4096;
const UINT16_MAX = 65535;

export const rule = defineRule({
  id: 'uwsgi-buffer-size-small',
  severity: 'warning',
  severities: ['error', 'warning', 'info'],
  category: 'reliability',
  description: '`buffer-size` (default 4096) too small for the request headers the service gets, or written with a unit suffix uWSGI does not read',
  targets: ['uwsgi'],
  fixable: true,
  fixHint: 'Set `buffer-size = 65535` (a plain number of bytes, no `k` suffix) for services that receive tokens or large cookies.',
  check({ deployment, report }) {
    for (const instance of deployment.uwsgi) {
      const { value, option, isDefault } = instance.effective('buffer-size');
      if (value === undefined || /^\s*["']/.test(value) || isTemplatedValue(value, option)) continue; // quoted: uwsgi-quoted-value
      const bytes = isDefault ? DEFAULT_BUFFER_SIZE : readUwsgiInt(value);
      const location = option?.valueLocation ?? instanceAnchor(instance);
      const suffix = /^\s*(\d+)\s*([kKmMgG])[bB]?\s*$/.exec(value);
      if (option && suffix) {
        const meant = Math.min(parseInt(suffix[1], 10) * (/[kK]/.test(suffix[2]) ? 1024 : 1048576), UINT16_MAX);
        report({
          severity: 'error', location, fix: bufferSizeFix(instance, option, meant),
          message: `${describeOption(option)} is ${suffix[1]} bytes: uWSGI ignores the \`${suffix[2]}\`, so nearly every request is dropped ("invalid request block size"). Write the size in bytes, e.g. \`buffer-size = ${meant}\`.`,
        });
        continue;
      }
      if (option && deployment.uwsgiLine === '2.0' && bytes > UINT16_MAX) {
        report({
          severity: 'info', location, fix: bufferSizeFix(instance, option, UINT16_MAX),
          message: `${describeOption(option)} is more than uWSGI 2.0 can hold: the option is 16-bit and clamps to 65535. Write \`buffer-size = 65535\`.`,
        });
        continue;
      }
      const large = instance.app.largeHeaders;
      // A generic app on the unset default is reported too (as a warning: it depends on traffic):
      // a 6 KB header is dropped there exactly as for an API (lab: direct-httpsocket-plain), and
      // large cookies are ordinary web traffic. An explicit 4096 is a choice and is left alone.
      if (large ? bytes >= LARGE_HEADER_FLOOR : (!isDefault && bytes >= DEFAULT_BUFFER_SIZE)) continue;
      // An instance that serves nothing (an Emperor, a config fragment) receives no requests.
      if (instance.sockets.length === 0 && instance.entries.length === 0) continue;
      const behindUwsgiProxy = deployment.linksTo(instance).some((link) => link.route.scheme === 'uwsgi');
      const what = large ? `${instance.app.name} receives large headers (tokens)` : 'requests with large cookies or tokens exceed it';
      report({
        location,
        fix: bufferSizeFix(instance, option, UINT16_MAX),
        message:
          `${isDefault ? '`buffer-size` is unset, so uWSGI accepts only 4096 bytes' : `${describeOption(option!)} lets uWSGI accept only ${bytes} bytes`} of request headers${behindUwsgiProxy ? ' and mod_proxy_uwsgi variables' : ''}, ` +
          `and ${what}: bigger requests are dropped (502, 503 or 500 through Apache). Set \`buffer-size = 65535\`.`,
      });
    }
  },
});

/** `buffer-size = N` written over the value, or a new line after the last socket (else the app entry). */
function bufferSizeFix(instance: UwsgiInstance, option: ResolvedUwsgiOption | undefined, bytes: number): Fix | undefined {
  const edit = option
    ? replaceUwsgiValue(instance, option, String(bytes))
    : insertUwsgiOption(instance, [instance.sockets[instance.sockets.length - 1]?.option, instance.entries[0]], 'buffer-size', String(bytes));
  return edit && { description: `${option ? 'write' : 'set'} \`buffer-size = ${bytes}\``, edits: [edit], claims: [uwsgiOptionClaim(instance, 'buffer-size')] };
}
