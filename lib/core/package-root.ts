/**
 * The installed package's root directory: the nearest directory above this module whose
 * package.json is deploylint's. Files the package ships beside its code (lib/knowledge/data/*.tsv,
 * docs/) are found from it, so one rule holds in every layout the code runs from: the TypeScript
 * sources (lib/core, under ts-jest), the compiled tree (dist/lib/core) and the single-file bundle
 * (dist/deploylint.cjs, where `__dirname` is dist/). Read once per process.
 */
import * as fs from 'fs';
import * as path from 'path';

let root: string | undefined;
let manifest: Record<string, unknown> | undefined;

function find(): { root: string; manifest: Record<string, unknown> } {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      if (pkg && pkg.name === 'deploylint') return { root: dir, manifest: pkg };
    } catch {
      // no package.json here, or not ours (or unreadable): keep walking up
    }
    if (path.dirname(dir) === dir) break;
  }
  // Not found (a copy of the code without its package.json): the layout of the sources and dist/lib.
  return { root: path.resolve(__dirname, '..', '..'), manifest: {} };
}

export function packageRoot(): string {
  if (root === undefined) ({ root, manifest } = find());
  return root;
}

/** deploylint's own package.json as read by packageRoot() (empty when it was not found). */
export function packageManifest(): Record<string, unknown> {
  if (manifest === undefined) ({ root, manifest } = find());
  return manifest;
}

/** The directory of the knowledge tables (`*.tsv`), shipped as lib/knowledge/data in every layout. */
export function knowledgeDataDir(): string {
  return path.join(packageRoot(), 'lib', 'knowledge', 'data');
}
