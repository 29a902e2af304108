/**
 * The structure of a shell script as far as the shell-writer reader needs it: which function (or
 * the top level) each command is in, which `if`/`elif`/`else`/`fi` and `case` branches it is under,
 * and the commands that write a config: `iniset FILE uwsgi KEY VALUE` and `echo`/`printf` whose
 * output goes to a file through `| [sudo] tee [-a] FILE` or `>`/`>>`. Loops are read once.
 */
import { literal, wordKey, type Token, type Word, type WordPart } from './lex';

/** One control block: each alternative is one branch (plus the implicit empty one of an `if` without `else`). */
export interface ShellDecision {
  id: number;
  kind: 'if' | 'case';
  start: number;
  end: number;
  /** The opening as written, for messages (`if [[ -n "$http" ]]`). */
  opening: string;
  /** Per branch: the condition atom it tests (null for `else`), in order. */
  conditions: ({ atom: string; negated: boolean } | null)[];
  /** Branch openings (`then`/`elif`/`else`/case pattern) in source offsets. */
  branchTags: { start: number; end: number; text: string }[];
  /** The branches plus one when there is no `else` (or `*)`): nothing of the block runs. */
  alternatives: number;
  /** The decision and branch this block is itself inside, if any. */
  parent: { decision: number; alternative: number } | null;
}

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

export interface ScriptStructure {
  writes: Write[];
  decisions: ShellDecision[];
  /** Decisions nested deeper than maxDepth: their commands were read as part of the enclosing branch. */
  tooDeep: { start: number; end: number } | null;
}

interface Command { words: Word[]; redirects: { op: string; target: Word | null }[]; start: number; end: number; pipeTo: Command | null; piped: boolean }

const SEPARATORS = new Set([';', '&', '&&', '||', '\n', '(', ')', ';;', ';&', ';;&']);
const REDIRECTS = new Set(['>', '>>', '>|', '&>', '>&', '<', '<<', '<<-', '<<<', '<&', '<>']);

/** Tokens into commands (pipelines linked), with redirections taken out of the words. */
function commands(tokens: Token[]): { commands: Command[]; separatorsBefore: string[] } {
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
function stripPrefix(words: Word[]): Word[] {
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

interface Frame {
  kind: 'func' | 'brace' | 'if' | 'case' | 'loop';
  name?: string;
  decision?: ShellDecision;
  /** `if`/`elif` read but not yet its `then`; `for`/`while` not yet its `do`; `case` between arms. */
  pending?: { start: number } | null;
  /** Inside a case: reading an arm's pattern. */
  armPattern?: boolean;
  /** The decision was not recorded (too deep): the block is read in place. */
  inert?: boolean;
}

const MAX_DEPTH = 100;

/** Read the structure and the config writes of a script's tokens. */
export function readStructure(text: string, tokens: Token[]): ScriptStructure {
  const { commands: cmds, separatorsBefore } = commands(tokens);
  const assignments = new Map<string, Assignment[]>();
  const assign = (name: string, a: Assignment) => {
    const key = `${a.scope ?? ''}\0${name}`;
    if (!assignments.has(key)) assignments.set(key, []);
    assignments.get(key)!.push(a);
  };
  const frames: Frame[] = [];
  const decisions: ShellDecision[] = [];
  const writes: Write[] = [];
  let pendingFunction: string | null = null;
  let tooDeep: ScriptStructure['tooDeep'] = null;

  const scope = (): string | null => {
    for (let f = frames.length - 1; f >= 0; f--) if (frames[f].kind === 'func') return frames[f].name ?? null;
    return null;
  };
  const place = (): WritePlace => {
    const path: WritePlace['path'] = [];
    for (const f of frames) {
      if (f.kind === 'func') path.length = 0; // a function's writes do not depend on where it is defined
      if (f.decision && !f.inert) path.push({ decision: f.decision.id, alternative: f.decision.branchTags.length - 1 });
    }
    return { scope: scope(), path };
  };
  const parentOf = (): ShellDecision['parent'] => {
    for (let f = frames.length - 1; f >= 0; f--) {
      if (frames[f].kind === 'func') return null;
      const d = frames[f].decision;
      if (d && !frames[f].inert) return { decision: d.id, alternative: d.branchTags.length - 1 };
    }
    return null;
  };
  const depth = () => frames.filter((f) => f.decision && !f.inert).length;
  const condition = (start: number, end: number) => {
    let atom = text.slice(start, end).replace(/\s+/g, ' ').replace(/[;\s]+$/, '').trim();
    let negated = false;
    while (atom.startsWith('! ')) { negated = !negated; atom = atom.slice(2).trim(); }
    return { atom, negated };
  };
  const innermost = (kind: Frame['kind']): Frame | undefined => {
    for (let f = frames.length - 1; f >= 0; f--) {
      if (frames[f].kind === kind) return frames[f];
      if (frames[f].kind === 'func') return undefined;
    }
    return undefined;
  };
  const closeTo = (kind: Frame['kind'], end: number) => {
    for (let f = frames.length - 1; f >= 0; f--) {
      if (frames[f].kind === kind) {
        for (const g of frames.splice(f)) if (g.decision) g.decision.end = end;
        return;
      }
      if (frames[f].kind === 'func' && kind !== 'func' && kind !== 'brace') return;
    }
  };
  const openDecision = (kind: 'if' | 'case', start: number, end: number): Frame => {
    if (depth() >= MAX_DEPTH) {
      tooDeep ??= { start, end };
      return { kind, inert: true, pending: kind === 'if' ? { start: end } : null, armPattern: kind === 'case' };
    }
    const decision: ShellDecision = {
      id: decisions.length, kind, start, end, opening: text.slice(start, end).replace(/\s+/g, ' ').slice(0, 80),
      conditions: [], branchTags: [], alternatives: 0, parent: parentOf(),
    };
    decisions.push(decision);
    return { kind, decision, pending: kind === 'if' ? { start: end } : null, armPattern: kind === 'case' };
  };

  for (let c = 0; c < cmds.length; c++) {
    const cmd = cmds[c];
    let words = cmd.words;
    // `name() {` and `function name {`: the body that follows is that function
    if (c + 1 < cmds.length && words.length === 1 && separatorsBefore[c + 1].startsWith('()')) {
      const name = literal(words[0]);
      if (name && /^[A-Za-z_][\w:.-]*$/.test(name) && /^[ \t]*\([ \t]*\)/.test(text.slice(cmd.end, cmd.end + 64))) {
        pendingFunction = name;
        continue;
      }
    }
    while (words.length) {
      const head = literal(words[0]);
      const frame = frames[frames.length - 1];
      if (head === 'function' && words.length >= 2) {
        pendingFunction = (literal(words[1]) ?? '').replace(/\(\)$/, '') || null;
        words = words.slice(2).filter((w) => literal(w) !== '()');
        continue;
      }
      if (head === '{') {
        frames.push(pendingFunction ? { kind: 'func', name: pendingFunction } : { kind: 'brace' });
        pendingFunction = null;
        words = words.slice(1);
        continue;
      }
      if (head === '}') {
        closeTo(innermost('brace') ? 'brace' : 'func', words[0].end);
        words = words.slice(1);
        continue;
      }
      if (head === 'if' && !(frame?.kind === 'case' && frame.armPattern)) {
        frames.push(openDecision('if', words[0].start, words[0].end));
        words = [];
        break;
      }
      if (head === 'then' && frame?.kind === 'if' && frame.pending) {
        if (frame.decision) {
          frame.decision.conditions.push(condition(frame.pending.start, words[0].start));
          frame.decision.branchTags.push({ start: words[0].start, end: words[0].end, text: 'then' });
          if (frame.decision.branchTags.length === 1) frame.decision.opening = `if ${frame.decision.conditions[0]!.negated ? '! ' : ''}${frame.decision.conditions[0]!.atom}`.slice(0, 80);
        }
        frame.pending = null;
        words = words.slice(1);
        continue;
      }
      if (head === 'elif' && frame?.kind === 'if') {
        frame.pending = { start: words[0].end };
        words = [];
        break;
      }
      if (head === 'else' && frame?.kind === 'if') {
        if (frame.decision) {
          frame.decision.conditions.push(null);
          frame.decision.branchTags.push({ start: words[0].start, end: words[0].end, text: 'else' });
        }
        words = words.slice(1);
        continue;
      }
      if (head === 'fi' && innermost('if')) {
        const f = innermost('if')!;
        if (f.decision) f.decision.alternatives = f.decision.branchTags.length + (f.decision.conditions.includes(null) ? 0 : 1);
        closeTo('if', words[0].end);
        words = words.slice(1);
        continue;
      }
      if (head === 'case' && !(frame?.kind === 'case' && frame.armPattern)) {
        const f = openDecision('case', words[0].start, words[words.length - 1].end);
        if (f.decision) f.decision.opening = text.slice(words[0].start, words[words.length - 1].end).replace(/\s+/g, ' ').slice(0, 80);
        frames.push(f);
        words = [];
        break;
      }
      if (head === 'esac' && innermost('case')) {
        const f = innermost('case')!;
        if (f.decision) f.decision.alternatives = f.decision.branchTags.length + (f.decision.conditions.includes(null) ? 0 : 1);
        closeTo('case', words[0].end);
        words = words.slice(1);
        continue;
      }
      if (frame?.kind === 'case' && frame.armPattern) {
        // an arm's pattern, up to its `)`: `*)` is the default arm
        const pattern = text.slice(words[0].start, words[words.length - 1].end).replace(/^\(/, '').trim();
        if (frame.decision) {
          frame.decision.conditions.push(pattern === '*' ? null : { atom: `${frame.decision.opening} ${pattern}`, negated: false });
          frame.decision.branchTags.push({ start: words[0].start, end: words[words.length - 1].end, text: `${pattern})` });
        }
        frame.armPattern = false;
        words = [];
        break;
      }
      if ((head === 'for' || head === 'while' || head === 'until' || head === 'select') && !(frame?.kind === 'loop' && frame.pending)) {
        // `for NAME in ...` sets NAME to several values: never one the script fixes
        const loopVar = literal(words[1]);
        if (head !== 'while' && head !== 'until' && loopVar) assign(loopVar, { ...place(), start: words[0].start, parts: null });
        frames.push({ kind: 'loop', pending: { start: words[0].end } });
        words = [];
        break;
      }
      if (head === 'do' && frame?.kind === 'loop') {
        frame.pending = null;
        words = words.slice(1);
        continue;
      }
      if (head === 'done' && innermost('loop')) {
        closeTo('loop', words[0].end);
        words = words.slice(1);
        continue;
      }
      break;
    }
    // a case arm ends at `;;`: the next command is the next arm's pattern
    const top = frames[frames.length - 1];
    if (top?.kind === 'case' && c + 1 < cmds.length && /;;|;&/.test(separatorsBefore[c + 1])) top.armPattern = true;
    if (words.length === 0) continue;
    if (top && (top.kind === 'if' || top.kind === 'loop') && top.pending) continue; // a condition, not a write
    const assigned = assignmentsOf(words);
    if (assigned) {
      for (const a of assigned) assign(a.name, { ...place(), start: a.start, parts: a.parts });
      continue;
    }
    if (/^(read|mapfile|readarray|getopts|unset)$/.test(literal(words[0]) ?? '')) {
      for (const w of words.slice(1)) { const n = literal(w); if (n && /^[A-Za-z_]\w*$/.test(n)) assign(n, { ...place(), start: w.start, parts: null }); }
      continue;
    }
    const write = writeOf({ ...cmd, words: stripPrefix(words) }, place());
    if (write) writes.push(write);
  }
  for (const w of writes) substituteWrite(w, assignments);
  for (const d of decisions) if (d.alternatives === 0) d.alternatives = d.branchTags.length + (d.conditions.includes(null) ? 0 : 1);
  return { writes, decisions: decisions.filter((d) => d.branchTags.length > 0), tooDeep };
}

/** `NAME=value` set in a function (or at the top level): where, and the value's parts (null: not one value the script fixes). */
interface Assignment extends WritePlace { start: number; parts: WordPart[] | null }

/** `[local|declare|export|readonly] NAME=value ...`: the assignments of a command made only of them, else null. */
function assignmentsOf(words: Word[]): { name: string; start: number; parts: WordPart[] | null }[] | null {
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
    if (onTheWay && place.scope !== null) out.push(...substitute(only!.parts!, only!, only!.start, assignments, depth + 1));
    else out.push(p);
  }
  return out;
}

function substituteWrite(w: Write, assignments: Map<string, Assignment[]>): void {
  if (w.kind === 'ini') {
    if (w.value) w.value = { ...w.value, parts: substitute(w.value.parts, w, w.start, assignments) };
    return;
  }
  w.pieces = w.pieces.map((piece) => ('parts' in piece ? { parts: substitute(piece.parts, w, w.start, assignments) } : piece));
}

/** A command that writes a config line, or null. */
function writeOf(cmd: Command, where: WritePlace): Write | null {
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
