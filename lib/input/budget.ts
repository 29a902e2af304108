/**
 * Budgets: explicit bounds on everything a config can make deploylint do, as XML parsers bound
 * entity expansion. One Budget serves one lint run (every file of it); each resolver spends from it
 * and, when a budget runs out, stops that piece of work, reports one positioned `budget-exceeded`
 * finding and goes on with the rest. Defaults are far above what real trees need (the largest real
 * trees we measured read a few thousand files and expand a few hundred kilobytes) and far below what
 * exhausts a CI runner. Each can be raised from the command line: `--budget NAME=N`.
 */

export const BUDGET_DEFAULTS = {
  /** Bytes of one file (a config, an include, an `@(file)`, an envvars file). */
  'file-bytes': 16 * 1024 * 1024,
  /** Bytes read from all files of the run together. */
  'read-bytes': 256 * 1024 * 1024,
  /** Files read through includes (Include, IncludeOptional, ini =, inherit =, @(file)...) in the run. */
  files: 50_000,
  /** Files one Include or glob may pull in. */
  'include-fanout': 10_000,
  /** Characters produced by expansion: ${VAR}/Define, mod_macro bodies, uWSGI placeholders and loops. */
  'expanded-bytes': 32 * 1024 * 1024,
  /** Resolved directives and options, over the whole run. */
  nodes: 2_000_000,
  /** mod_macro `Use` expansions in the run. */
  'macro-expansions': 20_000,
  /** Options that uWSGI's for / for-times / for-glob / for-readline blocks may add in the run. */
  'loop-iterations': 100_000,
  /** Directory entries globs may look at (Include wildcards, for-glob, discovery of a tree). */
  'glob-entries': 500_000,
  /** Renderings of one template read (each a consistent choice of its if/else branches). */
  'template-variants': 8,
} as const;

export type BudgetName = keyof typeof BUDGET_DEFAULTS;
export type BudgetLimits = Record<BudgetName, number>;

export const BUDGET_NAMES = Object.keys(BUDGET_DEFAULTS) as BudgetName[];

/** What each budget bounds, for messages and `--help`. */
export const BUDGET_DESCRIPTIONS: Record<BudgetName, string> = {
  'file-bytes': 'size of one file',
  'read-bytes': 'bytes read from all files',
  files: 'files read through includes',
  'include-fanout': 'files one Include or glob may pull in',
  'expanded-bytes': 'characters produced by variable, macro and placeholder expansion',
  nodes: 'resolved directives and options',
  'macro-expansions': 'mod_macro Use expansions',
  'loop-iterations': 'options added by uWSGI for-blocks',
  'glob-entries': 'directory entries examined by globs',
  'template-variants': 'renderings of one template read',
};

export function isBudgetName(name: string): name is BudgetName {
  return Object.prototype.hasOwnProperty.call(BUDGET_DEFAULTS, name);
}

export class Budget {
  readonly limits: BudgetLimits;
  private readonly spent: Record<BudgetName, number>;
  private readonly exhausted = new Set<BudgetName>();

  constructor(limits: Partial<BudgetLimits> = {}) {
    this.limits = { ...BUDGET_DEFAULTS, ...limits };
    this.spent = Object.fromEntries(BUDGET_NAMES.map((n) => [n, 0])) as Record<BudgetName, number>;
  }

  /** How much is left of a budget. */
  left(name: BudgetName): number {
    return Math.max(0, this.limits[name] - this.spent[name]);
  }

  /**
   * Spend `amount`; false (and nothing spent) when that would go over the limit, after which the
   * caller stops the work and reports it. A budget once exceeded stays exceeded for the run.
   */
  spend(name: BudgetName, amount = 1): boolean {
    if (this.exhausted.has(name)) return false;
    if (this.spent[name] + amount > this.limits[name]) {
      this.exhausted.add(name);
      return false;
    }
    this.spent[name] += amount;
    return true;
  }

  /** Mark a budget used up (a single piece of work would already pass what is left). */
  exhaust(name: BudgetName): void {
    this.exhausted.add(name);
  }

  isExhausted(name: BudgetName): boolean {
    return this.exhausted.has(name);
  }

  /** Counters, for tests and the benchmark. */
  usage(): Record<BudgetName, { spent: number; limit: number; exceeded: boolean }> {
    const out = {} as Record<BudgetName, { spent: number; limit: number; exceeded: boolean }>;
    for (const n of BUDGET_NAMES) out[n] = { spent: this.spent[n], limit: this.limits[n], exceeded: this.exhausted.has(n) };
    return out;
  }
}

/** The message of a `budget-exceeded` finding: what stopped, and the flag that widens it. */
export function budgetMessage(name: BudgetName, limit: number, what: string): string {
  return `${what}: the ${name} budget (${BUDGET_DESCRIPTIONS[name]}, ${limit}) is used up, so deploylint stopped there and did not check what follows from it. ` +
    `If the config is really this large, raise it with \`--budget ${name}=${limit * 4}\`.`;
}
