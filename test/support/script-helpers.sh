# Sourced by test/pack/run.sh and test/apps/run.sh. Needs WORK (a scratch folder, removed on exit)
# and a `fail` function; background processes go into PIDS and are stopped on exit.
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
step() { printf -- '--- %s\n' "$*"; }

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
wait_http() { # url, seconds
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  return 1
}

# The OpenBao binary (BAO_BIN, the repository's .venv, PATH) into BAO; empty when there is none.
find_bao() {
  local c
  BAO=""
  for c in "${BAO_BIN:-}" "$REPO/.venv/bin/bao" "$(command -v bao || true)"; do
    if [ -n "$c" ] && [ -x "$c" ]; then BAO="$c"; return 0; fi
  done
  return 1
}

# start_vault MEMORY_DIR: a dev OpenBao with root token `root` (its own HOME: `bao server -dev`
# writes ~/.vault-token), or without one and outside CI the packed in-memory server run from
# MEMORY_DIR (where memory-vault.mjs and nestjs-vault-config-testing are). Sets VAULT_PORT,
# VAULT_URL and SERVER_KIND, and waits until it answers.
start_vault() {
  VAULT_PORT="$(free_port)"
  VAULT_URL="http://127.0.0.1:$VAULT_PORT"
  if find_bao; then
    SERVER_KIND="OpenBao ($BAO)"
    mkdir -p "$WORK/bao-home"
    HOME="$WORK/bao-home" "$BAO" server -dev -dev-root-token-id=root -dev-listen-address="127.0.0.1:$VAULT_PORT" \
      >"$WORK/vault.log" 2>&1 &
    PIDS+=($!)
  elif [ "${CI:-}" = "true" ]; then
    fail "CI=true but no bao binary (BAO_BIN, .venv/bin/bao, PATH)"
  else
    SERVER_KIND="packed nestjs-vault-config-testing in-memory server (no bao binary found)"
    (cd "$1" && exec node memory-vault.mjs "$VAULT_PORT") >"$WORK/vault.log" 2>&1 &
    PIDS+=($!)
  fi
  echo "Vault: $SERVER_KIND at $VAULT_URL"
  wait_http "$VAULT_URL/v1/sys/health" 60 || { cat "$WORK/vault.log"; fail "Vault did not start"; }
}
