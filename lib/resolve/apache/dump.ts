/**
 * The resolved tree printed the way httpd prints it: `apache2 -t -D DUMP_CONFIG` (mod_info's
 * mod_info_module_cmds with no request) and `apache2 -t -D DUMP_INCLUDES` (core's include listing).
 */
import type { ResolvedApacheConfig, ResolvedNode } from './types';

/** mod_info's put_int_flush_right(n, 4): right-aligned in 4 columns, never truncated. */
function lineField(n: number): string {
  return String(n).padStart(4, ' ');
}

/** Beyond this the dump is cut (a tree nested thousands deep indents quadratically). */
const MAX_DUMP_CHARS = 256 << 20;

export function dumpApacheConfig(resolved: ResolvedApacheConfig): string {
  const out: string[] = [];
  let size = 0;
  let lastFile: string | null = null;
  const indent = (nest: number) => '  '.repeat(nest);
  const header = (file: string, line: number, nest: number) => {
    if (lastFile !== file) {
      out.push(`# In file: ${file}\n`);
      lastFile = file;
    }
    if (line > 0) out.push(`${indent(nest)}#${lineField(line)}:\n`);
  };
  const directiveName = (n: ResolvedNode) => n.directive ?? (n.kind === 'section' ? '<' + n.name : n.name);
  const show = (n: ResolvedNode, nest: number) => {
    header(n.httpdFile ?? n.location.file, n.line ?? n.location.range.end.line, nest);
    out.push(`${indent(nest)}${directiveName(n)} ${n.argsText ?? n.args.map((a) => a.raw).join(' ')}\n`);
  };
  // iterative walk (deeply nested trees must not exhaust the stack)
  const frames: { nodes: ResolvedNode[]; i: number; nest: number; section?: ResolvedNode }[] = [{ nodes: resolved.nodes, i: 0, nest: 0 }];
  while (frames.length) {
    const f = frames[frames.length - 1];
    if (f.i >= f.nodes.length) {
      frames.pop();
      if (f.section) {
        // the closing line carries the section's file but no line number
        const nest = f.nest - 1;
        header(f.section.httpdFile ?? f.section.location.file, 0, nest);
        out.push(`${indent(nest)}</${directiveName(f.section).slice(1)}>\n`);
      }
      continue;
    }
    const n = f.nodes[f.i++];
    if (size > MAX_DUMP_CHARS) {
      out.push('# (output cut: too large)\n');
      break;
    }
    const before = out.length;
    show(n, f.nest);
    for (let k = before; k < out.length; k++) size += out[k].length;
    if (n.kind === 'section' && n.children.length > 0) frames.push({ nodes: n.children, i: 0, nest: f.nest + 1, section: n });
  }
  return out.join('');
}

export function dumpApacheIncludes(resolved: ResolvedApacheConfig): string {
  const out = ['Included configuration files:\n'];
  for (const inc of resolved.includes ?? []) {
    const pad = '  '.repeat(inc.depth + 1);
    out.push(inc.depth === 0 ? `${pad}(*) ${inc.file}\n` : `${pad}(${inc.includeLine}) ${inc.file}\n`);
  }
  return out.join('');
}
