#!/usr/bin/env bash
# SPA token and keygen against real peers: a Python stdlib (hmac/hashlib) reimplementation of
# magic-pocket's pocket.django.spa_auth (both directions), Django's own Set-Cookie rendering,
# the shared vector, and keygen output checked with `cryptography` and `openssl`.
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"
apt_install openssl python3-venv
pip_install pytest cryptography 'django>=4.2'
build_cli
cd "$ROOT/tests/spa"
python -m pytest -q -p no:cacheprovider .
