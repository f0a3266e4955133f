#!/usr/bin/env bash
# The README's first command: sets the machine up (Debian packages, pnpm, node modules) and runs
# the local end-to-end demo. Arguments go to scripts/demo.mjs (--bad, --bad=errors).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node scripts/demo.mjs "$@"
