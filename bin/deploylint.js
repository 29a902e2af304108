#!/usr/bin/env node
'use strict';
// Thin launcher: everything lives in the compiled library (dist/), loaded from there.
//
// The CLI runs from the single-file bundle dist/deploylint.cjs (scripts/bundle.js; `npm run build`
// and `prepare` make it) when there is one and it is not older than the compiled tree (a `tsc` run
// after the bundle makes it stale), else from dist/lib/cli/main.js. DEPLOYLINT_UNBUNDLED=1 forces
// the compiled tree (the benchmark compares the two).
//
// The bundle is compiled with a V8 code cache (Node 20 has no module.enableCompileCache): a run
// without a usable cache writes one at exit, beside the bundle, holding the code of every function
// that run compiled; later runs start from it instead of parsing and compiling again. The cache is
// tied to the bundle's size and mtime and to this Node's version and architecture, and V8 refuses
// one made by another V8 or with other flags (then it is rewritten). It lives in dist/, so whoever
// can write it can write the bundle itself; where dist/ is not writable there is simply no cache.
// DEPLOYLINT_COMPILE_CACHE=0 turns it off; so does --enable-source-maps (plain require keeps the
// bundle's source map working).
const fs = require('fs');
const path = require('path');

const dist = path.join(__dirname, '..', 'dist');
const unbundled = path.join(dist, 'lib', 'cli', 'main.js');
const bundle = path.join(dist, 'deploylint.cjs');

/** The bundle's stat when it is the one to run, else undefined. */
function bundleToRun() {
  if (process.env.DEPLOYLINT_UNBUNDLED === '1') return undefined;
  const built = fs.statSync(bundle, { throwIfNoEntry: false });
  if (!built) return undefined;
  const compiled = fs.statSync(unbundled, { throwIfNoEntry: false });
  // 1 s of slack: an install may stamp the files in any order (npm gives them one fixed time)
  return !compiled || built.mtimeMs + 1000 >= compiled.mtimeMs ? built : undefined;
}

/** Evaluates the bundle as require() would, through a vm.Script that reads and writes the code cache. */
function loadWithCodeCache(stat) {
  const vm = require('vm');
  const { wrap, createRequire } = require('module');
  const cacheFile = `${bundle}.cache`;
  const header = Buffer.from(`deploylint-code-cache 1 ${stat.size} ${stat.mtimeMs} ${process.version} ${process.arch}\n`);
  let cachedData;
  try {
    const data = fs.readFileSync(cacheFile);
    if (data.subarray(0, header.length).equals(header)) cachedData = data.subarray(header.length);
  } catch {
    // no cache yet
  }
  const script = new vm.Script(wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, Buffer.concat([header, script.createCachedData()]), { mode: 0o644 });
        fs.renameSync(tmp, cacheFile);
      } catch {
        try {
          fs.rmSync(tmp, { force: true });
        } catch {
          // a read-only install: run without a cache
        }
      }
    });
  }
  const mod = { exports: {}, filename: bundle, id: bundle, loaded: false };
  script.runInThisContext().call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, dist);
  mod.loaded = true;
  return mod.exports;
}

function load() {
  const stat = bundleToRun();
  if (!stat) return require(unbundled);
  if (process.env.DEPLOYLINT_COMPILE_CACHE === '0' || process.sourceMapsEnabled) return require(bundle);
  return loadWithCodeCache(stat);
}

let cli;
try {
  cli = load();
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && /dist[\\/]lib[\\/]cli[\\/]main\.js/.test(error.message)) {
    process.stderr.write('deploylint: not built (dist/lib/cli/main.js is missing); run `npm run build` first.\n');
  } else {
    process.stderr.write(`deploylint: internal error: ${error && error.message}\n`);
    if (process.env.DEPLOYLINT_DEBUG === '1') process.stderr.write(`${error && error.stack}\n`);
  }
  process.exit(2);
}
process.exitCode = cli.main(process.argv.slice(2));
