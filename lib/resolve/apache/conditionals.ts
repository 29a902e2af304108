/**
 * The config-time conditionals httpd decides while reading (core.c start_ifmod, start_ifdefine,
 * mod_version, start_iffile, start_ifdirective): true, false (the body is soaked up unread, checking
 * only section nesting, as ap_soak_end_container does), or `assume` when a snippet given alone does
 * not say (the body is kept and the condition recorded on its nodes).
 */
import type { SourceLocation } from '../../core/source';
import { getApacheDirectives, isManualModuleLoaded } from '../../knowledge/apache-directives';
import { matchSafeRegex } from '../../core/safe-regex';
import { compareVersions } from '../../knowledge/targets';
import { isHttpdSpace, splitWords, type LogicalLine } from '../../parsers/apache/lexer';
import type { ApacheReadState, Cursor } from './state';

/** Sections decided while reading; they leave no node in the tree. */
export const CONDITIONAL_SECTIONS = new Set(['<ifmodule', '<ifdefine', '<iffile', '<ifdirective', '<ifsection', '<ifversion']);
export const CONDITIONAL_CANONICAL: Record<string, string> = {
  '<ifmodule': '<IfModule',
  '<ifdefine': '<IfDefine',
  '<iffile': '<IfFile',
  '<ifdirective': '<IfDirective',
  '<ifsection': '<IfSection',
  '<ifversion': '<IfVersion',
};

export function soak(s: ApacheReadState, cur: Cursor, directive: string, openLoc: SourceLocation, quiet: boolean): void {
  const err = soakInner(cur, directive);
  if (err && !quiet) s.fail('read', 'syntax-error', err, openLoc);
}

function soakInner(cur: Cursor, directive: string): string | null {
  // iterative: a skipped body may nest sections thousands deep
  const open: string[] = [directive];
  while (cur.i < cur.lines.length) {
    const line = cur.lines[cur.i++];
    const t = line.text;
    if (t.charCodeAt(0) !== 60 /* < */) continue;
    const first = splitWords(t)[0];
    if (!first) continue;
    let name = first.value;
    const expected = open[open.length - 1];
    if (t.charCodeAt(1) === 47 /* / */) {
      name = name.slice(0, -1);
      if (name.slice(2).toLowerCase() !== expected.slice(1).toLowerCase()) {
        return `Expected </${expected.slice(1)}> but saw ${name}>`;
      }
      open.pop();
      if (!open.length) return null;
      continue;
    }
    open.push(name.endsWith('>') ? name.slice(0, -1) : name);
  }
  return `Expected </${open[open.length - 1].slice(1)}> before end of configuration`;
}

export function decide(s: ApacheReadState, lcmd: string, rawArg: string, cur: Cursor, line: LogicalLine, loc: SourceLocation): boolean | 'assume' {
  let arg = rawArg;
  let negate = false;
  // leading whitespace after the command was already skipped; '!' may be followed by blanks
  let p = 0;
  while (p < arg.length && isHttpdSpace(arg.charCodeAt(p))) p++;
  arg = arg.slice(p);
  if (lcmd !== '<ifversion' && arg.startsWith('!')) {
    negate = true;
    arg = arg.slice(1);
    let q = 0;
    while (q < arg.length && isHttpdSpace(arg.charCodeAt(q))) q++;
    arg = arg.slice(q);
  }
  const word = splitWords(arg)[0]?.value ?? '';
  let result: boolean | 'assume';
  switch (lcmd) {
    case '<ifmodule':
      if (s.loadedNames.has(word)) result = true;
      else if (s.loadedKnown) result = false;
      else result = 'assume';
      break;
    case '<ifdefine':
      result = s.defines.has(word);
      break;
    case '<iffile': {
      if (!s.wholeTree) result = 'assume';
      else {
        // a path outside the given paths is not looked at: the condition is assumed, as in a snippet
        const kind = s.probe(s.fullPath(word));
        result = kind === 'outside' ? 'assume' : kind !== 'none';
      }
      break;
    }
    case '<ifdirective':
    case '<ifsection': {
      const infos = getApacheDirectives(word).filter((d) => (lcmd === '<ifsection' ? d.type === 'section' : d.type === 'directive'));
      if (!infos.length) result = false;
      else if (infos.some((d) => isManualModuleLoaded(d.module, s.loadedIds) || d.module === 'core')) result = true;
      else result = s.loadedKnown ? false : 'assume';
      break;
    }
    case '<ifversion':
      return ifVersion(s, rawArg.trim(), loc);
    default:
      result = true;
  }
  if (result === 'assume') return 'assume';
  return negate ? !result : result;
}

function ifVersion(s: ApacheReadState, arg: string, loc: SourceLocation): boolean {
  const words = splitWords(arg).map((w) => w.value);
  let op = '=';
  let ver: string;
  if (words.length >= 2) {
    op = words[0];
    ver = words[1];
  } else ver = words[0] ?? '';
  let negate = false;
  if (op.startsWith('!')) {
    negate = true;
    op = op.slice(1);
  }
  const cur = s.version;
  let res: boolean;
  if (ver.startsWith('/') && ver.endsWith('/') && ver.length > 1) {
    res = safeRegex(ver.slice(1, -1), cur);
  } else if (op === '~') {
    res = safeRegex(ver, cur);
  } else {
    const c = modVersionCompare(cur, ver);
    switch (op) {
      case '=':
      case '==':
        res = c === 0;
        break;
      case '>':
        res = c > 0;
        break;
      case '>=':
        res = c >= 0;
        break;
      case '<':
        res = c < 0;
        break;
      case '<=':
        res = c <= 0;
        break;
      default:
        s.warn('syntax-error', `unrecognized operator '${op}'`, loc);
        res = false;
    }
  }
  return negate ? !res : res;
}

/** mod_version compares major.minor.patch numerically (sscanf "%d.%d.%d"): the first three parts only. */
function modVersionCompare(a: string, b: string): number {
  const three = (v: string) => v.split('.').slice(0, 3).map((x) => String(parseInt(x, 10) || 0)).join('.');
  return compareVersions(three(a), three(b));
}

/**
 * `<IfVersion ~ re>` / `<IfVersion /re/>`: mod_version compiles the pattern with AP_REG_EXTENDED
 * (case-sensitive). Matched with RE2 in linear time (lib/core/safe-regex), never V8's RegExp: the
 * pattern is the config's. A pattern RE2 cannot run (a PCRE feature it lacks, or too large) or a
 * subject beyond its budget counts as no match, as an invalid pattern always has here: the section
 * is skipped.
 */
function safeRegex(re: string, s: string): boolean {
  return matchSafeRegex(re, s) === 'match';
}

