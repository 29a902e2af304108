/** File paths and `file:` URIs, the two names of a document (the editor speaks URIs, the linter paths). */
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';

/** The absolute path of a `file:` URI, or undefined for other schemes (untitled:, git:, ...). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).href;
}

/** Is `p` inside `dir` (or `dir` itself)? Both absolute. */
export function isInside(p: string, dir: string): boolean {
  if (p === dir) return true;
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
