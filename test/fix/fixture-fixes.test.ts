/**
 * Every fix of every rule, on the rule's own fixtures: copied to a scratch directory and fixed with
 * `--fix --unsafe-fixes` semantics (lib/fix fixRun over lint()), each fix a bad fixture's findings
 * carry is applied (none refused or rolled back), the rule's fixed findings are gone, and a second
 * run changes nothing. Each fixable rule has a bad fixture with a fix, and a docs page that shows it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadRules } from '../../lib/engine/registry';
import { fixRun } from '../../lib/fix';
import { ReadGate } from '../../lib/input/gate';
import { lint, type LintInputFile } from '../../lib/lint';
import { FIXTURES_DIR, loadFixtureCases, type FixtureCase } from '../rules/fixture-cases';

const fixable = loadRules().filter((r) => r.meta.fixable);

function copyCase(c: FixtureCase): { dir: string; files: LintInputFile[] } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deploylint-fixture-fix-')));
  const base = path.join(FIXTURES_DIR, c.ruleId);
  const files = c.files.map((f) => {
    const rel = path.relative(base, f.path);
    const target = path.join(dir, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(f.path, target);
    return { path: target };
  });
  return { dir, files };
}

function fixCase(c: FixtureCase, dir: string, files: LintInputFile[]) {
  const gate = new ReadGate({ roots: [dir] });
  return fixRun({
    mode: 'write', unsafe: true, gate, cwd: dir, given: files.map((f) => f.path),
    lint: (g) => lint(files, { ...c.options, gate: g }),
  });
}

describe.each(fixable.map((r) => [r.meta.id, r.meta] as const))('%s', (id, meta) => {
  const cases = loadFixtureCases(id).filter((c) => c.kind === 'bad');

  test('a bad fixture carries a fix, and the docs page shows it', () => {
    const withFix = cases.filter((c) => lint(c.files, c.options).findings.some((f) => f.ruleId === id && f.fix));
    expect(withFix.map((c) => c.name).length).toBeGreaterThan(0);
    const docs = fs.readFileSync(path.resolve(__dirname, '..', '..', meta.docs), 'utf8');
    expect(docs).toMatch(/^## Automatic fix$/m);
    expect(docs).toContain(meta.fixApplicability === 'display-only' ? '**display-only**' : `**${meta.fixApplicability}**`);
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s: every fix applies, its finding goes, a second run does nothing', (_name, c) => {
    const { dir, files } = copyCase(c);
    try {
      const before = lint(files, c.options).findings.filter((f) => f.ruleId === id && f.fix && f.fix.applicability !== 'display-only');
      const result = fixCase(c, dir, files);
      expect(result.summary.refused.filter((r) => r.finding.ruleId === id).map((r) => r.reason)).toEqual([]);
      const fixedHere = result.summary.applied.filter((a) => a.finding.ruleId === id);
      expect(fixedHere.length).toBeGreaterThanOrEqual(Math.min(1, before.length));
      const after = result.round.findings.filter((f) => f.ruleId === id && f.fix && f.fix.applicability !== 'display-only');
      expect(after.map((f) => `${path.basename(f.location.file)}:${f.location.range.start.line} ${f.message}`)).toEqual([]);
      const again = fixCase(c, dir, files);
      expect(again.summary.applied).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
