#!/usr/bin/env bash
# The README's start command: set up everything on a fresh machine, then run the server in the foreground.
# Honours INSTALLGATE_HOME, INSTALLGATE_PORT, INSTALLGATE_HOST, INSTALLGATE_API_KEY, INSTALLGATE_DB_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec node packages/server/dist/start.js
