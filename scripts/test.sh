#!/usr/bin/env bash
# The whole test suite, from a clean clone: setup, format and lint checks, type check, the docs and dist checks, then unit
# and end-to-end tests against real servers (the end-to-end tests run the committed bundles).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== format (Prettier) and lint (typescript-eslint)"
pnpm -s format:check
pnpm -s lint
echo "== type check"
pnpm -s typecheck
echo "== docs match action.yml"
node scripts/docs.mjs --check
echo "== dist matches the sources"
node scripts/check-dist.mjs
echo "== tests"
mkdir -p .tmp
status=0
pnpm -s test:jest --ci --json --outputFile=.tmp/jest-results.json "$@" || status=$?
# One plain closing line with the counts, after everything Jest printed.
node -e '
  const r = require("./.tmp/jest-results.json");
  const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
  console.log(`\ntests: ${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit "$status"
