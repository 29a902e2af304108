import * as fs from 'fs';
import * as path from 'path';
import { FINGERPRINT_KEY, artifactLocation, format as sarif } from '../../lib/format/sarif';
import { markdownSection, markdownToText, resolveDocLinks, ruleDocsFromPackage } from '../../lib/format/rule-docs';
import { webRepoUrl } from '../../lib/cli/package-info';
import { fingerprints } from '../../lib/baseline';
import { allRuleMetas } from '../../lib/cli/modules';
import type { Finding } from '../../lib/core/finding';
import { sarifValidator } from './sarif-validator';
import { loc, sampleContext, sampleResult, sampleRules } from './sample';

const ROOT = path.resolve(__dirname, '..', '..');

/** Every string anywhere in a parsed JSON value, with the key path it sits at. */
function strings(value: unknown, at = '$'): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${k}`));
  return [];
}

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
  });

  test('no absolute path of the machine that ran it: no originalUriBaseIds, no file: URI anywhere', () => {
    const outside: Finding = { ...sampleResult.findings[2], location: { ...sampleResult.findings[2].location, file: '/etc/apache2/a b.conf' } };
    const inside: Finding = { ...sampleResult.findings[0], location: { ...sampleResult.findings[0].location, file: '/repo/sub/x.ini' } };
    const ctx = sampleContext({ cwd: '/repo/work', docsUrl: (id) => `file:///usr/lib/node_modules/deploylint/docs/rules/${id}.md` });
    const text = sarif({ findings: [outside, inside, ...sampleResult.findings], files: [] }, ctx);
    const log = JSON.parse(text);
    expect(validate(log)).toBe(true);
    const run = log.runs[0];
    expect(run.originalUriBaseIds).toBeUndefined();
    expect(run.tool.driver.informationUri).toBeUndefined();
    for (const rule of run.tool.driver.rules) expect(rule.helpUri).toBeUndefined();
    expect(text).not.toMatch(/file:\/\/|node_modules|\/repo\b|"\/etc/);
    const uris = strings(log).filter(([at]) => at.endsWith('.uri')).map(([, v]) => v);
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) expect(uri).not.toMatch(/^\/|^[a-z]+:/i);
    // every artifact location is relative to %SRCROOT%
    const bases = strings(log).filter(([at]) => at.endsWith('.uriBaseId')).map(([, v]) => v);
    expect(new Set(bases)).toEqual(new Set(['%SRCROOT%']));
  });

  test('artifact URIs: relative inside the working directory, ../ outside it, segments percent-encoded', () => {
    expect(artifactLocation('deploy/glance.ini', '/repo')).toEqual({ uri: 'deploy/glance.ini', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/repo/a b/c#d%.conf', '/repo')).toEqual({ uri: 'a%20b/c%23d%25.conf', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/etc/apache2/a b.conf', '/home/runner/work/r/r')).toEqual({ uri: '../../../../../etc/apache2/a%20b.conf', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('../shared/x.ini', '/repo/app')).toEqual({ uri: '../shared/x.ini', uriBaseId: '%SRCROOT%' });
  });

  test('rule help is the docs page (Markdown and text); helpUri only for a web URL, pinned to the release', () => {
    const docs = (id: string) => (id === 'uwsgi-router-chunked-input' ? '# uwsgi-router-chunked-input\n\n**Severity:** error\n\nSee [the lab](../../lab/results.md#router) and [uWSGI](https://uwsgi-docs.readthedocs.io/).\n' : undefined);
    const web = JSON.parse(
      sarif(sampleResult, sampleContext({ ruleDocs: (m) => docs(m.id), docsUrl: (id) => (id ? `https://github.com/o/deploylint/blob/v0.1.0/docs/rules/${id}.md` : 'https://github.com/o/deploylint/blob/v0.1.0/docs/cli.md') })),
    );
    const rule = web.runs[0].tool.driver.rules[0];
    expect(rule.helpUri).toBe('https://github.com/o/deploylint/blob/v0.1.0/docs/rules/uwsgi-router-chunked-input.md');
    expect(rule.help.markdown).toContain('[the lab](https://github.com/o/deploylint/blob/v0.1.0/lab/results.md#router)');
    expect(rule.help.markdown).toContain('[uWSGI](https://uwsgi-docs.readthedocs.io/)');
    expect(rule.help.text).toContain('Severity: error');
    expect(rule.help.text).toContain('See the lab (https://github.com/o/deploylint/blob/v0.1.0/lab/results.md#router)');
    expect(web.runs[0].tool.driver.informationUri).toBe('https://github.com/o/deploylint/blob/v0.1.0/docs/cli.md');
    // without a web home, relative links keep only their text
    const local = JSON.parse(sarif(sampleResult, sampleContext({ ruleDocs: (m) => docs(m.id), docsUrl: (id) => `file:///x/${id}` })));
    expect(local.runs[0].tool.driver.rules[0].help.markdown).toContain('See the lab and [uWSGI](https://uwsgi-docs.readthedocs.io/)');
    // a rule whose page cannot be found falls back to its fix hint
    const none = JSON.parse(sarif(sampleResult, sampleContext({ ruleDocs: () => undefined })));
    expect(none.runs[0].tool.driver.rules[0].help).toEqual({ text: sampleRules[0].fixHint });
  });

  test('the real rules: every rule gets its own docs page or section as help, and the log validates', () => {
    const metas = allRuleMetas();
    const log = JSON.parse(sarif({ findings: [], files: [] }, sampleContext({ rules: metas, docsUrl: (id) => `file:///install/${id}` })));
    expect(validate(log)).toBe(true);
    const rules = log.runs[0].tool.driver.rules;
    expect(rules).toHaveLength(metas.length);
    for (const r of rules) {
      expect(r.help.markdown).toBeDefined();
      // a rule page starts with its id; a section of the shared parse-findings page is that id's section only
      const meta = metas.find((m) => m.id === r.id)!;
      if (meta.docs.startsWith('docs/rules/parse-findings.md#')) {
        expect(r.help.markdown.split('\n')[0]).toBe(`## ${r.id}`);
        expect(r.help.markdown.match(/^## /gm)).toHaveLength(1);
      } else if (meta.docs.startsWith('docs/rules/')) {
        expect(r.help.markdown.split('\n')[0]).toBe(`# ${r.id}`);
      }
      // no link into a repository the reader does not have
      expect(r.help.markdown).not.toMatch(/\]\((?!https?:)/);
    }
  });

  test('partialFingerprints: the baseline fingerprint, unchanged when lines above move', () => {
    const file = 'deploy/glance.ini';
    const before = '[uwsgi]\nmaster = true\nhttp = :8080\n';
    const after = '[uwsgi]\n# a comment\n\nmaster = true\nhttp = :8080\n';
    const at = (line: number): Finding => ({ ruleId: 'uwsgi-router-chunked-input', severity: 'error', message: 'm', location: loc(file, line, 1, line, 13) });
    const run = (f: Finding, text: string) => JSON.parse(sarif({ findings: [f], files: [] }, sampleContext({ textOf: (p) => (p === file ? text : undefined) }))).runs[0].results[0];
    const a = run(at(3), before);
    const b = run(at(5), after);
    expect(a.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
    expect(b.partialFingerprints).toEqual(a.partialFingerprints);
    expect(a.partialFingerprints[FINGERPRINT_KEY]).toBe(fingerprints([at(3)], { textOf: () => before, cwd: '/repo', baselineDir: '/repo' })[0].fingerprint);
    // a change to the offending line itself is a new result
    expect(run(at(3), '[uwsgi]\nmaster = true\nhttp = :9090\n').partialFingerprints).not.toEqual(a.partialFingerprints);
    // GitHub's own key is left to upload-sarif
    expect(a.partialFingerprints.primaryLocationLineHash).toBeUndefined();
    // without file text, the message stands in for the line
    expect(run(at(3), undefined as unknown as string).partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('rule docs helpers', () => {
  test('markdownSection takes one ## section of a shared page', () => {
    const page = fs.readFileSync(path.join(ROOT, 'docs/rules/parse-findings.md'), 'utf8');
    const s = markdownSection(page, 'include-loop')!;
    expect(s.startsWith('## include-loop\n')).toBe(true);
    expect(s).not.toMatch(/\n## /);
    expect(markdownSection(page, 'no-such-id')).toBeUndefined();
  });

  test('ruleDocsFromPackage reads the shipped page, the section for an anchor, inline-suppressions for docs/cli.md', () => {
    const metas = allRuleMetas();
    const byId = (id: string) => metas.find((m) => m.id === id)!;
    expect(ruleDocsFromPackage(byId('uwsgi-quoted-value'))).toBe(fs.readFileSync(path.join(ROOT, 'docs/rules/uwsgi-quoted-value.md'), 'utf8').trim() + '\n');
    expect(ruleDocsFromPackage(byId('syntax-error'))!.startsWith('## syntax-error\n')).toBe(true);
    expect(ruleDocsFromPackage(byId('suppression-unused'))!.startsWith('## Inline suppressions\n')).toBe(true);
    expect(ruleDocsFromPackage({ ...byId('uwsgi-quoted-value'), docs: '../../etc/passwd' })).toBeUndefined();
  });

  test('links: absolute against the page URL, or their text; text form keeps web addresses', () => {
    const md = 'a [x](../../lab/r.md#s) b [y](https://e.example/p) c [z](#anchor)';
    expect(resolveDocLinks(md, undefined)).toBe('a x b [y](https://e.example/p) c z');
    expect(resolveDocLinks(md, 'https://github.com/o/r/blob/v1/docs/rules/q.md')).toBe(
      'a [x](https://github.com/o/r/blob/v1/lab/r.md#s) b [y](https://e.example/p) c [z](https://github.com/o/r/blob/v1/docs/rules/q.md#anchor)',
    );
    expect(markdownToText('**bold** [y](https://e.example/p)')).toBe('bold y (https://e.example/p)');
  });

  test('webRepoUrl: repository in its usual spellings, or a code-host homepage; nothing else', () => {
    expect(webRepoUrl({})).toBeUndefined();
    expect(webRepoUrl({ repository: 'github:o/deploylint' })).toBe('https://github.com/o/deploylint');
    expect(webRepoUrl({ repository: 'o/deploylint' })).toBe('https://github.com/o/deploylint');
    expect(webRepoUrl({ repository: { url: 'git+https://github.com/o/deploylint.git' } })).toBe('https://github.com/o/deploylint');
    expect(webRepoUrl({ repository: 'git@gitlab.com:g/sub/deploylint.git' })).toBe('https://gitlab.com/g/sub/deploylint');
    expect(webRepoUrl({ homepage: 'https://github.com/o/deploylint#readme' })).toBe('https://github.com/o/deploylint');
    expect(webRepoUrl({ homepage: 'https://deploylint.example/' })).toBeUndefined();
    expect(webRepoUrl({ repository: 'file:///home/me/deploylint' })).toBeUndefined();
  });
});
