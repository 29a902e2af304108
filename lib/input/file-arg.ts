/**
 * A path as given on the command line or to lint(): uWSGI's own `file.ini:section` syntax names a
 * section of an ini file, unless a file by that very name exists.
 */
import * as fs from 'fs';

/** Split `path:section` (uWSGI's own syntax) when the part before the colon names a file. */
export function splitSection(arg: string): { file: string; section?: string } {
  const m = /^(.*\.ini):([A-Za-z0-9_.@-]+)$/.exec(arg);
  if (m && !fs.existsSync(arg)) return { file: m[1], section: m[2] };
  return { file: arg };
}
