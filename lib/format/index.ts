/**
 * Formatters are loaded by name on demand: a gcc run never pays for chalk, a stylish run never
 * builds SARIF.
 */
import { FORMAT_NAMES, type FormatName, type Formatter } from './types';

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}

export function loadFormatter(name: FormatName): Formatter {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mod = require(`./${name}`) as { format: Formatter };
  return mod.format;
}

export { FORMAT_NAMES };
export type { FormatName, Formatter };
