/**
 * Builds a deployment model from config texts, through the public API (the resolvers and
 * buildDeployment), for tests of the model's concepts.
 */
import * as os from 'os';
import * as path from 'path';
import { buildDeployment, resolveApacheConfig, resolveUwsgiIni } from '../../lib';
import { resolveTargets } from '../../lib/knowledge/targets';
import type { Deployment } from '../../lib/model/types';

export function deploymentOf(
  files: Record<string, string>, options: { targets?: Record<string, string>; appProfiles?: Record<string, string> } = {},
): Deployment {
  const dir = path.join(os.tmpdir(), 'deploylint-model-test');
  const apache = [];
  const uwsgi = [];
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (name.endsWith('.ini')) uwsgi.push(resolveUwsgiIni(file, { text, cwd: dir }));
    else apache.push(resolveApacheConfig(file, { text, checkHostFiles: false }));
  }
  return buildDeployment({ apache, uwsgi, targets: resolveTargets(options.targets), appProfiles: options.appProfiles });
}

/** `file:line` of a location, for compact expectations. */
export function at(location: { file: string; range: { start: { line: number } } }): string {
  return `${path.basename(location.file)}:${location.range.start.line}`;
}
