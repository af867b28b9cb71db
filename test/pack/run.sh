#!/usr/bin/env bash
# Pack test: `npm pack` both libraries, install them into a fresh Nest 12 app OUTSIDE the repo,
# compile it with its own tsc, boot it against a real OpenBao (or, without one and outside CI, the
# packed in-memory test server) with AppRole auth, then with JWT auth (a JWT signed by the set-up
# script), and check /health, a secret-backed route, a TransitService round trip and the logs.
# Then rotates the secret with the packed `vault-config` CLI and waits for the app to serve the new
# version without a restart. Also: CommonJS `require('nestjs-vault-config')`, and the testing package alone in an empty dir.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$REPO/test/pack"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/nestjs-vault-config-pack.XXXXXX")"
fail() {
  echo "PACK TEST: FAIL - $*"
  exit 1
}
# shellcheck source=../support/script-helpers.sh
source "$REPO/test/support/script-helpers.sh"

# shellcheck source=fresh-app.sh
source "$HERE/fresh-app.sh"

step "npm pack both libraries into $WORK, install them into a fresh Nest 12 app"
otel() { printf '%s@%s ' "$1" "$(fresh_app_dep_version "$1")"; }
# shellcheck disable=SC2046 # one word per package
make_fresh_app "$WORK" $(otel @opentelemetry/api) $(otel @opentelemetry/sdk-metrics) \
  $(otel @opentelemetry/exporter-prometheus) || fail "npm install in the fresh app"

step "the tarballs hold what npm users need, and nothing else"
for tgz in "$CONFIG_TGZ" "$TESTING_TGZ"; do
  tar -tzf "$tgz" | sed 's|^package/||' | sort >"$WORK/files.txt"
  for f in README.md LICENSE package.json dist/index.js dist/index.d.ts dist/cli.js; do
    grep -qx "$f" "$WORK/files.txt" || fail "$(basename "$tgz") lacks $f"
  done
  # Only the README, the LICENSE, the CHANGELOG, package.json, the bin and the built JavaScript
  # (ES modules and CommonJS), its source maps and declarations: no specs, no TypeScript sources.
  unexpected="$(grep -vxE 'README\.md|LICENSE|CHANGELOG\.md|package\.json|bin/vault-config\.js|dist/cjs/package\.json|dist/.+\.(js|js\.map|d\.ts)' "$WORK/files.txt" || true)"
  [ -z "$unexpected" ] || fail "$(basename "$tgz") ships unexpected files: $unexpected"
  if grep -E '\.spec\.' "$WORK/files.txt"; then fail "$(basename "$tgz") ships specs"; fi
  # Each source map carries the TypeScript it points to (stack traces under --enable-source-maps).
  mkdir -p "$WORK/maps" && tar -xzf "$tgz" -C "$WORK/maps" --wildcards 'package/dist/*.js.map'
  node -e "
    const { readFileSync } = require('node:fs');
    for (const f of process.argv.slice(1)) {
      const m = JSON.parse(readFileSync(f, 'utf8'));
      const ts = m.sources.filter(s => s.endsWith('.ts'));
      if (!ts.length || m.sourcesContent?.length !== m.sources.length || m.sourcesContent.some(c => !c))
        { console.error(f + ': no TypeScript sources embedded'); process.exit(1); }
    }
  " $(find "$WORK/maps" -name '*.js.map' | head -20) || fail "$(basename "$tgz")'s source maps lack their sources"
  rm -rf "$WORK/maps"
  # Where the full documentation is (the repository has no public URL yet: it names the files).
  grep -q 'docs/setup.md' <(tar -xzOf "$tgz" package/README.md) ||
    fail "$(basename "$tgz")'s README does not point to the full docs in the repository"
  grep -q '^MIT License' <(tar -xzOf "$tgz" package/LICENSE) || fail "$(basename "$tgz")'s LICENSE is not MIT"
done
grep -qx 'dist/health/index.js' "$WORK/files.txt" && fail "the testing tarball holds the library"
tar -tzf "$CONFIG_TGZ" | sed 's|^package/||' >"$WORK/config-files.txt"
grep -qx 'dist/health/index.js' "$WORK/config-files.txt" || fail "tarball lacks dist/health"
grep -qx 'dist/transit/index.js' "$WORK/config-files.txt" || fail "tarball lacks dist/transit"
grep -qx 'bin/vault-config.js' "$WORK/config-files.txt" || fail "tarball lacks the vault-config bin"

step "the fresh app compiles"
(cd "$APP" && npx tsc -p tsconfig.json) || fail "the fresh app does not compile against the packed types"

step "the shipped .d.ts: complete (skipLibCheck false), nothing @internal, no internals on the main entry"
cp "$HERE/declarations-check.ts" "$APP/declarations-check.ts"
cat >"$APP/tsconfig.declarations.json" <<'JSON'
{
  "compilerOptions": {
    "target": "ES2023", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true,
    "skipLibCheck": false, "noEmit": true, "experimentalDecorators": true, "types": ["node"]
  },
  "files": ["declarations-check.ts"]
}
JSON
(cd "$APP" && npx tsc -p tsconfig.declarations.json) ||
  fail "the packed declarations do not type-check on their own"
if grep -rl '@internal' "$APP/node_modules/nestjs-vault-config/dist" --include='*.d.ts'; then
  fail "@internal declarations were shipped"
fi
(cd "$APP" && node --input-type=module -e "
  const m = await import('nestjs-vault-config');
  const internal = ['VaultClient', 'HttpVaultTransport', 'validateVaultConfigOptions', 'SecretSnapshot',
    'VaultSecretsRuntime', 'performInitialLoad', 'SensitiveValue'].filter(n => n in m);
  if (internal.length) { console.error('internal exports:', internal.join(', ')); process.exit(1); }
") || fail "the main entry exports internals"

step "CommonJS consumers: require('nestjs-vault-config')"
(cd "$APP" && node --no-warnings --input-type=commonjs -e "
  const m = require('nestjs-vault-config');
  if (typeof m.VaultConfigModule !== 'function' || typeof m.vaultConfigLoader !== 'function') process.exit(1);
  if ('VaultHealthIndicator' in m) process.exit(2); // terminus must stay off the main entry
  if ('TransitService' in m) process.exit(4); // transit is a subpath of its own
  const h = require('nestjs-vault-config/health');
  if (typeof h.VaultHealthIndicator !== 'function') process.exit(3);
  const t = require('nestjs-vault-config/transit');
  if (typeof t.TransitService !== 'function') process.exit(5);
  if (!(new t.VaultNotConnectedError('closed', 'x') instanceof m.VaultConfigError)) process.exit(6);
") || fail "require('nestjs-vault-config') from CommonJS"

step "stack traces name the TypeScript sources under --enable-source-maps (CommonJS and ES modules)"
STACK_CJS="$(cd "$APP" && node --enable-source-maps --input-type=commonjs -e "
  require('nestjs-vault-config').loadVaultSecrets({ address: 'http://127.0.0.1:1', auth: { method: 'token', token: 't' },
    sources: [{ mount: 'secret', path: 'x' }], retry: { attempts: 1 } }).catch(e => console.log(e.stack));
")"
grep -q 'src/client/retrying-request\.ts:[0-9]' <<<"$STACK_CJS" || fail "CommonJS stack without TypeScript sources: $STACK_CJS"
STACK_ESM="$(cd "$APP" && node --enable-source-maps --input-type=module -e "
  const { loadVaultSecrets } = await import('nestjs-vault-config');
  await loadVaultSecrets({ address: 'http://127.0.0.1:1', auth: { method: 'token', token: 't' },
    sources: [{ mount: 'secret', path: 'x' }], retry: { attempts: 1 } }).catch(e => console.log(e.stack));
")"
grep -q 'src/client/retrying-request\.ts:[0-9]' <<<"$STACK_ESM" || fail "ESM stack without TypeScript sources: $STACK_ESM"

step "start a Vault"
start_vault "$APP"

CANARY="pack-canary-$(node -p "require('crypto').randomBytes(8).toString('hex')")"
JWT_FILE="$WORK/ci-jwt"
read -r ROLE_ID SECRET_ID < <(node "$APP/vault-setup.mjs" "$VAULT_URL" root "$CANARY" "$JWT_FILE") ||
  fail "least-privilege setup (policy, JWT auth, AppRole, KV v2) over HTTP"
[ -n "${SECRET_ID:-}" ] || fail "no AppRole secret_id"
[ -s "$JWT_FILE" ] || fail "no JWT written"
JWT="$(cat "$JWT_FILE")"

step "boot the packed app with AppRole auth: /health up, then stop"
APP_PORT="$(free_port)"
(cd "$APP" && VAULT_ADDR="$VAULT_URL" VAULT_ROLE_ID="$ROLE_ID" VAULT_SECRET_ID="$SECRET_ID" PORT="$APP_PORT" \
  exec node dist/main.js) >"$WORK/app-approle.log" 2>&1 &
APP_PID=$!
PIDS+=($APP_PID)
wait_http "http://127.0.0.1:$APP_PORT/health" 30 || { cat "$WORK/app-approle.log"; fail "app (AppRole) did not start"; }
HEALTH_STATUS="$(curl -s -o "$WORK/health-approle.json" -w '%{http_code}' "http://127.0.0.1:$APP_PORT/health")"
[ "$HEALTH_STATUS" = "200" ] || { cat "$WORK/health-approle.json"; fail "/health (AppRole) answered $HEALTH_STATUS"; }
grep -q 'via approle' "$WORK/app-approle.log" || fail "the AppRole boot did not log in with approle"
kill -TERM "$APP_PID"
wait "$APP_PID" 2>/dev/null || true

step "boot the packed app with JWT auth (a JWT file, as a CI runner hands it out), metrics to Prometheus"
APP_PORT="$(free_port)"
METRICS_PORT="$(free_port)"
(cd "$APP" && VAULT_ADDR="$VAULT_URL" VAULT_JWT_FILE="$JWT_FILE" PORT="$APP_PORT" METRICS_PORT="$METRICS_PORT" \
  exec node dist/main.js) >"$WORK/app.log" 2>&1 &
APP_PID=$!
PIDS+=($APP_PID)
wait_http "http://127.0.0.1:$APP_PORT/health" 30 || { cat "$WORK/app.log"; fail "app did not start"; }

HEALTH_STATUS="$(curl -s -o "$WORK/health.json" -w '%{http_code}' "http://127.0.0.1:$APP_PORT/health")"
[ "$HEALTH_STATUS" = "200" ] || { cat "$WORK/health.json"; fail "/health answered $HEALTH_STATUS"; }
grep -q '"vault":{[^}]*"status":"up"' "$WORK/health.json" || fail "/health does not report vault up: $(cat "$WORK/health.json")"
grep -q 'via jwt' "$WORK/app.log" || fail "the app did not log in with jwt: $(cat "$WORK/app.log")"

curl -sf "http://127.0.0.1:$APP_PORT/proof" >"$WORK/proof.json" || fail "/proof failed"
EXPECTED_SHA="$(printf '%s' "$CANARY" | sha256sum | cut -d' ' -f1)"
grep -q "\"sha256\":\"$EXPECTED_SHA\"" "$WORK/proof.json" || fail "/proof does not match the secret in Vault"
grep -q '"sameInSecretsService":true' "$WORK/proof.json" || fail "SecretsService and ConfigService differ"

step "TransitService from the tarball: encrypt and decrypt PACK_SECRET with the least-privilege token"
curl -sf "http://127.0.0.1:$APP_PORT/transit-proof" >"$WORK/transit-proof.json" ||
  { cat "$WORK/app.log"; fail "/transit-proof failed"; }
grep -q '"roundTrip":true' "$WORK/transit-proof.json" || fail "transit round trip failed: $(cat "$WORK/transit-proof.json")"
grep -q '"keyVersion":"1"' "$WORK/transit-proof.json" || fail "no vault:v1: ciphertext: $(cat "$WORK/transit-proof.json")"
grep -q '"ciphertextHidesValue":true' "$WORK/transit-proof.json" || fail "the ciphertext contains the plaintext"

step "CLI from the tarball: vault-config rotate, picked up by the running app without a restart"
(cd "$APP" && npx --no-install vault-config --help >"$WORK/cli-help.txt") || fail "npx vault-config --help"
grep -q 'migrate' "$WORK/cli-help.txt" || fail "vault-config --help does not list migrate"
(cd "$APP" && VAULT_ADDR="$VAULT_URL" VAULT_TOKEN=root npx --no-install vault-config rotate \
  --mount secret --path pack/app --key PACK_SECRET >"$WORK/cli-rotate.txt" 2>&1) ||
  { cat "$WORK/cli-rotate.txt"; fail "vault-config rotate"; }
grep -q 'version 1 → 2' "$WORK/cli-rotate.txt" || fail "rotate did not report version 1 → 2: $(cat "$WORK/cli-rotate.txt")"
ROTATED=""
for ((i = 0; i < 50; i++)); do
  curl -sf "http://127.0.0.1:$APP_PORT/proof" >"$WORK/proof2.json" || true
  if ! grep -q "\"sha256\":\"$EXPECTED_SHA\"" "$WORK/proof2.json" && grep -q '"version":2' "$WORK/proof2.json"; then
    ROTATED=yes
    break
  fi
  sleep 0.1
done
[ -n "$ROTATED" ] || fail "the app did not pick up the rotated secret: $(cat "$WORK/proof2.json")"

step "OpenTelemetry metrics from the tarball, scraped from the Prometheus exporter"
curl -sf "http://127.0.0.1:$METRICS_PORT/metrics" >"$WORK/metrics.txt" || fail "no Prometheus endpoint"
for series in 'vault_config_loads_total{[^}]*vault_outcome="success"' \
  'vault_config_logins_total{[^}]*vault_auth_method="jwt"' \
  'vault_config_refreshes_total{[^}]*vault_refresh_changed="true"' \
  'vault_config_refresh_duration_count' 'vault_config_load_duration_count' \
  'vault_config_token_ttl{[^}]*vault_auth_method="jwt"' 'vault_config_refresh_age{'; do
  grep -qE "^$series" "$WORK/metrics.txt" || fail "no $series in /metrics: $(grep vault_config "$WORK/metrics.txt")"
done

kill -TERM "$APP_PID"
wait "$APP_PID" 2>/dev/null || true
for f in app.log app-approle.log health.json health-approle.json proof.json proof2.json transit-proof.json cli-help.txt cli-rotate.txt metrics.txt; do
  if grep -q -F -e "$CANARY" -e "$SECRET_ID" -e "$JWT" "$WORK/$f"; then
    fail "$f contains a secret value, the AppRole secret_id or the JWT"
  fi
done
grep -q 'Loaded' "$WORK/app.log" || fail "no startup summary line in the app log"

step "nestjs-vault-config-testing alone in an empty dir"
SOLO="$WORK/solo"
mkdir -p "$SOLO"
echo '{ "name": "solo", "private": true, "type": "module" }' >"$SOLO/package.json"
(cd "$SOLO" && npm install --no-audit --no-fund --loglevel=error "$TESTING_TGZ" >"$WORK/npm-solo.log" 2>&1) ||
  { tail -20 "$WORK/npm-solo.log"; fail "npm install of the testing package"; }
(cd "$SOLO" && node --input-type=module -e "
  import { VaultTestServer } from 'nestjs-vault-config-testing';
  const server = await VaultTestServer.start({ rootToken: 'root' });
  try {
    const put = await fetch(server.url + '/v1/secret/data/solo', { method: 'POST',
      headers: { 'X-Vault-Token': 'root' }, body: JSON.stringify({ data: { a: '1' } }) });
    const got = await (await fetch(server.url + '/v1/secret/data/solo', { headers: { 'X-Vault-Token': 'root' } })).json();
    if (put.status !== 200 || got.data.data.a !== '1') process.exitCode = 1;
  } finally { await server.stop(); }
") || fail "the packed test server does not start and serve KV v2 from its exported API"

echo "PACK TEST: PASS (Vault: $SERVER_KIND)"
