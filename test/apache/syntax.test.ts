import * as fs from 'fs';
import * as path from 'path';
import { parseApacheConfig, printApacheConfig, printApacheConfigBytes, decodeConfigBytes, type ApacheSyntaxNode } from '../../lib/parsers/apache';
import { resolveApacheConfig } from '../../lib/resolve/apache';
import { ReadGate } from '../../lib/input/gate';
import { splitLogicalLines, splitWords } from '../../lib/parsers/apache/lexer';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

function corpusApacheFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !/README\.md$|corpus-manifest\.tsv$|\/(envvars|magic)$/.test(p) && !/^\s*\[uwsgi\]/m.test(fs.readFileSync(p, 'latin1'))) out.push(p);
    }
  };
  if (fs.existsSync(CORPUS)) walk(CORPUS);
  return out;
}

function flatten(nodes: ApacheSyntaxNode[], out: ApacheSyntaxNode[] = []): ApacheSyntaxNode[] {
  for (const n of nodes) {
    out.push(n);
    if (n.kind === 'section') flatten(n.children, out);
  }
  return out;
}

describe('lossless round trip', () => {
  const files = corpusApacheFiles();
  test('the corpus has Apache files', () => {
    expect(files.length).toBeGreaterThan(200);
  });
  test.each(files.map((f) => [path.relative(CORPUS, f), f]))('%s prints back byte for byte', (_name, file) => {
    const buf = fs.readFileSync(file);
    const { text, encoding } = decodeConfigBytes(buf);
    const doc = parseApacheConfig(text, file, encoding);
    expect(printApacheConfigBytes(doc).equals(buf)).toBe(true);
  });

  test.each([
    ['CRLF', 'ServerName a\r\n<VirtualHost *:80>\r\n  ServerAdmin b\r\n</VirtualHost>\r\n'],
    ['BOM', '\ufeffServerName a\n'],
    ['no final newline', 'ServerName a\nTimeout 5'],
    ['NUL bytes', 'ServerName a\0b\n\0\0\nTimeout 5\n'],
    ['lone CR', 'ServerName a\rTimeout 5\n'],
    ['continuations', 'Timeout \\\n  30\n# c \\\nstill comment\nX \\\r\n y\n\\'],
    ['empty', ''],
    ['only newlines', '\n\n\n'],
    ['unclosed and stray', '<A>\n</B>\n</C>\n<D x\n'],
  ])('%s', (_n, text) => {
    const doc = parseApacheConfig(text, 'x.conf');
    expect(printApacheConfig(doc)).toBe(text);
  });

  test('invalid UTF-8 survives as bytes', () => {
    const buf = Buffer.from([0x53, 0x65, 0x74, 0x45, 0x6e, 0x76, 0x20, 0x41, 0x20, 0xff, 0xfe, 0x0a]);
    const { text, encoding } = decodeConfigBytes(buf);
    expect(encoding).toBe('latin1');
    expect(printApacheConfigBytes(parseApacheConfig(text, 'x', encoding)).equals(buf)).toBe(true);
  });
});

describe('JSON form', () => {
  test('nodes serialise as plain data without the source text', () => {
    const text = '# c\n<Location />\n  ProxyPass "http://b/"\n</Location>\n';
    const json = JSON.parse(JSON.stringify(parseApacheConfig(text, 'f.conf').nodes));
    expect(json[0]).toMatchObject({ kind: 'comment', text: '# c', line: 1 });
    expect(json[1].kind).toBe('section');
    expect(json[1].open).toMatchObject({ name: 'Location', argsText: '/>' });
    expect(json[1].children[0]).toMatchObject({ kind: 'directive', name: 'ProxyPass', args: [{ value: 'http://b/', raw: '"http://b/"', quoted: true }] });
    expect(JSON.stringify(json).includes('joined')).toBe(false);
  });
});

describe('lexing as httpd does', () => {
  test('continuation joins without a space and keeps leading blanks', () => {
    const [l] = splitLogicalLines('SetEnv A b\\\n   c\n');
    expect(l.text).toBe('SetEnv A b   c');
    expect(l.firstLine).toBe(1);
    expect(l.lastLine).toBe(2);
  });
  test('a blank after the backslash ends the continuation', () => {
    const lines = splitLogicalLines('SetEnv A \\ \nB\n');
    expect(lines.map((l) => l.text)).toEqual(['SetEnv A \\', 'B']);
  });
  test('a comment ending in a backslash swallows the next line', () => {
    const doc = parseApacheConfig('# note \\\nBogus x\nTimeout 5\n', 'f');
    expect(doc.nodes.map((n) => n.kind)).toEqual(['comment', 'directive']);
  });
  test('# after a directive is an argument, not a comment', () => {
    const doc = parseApacheConfig('DirectoryIndex index.html # x\n', 'f');
    const d = doc.nodes[0];
    expect(d.kind === 'directive' && d.args.map((a) => a.value)).toEqual(['index.html', '#', 'x']);
  });
  test('quotes: only a leading quote opens a quoted word; \\\\ and \\" are the escapes', () => {
    expect(splitWords('a"b c"').map((w) => w.value)).toEqual(['a"b', 'c"']);
    expect(splitWords('"a \\" \\\\ \\n" x').map((w) => w.value)).toEqual(['a " \\ \\n', 'x']);
    expect(splitWords("'it''s'").map((w) => w.value)).toEqual(['it', 's']);
    const [w] = splitWords('"unterminated here');
    expect(w.value).toBe('unterminated here');
    expect(w.unterminated).toBe(true);
  });
  test('word positions point into the file, across continuations', () => {
    const text = 'ProxyPass /a \\\n  "http://b/"\n';
    const doc = parseApacheConfig(text, 'f');
    const d = doc.nodes[0];
    if (d.kind !== 'directive') throw new Error('not a directive');
    const url = d.args[1];
    expect(text.slice(url.location.range.start.offset, url.location.range.end.offset)).toBe('"http://b/"');
    expect(url.location.range.start.line).toBe(2);
    expect(url.location.range.start.column).toBe(3);
  });
  test('section names are case-insensitive and nest', () => {
    const doc = parseApacheConfig('<virtualhost *:80>\n<Location />\n</LOCATION>\n</VirtualHost>\n', 'f');
    expect(doc.findings).toEqual([]);
    const s = doc.nodes[0];
    expect(s.kind === 'section' && s.children.length).toBe(1);
  });
  test("httpd's structure messages", () => {
    const msgs = (t: string) => parseApacheConfig(t, 'f.conf').findings.map((f) => `${f.location.range.start.line}: ${f.message}`);
    expect(msgs('</Location>\n')).toEqual(['1: </Location> without matching <Location> section']);
    expect(msgs('<VirtualHost *:80>\n</Directory>\n</VirtualHost>\n')).toEqual(['2: Expected </VirtualHost> but saw </Directory>']);
    expect(msgs('<Location />\n</Location >\n')[0]).toBe("2: </Location> directive missing closing '>'");
    expect(msgs('\n<A x>\n<B y>\n')).toEqual(['2: f.conf:3: <B> was not closed.\nf.conf:2: <A> was not closed.']);
  });
});

describe('hostile input: positioned findings, no throw, no hang', () => {
  test('binary garbage', () => {
    const bytes = Buffer.alloc(65536);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    const { text, encoding } = decodeConfigBytes(bytes);
    const doc = parseApacheConfig(text, 'bin', encoding);
    expect(printApacheConfigBytes(doc).equals(bytes)).toBe(true);
  });
  test('a 1 MB line', () => {
    const text = 'SetEnv A ' + 'x'.repeat(1 << 20) + '\n';
    const doc = parseApacheConfig(text, 'big');
    expect(printApacheConfig(doc)).toBe(text);
  });
  test('a 50 MB file parses whole (its speed is a benchmark figure, not a timed test)', () => {
    const unit = '<VirtualHost *:80>\n  ServerName a.example\n  ProxyPass /a "http://127.0.0.1:8000/" timeout=30\n  # comment\n</VirtualHost>\n';
    const copies = Math.ceil((50 << 20) / unit.length);
    const doc = parseApacheConfig(unit.repeat(copies), 'b');
    expect(doc.findings).toEqual([]);
    expect(doc.nodes.filter((n) => n.kind === 'section')).toHaveLength(copies);
  }, 120000);
  test('200-deep nesting', () => {
    let t = '';
    for (let i = 0; i < 200; i++) t += `<IfModule m${i}.c>\n`;
    t += 'KeepAlive On\n';
    for (let i = 0; i < 200; i++) t += '</IfModule>\n';
    const doc = parseApacheConfig(t, 'deep');
    expect(doc.findings).toEqual([]);
    expect(flatten(doc.nodes).length).toBe(201);
    expect(printApacheConfig(doc)).toBe(t);
  });
  test('unreadable inputs become findings', () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'dl-apache-'));
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling.conf'));
    fs.symlinkSync(path.join(dir, 'loop2.conf'), path.join(dir, 'loop1.conf'));
    fs.symlinkSync(path.join(dir, 'loop1.conf'), path.join(dir, 'loop2.conf'));
    for (const f of [dir, path.join(dir, 'dangling.conf'), path.join(dir, 'loop1.conf'), path.join(dir, 'missing.conf')]) {
      const doc = resolveApacheConfig(f, { gate: new ReadGate({ roots: [dir] }) });
      expect(doc.nodes).toEqual([]);
      expect(doc.findings).toHaveLength(1);
      expect(doc.findings[0].message).toMatch(/^Could not open configuration file /);
      expect(doc.findings[0].location.range.start.line).toBe(1);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
