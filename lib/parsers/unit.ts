/**
 * The files that start uWSGI, read as what they are: systemd unit files (`[Service]`,
 * `ExecStart=`, `KillSignal=`; a trailing backslash continues a line, `#` and `;` start comments)
 * and supervisor program sections (`[program:x]`, `command=`, `stopsignal=`; an indented line
 * continues the value, `;` after whitespace starts an inline comment). Text in, sections of
 * key/value entries out, each with its location; never throws.
 */
import type { Finding } from '../core/finding';
import { LineIndex, type SourceLocation } from '../core/source';

export interface UnitEntry {
  key: string;
  value: string;
  keyLocation: SourceLocation;
  valueLocation: SourceLocation;
  /** The whole entry, continuation lines included. */
  location: SourceLocation;
}

export interface UnitSection {
  name: string;
  location: SourceLocation;
  entries: UnitEntry[];
}

export interface UnitDocument {
  file: string;
  dialect: 'systemd' | 'supervisor';
  sections: UnitSection[];
  findings: Finding[];
}

export function parseUnitFile(text: string, file: string, dialect: 'systemd' | 'supervisor'): UnitDocument {
  const index = new LineIndex(text);
  const doc: UnitDocument = { file, dialect, sections: [], findings: [] };
  let section: UnitSection | null = null;
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end).replace(/\r$/, '');
    const trimmed = line.trim();
    const lineStart = pos;
    pos = end + 1;
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = { name: header[1].trim(), location: index.location(file, lineStart, lineStart + line.length), entries: [] };
      doc.sections.push(section);
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq < 0) continue;
    const keyStart = lineStart + (line.length - line.trimStart().length);
    const key = line.slice(0, eq).trim();
    let valueStart = lineStart + eq + 1;
    while (valueStart < lineStart + line.length && (text[valueStart] === ' ' || text[valueStart] === '\t')) valueStart++;
    let value = text.slice(valueStart, lineStart + line.length);
    let valueEnd = lineStart + line.length;
    if (dialect === 'systemd') {
      // a backslash at the end of a line joins the next one (with a space)
      while (value.endsWith('\\') && pos < text.length) {
        let next = text.indexOf('\n', pos);
        if (next < 0) next = text.length;
        value = value.slice(0, -1) + ' ' + text.slice(pos, next).replace(/\r$/, '').trim();
        valueEnd = next;
        pos = next + 1;
      }
    } else {
      value = value.replace(/\s;.*$/, '');
      // supervisor (ConfigParser): an indented line continues the value
      while (pos < text.length && /^[ \t]+\S/.test(text.slice(pos, text.indexOf('\n', pos) < 0 ? text.length : text.indexOf('\n', pos)))) {
        let next = text.indexOf('\n', pos);
        if (next < 0) next = text.length;
        value += ' ' + text.slice(pos, next).replace(/\r$/, '').trim();
        valueEnd = next;
        pos = next + 1;
      }
    }
    section.entries.push({
      key,
      value: value.trim(),
      keyLocation: index.location(file, keyStart, keyStart + key.length),
      valueLocation: index.location(file, valueStart, valueEnd),
      location: index.location(file, keyStart, valueEnd),
    });
  }
  return doc;
}
