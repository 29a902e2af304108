/**
 * Reading ini files as uwsgi_ini_config does: the whole file, its magic `%X` variables substituted
 * in the raw text (magic.ts), then the keys of the wanted section in order, each handed to
 * add_exported_option. `ini =`, `include =` and `inherit =` read other files the same way, through
 * the read gate; loops of includes and inherits are reported where uWSGI would recurse for ever.
 */
import { LineIndex, Span, type SourceLocation } from '../../core/source';
import type { TextEncoding } from '../../core/text';
import { shapeLine } from '../../parsers/uwsgi-ini/lines';
import { decodeUwsgiIni, parseUwsgiIni } from '../../parsers/uwsgi-ini/syntax';
import { fileMagic, magicSubstitute, magicTable, mapEnd, mapStart, piecesIn, type FileMagic, type MagicResult } from './magic';

/** The table for a file without `%`: magicSubstitute never looks a variable up in it. */
const NO_MAGIC = new Map<string, string>();
import { MAX_INCLUDE_DEPTH, type EntryMeta, type UwsgiResolver } from './state';
import type { ValueSegment } from './types';

/** uwsgi_ini_config: `arg` is `file[:section]` or `:section` (another section of the last ini read). */
export function loadIni(s: UwsgiResolver, arg: string, includedFrom: SourceLocation[], inherited: boolean, at: SourceLocation, rootText?: string, isRoot = false): void {
  let file = arg;
  let sectionAsked = 'uwsgi';
  let sectionGiven = '';
  const schemeMatch = /^[a-z][a-z0-9+.-]*:\/\//i.exec(arg);
  const searchFrom = schemeMatch ? arg.lastIndexOf('/') : 0;
  const colon = arg.lastIndexOf(':');
  if (colon >= searchFrom && colon >= 0) {
    file = arg.slice(0, colon);
    const sec = arg.slice(colon + 1);
    if (sec !== '') {
      sectionAsked = sec;
      sectionGiven = sec;
    }
    if (colon === 0) file = s.lastFile ?? '';
  }
  if (schemeMatch) {
    s.report('include-unsupported', 'warning', `deploylint does not fetch ${schemeMatch[0]} configs; ${arg} was not read`, at);
    return;
  }
  if (s.stack.length >= MAX_INCLUDE_DEPTH) {
    s.report('include-loop', 'error', `includes nested more than ${MAX_INCLUDE_DEPTH} deep at ${arg}: uWSGI would recurse until it crashes`, at);
    s.setFatal('include nesting too deep', at);
    return;
  }
  const full = s.resolvePath(file);
  const checked = rootText === undefined ? s.gate.check(full) : null;
  if (checked && !checked.ok && checked.code === 'outside') {
    s.reportOutside(isRoot ? `the config file ${file}` : arg, at);
    if (isRoot) s.setFatal(`cannot read ${file}`, at);
    return;
  }
  const real = checked?.ok ? checked.realPath : full;
  if (inherited && !isRoot && s.inChain(real, includedFrom)) {
    // inherit appends the file's options after everything else, so its own `inherit` runs later:
    // a file that leads back to itself is appended for ever (the include stack cannot see it)
    s.report('include-loop', 'error', `${arg} inherits itself (through ${includedFrom.length} level${includedFrom.length === 1 ? '' : 's'}): uWSGI appends its options for ever and runs out of memory`, at);
    s.setFatal(`inherit loop at ${arg}`, at);
    return;
  }
  if (!isRoot && !s.gate.budget.spend('files')) {
    s.budgetExceeded('files', `reading ${arg}`, at);
    return;
  }
  const stackKey = `${real}\0${sectionAsked}`;
  if (s.stack.includes(stackKey)) {
    s.report('include-loop', 'error',
      `${arg} includes itself (through ${s.stack.length} level${s.stack.length === 1 ? '' : 's'}): uWSGI would recurse until it crashes`, at);
    s.setFatal(`include loop at ${arg}`, at);
    return;
  }
  let text: string;
  let encoding: TextEncoding = 'utf8';
  if (rootText !== undefined) {
    text = rootText;
  } else {
    // a FIFO or device would block or never end: the gate never opens one
    const read = s.gate.readFile(full);
    if (!read.ok && (read.code === 'budget' || read.code === 'too-large')) {
      if (read.code === 'budget') s.budgetExceeded('read-bytes', `reading ${arg}`, at);
      else s.report('budget-exceeded', 'warning', `${file === '' ? 'the config file' : file} was not read: ${read.reason}`, at);
      return;
    }
    if (!read.ok) {
      const what = read.code === 'missing' ? 'does not exist' : read.errno === 'EACCES' ? 'is not readable' : `cannot be read (${read.reason})`;
      s.report('include-not-found', 'error',
        `${file === '' ? 'the config file' : file} ${what}${includedFrom.length ? ' (relative paths are resolved from uWSGI\'s working directory, not from the including file; write %d to mean the including file\'s directory)' : ''}: uWSGI exits`,
        at);
      s.setFatal(`cannot read ${file}`, at);
      return;
    }
    ({ text, encoding } = decodeUwsgiIni(read.bytes));
  }
  s.lastFile = file;
  if (!s.fileKeys.has(real)) {
    s.fileKeys.add(real);
    s.files.push(file);
  }
  const lineIndex = new LineIndex(text);
  s.lineIndexes.set(file, lineIndex);
  if (!s.parsedFiles.has(file)) {
    s.parsedFiles.add(file);
    const doc = parseUwsgiIni(text, file, { encoding });
    for (const f of doc.findings) s.findings.push(f);
    if (!doc.complete) s.tooLarge.add(file);
  }
  if (s.tooLarge.has(file)) return;

  // the magic values need the file's real path and inode: worked out only for a file that uses them
  let magic: FileMagic | undefined;
  const magicOf = (): FileMagic => (magic ??= fileMagic(file, sectionGiven, s.runtime.cwd, s.gate));
  if (!s.firstMagic) s.firstMagic = magicOf;
  const table = text.includes('%') ? magicTable(magicOf(), s.firstMagic(), s.runtime) : NO_MAGIC;
  const sub = magicSubstitute(text, table, s.gate.budget.left('expanded-bytes'));
  if (!sub) {
    s.gate.budget.exhaust('expanded-bytes');
    s.budgetExceeded('expanded-bytes', `substituting the %-variables of ${file}`, at);
    return;
  }
  s.gate.budget.spend('expanded-bytes', Math.max(0, sub.text.length - text.length));
  // latin1-decoded files hold one byte per character, so only UTF-8 text can split a character
  if (encoding === 'utf8') checkNonAsciiMagic(s, text, file, lineIndex);

  s.stack.push(stackKey);
  let gotSection = false;
  readLines(s, sub, text.length, file, lineIndex, sectionAsked, includedFrom, inherited, () => {
    gotSection = true;
  });
  s.stack.pop();
  if (!gotSection) {
    s.report('ini-section-not-found', 'warning',
      `section [${sectionAsked}] not found in ${file}: uWSGI reads no option from it (it only logs a warning)`, at);
  }
}
function checkNonAsciiMagic(s: UwsgiResolver, text: string, file: string, lineIndex: LineIndex): void {
  for (let i = text.indexOf('%'); i >= 0 && i + 1 < text.length; i = text.indexOf('%', i + 2)) {
    if (text.charCodeAt(i + 1) > 0x7f) {
      s.report('ini-percent-non-ascii', 'warning',
        'uWSGI replaces "%" and the next byte, which here is half of a non-ASCII character; write "%%"', { file, range: lineIndex.range(i, i + 2) });
      return;
    }
  }
}
function readLines(s: UwsgiResolver, 
  sub: MagicResult, srcLength: number, file: string, lineIndex: LineIndex, sectionAsked: string,
  includedFrom: SourceLocation[], inherited: boolean, found: () => void,
): void {
  const t = sub.text;
  const loc = (start: number, end: number): SourceLocation => {
    const s = mapStart(sub.pieces, srcLength, start);
    const e = end === start ? s : Math.max(s, mapEnd(sub.pieces, end));
    return lineIndex.location(file, s, e);
  };
  let section = '';
  let pos = 0;
  while (pos < t.length) {
    let nl = t.indexOf('\n', pos);
    if (nl < 0) nl = t.length;
    const shape = shapeLine(t, pos, nl);
    if (shape.kind === 'section') {
      section = t.slice(shape.nameStart, shape.nameEnd);
    } else if (shape.kind === 'entry' && section === sectionAsked) {
      found();
      const key = t.slice(shape.keyStart, shape.keyEnd);
      const value = t.slice(shape.valueStart, shape.valueEnd);
      const valueLocation = loc(shape.valueStart, shape.valueEnd);
      const segments: ValueSegment[] = [];
      for (const p of piecesIn(sub.pieces, shape.valueStart, shape.valueEnd)) {
        const from = Math.max(p.outStart, shape.valueStart);
        const to = Math.min(p.outEnd, shape.valueEnd);
        if (p.variable === undefined) {
          const s = p.srcStart + (from - p.outStart);
          segments.push({ text: t.slice(from, to), via: 'literal', location: lineIndex.location(file, s, s + (to - from)) });
        } else {
          segments.push({
            text: t.slice(from, to), via: 'magic', expression: `%${p.variable}`,
            location: lineIndex.location(file, p.srcStart, p.srcEnd),
          });
        }
      }
      if (segments.length === 0 && value === '') segments.push({ text: '', via: 'literal', location: valueLocation });
      const meta: EntryMeta = {
        keyLocation: loc(shape.keyStart, shape.keyEnd),
        valueLocation,
        entryLocation: loc(shape.start, shape.end),
        rawValue: s.sourceText(file, valueLocation),
        bare: shape.equals < 0,
        includedFrom,
        file,
        section,
        inherited,
      };
      const templated = s.options.templated;
      if (templated && includedFrom.length === 0) {
        const span = (l: SourceLocation) => l instanceof Span && templated(l.startOffset, l.endOffset);
        if (span(meta.keyLocation)) meta.keyTemplated = true;
        if (span(valueLocation)) meta.valueTemplated = true;
      }
      s.addExportedOption(key, value, segments, meta, false);
    }
    pos = nl + 1;
  }
}
/** uwsgi_opt_load: dispatch on the file extension. */
export function loadByExtension(s: UwsgiResolver, value: string, chain: SourceLocation[], inherited: boolean, at: SourceLocation): void {
  const colon = value.lastIndexOf(':');
  const file = colon > 0 ? value.slice(0, colon) : value;
  if (/\.ini$/.test(file)) {
    s.loadIni(value, chain, inherited, at);
  } else if (/\.(ya?ml|json|js|xml)$/.test(file)) {
    s.report('include-unsupported', 'warning', `deploylint reads only ini files; the options in ${value} are not checked`, at);
  } else {
    s.report('include-unsupported', 'error', `uWSGI cannot tell the format of ${value} from its extension and exits ("unable to load configuration from ${value}"); name it .ini`, at);
    s.setFatal(`unable to load configuration from ${value}`, at);
  }
}