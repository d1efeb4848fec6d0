#!/usr/bin/env bash
# Builds the Temporal CLI (dev server + UI) once per version into a cache outside the clone and prints its path.
# Later tags carry a replace directive and cannot be go-installed, so the version is pinned.
set -euo pipefail
version="${TEMPORAL_CLI_VERSION:-1.5.1}"
cache="${QBO_SYNC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/qbo-sync}/temporal-cli-$version"
bin="$cache/temporal"
if [ ! -x "$bin" ]; then
  mkdir -p "$cache"
  echo "building temporal CLI $version into $cache (first run only, several minutes)" >&2
  GOBIN="$cache" go install \
    -ldflags "-s -w -X github.com/temporalio/cli/temporalcli.Version=$version" \
    "github.com/temporalio/cli/cmd/temporal@v$version" >&2
fi
echo "$bin"
