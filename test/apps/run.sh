#!/usr/bin/env bash
# Day one in every `nest new` project: packs both libraries, checks the tarballs with publint and
# @arethetypeswrong/cli, then installs them into the two apps kept beside this script, as `nest new`
# makes them, outside the repository:
#   nest11-cjs-jest     Nest 11, CommonJS (`module: commonjs`, node10 resolution), Jest + ts-jest
#   nest12-esm-vitest   Nest 12, ES modules (nodenext), Vitest
# Each app compiles with its own tsc and runs its e2e tests, unchanged, against a Vault with a
# least-privilege AppRole (real OpenBao when a bao binary is there, required under CI=true; else
# the packed in-memory server), then boots `node dist/main.js` and answers /health and /proof.
# The Nest 11 app also runs on Node 24 when NODE24_BIN names a Node 24 bin directory.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$REPO/test/apps"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/nestjs-vault-config-apps.XXXXXX")"
fail() {
  echo "NEST APPS: FAIL - $*"
  exit 1
}
# shellcheck source=../support/script-helpers.sh
source "$REPO/test/support/script-helpers.sh"

step "npm pack both libraries (prepack builds them)"
(cd "$REPO" && npm pack --silent --workspace nestjs-vault-config --workspace nestjs-vault-config-testing \
  --pack-destination "$WORK" >"$WORK/pack.log" 2>&1) || { cat "$WORK/pack.log"; fail "npm pack"; }
CONFIG_TGZ="$(ls "$WORK"/nestjs-vault-config-[0-9]*.tgz)"
TESTING_TGZ="$(ls "$WORK"/nestjs-vault-config-testing-[0-9]*.tgz)"

step "publint and @arethetypeswrong/cli on the tarballs"
for tgz in "$CONFIG_TGZ" "$TESTING_TGZ"; do
  (cd "$REPO" && npx --no-install publint run --strict "$tgz") || fail "publint: $(basename "$tgz")"
  (cd "$REPO" && npx --no-install attw --format table-flipped "$tgz") || fail "attw: $(basename "$tgz")"
done

step "start a Vault with a least-privilege AppRole"
if ! find_bao && [ "${CI:-}" != "true" ]; then
  mkdir -p "$WORK/memory"
  (cd "$WORK/memory" && npm install --no-audit --no-fund --loglevel=error "$TESTING_TGZ" >/dev/null) ||
    fail "npm install of the testing package for the in-memory server"
  cp "$REPO/test/pack/app/memory-vault.mjs" "$WORK/memory/"
fi
start_vault "$WORK/memory"
SECRET="apps-canary-$(node -p "require('crypto').randomBytes(8).toString('hex')")"
read -r ROLE_ID SECRET_ID < <(node "$REPO/test/pack/app/vault-setup.mjs" "$VAULT_URL" root "$SECRET" "$WORK/jwt") ||
  fail "least-privilege set-up"
export VAULT_ADDR="$VAULT_URL" VAULT_ROLE_ID="$ROLE_ID" VAULT_SECRET_ID="$SECRET_ID"
EXPECTED_SECRET_SHA256="$(printf '%s' "$SECRET" | sha256sum | cut -d' ' -f1)"
export EXPECTED_SECRET_SHA256

# app_dir, what to run (a command line), label
in_app() {
  local dir="$1" label="$2"
  shift 2
  echo "    $label: $*"
  (cd "$dir" && "$@") >"$WORK/out.log" 2>&1 || { cat "$WORK/out.log"; fail "$(basename "$dir"): $label"; }
  grep -q "$SECRET" "$WORK/out.log" && fail "$(basename "$dir"): $label printed the secret"
  tail -n 8 "$WORK/out.log" | sed 's/^/      /'
}

boot_and_probe() { # app dir, node bin dir
  local dir="$1" port pid
  port="$(free_port)"
  (cd "$dir" && PATH="$2:$PATH" PORT="$port" exec node dist/main.js) >"$WORK/main.log" 2>&1 &
  pid=$!
  PIDS+=($pid)
  wait_http "http://127.0.0.1:$port/health" 30 || { cat "$WORK/main.log"; fail "$(basename "$dir"): main.js did not listen on PORT $port"; }
  curl -sf "http://127.0.0.1:$port/health" | grep -q '"vault":{[^}]*"status":"up"' || fail "$(basename "$dir"): /health not up"
  curl -sf "http://127.0.0.1:$port/proof" | grep -q "\"sha256\":\"$EXPECTED_SECRET_SHA256\"" ||
    fail "$(basename "$dir"): /proof does not match the secret in Vault"
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  grep -q "$SECRET" "$WORK/main.log" && fail "$(basename "$dir"): main.js logged the secret"
  echo "    node dist/main.js: listening on PORT from ConfigService, /health up, /proof matches"
}

NODE_BIN="$(dirname "$(command -v node)")"
for name in nest11-cjs-jest nest12-esm-vitest; do
  step "$name: install the tarballs, build, e2e"
  app="$WORK/$name"
  cp -R "$HERE/$name" "$app"
  (cd "$app" && npm install --no-audit --no-fund --loglevel=error "$CONFIG_TGZ" "$TESTING_TGZ" \
    >"$WORK/install.log" 2>&1) || { tail -30 "$WORK/install.log"; fail "$name: npm install"; }
  in_app "$app" "tsc (npm run build)" npm run build
  if [ -f "$app/tsconfig.nodenext.json" ]; then
    in_app "$app" "tsc with the nodenext tsconfig of later nest new 11 releases" npx tsc -p tsconfig.nodenext.json
  fi
  in_app "$app" "npm run test:e2e (Node $(node --version))" npm run test:e2e
  if [ "$name" = nest11-cjs-jest ] && [ -n "${NODE24_BIN:-}" ]; then
    in_app "$app" "npm run test:e2e (Node $("$NODE24_BIN/node" --version))" env PATH="$NODE24_BIN:$PATH" npm run test:e2e
  fi
  boot_and_probe "$app" "$NODE_BIN"
done

echo "NEST APPS: PASS (Vault: $SERVER_KIND)"
