/**
 * The lossless line tree: every corpus ini prints back byte for byte, and bad input (empty,
 * binary, NUL, huge lines and files, CRLF, BOM, lone CR) gives positioned findings, never a throw.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import {
  decodeUwsgiIni, parseUwsgiIni, printUwsgiIni, printUwsgiIniBytes,
} from '../../lib/parsers/uwsgi-ini';
import type { UwsgiIniEntry, UwsgiIniSectionHeader } from '../../lib/parsers/uwsgi-ini';

/** The bytes of a file, decoded as uWSGI's reader sees them (UTF-8, else latin1), parsed. */
function readUwsgiIniFile(file: string) {
  const { text, encoding } = decodeUwsgiIni(fs.readFileSync(file));
  return parseUwsgiIni(text, file, { encoding });
}

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

function corpusInis(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && /^[ \t]*\[uwsgi\]/m.test(fs.readFileSync(full, 'latin1'))) out.push(full);
    }
  };
  if (fs.existsSync(CORPUS)) walk(CORPUS);
  return out;
}

function ruleIds(text: string): string[] {
  return parseUwsgiIni(text, 't.ini').findings.map((f) => f.ruleId);
}

describe('uWSGI ini syntax tree', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-uwsgi-syntax-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('prints every corpus ini back byte for byte', () => {
    const files = corpusInis();
    expect(files.length).toBeGreaterThanOrEqual(60);
    for (const file of files) {
      const doc = readUwsgiIniFile(file);
      expect(printUwsgiIniBytes(doc).equals(fs.readFileSync(file))).toBe(true);
      expect(doc.lines.every((l) => typeof l.range.start.line === 'number')).toBe(true);
    }
  });

  it('reads lines, comments, sections and entries the way core/ini.c does', () => {
    const doc = parseUwsgiIni('k0 = x\n[uwsgi]\n  ; c\n\t# d\nprint = hello # world ; x\nq = "quoted"\na=b=c\nmaster\n[ uwsgi ]\n', 't.ini');
    const kinds = doc.lines.map((l) => l.kind);
    expect(kinds).toEqual(['entry', 'section', 'comment', 'comment', 'entry', 'entry', 'entry', 'entry', 'section']);
    const entries = doc.lines.filter((l): l is UwsgiIniEntry => l.kind === 'entry');
    expect(entries.map((e) => [e.key, e.value, e.bare, e.section])).toEqual([
      ['k0', 'x', false, undefined],
      ['print', 'hello # world ; x', false, 'uwsgi'],
      ['q', '"quoted"', false, 'uwsgi'],
      ['a', 'b=c', false, 'uwsgi'],
      ['master', '', true, 'uwsgi'],
    ]);
    const last = doc.lines[8] as UwsgiIniSectionHeader;
    expect(last.name).toBe(' uwsgi ');
    expect(last.nameRange).toEqual({ start: { line: 9, column: 2, offset: last.range.start.offset + 1 }, end: { line: 9, column: 9, offset: last.range.start.offset + 8 } });
    expect(doc.findings.map((f) => [f.ruleId, f.location.range.start.line, f.location.range.start.column])).toEqual([
      ['ini-key-outside-section', 1, 1],
      ['ini-section-name-spaces', 9, 2],
    ]);
    expect(entries[1].valueRange.start).toEqual({ line: 5, column: 9, offset: 34 });
  });

  it('handles an empty file', () => {
    const doc = parseUwsgiIni('', 'empty.ini');
    expect(doc.lines).toEqual([]);
    expect(printUwsgiIni(doc)).toBe('');
  });

  it('keeps CRLF, a missing final newline and reports a lone CR', () => {
    const text = '[uwsgi]\r\nprocesses = 2 \r\ncr = a\rb = c\nlast = 1';
    const doc = parseUwsgiIni(text, 'crlf.ini');
    expect(printUwsgiIni(doc)).toBe(text);
    const e = doc.lines[1] as UwsgiIniEntry;
    expect([e.value, e.eol]).toEqual(['2', '\r\n']);
    expect((doc.lines[2] as UwsgiIniEntry).value).toBe('a\rb = c');
    const cr = doc.findings.find((f) => f.ruleId === 'ini-lone-cr');
    expect(cr?.location.range.start.offset).toBe(text.indexOf('\r', text.indexOf('cr =')));
    expect(doc.lines[3].eol).toBe('');
  });

  it('reports a UTF-8 BOM that hides the first section header', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[uwsgi]\nmaster = true\n')]);
    const file = path.join(scratch, 'bom.ini');
    fs.writeFileSync(file, bytes);
    const doc = readUwsgiIniFile(file);
    expect(doc.bom).toBe(true);
    expect(doc.lines[0].kind).toBe('junk');
    const f = doc.findings.find((x) => x.ruleId === 'ini-bom-hides-section');
    expect(f?.location.range.start).toEqual({ line: 1, column: 1, offset: 0 });
    expect(printUwsgiIniBytes(doc).equals(bytes)).toBe(true);
  });

  it('reads binary input and NUL bytes without throwing, losslessly', () => {
    const bytes = Buffer.from([0x5b, 0x75, 0x77, 0x73, 0x67, 0x69, 0x5d, 0x0a, 0x6b, 0x00, 0x3d, 0xff, 0xfe, 0x0a, 0x80, 0x00, 0x01, 0x02]);
    const file = path.join(scratch, 'bin.ini');
    fs.writeFileSync(file, bytes);
    const doc = readUwsgiIniFile(file);
    expect(doc.encoding).toBe('latin1');
    expect(printUwsgiIniBytes(doc).equals(bytes)).toBe(true);
    expect(doc.findings.find((f) => f.ruleId === 'binary-file')?.location.range.start.line).toBe(1);
    const nul = doc.findings.find((f) => f.ruleId === 'ini-nul-byte');
    expect(nul?.location.range.start).toEqual({ line: 2, column: 2, offset: 9 });
    expect((doc.lines[1] as UwsgiIniEntry).key).toBe('k');
  });

  it('parses a 1 MB line', () => {
    const text = `[uwsgi]\nk = ${'x'.repeat(1 << 20)}\n`;
    const doc = parseUwsgiIni(text, 'long.ini');
    expect((doc.lines[1] as UwsgiIniEntry).value.length).toBe(1 << 20);
    expect(printUwsgiIni(doc)).toBe(text);
  });

  it('finishes on a 50 MB file and says it was not analysed', () => {
    const file = path.join(scratch, 'huge.ini');
    const line = 'key-name = some value %d with $(ENV) and %(base)\n';
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, '[uwsgi]\n');
    const block = line.repeat(10000);
    for (let written = 0; written < 50 * 1024 * 1024; written += block.length) fs.writeSync(fd, block);
    fs.closeSync(fd);
    const doc = readUwsgiIniFile(file);
    expect(doc.complete).toBe(false);
    expect(doc.findings.find((f) => f.ruleId === 'file-too-large')?.location.range.start).toEqual({ line: 1, column: 1, offset: 0 });
    expect(printUwsgiIniBytes(doc).length).toBe(fs.statSync(file).size);
  });

  it('flags a "%" at the end of a line (it eats the newline) but not "%%"', () => {
    expect(ruleIds('[uwsgi]\nenv = FOO=BAR%\nx = 1\n')).toContain('ini-percent-joins-lines');
    expect(ruleIds('[uwsgi]\nenv = FOO=BAR%%\nx = 1\n')).not.toContain('ini-percent-joins-lines');
    expect(ruleIds('[uwsgi]\nenv = FOO=BAR%\r\nx = 1\r\n')).not.toContain('ini-percent-joins-lines');
  });

  it('reports an unclosed section header and an empty key', () => {
    expect(ruleIds('[uwsgi\n= v\n')).toEqual(['syntax-error', 'syntax-error']);
  });

  it('round-trips any text and never throws (property)', () => {
    const chars = fc.constantFrom('[', ']', '=', ';', '#', '%', '(', ')', '$', '@', ' ', '\t', '\r', '\n', '\0', 'a', 'u', '\ufeff', 'é');
    fc.assert(fc.property(fc.stringOf(chars, { maxLength: 200 }), (text) => {
      const doc = parseUwsgiIni(text, 'p.ini');
      expect(printUwsgiIni(doc)).toBe(text);
      for (const f of doc.findings) expect(f.location.range.start.offset).toBeLessThanOrEqual(text.length);
    }), { numRuns: Number(process.env.FAST_CHECK_RUNS ?? 500) });
  });
});
