#!/usr/bin/env bash
# Hardening: the bad-input catalogue tests/vectors/bad_inputs.json through the CLI,
# Python and WASM front ends, and the CLI secret-echo tests. The Rust runners
# (core/tests/bad_inputs.rs, core/tests/secrets.rs, the 16-thread rotation test in
# core/tests/jwks_live.rs) run in 10-rust / 30-jwt.
#
# - the catalogue is what tests/vectors/bad_inputs/generate.py writes (regenerated and compared);
# - CLI: tests/hardening/ (pytest driving target/debug/pocket-sign): exit codes, empty stdout,
#   one-line stderr, no panic, no secret echoed;
# - Python: bindings-python/tests/test_bad_inputs.py against the installed package;
# - WASM: bindings-wasm/test/bad_inputs.test.mjs (node --test) against the built package.
# A binding front end is skipped only when its package directory does not exist.
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"

ensure_venv
pip_install pytest cryptography
python tests/vectors/bad_inputs/generate.py --check || {
  echo "tests/vectors/bad_inputs.json is stale: run python3 tests/vectors/bad_inputs/generate.py" >&2
  exit 1
}
build_cli
python -m pytest -q -p no:cacheprovider tests/hardening

if [ -d bindings-python ]; then
  pip_install -r bindings-python/tests/requirements.txt maturin
  # The same release build as 50-python (same command and target/, so it is incremental after
  # that suite and leaves .venv with the wheel the benchmarks measure).
  WHEELS="$ROOT/target/wheels-hardening"
  rm -rf "$WHEELS"
  (cd bindings-python && env -u OPENSSL_NO_VENDOR maturin build -q --release --compatibility pypi --out "$WHEELS")
  pip install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEELS"/pocket_sign-*-abi3-manylinux*.whl
  (cd bindings-python && python -m pytest -q -p no:cacheprovider tests/test_bad_inputs.py)
else
  echo "85-hardening: bindings-python/ not present, Python front end skipped"
fi

if [ -d bindings-wasm ]; then
  command -v node >/dev/null 2>&1 || apt_install nodejs
  command -v npm >/dev/null 2>&1 || apt_install npm
  bash scripts/build-wasm.sh
  npm_install bindings-wasm
  ln -sfn ../pkg bindings-wasm/node_modules/pocket-sign
  (cd bindings-wasm && node --test test/bad_inputs.test.mjs)
else
  echo "85-hardening: bindings-wasm/ not present, WASM front end skipped"
fi
