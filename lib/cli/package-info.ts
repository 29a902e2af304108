/** Where the installed package lives (for docs pages) and what it is called, read once. */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';

export interface PackageInfo {
  root: string;
  version: string;
  /** Base for docs links: the repository's web URL at main when package.json names one, else a file URL of the installed docs. */
  docsBase: string;
}

let cached: PackageInfo | undefined;

export function packageInfo(): PackageInfo {
  if (cached) return cached;
  // lib/cli (ts-jest) or dist/lib/cli (compiled): walk up to our package.json.
  let dir = __dirname;
  let pkg: { name?: string; version?: string; repository?: string | { url?: string }; homepage?: string } = {};
  while (true) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      try {
        pkg = JSON.parse(fs.readFileSync(candidate, 'utf8'));
      } catch {
        pkg = {};
      }
      if (pkg.name === 'deploylint') break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      dir = path.resolve(__dirname, '..', '..');
      break;
    }
    dir = parent;
  }
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const web = repo ? /github\.com[/:]([^/]+\/[^/.]+)/.exec(repo) : null;
  const docsBase = web ? `https://github.com/${web[1]}/blob/main/` : pathToFileURL(dir + path.sep).href;
  cached = { root: dir, version: pkg.version ?? '0.0.0', docsBase };
  return cached;
}

/** URL of a docs page given as a package-relative path (`docs/rules/x.md`). */
export function docsUrlFor(docsPath: string): string {
  return packageInfo().docsBase + docsPath;
}
