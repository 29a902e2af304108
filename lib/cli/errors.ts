/** A command line deploylint cannot carry out: exit 2 with the message, no stack trace. */
export class UsageError extends Error {}
