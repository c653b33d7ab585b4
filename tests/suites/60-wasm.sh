#!/usr/bin/env bash
# WASM package `pocket-sign` (bindings-wasm/): builds it with scripts/build-wasm.sh (Debian
# rustc-web + build-std, wasm-bindgen, wasm-opt), runs `node --test` over the built package
# (every export, error kinds, shared vectors, CLI differential) and a headless-Chromium page test
# (playwright-core driving Debian's chromium), then the no_std witness: the core without `std`
# built for thumbv7em-none-eabihf (no libstd at all) with build-std.
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

(cd bindings-wasm && node --test test/*.test.mjs)

echo "no_std witness: pocket-sign-core --no-default-features for thumbv7em-none-eabihf"
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$ROOT/target/nostd" \
  /usr/bin/cargo build -q -p pocket-sign-core --no-default-features \
  --target thumbv7em-none-eabihf -Zbuild-std=core,alloc
echo "no_std witness: ok"
