#!/usr/bin/env bash
# A private MariaDB server under a directory, without systemd: on 127.0.0.1 only, stopped by PID.
#
#   scripts/provision/mariadb.sh start  DIR [PORT]  # idempotent; PORT: the one given, else DIR/port if still free, else a free one
#   scripts/provision/mariadb.sh stop   DIR         # SIGTERM by PID, SIGKILL after 30 s
#   scripts/provision/mariadb.sh status DIR         # exit 0 when running, 3 when not
#   scripts/provision/mariadb.sh url    DIR         # prints mysql://root:PASSWORD@127.0.0.1:PORT (for INSTALLGATE_DB_URL)
#
# Files under DIR: data/ (the datadir, created once by mariadb-install-db and reused), mariadb.log, port, pid,
# socket (path of the unix socket), root.cnf (mode 0600: a [client] defaults file with root's random password,
# usable as `mariadb --defaults-file=DIR/root.cnf`). The password never appears in a process's argv.
# Same behaviour as startMariaDb() in packages/testkit.
set -euo pipefail

usage() { echo "usage: $0 start|stop|status|url DIR [PORT]" >&2; exit 2; }
log() { echo "mariadb.sh: $*" >&2; }
die() { log "$*"; exit 1; }

[ $# -ge 2 ] || usage
cmd=$1
mkdir -p "$2"
DIR=$(cd "$2" && pwd)
PORT_ARG=${3:-}

DATA=$DIR/data
LOG=$DIR/mariadb.log
PID_FILE=$DIR/pid
PORT_FILE=$DIR/port
CNF=$DIR/root.cnf
START_TIMEOUT=${MARIADB_START_TIMEOUT:-30}
STOP_TIMEOUT=${MARIADB_STOP_TIMEOUT:-30}

find_binary() {
  local b d
  for b in "$@"; do
    if command -v "$b" >/dev/null 2>&1; then command -v "$b"; return 0; fi
    for d in /usr/sbin /usr/local/sbin /usr/bin /usr/local/bin; do
      [ -x "$d/$b" ] && { echo "$d/$b"; return 0; }
    done
  done
  return 1
}

binaries() {
  INSTALL_DB=$(find_binary mariadb-install-db mysql_install_db) || missing=1
  MARIADBD=$(find_binary mariadbd mysqld) || missing=1
  CLIENT=$(find_binary mariadb mysql) || missing=1
  if [ "${missing:-0}" = 1 ]; then
    die "MariaDB binaries not found (mariadb-install-db, mariadbd, mariadb): run scripts/provision/system-deps.sh as root"
  fi
}

# The unix socket path must stay under the kernel's 108-byte limit: fall back to /tmp for deep directories.
socket_path() {
  local s=$DIR/mariadb.sock
  if [ ${#s} -gt 100 ]; then s=/tmp/installgate-mariadb-$(printf '%s' "$DIR" | sha256sum | cut -c1-16).sock; fi
  echo "$s"
}

# Alive and not a zombie (an orphaned server that exited stays a zombie until PID 1 reaps it, which can take seconds).
alive() {
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

running_pid() {
  local pid
  [ -f "$PID_FILE" ] || return 1
  pid=$(tr -dc '0-9' < "$PID_FILE")
  [ -n "$pid" ] && alive "$pid" || return 1
  # Guard against a recycled PID: it must be a MariaDB server.
  case "$(cat "/proc/$pid/comm" 2>/dev/null)" in mariadbd|mysqld) echo "$pid";; *) return 1;; esac
}

port_is_free() {
  node -e '
    const s = require("net").createServer();
    s.once("error", () => process.exit(1));
    s.listen(Number(process.argv[1]), "127.0.0.1", () => s.close(() => process.exit(0)));
  ' "$1"
}

free_port() {
  node -e '
    const s = require("net").createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => console.log(p)); });
  '
}

random_password() {
  # 32 characters [A-Za-z0-9]: no quoting needed in a defaults file or a URL.
  local pw=""
  while [ ${#pw} -lt 32 ]; do pw+=$(head -c 64 /dev/urandom | tr -dc 'A-Za-z0-9'); done
  echo "${pw:0:32}"
}

read_password() { sed -n 's/^password=//p' "$CNF" | head -n1; }

# Writes a [client] defaults file (mode 0600 from the start).
write_cnf() { # file password port socket
  ( umask 077
    printf '[client]\nuser=root\npassword=%s\nhost=127.0.0.1\nport=%s\nsocket=%s\ndefault-character-set=utf8mb4\n' \
      "$2" "$3" "$4" > "$1" )
}

cmd_start() {
  local pid port sock t0 deadline pw boot
  binaries
  t0=$(date +%s%N)
  if pid=$(running_pid); then
    log "already running: pid $pid on 127.0.0.1:$(cat "$PORT_FILE")"
    return 0
  fi
  rm -f "$PID_FILE"

  if [ ! -d "$DATA/mysql" ]; then
    if [ -f "$CNF" ]; then rm -f "$CNF"; fi   # a new datadir has no password yet
    "$INSTALL_DB" --no-defaults --datadir="$DATA" --user=root --auth-root-authentication-method=normal \
      --skip-test-db > "$DIR/install-db.log" 2>&1 || { tail -n 20 "$DIR/install-db.log" >&2; die "mariadb-install-db failed"; }
  elif [ ! -f "$CNF" ]; then
    die "$DATA exists but $CNF (root's password) is missing: remove $DATA to start over"
  fi

  if [ -n "$PORT_ARG" ]; then
    port=$PORT_ARG
  elif [ -f "$PORT_FILE" ] && port=$(tr -dc '0-9' < "$PORT_FILE") && [ -n "$port" ] && port_is_free "$port"; then
    :
  else
    port=$(free_port)
  fi
  sock=$(socket_path)
  rm -f "$sock"

  # exec: the background job's PID ($!) is the server's own PID.
  (exec "$MARIADBD" --no-defaults --datadir="$DATA" --socket="$sock" --port="$port" --bind-address=127.0.0.1 \
      --user=root --pid-file="$PID_FILE" --skip-log-bin --character-set-server=utf8mb4 \
      --collation-server=utf8mb4_unicode_ci < /dev/null >> "$LOG" 2>&1) &
  pid=$!
  echo "$pid" > "$PID_FILE"
  echo "$port" > "$PORT_FILE"
  echo "$sock" > "$DIR/socket"

  # Bootstrap over the socket: before the first ALTER USER root has no password; afterwards root.cnf holds it.
  boot=$DIR/.bootstrap.cnf
  if [ -f "$CNF" ]; then pw=$(read_password); else pw=""; fi
  ( umask 077; printf '[client]\nuser=root\npassword=%s\nsocket=%s\nprotocol=socket\n' "$pw" "$sock" > "$boot" )

  deadline=$(( $(date +%s) + START_TIMEOUT ))
  until "$CLIENT" --defaults-file="$boot" -e 'SELECT 1' >/dev/null 2>&1; do
    if ! alive "$pid"; then
      rm -f "$boot" "$PID_FILE"
      tail -n 20 "$LOG" >&2
      die "mariadbd exited during start (log: $LOG)"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      kill -KILL "$pid" 2>/dev/null || true
      rm -f "$boot" "$PID_FILE"
      tail -n 20 "$LOG" >&2
      die "mariadbd did not accept connections within ${START_TIMEOUT} s (log: $LOG)"
    fi
    sleep 0.1
  done

  if [ ! -f "$CNF" ]; then
    pw=$(random_password)
    write_cnf "$CNF.tmp" "$pw" "$port" "$sock"
    # mariadb-install-db also creates password-less root@127.0.0.1, root@::1 and root@HOSTNAME (and, on some
    # versions, anonymous users): keep root@localhost and root@127.0.0.1 only, both with the new password.
    # The statements go through stdin: the password is never in argv.
    { "$CLIENT" --defaults-file="$boot" -N -B -e "SELECT CONCAT('DROP USER ', QUOTE(User), '@', QUOTE(Host), ';')
        FROM mysql.user WHERE User = '' OR (User = 'root' AND Host NOT IN ('localhost', '127.0.0.1'))"
      printf "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';\nGRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;\n"
      printf "ALTER USER 'root'@'localhost' IDENTIFIED BY '%s';\nALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '%s';\n" "$pw" "$pw"
    } | "$CLIENT" --defaults-file="$boot" || { rm -f "$boot" "$CNF.tmp"; die "could not set root's password"; }
    mv "$CNF.tmp" "$CNF"
  else
    write_cnf "$CNF" "$(read_password)" "$port" "$sock"   # the port may have changed
  fi
  rm -f "$boot"
  "$CLIENT" --defaults-file="$CNF" -e 'SELECT 1' >/dev/null || die "cannot connect over TCP with $CNF"
  log "running: pid $pid on 127.0.0.1:$port (credentials in $CNF) in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
}

cmd_stop() {
  local pid deadline
  if ! pid=$(running_pid); then
    log "not running"
    rm -f "$PID_FILE"
    return 0
  fi
  kill -TERM "$pid"
  deadline=$(( $(date +%s) + STOP_TIMEOUT ))
  while alive "$pid"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "pid $pid still running after ${STOP_TIMEOUT} s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.1
  done
  rm -f "$PID_FILE"
  log "stopped pid $pid"
}

cmd_status() {
  local pid
  if pid=$(running_pid); then
    log "running: pid $pid on 127.0.0.1:$(cat "$PORT_FILE")"
    return 0
  fi
  log "not running"
  return 3
}

cmd_url() {
  [ -f "$CNF" ] && [ -f "$PORT_FILE" ] || die "no server set up in $DIR (run: $0 start $DIR)"
  echo "mysql://root:$(read_password)@127.0.0.1:$(cat "$PORT_FILE")"
}

case "$cmd" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  url) cmd_url ;;
  *) usage ;;
esac
