import { format as sarif } from '../../lib/format/sarif';
import { sarifValidator } from './sarif-validator';
import { sampleContext, sampleResult } from './sample';

describe('sarif', () => {
  const validate = sarifValidator();

  test('validates against the official SARIF 2.1.0 schema', () => {
    const log = JSON.parse(sarif(sampleResult, sampleContext()));
    const ok = validate(log);
    if (!ok) throw new Error(JSON.stringify(validate.errors, null, 2));
    const empty = JSON.parse(sarif({ findings: [], files: [] }, sampleContext()));
    expect(validate(empty)).toBe(true);
  });

  test('rule table, ruleIndex, levels, locations and related locations', () => {
    const log = JSON.parse(sarif(sampleResult, sampleContext()));
    const run = log.runs[0];
    expect(log.version).toBe('2.1.0');
    const rules = run.tool.driver.rules;
    // known rule first, then ids only seen in findings get a descriptor too
    expect(rules[0]).toMatchObject({
      id: 'uwsgi-router-chunked-input',
      shortDescription: { text: 'HTTP router without http-chunked-input drops chunked bodies' },
      helpUri: 'https://example.invalid/docs/rules/uwsgi-router-chunked-input.md',
      defaultConfiguration: { level: 'error' },
    });
    for (const r of run.results) expect(rules[r.ruleIndex].id).toBe(r.ruleId);
    const byRule = Object.fromEntries(run.results.map((r: { ruleId: string }) => [r.ruleId, r]));
    expect(byRule['some-info'].level).toBe('note');
    expect(byRule['proxy-sendcl-shared-vhost'].level).toBe('warning');
    const err = byRule['uwsgi-router-chunked-input'];
    expect(err.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'deploy/glance.ini', uriBaseId: '%SRCROOT%' },
      region: { startLine: 7, startColumn: 1, endLine: 7, endColumn: 23 },
    });
    expect(err.relatedLocations[0]).toMatchObject({ id: 1, message: { text: 'routed here by ProxyPass' } });
    // a point range has no end
    expect(byRule['some-info'].locations[0].physicalLocation.region).toEqual({ startLine: 2, startColumn: 3 });
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///repo/');
  });

  test('files outside the working directory get absolute file URIs', () => {
    const log = JSON.parse(sarif({ findings: [{ ...sampleResult.findings[2], location: { ...sampleResult.findings[2].location, file: '/etc/apache2/a b.conf' } }], files: [] }, sampleContext()));
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///etc/apache2/a%20b.conf' });
    expect(validate(log)).toBe(true);
  });
});
