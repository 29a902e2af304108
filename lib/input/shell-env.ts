/**
 * Environment files written as shell: Debian's /etc/apache2/envvars (which apache2ctl sources), a
 * systemd EnvironmentFile, a `.env`. deploylint never runs a shell: it reads the plain assignments
 * (`NAME=value`, `export NAME=value`, `export NAME`), with quotes, `$VAR` / `${VAR}` references to
 * earlier ones and `${VAR##prefix}` as Debian uses it, and skips every other line (`unset`, `if`,
 * `. file`, comments), since those are the shell's business and change nothing deploylint reads.
 */

export function parseShellEnv(text: string, base: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...base };
  const lookup = (name: string) => env[name] ?? '';
  const substitute = (v: string) =>
    v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(##([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, n1, _x, prefix, n2) => {
      const val = lookup(n1 ?? n2);
      if (prefix !== undefined) return val.startsWith(prefix) ? val.slice(prefix.length) : val;
      return val;
    });
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    env[m[1]] = shellWord(m[2], substitute);
  }
  return env;
}

/** One shell word: 'single' is literal, "double" and bare text expand variables; a bare ` #` starts a comment. */
function shellWord(raw: string, substitute: (v: string) => string): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      if (end < 0) return out + raw.slice(i + 1);
      out += raw.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let end = i + 1;
      while (end < raw.length && raw[end] !== '"') end += raw[end] === '\\' ? 2 : 1;
      out += substitute(raw.slice(i + 1, Math.min(end, raw.length)).replace(/\\(["\\$`])/g, '$1'));
      i = end + 1;
    } else if (c === ' ' || c === '\t' || c === ';') {
      break; // the word ends: a comment, a second command or `export` arguments follow
    } else {
      let end = i;
      while (end < raw.length && !` \t;'"`.includes(raw[end])) end++;
      out += substitute(raw.slice(i, end));
      i = end;
    }
  }
  return out;
}
