/**
 * The layers above resolution, as design.md draws them: data flows one way, and no layer reaches
 * back. The import graph is read from the TypeScript sources (static imports, `import type`,
 * `export ... from`, and the lazy `require()`s the CLI uses), small and literal on purpose.
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
