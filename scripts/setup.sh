#!/usr/bin/env bash
# Makes a fresh Debian machine ready: the real servers the tests and demo run (from Debian's
# packages), pnpm, and the workspace's node modules. Idempotent and quick when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A providers=(
  [/usr/lib/postgresql/15/bin/postgres]=postgresql
  [/usr/bin/docker-registry]=docker-registry
  [/usr/bin/buildah]=buildah
  [/usr/sbin/haproxy]=haproxy
  [/usr/sbin/nginx]=nginx-light
  [/usr/bin/prometheus]=prometheus
  [/usr/bin/busybox]=busybox-static
  [/usr/bin/htpasswd]=apache2-utils
  [/usr/bin/openssl]=openssl
  [/usr/bin/shellcheck]=shellcheck
)
missing=()
for path in "${!providers[@]}"; do
  # Any installed PostgreSQL major will do.
  if [[ $path == */postgresql/* ]] && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then continue; fi
  [[ -x $path ]] || missing+=("${providers[$path]}")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  # policy-rc.d keeps the packages' own services from starting: the project starts its own on free ports.
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null && $sudo chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  $sudo rm -f /usr/sbin/policy-rc.d
fi

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null || [[ $(pnpm --version) != "$pnpm_version" ]]; then
  echo "setup: installing pnpm $pnpm_version"
  npm install -g --silent "pnpm@$pnpm_version" >/dev/null
fi
pnpm install --frozen-lockfile --reporter=silent
