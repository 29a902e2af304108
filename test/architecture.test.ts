/**
 * The shape of the code, as design.md draws it: data flows one way (input → parsers → resolve →
 * model → engine and rules → formatters → CLI), no layer reaches back, no import cycle, no file in
 * lib/ past the size at which it stops being one concern, and the parsers read no files. The import
 * graph is read from the TypeScript sources (static imports, `import type`, `export ... from`, and
 * the lazy `require()`s the CLI uses), small and literal on purpose.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sources(rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel.split(path.sep).join('/')] : [];
  });
}

const IMPORT = /(?:^|[^\w.])(?:import|export)\s+(type\s)?[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*['"]([^'"]+)['"]|(?:^|[^\w.])require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

interface Import { target: string; typeOnly: boolean }

/** The repository files a source imports (packages and node built-ins left out); `import type` is marked. */
function importsOf(file: string): Import[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  const found: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[2] ?? m[3] ?? m[4] ?? m[5];
    if (!spec.startsWith('.')) continue;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    const target = [`${base}.ts`, `${base}/index.ts`].find((candidate) => fs.existsSync(path.join(ROOT, candidate)));
    if (target) found.push({ target, typeOnly: m[1] !== undefined });
  }
  return found;
}

const files = [...sources('lib'), ...sources('rules')];
const imports = new Map(files.map((file) => [file, importsOf(file)]));
/** Every import, types included: a layer may not even name a higher layer's types. */
const graph = new Map(files.map((file) => [file, imports.get(file)!.map((i) => i.target)]));
/** Imports that load code: `import type` is erased at compile time and cannot make a load-order cycle. */
const runtime = new Map(files.map((file) => [file, imports.get(file)!.filter((i) => !i.typeOnly).map((i) => i.target)]));

/** `file -> import` edges from files under `from` into any of `to`. */
function edges(from: string, to: string[]): string[] {
  return files
    .filter((file) => file.startsWith(`${from}/`))
    .flatMap((file) => graph.get(file)!.filter((target) => to.some((layer) => target.startsWith(`${layer}/`))).map((target) => `${file} -> ${target}`));
}

test('the graph is read: rules import the engine, lint() the model', () => {
  expect(graph.get('rules/uwsgi-quoted-value.ts')).toContain('lib/engine/index.ts');
  expect(graph.get('lib/lint.ts')).toContain('lib/model/index.ts');
});

test('lib/model imports nothing from the engine, the rules, the formatters or the CLI', () => {
  expect(edges('lib/model', ['lib/engine', 'rules', 'lib/format', 'lib/cli'])).toEqual([]);
});

test('lib/engine imports nothing from the formatters or the CLI', () => {
  expect(edges('lib/engine', ['lib/format', 'lib/cli'])).toEqual([]);
});

test('lib/knowledge imports nothing from the engine, the model, the rules, the formatters or the CLI', () => {
  expect(edges('lib/knowledge', ['lib/engine', 'lib/model', 'rules', 'lib/format', 'lib/cli'])).toEqual([]);
});

test('rules import only the engine, the model, the knowledge and core', () => {
  const allowed = ['lib/engine/', 'lib/model/', 'lib/knowledge/', 'lib/core/'];
  const wrong = files
    .filter((file) => file.startsWith('rules/'))
    .flatMap((file) => graph.get(file)!.filter((target) => !allowed.some((layer) => target.startsWith(layer))).map((target) => `${file} -> ${target}`));
  expect(wrong).toEqual([]);
});

test('no import cycles among lib/ files (runtime imports)', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of runtime.get(file) ?? []) {
      if (!next.startsWith('lib/')) continue;
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files.filter((f) => f.startsWith('lib/'))) if (!state.has(file)) visit(file);
  expect(cycles).toEqual([]);
});

/** Lower layers first: a file may import only from its own layer or a lower one. */
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
  ['lib/lint-inputs.ts', 8],
  ['lib/fix', 8],
  ['lib/config', 8],
  ['lib/baseline', 8],
  ['lib/format', 9],
  ['lib/index.ts', 10],
  ['lib/cli', 10],
  ['lib/lsp', 10],
];

function layerOf(file: string): number | undefined {
  let best: [string, number] | undefined;
  for (const entry of LAYERS) {
    if (file === entry[0] || file.startsWith(`${entry[0]}/`)) {
      if (!best || entry[0].length > best[0].length) best = entry;
    }
  }
  return best?.[1];
}

test('every source file belongs to a layer', () => {
  expect(files.filter((f) => layerOf(f) === undefined)).toEqual([]);
});

test('no module imports a higher layer', () => {
  const upward = files.flatMap((file) => graph.get(file)!
    .filter((target) => (layerOf(target) ?? -1) > layerOf(file)!)
    .map((target) => `${file} -> ${target}`));
  expect(upward).toEqual([]);
});

test('no file in lib/ over 500 lines', () => {
  const long = files.filter((f) => f.startsWith('lib/'))
    .map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8').split('\n').length] as const)
    .filter(([, n]) => n > 500)
    .map(([f, n]) => `${f}: ${n} lines`);
  expect(long).toEqual([]);
});

test('the parsers read no files: text in, trees out', () => {
  const io = files.filter((f) => f.startsWith('lib/parsers/')).filter((f) => /from 'fs'|require\('fs'\)/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
  expect(io).toEqual([]);
});
