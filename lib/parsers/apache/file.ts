import * as fs from 'fs';
import type { Finding } from '../../core/finding';
import { decodeConfigBytes, parseApacheConfig, type ApacheDocument } from './syntax';

/** Read and parse one file; an unreadable path gives an empty document with a positioned finding. */
export function parseApacheFile(file: string): ApacheDocument {
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) return unreadable(file, 'Is a directory');
    if (!st.isFile()) return unreadable(file, 'not a regular file');
    const { text, encoding } = decodeConfigBytes(fs.readFileSync(file));
    return parseApacheConfig(text, file, encoding);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return unreadable(file, code === 'ENOENT' ? 'No such file or directory' : code === 'ELOOP' ? 'Too many levels of symbolic links' : String(code ?? e));
  }
}

function unreadable(file: string, why: string): ApacheDocument {
  const p = { line: 1, column: 1, offset: 0 };
  const finding: Finding = {
    ruleId: 'syntax-error',
    severity: 'error',
    message: `Could not open configuration file ${file}: ${why}`,
    location: { file, range: { start: p, end: p } },
  };
  return { file, text: '', encoding: 'utf8', nodes: [], findings: [finding] };
}
