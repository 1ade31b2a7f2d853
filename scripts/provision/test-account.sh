#!/usr/bin/env bash
# Creates (once) the unprivileged unix account that owns the "remote website" test fixtures of packages/testkit
# (startSshd, startVsftpd, startRemoteWebsite): SFTP/FTP logins, and the `php -S` serving the site, all run as it.
#
#   bash scripts/provision/test-account.sh        # as root; prints "NAME UID GID HOME PASSWORD_FILE"
#
# Testkit runs it on demand (no need to run it by hand). Idempotent and safe to run concurrently (jest workers start
# fixtures in parallel): everything happens under flock on /var/lib/installgate-test/NAME.lock, a kernel lock that
# is released when the holder dies, so there is no stale lock to clean.
#
# Why ONE shared account and not one per fixture: fixtures then need no userdel (an account per fixture would leak into
# /etc/passwd whenever a test process is killed), the uid is stable, and two fixtures never interfere anyway (each has
# its own temp folders and ports). The password is generated once and kept in a root-only file
# (/var/lib/installgate-test/NAME.password, 0600, folder 0700); it is set with chpasswd only when the account's
# shadow hash differs from the one recorded after the last chpasswd (new account, or someone changed it).
# It ends in "@%/#" on purpose: URIs built from it must percent-encode, as real passwords often require.
#
# The shell is /bin/bash: Debian's /etc/pam.d/vsftpd has pam_shells (a shell missing from /etc/shells, such as
# /usr/sbin/nologin, is refused), and sshd needs a real shell for exec channels.
# To reset: userdel -r igweb; rm -rf /var/lib/installgate-test
set -euo pipefail
umask 077

name=${INSTALLGATE_TEST_ACCOUNT:-igweb}
state=/var/lib/installgate-test
shell=/bin/bash

if [ "$(id -u)" != 0 ]; then
  echo "test-account.sh: must run as root (creates the unix account $name)" >&2
  exit 1
fi
for b in useradd usermod chpasswd getent flock; do
  command -v "$b" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
  command -v "$b" >/dev/null 2>&1 || { echo "test-account.sh: $b is missing" >&2; exit 1; }
done

install -d -m 0700 -o root -g root "$state"
exec 9>"$state/$name.lock"
flock -w 60 9 || { echo "test-account.sh: could not lock $state/$name.lock within 60 s" >&2; exit 1; }

if ! getent passwd "$name" >/dev/null; then
  useradd --create-home --shell "$shell" --user-group --comment "Installgate test websites (tests only)" "$name"
fi
IFS=: read -r _ _ uid gid _ home current_shell < <(getent passwd "$name")
if [ "$uid" = 0 ]; then
  echo "test-account.sh: $name has uid 0; the fixtures need an unprivileged account" >&2
  exit 1
fi
[ "$current_shell" = "$shell" ] || usermod --shell "$shell" "$name"

pwfile=$state/$name.password
hashfile=$state/$name.shadow-hash
if [ ! -s "$pwfile" ]; then
  (umask 077 && printf '%s@%%/#' "$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')" >"$pwfile.tmp")
  mv -f "$pwfile.tmp" "$pwfile"
  rm -f "$hashfile"
fi
current_hash=$(getent shadow "$name" | cut -d: -f2)
if [ "$current_hash" != "$(cat "$hashfile" 2>/dev/null || true)" ]; then
  printf '%s:%s\n' "$name" "$(cat "$pwfile")" | chpasswd
  (umask 077 && getent shadow "$name" | cut -d: -f2 >"$hashfile")
fi

printf '%s %s %s %s %s\n' "$name" "$uid" "$gid" "$home" "$pwfile"
