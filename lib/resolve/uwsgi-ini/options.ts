/**
 * add_exported_option (core/uwsgi.c): every key read joins the option list; inside an if/for block
 * it goes through the block's logic first (logic.ts); an immediate option (UWSGI_OPT_IMMEDIATE) is
 * applied on the spot: includes, logic block heads, set-placeholder, plugins, strict, options that
 * exit.
 */
import type { SourceLocation } from '../../core/source';
import { getUwsgiOption, sourcePluginOf, type UwsgiOptionInfo } from '../../knowledge/uwsgi-options';
import { isUwsgiFalse } from '../../knowledge/uwsgi-values';
import { loadByExtension } from './includes';
import { runLogic } from './logic';
import { spliceSegments } from './segments';
import { INCLUDE_SETTERS, LOGIC_TERMINATORS, type EntryMeta, type ExportedOption, type UwsgiResolver } from './state';
import type { ValueSegment } from './types';

/** add_exported_option_do, including the logic-block state machine and immediate options. */
export function addExportedOption(s: UwsgiResolver, key: string, value: string | null, segments: ValueSegment[], meta: EntryMeta, placeholderOnly: boolean): void {
  const logic = s.logic;
  if (!logic.running) {
    if (LOGIC_TERMINATORS.has(key)) {
      logic.opt = null;
      logic.arg = null;
      logic.ifFailed = false;
    }
    if (logic.opt) {
      logic.running = true;
      try {
        runLogic(s, key, value, segments, meta);
      } finally {
        logic.running = false;
      }
      return;
    }
  }
  const info = s.optionInfo(key);
  const entry: ExportedOption = {
    key, value, configured: false, segments, synthetic: meta.commandLine === true, inherited: meta.inherited,
    immediate: false, role: 'option', known: info !== undefined, rawValue: meta.rawValue, bare: meta.bare,
    keyLocation: meta.keyLocation, valueLocation: meta.valueLocation, entryLocation: meta.entryLocation,
    includedFrom: meta.includedFrom, file: meta.file, section: meta.section,
    ...(meta.keyTemplated ? { keyTemplated: true } : {}), ...(meta.valueTemplated ? { valueTemplated: true } : {}),
    ...(meta.inBlock ? { inBlock: meta.inBlock } : {}),
  };
  if (!s.pushOption(entry)) return;
  if (placeholderOnly) {
    entry.role = 'placeholder';
    entry.configured = true;
    if (getUwsgiOption(key, s.version)) {
      s.report('placeholder-shadows-option', 'error', `"${key}" is an option name and cannot be a placeholder: uWSGI exits`, meta.keyLocation);
      s.setFatal(`you cannot use ${key} as a placeholder`, meta.keyLocation);
    }
    return;
  }
  if (!info) {
    if (s.strict && !meta.keyTemplated) {
      s.strictUnknown(key, meta.keyLocation);
    }
    return;
  }
  if (info.setter === 'uwsgi_opt_logic') entry.role = 'logic';
  if (LOGIC_TERMINATORS.has(key)) entry.role = 'logic';
  if (INCLUDE_SETTERS.has(info.setter)) entry.role = 'include';
  if (info.setter === 'uwsgi_opt_set_placeholder') entry.role = 'placeholder';
  if (info.immediate) {
    entry.configured = true;
    entry.immediate = true;
    runImmediate(s, info, entry, meta);
  }
}
function runImmediate(s: UwsgiResolver, info: UwsgiOptionInfo, entry: ExportedOption, meta: EntryMeta): void {
  const value = entry.value ?? '';
  const chain = meta.commandLine ? [] : [...meta.includedFrom, meta.entryLocation];
  switch (info.setter) {
    case 'uwsgi_opt_load_ini':
      s.loadIni(value, chain, meta.inherited, meta.valueLocation, undefined, meta.commandLine === true);
      return;
    case 'uwsgi_opt_load':
      loadByExtension(s, value, chain, meta.inherited, meta.valueLocation);
      return;
    case 'uwsgi_opt_load_yml': case 'uwsgi_opt_load_json': case 'uwsgi_opt_load_xml': case 'uwsgi_opt_load_config':
    case 'uwsgi_opt_load_sqlite3': case 'uwsgi_opt_load_ldap':
      s.report('include-unsupported', 'warning', `deploylint reads only ini files; the options in ${value} are not checked`, meta.valueLocation);
      return;
    case 'uwsgi_opt_logic':
      if (s.logic.opt) {
        s.report('logic-nested', 'error', `"${entry.key}" inside another if/for block: uWSGI does not support nesting and exits`, meta.keyLocation);
        s.setFatal(`recursive logic in options is not supported (option = ${entry.key})`, meta.keyLocation);
        return;
      }
      s.logic.opt = entry.key;
      s.logic.arg = value;
      s.logic.head = meta.entryLocation;
      return;
    case 'uwsgi_opt_set_placeholder': {
      const eq = value.indexOf('=');
      if (eq < 0) {
        s.report('syntax-error', 'error', `${entry.key} needs name=value: uWSGI exits`, meta.valueLocation);
        s.setFatal(`invalid placeholder syntax: ${value}`, meta.valueLocation);
        return;
      }
      const name = value.slice(0, eq);
      const v = value.slice(eq + 1);
      const segs = spliceSegments(entry.segments, 0, eq + 1, [], s.lineIndexOf);
      s.addExportedOption(name, v, segs, { ...meta, bare: false }, true);
      return;
    }
    case 'uwsgi_opt_load_plugin':
      loadPlugins(s, entry.key, value, meta);
      return;
    case 'uwsgi_opt_exit':
      s.report('uwsgi-exit', 'warning', `"${entry.key}" makes uWSGI exit while it reads the config`, meta.keyLocation);
      s.setFatal(`${entry.key} = ${value}`, meta.keyLocation);
      return;
    default:
      if (entry.key === 'strict') s.strict = !isUwsgiFalse(value);
  }
}
function loadPlugins(s: UwsgiResolver, key: string, value: string, meta: EntryMeta): void {
  for (const raw of value.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    let file = name;
    const colon = file.indexOf(':');
    if (colon >= 0) file = file.slice(colon + 1);
    const bar = file.indexOf('|');
    if (bar >= 0) file = file.slice(0, bar);
    file = file.replace(/_plugin\.so$/, '');
    if (s.available && !s.available.has(file) && !file.includes('/')) {
      if (key.startsWith('need-')) {
        s.report('plugin-not-found', 'error', `plugin "${file}" is not installed: uWSGI exits`, meta.valueLocation);
        s.setFatal(`unable to load plugin "${file}"`, meta.valueLocation);
      } else {
        s.report('plugin-not-found', 'warning', `plugin "${file}" is not installed: uWSGI logs "UNABLE to load uWSGI plugin" and goes on without it`, meta.valueLocation);
      }
      continue;
    }
    s.loadedPlugins.add(sourcePluginOf(file));
  }
}