/**
 * Findings that the parsers, the resolvers and the engine report themselves (not rules over the
 * model): their metadata, so that `--rule ID=off`, `deploylint rules`, `explain` and SARIF treat them
 * like rules. Their shared docs page is docs/rules/parse-findings.md, one section per id.
 */
import type { RuleCategory, RuleMeta } from '../engine/types';
import type { Severity } from '../core/finding';

function parseFinding(id: string, severity: Severity, category: RuleCategory, description: string, fixHint: string, targets: string[]): RuleMeta {
  return { id, severity, category, description, docs: `docs/rules/parse-findings.md#${id}`, targets, fixable: false, fixHint };
}

const BOTH = ['uwsgi', 'httpd'];
const INI = ['uwsgi'];
const HTTPD = ['httpd'];

export const PARSE_FINDINGS: RuleMeta[] = [
  parseFinding('syntax-error', 'error', 'syntax', 'The file is not valid for the server that reads it: httpd or uWSGI refuses to start (the message is the server\'s own)', 'Fix the line as the message says; `apache2 -t` or `uwsgi --strict` show the same error.', BOTH),
  parseFinding('internal-error', 'error', 'syntax', 'deploylint itself failed on this input; the rest of the run went on', 'Report the input that caused it; meanwhile the other findings stand.', BOTH),
  parseFinding('binary-file', 'error', 'syntax', 'A binary file was given where a configuration file was expected', 'Remove the file from the paths linted, or check that it is the config you meant.', BOTH),
  parseFinding('file-unreadable', 'error', 'syntax', 'A file given or included cannot be read (missing, a directory, a dangling link, a device)', 'Fix the path or the permissions.', BOTH),
  parseFinding('file-too-large', 'error', 'syntax', 'A file is larger than any server would read as configuration; it was not parsed', 'Check the path: configuration files are small.', BOTH),
  parseFinding('file-owner', 'warning', 'security', 'A file whose ownership the server checks is owned by an unexpected user', 'Change the owner as the message says.', INI),
  parseFinding('file-group', 'warning', 'security', 'A file whose group the server checks has an unexpected group', 'Change the group as the message says.', INI),
  parseFinding('include-not-found', 'error', 'syntax', 'An Include (Apache) or ini/include (uWSGI) names a file that does not exist', 'Fix the path, or use IncludeOptional in Apache if the file may be absent.', BOTH),
  parseFinding('include-loop', 'error', 'syntax', 'Files include each other in a loop', 'Remove the Include that closes the loop.', BOTH),
  parseFinding('include-outside', 'warning', 'security', 'An include, a referenced file (`@(file)`, for-readline), a glob or an envvars file leads outside the paths given: deploylint does not read it', 'Give that directory on the command line too (or --allow-read DIR) if it is part of the deployment.', BOTH),
  parseFinding('symlink-outside', 'warning', 'security', 'A file given or found is a symbolic link to a file outside the paths given: deploylint does not read it', 'Give the directory that holds the target too (or --allow-read DIR), or lint the target itself.', BOTH),
  parseFinding('probe-outside', 'info', 'correctness', 'A config-time test (uWSGI if-exists, if-file, if-dir) looks at a path outside the paths given: deploylint does not look, and reads the block as if the test held', 'Give that directory too (or --allow-read DIR) to decide the test.', INI),
  parseFinding('budget-exceeded', 'warning', 'correctness', 'Resolution stopped at a budget (expanded bytes, nodes, includes, macro expansions, loop iterations, glob entries, file size): what follows from that point was not checked', 'If the config is really that large, raise the budget with --budget NAME=N (docs/security.md); otherwise the config amplifies itself and httpd or uWSGI would exhaust memory too.', BOTH),
  parseFinding('include-unsupported', 'info', 'syntax', 'An include form deploylint does not read (yaml, json, xml, an URL, a pluggable configurator)', 'Lint that file on its own if it is an ini file; nothing else is needed.', INI),
  parseFinding('apache-invalid-command', 'error', 'syntax', 'A directive httpd does not know, or whose module is not loaded: httpd refuses to start', 'Fix the spelling or load the module that provides it (a2enmod / LoadModule).', HTTPD),
  parseFinding('apache-directive-context', 'error', 'syntax', 'A directive in a section where httpd does not allow it: httpd refuses to start', 'Move the directive to a context the message names.', HTTPD),
  parseFinding('apache-directive-arguments', 'error', 'syntax', 'A directive with arguments httpd rejects (count, form, a worker parameter): httpd refuses to start', 'Fix the arguments as the message says.', HTTPD),
  parseFinding('apache-undefined-variable', 'warning', 'correctness', 'A ${VAR} that no Define and no environment sets: httpd warns and uses the text literally', 'Define the variable, pass it in the environment (Debian: /etc/apache2/envvars), or lint with --envvars FILE or --env NAME=VALUE.', HTTPD),
  parseFinding('apache-nul-byte', 'warning', 'syntax', 'A NUL byte in a directive line: httpd reads lines as C strings and ignores everything after it', 'Remove the NUL byte.', HTTPD),
  parseFinding('apache-unknown-directive', 'warning', 'correctness', 'A directive in no httpd or mod_wsgi directive table, inside an <IfModule> for a module deploylint does not know: it cannot be checked', 'If the module is loaded, check the directive against its documentation; else this is a typo httpd would refuse.', HTTPD),
  parseFinding('template-placeholder', 'info', 'syntax', 'The file is a template (jinja, devstack %VAR%, autoconf @@VAR@@): template markup is not checked, and httpd would refuse the file as written', 'Lint the rendered file for exact results.', HTTPD),
  parseFinding('apache-module-already-loaded', 'warning', 'dead-config', 'A module loaded twice: httpd skips the second LoadModule', 'Remove the duplicate LoadModule.', HTTPD),
  parseFinding('ini-bom', 'info', 'syntax', 'A UTF-8 byte-order mark at the start of an ini file', 'Save the file without a BOM.', INI),
  parseFinding('ini-bom-hides-section', 'error', 'correctness', 'A UTF-8 byte-order mark before the first section header: uWSGI does not see that section, and reads none of its options', 'Save the file without a BOM.', INI),
  parseFinding('ini-key-outside-section', 'warning', 'dead-config', 'A key before the first section header: uWSGI ignores it', 'Move the key under [uwsgi].', INI),
  parseFinding('ini-lone-cr', 'warning', 'syntax', 'A carriage return that is not part of CRLF: uWSGI splits lines on LF only, so two lines read as one', 'Use LF or CRLF line endings.', INI),
  parseFinding('ini-nul-byte', 'error', 'syntax', 'A NUL byte in an ini file: uWSGI stops reading the line there', 'Remove the NUL byte.', INI),
  parseFinding('ini-percent-joins-lines', 'error', 'correctness', 'A value ending in `%` swallows the newline, so uWSGI joins the next line into it', 'Write `%%` for a literal percent sign.', INI),
  parseFinding('ini-percent-non-ascii', 'warning', 'correctness', 'A `%` before a non-ASCII character: uWSGI\'s magic-variable pass eats the first byte of the character', 'Write `%%` for a literal percent sign.', INI),
  parseFinding('ini-section-name-spaces', 'warning', 'correctness', 'A section header with spaces inside the brackets (`[ uwsgi ]`): uWSGI does not trim them, so it is another section', 'Write `[uwsgi]`.', INI),
  parseFinding('ini-section-not-found', 'error', 'correctness', 'The section asked for (default [uwsgi]) is not in the file: uWSGI reads no option from it', 'Add the section, or name the right one with file.ini:section.', INI),
  parseFinding('placeholder-self-reference', 'error', 'correctness', 'A %(key) placeholder that refers to itself', 'Define the key from other values.', INI),
  parseFinding('placeholder-shadows-option', 'warning', 'correctness', 'A custom placeholder key that is also a uWSGI option name: it is applied as that option too', 'Rename the placeholder, or use set-placeholder.', INI),
  parseFinding('strict-unknown-option', 'error', 'correctness', 'An unknown key in a `strict = true` config: uWSGI refuses to start', 'Fix the key, or declare custom placeholders with set-placeholder.', INI),
  parseFinding('uwsgi-invalid-value', 'error', 'correctness', 'A value uWSGI refuses at start-up (e.g. `chmod-socket = 0660`)', 'Write the value in the form the message gives.', INI),
  parseFinding('uwsgi-exit', 'error', 'correctness', 'The config makes uWSGI exit while reading it (an exit option, an empty socket)', 'Remove or fix the option the message names.', INI),
];
