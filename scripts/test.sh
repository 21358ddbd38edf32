#!/usr/bin/env bash
# Runs every test of gongkai. Installs (and caches) what the tests need: the
# pinned MinIO server, Chromium and axe-core. Tests start and stop their own
# servers and browsers on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

export GONGKAI_CACHE="${GONGKAI_CACHE:-$HOME/.cache/gongkai}"
GONGKAI_MINIO_BIN="$(./scripts/minio.sh)"
export GONGKAI_MINIO_BIN
{ read -r GONGKAI_CHROMIUM; read -r GONGKAI_AXE; } < <(./scripts/browser.sh)
export GONGKAI_CHROMIUM GONGKAI_AXE
export GONGKAI_ARTIFACTS="${GONGKAI_ARTIFACTS:-$PWD/artifacts}"

echo "== go vet"
go vet ./...
unformatted="$(gofmt -l $(git ls-files '*.go'))"
if [ -n "$unformatted" ]; then
  echo "gofmt needed:"; echo "$unformatted"; exit 1
fi

echo "== go test -race"
go test -race -count=1 -timeout 45m ./...
