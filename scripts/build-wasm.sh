#!/usr/bin/env bash
# Builds the `pocket-sign` npm package (bindings-wasm/ → bindings-wasm/pkg/).
#
#   bash scripts/build-wasm.sh            # idempotent; works on a fresh Debian machine
#   WASM_OPT=0 bash scripts/build-wasm.sh # skip the wasm-opt size pass
#
# Steps (see bindings-wasm/README.md for the why):
#  1. Debian's rustc-web 1.96 (+ cargo-web, rust-web-src) in /usr/bin: it ships the library
#     sources, so `-Zbuild-std` can build std for wasm32-unknown-unknown, which the rustup
#     toolchain here has no target for. RUSTC_BOOTSTRAP=1 unlocks -Zbuild-std on it.
#  2. Link with rustup's rust-lld (Debian's rustc-web has no wasm linker of its own).
#  3. Build the cdylib with a size-oriented release profile into target/wasm (kept apart from
#     the host builds in target/debug and target/release).
#  4. wasm-bindgen CLI of exactly the version in Cargo.lock (rustup's cargo installs it once),
#     `--target web`; then the hand-written ESM entry points from bindings-wasm/js/ are copied
#     next to it: `index.js` (browsers and bundlers; top-level-await init) and `node.js`
#     (synchronous init from the file), selected by the package.json "exports" conditions.
#  5. wasm-opt -Oz from npm's `binaryen` (skipped with WASM_OPT=0); prints the .wasm size.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# rustup's toolchain first for everything except the wasm compile itself.
export PATH="$HOME/.cargo/bin:$PATH"
PKG="$ROOT/bindings-wasm/pkg"
WASM_TARGET_DIR="$ROOT/target/wasm"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- 1. Debian rustc-web ----------------------------------------------------------------
need_apt=0
for p in rustc-web cargo-web rust-web-src; do dpkg -s "$p" >/dev/null 2>&1 || need_apt=1; done
if [ $need_apt = 1 ]; then
  echo "build-wasm: installing Debian rustc-web, cargo-web, rust-web-src" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rustc-web cargo-web rust-web-src >/dev/null
fi

# --- 2. linker ----------------------------------------------------------------------------
LLD="$(rustc --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld"
if [ ! -x "$LLD" ]; then
  LLD="$(command -v rust-lld || command -v wasm-ld || true)"
  [ -n "$LLD" ] || { echo "build-wasm: no rust-lld (rustup) or wasm-ld found" >&2; exit 1; }
fi

# --- 3. compile -------------------------------------------------------------------------
# Size-oriented profile via env (the workspace [profile.release] is tuned for the host CLI).
echo "build-wasm: cargo build (wasm32-unknown-unknown, build-std) into target/wasm" >&2
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_DIR="$WASM_TARGET_DIR" \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$LLD" \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=s \
  CARGO_PROFILE_RELEASE_LTO=fat \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
  CARGO_PROFILE_RELEASE_PANIC=abort \
  CARGO_PROFILE_RELEASE_DEBUG=false \
  /usr/bin/cargo build -q --release --target wasm32-unknown-unknown \
  -Zbuild-std=std,panic_abort -p pocket-sign-wasm
WASM_IN="$WASM_TARGET_DIR/wasm32-unknown-unknown/release/pocket_sign_wasm.wasm"

# --- 4. wasm-bindgen ----------------------------------------------------------------------
WB_VERSION="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[ -n "$WB_VERSION" ] || { echo "build-wasm: wasm-bindgen not found in Cargo.lock" >&2; exit 1; }
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  echo "build-wasm: cargo install wasm-bindgen-cli $WB_VERSION" >&2
  cargo install -q --force wasm-bindgen-cli --version "$WB_VERSION"
fi
rm -rf "$PKG"
mkdir -p "$PKG"
wasm-bindgen --target web --out-dir "$PKG" --out-name pocket_sign_wasm "$WASM_IN"
cp bindings-wasm/js/index.js bindings-wasm/js/node.js bindings-wasm/js/index.d.ts \
  bindings-wasm/js/package.json bindings-wasm/README.md "$PKG/"
# The package version follows the crate's.
CRATE_VERSION="$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)"
sed -i "s/\"version\": \"0.0.0-dev\"/\"version\": \"$CRATE_VERSION\"/" "$PKG/package.json"

# --- 5. wasm-opt ----------------------------------------------------------------------------
WASM_OUT="$PKG/pocket_sign_wasm_bg.wasm"
before=$(stat -c %s "$WASM_OUT")
if [ "${WASM_OPT:-1}" != 0 ]; then
  if [ ! -x bindings-wasm/node_modules/.bin/wasm-opt ]; then
    (cd bindings-wasm && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi)
  fi
  # The features rustc enables by default for wasm32-unknown-unknown; wasm-opt must accept them.
  bindings-wasm/node_modules/.bin/wasm-opt -Oz \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-multivalue --enable-reference-types \
    -o "$WASM_OUT.opt" "$WASM_OUT"
  mv "$WASM_OUT.opt" "$WASM_OUT"
fi
after=$(stat -c %s "$WASM_OUT")
gz=$(gzip -9 -c "$WASM_OUT" | wc -c)
echo "build-wasm: $WASM_OUT: $after bytes (before wasm-opt: $before; gzip -9: $gz)"
