/**
 * What a statement tag does to the structure of the file, per language family:
 * - `jinja`: `{% if/elif/else/endif %}`, `{% for/else/endfor %}`, named `{% endX %}` closers.
 * - `go`: `{{ if/else if/else/end }}`, `{{ range/with/define/block }}`, `{{ template }}`, assignments.
 * - `ruby`: ERB (Ruby: `if/unless/elsif/else/case/when/end`, `do |x|` and `{ |x|` blocks) and EPP
 *   (Puppet: `if $x {`, `} elsif $y {`, `} else {`, `}`, `$h.each |$k, $v| {`). One classifier reads
 *   both: Ruby closes with `end`, Puppet with `}`, and a tag never mixes the two.
 */

export type Syntax = 'jinja' | 'go' | 'ruby';

export type Statement =
  /** Opens a block. `decision` blocks hold alternatives; `inline` renders its body in place; `drop` renders nothing (definitions). */
  | { op: 'open'; block: 'if' | 'loop' | 'case' | 'inline' | 'drop'; name: string; cond: string; negated?: boolean }
  /** `elif`/`else`/`when`/`} elsif {`: starts the next alternative; cond null for `else`. */
  | { op: 'branch'; name: string; cond: string | null }
  /** Closes the innermost block (`end`, `}`), or the innermost block named `name` (Jinja `endX`). */
  | { op: 'close'; name: string | null }
  /** Produces its value in place: `{% include %}`, `{{ template }}`, a Go output action. */
  | { op: 'output'; include: boolean }
  /** Produces nothing: `{% set x = 1 %}`, `{{ $x := 1 }}`, `<% x = 1 %>`. */
  | { op: 'none'; note?: string };

const JINJA_INLINE = new Set(['block', 'filter', 'with', 'autoescape', 'trans', 'raw']);
const JINJA_DROP = new Set(['macro', 'call']);

export function classifyJinja(code: string): Statement {
  const m = /^([A-Za-z_]\w*)\s*([^]*)$/.exec(code);
  if (!m) return { op: 'none' };
  const word = m[1];
  const rest = m[2].trim();
  switch (word) {
    case 'if':
      return { op: 'open', block: 'if', name: 'if', cond: rest };
    case 'elif':
      return { op: 'branch', name: 'elif', cond: rest };
    case 'else':
      return { op: 'branch', name: 'else', cond: null };
    case 'for':
      return { op: 'open', block: 'loop', name: 'for', cond: rest };
    case 'set':
      // `{% set x = v %}` assigns; `{% set x %}...{% endset %}` captures its body
      return hasAssignment(rest) ? { op: 'none' } : { op: 'open', block: 'drop', name: 'set', cond: rest };
    case 'include':
      return { op: 'output', include: true };
    case 'extends':
      return { op: 'none', note: 'extends' };
    case 'endraw':
      return { op: 'none' };
    default:
      if (JINJA_INLINE.has(word)) return word === 'raw' ? { op: 'none' } : { op: 'open', block: 'inline', name: word, cond: rest };
      if (JINJA_DROP.has(word)) return { op: 'open', block: 'drop', name: word, cond: rest };
      if (word.startsWith('end') && word.length > 3) return { op: 'close', name: word.slice(3) };
      return { op: 'none' }; // import, from, do, break, continue, extension tags
  }
}

function hasAssignment(rest: string): boolean {
  return /(^|[^=!<>])=($|[^=])/.test(rest.replace(/'[^']*'|"[^"]*"/g, "''"));
}

/** A Go template action `{{ ... }}` (code without delimiters and trim markers). */
export function classifyGo(code: string): Statement {
  const m = /^([A-Za-z_]\w*)\b\s*([^]*)$/.exec(code);
  const word = m ? m[1] : '';
  const rest = m ? m[2].trim() : '';
  switch (word) {
    case 'if':
      return { op: 'open', block: 'if', name: 'if', cond: rest };
    case 'with':
      return { op: 'open', block: 'if', name: 'with', cond: `with ${rest}` };
    case 'else': {
      const e = /^(if|with)\b\s*([^]*)$/.exec(rest);
      if (!e) return { op: 'branch', name: 'else', cond: null };
      return { op: 'branch', name: `else ${e[1]}`, cond: e[1] === 'with' ? `with ${e[2].trim()}` : e[2].trim() };
    }
    case 'end':
      return { op: 'close', name: null };
    case 'range':
      return { op: 'open', block: 'loop', name: 'range', cond: rest };
    case 'define':
      return { op: 'open', block: 'drop', name: 'define', cond: rest };
    case 'block':
      return { op: 'open', block: 'inline', name: 'block', cond: rest };
    case 'template':
      return { op: 'output', include: true };
    case 'break':
    case 'continue':
      return { op: 'none' };
    default:
      if (/^\$[\w]*\s*(,\s*\$[\w]*\s*)?:?=[^=]/.test(code)) return { op: 'none' };
      return { op: 'output', include: false };
  }
}

/** A condition as written, without a trailing `{`, `then` or `do` and a trailing comment. */
function condition(s: string): string {
  // Anchored at the end by hand: /\s+#[^'"\n]*$/ and /\s*(\{|then|do)\s*$/ retry from every blank of
  // a long tag (quadratic), and a tag's text is the repository's.
  let t = s;
  // the first `#` after a blank with no quote or line break after it starts a comment
  const quote = Math.max(t.lastIndexOf("'"), t.lastIndexOf('"'), t.lastIndexOf('\n'));
  let hash = t.indexOf('#', quote + 1);
  while (hash >= 0 && (hash === 0 || !/\s/.test(t[hash - 1]))) hash = t.indexOf('#', hash + 1);
  if (hash > 0) t = t.slice(0, hash);
  t = t.trimEnd();
  const tail = /(\{|\bthen|\bdo)$/.exec(t.slice(-5));
  if (tail) t = t.slice(0, t.length - tail[1].length);
  return t.trim();
}

/** Blank out string literals and comments so keywords and braces inside them are not counted. */
function codeOnly(code: string): string {
  return code
    .replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, (s) => `'${' '.repeat(Math.max(0, s.length - 2))}'`)
    .replace(/#[^\n]*/g, '');
}

function count(re: RegExp, s: string): number {
  return (s.match(re) ?? []).length;
}

/** An ERB or EPP statement tag `<% ... %>` (code without delimiters and trim markers). */
export function classifyRuby(rawCode: string, inEppCase = false): Statement {
  // keywords and braces are read on the code without strings and comments; conditions are kept as written
  const code = codeOnly(rawCode).trim();
  const raw = rawCode.trim();
  if (code === '' || code.startsWith('|')) return { op: 'none' }; // EPP parameter tag <%- | $x | -%>
  if (code.startsWith('}')) {
    // Puppet: `}`, `} elsif $x {`, `} else {`; Ruby: the end of a `{ |x|` block
    const rest = code.slice(1).trim();
    const e = /^(elsif|else)\b\s*([^]*?)\s*\{$/.exec(rest);
    if (e) return { op: 'branch', name: e[1], cond: e[1] === 'else' ? null : condition(raw.slice(1).trim().slice(e[1].length)) };
    return { op: 'close', name: null };
  }
  const m = /^([A-Za-z_]\w*)\b\s*([^]*)$/.exec(code);
  const word = m ? m[1] : '';
  const rest = m ? condition(raw.slice(word.length)) : '';
  const ends = count(/\bend\b/g, code);
  switch (word) {
    case 'if':
    case 'unless':
      if (ends > 0 && !code.endsWith('{')) return { op: 'none' }; // one-line `if x then y end`
      return { op: 'open', block: 'if', name: word, cond: rest, negated: word === 'unless' };
    case 'elsif':
      return { op: 'branch', name: 'elsif', cond: rest };
    case 'else':
      return { op: 'branch', name: 'else', cond: null };
    case 'when':
      return { op: 'branch', name: 'when', cond: rest };
    case 'case':
      return { op: 'open', block: 'case', name: 'case', cond: rest };
    case 'while':
    case 'until':
    case 'for':
      return ends > 0 ? { op: 'none' } : { op: 'open', block: 'loop', name: word, cond: rest };
    case 'begin':
      return { op: 'open', block: 'inline', name: 'begin', cond: '' };
    case 'end':
      return { op: 'close', name: null };
    default:
      break;
  }
  // Puppet case branch `'a', 'b': {` / `default: {`
  if (inEppCase && /^[^{}]*:\s*\{$/.test(code)) return { op: 'branch', name: 'when', cond: raw.replace(/\s*:\s*\{$/, '') };
  if (/\bdo(\s*\|[^|]*\|)?$/.test(code) || /\{(\s*\|[^|]*\|)?$/.test(code)) {
    if (ends === 0 && count(/\}/g, code) < count(/\{/g, code) + (code.endsWith('{') ? 0 : 1)) {
      return { op: 'open', block: 'loop', name: 'each', cond: code };
    }
  }
  const net = count(/\{/g, code) - count(/\}/g, code);
  if (net < 0) return { op: 'close', name: null };
  return { op: 'none' };
}
