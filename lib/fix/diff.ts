/**
 * `--diff`: unified diffs of the fixed files that `git apply` and `patch -p1` accept. Paths are
 * `a/<path>` and `b/<path>` relative to the working directory (quoted the way git quotes names with
 * special characters). Lines are compared with their endings, so a CRLF file gives CRLF lines, and a
 * last line without an ending is marked `\ No newline at end of file`. Content is written in each
 * file's own encoding (latin1 files byte for byte), so the diff is bytes, not text.
 */

const CONTEXT = 3;

type Op = { kind: ' ' | '-' | '+'; line: string };

function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Myers' O((N+M)D) shortest edit script over lines. */
function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[offset + k] = x;
      if (x >= n && y >= m) { found = true; break; }
    }
  }
  trace.push(v.slice());
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: ' ', line: a[--x] }), y--;
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: '+', line: b[--y] });
    else ops.push({ kind: '-', line: a[--x] });
  }
  while (x > 0 && y > 0) ops.push({ kind: ' ', line: a[--x] }), y--;
  return ops.reverse();
}

/** A path as git writes it in a diff header: C-quoted when it holds a quote, a backslash or a control character. */
export function gitQuotePath(name: string): string {
  if (!/["\\\x00-\x1f\x7f]/.test(name)) return name;
  const escaped = name.replace(/["\\\x00-\x1f\x7f]/g, (c) => {
    const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v' };
    return named[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`;
  });
  return `"${escaped}"`;
}

/**
 * The unified diff of one file, or an empty buffer when nothing changed. `name` is the path relative
 * to the working directory, with `/` separators; `encode` turns text into the file's bytes.
 */
export function unifiedDiff(oldText: string, newText: string, name: string, encode: (text: string) => Buffer): Buffer {
  if (oldText === newText) return Buffer.alloc(0);
  const ops = diffLines(splitLines(oldText), splitLines(newText));
  const parts: Buffer[] = [];
  const text = (s: string) => parts.push(Buffer.from(s, 'utf8'));
  const a = gitQuotePath(`a/${name}`);
  const b = gitQuotePath(`b/${name}`);
  text(`diff --git ${a} ${b}\n--- ${a}\n+++ ${b}\n`);
  // hunks: runs of changes with up to CONTEXT unchanged lines around them, merged when close
  let i = 0;
  const oldLineAt: number[] = [];
  const newLineAt: number[] = [];
  let o = 0;
  let n = 0;
  for (const op of ops) {
    oldLineAt.push(o);
    newLineAt.push(n);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') n++;
  }
  while (i < ops.length) {
    while (i < ops.length && ops[i].kind === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end].kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next].kind === ' ') next++;
      if (next < ops.length && next - end <= 2 * CONTEXT) { end = next; continue; }
      end = Math.min(ops.length, end + CONTEXT);
      break;
    }
    const hunk = ops.slice(start, end);
    const oldLen = hunk.filter((op) => op.kind !== '+').length;
    const newLen = hunk.filter((op) => op.kind !== '-').length;
    const oldStart = oldLen === 0 ? oldLineAt[start] : oldLineAt[start] + 1;
    const newStart = newLen === 0 ? newLineAt[start] : newLineAt[start] + 1;
    text(`@@ -${oldStart},${oldLen} +${newStart},${newLen} @@\n`);
    for (const op of hunk) {
      const ended = op.line.endsWith('\n');
      text(op.kind);
      parts.push(encode(ended ? op.line.slice(0, -1) : op.line));
      text(ended ? '\n' : '\n\\ No newline at end of file\n');
    }
    i = end;
  }
  return Buffer.concat(parts);
}
