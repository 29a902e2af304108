/**
 * The resolved tree printed the way httpd prints it: `apache2 -t -D DUMP_CONFIG` (mod_info's
 * mod_info_module_cmds with no request) and `apache2 -t -D DUMP_INCLUDES` (core's include listing).
 */
import type { ResolvedApacheConfig, ResolvedNode } from './types';

/** mod_info's put_int_flush_right(n, 4): right-aligned in 4 columns, never truncated. */
function lineField(n: number): string {
  return String(n).padStart(4, ' ');
}

export function dumpApacheConfig(resolved: ResolvedApacheConfig): string {
  const out: string[] = [];
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
    header(n.location.file, n.line ?? n.location.range.end.line, nest);
    out.push(`${indent(nest)}${directiveName(n)} ${n.argsText ?? n.args.map((a) => a.raw).join(' ')}\n`);
  };
  const visit = (nodes: ResolvedNode[], nest: number) => {
    for (const n of nodes) {
      if (n.kind === 'section' && n.children.length > 0) {
        show(n, nest);
        visit(n.children, nest + 1);
        // the closing line carries the section's file but no line number
        header(n.location.file, 0, nest);
        out.push(`${indent(nest)}</${directiveName(n).slice(1)}>\n`);
      } else {
        show(n, nest);
      }
    }
  };
  visit(resolved.nodes, 0);
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
