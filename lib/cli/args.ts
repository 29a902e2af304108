/** Command-line parsing: a small, strict parser (an unknown option is a usage error, exit 2). */
import { UsageError } from './errors';

export interface CliArgs {
  command: 'lint' | 'rules' | 'explain' | 'parse' | 'lsp';
  positionals: string[];
  format?: string;
  output?: string;
  maxWarnings?: number;
  failureLevel: 'error' | 'warning' | 'info';
  rules: string[];
  targets: string[];
  stdin: boolean;
  stdinFilename?: string;
  config?: string;
  printConfig: boolean;
  quiet: boolean;
  color?: boolean;
  version: boolean;
  help: boolean;
  inlineSuppressions: boolean;
  writeBaseline?: string;
  baseline?: string;
  /** Shell-style variable files (`--envvars`, e.g. Debian's /etc/apache2/envvars), in order. */
  envvarFiles: string[];
  /** `--env NAME=VALUE`, in order (later wins). */
  env: string[];
  /** `--allow-read DIR`: more roots for the read gate. */
  allowRead: string[];
  /** `--budget NAME=N`. */
  budgets: string[];
  /** `--host-facts`: expand uWSGI's %h %k %U... with this machine's values. */
  hostFacts: boolean;
  parseMode?: 'resolved' | 'includes' | 'tree';
  ignorePatterns: string[];
  /** `--context PATH`: the deployment the named files are linted with (read and linked, not reported on its own). */
  context: string[];
  /** `--no-error-on-unmatched-pattern`: finding no config file is not an error (pre-commit with unrelated .conf files). */
  allowNoFiles: boolean;
  /** `lsp --stdio` (the transport editors ask for; stdio is the only one). */
  stdio?: boolean;
  /** `lsp --clientProcessId N` (vscode-languageserver watches that process itself). */
  clientProcessId?: string;
  /** `--fix`: apply safe fixes in place. */
  fix: boolean;
  /** `--fix-dry-run`: report what --fix would change, write nothing. */
  fixDryRun: boolean;
  /** `--diff`: print the fixes as a unified diff, write nothing. */
  diff: boolean;
  /** `--unsafe-fixes`: apply unsafe fixes too. */
  unsafeFixes: boolean;
}

const WITH_VALUE: Record<string, keyof CliArgs | 'rule' | 'target' | 'ignore-pattern' | 'list'> = {
  '--format': 'format',
  '-f': 'format',
  '--output': 'output',
  '-o': 'output',
  '--max-warnings': 'maxWarnings',
  '--failure-level': 'failureLevel',
  '--rule': 'rule',
  '--target': 'target',
  '--stdin-filename': 'stdinFilename',
  '--config': 'config',
  '-c': 'config',
  '--write-baseline': 'writeBaseline',
  '--baseline': 'baseline',
  '--envvars': 'envvarFiles',
  '--env': 'env',
  '--allow-read': 'allowRead',
  '--budget': 'budgets',
  '--ignore-pattern': 'ignore-pattern',
  '--clientProcessId': 'clientProcessId',
  '--context': 'context',
};

/** Options that may be given several times, each adding to a list. */
const LISTS = new Set<keyof CliArgs>(['envvarFiles', 'env', 'allowRead', 'budgets', 'context']);

const SUBCOMMANDS = new Set(['rules', 'explain', 'parse', 'lsp']);

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = {
    command: 'lint',
    positionals: [],
    failureLevel: 'error',
    rules: [],
    targets: [],
    stdin: false,
    printConfig: false,
    quiet: false,
    version: false,
    help: false,
    inlineSuppressions: true,
    ignorePatterns: [],
    envvarFiles: [],
    env: [],
    allowRead: [],
    budgets: [],
    hostFacts: false,
    context: [],
    allowNoFiles: false,
    fix: false,
    fixDryRun: false,
    diff: false,
    unsafeFixes: false,
  };
  let rest = argv;
  if (rest.length > 0 && SUBCOMMANDS.has(rest[0])) {
    args.command = rest[0] as CliArgs['command'];
    rest = rest.slice(1);
  }
  for (let i = 0; i < rest.length; i++) {
    let arg = rest[i];
    if (arg === '--') {
      for (let j = i + 1; j < rest.length; j++) args.positionals.push(rest[j]);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      args.positionals.push(arg);
      continue;
    }
    let inlineValue: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      inlineValue = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const target = WITH_VALUE[arg];
    if (target) {
      const value = inlineValue ?? rest[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      switch (target) {
        case 'rule': args.rules.push(value); break;
        case 'target': args.targets.push(value); break;
        case 'ignore-pattern': args.ignorePatterns.push(value); break;
        case 'maxWarnings': {
          if (!/^-?\d+$/.test(value)) throw new UsageError(`--max-warnings: expected a whole number, got "${value}"`);
          const n = Number(value);
          args.maxWarnings = n < 0 ? undefined : n; // -1 means no limit, as in ESLint
          break;
        }
        case 'failureLevel':
          if (value !== 'error' && value !== 'warning' && value !== 'info') throw new UsageError(`--failure-level: expected error, warning or info, got "${value}"`);
          args.failureLevel = value;
          break;
        default:
          if (LISTS.has(target as keyof CliArgs)) (args[target as 'env'] as string[]).push(value);
          else (args as unknown as Record<string, string>)[target] = value;
      }
      continue;
    }
    if (inlineValue !== undefined) throw new UsageError(`${arg} takes no value`);
    switch (arg) {
      case '--stdin': args.stdin = true; break;
      case '--print-config': args.printConfig = true; break;
      case '--quiet': case '-q': args.quiet = true; break;
      case '--no-color': args.color = false; break;
      case '--color': args.color = true; break;
      case '--version': case '-v': args.version = true; break;
      case '--help': case '-h': args.help = true; break;
      case '--no-inline-suppressions': args.inlineSuppressions = false; break;
      case '--host-facts': args.hostFacts = true; break;
      case '--fix': args.fix = true; break;
      case '--fix-dry-run': args.fixDryRun = true; break;
      case '--diff': args.diff = true; break;
      case '--unsafe-fixes': args.unsafeFixes = true; break;
      case '--resolved': args.parseMode = 'resolved'; break;
      case '--includes': args.parseMode = 'includes'; break;
      case '--tree': args.parseMode = 'tree'; break;
      case '--stdio': args.stdio = true; break;
      case '--no-error-on-unmatched-pattern': args.allowNoFiles = true; break;
      default: throw new UsageError(`Unknown option ${arg} (see deploylint --help)`);
    }
  }
  // a bare `-` is standard input, as for most command-line tools
  if (args.command === 'lint' && args.positionals.includes('-')) {
    if (args.positionals.length > 1) throw new UsageError('`-` reads one file from standard input: give no other paths with it');
    args.positionals = [];
    args.stdin = true;
  }
  if (args.parseMode && args.command !== 'parse') throw new UsageError(`--${args.parseMode} belongs to \`deploylint parse\``);
  if ((args.stdio || args.clientProcessId !== undefined) && args.command !== 'lsp') throw new UsageError('--stdio and --clientProcessId belong to `deploylint lsp`');
  return args;
}

export const HELP = `Usage: deploylint [options] [paths or globs...]
       deploylint rules
       deploylint explain RULE-ID
       deploylint parse [--resolved|--includes|--tree] FILE[:section]
       deploylint lsp [--stdio]     language server for editors (docs/editors.md)

Lint Python WSGI deployments: uWSGI ini files and Apache httpd configs, linked into one model.
Directories are searched for uWSGI ini files ([uwsgi] section) and Apache configs; no path means
the current directory. An ini path may name a section: app.ini:worker.

Output:
  -f, --format NAME          stylish (default), gcc, json, sarif, github, checkstyle
  -o, --output FILE          write the report to FILE instead of stdout
  -q, --quiet                report errors only
      --no-color, --color    colour off/on (NO_COLOR and FORCE_COLOR are honoured)

Failing:
      --failure-level LEVEL  exit 1 on findings at or above error (default), warning or info
      --max-warnings N       exit 1 when there are more than N warnings

Rules and targets:
      --rule ID=SEVERITY     off, info, warning or error (repeatable)
      --target LIST          versions, e.g. uwsgi=2.0,httpd=2.4,glance=32.0 (repeatable)
  -c, --config FILE          use this config instead of searching for .deploylintrc.*
      --print-config         print the effective configuration for the given file as JSON
      --ignore-pattern GLOB  skip matching paths (gitignore syntax, repeatable)

Environment (for $(VAR) in ini files and \${VAR} in Apache configs; never from a config file):
      --env NAME=VALUE       one variable (repeatable)
      --envvars FILE         shell-style assignments, e.g. Debian's /etc/apache2/envvars (repeatable)

Reading (see docs/security.md):
      --allow-read DIR       also read files under DIR (a config can never widen what is read)
      --budget NAME=N        raise or lower a budget: file-bytes, read-bytes, files, include-fanout,
                             expanded-bytes, nodes, macro-expansions, loop-iterations, glob-entries,
                             template-variants
      --host-facts           expand uWSGI's %h %k %u %U %g %G with this machine's values

Input:
      --stdin, -             read one file from standard input
      --stdin-filename NAME  name (and so kind) of the standard input file
      --context PATH         lint the named files with the deployment under PATH (read and linked;
                             findings reported only where they involve a named file): pre-commit
      --no-error-on-unmatched-pattern
                             finding no uWSGI or Apache config is not an error (exit 0, not 2)

Fixing (docs/cli.md#fixing):
      --fix                  apply safe fixes in place; the exit status is that of what remains
      --fix-dry-run          report what --fix would change, and what would remain; write nothing
      --diff                 print the fixes as a unified diff (git apply, patch -p1); write nothing
      --unsafe-fixes         also apply fixes that change behaviour beyond the finding

Suppressions and baselines:
      --no-inline-suppressions   ignore # deploylint-disable comments
      --write-baseline FILE      record current findings in FILE
      --baseline FILE            report only findings not recorded in FILE

  -v, --version              print the version
  -h, --help                 print this help

Exit status: 0 clean, 1 findings at or above the failure level (or too many warnings),
2 usage, configuration or internal error. Documentation: docs/cli.md.
`;
