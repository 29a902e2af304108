/**
 * The scenario matrix. A setup is one set of config files (an Apache server tree and/or uWSGI ini
 * files) started once; each probe against it is one scenario (`<setup id>/<probe name>`).
 *
 * `predicted` is what ../shared/knowledge/lab-findings.md and field-facts.md say will happen (the lab
 * reports every place where the live servers disagree). `expect` lists the rule ids deploylint must
 * report when the live outcome is a failure.
 */
import type { Outcome } from './clients';
import * as fs from 'fs';
import { apacheConf, BALANCER_MODULES, location, uwsgiIni } from './config-writers';
import { UWSGI_PLUGINS_DIR, type SetupContext } from './harness';

export type Front = 'uwsgi-direct' | 'mod_proxy_http' | 'mod_proxy_uwsgi-tcp' | 'mod_proxy_uwsgi-unix' | 'mod_wsgi-daemon' | 'httpd';
export type SocketKind = 'http-socket' | 'socket' | 'http-router' | 'none';
export type AppFlavour = 'plain' | 'uwsgi_api' | 'slow' | 'broken' | 'paths';
export type ProbeKind = 'content-length' | 'chunked' | 'chunked-small' | 'chunked-stall' | 'content-length-stall' | 'large-header' | 'sigterm'
  | 'oversized-upload' | 'slow-request' | 'backend-restart' | 'path' | 'static-file'
  /** Read from the running httpd, not from an answer (lab/observations.ts). */
  | 'startup-warnings' | 'startup-notices' | 'start-servers' | 'scoreboard-size' | 'access-log';

/** Stall length in the stalled uploads; the "low" socket-timeout is 2 s and the "high" one 30 s. */
export const STALL_MS = 4_000;

/**
 * How the lab tells deploylint what each app does (the linter cannot read Python): app profile ids
 * by script path glob, passed in a deploylint config file next to the server files.
 */
export const APP_PROFILES: Record<AppFlavour, { glob: string; profile: string; description: string }> = {
  plain: {
    glob: '*/plain.py',
    profile: 'generic',
    description: 'a generic WSGI app: reads the body through wsgi.input only',
  },
  uwsgi_api: {
    glob: '*/uwsgi_api.py',
    profile: 'glance',
    description: 'reads chunked bodies with uwsgi.chunked_read() under uWSGI (as glance-api does), wsgi.input elsewhere',
  },
  slow: {
    glob: '*/slow.py',
    profile: 'generic',
    description: 'sleeps `?sleep=N` seconds before it reads the body and answers (a request that takes long in the app)',
  },
  paths: {
    glob: '*/paths.py',
    profile: 'generic',
    description: 'answers every request with the PATH_INFO, SCRIPT_NAME and REQUEST_URI it was given (which URL the proxy really sent)',
  },
  broken: {
    glob: '*/broken.py',
    profile: 'generic',
    description: 'fails to import (a missing dependency): no request can reach it',
  },
};

export interface Probe {
  /** Unique within the setup; defaults to the kind. */
  name?: string;
  kind: ProbeKind;
  /** URL path; defaults to /app. */
  path?: string;
  predicted: Outcome;
  /** Port to send to instead of the setup's entry port (e.g. a port as written in a config, even above 65535). */
  targetPort?: (ctx: SetupContext) => number;
  /** Stall length for the stalled uploads; default STALL_MS. */
  stallMs?: number;
  /** For `path`: the PATH_INFO the app must see for the request path to count as served right (default `/`). */
  backendPath?: string;
  /** For `slow-request`: how long the app sleeps (default 5 s). */
  sleepSeconds?: number;
  /** The app that should answer (`plain`, `uwsgi_api`...): a 2xx from another one is a silent failure. */
  expectApp?: string;
  /** Rule ids deploylint must report (error or warning) when the live outcome fails. */
  expect: string[];
  /**
   * An info finding of an expected rule is enough when the probe fails: the failure is configuration
   * that does nothing or that httpd adjusts or never uses, while every request the config means to
   * serve is served (a DocumentRoot no request reaches, an MPM's sizing); the rule's severity says so.
   */
  infoSuffices?: boolean;
  /** For `start-servers`: the StartServers written, the processes that should run. */
  startServers?: number;
  /** For `scoreboard-size`: the most shared memory the written MaxRequestWorkers needs. */
  scoreboardAtMostBytes?: number;
  /**
   * Rules whose fix deletes configuration that does nothing here: the fix agreement applies it and
   * the probe, which works, must still work (how a fix of dead configuration is proven).
   */
  fixKeepsWorking?: string[];
  /** For `startup-notices`: the messages (a regular expression over log lines) httpd must not log at start-up. */
  logPattern?: string;
  /** For `access-log`: the log file, in the scratch directory, that the request must show up in. */
  accessLog?: string;
  note?: string;
  /**
   * Where the live servers contradict `predicted` (the facts files), why. The lab test fails on a
   * contradiction that has no such explanation.
   */
  contradicts?: string;
}

export interface UwsgiInstance {
  file: string;
  text: (ctx: SetupContext) => string;
  /** Addresses to poll after start-up (the client-facing ones). */
  listen: (ctx: SetupContext) => Array<{ port?: number; socketPath?: string }>;
  /** Files this ini includes, written beside it (deploylint reaches them through the include). */
  includes?: Array<{ file: string; text: (ctx: SetupContext) => string }>;
  /** uWSGI's working directory (default: the scratch directory, where the ini files are). */
  cwd?: (ctx: SetupContext) => string;
}

export interface Setup {
  id: string;
  title: string;
  front: Front;
  socket: SocketKind;
  apps: AppFlavour[];
  /** The option under test, in words. */
  options: string;
  ports: string[];
  apache?: (ctx: SetupContext) => string;
  uwsgi: UwsgiInstance[];
  /** Port the clients connect to (Apache's, or uWSGI's when reached directly). */
  entryPort: string;
  /** A server of this setup is meant to exit during start-up (the failure under test). */
  failsAtStartup?: boolean;
  /** Files a server serves from the file system (relative to the scratch directory), for `static-file` probes. */
  documents?: Array<{ path: string; text: string }>;
  probes: Probe[];
}

const APP_PATH = '/app';
const LOW_TIMEOUT: [string, string] = ['socket-timeout', '2'];
const HIGH_TIMEOUT: [string, string] = ['socket-timeout', '30'];
const BIG_BUFFER: [string, string] = ['buffer-size', '65535'];

const tcp = (name: string) => (ctx: SetupContext) => `127.0.0.1:${ctx.port(name)}`;

/**
 * The uwsgi_api app stands for Glance, which streams long uploads: like devstack's glance config, its
 * setups set `socket-timeout = 30`, except the setups about the timeout itself (which set their
 * own, or pass `defaultTimeout` to keep uWSGI's 4 s default). One variable per setup.
 */
function withAppDefaults(app: AppFlavour, options: Array<[string, string]>, defaultTimeout = false): Array<[string, string]> {
  if (app !== 'uwsgi_api' || defaultTimeout || options.some(([key]) => key === 'socket-timeout')) return options;
  return [...options, HIGH_TIMEOUT];
}

function singleUwsgi(
  title: string, app: AppFlavour, socket: [string, (ctx: SetupContext) => string],
  options: Array<[string, string]> = [], extra: { plugins?: string; dieOnTerm?: boolean; defaultTimeout?: boolean } = {},
): UwsgiInstance {
  return {
    file: 'uwsgi.ini',
    text: (ctx) => uwsgiIni(ctx, {
      title, app: `${app}.py`, plugins: extra.plugins, dieOnTerm: extra.dieOnTerm,
      sockets: [[socket[0], socket[1](ctx)]], options: withAppDefaults(app, options, extra.defaultTimeout),
    }),
    listen: (ctx) => {
      const value = socket[1](ctx);
      return value.startsWith('/') ? [{ socketPath: value }] : [{ port: Number(value.split(':').pop()) }];
    },
  };
}

/** `http =` router on the client-facing port, workers on an internal uwsgi socket. */
function routerUwsgi(title: string, app: AppFlavour, options: Array<[string, string]> = [], plugins?: string): UwsgiInstance {
  return {
    file: 'uwsgi.ini',
    text: (ctx) => uwsgiIni(ctx, {
      title, app: `${app}.py`, plugins,
      sockets: [['http', tcp('uwsgi')(ctx)], ['socket', tcp('uwsgi-internal')(ctx)]], options: withAppDefaults(app, options),
    }),
    listen: (ctx) => [{ port: ctx.port('uwsgi') }],
  };
}

function proxyHttpVhost(extra: string[] = [], backend = 'uwsgi'): (ctx: SetupContext) => string[] {
  return (ctx) => [...extra, `ProxyPass ${APP_PATH} http://127.0.0.1:${ctx.port(backend)}`];
}

function apacheWith(title: string, vhost: (ctx: SetupContext) => string[], withoutModules?: string[]) {
  return (ctx: SetupContext) => apacheConf(ctx, { title, virtualHost: vhost(ctx), withoutModules });
}

const p = (kind: ProbeKind, predicted: Outcome, expect: string[] = [], extra: Partial<Probe> = {}): Probe => ({
  kind, predicted, expect, ...extra,
});

function directSetups(): Setup[] {
  const hsock: [string, (ctx: SetupContext) => string] = ['http-socket', tcp('uwsgi')];
  const base = { front: 'uwsgi-direct' as const, ports: ['uwsgi', 'uwsgi-internal'], entryPort: 'uwsgi' };
  return [
    {
      ...base, id: 'direct-httpsocket-plain', title: 'uWSGI http-socket, plain app', socket: 'http-socket', apps: ['plain'],
      options: 'defaults', uwsgi: [singleUwsgi('http-socket, plain app', 'plain', hsock)],
      probes: [
        p('content-length', 'works'),
        p('chunked', 'fails-silently', ['http-socket-chunked-body-lost']),
        p('chunked-small', 'fails-silently', ['http-socket-chunked-body-lost']),
        p('large-header', 'fails-loudly', ['uwsgi-buffer-size-small']),
      ],
    },
    {
      ...base, id: 'direct-httpsocket-plain-chunked-input', title: 'uWSGI http-socket + http-chunked-input, plain app',
      socket: 'http-socket', apps: ['plain'], options: 'http-chunked-input = true (a router option: no effect on http-socket)',
      uwsgi: [singleUwsgi('http-socket + http-chunked-input, plain app', 'plain', hsock, [['http-chunked-input', 'true'], BIG_BUFFER])],
      probes: [p('content-length', 'works'), p('chunked', 'fails-silently', ['http-socket-chunked-body-lost'])],
    },
    {
      ...base, id: 'direct-httpsocket-api', title: 'uWSGI http-socket, uwsgi.chunked_read app', socket: 'http-socket', apps: ['uwsgi_api'],
      options: 'defaults (buffer-size 4096)', uwsgi: [singleUwsgi('http-socket, uwsgi_api app', 'uwsgi_api', hsock)],
      probes: [
        p('content-length', 'works'),
        p('chunked', 'works'),
        p('large-header', 'fails-loudly', ['uwsgi-buffer-size-small']),
      ],
    },
    {
      ...base, id: 'direct-httpsocket-api-buffer-65535', title: 'uWSGI http-socket, buffer-size 65535', socket: 'http-socket',
      apps: ['uwsgi_api'], options: 'buffer-size = 65535',
      uwsgi: [singleUwsgi('http-socket, buffer-size 65535', 'uwsgi_api', hsock, [BIG_BUFFER])],
      probes: [p('chunked', 'works'), p('large-header', 'works')],
    },
    {
      ...base, id: 'direct-httpsocket-api-buffer-size-misspelt', title: 'uWSGI http-socket, `buffer_size = 65535` (underscore)', socket: 'http-socket',
      apps: ['uwsgi_api'], options: 'buffer_size = 65535: not a uWSGI option name, so buffer-size stays 4096',
      uwsgi: [singleUwsgi('http-socket, buffer_size misspelt', 'uwsgi_api', hsock, [['buffer_size', '65535']])],
      probes: [
        p('content-length', 'works'),
        p('large-header', 'fails-loudly', ['uwsgi-unknown-option', 'uwsgi-buffer-size-small'], {
          note: 'uWSGI ignores the unknown key (uwsgi-facts.md 1 "Unknown key"), so the 6 KiB header meets the 4096-byte default',
        }),
      ],
    },
    {
      ...base, id: 'direct-router-api', title: 'uWSGI http router without http-chunked-input', socket: 'http-router', apps: ['uwsgi_api'],
      options: 'http = (router), no http-chunked-input', uwsgi: [routerUwsgi('http router, no http-chunked-input', 'uwsgi_api', [BIG_BUFFER])],
      probes: [
        p('content-length', 'works'),
        p('chunked', 'fails-loudly', ['uwsgi-router-chunked-input'], {
          note: 'lab-findings: app gets OSError "unable to receive chunked part"; field-facts F2: the request hangs',
        }),
      ],
    },
    {
      ...base, id: 'direct-router-api-chunked-input', title: 'uWSGI http router with http-chunked-input', socket: 'http-router',
      apps: ['uwsgi_api'], options: 'http = (router) + http-chunked-input = true',
      uwsgi: [routerUwsgi('http router + http-chunked-input', 'uwsgi_api', [['http-chunked-input', 'true'], BIG_BUFFER])],
      probes: [p('content-length', 'works'), p('chunked', 'works')],
    },
    {
      ...base, id: 'direct-router-plain-chunked-input', title: 'uWSGI http router with http-chunked-input, plain app',
      socket: 'http-router', apps: ['plain'], options: 'http = (router) + http-chunked-input = true',
      uwsgi: [routerUwsgi('http router + http-chunked-input, plain app', 'plain', [['http-chunked-input', 'true'], BIG_BUFFER])],
      probes: [p('chunked', 'fails-silently', ['http-socket-chunked-body-lost'], {
        note: 'same cause as on http-socket (uWSGI 2.0 wsgi.input ignores chunked bodies) but behind the router: rule id to confirm',
      })],
    },
    {
      ...base, id: 'direct-httpsocket-timeout-2', title: 'uWSGI http-socket, socket-timeout 2', socket: 'http-socket',
      apps: ['uwsgi_api'], options: 'socket-timeout = 2',
      uwsgi: [singleUwsgi('http-socket, socket-timeout 2', 'uwsgi_api', hsock, [LOW_TIMEOUT, BIG_BUFFER])],
      probes: [
        p('content-length', 'works'),
        p('chunked-stall', 'fails-loudly', ['uwsgi-socket-timeout-low']),
        p('content-length-stall', 'fails-loudly', ['uwsgi-socket-timeout-low']),
      ],
    },
    {
      ...base, id: 'direct-httpsocket-timeout-30', title: 'uWSGI http-socket, socket-timeout 30', socket: 'http-socket',
      apps: ['uwsgi_api'], options: 'socket-timeout = 30',
      uwsgi: [singleUwsgi('http-socket, socket-timeout 30', 'uwsgi_api', hsock, [HIGH_TIMEOUT, BIG_BUFFER])],
      probes: [p('chunked-stall', 'works'), p('content-length-stall', 'works')],
    },
    {
      ...base, id: 'direct-strict-unknown-option', failsAtStartup: true, title: 'uWSGI strict mode, http-chunked-input without the http plugin',
      socket: 'http-socket', apps: ['uwsgi_api'], options: 'plugins = python3, strict = true, http-chunked-input = true',
      uwsgi: [singleUwsgi('strict, http-chunked-input without http plugin', 'uwsgi_api', hsock,
        [['strict', 'true'], ['http-chunked-input', 'true'], BIG_BUFFER], { plugins: 'python3' })],
      probes: [p('content-length', 'fails-loudly', ['strict-unknown-option', 'uwsgi-option-needs-plugin', 'uwsgi-unknown-option'], {
        note: 'uWSGI refuses to start: [strict-mode] unknown config directive: http-chunked-input. '
          + 'deploylint reports strict mode from the ini resolver (strict-unknown-option), not from uwsgi-unknown-option',
      })],
    },
    {
      ...base, id: 'direct-router-without-http-plugin', title: 'uWSGI `http =` router without the http plugin', socket: 'http-router',
      apps: ['uwsgi_api'], options: 'plugins = python3 (no http): `http =` is an unknown key',
      uwsgi: [routerUwsgi('http router without the http plugin', 'uwsgi_api', [BIG_BUFFER], 'python3')],
      probes: [p('content-length', 'fails-loudly', ['uwsgi-option-needs-plugin', 'uwsgi-unknown-option'], {
        note: 'uWSGI starts, silently ignores `http =`, and nothing listens on the router port',
      })],
    },
    {
      ...base, id: 'direct-sigterm-reload', title: 'uWSGI without die-on-term receives SIGTERM', socket: 'http-socket',
      apps: ['uwsgi_api'], options: 'no die-on-term',
      uwsgi: [singleUwsgi('no die-on-term', 'uwsgi_api', hsock, [BIG_BUFFER], { dieOnTerm: false })],
      probes: [p('content-length', 'works'), p('sigterm', 'fails-silently', ['uwsgi-sigterm-reload'], {
        note: 'outcome of a stop: fails-silently = the master kept running (reloaded) after SIGTERM',
      })],
    },
    {
      ...base, id: 'direct-sigterm-die-on-term', title: 'uWSGI with die-on-term receives SIGTERM', socket: 'http-socket',
      apps: ['uwsgi_api'], options: 'die-on-term = true',
      uwsgi: [singleUwsgi('die-on-term', 'uwsgi_api', hsock, [BIG_BUFFER])],
      // The upload first: a SIGTERM within milliseconds of start-up can reach a worker that has not
      // set up its signal handling yet; the master then waits out the worker (measured: 16 s).
      probes: [p('content-length', 'works'), p('sigterm', 'works')],
    },
  ];
}

function proxyHttpSetups(): Setup[] {
  const hsock: [string, (ctx: SetupContext) => string] = ['http-socket', tcp('uwsgi')];
  const base = { front: 'mod_proxy_http' as const, ports: ['apache', 'uwsgi', 'uwsgi-internal', 'uwsgi2'], entryPort: 'apache' };
  return [
    {
      ...base, id: 'proxyhttp-httpsocket-plain', title: 'mod_proxy_http to http-socket, plain app', socket: 'http-socket', apps: ['plain'],
      options: 'defaults', apache: apacheWith('mod_proxy_http to http-socket', proxyHttpVhost()),
      uwsgi: [singleUwsgi('http-socket, plain app', 'plain', hsock)],
      probes: [
        p('content-length', 'works'),
        p('chunked', 'fails-silently', ['http-socket-chunked-body-lost'], {
          contradicts: 'lab-findings.md has 200 with 0 bytes (measured with curl, which sends the whole body at once). '
            + 'With a client that sends at a realistic pace the app answers 200 before Apache has passed the whole body, '
            + 'uWSGI closes the connection with unread data, Apache gets ECONNRESET while passing the body (AH01084, '
            + 'AH01097) and answers 502. Either way the upload is lost; which way depends on timing',
        }),
        p('large-header', 'fails-loudly', ['uwsgi-buffer-size-small']),
        p('chunked-small', 'works', [], { note: 'apache-facts 6.2: a chunked body that fits the 16 KiB prefetch is sent with Content-Length' }),
      ],
    },
    {
      ...base, id: 'proxyhttp-httpsocket-plain-sendcl-location', title: 'mod_proxy_http + SetEnv proxy-sendcl 1 in <Location>, plain app',
      socket: 'http-socket', apps: ['plain'], options: 'SetEnv proxy-sendcl 1 in <Location /app>',
      apache: apacheWith('proxy-sendcl in route scope', (ctx) => location(APP_PATH, [
        'SetEnv proxy-sendcl 1', `ProxyPass http://127.0.0.1:${ctx.port('uwsgi')}`,
      ])),
      uwsgi: [singleUwsgi('http-socket, plain app', 'plain', hsock, [BIG_BUFFER])],
      probes: [p('content-length', 'works'), p('chunked', 'works')],
    },
    {
      ...base, id: 'proxyhttp-httpsocket-api', title: 'mod_proxy_http to http-socket, uwsgi.chunked_read app', socket: 'http-socket',
      apps: ['uwsgi_api'], options: 'defaults (buffer-size 4096)', apache: apacheWith('mod_proxy_http to http-socket', proxyHttpVhost()),
      uwsgi: [singleUwsgi('http-socket, uwsgi_api app', 'uwsgi_api', hsock)],
      probes: [
        p('content-length', 'works'),
        p('chunked', 'works'),
        p('large-header', 'fails-loudly', ['uwsgi-buffer-size-small']),
      ],
    },
    {
      ...base, id: 'proxyhttp-httpsocket-api-buffer-65535', title: 'mod_proxy_http to http-socket, buffer-size 65535', socket: 'http-socket',
      apps: ['uwsgi_api'], options: 'buffer-size = 65535', apache: apacheWith('mod_proxy_http to http-socket', proxyHttpVhost()),
      uwsgi: [singleUwsgi('http-socket, buffer-size 65535', 'uwsgi_api', hsock, [BIG_BUFFER])],
      probes: [p('content-length', 'works'), p('large-header', 'works')],
    },
    {
      ...base, id: 'proxyhttp-shared-vhost-sendcl', title: 'SetEnv proxy-sendcl 1 in a VirtualHost shared by two routes',
      socket: 'http-socket', apps: ['plain', 'uwsgi_api'],
      options: 'SetEnv proxy-sendcl 1 at VirtualHost scope; /plain -> plain app, /api -> uwsgi_api app (socket-timeout 2)',
      apache: apacheWith('proxy-sendcl shared by two routes', (ctx) => [
        'SetEnv proxy-sendcl 1',
        `ProxyPass /plain http://127.0.0.1:${ctx.port('uwsgi')}`,
        `ProxyPass /api http://127.0.0.1:${ctx.port('uwsgi2')}`,
      ]),
      uwsgi: [
        { ...singleUwsgi('http-socket, plain app', 'plain', hsock, [BIG_BUFFER]), file: 'uwsgi-plain.ini' },
        { ...singleUwsgi('http-socket, uwsgi_api app', 'uwsgi_api', ['http-socket', tcp('uwsgi2')], [LOW_TIMEOUT, BIG_BUFFER]), file: 'uwsgi-api.ini' },
      ],
      probes: [
        p('chunked', 'works', [], { name: 'chunked-plain', path: '/plain' }),
        p('chunked', 'works', [], { name: 'chunked-api', path: '/api', note: 'arrives de-chunked with Content-Length' }),
        p('chunked-stall', 'works', [], { name: 'chunked-stall-api', path: '/api', note: 'F6: the spooled body hides the stall from uWSGI' }),
        p('content-length-stall', 'fails-loudly', ['uwsgi-socket-timeout-low'], { name: 'content-length-stall-api', path: '/api' }),
      ],
    },
    {
      ...base, id: 'proxyhttp-shared-vhost-sendcl-devstack-2017', title: 'devstack 2017 shape: proxy-sendcl shared by a uwsgi:// route and the glance router',
      socket: 'http-router', apps: ['plain', 'uwsgi_api'],
      options: 'SetEnv proxy-sendcl 1 at VirtualHost scope (written for the uwsgi:// route); /image -> `http =` router with '
        + 'http-raw-body, http-chunked-input, http-auto-chunked (devstack e6217a97), /identity -> uwsgi:// socket',
      apache: apacheWith('proxy-sendcl shared by a uwsgi:// route and an http:// route', (ctx) => [
        'SetEnv proxy-sendcl 1',
        `ProxyPass /identity uwsgi://127.0.0.1:${ctx.port('uwsgi2')}`,
        `ProxyPass /image http://127.0.0.1:${ctx.port('uwsgi')}`,
      ]),
      uwsgi: [
        { ...routerUwsgi('glance 2017: http router', 'uwsgi_api', [
          ['http-raw-body', 'true'], ['http-chunked-input', 'true'], ['http-auto-chunked', 'true'], BIG_BUFFER,
        ]), file: 'uwsgi-image.ini' },
        { ...singleUwsgi('keystone-like: uwsgi socket', 'plain', ['socket', tcp('uwsgi2')], [BIG_BUFFER]), file: 'uwsgi-identity.ini' },
      ],
      probes: [
        p('chunked', 'works', [], { name: 'chunked-image', path: '/image' }),
        p('chunked-stall', 'works', [], { name: 'chunked-stall-image', path: '/image' }),
        p('content-length', 'works', [], { name: 'content-length-identity', path: '/identity' }),
        p('chunked', 'fails-loudly', ['mod-proxy-uwsgi-chunked'], { name: 'chunked-identity', path: '/identity' }),
      ],
    },
    {
      ...base, id: 'proxyhttp-httpsocket-timeout-2', title: 'mod_proxy_http to http-socket, socket-timeout 2', socket: 'http-socket',
      apps: ['uwsgi_api'], options: 'socket-timeout = 2', apache: apacheWith('mod_proxy_http, socket-timeout 2', proxyHttpVhost()),
      uwsgi: [singleUwsgi('http-socket, socket-timeout 2', 'uwsgi_api', hsock, [LOW_TIMEOUT, BIG_BUFFER])],
      probes: [
        p('content-length', 'works'),
        p('chunked-stall', 'fails-loudly', ['uwsgi-socket-timeout-low']),
        p('content-length-stall', 'fails-loudly', ['uwsgi-socket-timeout-low']),
      ],
    },
    {
      ...base, id: 'proxyhttp-httpsocket-timeout-2-sendcl-location', title: 'socket-timeout 2 behind proxy-sendcl in <Location>',
      socket: 'http-socket', apps: ['uwsgi_api'], options: 'socket-timeout = 2, SetEnv proxy-sendcl 1 in <Location /app>',
      apache: apacheWith('proxy-sendcl in route scope, socket-timeout 2', (ctx) => location(APP_PATH, [
        'SetEnv proxy-sendcl 1', `ProxyPass http://127.0.0.1:${ctx.port('uwsgi')}`,
      ])),
      uwsgi: [singleUwsgi('http-socket, socket-timeout 2', 'uwsgi_api', hsock, [LOW_TIMEOUT, BIG_BUFFER])],
      probes: [
        p('chunked-stall', 'works', [], { note: 'F6: Apache spools the chunked body before uWSGI sees it' }),
        p('content-length-stall', 'fails-loudly', ['uwsgi-socket-timeout-low'], { note: 'Content-Length bodies are streamed, not spooled' }),
      ],
    },
    {
      ...base, id: 'proxyhttp-httpsocket-timeout-default', title: 'mod_proxy_http to http-socket, default socket-timeout (4 s)',
      socket: 'http-socket', apps: ['uwsgi_api'], options: 'no socket-timeout (uWSGI default 4 s), client stalls 6 s',
      apache: apacheWith('mod_proxy_http, default socket-timeout', proxyHttpVhost()),
      uwsgi: [singleUwsgi('http-socket, default socket-timeout', 'uwsgi_api', hsock, [BIG_BUFFER], { defaultTimeout: true })],
      probes: [
        p('content-length', 'works'),
        p('chunked-stall', 'fails-loudly', ['uwsgi-socket-timeout-low'], { stallMs: 6_000 }),
      ],
    },
    {
      ...base, id: 'proxyhttp-httpsocket-timeout-30', title: 'mod_proxy_http to http-socket, socket-timeout 30', socket: 'http-socket',
      apps: ['uwsgi_api'], options: 'socket-timeout = 30', apache: apacheWith('mod_proxy_http, socket-timeout 30', proxyHttpVhost()),
      uwsgi: [singleUwsgi('http-socket, socket-timeout 30', 'uwsgi_api', hsock, [HIGH_TIMEOUT, BIG_BUFFER])],
      probes: [p('chunked-stall', 'works'), p('content-length-stall', 'works')],
    },
    {
      ...base, id: 'proxyhttp-to-uwsgi-socket', title: 'ProxyPass http:// to a uwsgi-protocol socket', socket: 'socket',
      apps: ['uwsgi_api'], options: 'protocol mismatch', apache: apacheWith('http:// to a uwsgi socket', proxyHttpVhost()),
      uwsgi: [singleUwsgi('socket (uwsgi protocol)', 'uwsgi_api', ['socket', tcp('uwsgi')], [BIG_BUFFER])],
      probes: [p('content-length', 'fails-loudly', ['proxy-protocol-mismatch'])],
    },
    {
      ...base, id: 'proxyhttp-router-api', title: 'mod_proxy_http to the uWSGI http router without http-chunked-input',
      socket: 'http-router', apps: ['uwsgi_api'], options: 'http = (router), no http-chunked-input',
      apache: apacheWith('mod_proxy_http to the http router', proxyHttpVhost()),
      uwsgi: [routerUwsgi('http router, no http-chunked-input', 'uwsgi_api', [BIG_BUFFER])],
      probes: [p('content-length', 'works'), p('chunked', 'fails-loudly', ['uwsgi-router-chunked-input'])],
    },
    {
      ...base, id: 'proxyhttp-router-api-chunked-input', title: 'mod_proxy_http to the uWSGI http router with http-chunked-input',
      socket: 'http-router', apps: ['uwsgi_api'], options: 'http = (router) + http-chunked-input = true',
      apache: apacheWith('mod_proxy_http to the http router', proxyHttpVhost()),
      uwsgi: [routerUwsgi('http router + http-chunked-input', 'uwsgi_api', [['http-chunked-input', 'true'], BIG_BUFFER])],
      probes: [p('content-length', 'works'), p('chunked', 'works')],
    },
    {
      ...base, id: 'proxyhttp-backend-unmatched', title: 'ProxyPass to a port no uWSGI listens on', socket: 'http-socket',
      apps: ['uwsgi_api'], options: 'ProxyPass port differs from http-socket port',
      apache: apacheWith('ProxyPass to the wrong port', proxyHttpVhost([], 'uwsgi2')),
      uwsgi: [singleUwsgi('http-socket', 'uwsgi_api', hsock, [BIG_BUFFER])],
      probes: [p('content-length', 'fails-loudly', ['proxy-backend-unmatched'])],
    },
    {
      ...base, id: 'proxyhttp-module-missing', title: 'ProxyPass http:// without mod_proxy_http loaded', socket: 'http-socket',
      apps: ['uwsgi_api'], options: 'no LoadModule proxy_http_module',
      apache: apacheWith('mod_proxy_http not loaded', proxyHttpVhost(), ['proxy_http_module']),
      uwsgi: [singleUwsgi('http-socket', 'uwsgi_api', hsock, [BIG_BUFFER])],
      probes: [p('content-length', 'fails-loudly', ['apache-module-missing'])],
    },
  ];
}

function proxyUwsgiSetups(): Setup[] {
  const sock: [string, (ctx: SetupContext) => string] = ['socket', tcp('uwsgi')];
  const unixSock: [string, (ctx: SetupContext) => string] = ['socket', (ctx) => ctx.unixSocket('app')];
  const tcpBase = { front: 'mod_proxy_uwsgi-tcp' as const, ports: ['apache', 'uwsgi'], entryPort: 'apache', socket: 'socket' as const };
  const unixBase = { ...tcpBase, front: 'mod_proxy_uwsgi-unix' as const };
  const uwsgiPass = (extra: string[] = []) => (ctx: SetupContext) => [...extra, `ProxyPass ${APP_PATH} uwsgi://127.0.0.1:${ctx.port('uwsgi')}`];
  const unixPass = (extra: string[] = []) => (ctx: SetupContext) => [...extra, `ProxyPass ${APP_PATH} "unix:${ctx.unixSocket('app')}|uwsgi://lab-app"`];
  // Apache's children (www-data) must be able to connect to uWSGI's unix socket.
  const unixOptions: Array<[string, string]> = [['chmod-socket', '666']];
  return [
    {
      ...tcpBase, id: 'proxyuwsgi-tcp-api', title: 'mod_proxy_uwsgi over TCP, uwsgi.chunked_read app', apps: ['uwsgi_api'],
      options: 'defaults (buffer-size 4096)', apache: apacheWith('mod_proxy_uwsgi over TCP', uwsgiPass()),
      uwsgi: [singleUwsgi('socket, uwsgi_api app', 'uwsgi_api', sock)],
      probes: [
        p('content-length', 'works'),
        p('chunked', 'fails-loudly', ['mod-proxy-uwsgi-chunked']),
        p('large-header', 'fails-loudly', ['uwsgi-buffer-size-small']),
      ],
    },
    {
      ...tcpBase, id: 'proxyuwsgi-tcp-api-sendcl-vhost', title: 'mod_proxy_uwsgi + SetEnv proxy-sendcl 1 in the VirtualHost',
      apps: ['uwsgi_api'], options: 'SetEnv proxy-sendcl 1 (VirtualHost)',
      apache: apacheWith('mod_proxy_uwsgi + proxy-sendcl', uwsgiPass(['SetEnv proxy-sendcl 1'])),
      uwsgi: [singleUwsgi('socket, uwsgi_api app', 'uwsgi_api', sock, [BIG_BUFFER])],
      probes: [p('content-length', 'works'), p('chunked', 'fails-loudly', ['mod-proxy-uwsgi-chunked'])],
    },
    {
      ...tcpBase, id: 'proxyuwsgi-tcp-api-sendcl-location', title: 'mod_proxy_uwsgi + SetEnv proxy-sendcl 1 in <Location>',
      apps: ['uwsgi_api'], options: 'SetEnv proxy-sendcl 1 in <Location /app>',
      apache: apacheWith('mod_proxy_uwsgi + proxy-sendcl in route scope', (ctx) => location(APP_PATH, [
        'SetEnv proxy-sendcl 1', `ProxyPass uwsgi://127.0.0.1:${ctx.port('uwsgi')}`,
      ])),
      uwsgi: [singleUwsgi('socket, uwsgi_api app', 'uwsgi_api', sock, [BIG_BUFFER])],
      probes: [p('chunked', 'fails-loudly', ['mod-proxy-uwsgi-chunked'])],
    },
    {
      ...tcpBase, id: 'proxyuwsgi-tcp-plain', title: 'mod_proxy_uwsgi over TCP, plain app', apps: ['plain'],
      options: 'buffer-size = 65535', apache: apacheWith('mod_proxy_uwsgi over TCP', uwsgiPass()),
      uwsgi: [singleUwsgi('socket, plain app', 'plain', sock, [BIG_BUFFER])],
      probes: [
        p('content-length', 'works'),
        p('chunked', 'fails-loudly', ['mod-proxy-uwsgi-chunked']),
        p('chunked-small', 'fails-loudly', ['mod-proxy-uwsgi-chunked'], { note: 'apache-facts 6.2: 411 even for a small body' }),
        p('large-header', 'works'),
      ],
    },
    {
      ...tcpBase, id: 'proxyuwsgi-to-http-socket', title: 'ProxyPass uwsgi:// to an http-socket', socket: 'http-socket',
      apps: ['uwsgi_api'], options: 'protocol mismatch', apache: apacheWith('uwsgi:// to an http-socket', uwsgiPass()),
      uwsgi: [singleUwsgi('http-socket', 'uwsgi_api', ['http-socket', tcp('uwsgi')], [BIG_BUFFER])],
      probes: [p('content-length', 'fails-loudly', ['proxy-protocol-mismatch'])],
    },
    {
      ...tcpBase, id: 'proxyuwsgi-tcp-timeout-2', title: 'mod_proxy_uwsgi, socket-timeout 2', apps: ['uwsgi_api'],
      options: 'socket-timeout = 2', apache: apacheWith('mod_proxy_uwsgi, socket-timeout 2', uwsgiPass()),
      uwsgi: [singleUwsgi('socket, socket-timeout 2', 'uwsgi_api', sock, [LOW_TIMEOUT, BIG_BUFFER])],
      probes: [
        p('content-length', 'works'),
        p('chunked', 'fails-loudly', ['mod-proxy-uwsgi-chunked']),
        p('content-length-stall', 'fails-loudly', ['uwsgi-socket-timeout-low']),
      ],
    },
    {
      ...tcpBase, id: 'proxyuwsgi-module-missing', title: 'ProxyPass uwsgi:// without mod_proxy_uwsgi loaded', apps: ['uwsgi_api'],
      options: 'no LoadModule proxy_uwsgi_module', apache: apacheWith('mod_proxy_uwsgi not loaded', uwsgiPass(), ['proxy_uwsgi_module']),
      uwsgi: [singleUwsgi('socket', 'uwsgi_api', sock, [BIG_BUFFER])],
      probes: [p('content-length', 'fails-loudly', ['apache-module-missing'])],
    },
    {
      ...unixBase, id: 'proxyuwsgi-unix-api', title: 'mod_proxy_uwsgi over a unix socket, uwsgi.chunked_read app', apps: ['uwsgi_api'],
      options: 'defaults (buffer-size 4096)', apache: apacheWith('mod_proxy_uwsgi over a unix socket', unixPass()),
      uwsgi: [singleUwsgi('unix socket, uwsgi_api app', 'uwsgi_api', unixSock, unixOptions)],
      probes: [
        p('content-length', 'works'),
        p('chunked', 'fails-loudly', ['mod-proxy-uwsgi-chunked']),
        p('large-header', 'fails-loudly', ['uwsgi-buffer-size-small']),
      ],
    },
    {
      ...unixBase, id: 'proxyuwsgi-unix-api-sendcl-vhost', title: 'mod_proxy_uwsgi over a unix socket + SetEnv proxy-sendcl 1',
      apps: ['uwsgi_api'], options: 'SetEnv proxy-sendcl 1 (VirtualHost)',
      apache: apacheWith('mod_proxy_uwsgi over a unix socket + proxy-sendcl', unixPass(['SetEnv proxy-sendcl 1'])),
      uwsgi: [singleUwsgi('unix socket, uwsgi_api app', 'uwsgi_api', unixSock, [...unixOptions, BIG_BUFFER])],
      probes: [p('content-length', 'works'), p('chunked', 'fails-loudly', ['mod-proxy-uwsgi-chunked']), p('large-header', 'works')],
    },
    {
      ...unixBase, id: 'proxyuwsgi-unix-devstack', title: 'devstack shape: server-scope ProxyPass to a unix socket, no VirtualHost',
      apps: ['uwsgi_api'], options: 'server-scope `ProxyPass "/app" "unix:...|uwsgi://uwsgi-uds-app" retry=0 acquire=1`',
      apache: (ctx) => apacheConf(ctx, {
        title: 'devstack write_uwsgi_config shape',
        serverScope: [`ProxyPass "${APP_PATH}" "unix:${ctx.unixSocket('app')}|uwsgi://uwsgi-uds-app" retry=0 acquire=1`],
      }),
      uwsgi: [singleUwsgi('devstack shape', 'uwsgi_api', unixSock, [
        ...unixOptions, ['enable-threads', 'true'], ['thunder-lock', 'true'], BIG_BUFFER, ['lazy-apps', 'true'],
      ])],
      probes: [p('content-length', 'works'), p('chunked', 'fails-loudly', ['mod-proxy-uwsgi-chunked'])],
    },
  ];
}

function modWsgiSetups(): Setup[] {
  const base = { front: 'mod_wsgi-daemon' as const, socket: 'none' as const, ports: ['apache'], entryPort: 'apache', uwsgi: [] };
  const daemon = (app: AppFlavour, extra: string[] = []) => (ctx: SetupContext) => [
    'WSGIDaemonProcess lab processes=1 threads=4',
    `WSGIScriptAlias ${APP_PATH} ${ctx.app(`${app}.py`)} process-group=lab application-group=%{GLOBAL}`,
    ...extra,
  ];
  return [
    {
      ...base, id: 'modwsgi-plain', title: 'mod_wsgi daemon mode, plain app', apps: ['plain'], options: 'defaults',
      apache: apacheWith('mod_wsgi daemon mode', daemon('plain')),
      probes: [
        p('content-length', 'works'),
        p('chunked', 'fails-loudly', ['mod-wsgi-chunked-request']),
        p('large-header', 'works'),
      ],
    },
    {
      ...base, id: 'modwsgi-plain-chunked-request', title: 'mod_wsgi daemon mode + WSGIChunkedRequest On', apps: ['plain'],
      options: 'WSGIChunkedRequest On (VirtualHost)', apache: apacheWith('mod_wsgi + WSGIChunkedRequest On', daemon('plain', ['WSGIChunkedRequest On'])),
      probes: [p('content-length', 'works'), p('chunked', 'works'), p('chunked-stall', 'works')],
    },
    {
      ...base, id: 'modwsgi-plain-chunked-request-location', title: 'mod_wsgi daemon mode + WSGIChunkedRequest On in <Location>',
      apps: ['plain'], options: 'WSGIChunkedRequest On in <Location /app>',
      apache: apacheWith('mod_wsgi + WSGIChunkedRequest On in route scope', daemon('plain', location(APP_PATH, ['WSGIChunkedRequest On']))),
      probes: [p('chunked', 'works')],
    },
    {
      ...base, id: 'modwsgi-api', title: 'mod_wsgi daemon mode, uwsgi_api app (falls back to wsgi.input)', apps: ['uwsgi_api'],
      options: 'defaults', apache: apacheWith('mod_wsgi daemon mode', daemon('uwsgi_api')),
      probes: [p('content-length', 'works'), p('chunked', 'fails-loudly', ['mod-wsgi-chunked-request'])],
    },
    {
      ...base, id: 'modwsgi-api-chunked-request', title: 'mod_wsgi daemon mode + WSGIChunkedRequest On, uwsgi_api app', apps: ['uwsgi_api'],
      options: 'WSGIChunkedRequest On (VirtualHost)', apache: apacheWith('mod_wsgi + WSGIChunkedRequest On', daemon('uwsgi_api', ['WSGIChunkedRequest On'])),
      probes: [p('chunked', 'works')],
    },
  ];
}

/** Above 65535: uWSGI binds it modulo 65536 (here the reserved port), Apache cannot parse it. */
const outOfRange = (name: string) => (ctx: SetupContext) => ctx.port(name) + 65536;

/**
 * Config mistakes that servers accept without a word at start-up (or that stop uWSGI only when it is
 * started from elsewhere): each has a failing setup and the fixed one.
 */
function configMistakeSetups(): Setup[] {
  const hsock: [string, (ctx: SetupContext) => string] = ['http-socket', tcp('uwsgi')];
  const direct = { front: 'uwsgi-direct' as const, socket: 'http-socket' as const, ports: ['uwsgi'], entryPort: 'uwsgi' };
  const proxyHttp = { front: 'mod_proxy_http' as const, socket: 'http-socket' as const, ports: ['apache', 'uwsgi'], entryPort: 'apache' };
  const unixProxy = { front: 'mod_proxy_uwsgi-unix' as const, socket: 'socket' as const, ports: ['apache'], entryPort: 'apache' };
  const unixSocketLine: [string, (ctx: SetupContext) => string] = ['socket', (ctx) => ctx.unixSocket('app')];
  const unixPass = (ctx: SetupContext) => [`ProxyPass ${APP_PATH} "unix:${ctx.unixSocket('app')}|uwsgi://lab-app"`];
  const modWsgi = { front: 'mod_wsgi-daemon' as const, socket: 'none' as const, ports: ['apache'], entryPort: 'apache', uwsgi: [] };
  // Two name-based VirtualHosts on one address: requests for 127.0.0.1 go to the first (the default).
  // The serving one names its group with WSGIProcessGroup: `process-group=` naming a group defined
  // further down the file is refused at start-up ("WSGI process group not yet configured").
  const twoVhosts = (title: string, groupInServingVhost: boolean) => (ctx: SetupContext) => apacheConf(ctx, {
    title,
    serverScope: [
      `<VirtualHost 127.0.0.1:${ctx.port('apache')}>`,
      '    ServerName app.lab.localhost',
      ...(groupInServingVhost ? ['    WSGIDaemonProcess lab processes=1 threads=4'] : []),
      `    WSGIScriptAlias ${APP_PATH} ${ctx.app('plain.py')}`,
      '    WSGIProcessGroup lab',
      '    WSGIApplicationGroup %{GLOBAL}',
      '</VirtualHost>',
    ],
    virtualHost: [
      'ServerName other.lab.localhost',
      groupInServingVhost ? 'WSGIDaemonProcess other processes=1 threads=4' : 'WSGIDaemonProcess lab processes=1 threads=4',
      `WSGIScriptAlias /other ${ctx.app('plain.py')} process-group=${groupInServingVhost ? 'other' : 'lab'} application-group=%{GLOBAL}`,
    ],
  });
  const commonIni = { file: 'common.ini', text: () => '; deploylint lab: settings shared by several apps\n[uwsgi]\nbuffer-size = 65535\n' };
  const includingIni = (title: string, include: string): UwsgiInstance => ({
    ...singleUwsgi(title, 'plain', hsock, [['ini', include]]),
    includes: [commonIni],
    // Not the ini's directory (systemd starts services in /): relative paths resolve from here.
    cwd: (ctx) => `${ctx.scratch}/run`,
  });
  return [
    {
      ...direct, id: 'direct-httpsocket-port-out-of-range', title: 'uWSGI http-socket with a port above 65535', apps: ['plain'],
      options: 'http-socket = 127.0.0.1:<port + 65536>',
      uwsgi: [{
        ...singleUwsgi('http-socket with a port above 65535', 'plain', ['http-socket', (ctx) => `127.0.0.1:${outOfRange('uwsgi')(ctx)}`], [BIG_BUFFER]),
        listen: (ctx) => [{ port: ctx.port('uwsgi') }],
      }],
      probes: [
        p('content-length', 'fails-loudly', ['uwsgi-port-out-of-range'], {
          name: 'written-port', targetPort: outOfRange('uwsgi'),
          note: 'a client of the port as written cannot connect at all (no TCP port above 65535)',
        }),
        p('content-length', 'works', [], {
          name: 'wrapped-port',
          note: 'field-facts F9: uWSGI logs the port as written but listens on it minus 65536, where this probe reaches it',
        }),
      ],
    },
    {
      ...proxyHttp, id: 'proxyhttp-port-out-of-range', title: 'ProxyPass and http-socket with the same port above 65535', apps: ['plain'],
      options: 'ProxyPass http://127.0.0.1:<port + 65536>, http-socket = 127.0.0.1:<port + 65536>',
      apache: apacheWith('ProxyPass to a port above 65535', (ctx) => [`ProxyPass ${APP_PATH} http://127.0.0.1:${outOfRange('uwsgi')(ctx)}`]),
      uwsgi: [{
        ...singleUwsgi('http-socket with a port above 65535', 'plain', ['http-socket', (ctx) => `127.0.0.1:${outOfRange('uwsgi')(ctx)}`], [BIG_BUFFER]),
        listen: (ctx) => [{ port: ctx.port('uwsgi') }],
      }],
      probes: [p('content-length', 'fails-loudly', ['proxy-port-out-of-range'], {
        note: 'apache2 starts (the URL passes the config check); every request gets 400 (AH01083)',
      })],
    },
    {
      ...proxyHttp, id: 'proxyhttp-port-in-range', title: 'ProxyPass and http-socket with the same port below 65536', apps: ['plain'],
      options: 'the fixed port, in both files', apache: apacheWith('ProxyPass to a valid port', proxyHttpVhost()),
      uwsgi: [singleUwsgi('http-socket with a valid port', 'plain', hsock, [BIG_BUFFER])],
      probes: [p('content-length', 'works')],
    },
    {
      ...modWsgi, id: 'modwsgi-process-group-other-vhost', title: 'process-group= names a daemon group of another VirtualHost',
      apps: ['plain'], options: 'WSGIDaemonProcess lab in the VirtualHost with ServerName other.lab.localhost, used from app.lab.localhost',
      apache: twoVhosts('process group defined in another VirtualHost', false),
      probes: [p('content-length', 'fails-loudly', ['wsgi-process-group-undefined'], {
        note: 'apache-facts W8: "Daemon process called \'lab\' cannot be accessed by this WSGI application"',
      })],
    },
    {
      ...modWsgi, id: 'modwsgi-process-group-same-vhost', title: 'process-group= names a daemon group of the same VirtualHost',
      apps: ['plain'], options: 'each VirtualHost defines the group it uses', apache: twoVhosts('process group defined in the same VirtualHost', true),
      probes: [p('content-length', 'works')],
    },
    {
      ...direct, id: 'direct-plugins-python', title: '`plugins = python` on Debian\'s uWSGI (python3_plugin.so only)', apps: ['plain'],
      options: 'plugins = python, plugins-dir = /usr/lib/uwsgi/plugins',
      uwsgi: [singleUwsgi('plugins = python', 'plain', hsock, [BIG_BUFFER], { plugins: 'python' })],
      probes: [p('content-length', 'fails-loudly', ['uwsgi-python-plugin-name'], {
        note: 'field-facts F8: UNABLE to load uWSGI plugin, no app loaded',
      })],
    },
    {
      ...direct, id: 'direct-plugins-python3', title: '`plugins = python3` on Debian\'s uWSGI', apps: ['plain'],
      options: 'plugins = python3, plugins-dir = /usr/lib/uwsgi/plugins',
      uwsgi: [singleUwsgi('plugins = python3', 'plain', hsock, [BIG_BUFFER], { plugins: 'python3' })],
      probes: [p('content-length', 'works')],
    },
    {
      ...unixProxy, id: 'proxyuwsgi-unix-chmod-quoted', failsAtStartup: true, title: 'mod_proxy_uwsgi over a unix socket, `chmod-socket = "666"`', apps: ['plain'],
      options: 'chmod-socket = "666" (quoted)', apache: apacheWith('mod_proxy_uwsgi over a unix socket', unixPass),
      uwsgi: [singleUwsgi('quoted chmod-socket', 'plain', unixSocketLine, [['chmod-socket', '"666"'], BIG_BUFFER])],
      probes: [p('content-length', 'fails-loudly', ['uwsgi-quoted-value'], {
        note: 'uwsgi-facts 1: ini values keep their quotes; uWSGI exits with invalid chmod value',
      })],
    },
    {
      ...unixProxy, id: 'proxyuwsgi-unix-chmod-unquoted', title: 'mod_proxy_uwsgi over a unix socket, `chmod-socket = 666`', apps: ['plain'],
      options: 'chmod-socket = 666', apache: apacheWith('mod_proxy_uwsgi over a unix socket', unixPass),
      uwsgi: [singleUwsgi('unquoted chmod-socket', 'plain', unixSocketLine, [['chmod-socket', '666'], BIG_BUFFER])],
      probes: [p('content-length', 'works')],
    },
    {
      ...direct, id: 'direct-relative-ini-include', failsAtStartup: true, title: '`ini = common.ini`, uWSGI started from another directory', apps: ['plain'],
      options: 'ini = common.ini (relative), working directory not the ini\'s', uwsgi: [includingIni('relative ini include', 'common.ini')],
      probes: [p('content-length', 'fails-loudly', ['uwsgi-relative-ini-include'], {
        note: 'lab-findings: uWSGI exits with "realpath() of common.ini failed"',
      })],
    },
    {
      ...direct, id: 'direct-ini-include-percent-d', title: '`ini = %dcommon.ini`, uWSGI started from another directory', apps: ['plain'],
      options: 'ini = %dcommon.ini, working directory not the ini\'s', uwsgi: [includingIni('ini include relative to this file', '%dcommon.ini')],
      probes: [p('content-length', 'works')],
    },
  ];
}

/** The host's net.core.somaxconn (4096 on Linux 5.4 and later), read when a setup is rendered. */
function hostSomaxconn(): number {
  try {
    return Number.parseInt(fs.readFileSync('/proc/sys/net/core/somaxconn', 'utf8'), 10) || 4096;
  } catch {
    return 4096;
  }
}

/** A system lib/python3.X holding the standard library: a python-home one level too deep. */
function systemLibPython(): string {
  try {
    const found = fs.readdirSync('/usr/lib').filter((name) => /^python3\.\d+$/.test(name) && fs.existsSync(`/usr/lib/${name}/os.py`)).sort();
    if (found.length) return `/usr/lib/${found[found.length - 1]}`;
  } catch { /* fall through */ }
  return '/usr/lib/python3.11';
}

const DENY_ALL_DIRECTORY = ['<Directory />', '    Options FollowSymLinks', '    AllowOverride None', '    Require all denied', '</Directory>'];

/**
 * What breaks in production beyond request bodies, each with its failing and its fixed config:
 * httpd's LimitRequestBody default, timeout ordering between Apache and uWSGI / mod_wsgi, a balancer
 * that keeps a restarted backend out, uWSGI's listen backlog, a failed import, the default-deny of
 * the file system, placeholder accounts, two entry points, python-home, duplicate daemon names, and
 * quoted numbers whose 0 does or does not stop uWSGI. Each was measured by hand on the same
 * packages before its scenario was written; `predicted` is what that measurement says, quoted in the note.
 */
function productionSetups(): Setup[] {
  const hsock: [string, (ctx: SetupContext) => string] = ['http-socket', tcp('uwsgi')];
  const sock: [string, (ctx: SetupContext) => string] = ['socket', tcp('uwsgi')];
  const direct = { front: 'uwsgi-direct' as const, socket: 'http-socket' as const, ports: ['uwsgi'], entryPort: 'uwsgi' };
  const proxyHttp = { front: 'mod_proxy_http' as const, socket: 'http-socket' as const, ports: ['apache', 'uwsgi'], entryPort: 'apache' };
  const proxyUwsgi = { front: 'mod_proxy_uwsgi-tcp' as const, socket: 'socket' as const, ports: ['apache', 'uwsgi'], entryPort: 'apache' };
  const modWsgi = { front: 'mod_wsgi-daemon' as const, socket: 'none' as const, ports: ['apache'], entryPort: 'apache', uwsgi: [] };
  const wsgiVhost = (app: AppFlavour, daemonOptions = '', extra: string[] = []) => (ctx: SetupContext) => [
    `WSGIDaemonProcess lab processes=1 threads=4${daemonOptions ? ` ${daemonOptions}` : ''}`,
    `WSGIScriptAlias ${APP_PATH} ${ctx.app(`${app}.py`)} process-group=lab application-group=%{GLOBAL}`,
    ...extra,
  ];
  const balancer = (member: string, extra: string[] = []) => (ctx: SetupContext) => apacheConf(ctx, {
    title: 'a one-member balancer in front of uWSGI', extraModules: BALANCER_MODULES,
    virtualHost: [
      '<Proxy balancer://lab>', `    BalancerMember http://127.0.0.1:${ctx.port('uwsgi')}${member}`, ...extra.map((l) => `    ${l}`), '</Proxy>',
      `ProxyPass ${APP_PATH} balancer://lab`,
    ],
  });
  const daemonUsers = (title: string, user: string, group: string) => (ctx: SetupContext) => apacheConf(ctx, {
    title, virtualHost: wsgiVhost('plain', `user=${user} group=${group}`)(ctx),
  });
  const twoDaemons = (title: string, second: string) => (ctx: SetupContext) => apacheConf(ctx, {
    title,
    serverScope: [
      `<VirtualHost 127.0.0.1:${ctx.port('apache')}>`,
      '    ServerName app.lab.localhost',
      '    WSGIDaemonProcess lab processes=1 threads=4',
      `    WSGIScriptAlias ${APP_PATH} ${ctx.app('plain.py')} process-group=lab application-group=%{GLOBAL}`,
      '</VirtualHost>',
    ],
    virtualHost: [
      'ServerName copy.lab.localhost',
      `WSGIDaemonProcess ${second} processes=1 threads=4`,
      `WSGIScriptAlias ${APP_PATH} ${ctx.app('plain.py')} process-group=${second} application-group=%{GLOBAL}`,
    ],
  });
  const entryIni = (title: string, lines: (ctx: SetupContext) => string[], app: AppFlavour = 'uwsgi_api'): UwsgiInstance => ({
    file: 'uwsgi.ini',
    text: (ctx) => [
      `; deploylint lab: ${title}`, '[uwsgi]', `plugins-dir = ${UWSGI_PLUGINS_DIR}`, 'plugins = python3,http', ...lines(ctx),
      'master = true', 'processes = 1', 'die-on-term = true', `http-socket = ${tcp('uwsgi')(ctx)}`, 'buffer-size = 65535',
      ...(app === 'uwsgi_api' ? ['socket-timeout = 30'] : []),
    ].join('\n') + '\n',
    listen: (ctx) => [{ port: ctx.port('uwsgi') }],
  });
  const over = (extra: Partial<Probe> = {}) => p('oversized-upload', 'works', [], extra);
  const aliasVhost = (ctx: SetupContext, extra: string[]) => [
    'WSGIDaemonProcess lab processes=1 threads=4',
    `Alias ${APP_PATH} ${ctx.app('plain.py')}`,
    ...location(APP_PATH, ['SetHandler wsgi-script', 'Options +ExecCGI', 'WSGIProcessGroup lab', 'WSGIApplicationGroup %{GLOBAL}']),
    ...extra,
  ];
  return [
    // LimitRequestBody: 1 GiB by default since 2.4.54, enforced by mod_wsgi and mod_proxy_uwsgi, not by mod_proxy_http.
    {
      ...modWsgi, id: 'modwsgi-limit-request-body-default', title: 'mod_wsgi daemon mode, no LimitRequestBody (httpd default 1 GiB)', apps: ['plain'],
      options: 'no LimitRequestBody; a Content-Length upload of 1 GiB + 1 MiB', apache: apacheWith('mod_wsgi, default LimitRequestBody', wsgiVhost('plain')),
      probes: [p('content-length', 'works'), p('oversized-upload', 'fails-loudly', ['limit-request-body-default'], {
        note: '413 at once, AH01588 at info level only',
      })],
    },
    {
      ...modWsgi, id: 'modwsgi-limit-request-body-0', title: 'mod_wsgi daemon mode, LimitRequestBody 0', apps: ['plain'],
      options: 'LimitRequestBody 0 (VirtualHost)', apache: apacheWith('mod_wsgi, LimitRequestBody 0', wsgiVhost('plain', '', ['LimitRequestBody 0'])),
      probes: [over()],
    },
    {
      ...proxyUwsgi, id: 'proxyuwsgi-limit-request-body-default', title: 'mod_proxy_uwsgi, no LimitRequestBody (httpd default 1 GiB)', apps: ['plain'],
      options: 'no LimitRequestBody; a Content-Length upload of 1 GiB + 1 MiB', apache: apacheWith('mod_proxy_uwsgi, default LimitRequestBody', (ctx) => [`ProxyPass ${APP_PATH} uwsgi://127.0.0.1:${ctx.port('uwsgi')}`]),
      uwsgi: [singleUwsgi('socket, plain app', 'plain', sock, [BIG_BUFFER, ['socket-timeout', '30']])],
      probes: [p('oversized-upload', 'fails-loudly', ['limit-request-body-default'], { note: '413 before uWSGI sees the request; no log line at all' })],
    },
    {
      ...proxyUwsgi, id: 'proxyuwsgi-limit-request-body-0', title: 'mod_proxy_uwsgi, LimitRequestBody 0', apps: ['plain'],
      options: 'LimitRequestBody 0 (VirtualHost)', apache: apacheWith('mod_proxy_uwsgi, LimitRequestBody 0', (ctx) => ['LimitRequestBody 0', `ProxyPass ${APP_PATH} uwsgi://127.0.0.1:${ctx.port('uwsgi')}`]),
      uwsgi: [singleUwsgi('socket, plain app', 'plain', sock, [BIG_BUFFER, ['socket-timeout', '30']])],
      probes: [over()],
    },
    {
      ...proxyHttp, id: 'proxyhttp-limit-request-body-default', title: 'mod_proxy_http, no LimitRequestBody', apps: ['plain'],
      options: 'no LimitRequestBody: mod_proxy_http does not apply it', apache: apacheWith('mod_proxy_http, default LimitRequestBody', proxyHttpVhost()),
      uwsgi: [singleUwsgi('http-socket, plain app', 'plain', hsock, [BIG_BUFFER, ['socket-timeout', '30']])],
      probes: [over({ note: 'httpd 2.4 drops the limit for proxied requests (ap_http_filter, r->proxyreq)' })],
    },
    {
      ...proxyHttp, id: 'proxyhttp-limit-request-body-explicit', title: 'mod_proxy_http, explicit LimitRequestBody 10 MiB', apps: ['plain'],
      options: 'LimitRequestBody 10485760 in the VirtualHost: ignored by mod_proxy_http', apache: apacheWith('mod_proxy_http, LimitRequestBody 10 MiB', proxyHttpVhost(['LimitRequestBody 10485760'])),
      uwsgi: [singleUwsgi('http-socket, plain app', 'plain', hsock, [BIG_BUFFER, ['socket-timeout', '30']])],
      probes: [over({ note: 'an explicit limit is ignored too; apache-facts.md 6 said a spooled body is bounded by it' })],
    },
    // harakiri against Apache's proxy timeout.
    {
      ...proxyHttp, id: 'proxyhttp-harakiri-not-below-timeout', title: 'ProxyTimeout 3 in front of harakiri 20, a 5 s request', apps: ['slow'],
      options: 'ProxyTimeout 3; uWSGI harakiri = 20', apache: apacheWith('ProxyTimeout 3', proxyHttpVhost(['ProxyTimeout 3'])),
      uwsgi: [singleUwsgi('http-socket, slow app, harakiri 20', 'slow', hsock, [BIG_BUFFER, ['harakiri', '20'], ['need-app', 'true']])],
      probes: [p('slow-request', 'fails-loudly', ['uwsgi-harakiri-not-below-proxy-timeout'], { note: '502 at Apache\'s timeout (AH01102, 70007), the worker runs on' })],
    },
    {
      ...proxyUwsgi, id: 'proxyuwsgi-harakiri-not-below-timeout', title: 'ProxyPass uwsgi:// timeout=3 in front of harakiri 20, a 5 s request', apps: ['slow'],
      options: 'ProxyPass ... timeout=3; uWSGI harakiri = 20', apache: apacheWith('ProxyPass timeout=3', (ctx) => [`ProxyPass ${APP_PATH} uwsgi://127.0.0.1:${ctx.port('uwsgi')} timeout=3`]),
      uwsgi: [singleUwsgi('socket, slow app, harakiri 20', 'slow', sock, [BIG_BUFFER, ['harakiri', '20'], ['need-app', 'true']])],
      probes: [p('slow-request', 'fails-loudly', ['uwsgi-harakiri-not-below-proxy-timeout'], { note: '500, with no Apache log line at any level' })],
    },
    {
      ...proxyHttp, id: 'proxyhttp-harakiri-below-timeout', title: 'ProxyTimeout 30 in front of harakiri 20, a 5 s request', apps: ['slow'],
      options: 'ProxyTimeout 30; uWSGI harakiri = 20', apache: apacheWith('ProxyTimeout 30', proxyHttpVhost(['ProxyTimeout 30'])),
      uwsgi: [singleUwsgi('http-socket, slow app, harakiri 20', 'slow', hsock, [BIG_BUFFER, ['harakiri', '20'], ['need-app', 'true']])],
      probes: [p('slow-request', 'works')],
    },
    // mod_wsgi request-timeout against Timeout.
    {
      ...modWsgi, id: 'modwsgi-request-timeout-not-below-timeout', title: 'mod_wsgi request-timeout=10 behind Timeout 3, a 5 s request', apps: ['slow'],
      options: 'Timeout 3 (VirtualHost); WSGIDaemonProcess request-timeout=10',
      apache: apacheWith('Timeout 3, request-timeout=10', (ctx) => ['Timeout 3', ...wsgiVhost('slow', 'request-timeout=10')(ctx)]),
      probes: [p('slow-request', 'fails-loudly', ['mod-wsgi-request-timeout-not-below-timeout'], { note: '504, "Timeout when reading response headers from daemon process"' })],
    },
    {
      ...modWsgi, id: 'modwsgi-request-timeout-below-timeout', title: 'mod_wsgi request-timeout=10 behind Timeout 30, a 5 s request', apps: ['slow'],
      options: 'Timeout 30 (VirtualHost); WSGIDaemonProcess request-timeout=10',
      apache: apacheWith('Timeout 30, request-timeout=10', (ctx) => ['Timeout 30', ...wsgiVhost('slow', 'request-timeout=10')(ctx)]),
      probes: [p('slow-request', 'works')],
    },
    // A balancer after a backend restart.
    {
      ...proxyHttp, id: 'balancer-forcerecovery-off', title: 'one-member balancer, ProxySet forcerecovery=Off, uWSGI restarted', apps: ['plain'],
      options: 'BalancerMember (retry default 60), ProxySet forcerecovery=Off', apache: balancer('', ['ProxySet forcerecovery=Off']),
      uwsgi: [singleUwsgi('http-socket, plain app', 'plain', hsock, [BIG_BUFFER, ['need-app', 'true']])],
      probes: [p('backend-restart', 'fails-loudly', ['balancer-forcerecovery-off-retry'], { note: '503 for the 60 s retry period (AH00959 disabling worker for 60s)' })],
    },
    {
      ...proxyHttp, id: 'balancer-forcerecovery-off-retry-0', title: 'one-member balancer, forcerecovery=Off, member retry=0, uWSGI restarted', apps: ['plain'],
      options: 'BalancerMember retry=0, ProxySet forcerecovery=Off', apache: balancer(' retry=0', ['ProxySet forcerecovery=Off']),
      uwsgi: [singleUwsgi('http-socket, plain app', 'plain', hsock, [BIG_BUFFER, ['need-app', 'true']])],
      probes: [p('backend-restart', 'works')],
    },
    {
      ...proxyHttp, id: 'balancer-forcerecovery-default', title: 'one-member balancer with the default forcerecovery, uWSGI restarted', apps: ['plain'],
      options: 'BalancerMember (retry default 60), forcerecovery default (On)', apache: balancer(''),
      uwsgi: [singleUwsgi('http-socket, plain app', 'plain', hsock, [BIG_BUFFER, ['need-app', 'true']])],
      probes: [p('backend-restart', 'works', [], { note: 'the member is put in error state (AH00959) but forcerecovery retries it' })],
    },
    {
      ...proxyHttp, id: 'proxyhttp-retry-60-backend-restart', title: 'plain ProxyPass retry=60, uWSGI restarted', apps: ['plain'],
      options: 'ProxyPass ... retry=60 (no balancer)', apache: apacheWith('ProxyPass retry=60', (ctx) => [`ProxyPass ${APP_PATH} http://127.0.0.1:${ctx.port('uwsgi')} retry=60`]),
      uwsgi: [singleUwsgi('http-socket, plain app', 'plain', hsock, [BIG_BUFFER, ['need-app', 'true']])],
      probes: [p('backend-restart', 'works', [], { note: 'a plain ProxyPass worker is never put in error state on 2.4.71, so retry changes nothing' })],
    },
    // uWSGI listen backlog against the host's somaxconn.
    {
      ...direct, id: 'direct-listen-above-somaxconn', failsAtStartup: true, title: 'uWSGI listen one above the host\'s net.core.somaxconn', apps: ['plain'],
      options: 'listen = somaxconn + 1', uwsgi: [{ ...singleUwsgi('listen above somaxconn', 'plain', hsock, [BIG_BUFFER, ['need-app', 'true']]),
        text: (ctx) => uwsgiIni(ctx, { title: 'listen above somaxconn', app: 'plain.py', sockets: [['http-socket', tcp('uwsgi')(ctx)]], options: [BIG_BUFFER, ['need-app', 'true'], ['listen', String(hostSomaxconn() + 1)]] }) }],
      probes: [p('content-length', 'fails-loudly', ['uwsgi-listen-above-somaxconn'], { note: 'exits before binding: "Listen queue size is greater than the system max net.core.somaxconn"' })],
    },
    {
      ...direct, id: 'direct-listen-at-somaxconn', title: 'uWSGI listen equal to the host\'s net.core.somaxconn', apps: ['plain'],
      options: 'listen = somaxconn', uwsgi: [{ ...singleUwsgi('listen at somaxconn', 'plain', hsock),
        text: (ctx) => uwsgiIni(ctx, { title: 'listen at somaxconn', app: 'plain.py', sockets: [['http-socket', tcp('uwsgi')(ctx)]], options: [BIG_BUFFER, ['need-app', 'true'], ['listen', String(hostSomaxconn())]] }) }],
      probes: [p('content-length', 'works')],
    },
    // need-app.
    {
      ...direct, id: 'direct-need-app-missing', title: 'an app that fails to import, no need-app', apps: ['broken'],
      options: 'wsgi-file = broken.py (ImportError), no need-app', uwsgi: [singleUwsgi('broken app, no need-app', 'broken', hsock, [BIG_BUFFER])],
      probes: [p('content-length', 'fails-loudly', ['uwsgi-need-app-missing'], { note: '"no app loaded. going in full dynamic mode", 500 to every request' })],
    },
    {
      ...direct, id: 'direct-need-app', title: 'need-app = true, an app that imports', apps: ['plain'],
      options: 'need-app = true', uwsgi: [singleUwsgi('need-app', 'plain', hsock, [BIG_BUFFER, ['need-app', 'true']])],
      probes: [p('content-length', 'works')],
    },
    // The file system's default deny.
    {
      ...modWsgi, id: 'modwsgi-script-directory-denied', title: '<Directory /> Require all denied, no grant for the script directory', apps: ['plain'],
      options: 'server scope: <Directory /> Require all denied (as Debian\'s apache2.conf); no <Directory> for the app',
      apache: (ctx) => apacheConf(ctx, { title: 'default-deny, no grant', serverScope: DENY_ALL_DIRECTORY, virtualHost: wsgiVhost('plain')(ctx) }),
      probes: [p('content-length', 'fails-loudly', ['wsgi-script-directory-denied'], { note: '403, AH01630 client denied by server configuration' })],
    },
    {
      ...modWsgi, id: 'modwsgi-script-directory-granted', title: '<Directory /> Require all denied, the script directory granted', apps: ['plain'],
      options: 'the same, plus <Directory APPS> Require all granted',
      apache: (ctx) => apacheConf(ctx, {
        title: 'default-deny, script directory granted', serverScope: DENY_ALL_DIRECTORY,
        virtualHost: wsgiVhost('plain', '', [`<Directory ${ctx.scratch}/apps>`, '    Require all granted', '</Directory>'])(ctx),
      }),
      probes: [p('content-length', 'works')],
    },
    // devstack's way of mounting a script at a URL path: Alias + SetHandler wsgi-script is a mod_wsgi app too.
    {
      ...modWsgi, id: 'modwsgi-alias-sethandler-denied', title: 'Alias + SetHandler wsgi-script, default-deny, no grant', apps: ['plain'],
      options: 'Alias /app SCRIPT + <Location /app> SetHandler wsgi-script (devstack\'s shape), <Directory /> Require all denied',
      apache: (ctx) => apacheConf(ctx, {
        title: 'Alias + SetHandler wsgi-script, no grant', serverScope: DENY_ALL_DIRECTORY,
        virtualHost: aliasVhost(ctx, []),
      }),
      probes: [p('content-length', 'fails-loudly', ['wsgi-script-directory-denied'], { note: 'the same 403 as a WSGIScriptAlias: the aliased script is a file under the denied /' })],
    },
    {
      ...modWsgi, id: 'modwsgi-alias-sethandler-granted', title: 'Alias + SetHandler wsgi-script, default-deny, script directory granted', apps: ['plain'],
      options: 'the same, plus <Directory APPS> Require all granted',
      apache: (ctx) => apacheConf(ctx, {
        title: 'Alias + SetHandler wsgi-script, granted', serverScope: DENY_ALL_DIRECTORY,
        virtualHost: aliasVhost(ctx, [`<Directory ${ctx.scratch}/apps>`, '    Require all granted', '</Directory>']),
      }),
      probes: [p('content-length', 'works')],
    },
    // Accounts.
    {
      ...modWsgi, id: 'modwsgi-placeholder-user', failsAtStartup: true, title: 'WSGIDaemonProcess user=SOMEUSER group=SOMEGROUP', apps: ['plain'],
      options: 'user=SOMEUSER group=SOMEGROUP (as aodh\'s sample)', apache: daemonUsers('placeholder accounts', 'SOMEUSER', 'SOMEGROUP'),
      probes: [p('content-length', 'fails-loudly', ['wsgi-daemon-placeholder-account'], { note: 'apache2 exits at start-up, AH00543 bad user name SOMEUSER' })],
    },
    {
      ...modWsgi, id: 'modwsgi-real-user', title: 'WSGIDaemonProcess user=www-data group=www-data', apps: ['plain'],
      options: 'user=www-data group=www-data', apache: daemonUsers('real accounts', 'www-data', 'www-data'),
      probes: [p('content-length', 'works')],
    },
    // Two entry points.
    {
      ...direct, id: 'direct-module-and-wsgi-file', title: 'wsgi-file = uwsgi_api.py, then module = plain', apps: ['uwsgi_api', 'plain'],
      options: 'wsgi-file first, module second, no mount',
      uwsgi: [entryIni('wsgi-file then module', (ctx) => [`wsgi-file = ${ctx.app('uwsgi_api.py')}`, `pythonpath = ${ctx.scratch}/apps`, 'module = plain', 'need-app = true'])],
      probes: [p('content-length', 'fails-silently', ['uwsgi-multiple-app-entry-points'], {
        expectApp: 'uwsgi_api', note: 'the module\'s app serves whatever the order ("mountpoint  already configured. skip.")',
      })],
    },
    {
      ...direct, id: 'direct-broken-module-and-wsgi-file', title: 'module = broken (fails to import), wsgi-file = plain.py', apps: ['broken', 'plain'],
      options: 'module first (import fails), wsgi-file second',
      uwsgi: [entryIni('broken module, then wsgi-file', (ctx) => [`pythonpath = ${ctx.scratch}/apps`, 'module = broken', `wsgi-file = ${ctx.app('plain.py')}`], 'plain')],
      probes: [p('content-length', 'fails-silently', ['uwsgi-multiple-app-entry-points'], {
        expectApp: 'broken', note: 'the module fails to import and the file\'s app silently serves every URL',
      })],
    },
    {
      ...direct, id: 'direct-wsgi-file-only', title: 'wsgi-file = uwsgi_api.py alone', apps: ['uwsgi_api'],
      options: 'one entry point', uwsgi: [entryIni('wsgi-file only', (ctx) => [`wsgi-file = ${ctx.app('uwsgi_api.py')}`, 'need-app = true'])],
      probes: [p('content-length', 'works', [], { expectApp: 'uwsgi_api' })],
    },
    // python-home.
    {
      ...modWsgi, id: 'modwsgi-python-home-wrong-level', title: 'python-home= one level too deep (lib/python3.X)', apps: ['plain'],
      options: 'WSGIDaemonProcess python-home=/usr/lib/python3.X; Timeout 5',
      apache: apacheWith('python-home too deep', (ctx) => ['Timeout 5', ...wsgiVhost('plain', `python-home=${systemLibPython()}`)(ctx)]),
      probes: [p('content-length', 'fails-loudly', ['wsgi-python-home-wrong-level'], { note: 'the daemon dies every second ("No module named \'encodings\'"), 504 at Timeout' })],
    },
    {
      ...modWsgi, id: 'modwsgi-python-home-root', title: 'python-home=/usr (the system Python\'s prefix)', apps: ['plain'],
      options: 'WSGIDaemonProcess python-home=/usr; Timeout 5', apache: apacheWith('python-home at the prefix', (ctx) => ['Timeout 5', ...wsgiVhost('plain', 'python-home=/usr')(ctx)]),
      probes: [p('content-length', 'works')],
    },
    // Duplicate daemon names across VirtualHosts (certbot#1820): the parser's check.
    {
      ...modWsgi, id: 'modwsgi-duplicate-daemon-name', failsAtStartup: true, title: 'the same WSGIDaemonProcess name in two VirtualHosts', apps: ['plain'],
      options: 'WSGIDaemonProcess lab in both VirtualHosts (a copied :80 vhost)', apache: twoDaemons('duplicate daemon name', 'lab'),
      probes: [p('content-length', 'fails-loudly', ['apache-directive-arguments'], { note: 'apache2 -t fails, "Name duplicates previous WSGI daemon definition."' })],
    },
    {
      ...modWsgi, id: 'modwsgi-distinct-daemon-names', title: 'distinct WSGIDaemonProcess names in two VirtualHosts', apps: ['plain'],
      options: 'WSGIDaemonProcess lab and lab-copy', apache: twoDaemons('distinct daemon names', 'lab-copy'),
      probes: [p('content-length', 'works')],
    },
    // chmod-socket with TCP only, and quoted numbers.
    {
      ...direct, id: 'direct-chmod-socket-tcp-only', title: 'chmod-socket = 660 with only a TCP http-socket', apps: ['plain'],
      options: 'chmod-socket = 660, no unix socket', uwsgi: [singleUwsgi('chmod-socket without a unix socket', 'plain', hsock, [BIG_BUFFER, ['chmod-socket', '660'], ['need-app', 'true']])],
      probes: [p('content-length', 'works', [], { note: 'nothing to act on, nothing logged: dead config (socket-world-writable, info)' })],
    },
    {
      ...direct, id: 'direct-quoted-socket-timeout', title: 'socket-timeout = "30" (quoted)', apps: ['plain'],
      options: 'socket-timeout = "30": read as 0', uwsgi: [singleUwsgi('quoted socket-timeout', 'plain', hsock, [BIG_BUFFER, ['socket-timeout', '"30"'], ['need-app', 'true']])],
      probes: [p('content-length', 'fails-loudly', ['uwsgi-quoted-value'], { note: 'measured for the severity review: with 0 the worker\'s reads time out at once' })],
    },
    {
      ...direct, id: 'direct-quoted-harakiri', title: 'harakiri = "30" (quoted)', apps: ['plain'],
      options: 'harakiri = "30": read as 0, harakiri off', uwsgi: [singleUwsgi('quoted harakiri', 'plain', hsock, [BIG_BUFFER, ['harakiri', '"30"'], ['need-app', 'true']])],
      probes: [p('content-length', 'works', [], { note: 'the setting is lost, requests are served: a warning, not an error' })],
    },
  ];
}

/**
 * ProxyPass paths and targets that disagree on the trailing slash (docs/lab.md section 14). The
 * `paths` app answers with the PATH_INFO it was given; a probe names the request path and the
 * PATH_INFO an app mounted at the route must see (`/app/x` -> `/x`).
 */
function trailingSlashSetups(): Setup[] {
  const hsock: [string, (ctx: SetupContext) => string] = ['http-socket', tcp('uwsgi')];
  const unixSock: [string, (ctx: SetupContext) => string] = ['socket', (ctx) => ctx.unixSocket('app')];
  const proxyHttp = { front: 'mod_proxy_http' as const, socket: 'http-socket' as const, apps: ['paths' as const], ports: ['apache', 'uwsgi'], entryPort: 'apache' };
  const proxyUnix = { front: 'mod_proxy_uwsgi-unix' as const, socket: 'socket' as const, apps: ['paths' as const], ports: ['apache'], entryPort: 'apache' };
  const httpApp = (title: string) => [singleUwsgi(title, 'paths', hsock)];
  const unixApp = (title: string) => [singleUwsgi(title, 'paths', unixSock, [['chmod-socket', '666']])];
  const backend = (ctx: SetupContext) => `http://127.0.0.1:${ctx.port('uwsgi')}`;
  const unixTarget = (ctx: SetupContext) => `unix:${ctx.unixSocket('app')}|uwsgi://uwsgi-uds-app`;
  const path = (request: string, backendPath: string, predicted: Outcome, expect: string[] = [], extra: Partial<Probe> = {}): Probe =>
    p('path', predicted, expect, { name: `path ${request}`, path: request, backendPath, expectApp: 'paths', ...extra });
  const RULE = ['proxy-pass-trailing-slash'];
  return [
    {
      ...proxyHttp, id: 'trailing-slash-http-glued-host', title: 'mod_proxy_http, `ProxyPass /app/ http://host:port` (slash on the path only)',
      options: 'the path ends with a slash, the target does not',
      apache: apacheWith('path with slash, target without', (ctx) => [`ProxyPass ${APP_PATH}/ ${backend(ctx)}`]),
      uwsgi: httpApp('http-socket, paths app'),
      probes: [
        path('/app/x', '/x', 'fails-loudly', RULE, { note: '500: AH00898 DNS lookup failure for `127.0.0.1:PORTx`' }),
        path('/app/', '/', 'works', [], { note: 'only the path itself reaches the backend' }),
      ],
    },
    {
      ...proxyUnix, id: 'trailing-slash-uwsgi-unix-glued-host', title: 'mod_proxy_uwsgi over a unix socket, `ProxyPass "/app/" "unix:...|uwsgi://uwsgi-uds-app"`',
      options: 'the path ends with a slash, the target does not (a unix socket: the glued name is still looked up)',
      apache: apacheWith('unix socket, path with slash, target without', (ctx) => [`ProxyPass "${APP_PATH}/" "${unixTarget(ctx)}"`]),
      uwsgi: unixApp('unix socket, paths app'),
      probes: [path('/app/x', '/x', 'fails-loudly', RULE, { note: '500: AH00898 DNS lookup failure for `uwsgi-uds-appx`' })],
    },
    {
      ...proxyHttp, id: 'trailing-slash-http-doubled', title: 'mod_proxy_http, `ProxyPass /app http://host:port/` (slash on the target only)',
      options: 'the target ends with a slash, the path does not',
      apache: apacheWith('target with slash, path without', (ctx) => [`ProxyPass ${APP_PATH} ${backend(ctx)}/`]),
      uwsgi: httpApp('http-socket, paths app'),
      probes: [
        path('/app/x', '/x', 'fails-silently', RULE, { note: 'the app gets `//x`' }),
        path('/app', '/', 'works'),
      ],
    },
    {
      ...proxyHttp, id: 'trailing-slash-http-location-doubled', title: 'mod_proxy_http, `<Location /app>` + `ProxyPass http://host:port/`',
      options: 'the one-argument form: the Location path has no slash, the target has one',
      apache: apacheWith('Location without slash, target with', (ctx) => location(APP_PATH, [`ProxyPass ${backend(ctx)}/`])),
      uwsgi: httpApp('http-socket, paths app'),
      probes: [path('/app/x', '/x', 'fails-silently', RULE, { note: 'the app gets `//x`' })],
    },
    {
      ...proxyHttp, id: 'trailing-slash-http-proxypassmatch-doubled', title: 'mod_proxy_http, `ProxyPassMatch / http://host:port/` (no `$1`)',
      options: 'a ProxyPassMatch target without `$1` gets the whole URL path appended, after its slash',
      apache: apacheWith('ProxyPassMatch without $1, target with slash', (ctx) => [`ProxyPassMatch / ${backend(ctx)}/`]),
      uwsgi: httpApp('http-socket, paths app'),
      probes: [path('/app/x', '/app/x', 'fails-silently', RULE, { note: 'the app gets `//app/x`' })],
    },
    {
      ...proxyUnix, id: 'trailing-slash-uwsgi-unix-devstack-2017', title: 'mod_proxy_uwsgi over a unix socket, devstack\'s 2017 line `ProxyPass "/app" "unix:...|uwsgi://uwsgi-uds-app/"`',
      options: 'the target ends with a slash, the path does not: mod_proxy_uwsgi folds the doubled slash at the start of PATH_INFO',
      apache: apacheWith('unix socket, target with slash, path without', (ctx) => [`ProxyPass "${APP_PATH}" "${unixTarget(ctx)}/"`]),
      uwsgi: unixApp('unix socket, paths app'),
      probes: [path('/app/x', '/x', 'works', [], { note: 'SCRIPT_NAME /app, PATH_INFO /x: the slash does nothing (info)' })],
    },
    {
      ...proxyHttp, id: 'trailing-slash-http-both', title: 'mod_proxy_http, `ProxyPass /app/ http://host:port/` (both with a slash)',
      options: 'path and target agree',
      apache: apacheWith('both with slash', (ctx) => [`ProxyPass ${APP_PATH}/ ${backend(ctx)}/`]),
      uwsgi: httpApp('http-socket, paths app'),
      probes: [path('/app/x', '/x', 'works'), path('/app/', '/', 'works')],
    },
    {
      ...proxyHttp, id: 'trailing-slash-http-neither', title: 'mod_proxy_http, `ProxyPass /app http://host:port` (neither with a slash)',
      options: 'path and target agree',
      apache: apacheWith('neither with slash', (ctx) => [`ProxyPass ${APP_PATH} ${backend(ctx)}`]),
      uwsgi: httpApp('http-socket, paths app'),
      probes: [path('/app/x', '/x', 'works'), path('/app', '/', 'works')],
    },
    {
      ...proxyUnix, id: 'trailing-slash-uwsgi-unix-neither', title: 'mod_proxy_uwsgi over a unix socket, devstack\'s line since 2021 `ProxyPass "/app" "unix:...|uwsgi://uwsgi-uds-app"`',
      options: 'path and target agree',
      apache: apacheWith('unix socket, neither with slash', (ctx) => [`ProxyPass "${APP_PATH}" "${unixTarget(ctx)}"`]),
      uwsgi: unixApp('unix socket, paths app'),
      probes: [path('/app/x', '/x', 'works')],
    },
  ];
}

/** The static file of the DocumentRoot setups: `static-file` probes GET it at STATIC_FILE.url. */
export const STATIC_FILE = { path: 'htdocs/static/hello.txt', url: '/static/hello.txt', text: 'deploylint lab: a static file of the DocumentRoot\n' };

/**
 * A DocumentRoot under an app mounted at `/`: does a GET of a file in it get the file or the app?
 * Measured by hand first (2.4.71, mod_wsgi 4.9.4): `WSGIScriptAlias /` and `ProxyPass /` take the
 * file's URL whatever the order of the lines; an Alias into the directory brings it back beside
 * WSGIScriptAlias (mod_alias translates before mod_wsgi) but not beside ProxyPass (mod_proxy
 * translates first), where `ProxyPass /static !` does.
 */
function documentRootSetups(): Setup[] {
  const modWsgi = { front: 'mod_wsgi-daemon' as const, socket: 'none' as const, ports: ['apache'], entryPort: 'apache', uwsgi: [] };
  const proxyHttp = { front: 'mod_proxy_http' as const, socket: 'http-socket' as const, ports: ['apache', 'uwsgi'], entryPort: 'apache' };
  const hsock: [string, (ctx: SetupContext) => string] = ['http-socket', tcp('uwsgi')];
  const documents = [{ path: STATIC_FILE.path, text: STATIC_FILE.text }];
  const root = (ctx: SetupContext) => [`DocumentRoot ${ctx.scratch}/htdocs`, `<Directory ${ctx.scratch}/htdocs>`, '    Require all granted', '</Directory>'];
  const wsgi = (urlPath: string, extra: string[] = []) => (ctx: SetupContext) => [
    ...root(ctx), 'WSGIDaemonProcess lab processes=1 threads=4',
    `WSGIScriptAlias ${urlPath} ${ctx.app('plain.py')} process-group=lab application-group=%{GLOBAL}`, ...extra,
  ];
  const proxy = (extra: string[] = []) => (ctx: SetupContext) => [...root(ctx), ...extra, `ProxyPass / http://127.0.0.1:${ctx.port('uwsgi')}/`];
  const file = (predicted: Outcome, expect: string[] = [], note?: string): Probe => ({
    kind: 'static-file', path: STATIC_FILE.url, predicted, expect, ...(expect.length ? { infoSuffices: true } : {}), ...(note ? { note } : {}),
  });
  const uwsgi = [singleUwsgi('http-socket, plain app', 'plain', hsock, [BIG_BUFFER, ['need-app', 'true']])];
  return [
    {
      ...modWsgi, id: 'modwsgi-document-root-unreachable', title: 'DocumentRoot with a static file under WSGIScriptAlias /', apps: ['plain'], documents,
      options: 'DocumentRoot htdocs (holds static/hello.txt); WSGIScriptAlias / plain.py', apache: apacheWith('DocumentRoot under WSGIScriptAlias /', wsgi('/')),
      probes: [file('fails-silently', ['wsgi-document-root-unreachable'], '200 from the app for the file\'s URL: the DocumentRoot is never served')],
    },
    {
      ...modWsgi, id: 'modwsgi-document-root-alias', title: 'WSGIScriptAlias / with an Alias into the DocumentRoot', apps: ['plain'], documents,
      options: 'the same, plus Alias /static htdocs/static (after the WSGIScriptAlias)',
      apache: apacheWith('Alias into the DocumentRoot beside WSGIScriptAlias /', (ctx) => wsgi('/', [`Alias /static ${ctx.scratch}/htdocs/static`])(ctx)),
      probes: [file('works', [], 'mod_alias translates before mod_wsgi, whatever the order of the lines')],
    },
    {
      ...modWsgi, id: 'modwsgi-document-root-app-path', title: 'DocumentRoot beside WSGIScriptAlias /app', apps: ['plain'], documents,
      options: 'DocumentRoot htdocs; WSGIScriptAlias /app plain.py', apache: apacheWith('DocumentRoot beside WSGIScriptAlias /app', wsgi(APP_PATH)),
      probes: [file('works')],
    },
    {
      ...proxyHttp, id: 'proxyhttp-document-root-unreachable', title: 'DocumentRoot with a static file under ProxyPass /', apps: ['plain'], documents,
      options: 'DocumentRoot htdocs; Alias /static htdocs/static; ProxyPass / to uWSGI',
      apache: apacheWith('DocumentRoot under ProxyPass /', (ctx) => proxy([`Alias /static ${ctx.scratch}/htdocs/static`])(ctx)), uwsgi,
      probes: [file('fails-silently', ['wsgi-document-root-unreachable'], 'the app answers the file\'s URL; the Alias does not help: mod_proxy translates first')],
    },
    {
      ...proxyHttp, id: 'proxyhttp-document-root-excluded', title: 'ProxyPass /static ! before ProxyPass /', apps: ['plain'], documents,
      options: 'DocumentRoot htdocs; ProxyPass /static !; ProxyPass / to uWSGI', apache: apacheWith('ProxyPass exclusion into the DocumentRoot', proxy(['ProxyPass /static !'])), uwsgi,
      probes: [file('works', [], 'the excluded path falls back to the DocumentRoot')],
    },
  ];
}

/**
 * httpd alone, observed from the inside: the MPM's process sizing (its start-up warnings, the
 * processes it starts, the size of its scoreboard) and what an access log records. No backend: the
 * request of an `access-log` probe goes to a path nothing serves (404) and is logged all the same.
 */
/** What httpd logs at start-up for NameVirtualHost (no effect) and the old MPM names (deprecated). */
const OBSOLETE_NOTICES = 'AH00548|AH00545|AH00521|AH00188';

function httpdSetups(): Setup[] {
  const base = { front: 'httpd' as const, socket: 'none' as const, apps: [] as AppFlavour[], ports: ['apache'], entryPort: 'apache', uwsgi: [] };
  // openstack-helm keystone's _mpm_event.conf.tpl, verbatim.
  const keystoneMpm = [
    '<IfModule mpm_event_module>', '  ServerLimit         1024', '  StartServers        32', '  MinSpareThreads     32',
    '  MaxSpareThreads     256', '  ThreadsPerChild     25', '  MaxRequestsPerChild 128', '  ThreadLimit         720', '</IfModule>',
  ];
  const mpmConf = (title: string, lines: string[], mpm?: { without: string; id: string; so: string }) => (ctx: SetupContext) => apacheConf(ctx, {
    title, serverScope: lines, virtualHost: ['ServerName lab.localhost'],
    withoutModules: mpm ? [mpm.without] : undefined, extraModules: mpm ? { [mpm.id]: mpm.so } : undefined,
  });
  // What 16 processes × 25 threads take (measured: 132 KiB), with room: any scoreboard above holds unused slots.
  const SCOREBOARD_400_WORKERS = 1024 * 1024;
  const mpmProbe = (kind: ProbeKind, predicted: Outcome, extra: Partial<Probe> = {}) =>
    p(kind, predicted, predicted === 'works' ? [] : ['apache-mpm-limits'], { infoSuffices: true, ...extra });
  const ACCESS_LOG = 'access.log';
  const logVhost = (ctx: SetupContext, extra: string[]) => [
    `<VirtualHost 127.0.0.1:${ctx.port('apache')}>`, '    ServerName lab.localhost', `    CustomLog ${ctx.scratch}/${ACCESS_LOG} proxy`, ...extra, '</VirtualHost>',
  ];
  const logProbe = (predicted: Outcome, note: string) =>
    p('access-log', predicted, predicted === 'works' ? [] : ['apache-log-format-undefined'], { accessLog: ACCESS_LOG, note });
  return [
    {
      ...base, id: 'apache-mpm-limits-keystone', title: 'event MPM: ServerLimit 1024, StartServers 32, ThreadLimit 720, no MaxRequestWorkers (openstack-helm keystone)',
      options: 'ServerLimit 1024, StartServers 32, ThreadsPerChild 25, ThreadLimit 720; MaxRequestWorkers unset (400)',
      apache: mpmConf('openstack-helm keystone MPM block', keystoneMpm),
      probes: [
        mpmProbe('start-servers', 'fails-silently', { startServers: 32, note: 'MaxRequestWorkers stays 400 (16 × 25), so at most 16 processes: StartServers 32 is cut to 16 without a word' }),
        mpmProbe('scoreboard-size', 'fails-silently', { scoreboardAtMostBytes: SCOREBOARD_400_WORKERS, note: 'the scoreboard holds 1024 × 720 slots for 16 × 25 workers' }),
        mpmProbe('startup-warnings', 'works', { note: 'httpd says nothing about either' }),
      ],
    },
    {
      ...base, id: 'apache-mpm-limits-adjusted', title: 'event MPM: ThreadsPerChild 100 over ThreadLimit 64, MaxRequestWorkers 250, ServerLimit 2',
      options: 'ServerLimit 2, ThreadsPerChild 100, MaxRequestWorkers 250, StartServers 2 (ThreadLimit default 64)',
      apache: mpmConf('MPM settings httpd adjusts', ['<IfModule mpm_event_module>', '    ServerLimit 2', '    StartServers 2', '    ThreadsPerChild 100', '    MaxRequestWorkers 250', '</IfModule>']),
      probes: [mpmProbe('startup-warnings', 'fails-loudly', {
        note: 'AH00507 ThreadsPerChild 100 decreased to 64, AH00513 MaxRequestWorkers 250 to 192, AH00515 it needs 3 processes, ServerLimit 2: 128',
      })],
    },
    {
      ...base, id: 'apache-mpm-limits-prefork', title: 'prefork MPM: MaxRequestWorkers 300 over the default ServerLimit 256',
      options: 'prefork, MaxRequestWorkers 300, ServerLimit unset (256)',
      apache: mpmConf('prefork MaxRequestWorkers over ServerLimit', ['<IfModule mpm_prefork_module>', '    StartServers 2', '    MaxRequestWorkers 300', '</IfModule>'],
        { without: 'mpm_event_module', id: 'mpm_prefork_module', so: 'mod_mpm_prefork.so' }),
      probes: [mpmProbe('startup-warnings', 'fails-loudly', { note: 'AH00180: MaxRequestWorkers of 300 exceeds ServerLimit value of 256 servers, decreasing to 256' })],
    },
    {
      ...base, id: 'apache-mpm-limits-consistent', title: 'event MPM: ServerLimit 16, ThreadLimit 25, ThreadsPerChild 25, MaxRequestWorkers 400, StartServers 4',
      options: 'every sizing line consistent',
      apache: mpmConf('consistent MPM sizing', ['<IfModule mpm_event_module>', '    ServerLimit 16', '    ThreadLimit 25', '    ThreadsPerChild 25',
        '    MaxRequestWorkers 400', '    StartServers 4', '</IfModule>']),
      probes: [
        mpmProbe('start-servers', 'works', { startServers: 4 }),
        mpmProbe('scoreboard-size', 'works', { scoreboardAtMostBytes: SCOREBOARD_400_WORKERS }),
        mpmProbe('startup-warnings', 'works'),
      ],
    },
    {
      ...base, id: 'apache-obsolete-names', title: 'httpd 2.2 leftovers: NameVirtualHost, MaxRequestsPerChild, MaxClients',
      options: 'NameVirtualHost 127.0.0.1:PORT; MaxRequestsPerChild 128 and MaxClients 400 in <IfModule mpm_event_module>; LogLevel info',
      apache: (ctx) => apacheConf(ctx, {
        title: 'obsolete directive names', virtualHost: ['ServerName lab.localhost'],
        serverScope: [`NameVirtualHost 127.0.0.1:${ctx.port('apache')}`, '<IfModule mpm_event_module>', '    MaxRequestsPerChild 128', '    MaxClients 400', '</IfModule>'],
      }),
      probes: [p('startup-notices', 'fails-loudly', ['apache-obsolete-directive'], {
        infoSuffices: true, logPattern: OBSOLETE_NOTICES,
        note: 'AH00548: NameVirtualHost has no effect; the old MPM names log AH00545 / AH00521 only at start-up level info (`-e info`), not in these logs',
      })],
    },
    {
      ...base, id: 'apache-obsolete-current-names', title: 'the same settings under their httpd 2.4 names, no NameVirtualHost',
      options: 'MaxConnectionsPerChild 128 and MaxRequestWorkers 400 in <IfModule mpm_event_module>; LogLevel info',
      apache: (ctx) => apacheConf(ctx, {
        title: 'current directive names', virtualHost: ['ServerName lab.localhost'],
        serverScope: ['<IfModule mpm_event_module>', '    MaxConnectionsPerChild 128', '    MaxRequestWorkers 400', '</IfModule>'],
      }),
      probes: [p('startup-notices', 'works', [], { logPattern: OBSOLETE_NOTICES })],
    },
    {
      ...base, id: 'apache-log-format-undefined', title: 'CustomLog FILE proxy with no LogFormat ... proxy (openstack-helm gnocchi)',
      options: 'CustomLog access.log proxy; no LogFormat named proxy',
      apache: (ctx) => apacheConf(ctx, { title: 'CustomLog with an undefined nickname', serverScope: logVhost(ctx, []) }),
      probes: [logProbe('fails-silently', 'mod_log_config takes `proxy` as the format string: the line is the word proxy')],
    },
    {
      ...base, id: 'apache-log-format-other-vhost', title: 'CustomLog FILE proxy; LogFormat ... proxy only in another VirtualHost',
      options: 'LogFormat "%h %r %>s" proxy in a second VirtualHost only',
      apache: (ctx) => apacheConf(ctx, {
        title: 'nickname defined in another VirtualHost',
        serverScope: [...logVhost(ctx, []), `<VirtualHost 127.0.0.1:${ctx.port('apache')}>`, '    ServerName other.lab.localhost', '    LogFormat "%h %r %>s" proxy', '</VirtualHost>'],
      }),
      probes: [logProbe('fails-silently', 'a VirtualHost\'s LogFormat reaches only its own CustomLog lines')],
    },
    {
      ...base, id: 'apache-log-format-server-scope-after', title: 'CustomLog FILE proxy in the VirtualHost; LogFormat ... Proxy at server scope, after it',
      options: 'LogFormat "%h %r %>s" Proxy at server scope, below the VirtualHost, in another case',
      apache: (ctx) => apacheConf(ctx, { title: 'nickname defined later at server scope', serverScope: [...logVhost(ctx, []), 'LogFormat "%h %r %>s" Proxy'] }),
      probes: [logProbe('works', 'nicknames are looked up once the whole config is read, in the server scope too, case-insensitively')],
    },
  ];
}

/**
 * httpd 2.2's access lines (mod_access_compat, enabled by Debian by default) in httpd 2.4, beside
 * `Require` or alone under Debian's `<Directory /> Require all denied`; each measured by hand on the
 * same packages before its setup was written (apache2 2.4.71, a static file and the mod_wsgi app).
 */
function accessCompatSetups(): Setup[] {
  const compat = { access_compat_module: 'mod_access_compat.so' };
  const modWsgi = { front: 'mod_wsgi-daemon' as const, socket: 'none' as const, ports: ['apache'], entryPort: 'apache', uwsgi: [] };
  const appDirectory = (title: string, body: string[]) => (ctx: SetupContext) => apacheConf(ctx, {
    title, extraModules: compat, serverScope: DENY_ALL_DIRECTORY,
    virtualHost: [
      'WSGIDaemonProcess lab processes=1 threads=4',
      `WSGIScriptAlias ${APP_PATH} ${ctx.app('plain.py')} process-group=lab application-group=%{GLOBAL}`,
      `<Directory ${ctx.scratch}/apps>`, ...body.map((l) => `    ${l}`), '</Directory>',
    ],
  });
  return [
    {
      ...modWsgi, id: 'accesscompat-require-beside-allow', title: '`Require all granted` beside `Order allow,deny` + `Allow from all`', apps: ['plain'],
      options: '<Directory APPS> Require all granted, Order allow,deny, Allow from all (kolla\'s freezer-api, devstack\'s ironic); <Directory /> Require all denied',
      apache: appDirectory('Require beside Order/Allow', ['Require all granted', 'Order allow,deny', 'Allow from all']),
      probes: [p('content-length', 'works', [], { note: '200: the old lines change nothing (apache-access-compat-mixed, info)', fixKeepsWorking: ['apache-access-compat-mixed'] })],
    },
    {
      ...modWsgi, id: 'accesscompat-deny-beside-require', title: '`Require all granted` beside `Order deny,allow` + `Deny from all`', apps: ['plain'],
      options: '<Directory APPS> Require all granted, Order deny,allow, Deny from all',
      apache: appDirectory('Require beside Deny from all', ['Require all granted', 'Order deny,allow', 'Deny from all']),
      probes: [p('content-length', 'fails-loudly', ['apache-access-compat-mixed'], { note: '403, AH01797 client denied by server configuration: both must pass (Satisfy All)' })],
    },
    {
      ...modWsgi, id: 'accesscompat-order-without-allow', title: '`Require all granted` beside `Order allow,deny` with no `Allow`', apps: ['plain'],
      options: '<Directory APPS> Require all granted, Order allow,deny',
      apache: appDirectory('Require beside Order allow,deny alone', ['Require all granted', 'Order allow,deny']),
      probes: [p('content-length', 'fails-loudly', ['apache-access-compat-mixed'], { note: '403, AH01797: allow,deny with no Allow refuses every client' })],
    },
    {
      ...modWsgi, id: 'accesscompat-old-grant-only', title: '`Order allow,deny` + `Allow from all` alone under `<Directory /> Require all denied`', apps: ['plain'],
      options: '<Directory APPS> Order allow,deny, Allow from all, no Require; <Directory /> Require all denied (as Debian\'s apache2.conf)',
      apache: appDirectory('old grant only, default-deny', ['Order allow,deny', 'Allow from all']),
      probes: [p('content-length', 'fails-loudly', ['apache-access-compat-mixed'], { note: '403, AH01630: the inherited Require all denied decides, Allow from all grants nothing' })],
    },
    {
      ...modWsgi, id: 'accesscompat-location-old-grant', title: '`<Location /app>` `Order allow,deny` + `Allow from all` under `<Directory /> Require all denied`', apps: ['plain'],
      options: '<Location /app> Order allow,deny, Allow from all, no Require; <Directory /> Require all denied; no <Directory> for the app',
      apache: (ctx) => apacheConf(ctx, {
        title: 'old grant in a Location, default-deny', extraModules: compat, serverScope: DENY_ALL_DIRECTORY,
        virtualHost: [
          'WSGIDaemonProcess lab processes=1 threads=4',
          `WSGIScriptAlias ${APP_PATH} ${ctx.app('plain.py')} process-group=lab application-group=%{GLOBAL}`,
          ...location(APP_PATH, ['Order allow,deny', 'Allow from all']),
        ],
      }),
      probes: [p('content-length', 'fails-loudly', ['wsgi-script-directory-denied'], { note: '403, AH01630: the old grant does not lift the script directory\'s denial' })],
    },
    {
      ...modWsgi, id: 'accesscompat-satisfy-any', title: '`Satisfy Any` + `Order allow,deny` + `Allow from all` under `<Directory /> Require all denied`', apps: ['plain'],
      options: '<Directory APPS> Satisfy Any, Order allow,deny, Allow from all, no Require; <Directory /> Require all denied',
      apache: appDirectory('Satisfy Any with the old grant', ['Satisfy Any', 'Order allow,deny', 'Allow from all']),
      probes: [p('content-length', 'works', [], { note: '200: with Satisfy Any a request the old lines allow skips Require' })],
    },
    {
      ...modWsgi, id: 'accesscompat-location-lifts-deny', title: 'server-scope `<Location />` `Allow from all` over a `<Directory>` `Deny from all` beside `Require all granted`', apps: ['plain'],
      options: 'the setup accesscompat-deny-beside-require plus, at server scope, <Location /> Order allow,deny, Allow from all',
      apache: (ctx) => apacheConf(ctx, {
        title: 'Location / old allow over a Directory old deny', extraModules: compat,
        serverScope: [...DENY_ALL_DIRECTORY, '<Location />', '    Order allow,deny', '    Allow from all', '</Location>'],
        virtualHost: [
          'WSGIDaemonProcess lab processes=1 threads=4',
          `WSGIScriptAlias ${APP_PATH} ${ctx.app('plain.py')} process-group=lab application-group=%{GLOBAL}`,
          `<Directory ${ctx.scratch}/apps>`, '    Require all granted', '    Order deny,allow', '    Deny from all', '</Directory>',
        ],
      }),
      probes: [p('content-length', 'works', [], { note: '200: the <Location /> old lines, merged last, replace the <Directory> ones' })],
    },
    {
      front: 'mod_proxy_http', socket: 'http-socket', ports: ['apache', 'uwsgi'], entryPort: 'apache',
      id: 'accesscompat-server-scope-proxy', title: 'server-scope `<Proxy *>` / `<Location />` with `Order`/`Allow from all` and no `Require`', apps: ['plain'],
      options: 'server scope: <Proxy *> Order deny,allow, Allow from all; <Location /> Order allow,deny, Allow from all (charm-helpers\' openstack_https_frontend); ProxyPass in the VirtualHost',
      apache: (ctx) => apacheConf(ctx, {
        title: 'server-scope Proxy * / Location / with old lines', extraModules: compat,
        serverScope: ['<Proxy *>', '    Order deny,allow', '    Allow from all', '</Proxy>', '<Location />', '    Order allow,deny', '    Allow from all', '</Location>'],
        virtualHost: proxyHttpVhost()(ctx),
      }),
      uwsgi: [singleUwsgi('http-socket, plain app', 'plain', ['http-socket', tcp('uwsgi')], [BIG_BUFFER])],
      probes: [p('content-length', 'works', [], { note: '200, as without the lines; they do not open a <Location> Require all denied either (403 by hand)', fixKeepsWorking: ['apache-access-compat-mixed'] })],
    },
  ];
}

export const SETUPS: Setup[] = [
  ...directSetups(), ...proxyHttpSetups(), ...proxyUwsgiSetups(), ...modWsgiSetups(), ...configMistakeSetups(), ...productionSetups(),
  ...trailingSlashSetups(), ...documentRootSetups(), ...httpdSetups(), ...accessCompatSetups(),
];

export function probeName(probe: Probe): string {
  return probe.name ?? probe.kind;
}

export function scenarioId(setup: Setup, probe: Probe): string {
  return `${setup.id}/${probeName(probe)}`;
}

export function scenarioCount(setups: Setup[] = SETUPS): number {
  return setups.reduce((sum, setup) => sum + setup.probes.length, 0);
}
