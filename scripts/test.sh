#!/usr/bin/env bash
# The whole test suite: system packages for the oracle tests and the lab, a type-checked build and
# the CLI bundle,
# then every jest test (unit, fixtures, oracles against the real apache2 and uwsgi, CLI, package,
# integrations, lab), and last the README's figures against what this run measured.
# Ends with one plain line `tests: N passed, N failed, N skipped` for tools that read the tail.
# With arguments (`npm test -- test/format`), they go to jest and the run is that one jest run.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh || exit 1
npx tsc -p tsconfig.json || exit 1
# the CLI bundle the tests run (bin/deploylint.js takes it when it is not older than dist/lib)
node scripts/bundle.js || exit 1
reports=()
status=0
run_jest() {
  local report
  report=$(mktemp)
  reports+=("$report")
  npx jest --ci --json --outputFile="$report" "$@"
  local s=$?
  [ $s -ne 0 ] && status=$s
  return 0
}
if [ $# -gt 0 ]; then
  run_jest "$@"
else
  # The oracles and the lab record the figures the README quotes (test/integrations/figures.ts);
  # the README test reads them after this run has written them, never beside it.
  rm -rf dist/test-figures
  run_jest --testPathIgnorePatterns '/node_modules/' '/test/integrations/readme-figures\.test\.ts$'
  run_jest test/integrations/readme-figures.test.ts
fi
node -e '
  let passed = 0, failed = 0, skipped = 0;
  for (const file of process.argv.slice(1)) {
    const r = JSON.parse(require("fs").readFileSync(file, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "${reports[@]}" 2>/dev/null || echo "tests: no report (jest exited with status $status)"
rm -f "${reports[@]}"
exit $status
