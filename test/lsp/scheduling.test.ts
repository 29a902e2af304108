/**
 * Debouncing and stale runs, with the server in this process and a linter the test holds back: a
 * run that a newer edit overtakes is dropped (its findings are never published), the newer text is
 * linted right after, and the linter is told which files changed (the hint an incremental linter
 * needs). No timing is measured: the held-back run waits until the server itself says it is stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PassThrough } from 'stream';
import { WholeDeploymentLinter, type DeploymentLinter, type LintOutcome, type LintRequest } from '../../lib/lsp/linter';
import { startLanguageServer } from '../../lib/lsp/server';
import { resolveConfigs } from '../../lib/cli/configs';
import { parseArgs } from '../../lib/cli/args';
import { scratch } from '../cli/helpers';
import { LspClient, type PublishParams } from './client';

jest.setTimeout(120_000);

const INI = '[uwsgi]\nmodule = app.wsgi:application\nsocket-timeout = "30"\n';

/** Holds back the first run until the server has marked it stale, then returns its (stale) outcome anyway. */
class HeldBackLinter implements DeploymentLinter {
  readonly runs: { texts: string[]; changed: string[]; stale: boolean }[] = [];
  private readonly inner = new WholeDeploymentLinter();

  async lint(request: LintRequest, isStale: () => boolean): Promise<LintOutcome | undefined> {
    const run = { texts: request.files.map((f) => request.bufferText(f.path) ?? ''), changed: [...request.changed], stale: false };
    this.runs.push(run);
    if (this.runs.length === 1) {
      for (let i = 0; i < 6000 && !isStale(); i++) await new Promise((r) => setTimeout(r, 10));
      run.stale = isStale();
    }
    // the outcome of the whole deployment, stale or not: the server has to drop it itself
    return this.inner.lint(request, () => false);
  }
}

test('a run overtaken by a newer edit is dropped; the newer text is linted and published', async () => {
  const dir = scratch({ 'app.ini': INI });
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const linter = new HeldBackLinter();
  const args = parseArgs(['lsp']);
  startLanguageServer({
    allowRead: [],
    budgets: {},
    inlineSuppressions: true,
    hostFacts: false,
    debounceMs: 0,
    configsFor: (cwd) => resolveConfigs(args, { cwd, env: {}, stdout: process.stdout, stderr: process.stderr, readStdin: () => '' }),
    linterFactory: () => linter,
    ownProcess: false,
  }, toServer, fromServer);
  const c = new LspClient({ streams: { toServer, fromServer } });
  try {
    await c.request('initialize', { processId: null, rootUri: null, workspaceFolders: [{ uri: `file://${dir}`, name: 'w' }], capabilities: {} });
    c.notify('initialized', {});
    const uri = c.open(path.join(dir, 'app.ini'), INI);
    await c.until(() => (linter.runs.length === 1 ? true : undefined), 'the first run to start');
    c.change(uri, 2, INI.replace('"30"', '"45"'));
    const published: PublishParams = await c.diagnostics(uri, (p) => p.version === 2, 'diagnostics of version 2');
    expect(linter.runs[0].stale).toBe(true);
    expect(published.diagnostics.find((d) => d.code === 'uwsgi-quoted-value')?.message).toContain('"45"');
    // version 1 was never published: its run was dropped
    expect(c.publishes(uri).map((p) => p.version)).toEqual([2]);
    expect(linter.runs.length).toBe(2);
    expect(linter.runs[1].texts.some((t) => t.includes('"45"'))).toBe(true);
    // the dropped run's changes are handed to the next one
    expect(linter.runs[1].changed).toContain(path.join(dir, 'app.ini'));
    await c.request('shutdown', null);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
