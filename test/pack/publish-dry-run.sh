#!/usr/bin/env bash
# `npm publish --dry-run` of both packages (prepack builds them): the file list npm would publish
# must be exactly the expected one (test/pack/expected-files/<package>.txt), apart from the files
# tsc emits one per source (declarations; the testing package's ES modules and their maps), which
# are checked by shape instead: every declaration of the ES module build has its CommonJS twin under
# dist/cjs/, and every ES module of the testing package its declaration and source map.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
EXPECTED="$REPO/test/pack/expected-files"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/publish-dry-run.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT
status=0
for pkg in nestjs-vault-config nestjs-vault-config-testing; do
  (cd "$REPO" && npm publish --dry-run --json --workspace "$pkg" >"$OUT/$pkg.json" 2>"$OUT/$pkg.err") || {
    cat "$OUT/$pkg.err"
    echo "npm publish --dry-run failed for $pkg"
    exit 1
  }
  node -e "
    const out = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
    const files = (out[process.argv[2]] ?? out).files.map(f => f.path).sort();
    console.log(files.join('\n'));
  " "$OUT/$pkg.json" "$pkg" >"$OUT/$pkg.files"
  per_source='\.d\.ts$'
  [ "$pkg" = nestjs-vault-config-testing ] && per_source='\.d\.ts$|^dist/([^c]|c[^j]|cj[^s]|cjs[^/]).*\.js(\.map)?$'
  grep -Ev "$per_source" "$OUT/$pkg.files" >"$OUT/$pkg.other" || true
  if ! diff -u "$EXPECTED/$pkg.txt" "$OUT/$pkg.other"; then
    echo "$pkg: the published files differ from test/pack/expected-files/$pkg.txt (above: - expected, + published)"
    status=1
  fi
  esm_types="$(grep '\.d\.ts$' "$OUT/$pkg.files" | grep -v '^dist/cjs/' || true)"
  [ -n "$esm_types" ] || { echo "$pkg: no declarations published"; status=1; }
  missing="$(while read -r f; do grep -qx "dist/cjs/${f#dist/}" "$OUT/$pkg.files" || echo "$f"; done <<<"$esm_types")"
  [ -z "$missing" ] || { echo "$pkg: declarations without a CommonJS twin: $missing"; status=1; }
  if [ "$pkg" = nestjs-vault-config-testing ]; then
    unpaired="$(grep -E '^dist/.*\.js$' "$OUT/$pkg.files" | grep -v '^dist/cjs/' | while read -r f; do
      grep -qx "${f%.js}.d.ts" "$OUT/$pkg.files" && grep -qx "$f.map" "$OUT/$pkg.files" || echo "$f"
    done)"
    [ -z "$unpaired" ] || { echo "$pkg: modules without a declaration or map: $unpaired"; status=1; }
  fi
  echo "$pkg: $(wc -l <"$OUT/$pkg.files") files ($(grep -c '\.d\.ts$' "$OUT/$pkg.files") declarations), as expected"
done
exit "$status"
