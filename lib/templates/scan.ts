/**
 * One linear scan that cuts a template into text and markup tokens. The same scan serves detection
 * (every family tried, markup counts only when well formed, nothing reported) and reading (only the
 * engines found or forced, with unclosed markup reported and recovered at the end of its line).
 *
 * Linear: candidates are found with one global regular expression; each closing delimiter is
 * searched with indexOf from a position that only grows (a failed search is remembered, so a file of
 * many unclosed `{{` is not scanned again and again); every check at a candidate is bounded.
 */

export type Family = 'curly' | 'angle' | 'devstack' | 'autoconf' | 'shell';

export interface Token {
  kind: 'text' | 'expr' | 'tag' | 'comment';
  /** Source range. For text, the characters kept (whitespace control shrinks it). */
  start: number;
  end: number;
  family?: Family;
  /** Code between the delimiters, without whitespace-control markers. */
  code?: string;
  /** `{{`/`<%=` output, `{%`/`<%` statement, `{#`/`<%#`/`{{/*` comment. */
  delim?: 'expr' | 'stmt' | 'comment';
  trimLeft?: boolean;
  trimRight?: boolean;
  /** Jinja `{%+` / `+%}`: no lstrip_blocks / trim_blocks for this tag. */
  plusLeft?: boolean;
  plusRight?: boolean;
  /** Text of a `{% raw %}` block: not markup. */
  raw?: boolean;
}

export interface ScanConfig {
  curly: boolean;
  angle: boolean;
  devstack: boolean;
  autoconf: boolean;
  shell: boolean;
  /** Report unclosed markup and recover (the engine is known to be present). */
  strict: boolean;
}

export interface ScanProblem {
  start: number;
  end: number;
  severity: 'error' | 'warning';
  message: string;
}

const DEVSTACK = /%([A-Z_][A-Z0-9_]{1,63})%/y;
const AUTOCONF = /@@[A-Za-z_][A-Za-z0-9_]{0,63}@@|@[A-Za-z_][A-Za-z0-9_]{0,63}@/y;
const SHELL = /\$\{[A-Za-z_][A-Za-z0-9_]{0,63}(?::?[-=?+][^}\n]{0,200})?\}/y;
const ENDRAW = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;
const HEX_PAIR = /^[0-9A-F]{2}$/;

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

function candidatePattern(cfg: ScanConfig): RegExp | null {
  const alts: string[] = [];
  if (cfg.curly) alts.push('\\{[{%#]');
  if (cfg.angle) alts.push('<%', '%>');
  if (cfg.devstack) alts.push('%[A-Z_]');
  if (cfg.autoconf) alts.push('@');
  if (cfg.shell) alts.push('\\$\\{');
  return alts.length === 0 ? null : new RegExp(alts.join('|'), 'g');
}

export function scanTemplate(text: string, cfg: ScanConfig): { tokens: Token[]; problems: ScanProblem[] } {
  const tokens: Token[] = [];
  const problems: ScanProblem[] = [];
  const n = text.length;
  const re = candidatePattern(cfg);
  let textStart = 0;
  const pushText = (start: number, end: number) => {
    if (end > start) tokens.push({ kind: 'text', start, end });
  };
  if (!re) {
    pushText(0, n);
    return { tokens, problems };
  }

  // closer searches: the first occurrence at or after `from`; `from` only grows between calls
  const found = new Map<string, number>();
  const find = (closer: string, from: number): number => {
    const cached = found.get(closer);
    if (cached !== undefined && (cached === -1 || cached >= from)) return cached;
    const at = text.indexOf(closer, from);
    found.set(closer, at);
    return at;
  };
  const lineEnd = (from: number): number => {
    const nl = text.indexOf('\n', from);
    return nl < 0 ? n : nl;
  };
  // the current line's ini key mentions `route` (uWSGI routing uses `${VAR}` itself)
  let keyLineStart = -1;
  let keyLineEnd = -1;
  let keyIsRoute = false;
  const routeLine = (at: number): boolean => {
    if (at >= keyLineEnd || at < keyLineStart) {
      keyLineStart = text.lastIndexOf('\n', at) + 1;
      keyLineEnd = lineEnd(at);
      const line = text.slice(keyLineStart, keyLineEnd);
      const eq = line.indexOf('=');
      keyIsRoute = /route/i.test(eq < 0 ? line : line.slice(0, eq));
    }
    return keyIsRoute;
  };
  const unclosed = (start: number, open: string, close: string) => {
    problems.push({ start, end: Math.min(start + open.length, n), severity: 'error',
      message: `\`${open}\` is not closed: no \`${close}\` before the end of the file; the rest of the line is read as one template value` });
  };

  // set by curly() for `{% raw %}`: [open tag, literal text, close tag | null]
  const pending: { raw: [Token, { start: number; end: number }, Token | null] | null } = { raw: null };
  let escapedLine = -1;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const p = m.index;
    const c0 = text.charCodeAt(p);
    let tok: Token | null = null;
    let next = p + 1;

    if (c0 === 123 /* { */) {
      const r = curly(p);
      if (r) [tok, next] = r;
    } else if (c0 === 60 /* < */) {
      if (text.charCodeAt(p + 2) === 37 /* <%% */) {
        if (cfg.strict) {
          // ERB/EPP escape: `<%%` is the text `<%` (and a `%>` later on its line is text too)
          escapedLine = lineEnd(p);
          pushText(textStart, p + 2);
          textStart = p + 3;
          re.lastIndex = p + 3;
          continue;
        }
      } else {
        const r = angle(p);
        if (r) [tok, next] = r;
      }
    } else if (c0 === 37 /* % */) {
      if (text.charCodeAt(p + 1) === 62 /* %> */) {
        if (cfg.strict && cfg.angle && p > escapedLine && (p === 0 || isBlank(text.charCodeAt(p - 1))) && !/[A-Za-z0-9{]/.test(text.charAt(p + 2))) {
          problems.push({ start: p, end: p + 2, severity: 'warning',
            message: '`%>` closes no `<%` tag: it is printed as text (is a `<%=` missing before the value?)' });
        }
      } else if (cfg.devstack && (text.charCodeAt(p - 1) !== 37 || p === textStart)) { // `%%` escapes, `%A%%B%` is two
        DEVSTACK.lastIndex = p;
        const d = DEVSTACK.exec(text);
        if (d && !HEX_PAIR.test(d[1])) {
          tok = { kind: 'expr', start: p, end: p + d[0].length, family: 'devstack', code: d[1], delim: 'expr' };
          next = tok.end;
        }
      }
    } else if (c0 === 64 /* @ */) {
      if (p === 0 || p === textStart || !/[A-Za-z0-9._@]/.test(text.charAt(p - 1))) {
        AUTOCONF.lastIndex = p;
        const a = AUTOCONF.exec(text);
        if (a) {
          tok = { kind: 'expr', start: p, end: p + a[0].length, family: 'autoconf', code: a[0].replace(/@/g, ''), delim: 'expr' };
          next = tok.end;
        }
      }
    } else if (c0 === 36 /* $ */) {
      SHELL.lastIndex = p;
      const s = SHELL.exec(text);
      if (s && !routeLine(p)) {
        tok = { kind: 'expr', start: p, end: p + s[0].length, family: 'shell', code: s[0].slice(2, -1), delim: 'expr' };
        next = tok.end;
      }
    }

    if (tok) {
      pushText(textStart, tok.start);
      const raw = pending.raw;
      if (raw) {
        // a {% raw %} block: tag, literal text, closing tag
        tokens.push(raw[0]);
        if (raw[1].end > raw[1].start) tokens.push({ kind: 'text', ...raw[1], raw: true });
        if (raw[2]) tokens.push(raw[2]);
        pending.raw = null;
      } else {
        tokens.push(tok);
      }
      textStart = next;
      re.lastIndex = next;
    } else {
      re.lastIndex = p + 1;
    }
  }
  pushText(textStart, n);
  return { tokens, problems };

  // ---- per family -------------------------------------------------------------------------------

  function curly(p: number): [Token, number] | null {
    const kind = text.charAt(p + 1);
    let s = p + 2;
    if (kind === '{') {
      let trimLeft = false;
      if (text.charCodeAt(s) === 45 /* - */) {
        trimLeft = true;
        s++;
      }
      // Go comment {{/* ... */}} or {{- /* ... */ -}}
      let k = s;
      while (k < n && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
      if (text.startsWith('/*', k)) {
        let from = k + 2;
        for (;;) {
          const e = find('*/', from);
          if (e < 0) break;
          const close = /^\s*(-?)\s*\}\}/.exec(text.slice(e + 2, e + 8));
          if (close) {
            const end = e + 2 + close[0].length;
            return [{ kind: 'comment', start: p, end, family: 'curly', delim: 'comment', code: '', trimLeft, trimRight: close[1] === '-' }, end];
          }
          from = e + 2;
        }
        if (!cfg.strict) return null;
        unclosed(p, '{{/*', '*/}}');
        const end = lineEnd(p);
        return [{ kind: 'comment', start: p, end, family: 'curly', delim: 'comment', code: '' }, end];
      }
      const q = find('}}', s);
      if (q < 0) {
        if (!cfg.strict) return null;
        unclosed(p, '{{', '}}');
        const end = lineEnd(p);
        return [{ kind: 'expr', start: p, end, family: 'curly', delim: 'expr', code: text.slice(s, end).trim() }, end];
      }
      let codeEnd = q;
      let trimRight = false;
      if (q > s && text.charCodeAt(q - 1) === 45) {
        trimRight = true;
        codeEnd--;
      }
      const code = text.slice(s, codeEnd).trim();
      if (!cfg.strict && (code === '' || !/^[A-Za-z0-9_.$("'[!-]/.test(code) || code.includes('{{') || code.includes('\n\n'))) return null;
      return [{ kind: 'expr', start: p, end: q + 2, family: 'curly', delim: 'expr', code, trimLeft, trimRight }, q + 2];
    }
    if (kind === '%') {
      let plusLeft = false;
      let trimLeft = false;
      if (text.charCodeAt(s) === 45) trimLeft = true;
      else if (text.charCodeAt(s) === 43) plusLeft = true;
      if (trimLeft || plusLeft) s++;
      if (!/^\s*[A-Za-z_]/.test(text.slice(s, s + 40))) return null; // `{%{HTTP_HOST}` is Apache, not Jinja
      const q = find('%}', s);
      if (q < 0) {
        if (!cfg.strict) return null;
        unclosed(p, '{%', '%}');
        const end = lineEnd(p);
        // read as nothing: an unclosed statement must not open a block that would be reported again
        return [{ kind: 'comment', start: p, end, family: 'curly', delim: 'stmt', code: '' }, end];
      }
      let codeEnd = q;
      const last = text.charCodeAt(q - 1);
      const trimRight = q > s && last === 45;
      const plusRight = q > s && last === 43;
      if (trimRight || plusRight) codeEnd--;
      const code = text.slice(s, codeEnd).trim();
      const tag: Token = { kind: 'tag', start: p, end: q + 2, family: 'curly', delim: 'stmt', code, trimLeft, trimRight, plusLeft, plusRight };
      if (/^raw\b/.test(code)) {
        ENDRAW.lastIndex = q + 2;
        const e = ENDRAW.exec(text);
        if (!e && cfg.strict) unclosed(p, '{% raw %}', '{% endraw %}');
        const bodyEnd = e ? e.index : n;
        const closeTok: Token | null = e ? {
          kind: 'tag', start: e.index, end: e.index + e[0].length, family: 'curly', delim: 'stmt', code: 'endraw',
          trimLeft: e[0].charAt(2) === '-', plusLeft: e[0].charAt(2) === '+',
          trimRight: e[0].charAt(e[0].length - 3) === '-', plusRight: e[0].charAt(e[0].length - 3) === '+',
        } : null;
        pending.raw = [tag, { start: q + 2, end: bodyEnd }, closeTok];
        return [tag, closeTok ? closeTok.end : n];
      }
      return [tag, q + 2];
    }
    // {# comment #}
    let trimLeft = false;
    if (text.charCodeAt(s) === 45) {
      trimLeft = true;
      s++;
    }
    const q = find('#}', s);
    if (q < 0) {
      if (!cfg.strict) return null;
      unclosed(p, '{#', '#}');
      const end = lineEnd(p);
      return [{ kind: 'comment', start: p, end, family: 'curly', delim: 'comment', code: '' }, end];
    }
    const trimRight = q > s && text.charCodeAt(q - 1) === 45;
    return [{ kind: 'comment', start: p, end: q + 2, family: 'curly', delim: 'comment', code: '', trimLeft, trimRight }, q + 2];
  }

  function angle(p: number): [Token, number] | null {
    let s = p + 2;
    const c = text.charAt(s);
    if (!cfg.strict && !/[=\-#| \t\r\n]/.test(c)) return null;
    let delim: Token['delim'] = 'stmt';
    let trimLeft = false;
    if (c === '-') {
      trimLeft = true;
      s++;
    }
    const c2 = text.charAt(s);
    if (c2 === '#') {
      delim = 'comment';
      s++;
    } else if (c2 === '=') {
      delim = 'expr';
      s++;
      if (text.charAt(s) === '=') s++; // <%== (raw output)
    }
    // first `%>` not written `%%>` (the escape for a literal `%>` inside a tag)
    let q = find('%>', s);
    while (q > s && text.charCodeAt(q - 1) === 37) q = find('%>', q + 2);
    if (q < 0) {
      if (!cfg.strict) return null;
      unclosed(p, '<%', '%>');
      const end = lineEnd(p);
      return [{ kind: delim === 'expr' ? 'expr' : 'comment', start: p, end, family: 'angle', delim, code: text.slice(s, end).trim() }, end];
    }
    let codeEnd = q;
    const trimRight = q > s && text.charCodeAt(q - 1) === 45;
    if (trimRight) codeEnd--;
    const code = text.slice(s, codeEnd).trim();
    const kind = delim === 'expr' ? 'expr' : delim === 'comment' ? 'comment' : 'tag';
    return [{ kind, start: p, end: q + 2, family: 'angle', delim, code, trimLeft, trimRight }, q + 2];
  }
}
