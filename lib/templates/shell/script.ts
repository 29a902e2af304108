/**
 * The structure of a shell script as far as the shell-writer reader needs it: which function (or
 * the top level) each command is in, which `if`/`elif`/`else`/`fi` and `case` branches it is under,
 * and the commands that write a config: `iniset FILE uwsgi KEY VALUE` and `echo`/`printf` whose
 * output goes to a file through `| [sudo] tee [-a] FILE` or `>`/`>>`. Loops are read once.
 */
import { literal, type Token } from './lex';
import { assignmentsOf, commands, resetsOf, stripPrefix, substituteWrite, writeOf, type Assignment, type WritePlace, type Write } from './writes';

export type { IniWrite, TextPiece, TextWrite, Write, WritePlace } from './writes';

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
  /** End of the opening (`if`, `case X in`): `end` grows to the closing `fi`/`esac`. */
  headEnd: number;
  /** The decision and branch this block is itself inside, if any. */
  parent: { decision: number; alternative: number } | null;
}

export interface ScriptStructure {
  writes: Write[];
  decisions: ShellDecision[];
  /** Decisions nested deeper than maxDepth: their commands were read as part of the enclosing branch. */
  tooDeep: { start: number; end: number } | null;
  /** Files a function removes or empties (`rm -rf $conf`, `truncate -s 0 $f`, `: > $f`): a write after it starts the file. */
  resets: { scope: string | null; fileKey: string; start: number }[];
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
  const resets: ScriptStructure['resets'] = [];

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
    let atom = text.slice(start, end).replace(/\s+/g, ' ');
    // trailing `;` and blanks dropped by a loop: /[;\s]+$/ retries from every `;` of a long run (quadratic)
    let cut = atom.length;
    while (cut > 0 && (atom[cut - 1] === ';' || atom[cut - 1] === ' ')) cut--;
    atom = atom.slice(0, cut).trim();
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
      id: decisions.length, kind, start, end, headEnd: end, opening: text.slice(start, end).replace(/\s+/g, ' ').slice(0, 80),
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
      const closes = head === 'fi' ? 'if' : head === 'esac' ? 'case' : null;
      if (closes && innermost(closes)) {
        // the branches written, plus the implicit empty one when there is no else / `*)` arm
        const f = innermost(closes)!;
        if (f.decision) f.decision.alternatives = f.decision.branchTags.length + (f.decision.conditions.includes(null) ? 0 : 1);
        closeTo(closes, words[0].end);
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
    const stripped = { ...cmd, words: stripPrefix(words) };
    for (const fileKey of resetsOf(stripped)) resets.push({ scope: scope(), fileKey, start: cmd.start });
    const write = writeOf(stripped, place());
    if (write) writes.push(write);
  }
  for (const w of writes) substituteWrite(w, assignments);
  for (const d of decisions) if (d.alternatives === 0) d.alternatives = d.branchTags.length + (d.conditions.includes(null) ? 0 : 1);
  return { writes, decisions: decisions.filter((d) => d.branchTags.length > 0), tooDeep, resets };
}

