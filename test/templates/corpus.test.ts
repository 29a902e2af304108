/**
 * The layer over every real file of the shared corpus of real configs (beside the repository, as
 * CI checks it out; other people's files, not part of the project: the test says so and skips when
 * it is absent, and under CI=true that is a failure). Over each file: never throws, every variant's offset map is monotone
 * and in range and copies the source, no variant holds two branches of one block, every problem is
 * positioned; real configs (Debian's /etc/apache2, h5bp, uWSGI's own examples) are no templates.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderTemplate, type TemplateTarget } from '../../lib/templates';
import { violations } from './helpers';

const CANDIDATES: Record<string, string[]> = {
  corpus: [path.resolve(__dirname, '../../../shared/corpus')],
};

function locate(name: string): string | null {
  return CANDIDATES[name].find((d) => fs.existsSync(d)) ?? null;
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if ((e.isFile() || e.isSymbolicLink()) && !/(^|\/)(README\.md|EXPERT-REVIEW\.md|manifest\.tsv|corpus-manifest\.tsv)$/.test(p)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

function read(file: string): string | null {
  try {
    if (!fs.statSync(file).isFile()) return null;
    const bytes = fs.readFileSync(file);
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return bytes.toString('latin1');
    }
  } catch {
    return null;
  }
}

function targetOf(file: string, text: string): TemplateTarget {
  return /^[ \t]*\[uwsgi\]/m.test(text) || /\.ini(\.j2)?$/.test(file) ? 'uwsgi-ini' : 'apache';
}

const stats: { file: string; variants: number; bytes: number; ms: number }[] = [];

for (const name of Object.keys(CANDIDATES)) {
  const dir = locate(name);
  if (!dir) {
    const why = `templates corpus test: ${name} not found (looked in ${CANDIDATES[name].join(', ')}); it is not part of the project`;
    // eslint-disable-next-line no-console
    console.log(`${why}: skipped`);
    // CI checks the shared corpus out beside the repository: there its absence is a failure
    if (process.env.CI === 'true') test(`corpus ${name} is present`, () => { throw new Error(why); });
    else describe.skip(`corpus ${name} (absent)`, () => test('skipped', () => undefined));
    continue;
  }
  describe(`corpus ${name} (${dir})`, () => {
    const list = files(dir);
    test('has files', () => expect(list.length).toBeGreaterThan(10));
    test.each(list.map((f) => [path.relative(dir, f), f]))('%s', (_rel, file) => {
      const text = read(file);
      if (text === null) return;
      const target = targetOf(file, text);
      const t0 = process.hrtime.bigint();
      const r = renderTemplate(text, { target, fileName: file, file });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      stats.push({ file, variants: r.variants.length, bytes: text.length, ms });
      expect(violations(r)).toEqual([]);
      expect(r.problems.filter((p) => p.ruleId === 'internal-error')).toEqual([]);
      // alternative LoadModule lines (kolla's two ssl_module paths) never meet in a variant
      for (const v of r.variants) {
        const mods = [...v.text.matchAll(/^[ \t]*LoadModule[ \t]+(\S+)/gim)].map((m) => m[1]);
        expect(mods.length).toBe(new Set(mods).size);
      }
      if (/(^|\/)(debian-apache2|h5bp__server-configs-apache|unbit__uwsgi|tiangolo__uwsgi-nginx-docker|rdo-common__uwsgi)\//.test(file)) {
        expect(r.engines).toEqual([]);
      }
    });
  });
}

afterAll(() => {
  if (!stats.length) return;
  const counts = stats.map((s) => s.variants).sort((a, b) => a - b);
  const templated = stats.filter((s) => s.variants > 1).length;
  const bytes = stats.reduce((a, s) => a + s.bytes, 0);
  const ms = stats.reduce((a, s) => a + s.ms, 0);
  // eslint-disable-next-line no-console
  console.log(`templates corpus: ${stats.length} files, variants per file max ${counts[counts.length - 1]}, median ${counts[Math.floor(counts.length / 2)]}, ` +
    `${templated} files with more than one; ${(bytes / 1e6).toFixed(2)} MB in ${ms.toFixed(0)} ms`);
});
