#!/usr/bin/env bash
# Installs the system packages that real installs and their tests need: MariaDB (server + client), PHP CLI with the
# extensions web apps expect, Debian's WordPress (source of the 6.1.9 release in the app mirror), unzip, and the
# servers of the "remote website" test fixture (packages/testkit: openssh-server's sshd for SFTP, vsftpd for FTP/FTPS,
# openssl for its FTPS certificate).
#
#   bash scripts/provision/system-deps.sh          # as root with apt: installs only what is missing
#   bash scripts/provision/system-deps.sh --check  # never installs: reports what is missing
#
# Idempotent: when everything is installed it only checks (well under a second) and installs nothing.
# As root with apt-get, missing packages are installed non-interactively; `apt-get update` runs once, and only when
# something is missing. A temporary /usr/sbin/policy-rc.d (exit 101) stops Debian's maintainer scripts from starting
# mariadb, apache2, ssh or vsftpd (this machine has no systemd; the project runs its own private servers, stopped by PID).
# Not root, or no apt-get: prints what is missing and exits non-zero only when a needed binary is absent.
set -euo pipefail

PACKAGES=(mariadb-server mariadb-client php-cli php-mysql php-curl php-mbstring php-xml php-zip php-intl wordpress unzip openssh-server vsftpd openssl)
# Binaries without which nothing real can run (checked on PATH and in the sbin directories, which a non-root PATH
# often lacks). Everything else missing is reported as a warning.
NEEDED_BINARIES=(mariadbd mariadb-install-db mariadb mariadb-dump php unzip sshd vsftpd)
PHP_EXTENSIONS=(mysqli curl mbstring xml zip intl)
WORDPRESS_VERSION_FILE=/usr/share/wordpress/wp-includes/version.php

check_only=0
[ "${1:-}" = "--check" ] && check_only=1

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
log() { echo "system-deps: $*" >&2; }

t_start=$(now)

find_binary() {
  local b=$1 d
  if command -v "$b" >/dev/null 2>&1; then command -v "$b"; return 0; fi
  for d in /usr/sbin /usr/local/sbin /sbin /usr/bin /usr/local/bin; do
    if [ -x "$d/$b" ]; then echo "$d/$b"; return 0; fi
  done
  return 1
}

package_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]
}

missing_packages=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${PACKAGES[@]}"; do package_installed "$p" || missing_packages+=("$p"); done
fi

can_install=0
if [ "$check_only" = 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
  can_install=1
fi

if [ "${#missing_packages[@]}" -gt 0 ] && [ "$can_install" = 1 ]; then
  log "missing packages: ${missing_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  policy=/usr/sbin/policy-rc.d
  policy_backup=""
  if [ -e "$policy" ]; then
    policy_backup=$(mktemp /usr/sbin/policy-rc.d.installgate.XXXXXX)
    cp -p "$policy" "$policy_backup"
  fi
  restore_policy() {
    if [ -n "$policy_backup" ]; then mv -f "$policy_backup" "$policy"; else rm -f "$policy"; fi
  }
  trap restore_policy EXIT
  printf '#!/bin/sh\n# Temporary (Installgate system-deps.sh): start no service while packages install.\nexit 101\n' > "$policy"
  chmod 0755 "$policy"

  t=$(now)
  apt-get update -qq >&2
  log "apt-get update: $(elapsed "$t") s"

  t=$(now)
  apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing_packages[@]}" >&2
  log "apt-get install (${#missing_packages[@]} packages): $(elapsed "$t") s"

  restore_policy
  trap - EXIT
  missing_packages=()
  for p in "${PACKAGES[@]}"; do package_installed "$p" || missing_packages+=("$p"); done
elif [ "${#missing_packages[@]}" -gt 0 ]; then
  if [ "$check_only" = 1 ]; then
    log "missing packages: ${missing_packages[*]}"
  else
    log "missing packages: ${missing_packages[*]} (cannot install: need root and apt-get)"
  fi
  log "to install them: apt-get update && apt-get install -y ${missing_packages[*]}"
fi

# What actually matters at run time: the binaries, PHP's extensions and Debian's WordPress tree.
missing_binaries=()
for b in "${NEEDED_BINARIES[@]}"; do find_binary "$b" >/dev/null || missing_binaries+=("$b"); done
missing_extensions=()
if php_bin=$(find_binary php); then
  loaded=$("$php_bin" -m 2>/dev/null | tr '[:upper:]' '[:lower:]')
  for e in "${PHP_EXTENSIONS[@]}"; do grep -qx "$e" <<<"$loaded" || missing_extensions+=("$e"); done
fi

status=0
if [ "${#missing_binaries[@]}" -gt 0 ]; then
  log "MISSING needed binaries: ${missing_binaries[*]}"
  status=1
fi
if [ "${#missing_extensions[@]}" -gt 0 ]; then
  log "warning: PHP extensions not loaded: ${missing_extensions[*]}"
fi
if [ ! -f "$WORDPRESS_VERSION_FILE" ]; then
  log "warning: Debian's WordPress is not installed ($WORDPRESS_VERSION_FILE): the app mirror cannot build 6.1.9"
fi

if [ "$status" = 0 ]; then
  php_v=$("$(find_binary php)" -r 'echo PHP_VERSION;' 2>/dev/null || echo '?')
  db_v=$("$(find_binary mariadbd)" --version 2>/dev/null | sed -n 's/.*Ver \([^ ]*\).*/\1/p' || echo '?')
  wp_v=$(sed -n "s/^\$wp_version = '\([^']*\)';.*/\1/p" "$WORDPRESS_VERSION_FILE" 2>/dev/null || true)
  log "ok: php ${php_v}, mariadbd ${db_v}, wordpress ${wp_v:-none} (total $(elapsed "$t_start") s)"
else
  log "failed after $(elapsed "$t_start") s"
fi
exit "$status"
