/**
 * Builds one uWSGI instance from a resolved ini: sockets and the protocol each speaks, the HTTP
 * router, plugins, the app's entry points, the body timeouts, and option lookup with aliases folded
 * and defaults for the target version.
 */
import type { ResolvedUwsgiConfig, ResolvedUwsgiOption } from '../resolve/uwsgi-ini/types';
import { detectAppProfile, profileFromDirectories } from '../knowledge/app-profiles';
import { canonicalUwsgiOption, uwsgiDefault } from './uwsgi-knowledge';
import { parseUwsgiAddress } from './endpoint';
import { getUwsgiOption, sourcePluginOf, type UwsgiVersionLine } from '../knowledge/uwsgi-options';
import type { SourceLocation } from '../core/source';
import { readUwsgiFlag, readUwsgiInt } from '../knowledge/uwsgi-values';
import { UWSGI_ROUTER_STARTERS, UWSGI_SOCKET_OPTIONS, uwsgiDefaultProtocol } from '../knowledge/uwsgi-sockets';
import type { StallTimeout, Targets, UwsgiEntryPoint, UwsgiInstance, UwsgiRouter, UwsgiSocket } from './types';

/** Entry-point options by canonical name (`wsgi` folds into `module`, `file` into `wsgi-file`). */
const ENTRY_KINDS: Record<string, UwsgiEntryPoint['kind']> = {
  module: 'module', 'wsgi-file': 'wsgi-file', mount: 'mount', paste: 'paste', 'ini-paste': 'paste',
};

/**
 * Options an operator writes only for an instance that takes large or streamed uploads, in the
 * order they are cited. `http-chunked-input` counts only where a router reads it (beside
 * `http-socket` it is dead config and says nothing about the traffic).
 */
const UPLOAD_OPTIONS = ['chunked-input-limit', 'chunked-input-timeout', 'upload-progress', 'limit-post'];
const ROUTER_UPLOAD_OPTIONS = ['http-chunked-input'];

/** What builds an instance needs besides its config: the targets, their uWSGI line, and the app-profile overrides. */
export interface UwsgiBuildContext {
  targets: Targets;
  line: UwsgiVersionLine;
  appProfiles: Record<string, string>;
}

export function buildUwsgiInstance(config: ResolvedUwsgiConfig, { targets, line, appProfiles }: UwsgiBuildContext): UwsgiInstance {
  const byName = new Map<string, ResolvedUwsgiOption[]>();
  for (const option of config.options) {
    const name = canonicalUwsgiOption(option.key, line);
    const list = byName.get(name) ?? [];
    list.push(option);
    byName.set(name, list);
  }
  const all = (name: string): ResolvedUwsgiOption[] => byName.get(canonicalUwsgiOption(name, line)) ?? [];
  const last = (name: string): ResolvedUwsgiOption | undefined => all(name).at(-1);

  const protocolOption = last('protocol') ?? last('socket-protocol');
  const sockets: UwsgiSocket[] = [];
  for (const option of config.options) {
    const name = canonicalUwsgiOption(option.key, line);
    const kind = UWSGI_SOCKET_OPTIONS[name];
    if (!kind) continue;
    const protocol = kind.protocol === 'default' ? uwsgiDefaultProtocol(protocolOption?.value) : kind.protocol;
    // A router value may be `addr,crt,key` (https) or carry `=N` worker mapping; only the address matters.
    sockets.push({ option, optionName: name, protocol, router: kind.router, endpoint: parseUwsgiAddress(option.value.split(',')[0], option.valueTemplated === true) });
  }
  const plugins = [...all('plugins'), ...all('need-plugin')]
    .flatMap((o) => o.value.split(/[,\s]+/))
    .map((p) => p.trim().toLowerCase().replace(/_plugin(\.so)?$/, '').split('|')[0].split(':').pop() ?? '')
    .filter((p) => p !== '');
  const entries = [...all('module'), ...all('wsgi-file'), ...all('mount'), ...all('wsgi'), ...all('paste'), ...all('ini-paste')].filter((o, i, a) => a.indexOf(o) === i);
  const entryPoints = entries.map((option) => entryPoint(option, ENTRY_KINDS[canonicalUwsgiOption(option.key, line)] ?? 'module'));
  const detected = detectAppProfile(
    [...entries.map((o) => ({ text: o.value, location: o.valueLocation })), { text: config.file }],
    appProfiles,
  );
  // nothing in the file names the service: the directories a template is kept in may (os_keystone/)
  const app = detected.decidedBy === 'default' ? profileFromDirectories(config.file, entries[0]?.valueLocation) ?? detected : detected;
  const effective: UwsgiInstance['effective'] = (name) => {
    const option = last(name);
    if (option) return { value: option.value, option, isDefault: false };
    return { value: uwsgiDefault(canonicalUwsgiOption(name, line), targets), isDefault: true };
  };
  const socketTimeout = stallTimeout('socket-timeout', effective('socket-timeout'));
  const chunkedInputOption = last('chunked-input-timeout');
  const instance: UwsgiInstance = {
    file: config.file, section: config.section, config, options: config.options, sockets, plugins, entries, entryPoints, app,
    router: null,
    uploadOptions: [],
    // Only a Python WSGI app reads wsgi.input: an instance with no entry point (routing only, an
    // Emperor) or whose plugins name no Python (PHP, Perl...) handles bodies some other way.
    // A plugin list with a template expression in it (`plugins = http,${UWSGI_PYTHON_PLUGIN}`) may name Python.
    servesPythonWsgi: entries.length > 0 && (plugins.length === 0 || plugins.some((plugin) => plugin.startsWith('python'))
      || [...all('plugins'), ...all('need-plugin')].some((o) => isTemplatedValue(o.value, o))),
    timeouts: {
      socket: socketTimeout,
      // chunked reads wait chunked-input-timeout, which follows socket-timeout when unset (core/uwsgi.c).
      chunkedInput: chunkedInputOption
        ? stallTimeout('chunked-input-timeout', { value: chunkedInputOption.value, option: chunkedInputOption, isDefault: false })
        : { ...socketTimeout, name: 'chunked-input-timeout', option: undefined },
    },
    all, last, effective,
    flag(name) {
      const option = last(name);
      if (option) return readUwsgiFlag(option.value);
      const fallback = uwsgiDefault(canonicalUwsgiOption(name, line), targets);
      return fallback !== undefined && readUwsgiFlag(fallback);
    },
  };
  instance.router = routerOf(instance);
  const uploadOptions = instance.router?.sockets.length ? [...UPLOAD_OPTIONS, ...ROUTER_UPLOAD_OPTIONS] : UPLOAD_OPTIONS;
  instance.uploadOptions = uploadOptions.map((name) => last(name)).filter((o): o is ResolvedUwsgiOption => o !== undefined);
  return instance;
}

/** The HTTP router, when a line starts one (`http =`, `https =`, `httprouter`, `https2`): its sockets and settings. */
function routerOf(instance: UwsgiInstance): UwsgiRouter | null {
  const sockets = instance.sockets.filter((socket) => socket.router);
  const starters = instance.options.filter((option) => UWSGI_ROUTER_STARTERS.has(option.key));
  if (sockets.length === 0 && starters.length === 0) return null;
  return {
    sockets,
    starters,
    chunkedInput: { on: instance.flag('http-chunked-input'), option: instance.last('http-chunked-input') },
    timeout: stallTimeout('http-timeout', instance.effective('http-timeout')),
  };
}

/** A timeout option read as uWSGI reads it; a quoted or templated value says no number. */
function stallTimeout(name: string, effective: { value: string | undefined; option?: ResolvedUwsgiOption; isDefault: boolean }): StallTimeout {
  const { value, option, isDefault } = effective;
  const readable = value !== undefined && !/^\s*["']/.test(value) && !isTemplatedValue(value, option);
  return { name, value, seconds: readable ? readUwsgiInt(value) : undefined, option, isDefault };
}

/** What an entry line loads: `mount = /prefix=target` names a prefix and a target; the others, the target only. */
function entryPoint(option: ResolvedUwsgiOption, kind: UwsgiEntryPoint['kind']): UwsgiEntryPoint {
  if (kind !== 'mount') return { option, kind, target: option.value };
  const eq = option.value.indexOf('=');
  return { option, kind, target: option.value.slice(eq + 1), mountPoint: eq >= 0 ? option.value.slice(0, eq) : undefined };
}

/**
 * Where to point when an option is missing from an instance: the app entry (module / wsgi-file),
 * else the first socket, else the first option. That is where the missing line belongs.
 */
export function instanceAnchor(instance: UwsgiInstance): SourceLocation {
  const option = instance.entries[0] ?? instance.sockets[0]?.option ?? instance.options[0];
  if (option) return option.entryLocation;
  const start = { line: 1, column: 1, offset: 0 };
  return { file: instance.file, range: { start, end: start } };
}

/** True when uWSGI runs a master process: `master` is on, or an option that switches it on implicitly (UWSGI_OPT_MASTER, config.c:531-544). */
export function runsMaster(instance: UwsgiInstance, line: UwsgiVersionLine): boolean {
  if (instance.last('master')) return instance.flag('master');
  return instance.options.some((option) => getUwsgiOption(option.key, line)?.flags.includes('UWSGI_OPT_MASTER') ?? false);
}

/**
 * Whether the instance says which plugins it loads. A `plugins`/`plugin`/`need-plugin` line means a
 * modular (distro) build, where options of an unloaded plugin are unknown keys; with none at all the
 * build is taken to be monolithic (pip), which embeds python, http and the routers.
 */
export function declaresPlugins(instance: UwsgiInstance): boolean {
  return instance.all('plugins').length > 0 || instance.all('need-plugin').length > 0 || instance.all('need-plugins').length > 0;
}

/** Source plugins (`python`, `http`, ...) the instance loads by name; python3 and python311 both give python. */
export function loadedSourcePlugins(instance: UwsgiInstance): Set<string> {
  return new Set(instance.plugins.map(sourcePluginOf));
}

/** Options whose value is a `%(key)` placeholder reference somewhere in the instance. */
export function referencedPlaceholders(instance: UwsgiInstance): Set<string> {
  const keys = new Set<string>();
  for (const option of instance.options) {
    for (const segment of option.segments) {
      const expression = segment.via === 'placeholder' ? segment.expression : undefined;
      const name = expression ? /^%\(([^)]*)\)$/.exec(expression)?.[1] : undefined;
      if (name) keys.add(placeholderName(name));
    }
    // Also catch references the resolver left unexpanded or kept in the raw text. `[^()]` keeps
    // the scan linear on a line of a million unclosed `%(`.
    for (const match of option.rawValue.matchAll(/%\(([^()]*)\)/g)) keys.add(placeholderName(match[1]));
    for (const match of option.key.matchAll(/%\(([^()]*)\)/g)) keys.add(placeholderName(match[1]));
  }
  return keys;
}

/** `%(num + 1)` is arithmetic on the placeholder `num` (config.c:753): the name is the first word. */
function placeholderName(expression: string): string {
  return expression.trim().split(/\s+/)[0];
}

/**
 * What in the config itself shows a distro (modular) uWSGI build: the file sits in the Debian/Ubuntu
 * package layout (/etc/uwsgi/apps-enabled, apps-available), or `plugin-dir` names the distro plugin
 * directory (/usr/lib/uwsgi, /usr/lib64/uwsgi). Undefined when nothing does.
 */
export function distroBuildEvidence(instance: UwsgiInstance): string | undefined {
  const layout = /\/etc\/uwsgi\/apps-(enabled|available)\//.exec(instance.file);
  if (layout) return `the file is under ${layout[0]}, the Debian/Ubuntu package layout`;
  const dir = instance.last('plugin-dir') ?? instance.last('plugins-dir');
  if (dir && /^\/usr\/lib(64)?\/uwsgi/.test(dir.value)) return `\`${dir.key} = ${dir.value}\` is the distro plugin directory`;
  return undefined;
}

/**
 * A value that is not what uWSGI will read: a rendered template's expression stands in it (the
 * resolver marks the option `valueTemplated`), or it still holds template markup or an unexpanded
 * variable (`{{ var }}`, `$(VAR)`, `%(key)`).
 */
export function isTemplatedValue(value: string, option?: { valueTemplated?: boolean }): boolean {
  return option?.valueTemplated === true || /\{\{|\{%|%\}|\}\}|\$\(|%\(|\$\{|@@/.test(value);
}
