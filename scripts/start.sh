#!/usr/bin/env bash
# The README's start command: set up everything on a fresh machine, then run the server in the foreground.
# Honours INSTALLGATE_HOME, INSTALLGATE_PORT, INSTALLGATE_HOST, INSTALLGATE_API_KEY, INSTALLGATE_DB_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
# MariaDB, PHP and Debian's WordPress when root and apt are available (idempotent; about 0.4 s when present). Without
# them the server still starts; installs then say what is missing.
bash scripts/provision/system-deps.sh >&2 || echo "start: system packages are incomplete (see above); installs may fail" >&2
# The application mirror (WordPress 6.1.9 … 6.5.5 and the test applications), built once, offline afterwards.
if [ -z "${INSTALLGATE_MIRROR_DIR:-}" ]; then
  bash scripts/provision/build-app-mirror.sh .cache/app-mirror >&2 || echo "start: the application mirror could not be built; /browser will be empty" >&2
fi
# glibc gives every thread that allocates (zlib and fs run on libuv's thread pool) its own malloc arena and keeps
# freed memory there: without a cap, an install's release extraction left ~55 MiB resident for good (136 MiB before
# a backup instead of 80; bench/src/backup-restore.bench.ts). Two arenas return it. The operator's value wins.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec node packages/server/dist/start.js
