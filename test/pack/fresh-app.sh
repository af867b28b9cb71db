# Sourced by test/pack/run.sh and test/docs/run-docs.mjs (via bash): `npm pack` both libraries and
# install them into a fresh Nest 12 app outside the repository.
#   make_fresh_app WORK [extra package@version ...]
# sets CONFIG_TGZ, TESTING_TGZ (the tarballs in WORK) and APP (WORK/app, installed, with
# test/pack/app's files). The Nest packages and TypeScript are the versions this repository pins.

fresh_app_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

fresh_app_dep_version() { node -p "require('$fresh_app_repo/package.json').devDependencies['$1']"; }

make_fresh_app() {
  local work="$1"
  shift
  if [ ! -f "$fresh_app_repo/libs/vault-config/dist/index.js" ] ||
    [ ! -f "$fresh_app_repo/libs/vault-testing/dist/index.js" ]; then
    echo "--- build (dist missing)"
    (cd "$fresh_app_repo" && npm run build --silent)
  fi
  CONFIG_TGZ="$work/$(cd "$fresh_app_repo/libs/vault-config" && npm pack --silent --pack-destination "$work" | tail -1)"
  TESTING_TGZ="$work/$(cd "$fresh_app_repo/libs/vault-testing" && npm pack --silent --pack-destination "$work" | tail -1)"
  APP="$work/app"
  mkdir -p "$APP"
  cp -R "$fresh_app_repo/test/pack/app/." "$APP/"
  local extra="" spec
  for spec in "$@"; do
    extra+="    \"${spec%@*}\": \"${spec##*@}\","$'\n'
  done
  cat >"$APP/package.json" <<JSON
{
  "name": "pack-test-app",
  "private": true,
  "type": "module",
  "dependencies": {
$extra    "@nestjs/common": "$(fresh_app_dep_version @nestjs/common)",
    "@nestjs/config": "$(fresh_app_dep_version @nestjs/config)",
    "@nestjs/core": "$(fresh_app_dep_version @nestjs/core)",
    "@nestjs/platform-express": "$(fresh_app_dep_version @nestjs/platform-express)",
    "@nestjs/terminus": "$(fresh_app_dep_version @nestjs/terminus)",
    "nestjs-vault-config": "file:$CONFIG_TGZ",
    "nestjs-vault-config-testing": "file:$TESTING_TGZ",
    "reflect-metadata": "$(fresh_app_dep_version reflect-metadata)",
    "rxjs": "$(fresh_app_dep_version rxjs)"
  },
  "devDependencies": {
    "@types/node": "$(fresh_app_dep_version @types/node)",
    "typescript": "$(fresh_app_dep_version typescript)"
  }
}
JSON
  (cd "$APP" && npm install --prefer-offline --no-audit --no-fund --loglevel=error >"$work/npm-install.log" 2>&1) || {
    tail -20 "$work/npm-install.log"
    return 1
  }
}
