#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests. Needs root (or sudo) and apt.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "Browser tests need Chromium: run 'apt-get install chromium' as root (they are skipped until then)."; exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No apt-get here: install Chromium at /usr/bin/chromium or set CHROMIUM_PATH (browser tests are skipped until then)."
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "Installed $(/usr/bin/chromium --version)"
