#!/usr/bin/env bash
# Cognito JWT / JWKS / ALB verification, all on 127.0.0.1:
# - Rust: JWKS cache against a live loopback server (rotation, 10,000 unknown kids, faults,
#   coalescing), jwks/alb unit tests.
# - Python (pytest): moto Cognito end to end (real access and id tokens verified by
#   `pocket-sign jwt verify` with the JWKS fetched from moto), every rejection of the issue,
#   JWKS endpoint faults, shared-secret HS*, ALB data with a local key server, and a
#   differential run against aws-jwt-verify (npm) on the same tokens.
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"

cargo test -q --workspace --all-features --test jwks_live
cargo test -q --workspace --all-features --lib --tests -- jwks:: alb::

pip_install 'moto[server]' boto3 pytest cryptography PyJWT
command -v node >/dev/null 2>&1 || apt_install nodejs npm
npm_install tests/jwt/node
build_cli

python -m pytest -q -p no:cacheprovider tests/jwt
