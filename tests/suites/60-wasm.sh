#!/usr/bin/env bash
# WASM package `pocket-sign` (bindings-wasm/): builds it with scripts/build-wasm.sh (Debian
# rustc-web + build-std, wasm-bindgen, wasm-opt; the full entry and `pocket-sign/spa`), runs
# `node --test` over the built package (every export, error kinds, shared vectors, CLI
# differential, headless-Chromium pages via playwright-core and Debian's chromium, load
# failures, the Django spa_login → SPA end-to-end test), then builds the same small SPA from
# the `npm pack` tarball with Vite 8 and 7, webpack 5, esbuild and Rollup 4 and runs each in
# Chromium (tests/bundlers/), then the no_std witness: the core without `std` built for
# thumbv7em-none-eabihf (no libstd at all) with build-std.
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"

command -v node >/dev/null 2>&1 || apt_install nodejs
command -v npm >/dev/null 2>&1 || apt_install npm
apt_install chromium

bash scripts/build-wasm.sh
npm_install bindings-wasm
# The tests import the built package by its name, as users do (resolves pkg/package.json's
# "exports": the `node` condition here, the default one in the browser test's import map).
ln -sfn ../pkg bindings-wasm/node_modules/pocket-sign
build_cli

# The end-to-end test runs a Django view with pocket_sign.django (the Python package, built
# here only when .venv does not have this tree's version, e.g. when 50-python did not run).
pip_install 'django>=4.2'
if ! "$VENV/bin/python" -c 'import pocket_sign._native as n; n.spa_session_cookie_value' >/dev/null 2>&1; then
  pip install -q --disable-pip-version-check --force-reinstall --no-deps ./bindings-python
fi
export POCKET_SIGN_PYTHON="$VENV/bin/python"

(cd bindings-wasm && node --test test/*.test.mjs)

# Bundlers: one shared node_modules (package-lock.json), the package from its tarball as
# users install it.
npm_install tests/bundlers
TARBALL="$(cd bindings-wasm/pkg && npm pack --silent --pack-destination "$ROOT/target/wasm" | tail -1)"
(cd tests/bundlers && npm install --no-save --no-audit --no-fund --loglevel=error "$ROOT/target/wasm/$TARBALL")
node tests/bundlers/run.mjs

echo "no_std witness: pocket-sign-core --no-default-features for thumbv7em-none-eabihf"
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$ROOT/target/nostd" \
  /usr/bin/cargo build -q -p pocket-sign-core --no-default-features \
  --target thumbv7em-none-eabihf -Zbuild-std=core,alloc
echo "no_std witness: ok"
