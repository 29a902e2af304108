/**
 * The directives httpd carries out while it reads (ap_build_config's read-time commands, core.c):
 * Include/IncludeOptional, Define/UnDefine, LoadModule/LoadFile, ServerRoot, DefaultRuntimeDir.
 * They leave no node in the tree; their effects are on the reader's state.
 */
import { DEBIAN_BUILTIN_MODULES } from '../../knowledge/apache-directives';
import { relocated, type SourceLocation } from '../../core/source';
import { include } from './includes';
import type { ApacheReadState } from './state';
import type { ApacheArgument, ResolvedNode } from './types';

const INCLUDE_HELP = 'Name(s) of the config file(s) to be included; fails if the wildcard does not match at least one file';
const INCLUDE_OPTIONAL_HELP = 'Name or pattern of the config file(s) to be included; ignored if the file does not exist or the pattern does not match any files';

/** Carry out a read-time directive; false when `lcmd` is not one. */
export function readTimeDirective(
  s: ApacheReadState, lcmd: string, args: ApacheArgument[], lastLine: number, lineLoc: SourceLocation, chain: SourceLocation[], emit: (n: ResolvedNode) => void,
): boolean {
  switch (lcmd) {
    case 'include':
    case 'includeoptional': {
      const optional = lcmd === 'includeoptional';
      if (args.length !== 1) {
        s.fail('read', 'syntax-error', `${optional ? 'IncludeOptional' : 'Include'} takes one argument, ${optional ? INCLUDE_OPTIONAL_HELP : INCLUDE_HELP}`, lineLoc);
        return true;
      }
      // a location object of its own: an Include is reported once (outsideReported keys on it)
      const includeLoc = relocated(lineLoc, lineLoc.file);
      for (const n of include(s, args[0].value, optional, lastLine, includeLoc, chain)) emit(n);
      return true;
    }
    case 'define': {
      if (args.length < 1 || args.length > 2) {
        s.fail('read', 'syntax-error', 'Define takes 1-2 arguments, Define a variable, optionally to a value.  Same as passing -D to the command line.', lineLoc);
        return true;
      }
      if (args[0].value.includes(':')) {
        s.fail('read', 'syntax-error', "Variable name must not contain ':'", lineLoc);
        return true;
      }
      s.defines.set(args[0].value, args.length === 2 ? args[1].value : null);
      return true;
    }
    case 'undefine': {
      if (args.length !== 1) {
        s.fail('read', 'syntax-error', 'UnDefine takes one argument, Undefine the existence of a variable. Undo a Define.', lineLoc);
        return true;
      }
      if (args[0].value.includes(':')) {
        s.fail('read', 'syntax-error', "Variable name must not contain ':'", lineLoc);
        return true;
      }
      s.defines.delete(args[0].value);
      return true;
    }
    case 'loadmodule': {
      if (args.length !== 2) {
        s.fail('read', 'syntax-error', 'LoadModule takes two arguments, a module name and the name of a shared object file to load it from', lineLoc);
        return true;
      }
      const id = args[0].value;
      if (DEBIAN_BUILTIN_MODULES.includes(id)) {
        s.fail('read', 'syntax-error', `module ${id} is built-in and can't be loaded`, lineLoc);
        return true;
      }
      if (s.loadedIds.has(id)) {
        s.warn('apache-module-already-loaded', `module ${id} is already loaded, skipping`, lineLoc);
        return true;
      }
      const so = s.fullPath(args[1].value);
      if (s.options.checkHostFiles !== false && s.probe(so) === 'none') {
        s.fail('read', 'syntax-error', `Cannot load ${so} into server: ${so}: cannot open shared object file: No such file or directory`, lineLoc);
        return true;
      }
      s.loadedIds.add(id);
      s.loadModuleLines.push({ id, location: lineLoc, args });
      s.refreshLoadedNames();
      return true;
    }
    case 'loadfile': {
      if (args.length < 1) {
        s.fail('read', 'syntax-error', 'LoadFile requires at least one argument, shared object file or library to load into the server at runtime', lineLoc);
        return true;
      }
      for (const a of args) {
        const so = s.fullPath(a.value);
        if (s.options.checkHostFiles !== false && s.probe(so) === 'none') {
          s.fail('read', 'syntax-error', `Cannot load ${so} into server: ${so}: cannot open shared object file: No such file or directory`, lineLoc);
          break;
        }
      }
      return true;
    }
    case 'serverroot': {
      if (args.length !== 1) {
        s.fail('read', 'syntax-error', 'ServerRoot takes one argument, Common directory of server-related files (logs, confs, etc.)', lineLoc);
        return true;
      }
      const dir = s.fullPath(args[0].value);
      // outside the roots deploylint cannot tell (and does not look): the ServerRoot is taken as
      // written, and what is included from it is reported as outside the given paths
      const kind = s.probe(dir);
      if (kind !== 'dir' && kind !== 'outside') {
        s.fail('read', 'syntax-error', 'ServerRoot must be a valid directory', lineLoc);
        return true;
      }
      s.serverRoot = dir;
      return true;
    }
    case 'defaultruntimedir': {
      if (args.length === 1 && s.options.checkHostFiles !== false && !['dir', 'outside'].includes(s.probe(s.fullPath(args[0].value)))) {
        s.fail('read', 'syntax-error', 'DefaultRuntimeDir must be a valid directory, absolute or relative to ServerRoot', lineLoc);
      }
      return true;
    }
  }
  return false;
}
