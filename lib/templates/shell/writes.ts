/**
 * The commands of a shell script that matter to the shell-writer reader: pipelines with their
 * redirections, the writes of config lines (`iniset FILE uwsgi KEY VALUE`, `echo`/`printf` to
 * `| [sudo] tee [-a] FILE` or `>`/`>>`), and the variables a function sets, whose literal text a
 * write may use.
 */
import { literal, wordKey, type Token, type Word, type WordPart } from './lex';

/** Where a write is: the scope (function) and the branch of every enclosing decision. */
export interface WritePlace {
  scope: string | null;
  path: { decision: number; alternative: number }[];
}

export interface IniWrite extends WritePlace {
  kind: 'ini';
  file: Word;
  fileKey: string;
  /** The `uwsgi` section word. */
  section: Word;
  key: Word;
  value: Word | null;
  start: number;
  end: number;
}

/** A piece of written text: a word's parts, or text with no source of its own (a separating blank, a newline). */
export type TextPiece = { parts: WordPart[] } | { synthetic: string };

export interface TextWrite extends WritePlace {
  kind: 'text';
  file: Word;
  fileKey: string;
  /** `tee -a` or `>>`: appended; otherwise the file is written afresh. */
  append: boolean;
  pieces: TextPiece[];
  start: number;
  end: number;
}

export type Write = IniWrite | TextWrite;

export interface Command { words: Word[]; redirects: { op: string; target: Word | null }[]; start: number; end: number; pipeTo: Command | null; piped: boolean }

const SEPARATORS = new Set([';', '&', '&&', '||', '\n', '(', ')', ';;', ';&', ';;&']);
const REDIRECTS = new Set(['>', '>>', '>|', '&>', '>&', '<', '<<', '<<-', '<<<', '<&', '<>']);

/** Tokens into commands (pipelines linked), with redirections taken out of the words. */
export function commands(tokens: Token[]): { commands: Command[]; separatorsBefore: string[] } {
  const out: Command[] = [];
  const seps: string[] = [];
  let current = null as Command | null;
  let lastSep = '\n';
  let pendingPipe = null as Command | null;
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k];
    if (tok.t === 'op' && REDIRECTS.has(tok.op)) {
      const next = tokens[k + 1];
      const target = next && next.t === 'word' ? next.word : null;
      if (target) k++;
      if (!current) {
        current = { words: [], redirects: [], start: tok.start, end: tok.end, pipeTo: null, piped: !!pendingPipe };
        if (pendingPipe) pendingPipe.pipeTo = current;
        pendingPipe = null;
        out.push(current);
        seps.push(lastSep);
        lastSep = '';
      }
      // `2>/dev/null`: the file descriptor number is part of the redirection
      const last = current.words[current.words.length - 1];
      if (last && last.end === tok.start && /^\d+$/.test(literal(last) ?? '')) current.words.pop();
      current.redirects.push({ op: tok.op, target });
      current.end = target ? target.end : tok.end;
      continue;
    }
    if (tok.t === 'op') {
      if (tok.op === '|' || tok.op === '|&') {
        pendingPipe = current;
        current = null;
        continue;
      }
      if (SEPARATORS.has(tok.op)) {
        if (current || pendingPipe) lastSep = '';
        current = null;
        pendingPipe = null;
        lastSep += tok.op;
      }
      continue;
    }
    if (!current) {
      current = { words: [], redirects: [], start: tok.word.start, end: tok.word.end, pipeTo: null, piped: !!pendingPipe };
      if (pendingPipe) pendingPipe.pipeTo = current;
      pendingPipe = null;
      out.push(current);
      seps.push(lastSep);
      lastSep = '';
    }
    current.words.push(tok.word);
    current.end = tok.word.end;
  }
  return { commands: out, separatorsBefore: seps };
}

/** Leading `sudo [-E] [-u user]`, `command`, `exec`, `VAR=value` words taken off. */
export function stripPrefix(words: Word[]): Word[] {
  let k = 0;
  while (k < words.length) {
    const w = literal(words[k]);
    if (w === 'sudo') {
      k++;
      while (k < words.length && /^-/.test(literal(words[k]) ?? '')) {
        const opt = literal(words[k]);
        k += opt === '-u' || opt === '-g' ? 2 : 1;
      }
      continue;
    }
    if (w === 'command' || w === 'exec' || w === 'builtin') { k++; continue; }
    const first = words[k].parts[0];
    if (first && first.kind === 'lit' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(first.text) && words.length > k + 1) { k++; continue; }
    break;
  }
  return words.slice(k);
}

/** Where a command's output goes: `| tee [-a] FILE` or `> FILE` / `>> FILE`; null when to no single file. */
function outputFile(cmd: Command): { file: Word; append: boolean } | null {
  for (const r of cmd.redirects) {
    if ((r.op === '>' || r.op === '>>' || r.op === '>|') && r.target) return { file: r.target, append: r.op === '>>' };
  }
  const next = cmd.pipeTo;
  if (!next) return null;
  const words = stripPrefix(next.words);
  if (literal(words[0]) !== 'tee') return null;
  let append = false;
  const files: Word[] = [];
  for (const w of words.slice(1)) {
    const l = literal(w);
    if (l === '-a' || l === '--append') append = true;
    else if (l !== null && l.startsWith('-')) continue;
    else files.push(w);
  }
  return files.length === 1 ? { file: files[0], append } : null;
}

/** `echo`/`printf` text as pieces, or null when it is not plain text (printf with % directives). */
function echoedPieces(name: string, args: Word[]): TextPiece[] | null {
  let newline = name === 'echo';
  let escapes = name === 'printf';
  let k = 0;
  if (name === 'echo') {
    while (k < args.length && /^-[neE]+$/.test(literal(args[k]) ?? '')) {
      const opt = literal(args[k])!;
      if (opt.includes('n')) newline = false;
      if (opt.includes('e')) escapes = true;
      if (opt.includes('E')) escapes = false;
      k++;
    }
  } else if (args.length !== 1) {
    return null;
  }
  const pieces: TextPiece[] = [];
  for (let a = k; a < args.length; a++) {
    if (a > k) pieces.push({ synthetic: ' ' });
    const parts: WordPart[] = [];
    for (const p of args[a].parts) {
      if (p.kind !== 'lit' || (!escapes && name !== 'printf')) { parts.push(p); continue; }
      if (name === 'printf' && /%(?!%)/.test(p.text)) return null;
      // escapes: \n \t \\ (and printf's %%) become their character, with no source of its own
      let from = 0;
      const re = name === 'printf' ? /\\[nt\\]|%%/g : /\\[nt\\]/g;
      for (let m = re.exec(p.text); m; m = re.exec(p.text)) {
        if (m.index > from) parts.push({ kind: 'lit', text: p.text.slice(from, m.index), source: p.source + from });
        parts.push({ kind: 'lit', text: m[0] === '\\n' ? '\n' : m[0] === '\\t' ? '\t' : m[0] === '%%' ? '%' : '\\', source: -1 });
        from = m.index + m[0].length;
      }
      if (from < p.text.length) parts.push({ kind: 'lit', text: p.text.slice(from), source: p.source + from });
    }
    pieces.push({ parts });
  }
  if (newline) pieces.push({ synthetic: '\n' });
  return pieces;
}

/** `NAME=value` set in a function (or at the top level): where, and the value's parts (null: not one value the script fixes). */
export interface Assignment extends WritePlace { start: number; parts: WordPart[] | null }

/** `[local|declare|export|readonly] NAME=value ...`: the assignments of a command made only of them, else null. */
export function assignmentsOf(words: Word[]): { name: string; start: number; parts: WordPart[] | null }[] | null {
  let k = 0;
  const declaring = /^(local|declare|typeset|export|readonly)$/.test(literal(words[0]) ?? '');
  if (declaring) {
    k = 1;
    while (k < words.length && /^-/.test(literal(words[k]) ?? '')) k++;
  }
  const out: { name: string; start: number; parts: WordPart[] | null }[] = [];
  for (const w of words.slice(k)) {
    const first = w.parts[0];
    const m = first && first.kind === 'lit' ? /^([A-Za-z_][A-Za-z0-9_]*)(\+?=)/.exec(first.text) : null;
    if (!m) {
      // `local name` declares without a value; anything else makes this a command, not assignments
      if (declaring && /^[A-Za-z_][A-Za-z0-9_]*$/.test(literal(w) ?? '')) continue;
      return null;
    }
    const rest = first.kind === 'lit' ? first.text.slice(m[0].length) : '';
    const parts: WordPart[] = [...(rest ? [{ kind: 'lit' as const, text: rest, source: (first as { source: number }).source + m[0].length }] : []), ...w.parts.slice(1)];
    // `+=` appends to a value the script may have set elsewhere; an array `(...)` is not one word
    out.push({ name: m[1], start: w.start, parts: m[2] === '+=' || rest.startsWith('(') ? null : parts });
  }
  return out.length ? out : null;
}

const MAX_SUBSTITUTIONS = 8;

/**
 * An expansion of a variable the same function sets exactly once, unconditionally on the way to the
 * write (`local socket_dir='/var/run/uwsgi'`, `local socket="$socket_dir/${name}.socket"`), is read
 * as that value: its literal text is fixed by the script, its own expansions stay opaque. A variable
 * set twice, in a branch, by a loop or `read`, not in the function, or to a value with no literal
 * text (`$3`) stays one opaque word.
 */
function substitute(parts: WordPart[], place: WritePlace, at: number, assignments: Map<string, Assignment[]>, depth = 0): WordPart[] {
  if (depth >= MAX_SUBSTITUTIONS) return parts;
  const out: WordPart[] = [];
  for (const p of parts) {
    const name = p.kind === 'var' ? /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})$/.exec(p.markup) : null;
    const set = name ? assignments.get(`${place.scope ?? ''}\0${name[1] ?? name[2]}`) : undefined;
    const only = set && set.length === 1 ? set[0] : undefined;
    // a value with no literal text (`$3`, `$(get_random_port)`) says no more than the variable's own name
    const onTheWay = only && only.parts && only.parts.some((q) => q.kind === 'lit' && q.text !== '') && only.start < at && only.path.length <= place.path.length
      && only.path.every((q, k) => place.path[k].decision === q.decision && place.path[k].alternative === q.alternative);
    if (onTheWay && place.scope !== null) for (const q of substitute(only!.parts!, only!, only!.start, assignments, depth + 1)) out.push(q);
    else out.push(p);
  }
  return out;
}

export function substituteWrite(w: Write, assignments: Map<string, Assignment[]>): void {
  if (w.kind === 'ini') {
    if (w.value) w.value = { ...w.value, parts: substitute(w.value.parts, w, w.start, assignments) };
    return;
  }
  w.pieces = w.pieces.map((piece) => ('parts' in piece ? { parts: substitute(piece.parts, w, w.start, assignments) } : piece));
}

/** The files a command removes or empties: `rm [-rf] FILE...`, `truncate -s 0 FILE`, `: > FILE`, `> FILE`. */
export function resetsOf(cmd: Command): string[] {
  const name = literal(cmd.words[0]);
  if (name === 'rm' || name === 'truncate') return cmd.words.slice(1).filter((w) => !/^-/.test(literal(w) ?? '') && literal(w) !== '0').map(wordKey);
  if ((cmd.words.length === 0 || name === ':' || name === 'true') && cmd.redirects.length === 1) {
    const r = cmd.redirects[0];
    if ((r.op === '>' || r.op === '>|') && r.target) return [wordKey(r.target)];
  }
  return [];
}

/** A command that writes a config line, or null. */
export function writeOf(cmd: Command, where: WritePlace): Write | null {
  const words = cmd.words;
  const name = literal(words[0]);
  if (name === 'iniset') {
    let args = words.slice(1);
    if (literal(args[0]) === '-sudo') args = args.slice(1);
    if (args.length < 3 || literal(args[1]) !== 'uwsgi' || literal(args[2]) === null || literal(args[2]) === '') return null;
    return { kind: 'ini', ...where, file: args[0], fileKey: wordKey(args[0]), section: args[1], key: args[2], value: args[3] ?? null, start: cmd.start, end: cmd.end };
  }
  if (name === 'echo' || name === 'printf') {
    const out = outputFile(cmd);
    if (!out) return null;
    const pieces = echoedPieces(name, words.slice(1));
    if (!pieces) return null;
    return { kind: 'text', ...where, file: out.file, fileKey: wordKey(out.file), append: out.append, pieces, start: cmd.start, end: Math.max(cmd.end, cmd.pipeTo?.end ?? 0) };
  }
  return null;
}
