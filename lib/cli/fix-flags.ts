/** What the CLI adds for --fix, --fix-dry-run, --diff and --unsafe-fixes: checking the flags, and printing a diff. */
import * as fs from 'fs';
import * as path from 'path';
import type { FixMode } from '../fix';
import type { SkipSummary } from '../format/types';
import type { CliArgs } from './args';
import { UsageError } from './errors';
import type { CliIO } from './io';

/** The fix mode the flags ask for (--diff wins over --fix and --fix-dry-run), or undefined. */
export function checkFixOptions(args: CliArgs): FixMode | undefined {
  const mode = args.diff ? 'diff' : args.fixDryRun ? 'dry-run' : args.fix ? 'write' : undefined;
  if (args.fix && args.fixDryRun) throw new UsageError('--fix and --fix-dry-run cannot be used together (--fix-dry-run writes nothing)');
  if (args.unsafeFixes && !mode) throw new UsageError('--unsafe-fixes needs --fix, --fix-dry-run or --diff');
  if (mode && args.stdin) throw new UsageError(`--${args.diff ? 'diff' : args.fixDryRun ? 'fix-dry-run' : 'fix'} works on files: it cannot be used with --stdin`);
  if (mode && args.writeBaseline) throw new UsageError('--write-baseline records findings as they are: it cannot be used with --fix, --fix-dry-run or --diff');
  return mode;
}

/** The diff alone on stdout (or --output), for git apply / patch -p1; what it does goes to stderr. */
export function writeDiff(args: CliArgs, io: CliIO, diff: Buffer, skipped: SkipSummary | undefined, notes: string[]): void {
  if (args.output) fs.writeFileSync(path.resolve(io.cwd, args.output), diff);
  else io.stdout.write(diff);
  const { escapeControl, skipSummaryLines } = require('../format/util') as typeof import('../format/util');
  for (const line of [...skipSummaryLines(skipped), ...notes]) io.stderr.write(`deploylint: ${escapeControl(line)}\n`);
}
