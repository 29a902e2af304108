/**
 * `.github/deploylint-matcher.json` against real `--format gcc` output: every line is picked up by
 * exactly one matcher, and file, line, column, severity, message and rule id come out as the JSON
 * format reports them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GENERIC_ROUTER_INI, GLANCE_ROUTER_INI, requireBuild, ROOT, runCli, scratch } from '../cli/helpers';

interface Pattern { regexp: string; file: number; line: number; column: number; severity?: number; message: number; code: number }
interface Matcher { owner: string; severity?: string; pattern: Pattern[] }

const matchers: Matcher[] = JSON.parse(fs.readFileSync(path.join(ROOT, '.github', 'deploylint-matcher.json'), 'utf8')).problemMatcher;
let dir: string;

beforeAll(() => {
  requireBuild();
  dir = scratch({
    'glance.ini': GLANCE_ROUTER_INI,
    'app.ini': `# deploylint-disable-next-line uwsgi-buffer-size-small\n${GENERIC_ROUTER_INI}`,
    'odd dir/a:b,c.ini': GLANCE_ROUTER_INI,
  });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the matcher file is well formed', () => {
  expect(matchers.map((m) => m.owner)).toEqual(['deploylint', 'deploylint-note']);
  for (const m of matchers) {
    expect(m.pattern).toHaveLength(1);
    expect(() => new RegExp(m.pattern[0].regexp)).not.toThrow();
    if (m.severity) expect(['warning', 'error']).toContain(m.severity);
  }
});

test('every gcc line is matched by exactly one matcher with the right fields', () => {
  // An unused suppression made info-level gives the run all three severities.
  const args = ['--rule', 'suppression-unused=info', '.'];
  const gcc = runCli(['--format', 'gcc', ...args], { cwd: dir });
  const json = JSON.parse(runCli(['--format', 'json', ...args], { cwd: dir }).stdout);
  const lines = gcc.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(json.findings.length);
  expect(new Set(json.findings.map((f: { severity: string }) => f.severity))).toEqual(new Set(['error', 'warning', 'info']));

  const seen = new Set<string>();
  for (const line of lines) {
    const hits = matchers
      .map((m) => ({ m, match: new RegExp(m.pattern[0].regexp).exec(line) }))
      .filter((h) => h.match);
    expect(hits).toHaveLength(1);
    const { m, match } = hits[0];
    const p = m.pattern[0];
    const got = {
      file: match![p.file],
      line: Number(match![p.line]),
      column: Number(match![p.column]),
      severity: p.severity ? match![p.severity] : m.severity,
      message: match![p.message],
      code: match![p.code],
    };
    const expected = json.findings.find((f: { file: string; line: number; column: number; ruleId: string }) => f.file === got.file && f.line === got.line && f.column === got.column && f.ruleId === got.code);
    expect(expected).toBeDefined();
    expect(got.message).toBe(expected.message);
    expect(got.severity).toBe(expected.severity === 'error' ? 'error' : 'warning');
    seen.add(got.file);
  }
  expect(seen).toEqual(new Set(['glance.ini', 'app.ini', 'odd dir/a:b,c.ini']));
});
