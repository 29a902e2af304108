/**
 * Figures the suite measures and the README quotes (oracle agreement, lab agreement), recorded by
 * the tests that measure them as small JSON files in dist/test-figures/ (build output: not committed,
 * not packed), and read by test/integrations/readme-figures.test.ts. `npm test` clears the directory,
 * runs the suite, and only then runs the README test (scripts/test.sh), so the README is compared
 * with this run's figures whatever order jest runs the files in.
 */
import * as fs from 'fs';
import * as path from 'path';

export const FIGURES_DIR = path.resolve(__dirname, '..', '..', 'dist', 'test-figures');

export type FigureSource = 'uwsgi-oracle' | 'apache-oracle' | 'lab';

export interface FigureFile {
  source: FigureSource;
  writtenAt: string;
  figures: Record<string, string | number>;
}

export function recordFigures(source: FigureSource, figures: Record<string, string | number>): void {
  fs.mkdirSync(FIGURES_DIR, { recursive: true });
  const file: FigureFile = { source, writtenAt: new Date().toISOString(), figures };
  fs.writeFileSync(path.join(FIGURES_DIR, `${source}.json`), JSON.stringify(file, null, 2) + '\n');
}

export function readFigures(source: FigureSource): FigureFile | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(FIGURES_DIR, `${source}.json`), 'utf8')) as FigureFile;
  } catch {
    return undefined;
  }
}
