#!/usr/bin/env bash
# Installs what the project needs to build and run on a fresh Debian machine with Node 20:
# pnpm (from the npm registry) and the workspace dependencies. Idempotent and quiet when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

# node-gyp must build native modules (sqlite3) against the local Node headers: no download is possible here.
export npm_config_nodedir="${npm_config_nodedir:-/usr}"

if ! command -v pnpm >/dev/null 2>&1; then
  echo "bootstrap: installing pnpm" >&2
  npm install -g pnpm@12.21.0 >/dev/null 2>&1 || npm install -g pnpm@12.21.0
fi

# Reinstall only when the lockfile changed since the last install (a warm install costs ~1 s anyway).
stamp=node_modules/.installgate-lock.sha
want="$(sha256sum pnpm-lock.yaml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "bootstrap: installing dependencies (first run compiles sqlite3, about 2 minutes)" >&2
  CI=true pnpm install --frozen-lockfile --reporter=append-only >&2
  echo "$want" > "$stamp"
fi

echo "bootstrap: building" >&2
pnpm exec tsc -b >&2
