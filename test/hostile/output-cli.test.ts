/**
 * Output that lies to a terminal or a problem matcher, through the real built CLI. Inputs built at
 * test time in a scratch directory:
 * - a uWSGI ini whose values (quoted in findings) hold a raw ESC + CR ("clear the line, print
 *   'all good'"), one whose ESC comes from uWSGI's `%[` magic (which yields ESC), and an option
 *   name starting with ESC;
 * - an Apache file named `a.conf:1:1: note: injected line [x]\nb.conf` (a newline in the name:
 *   printed raw, gcc shows a fake line and attributes the real finding to `b.conf`);
 * - a uWSGI file whose name has a lone CR.
 * Every format must keep every control character from input out of stdout (stylish's own colour
 * sequences excepted), and every gcc line must start with the (escaped) path of a real file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requireBuild, runCli } from '../cli/helpers';

const NEWLINE_NAME = 'a.conf:1:1: note: injected line [x]\nb.conf';
const CR_NAME = 'c\rd.ini';
/** Raw characters no output may carry from input (LF is checked apart: it is every format's line break). */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let dir: string;

beforeAll(() => {
  requireBuild();
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-output-')));
  fs.writeFileSync(path.join(dir, 'esc.ini'), [
    '[uwsgi]',
    'module = app.wsgi',
    'chmod-socket = "\x1b[2K\rall good"',
    'buffer-size = %[[2K\u202eall good',
    '\x1b[2Kfoo = 1',
    'socket = 127.0.0.1:3031',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, NEWLINE_NAME), '<VirtualHost *:80>\nNoSuchDirective on\n</VirtualHost>\n');
  fs.writeFileSync(path.join(dir, CR_NAME), '[uwsgi]\nmodule = app.wsgi\nbogus-x = 1\nsocket = 127.0.0.1:3031\n');
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function lint(...args: string[]): string {
  const r = runCli([...args, '.'], { cwd: dir });
  expect(r.stderr).not.toMatch(/internal error/);
  expect([0, 1]).toContain(r.status);
  return r.stdout;
}

/** `\x1b`, `\n`, `\r`, `\u202e` as the formats show them. */
function shown(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

test('the inputs do carry raw control characters into findings (so the checks below mean something)', () => {
  const report = JSON.parse(lint('--format', 'json')) as { findings: { file: string; message: string; ruleId: string }[] };
  const files = new Set(report.findings.map((f) => f.file));
  expect(files).toEqual(new Set(['esc.ini', NEWLINE_NAME, CR_NAME]));
  const messages = report.findings.map((f) => f.message);
  expect(messages.some((m) => m.includes('chmod-socket') && m.includes('\x1b[2K\rall good'))).toBe(true);
  // `%[` is uWSGI's magic for ESC: the file has no raw ESC on that line, the message does
  expect(messages.some((m) => m.includes('buffer-size = \x1b[2K\u202eall good'))).toBe(true);
  expect(messages.some((m) => m.includes('`\x1b[2Kfoo`'))).toBe(true);
});

test.each([
  ['stylish', ['--no-color']],
  ['gcc', ['--format', 'gcc']],
  ['github', ['--format', 'github']],
  ['checkstyle', ['--format', 'checkstyle']],
  ['json', ['--format', 'json']],
  ['sarif', ['--format', 'sarif']],
])('%s: no raw control character from input on stdout', (_name, args) => {
  const out = lint(...args);
  expect(out.length).toBeGreaterThan(0);
  expect(out.replace(/\n/g, '')).not.toMatch(RAW);
});

test('stylish --color: deploylint\'s own colour codes, nothing else', () => {
  const out = lint('--color');
  expect(out).toMatch(/\x1b\[\d+m/);
  // every ESC left is the start of an SGR sequence chalk wrote
  const withoutColour = out.replace(/\x1b\[\d+(?:;\d+)*m/g, '');
  expect(withoutColour.replace(/\n/g, '')).not.toMatch(RAW);
  expect(withoutColour).toContain(shown('"\x1b[2K\rall good"'));
  expect(withoutColour).toContain(shown('buffer-size = \x1b[2K\u202eall good'));
  expect(withoutColour).toContain(shown(NEWLINE_NAME));
  expect(withoutColour).toContain(shown(CR_NAME));
});

test('gcc: one line per finding, each starting with the path of a real file', () => {
  const report = JSON.parse(lint('--format', 'json')) as { findings: unknown[] };
  const out = lint('--format', 'gcc');
  const lines = out.split('\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(report.findings.length);
  const paths = ['esc.ini', NEWLINE_NAME, CR_NAME].map(shown);
  for (const line of lines) {
    const file = paths.find((p) => line.startsWith(`${p}:`) && /^:\d+:\d+: (error|warning|note): /.test(line.slice(p.length)));
    expect([line, file !== undefined]).toEqual([line, true]);
  }
  // the Apache finding is attributed to its own file, not to a `b.conf` on a line of its own
  expect(lines.filter((l) => l.startsWith('b.conf'))).toEqual([]);
  expect(lines.some((l) => l.startsWith(`${shown(NEWLINE_NAME)}:2:1: warning: Unknown directive 'NoSuchDirective'`))).toBe(true);
});
