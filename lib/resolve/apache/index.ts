/**
 * Apache resolution: reads a config the way httpd 2.4 does (server/config.c ap_build_config,
 * core.c include_config / start_ifmod / ap_soak_end_container, util.c ap_resolve_env, the fnmatch
 * include walk), producing the resolved tree of the contract in types.ts.
 *
 * httpd has two phases and stops at the first error of either: the read phase (structure, Include,
 * Define, LoadModule, the config-time conditionals) and the walk phase (every other directive:
 * unknown commands, contexts). We keep going after an error so a linter sees as much as possible,
 * but record which finding httpd itself would have stopped at in `httpdError`.
 */
import { readText } from './read';
import { ApacheReadState } from './state';
import type { ResolveApacheOptions, ResolvedApacheConfig, ResolvedNode } from './types';
import { walk } from './walk';

export * from './types';
export { normalizeModuleId } from './state';
export { dumpApacheConfig, dumpApacheIncludes } from './dump';
export { parseDebianEnvvars } from './envvars';

export function resolveApacheConfig(file: string, options: ResolveApacheOptions = {}): ResolvedApacheConfig {
  const s = new ApacheReadState(file, options);
  s.readText = (text, displayPath, chain) => readText(s, text, displayPath, chain);
  const rootPath = s.rootPath;
  const nodes: ResolvedNode[] = [];
  const opened = s.rootText;
  if ('error' in opened) {
    s.fail('read', 'syntax-error', `Could not open configuration file ${rootPath}: ${opened.error}`, {
      file: rootPath,
      range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
    });
  } else {
    s.files.push(rootPath);
    s.includes.push({ file: rootPath, depth: 0, includeLine: 0 });
    for (const n of s.readText(opened.text, rootPath, [])) nodes.push(n);
  }
  walk(s, nodes, []);
  const defines: Record<string, string | null> = {};
  for (const [k, v] of s.defines) defines[k] = v;
  return {
    file: rootPath,
    serverRoot: s.serverRoot,
    nodes,
    findings: s.findings,
    files: s.files,
    loadedModules: s.loadedKnown ? new Set(s.loadedNames) : null,
    loadModuleLines: s.loadModuleLines,
    wholeTree: s.wholeTree,
    includes: s.includes,
    defines,
    httpdError: s.httpdError(),
  };
}
