#!/usr/bin/env bash
# The whole test suite: system packages for the oracle tests and the lab, a type-checked build,
# then every jest test (unit, fixtures, oracles against the real apache2 and uwsgi, CLI, lab).
# Ends with one plain line `tests: N passed, N failed, N skipped` for tools that read the tail.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh || exit 1
npx tsc -p tsconfig.json || exit 1
report=$(mktemp)
npx jest --ci --json --outputFile="$report" "$@"
status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$report" 2>/dev/null || echo "tests: no report (jest exited with status $status)"
rm -f "$report"
exit $status
