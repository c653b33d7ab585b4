#!/usr/bin/env bash
# Differential: aws-jwt-verify (npm, pinned) verifies every JWKS case of
# tests/vectors/jwt/jwt_vectors.json with the vector's fixed clock; its accept/reject decision
# must match each case's `aws_jwt_verify_accepts` (the cases where pocket-sign is deliberately
# stricter are printed). pocket-sign's own decisions on the same cases are checked by
# `cargo test --test jwt_vectors` (suite 31).
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"
command -v node >/dev/null || apt_install nodejs npm
npm_install tests/jwt/aws-vectors
node tests/jwt/aws-vectors/run.mjs
