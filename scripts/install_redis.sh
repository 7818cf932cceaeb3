#!/usr/bin/env bash
# Install Debian's redis-server: the tests and bench_jobs start their own on a free
# loopback port (never a system-wide one). Runs apt-get as root, or through sudo when it
# needs no password; otherwise it says what to run and fails (the Redis tests need it).
set -euo pipefail
if command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; then exit 0; fi
HINT="The Redis broker's tests and bench_jobs need Debian's redis-server: run 'apt-get install redis-server' as root, then make test again."
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No apt-get here. $HINT (or put any redis-server 6+ on PATH)" >&2; exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "$HINT" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
echo "Installed $(/usr/bin/redis-server --version)"
