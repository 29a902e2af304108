/** How a language server runs: its read roots and budgets, the CLI options it honours, and debouncing. */
import type { Configs } from '../cli/configs';
import type { BudgetLimits } from '../input/budget';
import type { DeploymentLinter } from './linter';

export interface ServerSettings {
  /** More roots for the read gate (`--allow-read`), absolute. */
  allowRead: string[];
  /** Budget limits (`--budget`); every run gets a fresh Budget with these limits. */
  budgets: Partial<BudgetLimits>;
  inlineSuppressions: boolean;
  hostFacts: boolean;
  /** Quiet time after the last edit before a run starts; the client may set `initializationOptions.debounceMs`. */
  debounceMs: number;
  /** Configuration for a run rooted at `cwd`: read afresh each run, so edited config files take effect. */
  configsFor(cwd: string): Configs;
  /** The linter each scope uses (default: re-lint the whole deployment). */
  linterFactory?: () => DeploymentLinter;
  /**
   * Take over the process: console output to the client's log (stdout is the protocol), uncaught
   * errors logged instead of fatal. Default true; false for a server embedded in another program.
   */
  ownProcess?: boolean;
}

export const DEFAULT_DEBOUNCE_MS = 150;
