#!/usr/bin/env bash
# Fetch GitHub's official example payloads (pinned npm packages) into a git-ignored cache.
# Tests that replay real webhook deliveries and API responses read them from here.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=.cache/octokit
mkdir -p "$CACHE"
fetch() {  # package version folder
  local package=$1 version=$2 folder=$3
  if [ -f "$CACHE/$folder/.version" ] && [ "$(cat "$CACHE/$folder/.version")" = "$version" ]; then
    return
  fi
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$package@$version" >/dev/null 2>&1)
  rm -rf "${CACHE:?}/$folder"; mkdir -p "$CACHE/$folder"
  tar -xzf "$tmp"/*.tgz -C "$CACHE/$folder" --strip-components=1
  echo "$version" > "$CACHE/$folder/.version"
  rm -rf "$tmp"
}
fetch @octokit/webhooks-examples 7.6.1 webhooks-examples
fetch @octokit/openapi 23.0.2 openapi
