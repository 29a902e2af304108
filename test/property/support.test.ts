/** The checks the property tests rely on must themselves catch what they claim to. */
import fc from 'fast-check';
import { assertFindingsInside, assertSameText, configText, decodeLikeParsers, INI_TOKENS, locationProblems, mutate } from './support';

const at = (line: number, column: number, offset: number) => ({ line, column, offset });
const loc = (start: ReturnType<typeof at>, end = start) => ({ file: 'f', range: { start, end } });

describe('position checks', () => {
  const text = 'ab\ncd\r\nef\rgh';
  it('accept positions that match their offset under LF or LF/CRLF/CR line models', () => {
    expect(locationProblems(loc(at(1, 1, 0)), text)).toEqual([]);
    expect(locationProblems(loc(at(2, 2, 4)), text)).toEqual([]);
    expect(locationProblems(loc(at(3, 4, 10)), text)).toEqual([]); // LF model: "ef\rgh" is line 3
    expect(locationProblems(loc(at(4, 1, 10)), text)).toEqual([]); // CR model: "gh" is line 4
    expect(locationProblems(loc(at(4, 3, text.length)), text)).toEqual([]);
  });
  it('reject lines, columns and offsets outside the text or inconsistent with each other', () => {
    expect(locationProblems(loc(at(0, 1, 0)), text)).not.toEqual([]);
    expect(locationProblems(loc(at(5, 1, 0)), text)).not.toEqual([]);
    expect(locationProblems(loc(at(1, 0, 0)), text)).not.toEqual([]);
    expect(locationProblems(loc(at(1, 1, text.length + 1)), text)).not.toEqual([]);
    expect(locationProblems(loc(at(2, 1, 0)), text)).not.toEqual([]);
    expect(locationProblems(loc(at(1, 2, 1), at(1, 1, 0)), text)).not.toEqual([]);
  });
  it('assertFindingsInside names the offending finding', () => {
    const finding = { ruleId: 'x', severity: 'error' as const, message: 'm', location: loc(at(9, 1, 0)) };
    expect(() => assertFindingsInside([finding], 'f', text)).toThrow(/x "m"/);
  });
});

describe('round-trip check', () => {
  it('reports the first differing offset', () => {
    expect(() => assertSameText('abc\r\n', 'abc\n')).toThrow(/offset 3/);
    expect(() => assertSameText('same', 'same')).not.toThrow();
  });
});

describe('arbitraries and mutations', () => {
  it('the token arbitrary produces the awkward characters it promises', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(configText(INI_TOKENS), (t) => {
      for (const c of ['\r\n', '\uFEFF', '\0', '%(', '$(', '[uwsgi]']) if (t.includes(c)) seen.add(c);
    }), { numRuns: 2000, seed: 1 });
    expect([...seen].sort()).toEqual(['\0', '$(', '%(', '[uwsgi]', '\r\n', '\uFEFF'].sort());
  });
  it('mutations change bytes as described and decoding falls back to latin1', () => {
    const buf = Buffer.from('a\nb\nc\n');
    expect(mutate(buf, [{ op: 'delete', at: 1 }]).toString()).toBe('a\nc\n');
    expect(mutate(buf, [{ op: 'duplicate', at: 2 }]).toString()).toBe('a\nb\nc\nc\n');
    expect(mutate(buf, [{ op: 'swap', at: 0, with: 2 }]).toString()).toBe('c\nb\na\n');
    expect(mutate(buf, [{ op: 'flip', at: 0, bit: 7 }])[0]).toBe(0xe1);
    expect(decodeLikeParsers(Buffer.from([0x61, 0xe9]))).toBe('a\u00e9');
    expect(decodeLikeParsers(Buffer.from('\uFEFFx'))).toBe('\uFEFFx');
  });
});
