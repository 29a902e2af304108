/** The README's rules table stays true to the code: every rule is listed with its severity and category. */
import * as fs from 'fs';
import * as path from 'path';
import { loadRules } from '../../lib/engine/registry';

test('the README lists every rule with its severity, category and docs page', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
  const rows = readme.split('\n').filter((line) => line.startsWith('| [`'));
  const missing = loadRules()
    .map((rule) => `| [\`${rule.meta.id}\`](${rule.meta.docs}) | ${rule.meta.severity} | ${rule.meta.category} |`)
    .filter((prefix) => !rows.some((row) => row.startsWith(prefix)));
  expect(missing).toEqual([]);
  expect(rows.length).toBe(loadRules().length);
});
