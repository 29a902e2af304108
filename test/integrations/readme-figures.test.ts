/**
 * The figures the README quotes are the figures the suite measures.
 *
 * Each claim names where a figure sits in README.md (a pattern that must match exactly once, so a
 * reworded README fails here instead of going unchecked) and which recorded figure it must equal.
 * The figures come from the tests that measure them (the oracles and the lab write
 * dist/test-figures/*.json, see figures.ts). `npm test` runs this file after the rest of the suite
 * (scripts/test.sh), so it compares with this run's figures. Run on its own, it uses the figures of
 * the last run; when a source has none (its servers were missing, or only part of the suite ran),
 * its comparison is skipped, visibly, and under CI=true that fails instead.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FIGURES_DIR, readFigures, type FigureSource } from './figures';

const README = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');

interface Claim {
  source: FigureSource;
  figure: string;
  /** Where the README states it: the first capture group is the figure. */
  at: RegExp;
}

const CLAIMS: Claim[] = [
  { source: 'uwsgi-oracle', figure: 'agree', at: /\*\*(\d+\/\d+) agree byte for byte\*\*/ },
  { source: 'uwsgi-oracle', figure: 'corpus', at: /\(corpus (\d+\/\d+), corpus mutants/ },
  { source: 'uwsgi-oracle', figure: 'corpusMutants', at: /corpus mutants (\d+\/\d+),/ },
  { source: 'uwsgi-oracle', figure: 'generated', at: /generated (\d+\/\d+); in \d+ of them/ },
  { source: 'uwsgi-oracle', figure: 'exitsPredicted', at: /; in (\d+) of them uWSGI exits before printing/ },
  { source: 'uwsgi-oracle', figure: 'setApart', at: /\. (\d+) more runs\s+are set apart/ },
  { source: 'apache-oracle', figure: 'syntax', at: /\*\*syntax verdicts (\d+\/\d+)\*\*/ },
  { source: 'apache-oracle', figure: 'hostChecks', at: /the same\s+message and line each time; (\d+) cases where httpd fails on a host check/ },
  { source: 'apache-oracle', figure: 'resolution', at: /\*\*resolution (\d+\/\d+)\*\*/ },
  { source: 'apache-oracle', figure: 'dumpConfigLines', at: /; ([\d,]+) DUMP_CONFIG\s+lines compared/ },
  { source: 'lab', figure: 'agreement', at: /\*\*(\d+\/\d+) scenarios agree\*\*/ },
  { source: 'lab', figure: 'setups', at: /scenarios agree\*\* \((\d+) server setups/ },
];

/** The README's figure for a claim; throws unless its pattern matches exactly once. */
function readmeFigure(claim: Claim, readme = README): string {
  // a space in a pattern stands for any run of whitespace: the README wraps its lines anywhere
  const global = new RegExp(claim.at.source.replace(/ /g, '\\s+'), 'g');
  const matches = [...readme.matchAll(global)];
  if (matches.length !== 1) throw new Error(`README.md: ${matches.length} matches for ${claim.at} (${claim.source} ${claim.figure}); expected exactly one`);
  return matches[0][1].replace(/,/g, '');
}

test('every figure the README quotes is found exactly once where the claims say', () => {
  for (const claim of CLAIMS) expect(readmeFigure(claim)).toMatch(/^\d+(\/\d+)?$/);
});

/** What the README says differently from the recorded figures of one source. */
function differences(source: FigureSource, figures: Record<string, string | number>, readme = README): string[] {
  const differ: string[] = [];
  for (const claim of CLAIMS.filter((c) => c.source === source)) {
    const measured = figures[claim.figure];
    const quoted = readmeFigure(claim, readme);
    if (measured === undefined) differ.push(`${claim.figure}: not recorded by the ${source} tests`);
    else if (quoted !== String(measured)) differ.push(`${claim.figure}: README says ${quoted}, the suite measured ${measured}`);
  }
  return differ;
}

test('the check bites: a differing, a missing or an unquotable figure is caught', () => {
  const asQuoted = Object.fromEntries(CLAIMS.filter((c) => c.source === 'apache-oracle').map((c) => [c.figure, readmeFigure(c)]));
  expect(differences('apache-oracle', asQuoted)).toEqual([]);
  expect(differences('apache-oracle', { ...asQuoted, syntax: '1003/1003' })).toEqual([`syntax: README says ${asQuoted.syntax}, the suite measured 1003/1003`]);
  const { resolution: _dropped, ...missing } = asQuoted;
  expect(differences('apache-oracle', missing)).toEqual(['resolution: not recorded by the apache-oracle tests']);
  const reworded = README.replace(`**syntax verdicts ${asQuoted.syntax}**`, 'syntax verdicts: all of them');
  expect(() => differences('apache-oracle', asQuoted, reworded)).toThrow(/0 matches/);
});

const SOURCES: FigureSource[] = ['uwsgi-oracle', 'apache-oracle', 'lab'];

describe.each(SOURCES.map((s) => [s]))('%s', (source) => {
  const recorded = readFigures(source);
  const ci = process.env.CI === 'true';
  const name = recorded
    ? `the README's figures equal the ones recorded at ${recorded.writtenAt}`
    : `SKIPPED: no figures recorded by the ${source} tests in ${path.relative(process.cwd(), FIGURES_DIR) || FIGURES_DIR} (they did not run: run the whole suite with npm test)`;
  if (!recorded && !ci) console.warn(`readme-figures: ${name}`);
  (recorded || ci ? test : test.skip)(name, () => {
    if (!recorded) throw new Error(`CI=true: the ${source} tests recorded no figures in ${FIGURES_DIR}; scripts/test.sh runs this test after them`);
    expect(differences(source, recorded.figures)).toEqual([]);
  });
});
