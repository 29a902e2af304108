/**
 * Formatters are loaded by name on demand: a gcc run never pays for chalk, a stylish run never
 * builds SARIF.
 */
import { FORMAT_NAMES, type FormatName, type Formatter } from './types';

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}

/**
 * One lazy loader per format, written out (not `require(\`./${name}\`)`) so a bundler sees each
 * module and keeps it lazy: the CLI bundle (scripts/bundle.js) evaluates only the formatter a run asks
 * for. The Record type makes a format name without a loader a compile error.
 */
/* eslint-disable @typescript-eslint/no-var-requires */
const LOADERS: Record<FormatName, () => { format: Formatter }> = {
  stylish: () => require('./stylish'),
  gcc: () => require('./gcc'),
  json: () => require('./json'),
  sarif: () => require('./sarif'),
  github: () => require('./github'),
  checkstyle: () => require('./checkstyle'),
};
/* eslint-enable @typescript-eslint/no-var-requires */

export function loadFormatter(name: FormatName): Formatter {
  return LOADERS[name]().format;
}

export { FORMAT_NAMES };
export type { FormatName, Formatter };
