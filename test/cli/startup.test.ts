/**
 * Start-up stays lean for the pre-commit case (one file, a new process each time): a single-file run
 * must not load the libraries only other paths need — globbing (fast-glob: directories and globs),
 * .gitignore matching (ignore), YAML (js-yaml: a .deploylintrc.yaml), colours (chalk: only a
 * terminal), regular expressions (re2js: only a config regex). The start-up time itself is a benchmark figure (`npm run bench`), not a timed test.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BIN, GLANCE_ROUTER_INI, requireBuild, scratch } from './helpers';

const PRELOAD = path.join(__dirname, 'support', 'module-report.js');

function packagesLoaded(args: string[], cwd: string): string[] {
  const r = spawnSync(process.execPath, ['-r', PRELOAD, BIN, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 30_000 });
  const lines = String(r.output[3] ?? '').split('\n').filter(Boolean);
  // The CLI must have run to the end (exit 0 or 1) and the preload must have reported.
  if (![0, 1].includes(r.status ?? -1) || lines[0] !== 'report') throw new Error(`no module report (status ${r.status}): ${r.stderr}`);
  return lines.slice(1);
}

test('a single-file run loads no glob, ignore, YAML or colour library', () => {
  requireBuild();
  const dir = scratch({ 'glance.ini': GLANCE_ROUTER_INI });
  try {
    const loaded = packagesLoaded(['--no-color', 'glance.ini'], dir);
    expect(loaded.filter((name) => ['fast-glob', 'ignore', 'js-yaml', 'chalk', 'ajv', 're2js'].includes(name))).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a glob argument does load the glob library (the report above can see it)', () => {
  requireBuild();
  const dir = scratch({ 'glance.ini': GLANCE_ROUTER_INI });
  try {
    expect(packagesLoaded(['--no-color', '*.ini'], dir)).toContain('fast-glob');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
