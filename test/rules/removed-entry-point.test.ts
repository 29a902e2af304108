/**
 * The service knowledge behind removed-entry-point (lib/knowledge/data/service-entry-points.tsv):
 * every row well-formed and sourced, the corrections the release tags made (cloudkitty and blazar
 * never removed their scripts; cyborg's script is cyborg-wsgi-api), and the target logic: a
 * replacement is offered only when it exists in the targeted release.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lint } from '../../lib/lint';
import { DEFAULT_SERVICE_TARGETS } from '../../lib/knowledge/targets';
import { compareReleases, fileFact, moduleFact, pasteFact, replacementIn, stateIn, versionFacts } from '../../lib/knowledge/version-facts';

const release = (component: string) => DEFAULT_SERVICE_TARGETS[component];

describe('service entry-point table', () => {
  test('every row has a component with a default target, a known kind, an item and a source', () => {
    for (const fact of versionFacts()) {
      expect(DEFAULT_SERVICE_TARGETS[fact.component]).toBeDefined();
      expect(['wsgi-script', 'wsgi-module', 'wsgi-file', 'paste-app']).toContain(fact.kind);
      expect(fact.item).not.toBe('');
      expect(fact.source.length).toBeGreaterThan(30);
      if (fact.removedIn && fact.addedIn) expect(compareReleases(fact.addedIn, fact.removedIn)).toBeLessThan(0);
      if (fact.removedIn || fact.deprecatedIn || fact.neverShipped) expect(fact.replacements.length).toBeGreaterThan(0);
    }
    const items = versionFacts().map((f) => `${f.component} ${f.item}`);
    expect(new Set(items).size).toBe(items.length);
  });

  test('the default targets are the newest releases the table knows', () => {
    expect(DEFAULT_SERVICE_TARGETS.glance).toBe('32.0.0');
    expect(DEFAULT_SERVICE_TARGETS.keystone).toBe('29.0.2');
  });

  test('corrections: cloudkitty-api and blazar-api-wsgi are still shipped; cyborg-api-wsgi never was', () => {
    expect(stateIn(fileFact('/usr/bin/cloudkitty-api')!, '24.0.0')).toBe('shipped');
    expect(stateIn(fileFact('/usr/bin/blazar-api-wsgi')!, '17.0.0')).toBe('shipped');
    expect(stateIn(fileFact('/usr/bin/cyborg-api-wsgi')!, '15.0.0')).toBe('never');
    expect(stateIn(fileFact('/usr/bin/cyborg-wsgi-api')!, '16.0.0')).toBe('removed');
    expect(stateIn(fileFact('/usr/bin/cyborg-wsgi-api')!, '14.1.0')).toBe('deprecated');
  });

  test('the scripts users reported missed are known, with their removal', () => {
    const removed: [string, string][] = [
      ['keystone-wsgi-public', '28.0.0'], ['keystone-wsgi-admin', '28.0.0'], ['octavia-wsgi', '17.0.0'], ['ironic-api-wsgi', '32.0.0'],
      ['cinder-wsgi', '28.0.0'], ['manila-wsgi', '21.0.0'], ['heat-wsgi-api-cloudwatch', '10.0.0'],
    ];
    for (const [script, removedIn] of removed) expect(fileFact(`/usr/local/bin/${script}`)?.removedIn).toBe(removedIn);
    expect(fileFact('/usr/local/bin/ironic-api-wsgi')?.deprecatedIn).toBe('27.0.0');
    expect(pasteFact('config:/etc/barbican/barbican-admin-paste.ini')?.removedIn).toBe('1.0.0');
    expect(pasteFact('config:/etc/barbican/barbican-api-paste.ini')).toBeUndefined();
    expect(stateIn(fileFact('/usr/local/bin/manila-wsgi-api')!, '22.0.0')).toBe('never');
  });

  test('modules are matched by name, by source file and in date-named releases', () => {
    expect(moduleFact('keystone.wsgi.api')?.addedIn).toBe('26.1.0');
    expect(fileFact('/usr/lib/python3/dist-packages/aodh/wsgi/api.py')?.item).toBe('aodh.wsgi.api:application');
    expect(fileFact('/opt/stack/ironic/ironic/wsgi/__init__.py')?.item).toBe('ironic.wsgi:application');
    expect(stateIn(fileFact('/opt/stack/keystone/httpd/keystone.py')!, '10.0.0')).toBe('shipped');
    expect(stateIn(fileFact('/opt/stack/keystone/httpd/keystone.py')!, '11.0.0')).toBe('removed');
    expect(compareReleases('2012.2', '8.0.0')).toBeLessThan(0);
  });

  test('a replacement is offered only when it exists in the targeted release', () => {
    const never = fileFact('/usr/local/bin/manila-wsgi-api')!;
    expect(replacementIn(never, (c) => (c === 'manila' ? '22.0.0' : release(c)))).toEqual({ kind: 'module', value: 'manila.wsgi.api:application' });
    // The module arrived in 20.0.1: on 20.0.0 the script is what exists.
    expect(replacementIn(never, (c) => (c === 'manila' ? '20.0.0' : release(c)))).toEqual({ kind: 'script', value: 'manila-wsgi' });
    const cloudwatch = fileFact('/usr/bin/heat-wsgi-api-cloudwatch')!;
    expect(replacementIn(cloudwatch, release)?.kind).toBe('none');
  });
});

describe('removed-entry-point messages', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'removed-entry-point-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (name: string, text: string, targets?: Record<string, string>) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return lint([{ path: file }], { targets }).findings.filter((f) => f.ruleId === 'removed-entry-point');
  };

  test('a never-shipped script names the replacement of the targeted release', () => {
    const ini = '[uwsgi]\nwsgi-file = /usr/local/bin/manila-wsgi-api\nsocket = :8786\n';
    expect(run('m22.ini', ini)[0].message).toContain('`module = manila.wsgi.api:application`');
    const old = run('m20.ini', ini, { manila: '20.0.0' });
    expect(old[0].message).toContain('`wsgi-file = /usr/local/bin/manila-wsgi`');
    expect(old[0].message).not.toContain('manila.wsgi.api');
  });

  test('a module too new for the target points back at the script, and the default target is named as such', () => {
    const early = run('k.ini', '[uwsgi]\nmodule = keystone.wsgi.api:application\n', { keystone: '26.0.0' });
    expect(early[0].message).toMatch(/does not exist before keystone 26\.1\.0, and keystone 26\.0\.0 is targeted/);
    expect(early[0].message).toContain('keystone-wsgi-public');
    const byDefault = run('k2.ini', '[uwsgi]\nwsgi-file = /usr/bin/keystone-wsgi-public\n');
    expect(byDefault[0].message).toContain('(the default; set `targets.keystone` to the release you run)');
  });
});
