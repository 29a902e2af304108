/**
 * Runs every rule's fixtures, and those of the parse findings that a file can trigger, through the
 * real parsers, model and engine (lint()), and compares the findings with the `expect-next-line`
 * markers written beside the offending lines (severity too, where the marker states it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { lint } from '../../lib/lint';
import { loadRules } from '../../lib/engine/registry';
import { PARSE_FINDINGS } from '../../lib/knowledge/parse-findings';
import type { Finding } from '../../lib/core/finding';
import type { RuleMeta } from '../../lib/core/rule-meta';
import { FIXTURES_DIR, loadFixtureCases, type Expectation, type FixtureCase } from './fixture-cases';

const rules = loadRules();
const ruleIds = rules.map((r) => r.meta.id);

/**
 * Parse findings no fixture file can trigger, and why. Every other parse finding has a fixture
 * folder like a rule's.
 */
const PARSE_FINDINGS_WITHOUT_FIXTURES: Record<string, string> = {
  'internal-error': 'a bug in deploylint: no valid input is meant to cause it (the fixture test fails on any)',
  'file-owner': 'depends on the owner of the file on the linting machine, which a repository cannot carry',
  'file-group': 'depends on the group of the file on the linting machine, which a repository cannot carry',
  'file-unreadable': 'needs a path that cannot be read (missing, a directory, a device): a missing include is include-not-found, and a repository cannot carry the rest portably',
  'symlink-outside': 'needs a symbolic link out of the linted tree, which the fixture walk and git checkouts on other systems do not keep',
  'file-too-large': 'needs an ini file of more than 8 MiB characters; a file over the file-bytes budget is budget-exceeded, which has fixtures',
  'plugin-not-found': 'reported only when the resolver is given the installed plugins (availablePlugins), which lint() never passes',
};

const parseFindingIds = PARSE_FINDINGS.map((m) => m.id).filter((id) => !(id in PARSE_FINDINGS_WITHOUT_FIXTURES));

const key = (e: { file: string; line: number; ruleId: string }) => `${path.relative(FIXTURES_DIR, e.file)}:${e.line} ${e.ruleId}`;

/** The findings of the watched ids, as `file:line id`, with `:severity` where the markers for that line and id state one. */
function compare(findings: Finding[], fixture: FixtureCase, ownId: string): { actual: string[]; expected: string[] } {
  const watched = new Set([ownId, ...fixture.expected.map((e) => e.ruleId)]);
  const withSeverity = new Set(fixture.expected.filter((e) => e.severity).map(key));
  const actual = findings
    .filter((f) => watched.has(f.ruleId))
    .map((f) => ({ file: f.location.file, line: f.location.range.start.line, ruleId: f.ruleId, severity: f.severity }))
    .map((e) => (withSeverity.has(key(e)) ? `${key(e)}:${e.severity}` : key(e)))
    .sort();
  const expected = fixture.expected.map((e: Expectation) => (e.severity ? `${key(e)}:${e.severity}` : key(e))).sort();
  return { actual, expected };
}

/** A message's own words: what is quoted from the config (in backticks) counts as nothing. */
const ownWords = (message: string) => message.replace(/`[^`]*`/g, '``');

function describeFixtures(id: string, meta: RuleMeta, parseFinding: boolean): void {
  const cases = loadFixtureCases(id);

  test('has at least one bad and one good fixture and a docs page', () => {
    expect(cases.filter((c) => c.kind === 'bad').length).toBeGreaterThan(0);
    expect(cases.filter((c) => c.kind === 'good').length).toBeGreaterThan(0);
    expect(fs.existsSync(path.resolve(__dirname, '..', '..', meta.docs.replace(/#.*$/, '')))).toBe(true);
  });

  if (meta.severities) {
    test(`states the severity in every bad fixture marker (the rule reports ${meta.severities.join(', ')})`, () => {
      const unstated = cases.flatMap((c) => c.expected).filter((e) => e.ruleId === id && !e.severity).map(key);
      expect(unstated).toEqual([]);
    });
  }

  if (cases.length === 0) return;
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, fixture) => {
    const result = lint(fixture.files, fixture.options);
    // Compare findings of every id the markers mention, plus this one: other rules may fire on a
    // fixture too, but only where a marker says so.
    const { actual, expected } = compare(result.findings, fixture, id);
    expect(actual).toEqual(expected);
    if (fixture.kind === 'bad') expect(fixture.expected.some((e) => e.ruleId === id)).toBe(true);
    else expect(actual.filter((a) => a.split(' ')[1].split(':')[0] === id)).toEqual([]);
    const own = result.findings.filter((f) => f.ruleId === id);
    // A rule reports only the severities its metadata declares, in messages of a few short sentences.
    for (const f of own) expect([meta.severity, ...(meta.severities ?? [])]).toContain(f.severity);
    if (!parseFinding) for (const f of own) expect(ownWords(f.message).length).toBeLessThanOrEqual(300);
    // Rule fixtures are valid input: nothing in them may be a syntax problem or a crash.
    const broken = result.findings.filter((f) => f.ruleId === 'internal-error' || (!parseFinding && f.ruleId === 'syntax-error'));
    expect(broken.map((f) => `${f.location.file}:${f.location.range.start.line} ${f.message}`)).toEqual([]);
  });
}

describe.each(ruleIds)('rule %s', (ruleId) => describeFixtures(ruleId, rules.find((r) => r.meta.id === ruleId)!.meta, false));

describe.each(parseFindingIds)('parse finding %s', (id) => describeFixtures(id, PARSE_FINDINGS.find((m) => m.id === id)!, true));

test('every fixture folder belongs to a rule or a parse finding', () => {
  const folders = fs.readdirSync(FIXTURES_DIR).filter((name) => fs.statSync(path.join(FIXTURES_DIR, name)).isDirectory());
  expect(folders.filter((folder) => !ruleIds.includes(folder) && !parseFindingIds.includes(folder))).toEqual([]);
});

test('parse findings left without fixtures are real parse findings, each with its reason', () => {
  const known = new Set(PARSE_FINDINGS.map((m) => m.id));
  for (const [id, reason] of Object.entries(PARSE_FINDINGS_WITHOUT_FIXTURES)) {
    expect(known.has(id)).toBe(true);
    expect(reason.length).toBeGreaterThan(20);
    expect(fs.existsSync(path.join(FIXTURES_DIR, id))).toBe(false);
  }
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
