/**
 * Reading a file into nodes, as ap_build_config does: logical lines, ${VAR} expanded over each
 * line, words split; read-time directives, conditionals and macros carried out on the spot; section
 * nesting checked. Conditional bodies are entered on an explicit stack (no recursion per level), and
 * each body has its own section stack, as in httpd: a section cannot cross a file or a conditional.
 */
import { Span, type SourceLocation } from '../../core/source';
import { looksBinary } from '../../core/text';
import { canonicalDirectiveName } from '../../knowledge/apache-directives';
import { joinedToOffset, splitLogicalLines, splitWords } from '../../parsers/apache/lexer';
import { LineReader } from '../../parsers/apache/syntax';
import { CONDITIONAL_CANONICAL, CONDITIONAL_SECTIONS, decide, soak } from './conditionals';
import { argLocation, expand } from './expand';
import { defineMacro, macroEnabled, useMacro } from './macros';
import { readTimeDirective } from './read-directives';
import type { ApacheReadState, Cursor } from './state';
import type { ApacheArgument, ResolvedNode, ResolvedSection } from './types';

/** A word as httpd hands it to the module, with where it is and whether a template left it unknown. */
function argument(s: ApacheReadState, cur: Cursor, w: { value: string; raw: string; quoted: boolean }, location: SourceLocation): ApacheArgument {
  const arg: ApacheArgument = { value: w.value, raw: w.raw, quoted: w.quoted, location };
  const templated = s.options.templated;
  if (templated && cur.file === s.rootPath && location instanceof Span && templated(location.startOffset, location.endOffset)) arg.templated = true;
  return arg;
}

/** Undecided conditions around a body, innermost first, shared between nested bodies. */
interface AssumedList {
  cond: string;
  prev: AssumedList | null;
}

export function readText(s: ApacheReadState, text: string, displayPath: string, chain: SourceLocation[]): ResolvedNode[] {
  if (looksBinary(text, { nulIsBinary: false, minLength: 64 })) {
    // Not a config at all (an image, a compiled module, a tarball): one finding, not a flood of
    // "invalid command" for every line of noise.
    s.fail('read', 'binary-file', `${displayPath} is a binary file, not an Apache configuration`, {
      file: displayPath, range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
    });
    return [];
  }
  const cur: Cursor = { lines: splitLogicalLines(text), i: 0, reader: new LineReader(displayPath, text), file: displayPath };
  if (text.indexOf('\0') >= 0) {
    for (const l of cur.lines) {
      if (l.nulAt === undefined) continue;
      const at = joinedToOffset(l, l.nulAt);
      s.warn('apache-nul-byte', 'NUL byte in a directive line: httpd reads lines as C strings and ignores everything after it', cur.reader.loc(at, at + 1));
    }
  }
  return buildBody(s, cur, chain);
}

function buildBody(s: ApacheReadState, cur: Cursor, chain: SourceLocation[]): ResolvedNode[] {
  const out: ResolvedNode[] = [];
  // One frame per open true (or undecided) conditional body, kept on an explicit stack rather than
  // by recursion so that thousands of nested <IfModule> cannot exhaust the call stack. Each body
  // has its own section stack and splices its nodes into the container that was open around it.
  interface Frame {
    target: ResolvedNode[];
    stack: ResolvedSection[];
    endLine: string | null;
    /** Undecided conditions around this body, innermost last, as a shared list (no copying per level). */
    assumed: AssumedList | null;
    /** `assumed` as an array, built once when a node first needs it. */
    assumedArray?: string[];
  }
  const frames: Frame[] = [{ target: out, stack: [], endLine: null, assumed: null, assumedArray: [] }];
  let frame = frames[0];
  let stack = frame.stack;
  const assumedNow = (): string[] => {
    if (!frame.assumedArray) {
      const conds: string[] = [];
      for (let a = frame.assumed; a; a = a.prev) conds.push(a.cond);
      frame.assumedArray = conds.reverse();
    }
    return frame.assumedArray;
  };
  const emit = (n: ResolvedNode) => (stack.length ? stack[stack.length - 1].children : frame.target).push(n);
  let stoppedByBudget = false;
  const enter = (f: Frame) => {
    frames.push(f);
    frame = f;
    stack = f.stack;
  };
  const leave = () => {
    frames.pop();
    frame = frames[frames.length - 1];
    stack = frame.stack;
  };
  while (cur.i < cur.lines.length && !s.aborted) {
    const line = cur.lines[cur.i++];
    const t = line.text;
    if (t === '' || t.charCodeAt(0) === 35) continue;
    const endLine = frame.endLine;
    if (endLine && stack.length === 0 && t.length === endLine.length && t.toLowerCase() === endLine) {
      if (frames.length === 1) return out;
      leave();
      continue;
    }
    const { text: exp, map } = expand(s, cur, line);
    const words = splitWords(exp);
    if (!words.length) continue;
    const first = words[0];
    let cmd = first.value;
    if (cmd === '') continue;
    if (cmd[1] !== '/' && cmd.length > 0 && cmd.endsWith('>')) cmd = cmd.slice(0, -1);
    let rest = words.length > 1 ? exp.slice(words[1].start) : '';
    if (cmd.startsWith('<') && !cmd.startsWith('</') && rest === '') rest = '>';
    const lcmd = cmd.toLowerCase();
    const lineLoc = cur.reader.lineLocation(line);
    const nameLocation = argLocation(cur, line, map, first.start, first.end);
    const args: ApacheArgument[] = words.slice(1).map((w) => argument(s, cur, w, argLocation(cur, line, map, w.start, w.end)));

    if (macroEnabled(s)) {
      if (lcmd === '<macro') {
        defineMacro(s, cur, line, rest, lineLoc);
        continue;
      }
      if (lcmd === 'use') {
        for (const n of useMacro(s, cur, line, args, lineLoc, chain)) emit(n);
        continue;
      }
      if (lcmd === 'undefmacro') {
        if (args[0]) s.macros.delete(args[0].value.toLowerCase());
        continue;
      }
    }

    if (CONDITIONAL_SECTIONS.has(lcmd)) {
      const canonical = CONDITIONAL_CANONICAL[lcmd];
      const gt = rest.lastIndexOf('>');
      // mod_version wants the '>' at the very end (its operators contain '>' themselves)
      if (gt < 0 || (lcmd === '<ifversion' && !/>\s*$/.test(rest))) {
        s.fail('read', 'syntax-error', `${canonical}> directive missing closing '>'`, lineLoc);
        soak(s, cur, canonical, lineLoc, true);
        continue;
      }
      let arg = rest.slice(0, gt);
      if (arg.trim() === '') {
        s.fail('read', 'syntax-error', `${canonical}> directive requires additional arguments`, lineLoc);
        soak(s, cur, canonical, lineLoc, true);
        continue;
      }
      const decision = decide(s, lcmd, arg, cur, line, lineLoc);
      if (decision === false) {
        soak(s, cur, canonical, lineLoc, false);
        continue;
      }
      const innerAssumed = decision === true ? frame.assumed : { cond: `${cmd} ${arg.trim()}>`, prev: frame.assumed };
      enter({
        target: stack.length ? stack[stack.length - 1].children : frame.target,
        stack: [],
        endLine: `</${canonical.slice(1).toLowerCase()}>`,
        assumed: innerAssumed,
        assumedArray: decision === true ? frame.assumedArray : undefined,
      });
      continue;
    }

    if (readTimeDirective(s, lcmd, args, line.lastLine, lineLoc, chain, emit)) continue;

    if (cmd.startsWith('</')) {
      const top = stack[stack.length - 1];
      if (!top) {
        s.fail('read', 'syntax-error', `${cmd} without matching <${cmd.slice(2)} section`, lineLoc);
        continue;
      }
      if (!cmd.endsWith('>')) {
        s.fail('read', 'syntax-error', `</${cmd.slice(2)}> directive missing closing '>'`, lineLoc);
        continue;
      }
      const closeName = cmd.slice(2, -1);
      if (closeName.toLowerCase() !== top.lname) {
        s.fail('read', 'syntax-error', `Expected </${top.name}> but saw </${closeName}>`, lineLoc);
        continue;
      }
      top.closeLocation = lineLoc;
      stack.pop();
      continue;
    }

    if (!s.gate.budget.spend('nodes')) {
      s.budgetExceeded('nodes', `reading ${cur.file}`, lineLoc);
      cur.i = cur.lines.length;
      stoppedByBudget = true;
      break;
    }
    if (cmd.startsWith('<')) {
      const name = cmd.slice(1);
      const gt = rest.lastIndexOf('>');
      let sectionArgs = args;
      if (gt >= 0 && words.length > 1) {
        const restStart = words[1].start;
        sectionArgs = splitWords(exp.slice(0, restStart + gt), restStart).map((w) => argument(s, cur, w, argLocation(cur, line, map, w.start, w.end)));
      } else if (gt >= 0) sectionArgs = [];
      const section: ResolvedSection = {
        kind: 'section',
        name,
        lname: name.toLowerCase(),
        args: sectionArgs,
        location: lineLoc,
        nameLocation,
        includeChain: chain,
        assumedConditions: assumedNow(),
        argsText: rest,
        line: line.lastLine,
        directive: '<' + (canonicalDirectiveName(name) ?? name),
        children: [],
      };
      emit(section);
      stack.push(section);
      continue;
    }

    emit({
      kind: 'directive',
      name: cmd,
      lname: lcmd,
      args,
      location: lineLoc,
      nameLocation,
      includeChain: chain,
      assumedConditions: assumedNow(),
      argsText: rest,
      line: line.lastLine,
      directive: canonicalDirectiveName(cmd) ?? cmd,
    });
  }
  // end of file: open conditional bodies end silently (httpd's ap_build_cont_config stops at EOF)
  while (frames.length > 1) leave();
  if (stack.length && !s.aborted && !stoppedByBudget) {
    const parts = stack
      .slice()
      .reverse()
      .map((s) => `${cur.file}:${s.line}: <${s.name}> was not closed.`);
    s.fail('read', 'syntax-error', parts.join('\n'), stack[0].location);
  }
  return out;
}
