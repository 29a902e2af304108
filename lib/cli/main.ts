/**
 * `deploylint`: parse argv, find files and configuration, call lint(), apply inline suppressions
 * and the baseline, format, and choose the exit code (0 clean, 1 findings at or above the failure
 * level, 2 usage/config/internal error).
 */
import { BaselineError } from '../baseline/errors';
import { ConfigError } from '../config/types';
import { InputError } from '../input/discover';
import { UsageError } from './errors';
import { HELP, parseArgs } from './args';
import { resolveConfigs } from './configs';
import { processIO, type CliIO } from './io';
import { lintCommand } from './lint-command';
import { packageInfo } from './package-info';

export { exitCode } from './lint-command';

export function main(argv: string[], io: CliIO = processIO()): number {
  try {
    return run(argv, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError || e instanceof ConfigError || e instanceof BaselineError) {
      io.stderr.write(`deploylint: ${e.message}\n`);
      return 2;
    }
    const err = e as Error;
    io.stderr.write(`deploylint: internal error: ${err?.message ?? String(e)}\n`);
    if (io.env.DEPLOYLINT_DEBUG === '1') io.stderr.write(`${err?.stack ?? ''}\n`);
    else io.stderr.write('Set DEPLOYLINT_DEBUG=1 for a stack trace, and please report this as a bug.\n');
    return 2;
  }
}

function run(argv: string[], io: CliIO): number {
  const args = parseArgs(argv);
  if (args.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (args.version) {
    io.stdout.write(`${packageInfo().version}\n`);
    return 0;
  }
  switch (args.command) {
    case 'rules':
      return (require('./commands') as typeof import('./commands')).rulesCommand(args, io);
    case 'explain':
      return (require('./commands') as typeof import('./commands')).explainCommand(args, io);
    case 'lsp':
      return (require('../lsp/command') as typeof import('../lsp/command')).lspCommand(args, io);
    case 'parse':
      return (require('./commands') as typeof import('./commands')).parseCommand(args, io, (dir) => resolveConfigs(args, io).configFor(dir));
    default:
      return lintCommand(args, io);
  }
}
