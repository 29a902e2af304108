/**
 * The harness against the real servers: it starts uWSGI and Apache from files in a scratch
 * directory, and whatever happens (here: a failing scenario body) it stops every process it
 * started and removes the scratch directory.
 */
import * as fs from 'fs';
import { contentLengthUpload, chunkedUpload, classify } from '../../lab/clients';
import { apacheConf, uwsgiIni } from '../../lab/config-writers';
import { ensureServers, LabRun, withLabRun } from '../../lab/harness';

const missing = ensureServers();
if (missing && process.env.CI === 'true') throw new Error(`lab harness test cannot run under CI: ${missing}`);
if (missing) console.warn(`SKIPPED lab harness tests: ${missing}`);
const describeServers = missing ? describe.skip : describe;

function groupAlive(pid: number): boolean {
  try { process.kill(-pid, 0); return true; } catch { return false; }
}

describeServers('lab harness', () => {
  test('starts uWSGI behind Apache, serves an upload, and cleans up even when the body throws', async () => {
    let scratch = '';
    let pids: number[] = [];
    await expect(withLabRun(async (run: LabRun) => {
      scratch = run.scratch;
      await run.reservePorts(['apache', 'uwsgi']);
      const ctx = run.context();
      run.writeFile({ name: 'uwsgi.ini', kind: 'uwsgi-ini', text: uwsgiIni(ctx, {
        title: 'harness test', app: 'plain.py', sockets: [['http-socket', `127.0.0.1:${ctx.port('uwsgi')}`]],
      }) });
      run.writeFile({ name: 'apache2.conf', kind: 'apache', text: apacheConf(ctx, {
        title: 'harness test', virtualHost: [`ProxyPass /app http://127.0.0.1:${ctx.port('uwsgi')}`],
      }) });
      const uwsgi = await run.startUwsgi('uwsgi.ini', [{ port: ctx.port('uwsgi') }]);
      const apache = await run.startApache('apache2.conf', ctx.port('apache'));
      expect(uwsgi.startError).toBeUndefined();
      expect(apache.startError).toBeUndefined();
      pids = [uwsgi.pid, apache.pid];
      const result = await contentLengthUpload({ port: ctx.port('apache'), path: '/app' });
      expect(result.status).toBe(200);
      expect(classify(result)).toBe('works');
      throw new Error('scenario failed on purpose');
    })).rejects.toThrow('scenario failed on purpose');
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(groupAlive(pid)).toBe(false);
    expect(fs.existsSync(scratch)).toBe(false);
  }, 60_000);

  test('a uWSGI that refuses to start is reported, not waited for', async () => {
    await withLabRun(async (run) => {
      await run.reservePorts(['uwsgi']);
      const ctx = run.context();
      run.writeFile({ name: 'uwsgi.ini', kind: 'uwsgi-ini', text: uwsgiIni(ctx, {
        title: 'strict', app: 'plain.py', plugins: 'python3', sockets: [['http-socket', `127.0.0.1:${ctx.port('uwsgi')}`]],
        options: [['strict', 'true'], ['http-chunked-input', 'true']],
      }) });
      const server = await run.startUwsgi('uwsgi.ini', [{ port: ctx.port('uwsgi') }]);
      // reported from the process's exit (its own last log lines), not from the readiness timeout
      expect(server.startError).toMatch(/^uwsgi exited during start-up: .*unknown config directive: http-chunked-input/s);
      const result = await chunkedUpload({ port: ctx.port('uwsgi'), path: '/app' }, 2_000);
      expect(classify(result)).toBe('fails-loudly');
    });
  }, 30_000);
});
