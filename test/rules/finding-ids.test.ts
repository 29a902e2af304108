/**
 * Every finding id deploylint can print must be known to `--rule`, `explain` and SARIF: rules have
 * metadata, and so do the parsers' own findings (lib/knowledge/parse-findings.ts, with a section
 * each in docs/rules/parse-findings.md). Checked on every corpus file and every fixture.
 */
import * as fs from 'fs';
import * as path from 'path';
import { lint } from '../../lib/lint';
import { allRuleMetas } from '../../lib/cli/modules';
import { PARSE_FINDINGS } from '../../lib/knowledge/parse-findings';

const CORPUS = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus');
const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : [full];
  });
}

test('every finding id on the corpus and the fixtures has metadata and docs', () => {
  const known = new Set(allRuleMetas().map((m) => m.id));
  const files = [
    ...(fs.existsSync(CORPUS) ? walk(CORPUS).filter((f) => !/\.(md|tsv)$/.test(f)) : []),
    ...walk(FIXTURES).filter((f) => !/\.(md|json)$/.test(f)),
  ];
  expect(files.length).toBeGreaterThan(100);
  const unknown = new Set<string>();
  for (const file of files) {
    for (const finding of lint([{ path: file }]).findings) if (!known.has(finding.ruleId)) unknown.add(`${finding.ruleId} (${file})`);
  }
  expect([...unknown]).toEqual([]);
});

test('each parse finding has its own section in docs/rules/parse-findings.md', () => {
  const page = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'rules', 'parse-findings.md'), 'utf8');
  for (const meta of PARSE_FINDINGS) expect(page).toContain(`\n## ${meta.id}\n`);
});
