#!/usr/bin/env bash
# JWT vectors: regenerate tests/vectors/jwt/jwt_vectors.json with PyJWT + cryptography (must be
# byte-identical to the checked-in file), run the Rust vector tests with both back ends
# (RustCrypto: no features; ring: std), and check `pocket-sign secret-hash` against Python.
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"
pip_install 'cryptography>=43' 'pyjwt==2.15.1'  # the version the vectors name

python tests/vectors/jwt/generate.py 2>/dev/null
if ! git diff --quiet --exit-code -- tests/vectors/jwt/jwt_vectors.json; then
  echo "jwt_vectors.json differs from a fresh generate.py run" >&2
  git --no-pager diff --stat -- tests/vectors/jwt/jwt_vectors.json >&2
  exit 1
fi

cargo test -q -p pocket-sign-core --test jwt_vectors
cargo test -q --workspace --all-features --test jwt_vectors

build_cli
fail=0
check_hash() { # USER CLIENT SECRET
  local want got
  want="$(python -c 'import sys,hmac,hashlib,base64; u,c,s=sys.argv[1:]; print(base64.b64encode(hmac.new(s.encode(),(u+c).encode(),hashlib.sha256).digest()).decode())' "$1" "$2" "$3")"
  got="$(PS_TEST_SECRET="$3" "$POCKET_SIGN_BIN" secret-hash "$1" --client-id "$2" --client-secret-env PS_TEST_SECRET)"
  if [ "$want" != "$got" ]; then echo "secret-hash mismatch for $1: $got != $want" >&2; fail=1; fi
  case "$got" in *"$3"*) echo "secret-hash output contains the secret" >&2; fail=1 ;; esac
}
check_hash 'foo@example.com' 'abcdefghijklmnopqrstuvwxyz' 'topsecret-value-1234567890'
check_hash 'ユーザー' '1example23456789' 'k&k k'
# Unset variable: usage error (exit 2), secret never printed.
set +e
out="$(env -u PS_NOPE "$POCKET_SIGN_BIN" secret-hash u --client-id c --client-secret-env PS_NOPE 2>&1)"; rc=$?
set -e
if [ "$rc" != 2 ]; then echo "secret-hash with an unset variable exited $rc, expected 2: $out" >&2; fail=1; fi
exit "$fail"
