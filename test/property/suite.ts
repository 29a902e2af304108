/**
 * The properties both parsers must have, whatever the input:
 *   - parse never throws and finishes within a bound (a watchdog kills a call that hangs);
 *   - print(parse(text)) === text, exactly;
 *   - every finding's position lies inside the input and agrees with its offset;
 *   - resolving the text written to a file never throws, never writes the file, runs no command.
 * Inputs: fast-check's strings, config-ish token soup, line-shaped token text, mutated corpus files.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { ReadGate } from '../../lib/input/gate';
import type { ParserUnderTest } from './parsers';
import {
  RUNS, SEED, SLOW_RUNS, WATCHDOG_MS, assertFindingsInside, assertSameText, configText, decodeLikeParsers,
  loadCorpus, mutate, mutationArb, type CorpusText,
} from './support';
import { Watchdog } from './watchdog';

export interface SuiteOptions {
  parser: ParserUnderTest;
  /** Tokens for the grammar-aware arbitrary. */
  tokens: readonly string[];
  /** Extra tokens used only when resolving from disk (includes of sibling files, command includes). */
  resolveTokens: readonly string[];
  /** Which corpus files are in this parser's language. */
  corpusFilter: (c: CorpusText) => boolean;
  /** Root file name in the temp dir for resolution. */
  rootName: string;
  /** Sibling files next to the root (names relative to the temp dir). */
  siblings: Record<string, string>;
  /** Options for resolve(), given the temp dir. */
  resolveOptions: (dir: string) => Record<string, unknown>;
  /**
   * Resolve through a read gate rooted at the temp dir: no file outside it may be read (the tokens
   * include references to /etc/passwd and the like).
   */
  confine?: boolean;
  /** Fragments a line is made of for the scaling property. */
  scalingFragments: readonly string[];
  /** Prefix of the one long line in the scaling property. */
  scalingPrefix: string;
}

/** Per-test jest timeout that grows with the run count (FAST_CHECK_RUNS=200000 takes a while). */
function timeoutFor(runs: number, perRunMs: number): number {
  return Math.max(120_000, runs * perRunMs + 60_000);
}

export function defineParserProperties(o: SuiteOptions): void {
  const { parser } = o;
  let watchdog: Watchdog;
  beforeAll(() => {
    watchdog = new Watchdog(WATCHDOG_MS);
  });
  afterAll(async () => {
    await watchdog.stop();
  });

  const file = `/nonexistent/property/${o.rootName}`;

  function checkParse(text: string, name = file): void {
    // a hang (or a quadratic blow-up) is caught by the watchdog, which stops the case and fails it
    const doc = watchdog.run(`${parser.name} parse`, text, () => parser.parse(text, name));
    if (!doc || !Array.isArray(doc.findings)) throw new Error('parse returned no document with findings');
    assertSameText(watchdog.run(`${parser.name} print`, text, () => parser.print(doc)), text);
    assertFindingsInside(doc.findings, name, text);
  }

  const fcOptions = (numRuns: number) => ({ numRuns, seed: SEED, verbose: 1 as const });

  describe(`${parser.name} parser on arbitrary text`, () => {
    it('fc.string: never throws, prints back exactly, findings inside the input', () => {
      fc.assert(fc.property(fc.string({ maxLength: 400 }), (text) => checkParse(text)), fcOptions(RUNS));
    }, timeoutFor(RUNS, 2));

    it('fc.fullUnicodeString (non-BMP, any code point): same properties', () => {
      fc.assert(fc.property(fc.fullUnicodeString({ maxLength: 400 }), (text) => checkParse(text)), fcOptions(RUNS));
    }, timeoutFor(RUNS, 2));

    it('UTF-16 with lone surrogates and control characters: same properties', () => {
      const units = fc.oneof(fc.integer({ min: 0, max: 0x20 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.integer({ min: 0, max: 0xffff }));
      const text = fc.array(units, { maxLength: 300 }).map((cs) => String.fromCharCode(...cs));
      fc.assert(fc.property(text, (t) => checkParse(t)), fcOptions(RUNS));
    }, timeoutFor(RUNS, 2));

    it('config-ish token text (sections, keys, expansions, quotes, escapes, CRLF, BOM, NUL): same properties', () => {
      fc.assert(fc.property(configText(o.tokens), (text) => checkParse(text)), fcOptions(RUNS));
    }, timeoutFor(RUNS, 3));
  });

  describe(`${parser.name} parser on the corpus`, () => {
    const corpus = loadCorpus().filter(o.corpusFilter);

    it('the corpus is there', () => {
      expect(corpus.length).toBeGreaterThan(10);
    });

    it('every corpus file as it is: prints back exactly, findings inside', () => {
      for (const c of corpus) checkParse(c.text, c.file);
    });

    it('mutated corpus files (lines inserted, deleted, duplicated, swapped; bytes flipped; truncated): same properties', () => {
      const arb = fc.tuple(fc.nat({ max: corpus.length - 1 }), mutationArb(o.tokens));
      fc.assert(fc.property(arb, ([i, mutations]) => {
        const text = decodeLikeParsers(mutate(corpus[i].bytes, mutations));
        checkParse(text, corpus[i].file);
      }), fcOptions(SLOW_RUNS));
    }, timeoutFor(SLOW_RUNS, 20));
  });

  describe(`${parser.name} parser on long repeated fragments`, () => {
    // A quadratic scan of 256 KB takes minutes and trips the watchdog; the speed itself is a
    // benchmark figure (npm run bench), never a timed assertion.
    it('one line of up to 256 KB of a repeated awkward fragment: parses, prints back, positions inside', () => {
      const arb = fc.tuple(fc.constantFrom(...o.scalingFragments), fc.integer({ min: 1, max: 64 * 1024 }), fc.boolean());
      fc.assert(fc.property(arb, ([fragment, count, manyLines]) => {
        const body = manyLines ? (fragment + '\n').repeat(count) : fragment.repeat(count);
        const text = o.scalingPrefix + body;
        checkParse(text);
      }), fcOptions(Math.max(20, Math.ceil(RUNS / 200))));
    }, timeoutFor(Math.ceil(RUNS / 200), 1000));
  });

  describe(`${parser.name} resolution of arbitrary text on disk`, () => {
    let dir: string;
    const marker = (): string => path.join(dir, 'EXECUTED');
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `deploylint-prop-${parser.name}-`));
      for (const [name, text] of Object.entries(o.siblings)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text.replace(/@DIR@/g, dir));
      }
    });
    afterAll(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('never throws, never writes the file, never runs a command; findings inside the files read', () => {
      const text = configText([...o.tokens, ...o.resolveTokens]);
      fc.assert(fc.property(text, (raw) => {
        const content = raw.replace(/@DIR@/g, dir);
        const root = path.join(dir, o.rootName);
        fs.writeFileSync(root, content);
        const before = crypto.createHash('sha256').update(fs.readFileSync(root)).digest('hex');
        const options = { ...o.resolveOptions(dir), ...(o.confine ? { gate: new ReadGate({ roots: [dir] }) } : {}) };
        const resolved = watchdog.run(`${parser.name} resolve`, content, () => parser.resolve(root, options));
        const after = crypto.createHash('sha256').update(fs.readFileSync(root)).digest('hex');
        if (before !== after) throw new Error('resolution modified its input file');
        if (fs.existsSync(marker())) throw new Error('resolution ran a command from the config');
        if (!resolved || !Array.isArray(resolved.findings)) throw new Error('resolve returned no findings array');
        if (o.confine) {
          const outside = (resolved.files ?? []).filter((f) => !path.resolve(dir, f).startsWith(dir + path.sep));
          if (outside.length) throw new Error(`read files outside the gate's roots: ${outside.join(', ')}`);
        }
        const texts = new Map<string, string>();
        for (const f of new Set([root, ...(resolved.files ?? [])])) {
          try {
            if (fs.statSync(f).isFile()) texts.set(f, decodeLikeParsers(fs.readFileSync(f)));
          } catch {
            // a file that is not there any more is checked structurally only
          }
        }
        assertFindingsInside(resolved.findings, root, decodeLikeParsers(fs.readFileSync(root)), texts);
      }), fcOptions(SLOW_RUNS));
    }, timeoutFor(SLOW_RUNS, 20));
  });
}
