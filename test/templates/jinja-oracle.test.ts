/**
 * Differential test against the real Jinja2 (Python's jinja2, when this machine has it): random
 * templates with if/elif/else, for/else, comments, set, raw and every whitespace-control marker,
 * rendered under trim_blocks/lstrip_blocks on and off. For each variant, the context that makes
 * Jinja take the same branches is derived from the variant's choices; Jinja's output must equal
 * the variant's text with each placeholder replaced by the expression's value. This checks the
 * whitespace control, the branch structure and the consistency of the choices (a variant no context
 * can produce has no such context: the test fails on the contradiction).
 */
import { spawnSync } from 'child_process';
import { renderTemplate } from '../../lib/templates';
import { violations } from './helpers';
import { generate } from './jinja-gen';

const PY = `
import json, sys
import jinja2
cases = json.load(sys.stdin)
out = []
envs = {}
for c in cases:
    key = (c['tb'], c['lb'])
    if key not in envs:
        envs[key] = jinja2.Environment(trim_blocks=c['tb'], lstrip_blocks=c['lb'], keep_trailing_newline=True)
    try:
        template = envs[key].from_string(c['t'])
    except Exception as e:
        out.extend(['!ERROR ' + repr(e)] * len(c['ctxs']))
        continue
    for ctx in c['ctxs']:
        try:
            out.append(template.render(**ctx))
        except Exception as e:
            out.append('!ERROR ' + repr(e))
print(json.dumps(out))
`;

function jinjaAvailable(): boolean {
  const r = spawnSync('python3', ['-c', 'import jinja2'], { encoding: 'utf8' });
  return r.status === 0;
}

const CASES = 300;
const describeIf = jinjaAvailable() ? describe : describe.skip;
if (!jinjaAvailable()) {
  // eslint-disable-next-line no-console
  console.log('templates jinja oracle: python3 with jinja2 not found; skipped (pip install jinja2 to run it)');
}

describeIf('variants agree with Jinja2', () => {
  test(`${CASES} random templates x trim_blocks x lstrip_blocks`, () => {
    const cases: { t: string; tb: boolean; lb: boolean; ctxs: Record<string, unknown>[] }[] = [];
    const flat: { t: string; tb: boolean; lb: boolean; ctx: Record<string, unknown> }[] = [];
    const expected: string[] = [];
    const labels: string[] = [];
    for (let seed = 1; seed <= CASES; seed++) {
      const { text, info } = generate(seed);
      for (const [tb, lb] of [[true, false], [false, false], [true, true], [false, true]]) {
        const r = renderTemplate(text, { engines: ['jinja2'], trimBlocks: tb, lstripBlocks: lb, maxVariants: 8 });
        expect(violations(r)).toEqual([]);
        expect(r.problems.filter((p) => p.ruleId !== 'template-variants-capped')).toEqual([]);
        const group = { t: text, tb, lb, ctxs: [] as Record<string, unknown>[] };
        cases.push(group);
        for (const v of r.variants) {
          const ctx: Record<string, unknown> = { e0: 'E0', e1: 'E1', e2: 'E2', e3: 'E3', e4: 'E4' };
          for (const ch of v.choices) {
            const d = info.get(ch.start)!;
            if (d.loop) {
              ctx[d.loop] = ch.alternative === 0 ? [1] : [];
              continue;
            }
            const set = (j: number, value: boolean) => {
              const c = d.conds[j];
              const atom = value !== c.neg;
              if (c.v in ctx && ctx[c.v] !== atom) throw new Error(`seed ${seed}: variant ${v.index} needs ${c.v} both ways`);
              ctx[c.v] = atom;
            };
            for (let j = 0; j < Math.min(ch.alternative, d.conds.length); j++) set(j, false);
            if (ch.alternative < d.conds.length) set(ch.alternative, true);
          }
          for (const c of ['c0', 'c1', 'c2', 'c3']) if (!(c in ctx)) ctx[c] = false;
          // the variant with each expression replaced by its value
          let out = '';
          let at = 0;
          for (const sp of v.spans) {
            out += v.text.slice(at, sp.renderedStart) + /e\d/.exec(sp.markup)![0].toUpperCase();
            at = sp.renderedEnd;
          }
          out += v.text.slice(at);
          group.ctxs.push(ctx);
          flat.push({ t: text, tb, lb, ctx });
          expected.push(out);
          labels.push(`seed ${seed} trim_blocks=${tb} lstrip_blocks=${lb} variant ${v.index}`);
        }
      }
    }
    const py = spawnSync('python3', ['-c', PY], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(py.status).toBe(0);
    const got: string[] = JSON.parse(py.stdout);
    const bad: string[] = [];
    for (let i = 0; i < got.length; i++) {
      if (got[i] !== expected[i]) bad.push(`${labels[i]}\n  template ${JSON.stringify(flat[i].t)}\n  jinja    ${JSON.stringify(got[i])}\n  variant  ${JSON.stringify(expected[i])}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(got).toHaveLength(flat.length);
    expect(flat.length).toBeGreaterThan(CASES * 4);
  });
});
