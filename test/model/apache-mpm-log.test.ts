/**
 * The MPM sizing httpd ends up with (lib/model/apache-mpm.ts) and the format of each CustomLog
 * (lib/model/apache-log.ts), against the values httpd 2.4.71 logged and ran with in the lab.
 */
import { customLogFormats } from '../../lib/model/apache-log';
import { mpmSizings, type MpmAdjustment } from '../../lib/model/apache-mpm';
import { deploymentOf } from './deployment';

const block = (mpm: string, ...lines: string[]) => [`<IfModule ${mpm}>`, ...lines.map((l) => `  ${l}`), '</IfModule>', ''].join('\n');
const brief = (a: MpmAdjustment) => `${a.kind} ${a.setting} ${a.written}->${a.becomes} ${a.logged ?? 'silent'}`;
const sizingsOf = (files: Record<string, string>) => mpmSizings(deploymentOf(files).apache[0]);

describe('MPM sizing', () => {
  test('openstack-helm keystone: MaxRequestWorkers stays 400, so 16 processes; the limits reserve unused slots; nothing logged', () => {
    const [sizing] = sizingsOf({ 'mpm.conf': block('mpm_event_module', 'ServerLimit 1024', 'StartServers 32', 'ThreadsPerChild 25', 'ThreadLimit 720') });
    expect(sizing.mpm).toBe('event');
    expect(sizing.from).toBe('ifmodule');
    expect(sizing.adjustments.map(brief)).toEqual([
      'start-servers-above-processes startServers 32->16 silent',
      'server-limit-unused serverLimit 1024->16 silent',
      'thread-limit-unused threadLimit 720->25 silent',
    ]);
  });

  test('the lab\'s adjusted event block: AH00507, AH00513, AH00515 in httpd\'s order, with the values httpd logged', () => {
    const [sizing] = sizingsOf({ 'mpm.conf': block('event.c', 'ServerLimit 2', 'StartServers 2', 'ThreadsPerChild 100', 'MaxRequestWorkers 250') });
    expect(sizing.adjustments.map(brief)).toEqual([
      'threads-above-thread-limit threadsPerChild 100->64 AH00507/AH00508',
      'workers-not-multiple maxRequestWorkers 250->192 AH00513/AH00514',
      'workers-above-server-limit maxRequestWorkers 250->128 AH00515/AH00516',
    ]);
  });

  test('worker and prefork have their own message numbers and defaults', () => {
    const files = { 'mpm.conf': block('mpm_worker_module', 'MaxRequestWorkers 10') + block('mpm_prefork_module', 'MaxRequestWorkers 300') };
    const sizings = sizingsOf(files);
    expect(sizings.map((s) => [s.mpm, s.adjustments.map(brief)])).toEqual([
      ['worker', ['workers-below-threads maxRequestWorkers 10->25 AH00314/AH00315']],
      ['prefork', ['workers-above-server-limit maxRequestWorkers 300->256 AH00180/AH00181']],
    ]);
  });

  test('a whole tree judges the loaded MPM only; a fragment\'s lines outside an MPM\'s <IfModule> are not judged (templates: fixture good-templated.conf.j2)', () => {
    const tree = ['ServerRoot /etc/apache2', 'LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so', 'Listen 80',
      'MaxRequestWorkers 300', block('mpm_event_module', 'ServerLimit 1024')].join('\n');
    const [whole] = sizingsOf({ 'apache2.conf': tree });
    expect([whole.mpm, whole.from, whole.adjustments.map(brief)]).toEqual(['prefork', 'loaded', ['workers-above-server-limit maxRequestWorkers 300->256 AH00180/AH00181']]);
    expect(sizingsOf({ 'mpm.conf': 'ServerLimit 1024\nStartServers 32\n' })).toEqual([]);
  });

  test('a fragment\'s unconditional lines count for the MPM its <IfModule> names; a negation alone names none', () => {
    const text = block('mpm_event_module', 'ServerLimit 32') + 'MaxRequestWorkers 800\n' + block('!mpm_prefork_module', 'StartServers 64');
    const sizings = sizingsOf({ 'mpm.conf': text });
    expect(sizings.map((s) => [s.mpm, s.adjustments.map(brief)])).toEqual([['event', ['start-servers-above-processes startServers 64->32 silent']]]);
    expect(sizingsOf({ 'mpm.conf': block('!mpm_prefork_module', 'StartServers 64') })).toEqual([]);
  });

  test('fragments given together are judged file by file', () => {
    const sizings = sizingsOf({ 'a.conf': block('mpm_event_module', 'StartServers 32'), 'b.conf': block('mpm_event_module', 'ServerLimit 40', 'StartServers 2', 'MaxRequestWorkers 1000') });
    expect(sizings.map((s) => s.adjustments.map(brief))).toEqual([['start-servers-above-processes startServers 32->16 silent'], []]);
  });
});

describe('CustomLog formats', () => {
  const kinds = (files: Record<string, string>) => customLogFormats(deploymentOf(files).apache[0]).map((l) => `${l.format.value}:${l.kind}`);

  test('a nickname is found later in the file, at server scope, in any case; not in another VirtualHost', () => {
    const text = [
      '<VirtualHost *:80>', 'CustomLog a.log proxy', 'CustomLog b.log other', 'CustomLog c.log "%h %r"', '</VirtualHost>',
      '<VirtualHost *:81>', 'LogFormat "%h" other', 'CustomLog d.log other', '</VirtualHost>',
      'LogFormat "%h %r" PROXY',
    ].join('\n');
    expect(kinds({ 'site.conf': text })).toEqual(['proxy:nickname', 'other:literal', '%h %r:format', 'other:nickname']);
  });

  test('CLF is built in; Debian\'s nicknames are assumed in a fragment, not in a whole tree', () => {
    const lines = ['CustomLog a.log combined', 'CustomLog b.log clf', 'CustomLog c.log proxy'];
    expect(kinds({ 'site.conf': lines.join('\n') })).toEqual(['combined:nickname', 'clf:nickname', 'proxy:literal']);
    const tree = ['ServerRoot /etc/apache2', 'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so', 'Listen 80', ...lines].join('\n');
    expect(kinds({ 'apache2.conf': tree })).toEqual(['combined:literal', 'clf:nickname', 'proxy:literal']);
  });
});
