#!/usr/bin/env node
'use strict';
// Thin launcher: everything lives in the compiled library (dist/), loaded lazily from there.
const path = require('path');

let cli;
try {
  cli = require(path.join(__dirname, '..', 'dist', 'lib', 'cli', 'main.js'));
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
