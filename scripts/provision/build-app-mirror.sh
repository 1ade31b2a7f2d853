#!/usr/bin/env bash
# Builds the application mirror: real release archives that installs and updates unpack, plus a releases.json per app.
#
#   scripts/provision/build-app-mirror.sh MIRROR_DIR
#
# Produces
#   MIRROR_DIR/wordpress/wordpress-<version>.tar.gz       top-level folder wordpress/, like wordpress.org archives:
#       6.1.9 from Debian's `wordpress` package (/usr/share/wordpress, installed by system-deps.sh), and every
#       6.2 ... 6.5.x release whose zip ships in the npm package @wp-playground/wordpress-builds (pinned devDependency
#       of packages/testkit), completed with that package's static files and cleaned of Playground-only files.
#   MIRROR_DIR/testapp-db/testapp-db-<version>.tar.gz      from apps/testapp-db/<version>/ (top-level testapp-db/)
#   MIRROR_DIR/testapp-static/testapp-static-<version>.tar.gz
#   MIRROR_DIR/<app>/releases.json                          version, archive, sha256, size (+ WordPress's
#       wp_db_version, required_php_version, required_mysql_version from wp-includes/version.php), ascending.
#
# Idempotent: beside each archive, <archive>.json records its sha256, size and where it came from (source id); an
# archive whose file still matches its record and whose source is unchanged is skipped, anything else is rebuilt.
# Archives are written under a temporary name and renamed into place; a lock (flock) serialises concurrent builds.
# Environment: WP_BUILDS_DIR (the unpacked npm package), DEBIAN_WORDPRESS_DIR (default /usr/share/wordpress),
# MIRROR_BUILD_TMPDIR (where release trees are assembled; default /dev/shm).
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 MIRROR_DIR" >&2; exit 2; }
REPO=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$1"
MIRROR=$(cd "$1" && pwd)

# Bump when the way archives are made changes: every archive is then rebuilt once.
RECIPE=1
WP_BUILDS=${WP_BUILDS_DIR:-$REPO/packages/testkit/node_modules/@wp-playground/wordpress-builds}
DEBIAN_WP=${DEBIAN_WORDPRESS_DIR:-/usr/share/wordpress}

log() { echo "build-app-mirror: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
T0=$(now_ms)

exec 9> "$MIRROR/.build.lock"
flock 9

# Release trees are assembled in memory when possible: creating thousands of small files is ten times faster on
# tmpfs (/dev/shm) than on this machine's disk. MIRROR_BUILD_TMPDIR overrides the place.
WORK_PARENT=${MIRROR_BUILD_TMPDIR:-}
if [ -z "$WORK_PARENT" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then WORK_PARENT=/dev/shm; else WORK_PARENT=$MIRROR; fi
fi
WORK=$(mktemp -d "$WORK_PARENT/installgate-mirror.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
built=0
kept=0

# ---------------------------------------------------------------------------------------------------------------------
# Archive records

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
size_of() { stat -c %s "$1"; }

# record_field RECORD KEY: a string or number member of an <archive>.json record (one line, written by write_record).
record_field() { sed -nE "s/.*\"$2\":\"?([^\",}]*)\"?[,}].*/\1/p" "$1"; }

# is_current ARCHIVE SOURCE_ID: the archive exists, matches its record, and was built from SOURCE_ID.
is_current() {
  local archive=$1 source=$2 record=$1.json
  [ -f "$archive" ] && [ -f "$record" ] || return 1
  [ "$(record_field "$record" source)" = "$source" ] || return 1
  [ "$(record_field "$record" size)" = "$(size_of "$archive")" ] || return 1
  [ "$(record_field "$record" sha256)" = "$(sha256_of "$archive")" ]
}

# pack TREE_PARENT TOP_DIR ARCHIVE: tar.gz of TREE_PARENT/TOP_DIR with TOP_DIR as the only top-level entry,
# normalised owners and order, written under a temporary name and renamed into place.
pack() {
  local parent=$1 top=$2 archive=$3 tmp
  tmp=$(mktemp "$archive.XXXXXX.tmp")
  chmod -R u+rwX,go+rX,go-w "$parent/$top"
  tar -C "$parent" --sort=name --owner=0 --group=0 --numeric-owner -cf - "$top" | gzip -n -6 > "$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$archive"
}

# write_record ARCHIVE VERSION SOURCE_ID [EXTRA_JSON_MEMBERS]: the <archive>.json beside the archive.
write_record() {
  local archive=$1 version=$2 source=$3 extra=${4:-}
  printf '{"version":"%s","archive":"%s","sha256":"%s","size":%s,"source":"%s"%s}\n' \
    "$version" "$(basename "$archive")" "$(sha256_of "$archive")" "$(size_of "$archive")" "$source" \
    "${extra:+,$extra}" > "$archive.json"
}

# write_releases APP_DIR: releases.json from every <archive>.json of that directory, ascending by version.
write_releases() {
  node -e '
    const fs = require("fs"), path = require("path");
    const dir = process.argv[1];
    const cmp = (a, b) => {
      const pa = a.split(/[.-]/), pb = b.split(/[.-]/);
      for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const x = pa[i] ?? "0", y = pb[i] ?? "0";
        const d = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
        if (d) return d;
      }
      return 0;
    };
    const releases = fs.readdirSync(dir)
      .filter((f) => f.endsWith(".tar.gz.json") && fs.existsSync(path.join(dir, f.slice(0, -5))))
      .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")))
      .sort((a, b) => cmp(a.version, b.version));
    const out = { app: path.basename(dir), generated_by: "scripts/provision/build-app-mirror.sh", releases };
    fs.writeFileSync(path.join(dir, "releases.json.tmp"), JSON.stringify(out, null, 2) + "\n");
    fs.renameSync(path.join(dir, "releases.json.tmp"), path.join(dir, "releases.json"));
  ' "$1"
}

# ---------------------------------------------------------------------------------------------------------------------
# WordPress

# wp_var VERSION_PHP NAME: a variable of wp-includes/version.php (one statement a line, or minified on one line).
wp_var() { sed -nE "s/.*\\\$$2 = '?([^';]+)'?;.*/\1/p" "$1" | head -n1; }

wp_record_extra() {
  local v=$1
  printf '"wp_db_version":%s,"required_php_version":"%s","required_mysql_version":"%s"' \
    "$(wp_var "$v" wp_db_version)" "$(wp_var "$v" required_php_version)" "$(wp_var "$v" required_mysql_version)"
}

# check_wordpress_tree DIR VERSION: a complete tree that runs under real PHP, nothing Debian- or Playground-only.
check_wordpress_tree() {
  local dir=$1 version=$2 f theme
  [ "$(wp_var "$dir/wp-includes/version.php" wp_version)" = "$version" ] \
    || die "$dir: wp-includes/version.php does not say $version"
  for f in index.php wp-load.php wp-settings.php wp-blog-header.php wp-login.php wp-config-sample.php wp-cron.php \
      xmlrpc.php wp-admin/install.php wp-admin/upgrade.php wp-admin/includes/upgrade.php wp-admin/includes/schema.php \
      wp-includes/version.php wp-includes/functions.php wp-includes/pluggable.php wp-content/index.php \
      wp-admin/css/install.min.css wp-admin/css/login.min.css wp-includes/js/jquery/jquery.min.js \
      wp-includes/css/dashicons.min.css wp-admin/images/wordpress-logo.svg; do
    [ -f "$dir/$f" ] || die "$dir: $f is missing"
  done
  theme=$(sed -nE "s/.*define\( *'WP_DEFAULT_THEME', *'([^']+)'.*/\1/p" "$dir/wp-includes/default-constants.php" | head -n1)
  [ -n "$theme" ] && [ -f "$dir/wp-content/themes/$theme/style.css" ] \
    || die "$dir: the default theme ($theme) is missing"
  for f in wp-config.php .htaccess .default_theme wordpress-remote-asset-paths wp-content/database \
      wp-content/mu-plugins wp-content/db.php wp-content/plugins/sqlite-database-integration; do
    [ ! -e "$dir/$f" ] || die "$dir: $f must not be in a release"
  done
  [ -z "$(find "$dir" -type l | head -n1)" ] || die "$dir: symlinks remain"
  grep -q "DB_NAME" "$dir/wp-config-sample.php" || die "$dir: wp-config-sample.php is not a normal sample"
}

# 6.1.9 from Debian: copy with symlinks resolved (they point into other Debian packages), then make it an ordinary
# release: no dispatching wp-config.php, no .htaccess symlink, no Debian language packs (wordpress-l10n, 30 MB;
# upstream archives ship none), wp-content/index.php as upstream, and install.php without Debian's two extra
# queries (they set upload_path from undefined variables).
build_debian_wordpress() {
  local version_php=$DEBIAN_WP/wp-includes/version.php version source archive tree e t
  if [ ! -f "$version_php" ]; then
    log "WARNING: Debian's WordPress is not installed ($DEBIAN_WP): skipping it (run scripts/provision/system-deps.sh)"
    return 0
  fi
  version=$(wp_var "$version_php" wp_version)
  source="debian:wordpress=$(dpkg-query -W -f='${Version}' wordpress 2>/dev/null || echo unknown);recipe=$RECIPE"
  archive=$MIRROR/wordpress/wordpress-$version.tar.gz
  if is_current "$archive" "$source"; then kept=$((kept + 1)); return 0; fi

  t=$(now_ms)
  tree=$WORK/debian/wordpress
  mkdir -p "$tree"
  for e in "$DEBIAN_WP"/*; do   # the glob skips dot files: Debian's .htaccess -> /etc/wordpress/htaccess
    cp -rL "$e" "$tree/"
  done
  rm -f "$tree/wp-config.php"
  rm -rf "$tree/wp-content/languages"
  [ -f "$tree/wp-content/index.php" ] || printf '<?php\n// Silence is golden.\n' > "$tree/wp-content/index.php"
  sed -i -e '/Setup upload directories for Debian/d' -e '/option_value = .\$upload_path. where/d' \
    -e '/option_value = .\$upload_url_path. where/d' "$tree/wp-admin/install.php"
  check_wordpress_tree "$tree" "$version"
  pack "$WORK/debian" wordpress "$archive"
  write_record "$archive" "$version" "$source" "$(wp_record_extra "$tree/wp-includes/version.php")"
  rm -rf "$WORK/debian"
  built=$((built + 1))
  log "wordpress $version from Debian: $(basename "$archive") $(( $(size_of "$archive") / 1024 )) KiB in $(( $(now_ms) - t )) ms"
}

# 6.2 ... 6.5 from @wp-playground/wordpress-builds. Its src/wordpress/wp-X.Y.zip is a "minified" Playground build:
# the PHP files (whitespace-stripped by `php -w`, set_time_limit() calls removed) and only the assets PHP reads; the
# other static files (CSS, JS, images, fonts) sit in public/wp-X.Y/, listed in its wordpress-remote-asset-paths.
# The release is zip + those listed static files, minus what only Playground uses:
#   wp-config.php (Playground's own, defines CONCATENATE_SCRIPTS), .default_theme, wordpress-remote-asset-paths,
#   wp-content/database/ (a ready-made SQLite database and its .htaccess), and, if present, wp-content/mu-plugins/,
#   wp-content/db.php and the sqlite-database-integration plugin.
build_playground_wordpress() { # ZIP
  local zip=$1 name version source archive tree pub t
  name=$(basename "$zip" .zip)                        # wp-6.5
  version=$(unzip -p "$zip" wp-includes/version.php | sed -nE "s/.*\\\$wp_version = '([^']+)'.*/\1/p" | head -n1)
  case "$version" in
    6.[2-5]|6.[2-5].[0-9]*) ;;
    *) log "skipping $name.zip ($version): not a 6.2 ... 6.5 release"; return 0 ;;
  esac
  source="npm:@wp-playground/wordpress-builds@$PLAYGROUND_VERSION/$name.zip=$(sha256_of "$zip");recipe=$RECIPE"
  archive=$MIRROR/wordpress/wordpress-$version.tar.gz
  if is_current "$archive" "$source"; then kept=$((kept + 1)); return 0; fi

  t=$(now_ms)
  tree=$WORK/$name/wordpress
  pub=$WP_BUILDS/public/$name
  mkdir -p "$tree"
  unzip -q "$zip" -d "$tree"
  [ -f "$pub/wordpress-remote-asset-paths" ] || die "$pub/wordpress-remote-asset-paths is missing"
  grep -v '^wp-content/database/' "$pub/wordpress-remote-asset-paths" | grep -v '^$' > "$WORK/$name.assets"
  (cd "$pub" && xargs -d '\n' cp -n --parents -t "$tree" < "$WORK/$name.assets")
  rm -rf "$tree/wp-config.php" "$tree/.default_theme" "$tree/wordpress-remote-asset-paths" \
    "$tree/wp-content/database" "$tree/wp-content/mu-plugins" "$tree/wp-content/db.php" \
    "$tree/wp-content/plugins/sqlite-database-integration"
  check_wordpress_tree "$tree" "$version"
  pack "$WORK/$name" wordpress "$archive"
  write_record "$archive" "$version" "$source" "$(wp_record_extra "$tree/wp-includes/version.php")"
  rm -rf "${WORK:?}/$name"
  built=$((built + 1))
  log "wordpress $version from $name.zip: $(basename "$archive") $(( $(size_of "$archive") / 1024 )) KiB in $(( $(now_ms) - t )) ms"
}

build_wordpress() {
  mkdir -p "$MIRROR/wordpress"
  build_debian_wordpress
  if [ ! -f "$WP_BUILDS/package.json" ]; then
    log "WARNING: $WP_BUILDS is missing: no WordPress 6.2 ... 6.5 (install the workspace: bash scripts/bootstrap.sh)"
  else
    PLAYGROUND_VERSION=$(node -p "require(process.argv[1]).version" "$WP_BUILDS/package.json")
    local zip
    for zip in "$WP_BUILDS"/src/wordpress/wp-6.*.zip; do
      [ -f "$zip" ] && build_playground_wordpress "$zip"
    done
  fi
  write_releases "$MIRROR/wordpress"
}

# ---------------------------------------------------------------------------------------------------------------------
# Test applications (apps/<app>/<version>/)

# tree_fingerprint DIR: changes whenever a file name or content under DIR changes.
tree_fingerprint() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1); }

build_test_app() { # APP
  local app=$1 src version archive source
  mkdir -p "$MIRROR/$app"
  for src in "$REPO/apps/$app"/*/; do
    src=${src%/}
    version=$(tr -d '[:space:]' < "$src/VERSION")
    [ "$version" = "$(basename "$src")" ] || die "$src/VERSION says $version"
    archive=$MIRROR/$app/$app-$version.tar.gz
    source="apps/$app/$version=$(tree_fingerprint "$src");recipe=$RECIPE"
    if is_current "$archive" "$source"; then kept=$((kept + 1)); continue; fi
    rm -rf "${WORK:?}/$app"
    mkdir -p "$WORK/$app"
    cp -r "$src" "$WORK/$app/$app"
    pack "$WORK/$app" "$app" "$archive"
    if [ -f "$src/install.sql" ]; then
      write_record "$archive" "$version" "$source" '"database":true'
    else
      write_record "$archive" "$version" "$source" '"database":false'
    fi
    rm -rf "${WORK:?}/$app"
    built=$((built + 1))
    log "$app $version: $(basename "$archive")"
  done
  write_releases "$MIRROR/$app"
}

# ---------------------------------------------------------------------------------------------------------------------

command -v unzip >/dev/null || die "unzip is missing: run scripts/provision/system-deps.sh"
build_wordpress
build_test_app testapp-db
build_test_app testapp-static
log "done: $built built, $kept already current, in $(( $(now_ms) - T0 )) ms ($MIRROR)"
