/**
 * httpd 2.4's process sizing, per MPM, as the MPMs' own source sets and checks it
 * (server/mpm/{event,worker}/{event,worker}.c, server/mpm/prefork/prefork.c and their mpm_default.h,
 * tag 2.4.62; the same on Debian's 2.4.71, measured in the lab).
 *
 * The defaults are set in each MPM's pre_config hook, before a directive is read: MaxRequestWorkers'
 * default is DEFAULT_SERVER_LIMIT × DEFAULT_THREADS_PER_CHILD (event and worker: 16 × 25 = 400;
 * prefork: 256), whatever ServerLimit and ThreadsPerChild the config sets. The check_config hook
 * then adjusts what does not fit, in this order, each with a `WARNING:` line at start-up:
 * ServerLimit and ThreadLimit to [1, compile-time maximum] (AH00497-AH00505, prefork AH00175-AH00178),
 * ThreadsPerChild down to ThreadLimit (AH00507) or up to 1 (AH00509), MaxRequestWorkers up to
 * ThreadsPerChild (AH00511), down to a multiple of ThreadsPerChild (AH00513), down to ServerLimit ×
 * ThreadsPerChild (AH00515; prefork: down to ServerLimit, AH00180), StartServers and
 * MinSpareThreads/MinSpareServers up to 1 (AH00517, AH00519). httpd reads its config twice at
 * start-up: the first pass logs these numbers on the console (stderr, before the ErrorLog opens), the
 * second the next number each (AH00508, AH00514, AH00516...) in the ErrorLog. StartServers above the number of
 * processes MaxRequestWorkers allows is cut in the run hook, silently. A ServerLimit or ThreadLimit
 * larger than MaxRequestWorkers needs is not checked at all: the scoreboard (shared memory) holds
 * ServerLimit × ThreadLimit worker slots from start-up on.
 */

import { moduleIdOf, moduleSourceName } from './apache-directives';

export type ApacheMpm = 'event' | 'worker' | 'prefork';

/** httpd's other MPMs (Windows, NetWare, OS/2): named by `<IfModule>` in portable samples, never run here. */
const OTHER_MPMS = ['mpm_winnt', 'mpm_netware', 'mpmt_os2'];

export interface MpmSizingDefaults {
  /** Module identifier, as LoadModule and `<IfModule>` name it (lib/knowledge/apache-directives.ts). */
  moduleId: string;
  threaded: boolean;
  serverLimit: number;
  maxServerLimit: number;
  /** Threaded MPMs only. */
  threadLimit: number;
  maxThreadLimit: number;
  threadsPerChild: number;
  /** Set in pre_config from the defaults above, not from the config's ServerLimit/ThreadsPerChild. */
  maxRequestWorkers: number;
  startServers: number;
}

export const MPM_SIZING: Record<ApacheMpm, MpmSizingDefaults> = {
  // event.c:114-140, mpm_default.h (START_DAEMON 3, THREADS_PER_CHILD 25), event_pre_config
  event: {
    moduleId: moduleIdOf('event'), threaded: true, serverLimit: 16, maxServerLimit: 20000,
    threadLimit: 64, maxThreadLimit: 100000, threadsPerChild: 25, maxRequestWorkers: 16 * 25, startServers: 3,
  },
  // worker.c:87-112, mpm_default.h, worker_pre_config
  worker: {
    moduleId: moduleIdOf('worker'), threaded: true, serverLimit: 16, maxServerLimit: 20000,
    threadLimit: 64, maxThreadLimit: 20000, threadsPerChild: 25, maxRequestWorkers: 16 * 25, startServers: 3,
  },
  // prefork.c:75-82 (one thread per process: MaxRequestWorkers counts processes), mpm_default.h (START_DAEMON 5)
  prefork: {
    moduleId: moduleIdOf('prefork'), threaded: false, serverLimit: 256, maxServerLimit: 200000,
    threadLimit: 1, maxThreadLimit: 1, threadsPerChild: 1, maxRequestWorkers: 256, startServers: 5,
  },
};

/** The sizing directives (lower-cased), with MaxClients, MaxRequestWorkers' old name. */
export const MPM_SIZING_DIRECTIVES = ['serverlimit', 'threadlimit', 'threadsperchild', 'maxrequestworkers', 'maxclients', 'startservers'] as const;

/**
 * The MPM an `<IfModule>` argument names (`mpm_event_module`, `event.c`), `other` for httpd's MPMs
 * of other platforms (`mpm_winnt_module`...), undefined for a module that is no MPM.
 */
export function mpmNamedBy(ifModuleArg: string): ApacheMpm | 'other' | undefined {
  const word = ifModuleArg.trim().toLowerCase();
  for (const [mpm, facts] of Object.entries(MPM_SIZING) as Array<[ApacheMpm, MpmSizingDefaults]>) {
    if (word === facts.moduleId || word === moduleSourceName(facts.moduleId)) return mpm;
  }
  for (const other of OTHER_MPMS) {
    const id = moduleIdOf(other);
    if (word === id || word === moduleSourceName(id)) return 'other';
  }
  return undefined;
}
