import type { Finding } from '../../lib/core/finding';
import { applySuppressions, expiryReason, parseSuppressions } from '../../lib/suppress';

function finding(ruleId: string, line: number, file = 'a.conf'): Finding {
  return { ruleId, severity: 'error', message: `${ruleId} at ${line}`, location: { file, range: { start: { line, column: 1, offset: 0 }, end: { line, column: 5, offset: 0 } } } };
}
const ctx = { today: '2026-11-22', targets: { glance: '32.0' } };

describe('inline suppressions', () => {
  test('parses ids, until and reason; # everywhere, ; only in ini files', () => {
    const text = '# deploylint-disable-next-line a,b c until=2027-06-30 -- the reason -- kept\n; deploylint-disable x\n  #deploylint-enable\n# deploylint-disabled-not-a-directive\n';
    const apache = parseSuppressions({ file: 'f', text, ini: false });
    expect(apache).toHaveLength(2);
    expect(apache[0]).toMatchObject({ type: 'disable-next-line', ruleIds: ['a', 'b', 'c'], until: '2027-06-30', reason: 'the reason -- kept', line: 1, column: 1 });
    expect(apache[1]).toMatchObject({ type: 'enable', ruleIds: [], line: 3, column: 3 });
    expect(parseSuppressions({ file: 'f', text, ini: true })).toHaveLength(3);
  });

  test('disable-next-line covers the next code line (skipping comments), with continuation lines', () => {
    const text = [
      '# deploylint-disable-next-line r1', // 1
      '# deploylint-disable-next-line r2 -- stacked', // 2
      '', // 3
      'ProxyPass / \\', // 4
      '   http://x/', // 5
      'Other', // 6
    ].join('\n');
    const out = applySuppressions([finding('r1', 4), finding('r2', 5), finding('r1', 6), finding('r3', 4)], [{ file: 'a.conf', text, ini: false }], ctx);
    expect(out.findings.map((f) => `${f.ruleId}@${f.location.range.start.line}`)).toEqual(['r1@6', 'r3@4']);
    expect(out.reported).toEqual([]);
    expect(out.suppressedCount).toBe(2);
  });

  test('disable ... enable spans; disable without enable runs to the end; no id means every rule', () => {
    const text = ['a', '# deploylint-disable r1', 'b', 'c', '# deploylint-enable r1', 'd', '# deploylint-disable', 'e'].join('\n');
    const out = applySuppressions([finding('r1', 1), finding('r1', 3), finding('r2', 4), finding('r1', 6), finding('r9', 8)], [{ file: 'a.conf', text, ini: false }], ctx);
    expect(out.findings.map((f) => `${f.ruleId}@${f.location.range.start.line}`)).toEqual(['r1@1', 'r2@4', 'r1@6']);
  });

  test('only findings in the file the comment is in', () => {
    const text = '# deploylint-disable-next-line r1\nx\n';
    const out = applySuppressions([finding('r1', 2, 'b.conf')], [{ file: 'a.conf', text, ini: false }], ctx);
    expect(out.findings).toHaveLength(1);
    expect(out.reported.map((f) => f.ruleId)).toEqual(['suppression-unused']);
  });

  test('unused suppressions are reported at the comment, one per unmatched id', () => {
    const text = '\n  # deploylint-disable-next-line r1,r2\nx\n';
    const out = applySuppressions([finding('r1', 3)], [{ file: 'a.conf', text, ini: false }], ctx);
    expect(out.findings).toEqual([]);
    expect(out.reported).toHaveLength(1);
    expect(out.reported[0]).toMatchObject({ ruleId: 'suppression-unused', severity: 'warning', location: { file: 'a.conf', range: { start: { line: 2, column: 3, offset: 3 } } } });
    expect(out.reported[0].message).toContain('r2');
  });

  test('expiry by date and by target version', () => {
    expect(expiryReason('2026-11-22', ctx)).toBeNull();
    expect(expiryReason('2026-11-21', ctx)).toMatch(/expired on 2026-11-21/);
    expect(expiryReason('glance@33', ctx)).toBeNull();
    expect(expiryReason('glance@32', ctx)).toMatch(/glance target is 32.0/);
    expect(expiryReason('uwsgi@2.1', { today: ctx.today, targets: { uwsgi: '2.1' } })).not.toBeNull();
    expect(expiryReason('swift@30', ctx)).toBeNull(); // no target for swift: cannot tell
    // Services in the entry-point table have a default target (their newest release): nova 33.0.2.
    expect(expiryReason('nova@30', ctx)).toMatch(/nova target is 33\.0\.2/);
    expect(expiryReason('someday', ctx)).toMatch(/neither a date/);
  });

  test('an expired suppression does not suppress and is reported', () => {
    const text = '# deploylint-disable-next-line r1 until=2020-01-01 -- old\nx\n';
    const out = applySuppressions([finding('r1', 2)], [{ file: 'a.conf', text, ini: false }], ctx);
    expect(out.findings).toHaveLength(1);
    expect(out.reported.map((f) => f.ruleId)).toEqual(['suppression-expired']);
    expect(out.reported[0].message).toContain('expired on 2020-01-01');
  });
});

describe('the library API honours inline suppressions', () => {
  const { lint } = require('../../lib/lint') as typeof import('../../lib/lint');
  const ini = [
    '[uwsgi]',
    'module = app.wsgi:application',
    '# deploylint-disable-next-line uwsgi-unknown-option -- kept for the old wrapper',
    'vaccum = true',
    '; deploylint-disable-next-line uwsgi-sigterm-reload',
    'http-socket = 127.0.0.1:8000',
    '',
  ].join('\n');
  const files = [{ path: 'app.ini', text: ini, kind: 'uwsgi-ini' as const }];
  const ids = (findings: { ruleId: string; location: { range: { start: { line: number } } } }[]) =>
    findings.map((f) => `${f.ruleId}@${f.location.range.start.line}`).filter((s) => /unknown-option|suppression|sigterm/.test(s));

  test('lint() hides what a suppression covers, counts it, and reports unused ones', () => {
    const result = lint(files, { today: '2026-01-01' });
    expect(ids(result.findings)).toEqual(['suppression-unused@5']);
    expect(result.suppressed).toBe(1);
  });

  test('inlineSuppressions: false reads no suppression comment', () => {
    const result = lint(files, { inlineSuppressions: false });
    expect(ids(result.findings)).toEqual(['uwsgi-unknown-option@4']);
    expect(result.suppressed).toBe(0);
  });

  test('severities and off apply to the suppression checks too, once', () => {
    expect(ids(lint(files, { rules: { 'suppression-unused': 'off' } }).findings)).toEqual([]);
    const info = lint(files, { rules: { 'suppression-unused': 'info' } }).findings.find((f) => f.ruleId === 'suppression-unused');
    expect(info?.severity).toBe('info');
  });

  test('a suppression of a rule that is off matches nothing', () => {
    const result = lint(files, { rules: { 'uwsgi-unknown-option': 'off' } });
    expect(ids(result.findings)).toEqual(['suppression-unused@3', 'suppression-unused@5']);
  });
});
