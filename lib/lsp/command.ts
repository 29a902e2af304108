/**
 * `deploylint lsp [--stdio]`: the language server on standard input and output. The command line
 * is the trusted part (docs/security.md) and is checked before the server starts, so a mistake in
 * it is a usage error (exit 2) rather than a silent server: --budget, --allow-read, --rule,
 * --target, --config, --env/--envvars, --no-inline-suppressions, --host-facts.
 */
import * as path from 'path';
import { UsageError } from '../cli/errors';
import type { CliArgs } from '../cli/args';
import { resolveConfigs } from '../cli/configs';
import { makeGate } from '../cli/gate';
import type { CliIO } from '../cli/io';
import { DEFAULT_DEBOUNCE_MS, startLanguageServer } from './server';

export function lspCommand(args: CliArgs, io: CliIO): number {
  if (args.positionals.length > 0) throw new UsageError('deploylint lsp takes no paths: the workspace folders come from the editor');
  if (args.stdin || args.format || args.output || args.baseline || args.writeBaseline || args.printConfig) {
    throw new UsageError('deploylint lsp: --stdin, --format, --output, --print-config and baselines belong to a lint run, not to the language server');
  }
  // validate now: these come from the editor's settings, and the user should see a mistake at once
  const budgets = { ...makeGate(args, io, [io.cwd]).budget.limits };
  resolveConfigs(args, io);
  startLanguageServer({
    allowRead: args.allowRead.map((d) => path.resolve(io.cwd, d)),
    budgets,
    inlineSuppressions: args.inlineSuppressions,
    hostFacts: args.hostFacts,
    debounceMs: DEFAULT_DEBOUNCE_MS,
    configsFor: (cwd) => resolveConfigs(args, { ...io, cwd }),
  });
  return 0;
}
