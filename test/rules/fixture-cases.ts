/**
 * Reads rule fixtures: `fixtures/<id>/bad-*` and `good-*`, each a single file or a directory (a
 * deployment of several files). Expected findings are marked on a comment line beside the
 * offending line (both formats take `#` comments):
 *
 *   # expect-next-line: <rule-id>[:<severity>][, <rule-id>[:<severity>]...]
 *   # expect-previous-line: ...   (for a finding on line 1, where no line above exists)
 *
 * A marker without a severity checks the rule and the line; with one (`uwsgi-quoted-value:error`)
 * the severity too. An optional `deploylint.json` in a case directory gives lint options (targets,
 * appProfiles, budgets...).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Severity } from '../../lib/core/finding';
import type { LintInputFile, LintOptions } from '../../lib/lint';

export const FIXTURES_DIR = path.resolve(__dirname, '..', '..', 'fixtures');

export interface Expectation {
  file: string;
  line: number;
  ruleId: string;
  /** Checked only when the marker states it. */
  severity?: Severity;
}

export interface FixtureCase {
  ruleId: string;
  name: string;
  kind: 'bad' | 'good';
  files: LintInputFile[];
  options: LintOptions;
  expected: Expectation[];
}

const MARKER = /^[ \t]*[#;][ \t]*expect-(next|previous)-line:[ \t]*(.+?)[ \t]*$/;
const SEVERITIES = new Set(['error', 'warning', 'info']);

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(full);
    return entry.name === 'deploylint.json' || entry.name.endsWith('.md') ? [] : [full];
  }).sort();
}

export function readExpectations(file: string): Expectation[] {
  const lines = fs.readFileSync(file, 'latin1').split('\n');
  const expected: Expectation[] = [];
  lines.forEach((text, index) => {
    const match = MARKER.exec(text.replace(/\r$/, ''));
    if (!match) return;
    const line = match[1] === 'next' ? index + 2 : index;
    for (const item of match[2].split(',').map((s) => s.trim()).filter(Boolean)) {
      const [ruleId, severity] = item.split(':');
      if (severity !== undefined && !SEVERITIES.has(severity)) throw new Error(`${file}:${index + 1}: unknown severity '${severity}' in marker`);
      expected.push({ file, line, ruleId, ...(severity ? { severity: severity as Severity } : {}) });
    }
  });
  return expected;
}

export function loadFixtureCases(ruleId: string): FixtureCase[] {
  const dir = path.join(FIXTURES_DIR, ruleId);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((name) => /^(bad|good)-/.test(name)).sort().map((name) => {
    const full = path.join(dir, name);
    const isDir = fs.statSync(full).isDirectory();
    const files = isDir ? listFiles(full) : [full];
    const optionsFile = path.join(full, 'deploylint.json');
    const options: LintOptions = isDir && fs.existsSync(optionsFile) ? JSON.parse(fs.readFileSync(optionsFile, 'utf8')) : {};
    return {
      ruleId,
      name,
      kind: name.startsWith('bad-') ? 'bad' : 'good',
      files: files.map((p) => ({ path: p })),
      options,
      expected: files.flatMap(readExpectations),
    } as FixtureCase;
  });
}
