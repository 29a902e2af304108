/**
 * mod_macro as httpd 2.4 runs it while reading: `<Macro>` records a body, `Use` reads the body with
 * its arguments substituted as a file of its own (named as httpd names it in messages), UndefMacro
 * forgets one. Each Use is spent from the macro-expansions budget and its text from expanded-bytes.
 */
import type { SourceLocation } from '../../core/source';
import { splitWords, type LogicalLine } from '../../parsers/apache/lexer';
import type { ApacheReadState, Cursor } from './state';
import type { ApacheArgument, ResolvedNode } from './types';

/**
 * mod_macro substitution: at each position the longest parameter name that matches is replaced.
 * Null when the result would pass `maxLength` (arguments that amplify: a long value used many times).
 */
function substituteMacroArgs(line: string, params: string[], values: string[], maxLength: number): string | null {
  if (!params.length) return line;
  const order = params.map((p, i) => [p, values[i]] as const).sort((a, b) => b[0].length - a[0].length);
  let out = '';
  let literalFrom = 0;
  for (let i = 0; i < line.length; ) {
    const hit = order.find(([p]) => p !== '' && line.startsWith(p, i));
    if (hit) {
      if (out.length + (i - literalFrom) + hit[1].length > maxLength) return null;
      out += line.slice(literalFrom, i) + hit[1];
      i += hit[0].length;
      literalFrom = i;
    } else i++;
  }
  return out + line.slice(literalFrom);
}

export function macroEnabled(s: ApacheReadState): boolean {
  return !s.loadedKnown || s.loadedIds.has('macro_module');
}

export function defineMacro(s: ApacheReadState, cur: Cursor, line: LogicalLine, rest: string, lineLoc: SourceLocation): void {
  const gt = rest.lastIndexOf('>');
  const words = splitWords(gt >= 0 ? rest.slice(0, gt) : rest).map((w) => w.value);
  const name = (words[0] ?? '').toLowerCase();
  const body: string[] = [];
  const bodyLocations: SourceLocation[] = [];
  let depth = 1;
  while (cur.i < cur.lines.length) {
    const l = cur.lines[cur.i++];
    const lt = l.text.toLowerCase();
    if (lt.startsWith('</macro')) {
      if (--depth === 0) break;
    } else if (lt.startsWith('<macro')) depth++;
    // mod_macro keeps blank lines but drops comments (measured: they do not count in its line numbers)
    if (l.text.charCodeAt(0) === 35) continue;
    body.push(l.text);
    bodyLocations.push(cur.reader.lineLocation(l));
  }
  if (depth > 0) {
    s.fail('read', 'syntax-error', `macro '${name}' (defined on line ${line.lastLine} of "${cur.file}")\n\tcontents error: expected token not found: </Macro>`, lineLoc);
    return;
  }
  s.macros.set(name, { name, params: words.slice(1), body, bodyLocations, defLine: line.lastLine, defFile: cur.file });
  s.macrosEverDefined = true;
}

export function useMacro(s: ApacheReadState, cur: Cursor, line: LogicalLine, args: ApacheArgument[], lineLoc: SourceLocation, chain: SourceLocation[]): ResolvedNode[] {
  const name = (args[0]?.value ?? '').toLowerCase();
  const def = s.macros.get(name);
  if (!def) {
    s.fail('read', 'syntax-error', s.macrosEverDefined ? `macro '${name}' undefined` : 'no macro defined before Use', lineLoc);
    return [];
  }
  const values = args.slice(1).map((a) => a.value);
  if (values.length !== def.params.length) {
    s.fail('read', 'syntax-error', `macro '${name}' (defined on line ${def.defLine} of "${def.defFile}") used with ${values.length} arguments instead of ${def.params.length}`, lineLoc);
    return [];
  }
  if (s.macroUses.includes(name)) {
    s.fail('read', 'syntax-error', `recursive use of macro '${name}' is invalid`, lineLoc);
    return [];
  }
  if (!s.gate.budget.spend('macro-expansions')) {
    s.budgetExceeded('macro-expansions', `Use ${args[0]?.value ?? ''}`, lineLoc);
    return [];
  }
  const pseudo = `macro '${name}' (defined on line ${def.defLine} of "${def.defFile}") used on line ${line.lastLine} of "${cur.file}"`;
  const lines: string[] = [];
  let size = 0;
  for (const l of def.body) {
    const sub = substituteMacroArgs(l, def.params, values, s.gate.budget.left('expanded-bytes') - size);
    if (sub === null) {
      s.gate.budget.exhaust('expanded-bytes');
      s.budgetExceeded('expanded-bytes', `expanding macro '${name}'`, lineLoc);
      return [];
    }
    lines.push(sub);
    size += sub.length + 1;
  }
  s.gate.budget.spend('expanded-bytes', size);
  const text = lines.join('\n') + '\n';
  const before = s.findings.length;
  s.macroUses.push(name);
  const nodes = s.readText(text, pseudo, [...chain, lineLoc]);
  s.macroUses.pop();
  // point everything back at the real lines of the macro body
  const real = (loc: SourceLocation): SourceLocation => (loc.file === pseudo ? def.bodyLocations[loc.range.start.line - 1] ?? lineLoc : loc);
  const stack: ResolvedNode[] = [...nodes];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.location.file === pseudo || n.httpdFile !== undefined) {
      n.httpdFile ??= pseudo;
      const loc = real(n.location);
      n.location = loc;
      n.nameLocation = loc;
      for (const a of n.args) a.location = loc;
      if (n.kind === 'section' && n.closeLocation) n.closeLocation = real(n.closeLocation);
    }
    if (n.kind === 'section') for (const c of n.children) stack.push(c);
  }
  for (let k = before; k < s.findings.length; k++) {
    const f = s.findings[k];
    if (f.location.file === pseudo) {
      f.location = real(f.location);
      f.related = [...(f.related ?? []), { location: lineLoc, message: `in macro '${name}' as expanded by this Use` }];
    }
  }
  return nodes;
}
