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
# glibc's malloc tuned for a streaming server (the operator's values win):
# - every thread that allocates (zlib and fs run on libuv's thread pool) gets its own arena, which keeps freed memory:
#   without a cap an install's release extraction left ~55 MiB resident for good; two arenas hand it back;
# - glibc raises its mmap threshold to the largest block freed so far, after which the 1 MiB stream buffers come from
#   the heap and leave holes it cannot return; a fixed 128 KiB threshold keeps them mmapped, freed to the system
#   at once (a 300 MiB site: 153 → 128 MiB resident after a backup; bench/src/backup-restore.bench.ts).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
exec node packages/server/dist/start.js
