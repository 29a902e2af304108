/**
 * The engine's side of fixes: a rule's metadata carries its default applicability, a finding's fix
 * gets it unless it says otherwise, and a rule that is not `fixable` may not report a fix.
 */
import { defineRule } from '../../lib/engine';
import { runRules } from '../../lib/engine/run';
import { deploymentOf } from '../model/deployment';

const deployment = deploymentOf({ 'app.ini': '[uwsgi]\nmodule = app.wsgi:application\n' });
const anchor = deployment.uwsgi[0].options[0].entryLocation;
const edit = { file: anchor.file, range: { startOffset: 0, endOffset: 0 }, text: '' };

test('defineRule: fixable rules default to safe, may declare unsafe or display-only; others have none', () => {
  const base = { severity: 'warning' as const, category: 'correctness' as const, description: 'd', targets: [], fixHint: 'h', check() {} };
  expect(defineRule({ ...base, id: 'a', fixable: true }).meta.fixApplicability).toBe('safe');
  expect(defineRule({ ...base, id: 'b', fixable: true, fixApplicability: 'unsafe' }).meta.fixApplicability).toBe('unsafe');
  expect(defineRule({ ...base, id: 'c' }).meta.fixApplicability).toBeUndefined();
});

test('a fix gets the rule default unless it says otherwise; a fix from a rule not fixable is a bug', () => {
  const base = { severity: 'warning' as const, category: 'correctness' as const, description: 'd', targets: [], fixHint: 'h' };
  const rules = [
    defineRule({ ...base, id: 'default', fixable: true, fixApplicability: 'unsafe', check: ({ report }) => report({ message: 'm', location: anchor, fix: { description: 'x', edits: [edit] } }) }),
    defineRule({ ...base, id: 'override', fixable: true, fixApplicability: 'unsafe', check: ({ report }) => report({ message: 'm', location: anchor, fix: { description: 'x', edits: [edit], applicability: 'safe' } }) }),
    defineRule({ ...base, id: 'not-fixable', check: ({ report }) => report({ message: 'm', location: anchor, fix: { description: 'x', edits: [edit] } }) }),
  ];
  const findings = runRules(deployment, {}, rules);
  expect(findings.map((f) => [f.ruleId, f.fix?.applicability])).toEqual([['default', 'unsafe'], ['override', 'safe'], ['internal-error', undefined]]);
  expect(findings[2].message).toBe('rule not-fixable failed: reported a fix, but its metadata does not say fixable. This is a bug in deploylint; please report it.');
});
