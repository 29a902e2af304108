/**
 * The parser entry points under test, taken from each parser's public index (falling back to the
 * module that defines them while the index is not there yet), typed only as far as the tests need.
 */
import type { Finding } from '../../lib/core/finding';

export interface ParsedDocument {
  findings: Finding[];
}

export interface ResolvedConfig {
  findings: Finding[];
  files: string[];
}

export interface ParserUnderTest {
  name: string;
  parse(text: string, file: string): ParsedDocument;
  print(doc: ParsedDocument): string;
  resolve(file: string, options: Record<string, unknown>): ResolvedConfig;
}

type AnyFn = (...args: any[]) => any;

function pick(modules: string[], name: string): AnyFn {
  const reasons: string[] = [];
  for (const m of modules) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const fn = require(m)[name];
      if (typeof fn === 'function') return fn;
      reasons.push(`${m} does not export ${name}`);
    } catch (error) {
      reasons.push(`${m}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return () => {
    throw new Error(`${name} is not available: ${reasons.join('; ')}`);
  };
}

export const uwsgiIni: ParserUnderTest = {
  name: 'uwsgi-ini',
  parse: pick(['../../lib/parsers/uwsgi-ini', '../../lib/parsers/uwsgi-ini/syntax'], 'parseUwsgiIni'),
  print: pick(['../../lib/parsers/uwsgi-ini', '../../lib/parsers/uwsgi-ini/syntax'], 'printUwsgiIni'),
  resolve: pick(['../../lib/resolve/uwsgi-ini'], 'resolveUwsgiIni'),
};

export const apache: ParserUnderTest = {
  name: 'apache',
  parse: pick(['../../lib/parsers/apache', '../../lib/parsers/apache/syntax'], 'parseApacheConfig'),
  print: pick(['../../lib/parsers/apache', '../../lib/parsers/apache/syntax'], 'printApacheConfig'),
  resolve: pick(['../../lib/resolve/apache'], 'resolveApacheConfig'),
};
