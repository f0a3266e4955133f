#!/usr/bin/env bash
# The whole test suite, from a clean clone: setup, type check, unit + end-to-end tests against the
# real servers, workflow validation, and the check that dist/ matches the sources.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== type check"
pnpm -s typecheck
echo "== tests (unit and end-to-end on the committed bundles)"
pnpm -s test:jest --ci "$@"
echo "== dist"
node scripts/check-dist.mjs
