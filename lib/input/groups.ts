/**
 * Which files of a run form one deployment. Linking a ProxyPass to a uWSGI socket is only right
 * between files that are deployed together, so a run over a directory of several projects must not
 * join project A's route to port 8000 with project B's `http-socket = :8000`. Files are grouped,
 * most specific first, by:
 *   1. `deployments` in the configuration: named sets of globs (relative to the config's directory);
 *   2. the repository a file is in: the nearest directory, inside the paths given, that holds `.git`,
 *      `.hg` or `.svn` (a checkout of its own, or a submodule);
 *   3. the configuration file that applies (a `.deploylintrc*` starts a new deployment below it);
 *   4. otherwise everything given in the run is one deployment (give an Apache config and the uWSGI
 *      ini files behind it together and they link).
 * An Apache server tree and the files its Includes reach are one deployment by construction
 * (lint() reads them together). The run says which groups it formed.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface GroupingOptions {
  cwd: string;
  /** Directories the run was given (the read gate's roots): the search for a repository stops there. */
  roots: string[];
  /** The configuration file that applies to a directory, or null. */
  configFileFor(dir: string): string | null;
  /** `deployments` of that configuration: name -> globs relative to the config file's directory. */
  deploymentsFor?(configFile: string): Record<string, string[]> | undefined;
}

export interface DeploymentGroup<T> {
  /** A short name for messages: the repository or config directory (relative to cwd), or a deployment name. */
  name: string;
  /** Why these files are together. */
  reason: 'deployments' | 'repository' | 'config' | 'run';
  configFile: string | null;
  files: T[];
}

const VCS_MARKERS = ['.git', '.hg', '.svn'];

export function groupFiles<T extends { path: string }>(files: T[], options: GroupingOptions): DeploymentGroup<T>[] {
  const repoCache = new Map<string, string | null>();
  const roots = options.roots.map((r) => path.resolve(options.cwd, r));
  const insideRoots = (dir: string) => roots.some((r) => dir === r || dir.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
  const repositoryOf = (dir: string): string | null => {
    const hit = repoCache.get(dir);
    if (hit !== undefined) return hit;
    let found: string | null = null;
    if (insideRoots(dir)) {
      if (VCS_MARKERS.some((m) => fs.existsSync(path.join(dir, m)))) found = dir;
      else {
        const parent = path.dirname(dir);
        found = parent !== dir && insideRoots(parent) ? repositoryOf(parent) : null;
      }
    }
    repoCache.set(dir, found);
    return found;
  };

  const groups = new Map<string, DeploymentGroup<T>>();
  for (const file of files) {
    const abs = path.resolve(options.cwd, file.path);
    const dir = path.dirname(abs);
    const configFile = options.configFileFor(dir);
    let key: string;
    let group: Omit<DeploymentGroup<T>, 'files'>;
    const named = configFile ? deploymentOf(abs, configFile, options.deploymentsFor?.(configFile)) : undefined;
    const repo = repositoryOf(dir);
    if (named) {
      key = `d\0${configFile}\0${named}`;
      group = { name: named, reason: 'deployments', configFile };
    } else if (repo && (!configFile || path.dirname(configFile).length <= repo.length)) {
      key = `r\0${repo}\0${configFile ?? ''}`;
      group = { name: shown(repo, options.cwd), reason: 'repository', configFile };
    } else if (configFile) {
      key = `c\0${configFile}`;
      group = { name: shown(path.dirname(configFile), options.cwd), reason: 'config', configFile };
    } else {
      key = 'run';
      group = { name: 'the paths given', reason: 'run', configFile: null };
    }
    const existing = groups.get(key);
    if (existing) existing.files.push(file);
    else groups.set(key, { ...group, files: [file] });
  }
  return [...groups.values()];
}

function deploymentOf(abs: string, configFile: string, deployments: Record<string, string[]> | undefined): string | undefined {
  if (!deployments) return undefined;
  const rel = path.relative(path.dirname(configFile), abs).split(path.sep).join('/');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ignore = require('ignore') as typeof import('ignore').default;
  for (const [name, globs] of Object.entries(deployments)) {
    if (ignore().add(globs).ignores(rel)) return name;
  }
  return undefined;
}

function shown(dir: string, cwd: string): string {
  const rel = path.relative(cwd, dir);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? dir : rel;
}
