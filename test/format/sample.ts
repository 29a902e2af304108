/** Hand-built findings that exercise every formatter's edge cases: escaping, related locations, info level. */
import type { Finding } from '../../lib/core/finding';
import type { RuleMeta } from '../../lib/engine/types';
import type { FormatContext, FormatResult } from '../../lib/format/types';

export function loc(file: string, line: number, column: number, endLine = line, endColumn = column + 5) {
  return { file, range: { start: { line, column, offset: 0 }, end: { line: endLine, column: endColumn, offset: 0 } } };
}

export const sampleFindings: Finding[] = [
  {
    ruleId: 'uwsgi-router-chunked-input',
    severity: 'error',
    message: 'uWSGI\'s HTTP router drops chunked bodies: 100% of "chunked" uploads, <b> & more, a:b, c',
    location: loc('deploy/glance.ini', 7, 1, 7, 23),
    related: [{ location: loc('sites-enabled/glance.conf', 12, 5), message: 'routed here by ProxyPass' }],
  },
  {
    ruleId: 'proxy-sendcl-shared-vhost',
    severity: 'warning',
    message: 'line one\nline two\r\nwith CR',
    location: loc('sites-enabled/glance.conf', 3, 2, 4, 1),
  },
  { ruleId: 'some-info', severity: 'info', message: 'for your information', location: loc('deploy/glance.ini', 2, 3, 2, 3) },
];

export const sampleRules: RuleMeta[] = [
  {
    id: 'uwsgi-router-chunked-input',
    severity: 'error',
    category: 'data-loss',
    description: 'HTTP router without http-chunked-input drops chunked bodies',
    docs: 'docs/rules/uwsgi-router-chunked-input.md',
    targets: ['uwsgi'],
    fixable: false,
    fixHint: 'Add http-chunked-input = true.',
  },
];

export const sampleResult: FormatResult = {
  findings: sampleFindings,
  files: [
    { path: 'deploy/glance.ini', kind: 'uwsgi-ini', included: [] },
    { path: 'sites-enabled/glance.conf', kind: 'apache', included: [] },
  ],
};

export function sampleContext(over: Partial<FormatContext> = {}): FormatContext {
  return {
    cwd: '/repo',
    colorLevel: 0,
    rules: sampleRules,
    docsUrl: (id) => `https://example.invalid/docs/rules/${id}.md`,
    toolVersion: '0.1.0',
    ...over,
  };
}
