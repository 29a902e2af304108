/**
 * The shape of the code, checked: data flows one way (input → parsers → resolve → model → engine and
 * rules → formatters → CLI), so a module may import only from its own layer or a lower one; no module
 * imports itself back through a cycle; and no file in lib/ grows past the size at which it stops
 * being one concern.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

/** Lower layers first. A directory or file of lib/ (or rules/) and the layer it belongs to. */
const LAYERS: [string, number][] = [
  ['lib/core', 0],
  ['lib/knowledge', 1],
  ['lib/input', 2],
  ['lib/templates', 2],
  ['lib/parsers', 3],
  ['lib/resolve', 4],
  ['lib/model', 5],
  ['lib/engine', 6],
  ['lib/suppress', 6],
  ['rules', 7],
  ['lib/lint.ts', 8],
  ['lib/fix', 8],
  ['lib/config', 8],
  ['lib/baseline', 8],
  ['lib/format', 9],
  ['lib/index.ts', 10],
  ['lib/cli', 10],
  ['lib/lsp', 10],
];

function layerOf(rel: string): number | undefined {
  let best: [string, number] | undefined;
  for (const entry of LAYERS) {
    if (rel === entry[0] || rel.startsWith(`${entry[0]}/`) || rel === `${entry[0]}.ts`) {
      if (!best || entry[0].length > best[0].length) best = entry;
    }
  }
  return best?.[1];
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...sources(rel));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Relative imports of a file, resolved to repository paths (static `import ... from` and `require()`). */
function importsOf(rel: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, rel), 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"\n;]*?from\s+'(\.[^']+)'/g), ...text.matchAll(/require\('(\.[^']+)'\)/g)].map((m) => m[1]);
  return specs.map((spec) => {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec));
    if (fs.existsSync(path.join(ROOT, `${base}.ts`))) return `${base}.ts`;
    if (fs.existsSync(path.join(ROOT, base, 'index.ts'))) return `${base}/index.ts`;
    return base;
  });
}

const FILES = [...sources('lib'), ...sources('rules')];

test('every source file belongs to a layer', () => {
  expect(FILES.filter((f) => layerOf(f) === undefined)).toEqual([]);
});

test('no module imports a higher layer', () => {
  const upward: string[] = [];
  for (const file of FILES) {
    const own = layerOf(file)!;
    for (const target of importsOf(file)) {
      const layer = layerOf(target);
      if (layer !== undefined && layer > own) upward.push(`${file} imports ${target}`);
    }
  }
  expect(upward).toEqual([]);
});

test('no import cycles', () => {
  const graph = new Map(FILES.map((f) => [f, importsOf(f).filter((t) => t.endsWith('.ts'))]));
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
    state.set(file, 'done');
  };
  for (const f of FILES) visit(f, []);
  expect(cycles).toEqual([]);
});

test('no file in lib/ over 500 lines', () => {
  const long = FILES.filter((f) => f.startsWith('lib/'))
    .map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8').split('\n').length] as const)
    .filter(([, n]) => n > 500)
    .map(([f, n]) => `${f}: ${n} lines`);
  expect(long).toEqual([]);
});

test('the parsers read no files: text in, trees out', () => {
  const io = FILES.filter((f) => f.startsWith('lib/parsers/')).filter((f) => /from 'fs'|require\('fs'\)/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
  expect(io).toEqual([]);
});
