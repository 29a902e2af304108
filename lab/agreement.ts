/**
 * Agreement between the live servers and deploylint, scenario by scenario.
 *
 * - Live outcome fails (loudly or silently): deploylint must report, as an error or a warning, at
 *   least one of the rule ids the scenario expects (a warning is enough where the failure depends on
 *   traffic the files cannot tell, e.g. whether a generic app ever receives a chunked upload). Where
 *   the failure is configuration that does nothing or that httpd adjusts or never uses while serving
 *   every request (`infoSuffices`: a DocumentRoot no request reaches, an MPM's sizing), an info
 *   finding is enough.
 * - Live outcome works: deploylint must report no error, except errors from rules that a failing
 *   scenario of the same setup expects: one set of files serves all the probes of a setup, so a
 *   config that loses chunked bodies is rightly an error even though its Content-Length probe works.
 */
import type { LabFinding } from './deploylint-cli';
import { fixEligible, type FixSetupResult } from './fix';
import type { ScenarioResult, SetupResult } from './lab';
import { APP_PROFILES } from './scenarios';

export interface Verdict {
  scenario: ScenarioResult;
  agrees: boolean;
  reason: string;
  findings: LabFinding[];
}

const failed = (s: ScenarioResult) => s.outcome !== 'works';

export function judgeSetup(result: SetupResult): Verdict[] {
  const { lint } = result;
  const excused = new Set(result.scenarios.filter(failed).flatMap((s) => s.probe.expect));
  return result.scenarios.map((scenario) => {
    const findings = lint.findings;
    if (!lint.available) return { scenario, agrees: false, reason: lint.error ?? 'deploylint unavailable', findings };
    if (failed(scenario)) {
      const counts = (severity: string) => severity === 'error' || severity === 'warning' || (scenario.probe.infoSuffices === true && severity === 'info');
      const named = findings.filter((f) => scenario.probe.expect.includes(f.ruleId) && counts(f.severity));
      if (named.length) return { scenario, agrees: true, reason: `reports ${unique(named.map((f) => f.ruleId)).join(', ')}`, findings };
      const wanted = scenario.probe.expect.length ? scenario.probe.expect.join(' or ') : '(no rule planned for this failure)';
      return { scenario, agrees: false, reason: `live ${scenario.outcome}, but no finding for ${wanted}`, findings };
    }
    const wrongErrors = findings.filter((f) => f.severity === 'error' && !excused.has(f.ruleId));
    if (wrongErrors.length) {
      return { scenario, agrees: false, reason: `live works, but errors: ${unique(wrongErrors.map((f) => f.ruleId)).join(', ')}`, findings };
    }
    return { scenario, agrees: true, reason: 'works, no unexcused error', findings };
  });
}

export function judge(results: SetupResult[]): Verdict[] {
  return results.flatMap(judgeSetup);
}

export function agreementLine(verdicts: Verdict[]): string {
  return `lab agreement: ${verdicts.filter((v) => v.agrees).length}/${verdicts.length} scenarios`;
}

/**
 * The fix agreement, scenario by scenario (docs/lab.md "Fix agreement"): a scenario that fails live
 * and whose expected findings carry a fix agrees when, after `deploylint --fix --unsafe-fixes` on a
 * copy of its files, servers started from the fixed files make it work, every probe of the setup that
 * worked before still works, and deploylint reports no error on the fixed files.
 */
export interface FixVerdict {
  scenario: ScenarioResult;
  /** The same probe against the fixed files. */
  after?: ScenarioResult;
  agrees: boolean;
  reason: string;
  /** Rule ids whose fixes were applied to the setup. */
  applied: string[];
}

export function judgeFixes(results: SetupResult[], fixed: FixSetupResult[]): FixVerdict[] {
  const verdicts: FixVerdict[] = [];
  for (const result of results) {
    const eligible = fixEligible(result);
    if (eligible.length === 0) continue;
    const f = fixed.find((x) => x.setup.id === result.setup.id);
    const applied = f ? unique(f.fix.applied.map((a) => a.ruleId)) : [];
    const afterOf = (s: ScenarioResult) => f?.scenarios.find((x) => x.id === s.id);
    const regressions = result.scenarios.filter((s) => s.outcome === 'works' && afterOf(s)?.outcome !== 'works');
    for (const scenario of eligible) {
      const after = afterOf(scenario);
      const verdict = (agrees: boolean, reason: string) => verdicts.push({ scenario, after, agrees, reason, applied });
      if (!f || !f.fix.available) { verdict(false, f?.fix.error ?? 'the setup was not fixed'); continue; }
      const errors = f.fix.findings.filter((x) => x.severity === 'error');
      if (!after || after.outcome !== 'works') verdict(false, `after --fix: ${after ? `${after.outcome} (${after.detail})` : 'not run'}${f.startErrors.length ? `; start-up: ${f.startErrors.join('; ')}` : ''}`);
      else if (errors.length) verdict(false, `works after --fix, but deploylint still reports errors: ${unique(errors.map((x) => x.ruleId)).join(', ')}`);
      else if (regressions.length) verdict(false, `--fix broke what worked: ${regressions.map((s) => `${s.id} (${afterOf(s)?.outcome ?? 'not run'})`).join(', ')}`);
      else if (applied.length === 0) verdict(false, 'works, but no fix was applied (a flaky failure?)');
      else verdict(true, `works after fixes of ${applied.join(', ')}`);
    }
  }
  return verdicts;
}

export function fixAgreementLine(verdicts: FixVerdict[]): string {
  return `fix agreement: ${verdicts.filter((v) => v.agrees).length}/${verdicts.length} scenarios`;
}

/** Rules whose fixes were applied in a setup all of whose fix verdicts agree: the fixes the servers proved. */
export function provenFixRules(verdicts: FixVerdict[]): string[] {
  const bySetup = new Map<string, FixVerdict[]>();
  for (const v of verdicts) bySetup.set(v.scenario.setup.id, [...(bySetup.get(v.scenario.setup.id) ?? []), v]);
  const rules = new Set<string>();
  for (const list of bySetup.values()) if (list.every((v) => v.agrees)) for (const id of list[0].applied) rules.add(id);
  return [...rules].sort();
}

/** The console table of the fix agreement. */
export function fixConsoleTable(verdicts: FixVerdict[]): string {
  const rows = verdicts.map((v) => [v.scenario.id, v.scenario.outcome, v.after?.outcome ?? '-', v.applied.join(', ').slice(0, 60), v.agrees ? 'agree' : `DISAGREE: ${v.reason}`]);
  const header = ['scenario', 'live outcome', 'after --fix', 'fixes applied', 'fix agreement'];
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (i < 4 ? r[i].length : 0)))));
  const line = (cells: string[]) => cells.map((c, i) => (i < 4 ? pad(c, widths[i]) : c)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function findingsCell(findings: LabFinding[]): string {
  if (!findings.length) return '-';
  return unique(findings.map((f) => `${f.ruleId} (${f.severity})`)).join(', ');
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The console table: scenario, live outcome, deploylint's findings, agreement. */
export function consoleTable(verdicts: Verdict[]): string {
  const rows = verdicts.map((v) => [
    v.scenario.id, v.scenario.outcome, v.scenario.detail.slice(0, 48),
    v.scenario.setup ? findingsCell(v.findings).slice(0, 70) : '', v.agrees ? 'agree' : `DISAGREE: ${v.reason}`,
  ]);
  const header = ['scenario', 'live outcome', 'detail', 'deploylint findings', 'agreement'];
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (i < 4 ? r[i].length : 0)))));
  const line = (cells: string[]) => cells.map((c, i) => (i < 4 ? pad(c, widths[i]) : c)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** Contradictions with no `contradicts` explanation in the matrix: new facts to look into. */
export function unexplainedContradictions(results: SetupResult[]): ScenarioResult[] {
  return contradictions(results).filter((s) => !s.probe.contradicts);
}

/** Scenarios whose live outcome differs from what the facts files predicted. */
export function contradictions(results: SetupResult[]): ScenarioResult[] {
  return results.flatMap((r) => r.scenarios).filter((s) => s.outcome !== s.probe.predicted);
}

const md = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** lab/results.md: the table, the facts check, and each setup's files (scenario ids are anchors). */
export function resultsMarkdown(
  results: SetupResult[], verdicts: Verdict[], meta: { date: string; seconds: number; versions: string },
  fix: { verdicts: FixVerdict[]; fixed: FixSetupResult[] } = { verdicts: [], fixed: [] },
): string {
  const out: string[] = [];
  out.push('# Lab results', '');
  out.push(`Generated by \`npm run lab\` (lab/run.ts) on ${meta.date}; ${meta.versions}; the whole lab took ${meta.seconds} s.`);
  out.push('Every scenario started real servers from the files listed under its setup below, sent one request, and');
  out.push('ran `deploylint --format json` on the same files. Outcomes: **works** (2xx and every byte reached the app),');
  out.push('**fails-loudly** (4xx/5xx, connection error or timeout), **fails-silently** (2xx but bytes lost; for the');
  out.push('`sigterm` probe: the uWSGI master kept running). Agreement rules: see lab/agreement.ts and docs/lab.md.', '');
  out.push(`**${agreementLine(verdicts)}**; **${fixAgreementLine(fix.verdicts)}** ([fixes proven by the servers](#fixes-proven-by-the-servers))`, '');
  out.push('| scenario | front | live outcome | detail | facts predicted | expected rules | deploylint findings | agreement |');
  out.push('|---|---|---|---|---|---|---|---|');
  for (const v of verdicts) {
    const s = v.scenario;
    const predicted = s.probe.predicted === s.outcome ? 'same' : `**${s.probe.predicted}**`;
    out.push(`| [${s.id}](#${s.setup.id}) | ${s.setup.front} | ${s.outcome} | ${md(s.detail)}${s.firstAttempt ? ` (retried; first attempt ${md(s.firstAttempt)})` : ''} | ${predicted} | ${s.probe.expect.join(', ') || '-'} | ${md(findingsCell(v.findings))} | ${v.agrees ? 'agree' : md(`disagree: ${v.reason}`)} |`);
  }
  const contra = contradictions(results);
  out.push('', '## Where the servers contradicted the facts files', '');
  if (!contra.length) out.push('None: every live outcome matched the prediction from lab-findings.md and field-facts.md.');
  for (const s of contra) {
    const why = s.probe.contradicts ?? s.probe.note ?? 'not explained yet';
    out.push(`- \`${s.id}\`: predicted ${s.probe.predicted}, live ${s.outcome} (${md(s.detail)}). ${md(why)}.`);
  }
  out.push('', '## Scenarios by rule', '', 'The scenarios whose live failure each rule must explain (link these from docs/rules/<id>.md):', '');
  const byRule = new Map<string, ScenarioResult[]>();
  for (const s of results.flatMap((r) => r.scenarios)) {
    for (const rule of s.probe.expect) byRule.set(rule, [...(byRule.get(rule) ?? []), s]);
  }
  for (const [rule, scenarios] of [...byRule].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`- \`${rule}\`: ${scenarios.map((s) => `[${s.id}](#${s.setup.id}) (${s.outcome})`).join(', ')}`);
  }
  out.push('', '## App profiles', '', 'deploylint is told what each lab app does through its config file (`appProfiles`, script glob to profile id):', '');
  for (const [flavour, profile] of Object.entries(APP_PROFILES)) {
    out.push(`- \`lab/apps/${flavour}.py\`: \`"${profile.glob}": "${profile.profile}"\`: ${profile.description}.`);
  }
  out.push('', '## Fixes proven by the servers', '');
  out.push('For every scenario that fails live and whose expected findings carry a fix, the lab wrote the setup\'s files afresh, ran');
  out.push('`deploylint --fix --unsafe-fixes` on them, started the servers from the fixed files and ran every probe of the setup again.');
  out.push('A scenario agrees when it now works, nothing that worked broke, and deploylint reports no error on the fixed files (lab/fix.ts, lab/agreement.ts).', '');
  out.push(`**${fixAgreementLine(fix.verdicts)}**; fixes proven: ${provenFixRules(fix.verdicts).map((id) => `\`${id}\``).join(', ') || 'none'}.`, '');
  out.push('| scenario | live outcome | after --fix | fixes applied | fix agreement |');
  out.push('|---|---|---|---|---|');
  for (const v of fix.verdicts) {
    out.push(`| [${v.scenario.id}](#fix-${v.scenario.setup.id}) | ${v.scenario.outcome} | ${v.after ? `${v.after.outcome} (${md(v.after.detail)})` : '-'} | ${v.applied.join(', ') || '-'} | ${v.agrees ? 'agree' : md(`disagree: ${v.reason}`)} |`);
  }
  for (const f of fix.fixed) {
    out.push('', `### fix-${f.setup.id}`, '');
    out.push(`\`${f.fix.command}\` (exit ${f.fix.exitCode}):`, '');
    for (const a of f.fix.applied) out.push(`- fixed \`${a.ruleId}\` (${a.applicability}): ${md(a.description)}`);
    for (const n of f.fix.notApplied) out.push(`- not fixed \`${n.ruleId}\`: ${md(n.description)}: ${md(n.reason)}`);
    if (f.startErrors.length) out.push('', `Start-up: ${md(f.startErrors.join('; '))}`);
    out.push('', '```diff', f.diff.trimEnd() || '(no change)', '```', '');
    out.push(`After the fix: ${f.scenarios.map((s) => `\`${s.probe.name ?? s.probe.kind}\` ${s.outcome}`).join(', ')}; deploylint then reports ${f.fix.findings.length ? findingsCell(f.fix.findings) : 'nothing'}.`);
  }
  out.push('', '## Setups and the files they started from', '');
  for (const r of results) {
    out.push(`### ${r.setup.id}`, '');
    out.push(`${r.setup.title}. Front: ${r.setup.front}; uWSGI socket: ${r.setup.socket}; option: ${r.setup.options}; apps: ${r.setup.apps.join(', ')}.`, '');
    for (const s of r.scenarios) {
      const retried = s.firstAttempt ? ` (first attempt: ${md(s.firstAttempt)}; run again)` : '';
      out.push(`- \`${s.id}\`: ${s.outcome} (${md(s.detail)})${retried}; expects ${s.probe.expect.join(', ') || 'no failure'}${s.probe.note ? `. ${md(s.probe.note)}` : ''}`);
    }
    if (r.startErrors.length) out.push('', `Start-up: ${md(r.startErrors.join('; '))}`);
    out.push('', `deploylint: \`${r.lint.command}\` with \`${JSON.stringify(r.appProfiles)}\``, '');
    for (const file of r.files) {
      out.push(`\`${file.name}\`:`, '', '```' + (file.kind === 'apache' ? 'apache' : 'ini'), file.displayText.trimEnd(), '```', '');
    }
    if (r.logExcerpt) out.push('Server log excerpt:', '', '```text', r.logExcerpt, '```', '');
  }
  return out.join('\n') + '\n';
}
