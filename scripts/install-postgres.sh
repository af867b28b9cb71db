#!/usr/bin/env bash
# Makes PostgreSQL's server binaries (initdb, pg_ctl, postgres) available for the database contract
# tests (test/support/postgres.ts). Prints the bin directory to use; installs the distribution
# package with apt when running as root and none is found. Always exits 0: without PostgreSQL the
# tests that need it skip (set VAULT_TEST_REQUIRE_POSTGRES=1 to make them fail instead).
set -uo pipefail

find_bin_dir() {
  local initdb dir
  if [ -n "${PG_BIN_DIR:-}" ] && [ -x "$PG_BIN_DIR/initdb" ]; then
    echo "$PG_BIN_DIR"
    return 0
  fi
  if initdb="$(command -v initdb 2>/dev/null)"; then
    dirname "$(readlink -f "$initdb")"
    return 0
  fi
  # Debian/Ubuntu keep the server binaries off PATH, one directory per major version: newest first.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -rn); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if dir="$(find_bin_dir)"; then
  echo "PostgreSQL found: $dir ($("$dir/postgres" --version 2>/dev/null || echo 'version unknown'))"
  echo "PG_BIN_DIR=$dir"
  exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "PostgreSQL not found; installing the distribution package with apt-get"
  if DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >/dev/null ||
    { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >/dev/null; }; then
    # The package may start a cluster of its own on port 5432; the tests never use it.
    if dir="$(find_bin_dir)"; then
      echo "PostgreSQL installed: $dir"
      echo "PG_BIN_DIR=$dir"
      exit 0
    fi
  fi
  echo "apt-get could not install PostgreSQL; PostgreSQL tests will be skipped"
  exit 0
fi

echo "PostgreSQL not found (not root or no apt-get); PostgreSQL tests will be skipped"
exit 0
