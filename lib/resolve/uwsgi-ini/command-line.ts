/**
 * How `uwsgi [options] --ini FILE [options]` starts: UWSGI_* environment variables become options
 * first (parse_sys_envs), then the command line in order, the ini file read where `--ini` stands. An
 * if-block left open at the end of the file filters the options that follow it on the command line.
 */
import type { SourceLocation } from '../../core/source';
import { IGNORED_UWSGI_ENV, type EntryMeta, type ExportedOption, type UwsgiResolver } from './state';

/**
 * Entry point: the command line `uwsgi [before...] --ini ARGUMENT [after...]`. Command-line
 * options join the same list as the file's, in order, so an if-block left open at the end of the
 * file filters the options that follow it on the command line too.
 */
export function resolveRoot(s: UwsgiResolver, argument: string, rootText?: string, file = argument): void {
  // what the command line itself causes is reported at the top of the file (not at `file:section`)
  const pseudo = pseudoLocation(s, file);
  // parse_sys_envs: UWSGI_FOO_BAR=x becomes `foo-bar = x`, before the command line
  for (const [name, value] of Object.entries(s.env)) {
    if (!name.startsWith('UWSGI_') || IGNORED_UWSGI_ENV.has(name)) continue;
    const key = name.slice(6).toLowerCase().replace(/_/g, '-');
    addCommandLineOption(s, key, value, { file: `$${name}`, range: pseudo.range });
  }
  const before = s.options.commandLine?.before ?? [{ key: 'show-config', value: null }];
  for (const o of before) addCommandLineOption(s, o.key, o.value, pseudo);
  addCommandLineOption(s, 'ini', argument, pseudo, rootText);
  for (const o of s.options.commandLine?.after ?? []) addCommandLineOption(s, o.key, o.value, pseudo);
  if (s.logic.opt && s.logic.head) {
    s.report('logic-unterminated', 'warning',
      `this ${s.logic.opt} block is never closed: it also filters every option given after the file on the command line; add "end${s.logic.opt.startsWith('for') ? 'for' : 'if'} ="`,
      s.logic.head);
  }
}
function addCommandLineOption(s: UwsgiResolver, key: string, value: string | null, at: SourceLocation, rootText?: string): void {
  if (key === 'ini' && rootText !== undefined) {
    s.pushOption(syntheticOption(s, key, value, at));
    s.loadIni(value ?? '', [], false, at, rootText, true);
    return;
  }
  const meta: EntryMeta = {
    keyLocation: at, valueLocation: at, entryLocation: at, rawValue: value ?? '', bare: value === null,
    includedFrom: [], file: at.file, section: 'uwsgi', inherited: false, commandLine: true,
  };
  s.addExportedOption(key, value, value === null ? [] : [{ text: value, via: 'argument' }], meta, false);
}
function pseudoLocation(s: UwsgiResolver, file: string): SourceLocation {
  return { file, range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } };
}
function syntheticOption(s: UwsgiResolver, key: string, value: string | null, at: SourceLocation): ExportedOption {
  return {
    key, value, configured: true, segments: value === null ? [] : [{ text: value, via: 'argument' }], synthetic: true,
    inherited: false, immediate: true, role: key === 'ini' ? 'include' : 'option', known: true, rawValue: value ?? '',
    bare: value === null, keyLocation: at, valueLocation: at, entryLocation: at, includedFrom: [], file: at.file, section: 'uwsgi',
  };
}