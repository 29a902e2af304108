/**
 * What a systemd unit or a supervisor program tells about a uWSGI instance: which ini file it
 * starts (`uwsgi --ini FILE[:section]`, `--ini=FILE`, a bare `FILE.ini`, or `--emperor DIR` for
 * vassals), the options it adds on the command line (`--die-on-term`), and the signal that stops it
 * (systemd `KillSignal=`, default SIGTERM; supervisor `stopsignal=`, default TERM). The model links
 * these to the ini files of the run; rules read the stop signal from here instead of assuming one.
 */
import type { SourceLocation } from '../core/source';
import type { UnitDocument, UnitEntry } from '../parsers/unit';

export interface UwsgiLaunch {
  launcher: 'systemd' | 'supervisor';
  /** The unit or supervisor file. */
  file: string;
  /** `glance-api.service`, `program:glance-api`. */
  name: string;
  /** The ExecStart= / command= entry. */
  command: UnitEntry;
  /** Ini files given to uWSGI, as written (an absolute path on the server, usually). */
  inis: { path: string; section?: string }[];
  /** `--emperor DIR`: every ini in DIR is a vassal. */
  emperor?: string;
  /** `--key value` / `--flag` options of the command line, in order (value null for a flag). */
  options: { key: string; value: string | null }[];
  stopSignal: { signal: string; location?: SourceLocation; isDefault: boolean };
}

/** Every uWSGI start a unit or supervisor file describes (none when it starts something else). */
export function uwsgiLaunches(doc: UnitDocument): UwsgiLaunch[] {
  const launches: UwsgiLaunch[] = [];
  for (const section of doc.sections) {
    const isProgram = doc.dialect === 'supervisor' && /^program:/.test(section.name);
    const isService = doc.dialect === 'systemd' && section.name === 'Service';
    if (!isProgram && !isService) continue;
    const command = section.entries.filter((e) => (isService ? e.key === 'ExecStart' : e.key === 'command')).pop();
    if (!command) continue;
    const argv = splitCommand(command.value.replace(/^[-@+!:]+/, ''));
    const binary = argv.findIndex((a) => /(^|\/)uwsgi(\d[\d.]*)?$/.test(a));
    if (binary < 0) continue;
    const launch: UwsgiLaunch = {
      launcher: isService ? 'systemd' : 'supervisor',
      file: doc.file,
      name: isService ? doc.file.split('/').pop() ?? doc.file : section.name,
      command,
      inis: [],
      options: [],
      stopSignal: stopSignalOf(section.entries, isService),
    };
    const args = argv.slice(binary + 1);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a.startsWith('--')) {
        const eq = a.indexOf('=');
        const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
        let value: string | null = eq > 0 ? a.slice(eq + 1) : null;
        if (value === null && i + 1 < args.length && !args[i + 1].startsWith('-') && !FLAGS.has(key)) value = args[++i];
        launch.options.push({ key, value });
        if (key === 'ini' && value !== null) launch.inis.push(splitIni(value));
        if (key === 'emperor' && value !== null) launch.emperor = value;
      } else if (/\.ini(:[^/]*)?$/.test(a)) {
        // uwsgi reads a config file given without an option by its extension
        launch.inis.push(splitIni(a));
      }
    }
    launches.push(launch);
  }
  return launches;
}

/** Options that take no value, so that `--master /etc/x.ini` reads the path as a file. */
const FLAGS = new Set(['master', 'die-on-term', 'enable-threads', 'vacuum', 'strict', 'need-app', 'lazy-apps', 'thunder-lock', 'single-interpreter', 'no-orphans', 'memory-report', 'auto-procname', 'log-x-forwarded-for']);

function splitIni(arg: string): { path: string; section?: string } {
  const m = /^(.*\.ini):([^/]+)$/.exec(arg);
  return m ? { path: m[1], section: m[2] } : { path: arg };
}

function stopSignalOf(entries: UnitEntry[], systemd: boolean): UwsgiLaunch['stopSignal'] {
  const entry = entries.filter((e) => e.key === (systemd ? 'KillSignal' : 'stopsignal')).pop();
  if (!entry) return { signal: 'SIGTERM', isDefault: true };
  const raw = entry.value.trim().toUpperCase();
  const signal = /^\d+$/.test(raw) ? raw : raw.startsWith('SIG') ? raw : `SIG${raw}`;
  return { signal, location: entry.location, isDefault: false };
}

/** Words of a command line as systemd and supervisor (shlex) split it: blanks, "double" and 'single' quotes. */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '"' || c === "'") {
      const end = command.indexOf(c, i + 1);
      word += command.slice(i + 1, end < 0 ? command.length : end);
      inWord = true;
      i = end < 0 ? command.length : end;
    } else if (c === '\\' && i + 1 < command.length) {
      word += command[++i];
      inWord = true;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
