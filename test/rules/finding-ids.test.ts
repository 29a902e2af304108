/**
 * Every finding id deploylint can print must be known to `--rule`, `explain` and SARIF: rules have
 * metadata, and so do the parsers' own findings (lib/knowledge/parse-findings.ts, with a section
 * each in docs/rules/parse-findings.md). Checked on every corpus file and every fixture.
 *
 * The corpus lives beside the repository (../shared/corpus, found from here upwards). Without it
 * the check runs on the fixtures alone and says so; under CI (CI=true) a missing corpus fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import { lint } from '../../lib/lint';
import { allRuleMetas } from '../../lib/cli/modules';
import { PARSE_FINDINGS } from '../../lib/knowledge/parse-findings';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');

/** `shared/corpus` in the nearest directory above the repository that has one. */
function findCorpus(): string | undefined {
  for (let dir = path.resolve(__dirname, '..', '..', '..'); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'corpus');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const CORPUS = findCorpus();
if (!CORPUS && process.env.CI === 'true') throw new Error('finding-ids: the corpus (../shared/corpus) is missing; under CI the check must run on it');
if (!CORPUS) console.warn('SKIPPED the corpus part of finding-ids: no shared/corpus above the repository; checking the fixtures only');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : [full];
  });
}

test(`every finding id on ${CORPUS ? 'the corpus and ' : ''}the fixtures has metadata and docs`, () => {
  const known = new Set(allRuleMetas().map((m) => m.id));
  const corpus = CORPUS ? walk(CORPUS).filter((f) => !/\.(md|tsv)$/.test(f)) : [];
  if (CORPUS) expect(corpus.length).toBeGreaterThan(100);
  const files = [...corpus, ...walk(FIXTURES).filter((f) => !/\.(md|json)$/.test(f))];
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
