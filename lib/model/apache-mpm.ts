/**
 * The process sizing an httpd MPM ends up with: the ServerLimit, ThreadLimit, ThreadsPerChild,
 * MaxRequestWorkers and StartServers lines of one MPM, and what httpd does with them at start-up,
 * in the order its check_config and run hooks do it (facts: lib/knowledge/apache-mpm.ts).
 *
 * Which MPM a line is for: in a whole server tree, the loaded MPM (the conditionals are decided);
 * in a file given without its server root, the `<IfModule mpm_X_module>` around the line. A line
 * outside any such section in a fragment is for an MPM the files do not name: left out.
 */
import { MPM_SIZING, mpmNamedBy, type ApacheMpm, type MpmSizingDefaults } from '../knowledge/apache-mpm';
import type { ApacheServer, ResolvedDirective } from './types';

export type MpmSettingName = 'serverLimit' | 'threadLimit' | 'threadsPerChild' | 'maxRequestWorkers' | 'startServers';

const SETTING_OF: Record<string, MpmSettingName> = {
  serverlimit: 'serverLimit',
  threadlimit: 'threadLimit',
  threadsperchild: 'threadsPerChild',
  maxrequestworkers: 'maxRequestWorkers',
  maxclients: 'maxRequestWorkers',
  startservers: 'startServers',
};

/** Directive names as the manual spells them, for messages. */
export const MPM_SETTING_NAMES: Record<MpmSettingName, string> = {
  serverLimit: 'ServerLimit',
  threadLimit: 'ThreadLimit',
  threadsPerChild: 'ThreadsPerChild',
  maxRequestWorkers: 'MaxRequestWorkers',
  startServers: 'StartServers',
};

export interface MpmSetting {
  /** As httpd reads it (atoi); undefined when a template decides it. */
  value: number | undefined;
  /** The last line of this setting for this MPM (a later line overrides an earlier one). */
  directive: ResolvedDirective;
}

/** What httpd does to a setting at start-up. */
export interface MpmAdjustment {
  kind:
    | 'out-of-range' | 'threads-above-thread-limit' | 'workers-below-threads' | 'workers-not-multiple'
    | 'workers-above-server-limit' | 'start-servers-above-processes' | 'server-limit-unused' | 'thread-limit-unused';
  /** The setting reported: the line to change. */
  setting: MpmSettingName;
  directive: ResolvedDirective;
  /** The value as httpd read it. */
  written: number;
  /** The value httpd runs with (for the `-unused` kinds: what is ever used). */
  becomes: number;
  /**
   * The warnings httpd logs, or null when it says nothing: `AH00515/AH00516`, the first on the console
   * (stderr) when the config is first read, the second in the ErrorLog when it is read again to run.
   */
  logged: string | null;
  /** The other settings that decide it, with their values and whether each is httpd's default. */
  inputs: Array<{ setting: MpmSettingName; value: number; directive?: ResolvedDirective }>;
}

export interface MpmSizing {
  mpm: ApacheMpm;
  facts: MpmSizingDefaults;
  /** How the MPM is known: the module the whole tree loads, or `<IfModule>` around the lines of a fragment. */
  from: 'loaded' | 'ifmodule';
  settings: Partial<Record<MpmSettingName, MpmSetting>>;
  /** False when a template decides a setting the computation needs: nothing is judged. */
  known: boolean;
  adjustments: MpmAdjustment[];
}

/** httpd reads these numbers with atoi(): leading blanks, a sign, digits; anything else is 0. */
function atoi(text: string): number {
  const m = /^\s*([-+]?\d+)/.exec(text);
  return m ? Number.parseInt(m[1], 10) : 0;
}

const ALL_MPMS = Object.keys(MPM_SIZING) as ApacheMpm[];

/**
 * The MPMs a fragment's line may be for, from the `<IfModule>` conditions around it: `mpm_X_module`
 * keeps X only, `!mpm_X_module` drops X. `named`: a condition names the one MPM the line is for
 * (a negation alone leaves two candidates, and the line is then judged only beside a named one).
 */
function mpmsOfConditions(conditions: string[]): { mpms: ApacheMpm[]; named: boolean } {
  let mpms = ALL_MPMS;
  let named = false;
  for (const condition of conditions) {
    const m = /^<IfModule\s+(!?)\s*([^\s>]+)\s*>$/i.exec(condition);
    const mpm = m ? mpmNamedBy(m[2]) : undefined;
    if (!m || !mpm) continue;
    if (m[1]) mpms = mpms.filter((x) => x !== mpm);
    else if (mpm === 'other') mpms = [];
    else {
      named = true;
      mpms = mpms.filter((x) => x === mpm);
    }
  }
  return { mpms, named };
}

function loadedMpm(loaded: Set<string>): ApacheMpm | undefined {
  return (Object.keys(MPM_SIZING) as ApacheMpm[]).find((mpm) => loaded.has(MPM_SIZING[mpm].moduleId));
}

/** The sizing lines of each MPM the server's files are for, and what httpd makes of them. */
export function mpmSizings(server: ApacheServer): MpmSizing[] {
  const loaded = server.loadedModules === null ? undefined : loadedMpm(server.loadedModules);
  if (server.loadedModules !== null && !loaded) return [];
  // Fragments given together are pieces of one server in the model, but each file's MPM block is its
  // own (openstack-helm writes one per chart): a fragment's lines are judged file by file. A line no
  // `<IfModule>` ties to an MPM counts for every MPM of its file, and an MPM is judged only where a
  // line of the file names it.
  const lines: Array<{ setting: MpmSettingName; directive: ResolvedDirective; mpms: ApacheMpm[]; named: boolean }> = [];
  for (const { directive, scope } of server.directives) {
    const setting = SETTING_OF[directive.lname];
    if (!setting || scope.kind !== 'server' || directive.args.length === 0) continue;
    const { mpms, named } = loaded ? { mpms: [loaded], named: true } : mpmsOfConditions(directive.assumedConditions);
    lines.push({ setting, directive, mpms, named });
  }
  const groups = new Map<string, { mpm: ApacheMpm; file: string }>();
  for (const line of lines) {
    if (!line.named) continue;
    for (const mpm of line.mpms) {
      const file = loaded ? '' : line.directive.location.file;
      groups.set(`${mpm}\0${file}`, { mpm, file });
    }
  }
  return [...groups.values()].map(({ mpm, file }) => {
    const settings: Partial<Record<MpmSettingName, MpmSetting>> = {};
    for (const line of lines) {
      if (!line.mpms.includes(mpm) || (!loaded && line.directive.location.file !== file)) continue;
      const arg = line.directive.args[0];
      settings[line.setting] = { value: arg.templated ? undefined : atoi(arg.value), directive: line.directive };
    }
    return sizing(mpm, settings, loaded ? 'loaded' : 'ifmodule');
  });
}

function sizing(mpm: ApacheMpm, settings: Partial<Record<MpmSettingName, MpmSetting>>, from: MpmSizing['from']): MpmSizing {
  const facts = MPM_SIZING[mpm];
  const known = Object.values(settings).every((s) => s?.value !== undefined);
  const result: MpmSizing = { mpm, facts, from, settings, known, adjustments: [] };
  if (known) result.adjustments = facts.threaded ? threadedAdjustments(facts, settings) : preforkAdjustments(facts, settings);
  return result;
}

type Settings = Partial<Record<MpmSettingName, MpmSetting>>;

function valueOf(settings: Settings, name: MpmSettingName, fallback: number): number {
  return settings[name]?.value ?? fallback;
}

function input(settings: Settings, setting: MpmSettingName, value: number): MpmAdjustment['inputs'][number] {
  return { setting, value, directive: settings[setting]?.directive };
}

/** The first of `names` written in the files: the line a change belongs on. */
function firstWritten(settings: Settings, names: MpmSettingName[]): MpmSettingName | undefined {
  return names.find((name) => settings[name] !== undefined);
}

function threadedAdjustments(facts: MpmSizingDefaults, settings: Settings): MpmAdjustment[] {
  const out: MpmAdjustment[] = [];
  const push = (names: MpmSettingName[], kind: MpmAdjustment['kind'], becomes: number, logged: string | null, inputs: MpmAdjustment['inputs'], written?: number) => {
    const setting = firstWritten(settings, names);
    if (!setting) return;
    const directive = settings[setting]!.directive;
    out.push({ kind, setting, directive, written: written ?? settings[setting]!.value!, becomes, logged, inputs: inputs.filter((i) => i.setting !== setting) });
  };
  const isEvent = facts.moduleId === MPM_SIZING.event.moduleId;
  let serverLimit = valueOf(settings, 'serverLimit', facts.serverLimit);
  if (serverLimit > facts.maxServerLimit || serverLimit < 1) {
    const to = serverLimit < 1 ? 1 : facts.maxServerLimit;
    push(['serverLimit'], 'out-of-range', to, serverLimit < 1 ? (isEvent ? 'AH00499/AH00500' : 'AH00302/AH00303') : (isEvent ? 'AH00497/AH00498' : 'AH00300/AH00301'), []);
    serverLimit = to;
  }
  let threadLimit = valueOf(settings, 'threadLimit', facts.threadLimit);
  if (threadLimit > facts.maxThreadLimit || threadLimit < 1) {
    const to = threadLimit < 1 ? 1 : facts.maxThreadLimit;
    push(['threadLimit'], 'out-of-range', to, threadLimit < 1 ? (isEvent ? 'AH00504/AH00505' : 'AH00307/AH00308') : (isEvent ? 'AH00502/AH00503' : 'AH00305/AH00306'), []);
    threadLimit = to;
  }
  let threads = valueOf(settings, 'threadsPerChild', facts.threadsPerChild);
  if (threads > threadLimit) {
    push(['threadsPerChild', 'threadLimit'], 'threads-above-thread-limit', threadLimit, isEvent ? 'AH00507/AH00508' : 'AH00310/AH00311',
      [input(settings, 'threadsPerChild', threads), input(settings, 'threadLimit', threadLimit)]);
    threads = threadLimit;
  } else if (threads < 1) {
    push(['threadsPerChild'], 'out-of-range', 1, isEvent ? 'AH00509/AH00510' : 'AH00312/AH00313', []);
    threads = 1;
  }
  let workers = valueOf(settings, 'maxRequestWorkers', facts.maxRequestWorkers);
  if (workers < threads) {
    push(['maxRequestWorkers', 'threadsPerChild'], 'workers-below-threads', threads, isEvent ? 'AH00511/AH00512' : 'AH00314/AH00315',
      [input(settings, 'maxRequestWorkers', workers), input(settings, 'threadsPerChild', threads)]);
    workers = threads;
  }
  let processes = Math.floor(workers / threads);
  if (workers % threads) {
    push(['maxRequestWorkers', 'threadsPerChild'], 'workers-not-multiple', processes * threads, isEvent ? 'AH00513/AH00514' : 'AH00316/AH00317',
      [input(settings, 'maxRequestWorkers', workers), input(settings, 'threadsPerChild', threads)]);
    workers = processes * threads;
  }
  if (processes > serverLimit) {
    push(['maxRequestWorkers', 'serverLimit', 'threadsPerChild'], 'workers-above-server-limit', serverLimit * threads, isEvent ? 'AH00515/AH00516' : 'AH00318/AH00319',
      [input(settings, 'maxRequestWorkers', workers), input(settings, 'threadsPerChild', threads), input(settings, 'serverLimit', serverLimit)]);
    processes = serverLimit;
    workers = serverLimit * threads;
  }
  sharedChecks(facts, settings, push, processes, serverLimit, workers, threads, isEvent ? 'AH00517/AH00518' : 'AH00320/AH00321');
  // ThreadLimit reserves that many slots per process; only ThreadsPerChild are ever used.
  if (settings.threadLimit && threadLimit > Math.max(threads, facts.threadLimit)) {
    push(['threadLimit'], 'thread-limit-unused', threads, null, [input(settings, 'threadsPerChild', threads)]);
  }
  return out;
}

type Push = (names: MpmSettingName[], kind: MpmAdjustment['kind'], becomes: number, logged: string | null, inputs: MpmAdjustment['inputs'], written?: number) => void;

/** StartServers and an unused ServerLimit: the same in every MPM. */
function sharedChecks(
  facts: MpmSizingDefaults, settings: Settings, push: Push, processes: number, serverLimit: number, workers: number, threads: number, startLow: string,
): void {
  const workerInputs = [input(settings, 'maxRequestWorkers', workers), ...(facts.threaded ? [input(settings, 'threadsPerChild', threads)] : [])];
  const start = valueOf(settings, 'startServers', facts.startServers);
  if (start < 1) push(['startServers'], 'out-of-range', 1, startLow, []);
  else if (start > processes) push(['startServers'], 'start-servers-above-processes', processes, null, workerInputs);
  // The scoreboard holds ServerLimit processes' slots; MaxRequestWorkers never lets more than `processes` run.
  if (settings.serverLimit && serverLimit > Math.max(processes, facts.serverLimit)) {
    push(['serverLimit'], 'server-limit-unused', processes, null, workerInputs);
  }
}

function preforkAdjustments(facts: MpmSizingDefaults, settings: Settings): MpmAdjustment[] {
  const out: MpmAdjustment[] = [];
  const push: Push = (names, kind, becomes, logged, inputs, written) => {
    const setting = firstWritten(settings, names);
    if (!setting) return;
    out.push({ kind, setting, directive: settings[setting]!.directive, written: written ?? settings[setting]!.value!, becomes, logged, inputs: inputs.filter((i) => i.setting !== setting) });
  };
  let serverLimit = valueOf(settings, 'serverLimit', facts.serverLimit);
  if (serverLimit > facts.maxServerLimit || serverLimit < 1) {
    const to = serverLimit < 1 ? 1 : facts.maxServerLimit;
    push(['serverLimit'], 'out-of-range', to, serverLimit < 1 ? 'AH00177/AH00178' : 'AH00175/AH00176', []);
    serverLimit = to;
  }
  let workers = valueOf(settings, 'maxRequestWorkers', facts.maxRequestWorkers);
  if (workers > serverLimit) {
    push(['maxRequestWorkers', 'serverLimit'], 'workers-above-server-limit', serverLimit, 'AH00180/AH00181',
      [input(settings, 'maxRequestWorkers', workers), input(settings, 'serverLimit', serverLimit)]);
    workers = serverLimit;
  } else if (workers < 1) {
    push(['maxRequestWorkers'], 'out-of-range', 1, 'AH00182/AH00183', []);
    workers = 1;
  }
  sharedChecks(facts, settings, push, workers, serverLimit, workers, 1, 'AH00184/AH00185');
  return out;
}
