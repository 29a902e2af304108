/**
 * Runs every rule's fixtures through the real parsers, model and engine (lint()), and compares the
 * findings with the `expect-next-line` markers written beside the offending lines.
 */
import * as fs from 'fs';
import * as path from 'path';
import { lint } from '../../lib/lint';
import { loadRules } from '../../lib/engine/registry';
import { FIXTURES_DIR, loadFixtureCases } from './fixture-cases';

const rules = loadRules();
const ruleIds = rules.map((r) => r.meta.id);

describe.each(ruleIds)('rule %s', (ruleId) => {
  const cases = loadFixtureCases(ruleId);

  test('has at least one bad and one good fixture and a docs page', () => {
    expect(cases.filter((c) => c.kind === 'bad').length).toBeGreaterThan(0);
    expect(cases.filter((c) => c.kind === 'good').length).toBeGreaterThan(0);
    expect(fs.existsSync(path.resolve(__dirname, '..', '..', 'docs', 'rules', `${ruleId}.md`))).toBe(true);
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, fixture) => {
    const result = lint(fixture.files, fixture.options);
    // Compare findings of every rule the markers mention, plus this rule: other rules may fire on a
    // fixture too, but only where a marker says so.
    const watched = new Set([ruleId, ...fixture.expected.map((e) => e.ruleId)]);
    const actual = result.findings
      .filter((f) => watched.has(f.ruleId))
      .map((f) => `${path.relative(FIXTURES_DIR, f.location.file)}:${f.location.range.start.line} ${f.ruleId}`)
      .sort();
    const expected = fixture.expected
      .map((e) => `${path.relative(FIXTURES_DIR, e.file)}:${e.line} ${e.ruleId}`)
      .sort();
    expect(actual).toEqual(expected);
    if (fixture.kind === 'bad') expect(expected.some((e) => e.endsWith(` ${ruleId}`))).toBe(true);
    else expect(actual.filter((a) => a.endsWith(` ${ruleId}`))).toEqual([]);
    // Fixtures are valid input: nothing in them may be a parse problem or a crash.
    const broken = result.findings.filter((f) => f.ruleId === 'syntax-error' || f.ruleId === 'internal-error');
    expect(broken.map((f) => `${f.location.file}:${f.location.range.start.line} ${f.message}`)).toEqual([]);
  });
});

test('every fixture folder belongs to a rule', () => {
  const folders = fs.readdirSync(FIXTURES_DIR).filter((name) => fs.statSync(path.join(FIXTURES_DIR, name)).isDirectory());
  expect(folders.filter((folder) => !ruleIds.includes(folder))).toEqual([]);
});

test('rule metadata is complete and ids are unique', () => {
  expect(new Set(ruleIds).size).toBe(ruleIds.length);
  for (const rule of rules) {
    expect(rule.meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(['error', 'warning', 'info']).toContain(rule.meta.severity);
    expect(rule.meta.description.length).toBeGreaterThan(10);
    expect(rule.meta.fixHint.length).toBeGreaterThan(10);
    expect(rule.meta.docs).toBe(`docs/rules/${rule.meta.id}.md`);
  }
});
