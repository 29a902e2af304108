/**
 * Shell words as bash reads them, for the shell-writer reader (see README.md, "Shell scripts that
 * write configs"). One linear scan of the script: words with their quoting taken off (`"..."` with
 * `\"` `\$` `\\` escapes, `'...'`, unquoted `\x`), every expansion (`$VAR`, `${...}`, `$(...)`,
 * `$((...))`, backquotes, `$1`, `$@`) kept as one opaque part, operators, comments and here-document
 * bodies skipped. Every literal character keeps its source offset. Nothing is expanded or executed.
 */

/** Literal text: `text[i]` is the script's character at `source + i`; `source: -1` for text with no source of its own (an `echo -e` escape). */
export interface LitPart { kind: 'lit'; text: string; source: number }
/** An expansion the script does not fix: one opaque word. */
export interface VarPart { kind: 'var'; start: number; end: number; markup: string }
export type WordPart = LitPart | VarPart;

export interface Word {
  start: number;
  end: number;
  parts: WordPart[];
}

export type Token =
  | { t: 'word'; word: Word }
  | { t: 'op'; op: string; start: number; end: number };

const OPERATORS = ['&&', '||', ';;&', ';;', ';&', '|&', '>>', '>&', '>|', '&>', '<<<', '<<-', '<<', '<&', '<>', ';', '&', '|', '<', '>', '(', ')', '\n'];
const OPERATOR_START = new Set([';', '&', '|', '<', '>', '(', ')', '\n']);
const SPECIAL_PARAM = /[@*#?$!\-0-9]/;
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** The text of a word when it is all literal, else null. */
export function literal(word: Word | undefined): string | null {
  if (!word) return null;
  let out = '';
  for (const p of word.parts) {
    if (p.kind !== 'lit') return null;
    out += p.text;
  }
  return out;
}

/** The word as a key: literal text, and each expansion as written with `${x}` read as `$x`. */
export function wordKey(word: Word): string {
  return word.parts.map((p) => (p.kind === 'lit' ? p.text : p.markup.replace(/^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/, '$$$1'))).join('');
}

/**
 * End (exclusive) of a bracketed expansion starting at `open` (`(` of `$(` or `{` of `${`), counting
 * nested brackets and skipping quotes; the end of the text when it is not closed. Linear.
 */
function skipBracketed(text: string, open: number, opening: string, closing: string): number {
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') { i += 2; continue; }
    if (c === "'" && opening === '(') {
      const close = text.indexOf("'", i + 1);
      i = close < 0 ? text.length : close + 1;
      continue;
    }
    if (c === '"') {
      // a double-quoted string inside: to its closing quote (escapes skipped)
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (c === opening) depth++;
    else if (c === closing && --depth === 0) return i + 1;
    i++;
  }
  return text.length;
}

/** The expansion at `i` (a `$` or a backquote): its end, or -1 when `$` is a plain character there. */
function expansionEnd(text: string, i: number): number {
  if (text[i] === '`') {
    let j = i + 1;
    while (j < text.length && text[j] !== '`') j += text[j] === '\\' ? 2 : 1;
    return Math.min(text.length, j + 1);
  }
  const n = text[i + 1];
  if (n === undefined) return -1;
  if (n === '(') return skipBracketed(text, i + 1, '(', ')');
  if (n === '{') return skipBracketed(text, i + 1, '{', '}');
  if (n === "'") {
    // $'...' (ANSI-C quoting): opaque, to the closing unescaped quote
    let j = i + 2;
    while (j < text.length && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
    return Math.min(text.length, j + 1);
  }
  if (NAME_START.test(n)) {
    let j = i + 2;
    while (j < text.length && NAME_CHAR.test(text[j])) j++;
    return j;
  }
  if (SPECIAL_PARAM.test(n)) return i + 2;
  return -1;
}

export interface LexOptions {
  /** Stop after this many tokens (the rest of the script is not read); `truncated` says so. */
  maxTokens?: number;
}

export interface LexResult {
  tokens: Token[];
  truncated: boolean;
}

/** Tokens of a whole script. Never throws; unclosed quotes run to the end of the text. */
export function lexShell(text: string, options: LexOptions = {}): LexResult {
  const maxTokens = options.maxTokens ?? Infinity;
  const tokens: Token[] = [];
  const heredocs: { delimiter: string; strip: boolean }[] = [];
  let i = 0;
  let word: Word | null = null;
  let lit: LitPart | null = null;

  const addLit = (ch: string, source: number) => {
    if (!word) word = { start: source < 0 ? i : source, end: i, parts: [] };
    if (lit && source >= 0 && lit.source >= 0 && lit.source + lit.text.length === source) lit.text += ch;
    else if (lit && source < 0 && lit.source < 0) lit.text += ch;
    else {
      lit = { kind: 'lit', text: ch, source };
      word.parts.push(lit);
    }
  };
  const addVar = (start: number, end: number) => {
    if (!word) word = { start, end, parts: [] };
    word.parts.push({ kind: 'var', start, end, markup: text.slice(start, end) });
    lit = null;
  };
  const endWord = (at: number) => {
    if (word) {
      word.end = at;
      tokens.push({ t: 'word', word });
    }
    word = null;
    lit = null;
  };

  while (i < text.length && tokens.length < maxTokens) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r') { endWord(i); i++; continue; }
    if (c === '\\') {
      if (text[i + 1] === '\n') { i += 2; continue; } // line continuation
      if (i + 1 < text.length) addLit(text[i + 1], i + 1);
      i += 2;
      continue;
    }
    if (c === '#' && !word) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (c === "'") {
      if (!word) word = { start: i, end: i, parts: [] };
      const close = text.indexOf("'", i + 1);
      const end = close < 0 ? text.length : close;
      for (let j = i + 1; j < end; j++) addLit(text[j], j);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      if (!word) word = { start: i, end: i, parts: [] };
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        const d = text[j];
        if (d === '\\' && j + 1 < text.length) {
          const e = text[j + 1];
          if (e === '\n') { j += 2; continue; }
          if (e === '"' || e === '\\' || e === '$' || e === '`') { addLit(e, j + 1); j += 2; continue; }
          addLit(d, j);
          j++;
          continue;
        }
        if (d === '$' || d === '`') {
          const end = expansionEnd(text, j);
          if (end > j) { addVar(j, end); j = end; continue; }
        }
        addLit(d, j);
        j++;
      }
      i = j + 1;
      continue;
    }
    if (c === '$' || c === '`') {
      const end = expansionEnd(text, i);
      if (end > i) { addVar(i, end); i = end; continue; }
      addLit(c, i);
      i++;
      continue;
    }
    const op = OPERATOR_START.has(c) ? OPERATORS.find((o) => text.startsWith(o, i)) : undefined;
    if (op) {
      endWord(i);
      tokens.push({ t: 'op', op, start: i, end: i + op.length });
      i += op.length;
      if (op === '<<' || op === '<<-') {
        // the delimiter word follows; its body is skipped at the end of the line
        while (text[i] === ' ' || text[i] === '\t') i++;
        const m = /^(['"]?)([^\s'";&|<>()]+)\1/.exec(text.slice(i, i + 256));
        if (m) {
          heredocs.push({ delimiter: m[2], strip: op === '<<-' });
          i += m[0].length;
        }
      }
      if (op === '\n' && heredocs.length) {
        for (const h of heredocs.splice(0)) {
          // body lines up to the delimiter alone on its line (tabs first with <<-)
          while (i < text.length) {
            const nl = text.indexOf('\n', i);
            const lineEnd = nl < 0 ? text.length : nl;
            let line = text.slice(i, lineEnd).replace(/\r$/, '');
            if (h.strip) line = line.replace(/^\t+/, '');
            i = nl < 0 ? text.length : nl + 1;
            if (line === h.delimiter) break;
          }
        }
      }
      continue;
    }
    addLit(c, i);
    i++;
  }
  endWord(Math.min(i, text.length));
  return { tokens, truncated: i < text.length };
}
