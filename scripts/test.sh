#!/usr/bin/env bash
# The README's test command (and CI's): set up, type-check and build every package, run every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
# MariaDB, PHP and Debian's WordPress for the tests that install real applications (idempotent, ~0.4 s when present).
bash scripts/provision/system-deps.sh >&2
mkdir -p .tmp
report=.tmp/jest-report.json
set +e
pnpm exec jest --ci --json --outputFile="$report" "$@"
rc=$?
set -e
# Print the plain closing line ("N passed, N failed, N skipped") that tools read in any language.
node -e '
const r = require(require("path").resolve(process.argv[1]));
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$report" || true
exit $rc
