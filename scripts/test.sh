#!/usr/bin/env bash
# The whole test suite, from a clean clone: setup, type check, the docs and dist checks, then unit
# and end-to-end tests against real servers (the end-to-end tests run the committed bundles).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== type check"
pnpm -s typecheck
echo "== docs match action.yml"
node scripts/docs.mjs --check
echo "== dist matches the sources"
node scripts/check-dist.mjs
echo "== tests"
pnpm -s test:jest --ci "$@"
