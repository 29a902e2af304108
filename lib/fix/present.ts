/**
 * Fixes as the output shows them: each edit's file named as the user gave it, and its range with 1-based
 * line and column (editors' counting: a lone CR ends a line) beside the offsets, computed from the
 * text the edit applies to.
 */
import type { Finding, TextEdit } from '../core/finding';
import { LineIndex } from '../core/source';

export function presentFixes(findings: Finding[], textOf: (file: string) => string | undefined, nameOf: (file: string) => string): Finding[] {
  const indexes = new Map<string, LineIndex | null>();
  const indexOf = (file: string): LineIndex | null => {
    if (!indexes.has(file)) {
      const text = textOf(file);
      indexes.set(file, text === undefined ? null : new LineIndex(text));
    }
    return indexes.get(file)!;
  };
  return findings.map((f) => {
    if (!f.fix) return f;
    const edits = f.fix.edits.map((edit): TextEdit => {
      const index = indexOf(edit.file);
      const { startOffset, endOffset } = edit.range;
      const at = (o: number) => {
        const p = index!.position(o);
        return { line: p.line, column: p.column };
      };
      const inside = index !== null && endOffset <= index.text.length;
      return { file: nameOf(edit.file), range: { startOffset, endOffset, ...(inside ? { start: at(startOffset), end: at(endOffset) } : {}) }, text: edit.text };
    });
    return { ...f, fix: { ...f.fix, edits } };
  });
}
