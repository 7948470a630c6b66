#!/usr/bin/env bash
# Set up everything coursebook needs on a fresh Debian machine, idempotently:
# Debian packages (fonts, poppler; chromium and LibreOffice Impress for tests), a virtualenv with the pinned
# Python packages, and the pinned npm packages (reveal.js, iframe-worker).
# Usage: bash scripts/setup.sh          # what a build needs
#        bash scripts/setup.sh --test   # plus what the test suite needs
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

debs=(fonts-noto-core fonts-noto-cjk fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0
      libharfbuzz-subset0 poppler-utils nodejs npm python3-venv)
[ "$with_tests" = 1 ] && debs+=(chromium libreoffice-impress strace)  # Impress opens every PPTX; strace watches what a build reads

missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# A Node.js that did not come from Debian (e.g. nodesource) also serves.
if command -v node >/dev/null && command -v npm >/dev/null; then
  kept=(); for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || kept+=("$p"); done
  missing=("${kept[@]+"${kept[@]}"}")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . --config-settings editable_mode=compat

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: ready (.venv, node_modules)"
