/**
 * Fixes and templates: the markup ranges of a template (expressions and control-block tags), edits
 * that touch them, and a fix computed on a rendered variant moved back to the template source.
 */
import { mapVariantFix, markupTouched, templateMarkup } from '../../lib/fix/templates';
import { renderTemplate } from '../../lib/templates';

const SOURCE = [
  '[uwsgi]',
  'module = glance.wsgi.api:application',
  '{% if glance_tls %}',
  'https-socket = {{ bind }}:9292,/etc/glance/cert.pem,/etc/glance/key.pem',
  '{% else %}',
  'http-socket = {{ bind }}:9292',
  '{% endif %}',
  'socket-timeout = "30"',
  '',
].join('\n');

test('expressions and control-block tags are markup; a file without markup is no template', () => {
  const markup = templateMarkup('glance-uwsgi.ini.j2', SOURCE)!;
  expect(markup.map((m) => m.markup)).toEqual(['{% if glance_tls %}', '{{ bind }}', '{% else %}', '{{ bind }}', '{% endif %}']);
  expect(templateMarkup('glance-uwsgi.ini', '[uwsgi]\nmaster = true\n')).toBeNull();
  // a `.j2` name makes a template even without markup
  expect(templateMarkup('plain.ini.j2', '[uwsgi]\nmaster = true\n')).toEqual([]);
});

test('an edit inside or across markup is refused; one beside it is allowed', () => {
  const markup = templateMarkup('glance-uwsgi.ini.j2', SOURCE)!;
  const bind = SOURCE.indexOf('{{ bind }}');
  expect(markupTouched(markup, { startOffset: bind + 3, endOffset: bind + 7 })?.markup).toBe('{{ bind }}');
  expect(markupTouched(markup, { startOffset: bind - 2, endOffset: bind + 1 })?.markup).toBe('{{ bind }}');
  expect(markupTouched(markup, { startOffset: bind + 4, endOffset: bind + 4 })?.markup).toBe('{{ bind }}');
  expect(markupTouched(markup, { startOffset: bind, endOffset: bind })).toBeUndefined();
  const quoted = SOURCE.indexOf('"30"');
  expect(markupTouched(markup, { startOffset: quoted, endOffset: quoted + 4 })).toBeUndefined();
  const endif = SOURCE.indexOf('{% endif %}');
  expect(markupTouched(markup, { startOffset: endif + 2, endOffset: endif + 2 })?.markup).toBe('{% endif %}');
});

test('a fix on a rendered variant is moved to source offsets, unless it touches an expression', () => {
  const rendered = renderTemplate(SOURCE, { fileName: 'glance-uwsgi.ini.j2', target: 'uwsgi-ini' });
  for (const variant of rendered.variants) {
    const at = variant.text.indexOf('"30"');
    const fix = { description: 'remove the quotes', edits: [{ file: 'rendered', range: { startOffset: at, endOffset: at + 4 }, text: '30' }] };
    const mapped = mapVariantFix(variant, fix, 'glance-uwsgi.ini.j2')!;
    const s = SOURCE.indexOf('"30"');
    expect(mapped.edits).toEqual([{ file: 'glance-uwsgi.ini.j2', range: { startOffset: s, endOffset: s + 4 }, text: '30' }]);
    // the bind address comes from {{ bind }}: an edit of it cannot be moved to the template
    const socketLine = variant.text.split('\n').find((l) => /socket =/.test(l))!;
    const addr = variant.text.indexOf(socketLine) + socketLine.indexOf('=') + 2;
    expect(mapVariantFix(variant, { description: 'x', edits: [{ file: 'rendered', range: { startOffset: addr, endOffset: addr + 3 }, text: '127' }] }, 'glance-uwsgi.ini.j2')).toBeUndefined();
  }
});
