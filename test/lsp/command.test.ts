/**
 * `deploylint lsp` on the command line: its options are checked before the server starts (a mistake
 * is a usage error, exit 2), and the frame filter in front of the JSON-RPC reader passes only
 * well-formed frames.
 */
import { PassThrough } from 'stream';
import { FrameFilter } from '../../lib/lsp/framing';
import { requireBuild, runCli } from '../cli/helpers';

beforeAll(() => requireBuild());

test.each([
  [['lsp', 'etc/'], /takes no paths/],
  [['lsp', '--format', 'json'], /belong to a lint run/],
  [['lsp', '--budget', 'bogus=1'], /--budget bogus=1/],
  [['lsp', '--rule', 'no-such-rule=off'], /unknown rule/],
  [['--stdio'], /belong to `deploylint lsp`/],
])('deploylint %j is a usage error', (argv, message) => {
  const r = runCli(argv as string[]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stdout).toBe('');
});

test('--help names the subcommand', () => {
  expect(runCli(['--help']).stdout).toContain('deploylint lsp [--stdio]');
});

function filtered(chunks: (string | Buffer)[]): Promise<{ out: string; reports: string[] }> {
  const reports: string[] = [];
  const filter = new FrameFilter((m) => reports.push(m));
  const sink = new PassThrough();
  let out = '';
  filter.pipe(sink);
  sink.on('data', (d: Buffer) => {
    out += d.toString('latin1');
  });
  for (const c of chunks) filter.write(c);
  filter.end();
  return new Promise((resolve) => sink.on('end', () => resolve({ out, reports })));
}

const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

test('FrameFilter: good frames pass, split anywhere; a header without Content-Length and runaway header bytes are dropped', async () => {
  const good = frame('{"jsonrpc":"2.0","method":"a"}');
  const input = `X-Nonsense: yes\r\n\r\n${good}Content-Type: x\r\nContent-Length: 2\r\n\r\n{}${'z'.repeat(70_000)}\r\n\r\n${good}`;
  const chunks: string[] = [];
  for (let i = 0; i < input.length; i += 7) chunks.push(input.slice(i, i + 7));
  const { out, reports } = await filtered(chunks);
  expect(out).toBe(`${good}Content-Length: 2\r\n\r\n{}${good}`);
  expect(reports.some((r) => /without a valid Content-Length/.test(r))).toBe(true);
  expect(reports.some((r) => /hold no message header/.test(r))).toBe(true);
});

test('FrameFilter: a body over the limit is skipped, not held', async () => {
  const { out, reports } = await filtered([`Content-Length: ${2 ** 40}\r\n\r\n`, 'x'.repeat(1000)]);
  expect(out).toBe('');
  expect(reports[0]).toMatch(/dropped a message of \d+ bytes/);
});
