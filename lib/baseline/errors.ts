/** Kept apart from the baseline code so the CLI can recognise the error without loading crypto. */
export class BaselineError extends Error {}
