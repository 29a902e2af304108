/** The read gate of one CLI run, from the command line alone: the paths given, --allow-read and --budget. */
import * as path from 'path';
import { Budget, BUDGET_NAMES, isBudgetName, type BudgetLimits } from '../input/budget';
import { UsageError } from './errors';
import { ReadGate } from '../input/gate';
import type { CliArgs } from './args';
import type { CliIO } from './io';

export function makeGate(args: CliArgs, io: CliIO, givenRoots: string[]): ReadGate {
  const limits: Partial<BudgetLimits> = {};
  for (const spec of args.budgets) {
    const m = /^([a-z-]+)=(\d+)$/.exec(spec);
    if (!m || !isBudgetName(m[1])) throw new UsageError(`--budget ${spec}: expected NAME=N with NAME one of ${BUDGET_NAMES.join(', ')}`);
    limits[m[1]] = Number(m[2]);
  }
  const roots = [...givenRoots, ...args.allowRead.map((d) => path.resolve(io.cwd, d))];
  return new ReadGate({ roots, cwd: io.cwd, budget: new Budget(limits) });
}
