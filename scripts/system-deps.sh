#!/usr/bin/env bash
# Install the Debian packages Signalboost needs that are not on the machine yet.
#   scripts/system-deps.sh demo   -> what `make demo` needs (WeasyPrint's libraries, fonts)
#   scripts/system-deps.sh test   -> plus Chromium (browser tests), a Java runtime (Spark), poppler (PDF checks),
#                                    Node.js + PostgreSQL and the npm packages of the local Bluesky network
# It installs nothing that is already there, so a second run costs a second.
set -euo pipefail
want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig fonts-dejavu-core)
if [[ "${1:-demo}" == "test" ]]; then
  want+=(chromium poppler-utils)
  command -v java >/dev/null 2>&1 || want+=(default-jre-headless)
  # the local Bluesky network of the connect tests: Node.js (>= 18) + npm for @atproto/dev-env, PostgreSQL 15
  # for its AppView (a throw-away cluster per test session; the Debian service itself is never used)
  command -v node >/dev/null 2>&1 || want+=(nodejs)
  command -v npm >/dev/null 2>&1 || want+=(npm)
  want+=(postgresql)
fi
missing=()
for p in "${want[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "Signalboost needs these Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [[ "${1:-demo}" == "test" ]]; then
  # @atproto/dev-env (PDS, AppView, PLC) from the lock file, once per change of the lock file
  devnet="$(cd "$(dirname "$0")/.." && pwd)/tests/connect/devnet"
  stamp="$devnet/node_modules/.signalboost-installed"
  if [[ ! -f "$stamp" || "$devnet/package-lock.json" -nt "$stamp" ]]; then
    echo "Installing the local Bluesky network's npm packages (tests/connect/devnet)"
    npm ci --prefix "$devnet" --no-audit --no-fund --loglevel=error >/dev/null
    touch "$stamp"
  fi
fi
