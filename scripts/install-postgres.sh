#!/usr/bin/env bash
# Makes PostgreSQL's server binaries (initdb, pg_ctl, postgres) available for the database contract
# tests (test/support/postgres.ts). Prints the bin directory to use; installs the distribution
# package with apt when running as root and none is found. Without PostgreSQL it exits 0 on a
# developer machine (the tests that need it skip visibly; VAULT_TEST_REQUIRE_POSTGRES=1 makes them
# fail instead) and 1 under CI (CI=true, or VAULT_TEST_REQUIRE_POSTGRES=1): a runner without
# PostgreSQL must not report green with every real-database variant left out.
set -uo pipefail

required() {
  [ "${CI:-}" = "true" ] || [ "${CI:-}" = "1" ] || [ "${VAULT_TEST_REQUIRE_POSTGRES:-}" = "1" ]
}

# Exits 1 where PostgreSQL is required, 0 (tests skip) elsewhere.
missing() {
  if required; then
    echo "ERROR: $1; PostgreSQL is required here (CI=${CI:-} VAULT_TEST_REQUIRE_POSTGRES=${VAULT_TEST_REQUIRE_POSTGRES:-}). Install it (apt-get install postgresql) or set PG_BIN_DIR." >&2
    exit 1
  fi
  echo "$1; PostgreSQL tests will be skipped"
  exit 0
}

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
  missing "apt-get could not install PostgreSQL"
fi

missing "PostgreSQL not found (not root or no apt-get)"
