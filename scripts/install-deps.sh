#!/usr/bin/env bash
# Installs what genoshare needs on Debian 12, idempotently: only packages that are
# missing are installed, and npm runs only when tests/browser/node_modules is stale.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential pkg-config clang libclang-rt-14-dev
  curl libsqlite3-dev sqlite3 libmicrohttpd-dev libjansson-dev libsodium-dev
  libcurl4-gnutls-dev libgnutls28-dev librhonabwy-dev zlib1g-dev libhts-dev
  bcftools tabix chromium fonts-ipafont-gothic ca-certificates
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node may come from Debian or from another packaging of it (which bundles npm):
# ask for the commands, not for package names.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Browser tests drive Debian's Chromium with playwright-core (never a downloaded browser).
if [ ! -f tests/browser/node_modules/.installed ] ||
   [ tests/browser/package-lock.json -nt tests/browser/node_modules/.installed ]; then
  echo "install-deps: npm ci in tests/browser"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
fi
