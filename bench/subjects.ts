/**
 * What the benchmark measures, loaded from the compiled library at run time. The parsers are looked
 * up by their exported names so a missing piece makes one row say "unavailable" instead of failing
 * the whole run (or the project's build).
 */
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(REPO_ROOT, 'bin', 'deploylint.js');

type Fn = (...args: any[]) => any;

function load(modulePaths: string[], name: string): Fn {
  const errors: string[] = [];
  for (const p of modulePaths) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const mod = require(p);
      if (typeof mod[name] === 'function') return mod[name];
      errors.push(`${p} has no export ${name}`);
    } catch (error) {
      errors.push(`${p}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`${name} unavailable (${errors.join('; ')})`);
}

const LIB = path.join(__dirname, '..', 'lib');

export function parseUwsgiIni(): Fn {
  return load([path.join(LIB, 'parsers', 'uwsgi-ini'), path.join(LIB, 'parsers', 'uwsgi-ini', 'syntax')], 'parseUwsgiIni');
}
export function parseApacheConfig(): Fn {
  return load([path.join(LIB, 'parsers', 'apache'), path.join(LIB, 'parsers', 'apache', 'syntax')], 'parseApacheConfig');
}
export function resolveApacheConfig(): Fn {
  return load([path.join(LIB, 'resolve', 'apache'), path.join(LIB, 'parsers', 'apache')], 'resolveApacheConfig');
}
export function lint(): Fn {
  return load([path.join(LIB, 'lint')], 'lint');
}
