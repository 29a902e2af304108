/**
 * End to end with a real editor: Debian's Neovim, headless, runs test/lsp/nvim/quick-fix.lua, which
 * starts `deploylint lsp` through Neovim's own LSP client, waits for the diagnostic of a quoted
 * number, applies the finding's quick fix with vim.lsp.buf.code_action and checks the re-lint. The
 * test then checks the buffer text Neovim wrote. A missing Neovim is a skip that says so, and under
 * CI=true a failure (scripts/ensure-system-deps.sh installs the `neovim` package).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BIN, requireBuild, scratch } from '../cli/helpers';

jest.setTimeout(240_000);

const SCRIPT = path.join(__dirname, 'nvim', 'quick-fix.lua');

function haveNeovim(): boolean {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (r.status === 0) return true;
  const msg = 'Neovim is not installed (apt-get install neovim; scripts/ensure-system-deps.sh does this as root)';
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`SKIPPED: ${msg}`);
  return false;
}

test('Neovim: diagnostics of a bad ini, its quick fix applied through vim.lsp.buf.code_action', () => {
  requireBuild();
  if (!haveNeovim()) return;
  const ini = '[uwsgi]\nmodule = app.wsgi:application\nplugins = python3\nhttp-socket = 127.0.0.1:8000\nbuffer-size = 65535\ndie-on-term = true\nsocket-timeout = "30"\n';
  const dir = scratch({ 'uwsgi/app.ini': ini });
  try {
    const result = path.join(dir, 'result.txt');
    const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${SCRIPT}`], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 200_000,
      env: {
        ...process.env,
        DEPLOYLINT_E2E_ROOT: dir,
        DEPLOYLINT_E2E_FILE: path.join(dir, 'uwsgi', 'app.ini'),
        DEPLOYLINT_E2E_RESULT: result,
        DEPLOYLINT_BIN: BIN,
        DEPLOYLINT_NODE: process.execPath,
        XDG_STATE_HOME: path.join(dir, '.state'),
        XDG_DATA_HOME: path.join(dir, '.data'),
        XDG_CONFIG_HOME: path.join(dir, '.config'),
        XDG_CACHE_HOME: path.join(dir, '.cache'),
      },
    });
    const output = `status ${r.status} signal ${r.signal}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
    if (r.error) throw new Error(`${r.error.message}\n${output}`);
    expect({ status: r.status, ok: /E2E OK/.test(r.stdout) }).toEqual({ status: 0, ok: true });
    expect(r.stdout).toContain('diagnostic uwsgi-quoted-value at 7:18');
    // Neovim's buffer, as the quick fix left it (the file on disk is untouched: nothing was saved)
    expect(fs.readFileSync(result, 'utf8')).toBe(ini.replace('"30"', '30'));
    expect(fs.readFileSync(path.join(dir, 'uwsgi', 'app.ini'), 'utf8')).toBe(ini);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
