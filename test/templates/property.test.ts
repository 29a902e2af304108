/**
 * Property tests (fast-check): for arbitrary text made of template and config fragments, the layer
 * never throws and keeps every invariant; for generated if/elif/else structures in each language,
 * no variant holds the markers of two sibling branches, and every branch is in some variant when
 * the bound allows.
 */
import fc from 'fast-check';
import { renderTemplate, type TemplateEngine } from '../../lib/templates';
import { violations } from './helpers';

const RUNS = Math.max(1, Math.ceil(Number(process.env.FAST_CHECK_RUNS ?? 2000) / 5));
const SEED = process.env.FAST_CHECK_SEED ? Number(process.env.FAST_CHECK_SEED) : 20261122;

const FRAGMENTS = [
  '{{', '}}', '{%', '%}', '{#', '#}', '{{-', '-}}', '{%-', '-%}', '+%}', '<%', '<%=', '<%-', '<%#', '-%>', '%>', '<%%', '%%>',
  '{% if a %}', '{% elif b %}', '{% else %}', '{% endif %}', '{% for x in y %}', '{% endfor %}', '{% raw %}', '{% endraw %}',
  '{% macro m() %}', '{% endmacro %}', '{% set s %}', '{% endset %}', '{% include "x" %}', '{{ x }}', '{{/* c */}}',
  '{{ if .a }}', '{{ else }}', '{{ end }}', '{{ range .x }}', '{{ define "d" }}', '<% if @a -%>', '<% elsif @b %>', '<% else %>',
  '<% end %>', '<% if $a { -%>', '<%} elsif $b { -%>', '<% } else { %>', '<% } %>', '<% case @m %>', '<% when 1 %>',
  '%VAR%', '%{GLOBAL}', '%(key)', '%d', '@X@', '@@Y@@', 'root@localhost', '${V}', '$(V)', '${uwsgi[x]}',
  'Listen 80', '<VirtualHost *:80>', '</VirtualHost>', 'LogFormat "%h %>s"', 'route = x ${Y}', 'key = value', '[uwsgi]',
  '\n', '\r\n', ' ', '\t', '\\\n', '"', "'", 'x', 'é', '\u{1F600}',
];

const ENGINE_SETS: (readonly TemplateEngine[] | undefined)[] = [
  undefined, ['jinja2'], ['go-template'], ['erb'], ['epp'], ['devstack', 'autoconf', 'shell'], ['jinja2', 'erb', 'devstack'],
];

describe('arbitrary fragments', () => {
  test('never throws, keeps every invariant', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }),
        fc.constantFrom(...ENGINE_SETS),
        fc.constantFrom('apache', 'uwsgi-ini', 'unknown'),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 8 }),
        (parts, engines, target, trimBlocks, lstripBlocks, maxVariants) => {
          const r = renderTemplate(parts.join(''), { engines, target: target as never, trimBlocks, lstripBlocks, maxVariants });
          expect(violations(r, maxVariants)).toEqual([]);
        },
      ),
      { numRuns: RUNS * 5, seed: SEED },
    );
  });
});

type Syntax = 'jinja' | 'go' | 'erb' | 'epp';

interface Gen { text: string; groups: string[][]; markers: string[] }

/** A random nest of if/elif/else in `syntax`, each branch starting with a unique marker. */
function arbStructure(syntax: Syntax): fc.Arbitrary<Gen> {
  return fc.array(fc.nat(1000), { minLength: 40, maxLength: 40 }).map((rs) => {
    let i = 0;
    const r = (n: number) => rs[i++ % rs.length] % n;
    let id = 0;
    const groups: string[][] = [];
    const markers: string[] = [];
    const ws = () => ['', '\n', '  ', ' \n'][r(4)];
    const tag = (kind: 'if' | 'elif' | 'else' | 'end', cond: string) => {
      const t = r(3);
      switch (syntax) {
        case 'jinja': {
          const o = ['{%', '{%-', '{%+'][t];
          const c = ['%}', '-%}', '%}'][r(3)];
          return kind === 'end' ? `${o} endif ${c}` : kind === 'else' ? `${o} else ${c}` : `${o} ${kind} ${cond} ${c}`;
        }
        case 'go':
          return `${['{{', '{{- '][t % 2]}${kind === 'end' ? 'end' : kind === 'else' ? 'else' : kind === 'elif' ? `else if ${cond}` : `if ${cond}`}${[' }}', ' -}}'][r(2)]}`;
        case 'erb':
          return `${['<%', '<%-'][t % 2]} ${kind === 'end' ? 'end' : kind === 'else' ? 'else' : kind === 'elif' ? `elsif @${cond}` : `if @${cond}`} ${['%>', '-%>'][r(2)]}`;
        case 'epp':
          return `<%${kind === 'end' ? ' }' : kind === 'else' ? '} else {' : kind === 'elif' ? `} elsif $${cond} {` : ` if $${cond} {`} ${['%>', '-%>'][r(2)]}`;
      }
    };
    const block = (depth: number): string => {
      const group: string[] = [];
      groups.push(group);
      const branch = () => {
        const m = `M${id++}Z`;
        group.push(m);
        markers.push(m);
        let body = `${ws()}${m}${ws()}`;
        if (depth < 3 && r(3) === 0) body += block(depth + 1) + ws();
        return body;
      };
      const cond = () => `c${r(5)}`;
      let out = tag('if', cond()) + branch();
      for (let e = r(3); e > 0; e--) out += tag('elif', cond()) + branch();
      if (r(2)) out += tag('else', '') + branch();
      return out + tag('end', '');
    };
    let text = '';
    for (let n = 1 + r(3); n > 0; n--) text += `Listen 80${ws()}` + block(0) + ws();
    return { text, groups, markers };
  });
}

const ENGINE: Record<Syntax, TemplateEngine> = { jinja: 'jinja2', go: 'go-template', erb: 'erb', epp: 'epp' };

describe.each(['jinja', 'go', 'erb', 'epp'] as Syntax[])('generated %s if/elif/else', (syntax) => {
  test('no variant holds two sibling branches; all branches read when the bound allows', () => {
    fc.assert(
      fc.property(arbStructure(syntax), ({ text, groups, markers }) => {
        const r = renderTemplate(text, { engines: [ENGINE[syntax]], maxVariants: 64 });
        expect(violations(r, 64)).toEqual([]);
        expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
        for (const v of r.variants) {
          for (const g of groups) expect(g.filter((m) => v.text.includes(m)).length).toBeLessThanOrEqual(1);
        }
        if (r.coverage.unreachable === 0 && !r.coverage.capped) {
          for (const m of markers) expect(r.variants.some((v) => v.text.includes(m))).toBe(true);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

describe('shell scripts that write configs (lib/templates/shell)', () => {
  const SHELL = [
    'iniset $c uwsgi ', 'iniset "$conf" uwsgi module ', 'iniset $c DEFAULT ', 'echo "', 'echo ', '" | sudo tee -a $a', ' | tee $a', ' >> $a', ' > $b',
    'ProxyPass ', 'KeepAlive Off', 'SetEnv x 1', '<VirtualHost *:80>', 'f() {', 'function g {', '}', 'if c; then', 'if ! c; then', 'elif d; then', 'else', 'fi',
    'case $x in', 'a)', '*)', ';;', 'esac', 'for i in a b; do', 'done', 'local s=/run/x', 'local s="$d/${n}.sock"', '$s', '${s}', '$(cmd "a)")', '`b`',
    '"', "'", '\\"', '\\', '#', '<<EOF', 'EOF', '\n', ' ', '\t', 'x', '666', 'é',
  ];
  test('never throws; every variant maps its text back to the script character for character', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { readShellWriters } = require('../../lib/templates/shell') as typeof import('../../lib/templates/shell');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SHELL), { maxLength: 80 }), fc.integer({ min: 1, max: 8 }), (parts, maxVariants) => {
        const text = parts.join('');
        const r = readShellWriters(text, { maxVariants });
        for (const c of r.configs) {
          expect(c.template.variants.length).toBeGreaterThanOrEqual(1);
          expect(c.template.variants.length).toBeLessThanOrEqual(maxVariants);
          for (const v of c.template.variants) {
            for (const run of v.runs) {
              for (let k = 0; k < run.length; k++) {
                const at = run.rendered + k;
                const got = v.text[at];
                const src = text[run.source + k];
                // literal text is the script's own; an expansion is its placeholder (`#` first on a line of its own)
                const span = v.spans.find((s) => s.renderedStart <= at && at < s.renderedEnd);
                if (!span) expect(got).toBe(src);
                else if (!(span.standalone && at === span.renderedStart)) expect(got).toBe(/[A-Za-z0-9]/.test(src) ? src : '_');
              }
            }
            for (const s of v.spans) expect(text.slice(s.start, s.end)).toBe(s.markup);
          }
        }
        for (const p of r.problems) expect(p.location.range.end.offset).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
