#!/usr/bin/env bash
# Install Debian's redis-server: the tests and bench_jobs start their own on a free
# loopback port (never a system-wide one). Needs root (or sudo) and apt.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "The Redis broker tests need redis-server: run 'apt-get install redis-server' as root."; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
echo "Installed $(/usr/bin/redis-server --version)"
