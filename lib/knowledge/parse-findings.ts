/**
 * Findings that the parsers, the resolvers and the engine report themselves (not rules over the
 * model): their metadata, so that `--rule ID=off`, `deploylint rules`, `explain` and SARIF treat them
 * like rules. Their shared docs page is docs/rules/parse-findings.md, one section per id.
 */
import type { RuleCategory, RuleMeta } from '../core/rule-meta';
import type { Severity } from '../core/finding';

interface ParseFindingSpec {
  id: string;
  /** The usual severity; `severities` lists every one the parsers report, when it varies. */
  severity: Severity;
  severities?: Severity[];
  category: RuleCategory;
  description: string;
  fixHint: string;
  targets: string[];
}

/** The metadata of one parse finding; its docs are its section of docs/rules/parse-findings.md. */
function parseFinding(spec: ParseFindingSpec): RuleMeta {
  const { id, severity, severities, category, description, fixHint, targets } = spec;
  return { id, severity, category, description, docs: `docs/rules/parse-findings.md#${id}`, targets, fixable: false, fixHint, ...(severities ? { severities } : {}) };
}

const BOTH = ['uwsgi', 'httpd'];
const INI = ['uwsgi'];
const HTTPD = ['httpd'];

export const PARSE_FINDINGS: RuleMeta[] = [
  parseFinding({ id: 'syntax-error', severity: 'error', severities: ['error', 'warning'], category: 'syntax', targets: BOTH,
    description: 'The file is not valid for the server that reads it: httpd or uWSGI refuses to start (the message is the server\'s own)',
    fixHint: 'Fix the line as the message says; `apache2 -t` or `uwsgi --strict` show the same error.' }),
  parseFinding({ id: 'internal-error', severity: 'error', category: 'syntax', targets: BOTH,
    description: 'deploylint itself failed on this input; the rest of the run went on',
    fixHint: 'Report the input that caused it; meanwhile the other findings stand.' }),
  parseFinding({ id: 'binary-file', severity: 'error', severities: ['error', 'warning'], category: 'syntax', targets: BOTH,
    description: 'A binary file was given where a configuration file was expected',
    fixHint: 'Remove the file from the paths linted, or check that it is the config you meant.' }),
  parseFinding({ id: 'file-unreadable', severity: 'error', category: 'syntax', targets: BOTH,
    description: 'A file given or included cannot be read (missing, a directory, a dangling link, a device)',
    fixHint: 'Fix the path or the permissions.' }),
  parseFinding({ id: 'file-too-large', severity: 'warning', category: 'syntax', targets: BOTH,
    description: 'A file is larger than any server would read as configuration; it was not parsed',
    fixHint: 'Check the path: configuration files are small.' }),
  parseFinding({ id: 'file-owner', severity: 'warning', category: 'security', targets: INI,
    description: 'A file whose ownership the server checks is owned by an unexpected user',
    fixHint: 'Change the owner as the message says.' }),
  parseFinding({ id: 'file-group', severity: 'warning', category: 'security', targets: INI,
    description: 'A file whose group the server checks has an unexpected group',
    fixHint: 'Change the group as the message says.' }),
  parseFinding({ id: 'include-not-found', severity: 'error', severities: ['error', 'warning'], category: 'syntax', targets: BOTH,
    description: 'An Include (Apache) or ini/include (uWSGI) names a file that does not exist',
    fixHint: 'Fix the path, or use IncludeOptional in Apache if the file may be absent.' }),
  parseFinding({ id: 'include-loop', severity: 'error', category: 'syntax', targets: BOTH,
    description: 'Files include each other in a loop',
    fixHint: 'Remove the Include that closes the loop.' }),
  parseFinding({ id: 'include-outside', severity: 'warning', category: 'security', targets: BOTH,
    description: 'An include, a referenced file (`@(file)`, for-readline), a glob or an envvars file leads outside the paths given: deploylint does not read it',
    fixHint: 'Give that directory on the command line too (or --allow-read DIR) if it is part of the deployment.' }),
  parseFinding({ id: 'symlink-outside', severity: 'warning', category: 'security', targets: BOTH,
    description: 'A file given or found is a symbolic link to a file outside the paths given: deploylint does not read it',
    fixHint: 'Give the directory that holds the target too (or --allow-read DIR), or lint the target itself.' }),
  parseFinding({ id: 'probe-outside', severity: 'info', category: 'correctness', targets: INI,
    description: 'A config-time test (uWSGI if-exists, if-file, if-dir) looks at a path outside the paths given: deploylint does not look, and reads the block as if the test held',
    fixHint: 'Give that directory too (or --allow-read DIR) to decide the test.' }),
  parseFinding({ id: 'budget-exceeded', severity: 'warning', category: 'correctness', targets: BOTH,
    description: 'Resolution stopped at a budget (expanded bytes, nodes, includes, macro expansions, loop iterations, glob entries, file size): what follows from that point was not checked',
    fixHint: 'If the config is really that large, raise the budget with --budget NAME=N (docs/security.md); otherwise the config amplifies itself and httpd or uWSGI would exhaust memory too.' }),
  parseFinding({ id: 'include-unsupported', severity: 'warning', severities: ['warning', 'error'], category: 'syntax', targets: INI,
    description: 'An include form deploylint does not read (yaml, json, xml, an URL, a pluggable configurator)',
    fixHint: 'Lint that file on its own if it is an ini file; nothing else is needed.' }),
  parseFinding({ id: 'apache-invalid-command', severity: 'error', category: 'syntax', targets: HTTPD,
    description: 'A directive httpd does not know, or whose module is not loaded: httpd refuses to start',
    fixHint: 'Fix the spelling or load the module that provides it (a2enmod / LoadModule).' }),
  parseFinding({ id: 'apache-directive-context', severity: 'error', category: 'syntax', targets: HTTPD,
    description: 'A directive in a section where httpd does not allow it: httpd refuses to start',
    fixHint: 'Move the directive to a context the message names.' }),
  parseFinding({ id: 'apache-directive-arguments', severity: 'error', category: 'syntax', targets: HTTPD,
    description: 'A directive with arguments httpd rejects (count, form, a worker parameter): httpd refuses to start',
    fixHint: 'Fix the arguments as the message says.' }),
  parseFinding({ id: 'apache-undefined-variable', severity: 'warning', category: 'correctness', targets: HTTPD,
    description: 'A ${VAR} that no Define and no environment sets: httpd warns and uses the text literally',
    fixHint: 'Define the variable, pass it in the environment (Debian: /etc/apache2/envvars), or lint with --envvars FILE or --env NAME=VALUE.' }),
  parseFinding({ id: 'apache-nul-byte', severity: 'warning', category: 'syntax', targets: HTTPD,
    description: 'A NUL byte in a directive line: httpd reads lines as C strings and ignores everything after it',
    fixHint: 'Remove the NUL byte.' }),
  parseFinding({ id: 'apache-unknown-directive', severity: 'warning', category: 'correctness', targets: HTTPD,
    description: 'A directive in no httpd or mod_wsgi directive table, inside an <IfModule> for a module deploylint does not know: it cannot be checked',
    fixHint: 'If the module is loaded, check the directive against its documentation; else this is a typo httpd would refuse.' }),
  parseFinding({ id: 'template-placeholder', severity: 'info', category: 'syntax', targets: HTTPD,
    description: 'The file is a template (jinja, devstack %VAR%, autoconf @@VAR@@): template markup is not checked, and httpd would refuse the file as written',
    fixHint: 'Lint the rendered file for exact results.' }),
  parseFinding({ id: 'apache-module-already-loaded', severity: 'warning', category: 'dead-config', targets: HTTPD,
    description: 'A module loaded twice: httpd skips the second LoadModule',
    fixHint: 'Remove the duplicate LoadModule.' }),
  parseFinding({ id: 'ini-bom', severity: 'warning', category: 'syntax', targets: INI,
    description: 'A UTF-8 byte-order mark at the start of an ini file',
    fixHint: 'Save the file without a BOM.' }),
  parseFinding({ id: 'ini-bom-hides-section', severity: 'error', category: 'correctness', targets: INI,
    description: 'A UTF-8 byte-order mark before the first section header: uWSGI does not see that section, and reads none of its options',
    fixHint: 'Save the file without a BOM.' }),
  parseFinding({ id: 'ini-key-outside-section', severity: 'warning', category: 'dead-config', targets: INI,
    description: 'A key before the first section header: uWSGI ignores it',
    fixHint: 'Move the key under [uwsgi].' }),
  parseFinding({ id: 'ini-lone-cr', severity: 'warning', category: 'syntax', targets: INI,
    description: 'A carriage return that is not part of CRLF: uWSGI splits lines on LF only, so two lines read as one',
    fixHint: 'Use LF or CRLF line endings.' }),
  parseFinding({ id: 'ini-nul-byte', severity: 'warning', category: 'syntax', targets: INI,
    description: 'A NUL byte in an ini file: uWSGI stops reading the line there',
    fixHint: 'Remove the NUL byte.' }),
  parseFinding({ id: 'ini-percent-joins-lines', severity: 'warning', category: 'correctness', targets: INI,
    description: 'A value ending in `%` swallows the newline, so uWSGI joins the next line into it',
    fixHint: 'Write `%%` for a literal percent sign.' }),
  parseFinding({ id: 'ini-percent-non-ascii', severity: 'warning', category: 'correctness', targets: INI,
    description: 'A `%` before a non-ASCII character: uWSGI\'s magic-variable pass eats the first byte of the character',
    fixHint: 'Write `%%` for a literal percent sign.' }),
  parseFinding({ id: 'ini-section-name-spaces', severity: 'warning', category: 'correctness', targets: INI,
    description: 'A section header with spaces inside the brackets (`[ uwsgi ]`): uWSGI does not trim them, so it is another section',
    fixHint: 'Write `[uwsgi]`.' }),
  parseFinding({ id: 'ini-section-not-found', severity: 'warning', category: 'correctness', targets: INI,
    description: 'The section asked for (default [uwsgi]) is not in the file: uWSGI reads no option from it',
    fixHint: 'Add the section, or name the right one with file.ini:section.' }),
  parseFinding({ id: 'placeholder-self-reference', severity: 'error', category: 'correctness', targets: INI,
    description: 'A %(key) placeholder that refers to itself',
    fixHint: 'Define the key from other values.' }),
  parseFinding({ id: 'placeholder-shadows-option', severity: 'error', category: 'correctness', targets: INI,
    description: 'A custom placeholder key that is also a uWSGI option name: it is applied as that option too',
    fixHint: 'Rename the placeholder, or use set-placeholder.' }),
  parseFinding({ id: 'strict-unknown-option', severity: 'error', category: 'correctness', targets: INI,
    description: 'An unknown key in a `strict = true` config: uWSGI refuses to start',
    fixHint: 'Fix the key, or declare custom placeholders with set-placeholder.' }),
  parseFinding({ id: 'uwsgi-invalid-value', severity: 'error', category: 'correctness', targets: INI,
    description: 'A value uWSGI refuses at start-up (e.g. `chmod-socket = 0660`)',
    fixHint: 'Write the value in the form the message gives.' }),
  parseFinding({ id: 'uwsgi-exit', severity: 'warning', category: 'correctness', targets: INI,
    description: 'The config makes uWSGI exit while reading it (an exit option, an empty socket)',
    fixHint: 'Remove or fix the option the message names.' }),
  parseFinding({ id: 'logic-nested', severity: 'error', category: 'correctness', targets: INI,
    description: 'An if-*/for block inside another one: uWSGI does not support nesting and exits',
    fixHint: 'Close the outer block (`endif =` / `endfor =`) before opening the next.' }),
  parseFinding({ id: 'logic-unterminated', severity: 'warning', category: 'correctness', targets: INI,
    description: 'An if-*/for block that is never closed: it also filters every option given after the file on the command line',
    fixHint: 'Close the block with `endif =` or `endfor =`.' }),
  parseFinding({ id: 'logic-too-many', severity: 'warning', category: 'correctness', targets: INI,
    description: 'A `for-times` loop longer than deploylint expands: the options of the later rounds are not checked',
    fixHint: 'Nothing to fix if the count is meant; the rest of the file is checked as usual.' }),
  parseFinding({ id: 'plugin-not-found', severity: 'warning', severities: ['warning', 'error'], category: 'correctness', targets: INI,
    description: 'A plugin the config loads is not among the plugins given as installed: `need-plugin` makes uWSGI exit, `plugins` logs and goes on without it',
    fixHint: 'Install the plugin, or fix its name (`python3`, not `python`, on distro builds).' }),
];
