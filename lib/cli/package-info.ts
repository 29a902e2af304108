/** Where the installed package lives (for docs pages), what it is called, and its web home, read once. */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { packageManifest, packageRoot } from '../core/package-root';

export interface PackageInfo {
  root: string;
  version: string;
  /**
   * Base for docs links: `<repository>/blob/v<version>/` when package.json names a repository (or a
   * homepage on a code host), so a link shows the pages of the release that produced the report;
   * else a file URL of the installed package, which output formats must not publish (see
   * lib/format/sarif.ts).
   */
  docsBase: string;
  /** The repository's web URL, when package.json gives one. */
  webRepo?: string;
}

interface PackageJson {
  name?: string;
  version?: string;
  repository?: string | { url?: string };
  homepage?: string;
}

let cached: PackageInfo | undefined;

const CODE_HOSTS = /^(github\.com|gitlab\.com|codeberg\.org|bitbucket\.org)$/i;

/**
 * The repository's web URL from package.json: `repository` (a URL, `git+https://...git`,
 * `git@host:owner/name.git`, or npm's `github:owner/name` / `owner/name` shorthand), else a
 * `homepage` that is a repository page on a code host (npm's default `https://github.com/o/r#readme`).
 */
export function webRepoUrl(pkg: PackageJson): string | undefined {
  const raw = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const candidates: string[] = [];
  if (raw) {
    const shorthand = /^(?:(github|gitlab|bitbucket):)?([\w.-]+)\/([\w.-]+)$/.exec(raw.trim());
    if (shorthand) {
      const host = { github: 'github.com', gitlab: 'gitlab.com', bitbucket: 'bitbucket.org' }[shorthand[1] ?? 'github'];
      candidates.push(`https://${host}/${shorthand[2]}/${shorthand[3]}`);
    } else {
      candidates.push(raw.trim().replace(/^git\+/, '').replace(/^git@([^:/]+):/, 'https://$1/').replace(/^(git|ssh):\/\/(git@)?/, 'https://'));
    }
  }
  if (pkg.homepage) candidates.push(pkg.homepage.trim());
  for (const c of candidates) {
    let url: URL;
    try {
      url = new URL(c);
    } catch {
      continue;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') continue;
    const parts = url.pathname.replace(/\.git$/, '').split('/').filter(Boolean);
    // a repository is owner/name (GitLab: group/.../name) on a code host, without a deeper page
    if (!CODE_HOSTS.test(url.hostname) || parts.length < 2 || parts.includes('-') || parts.includes('blob') || parts.includes('tree')) continue;
    return `https://${url.hostname.toLowerCase()}/${parts.join('/')}`;
  }
  return undefined;
}

export function packageInfo(): PackageInfo {
  if (cached) return cached;
  // lib/cli (ts-jest), dist/lib/cli (compiled) or dist/ (the bundle): lib/core walks up to our package.json
  const dir = packageRoot();
  const pkg = packageManifest() as PackageJson;
  const version = pkg.version ?? '0.0.0';
  const webRepo = webRepoUrl(pkg);
  const docsBase = webRepo ? `${webRepo}/blob/v${version}/` : pathToFileURL(dir + path.sep).href;
  cached = { root: dir, version, docsBase, ...(webRepo ? { webRepo } : {}) };
  return cached;
}

/** URL of a docs page given as a package-relative path (`docs/rules/x.md`). */
export function docsUrlFor(docsPath: string): string {
  return packageInfo().docsBase + docsPath;
}
