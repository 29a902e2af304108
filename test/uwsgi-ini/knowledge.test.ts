/** The uWSGI option tables and defaults as the rules see them. */
import {
  allUwsgiOptionNames, getUwsgiOption, isListOption, pluginOfOption, sourcePluginOf, suggestUwsgiOption,
} from '../../lib/knowledge/uwsgi-options';
import { getUwsgiDefault } from '../../lib/knowledge/uwsgi-defaults';

describe('uWSGI option knowledge', () => {
  it('loads both tables', () => {
    expect(allUwsgiOptionNames('2.0').length).toBeGreaterThan(1200);
    expect(allUwsgiOptionNames('2.1').length).toBeGreaterThan(1300);
  });

  it('describes options: aliases, argument kind, plugin, immediate', () => {
    const p = getUwsgiOption('processes')!;
    expect(p).toMatchObject({ shortFlag: 'p', argument: 'required', plugin: 'core', setter: 'uwsgi_opt_set_int', list: false });
    expect(p.aliases).toContain('workers');
    expect(getUwsgiOption('master')?.argument).toBe('none');
    expect(getUwsgiOption('ini')?.immediate).toBe(true);
    expect(getUwsgiOption('socket_timeout')).toBeUndefined();
  });

  it('separates list options from scalar ones', () => {
    expect(isListOption('socket')).toBe(true);
    expect(isListOption('route')).toBe(true);
    expect(isListOption('env')).toBe(true);
    expect(isListOption('attach-daemon')).toBe(true);
    expect(isListOption('processes')).toBe(false);
    expect(isListOption('buffer-size')).toBe(false);
    expect(isListOption('no-such-option')).toBeUndefined();
  });

  it('knows plugins, as uWSGI and as Debian name them', () => {
    expect(pluginOfOption('http-chunked-input')).toBe('http');
    expect(pluginOfOption('module')).toBe('python');
    expect(pluginOfOption('socket-timeout')).toBe('core');
    expect(sourcePluginOf('python3')).toBe('python');
    expect(sourcePluginOf('0:python3_plugin.so')).toBe('python');
  });

  it('knows version differences', () => {
    expect(getUwsgiOption('wsgi-manage-chunked-input', '2.0')).toBeUndefined();
    expect(getUwsgiOption('wsgi-manage-chunked-input', '2.1')?.inUwsgi2030).toBe(false);
    expect(getUwsgiOption('buffer-size', '2.0')?.setter).toBe('uwsgi_opt_set_16bit');
    expect(getUwsgiOption('buffer-size', '2.1')?.setter).toBe('uwsgi_opt_set_64bit');
  });

  it('suggests the option meant by a typo', () => {
    expect(suggestUwsgiOption('socket_timeout')).toEqual(['socket-timeout']);
    expect(suggestUwsgiOption('enabled-threads')[0]).toBe('enable-threads');
    expect(suggestUwsgiOption('vaccum')[0]).toBe('vacuum');
    expect(suggestUwsgiOption('harakri')[0]).toBe('harakiri');
    expect(suggestUwsgiOption('zzzzzzzzzzzzzzzz')).toEqual([]);
  });

  it('gives defaults per version with their source', () => {
    expect(getUwsgiDefault('socket-timeout')?.value).toBe('4');
    expect(getUwsgiDefault('buffer-size')?.value).toBe('4096');
    expect(getUwsgiDefault('enable-threads', '2.0.21')?.value).toBe('false');
    expect(getUwsgiDefault('enable-threads', '2.0.27')?.value).toBe('true');
    expect(getUwsgiDefault('die-on-term', '2.0.30')?.value).toBe('false');
    expect(getUwsgiDefault('die-on-term', '2.1')?.value).toBe('true');
    expect(getUwsgiDefault('socket-timeout')?.source).toMatch(/init\.c/);
  });
});
