#!/usr/bin/env bash
# The whole test suite: system packages for the oracle tests and the lab, a type-checked build,
# then every jest test (unit, fixtures, oracles against the real apache2 and uwsgi, CLI, lab).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
npx tsc -p tsconfig.json
npx jest --ci "$@"
