#!/usr/bin/env node
'use strict';
/**
 * `prepare` (and `prepublishOnly` with --clean): build the published dist/ (tsconfig.build.json:
 * library, rules, .d.ts; then the CLI bundle dist/deploylint.cjs, scripts/bundle.js) only when it is
 * missing or older than the sources. Without esbuild (dev dependencies not installed) the bundle is
 * left out and the CLI runs from dist/lib, as bin/deploylint.js does whenever there is no bundle.
 *
 * npm runs `prepare` after `npm install`/`npm ci` in a clone and again on `npm pack`; pre-commit does
 * both (install, pack, then install the tarball), and so does npm for a git dependency. Building
 * once is enough: the second run finds dist/ up to date and does nothing. Nothing is printed on
 * success (pre-commit reads the tarball name from `npm pack`'s stdout, see .npmrc).
 *
 *   node scripts/prepare.js          build if needed
 *   node scripts/prepare.js --clean  remove dist/ and build (for publishing: no stale files)
 *   node scripts/prepare.js --check  exit 0 when dist/ is up to date, 1 when a build is due (no build)
 */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const clean = process.argv.includes('--clean');
// written by every build, development or published
const stamp = path.join(root, 'dist', 'lib', 'index.d.ts');
const bundle = path.join(root, 'dist', 'deploylint.cjs');
const outputs = [stamp, path.join(root, 'dist', 'lib', 'index.js'), path.join(root, 'dist', 'lib', 'cli', 'main.js'), path.join(root, 'dist', 'rules')];

function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(path.join(root, 'lib'));
  walk(path.join(root, 'rules'));
  for (const f of ['tsconfig.json', 'tsconfig.build.json']) newest = Math.max(newest, fs.statSync(path.join(root, f)).mtimeMs);
  return newest;
}

function canBundle() {
  try {
    require.resolve('esbuild', { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

function upToDate() {
  if (!outputs.every((f) => fs.existsSync(f))) return false;
  if (fs.statSync(stamp).mtimeMs < newestSource()) return false;
  // the bundle is made from the compiled tree, after it
  if (canBundle() && (!fs.existsSync(bundle) || fs.statSync(bundle).mtimeMs < fs.statSync(stamp).mtimeMs)) return false;
  return true;
}

if (process.argv.includes('--check')) process.exit(upToDate() ? 0 : 1);
if (clean) fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
else if (upToDate()) process.exit(0);

let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
} catch {
  process.stderr.write('deploylint: cannot build dist/: TypeScript is not installed (install with dev dependencies: npm ci)\n');
  process.exit(1);
}
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (r.status !== 0) {
  // tsc reports errors on stdout; they belong on stderr here
  process.stderr.write(r.stdout || '');
  process.stderr.write(`deploylint: build failed (tsc exited with ${r.status ?? r.signal})\n`);
  process.exit(1);
}
if (canBundle()) {
  const b = spawnSync(process.execPath, [path.join(root, 'scripts', 'bundle.js')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (b.status !== 0) {
    process.stderr.write(b.stdout || '');
    process.stderr.write(`deploylint: bundling the CLI failed (exit ${b.status ?? b.signal})\n`);
    process.exit(1);
  }
}
