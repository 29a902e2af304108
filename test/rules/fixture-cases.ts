/**
 * Reads rule fixtures: `fixtures/<id>/bad-*` and `good-*`, each a single file or a directory (a
 * deployment of several files). Expected findings are marked on the comment line just above the
 * offending line: `# expect-next-line: <rule-id>[, <rule-id>...]` (both formats take `#` comments).
 * An optional `deploylint.json` in a case directory gives lint options (targets, appProfiles...).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { LintInputFile, LintOptions } from '../../lib/lint';

export const FIXTURES_DIR = path.resolve(__dirname, '..', '..', 'fixtures');

export interface Expectation {
  file: string;
  line: number;
  ruleId: string;
}

export interface FixtureCase {
  ruleId: string;
  name: string;
  kind: 'bad' | 'good';
  files: LintInputFile[];
  options: LintOptions;
  expected: Expectation[];
}

const MARKER = /^[ \t]*[#;][ \t]*expect-next-line:[ \t]*(.+?)[ \t]*$/;

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(full);
    return entry.name === 'deploylint.json' || entry.name.endsWith('.md') ? [] : [full];
  }).sort();
}

export function readExpectations(file: string): Expectation[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const expected: Expectation[] = [];
  lines.forEach((text, index) => {
    const match = MARKER.exec(text);
    if (!match) return;
    for (const ruleId of match[1].split(',').map((s) => s.trim()).filter(Boolean)) {
      expected.push({ file, line: index + 2, ruleId });
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
