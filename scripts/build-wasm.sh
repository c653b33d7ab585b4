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
#     the host builds in target/debug and target/release), twice: the full package, then the
#     SPA subset (`--no-default-features`).
#  4. wasm-bindgen CLI of exactly the version in Cargo.lock (rustup's cargo installs it once),
#     `--target web`; then the hand-written ESM entry points from bindings-wasm/js/ are copied
#     next to it: `index.js` (browsers and bundlers; top-level-await init), `node.js`
#     (synchronous init from the file) and `spa.js` (`pocket-sign/spa`: wasm gzipped and
#     inlined as base64, explicit `init()`), selected by the package.json "exports" conditions.
#  5. wasm-opt -Oz from npm's `binaryen` (skipped with WASM_OPT=0); prints the sizes of both
#     entries (JS + wasm, gzip -9) and writes them to pkg/sizes.json.
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

# --- 3.-5. compile, wasm-bindgen, wasm-opt: twice ----------------------------------------
# The full package (default features) and the SPA subset (`--no-default-features`: no
# codegen, CloudFront policy building, JWT verification, SPA token issuing), same crate.
# Size-oriented profile via env (the workspace [profile.release] is tuned for the host CLI).
WASM_IN="$WASM_TARGET_DIR/wasm32-unknown-unknown/release/pocket_sign_wasm.wasm"
compile() {
  echo "build-wasm: cargo build $* (wasm32-unknown-unknown, build-std) into target/wasm" >&2
  # Size: `panic = "immediate-abort"` (a panic traps at once, no message formatting: the
  # bindings never panic on input, and a trap surfaces in JS as a RuntimeError either way),
  # std's `optimize_for_size`, no panic-location strings. opt-level s beats z here (measured).
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
    RUSTFLAGS="-Zlocation-detail=none" \
    CARGO_TARGET_DIR="$WASM_TARGET_DIR" \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$LLD" \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=s \
    CARGO_PROFILE_RELEASE_LTO=fat \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
    CARGO_PROFILE_RELEASE_PANIC=immediate-abort \
    CARGO_PROFILE_RELEASE_DEBUG=false \
    /usr/bin/cargo build -q --release --target wasm32-unknown-unknown \
    -Zpanic-immediate-abort -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size \
    -p pocket-sign-wasm "$@"
}

WB_VERSION="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[ -n "$WB_VERSION" ] || { echo "build-wasm: wasm-bindgen not found in Cargo.lock" >&2; exit 1; }
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  echo "build-wasm: cargo install wasm-bindgen-cli $WB_VERSION" >&2
  cargo install -q --force wasm-bindgen-cli --version "$WB_VERSION"
fi

wasm_opt() { # FILE: wasm-opt -Oz in place (skipped with WASM_OPT=0)
  [ "${WASM_OPT:-1}" != 0 ] || return 0
  if [ ! -x bindings-wasm/node_modules/.bin/wasm-opt ]; then
    (cd bindings-wasm && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi)
  fi
  # The features rustc enables by default for wasm32-unknown-unknown; wasm-opt must accept them.
  bindings-wasm/node_modules/.bin/wasm-opt -Oz \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-multivalue --enable-reference-types \
    --strip-producers --strip-target-features -o "$1.opt" "$1"
  mv "$1.opt" "$1"
}

# wasm-bindgen's .d.ts without its init section (InitInput, initSync, default init: they name
# DOM types such as RequestInfo and Response): the declarations the entry points re-export, so
# they compile without the DOM lib. `[Symbol.dispose]` needs lib esnext.disposable: dropped.
api_dts() { # IN OUT
  awk '/^export type InitInput/ { exit } { print }' "$1" | grep -v 'Symbol.dispose' > "$2"
}

gz() { gzip -9 -c "$1" | wc -c; }

rm -rf "$PKG"
mkdir -p "$PKG/spa"

# Full package.
compile
wasm-bindgen --target web --out-dir "$PKG" --out-name pocket_sign_wasm "$WASM_IN"
api_dts "$PKG/pocket_sign_wasm.d.ts" "$PKG/api.d.ts"
WASM_OUT="$PKG/pocket_sign_wasm_bg.wasm"
before=$(stat -c %s "$WASM_OUT")
wasm_opt "$WASM_OUT"

# SPA subset: no default module path (no `new URL(…, import.meta.url)` for bundlers to chase);
# the .wasm is inlined (gzip, base64) in spa/wasm-inline.js and the separate file removed.
compile --no-default-features
wasm-bindgen --target web --omit-default-module-path --out-dir "$PKG/spa" --out-name pocket_sign_spa "$WASM_IN"
api_dts "$PKG/spa/pocket_sign_spa.d.ts" "$PKG/spa/api.d.ts"
SPA_WASM="$PKG/spa/pocket_sign_spa_bg.wasm"
wasm_opt "$SPA_WASM"
spa_wasm_bytes=$(stat -c %s "$SPA_WASM")
# Inlined as base64 of its gzip (-9 -n: reproducible): base64 of the raw module gzips ~30%
# worse than the module itself; of the gzip, about the same. spa.js gunzips it with
# DecompressionStream.
{ printf '// Generated by scripts/build-wasm.sh: the pocket-sign/spa wasm module (%s bytes), gzip, base64.\nexport const WASM_GZIP_BASE64 = "' "$spa_wasm_bytes"
  gzip -9 -n -c "$SPA_WASM" | base64 -w0; printf '";\n'; } > "$PKG/spa/wasm-inline.js"
rm -f "$SPA_WASM" "$PKG/spa/pocket_sign_spa_bg.wasm.d.ts" "$PKG/spa/pocket_sign_spa.d.ts"

cp bindings-wasm/js/index.js bindings-wasm/js/node.js bindings-wasm/js/index.d.ts \
  bindings-wasm/js/errors.js bindings-wasm/js/errors.d.ts bindings-wasm/js/load.js \
  bindings-wasm/js/spa.js bindings-wasm/js/spa.d.ts bindings-wasm/js/package.json "$PKG/"

# --- sizes ----------------------------------------------------------------------------------
# Per-file gzip -9, summed: what a browser downloads for each entry (JS + wasm).
after=$(stat -c %s "$WASM_OUT")
full_js=0; for f in index.js load.js errors.js pocket_sign_wasm.js; do full_js=$((full_js + $(gz "$PKG/$f"))); done
full_gz=$(( $(gz "$WASM_OUT") + full_js ))
spa_js=0; for f in spa.js load.js errors.js spa/pocket_sign_spa.js; do spa_js=$((spa_js + $(gz "$PKG/$f"))); done
spa_inline=$(gz "$PKG/spa/wasm-inline.js")
spa_gz=$((spa_js + spa_inline))
cat > "$PKG/sizes.json" <<JSON
{ "full": { "wasmBytes": $after, "wasmBytesBeforeWasmOpt": $before, "gzipJsAndWasm": $full_gz },
  "spa": { "wasmBytes": $spa_wasm_bytes, "gzipInlinedWasm": $spa_inline, "gzipJs": $spa_js, "gzipJsAndWasm": $spa_gz } }
JSON
# The README's size sentences (between `<!-- sizes:… -->` markers) are rewritten from these
# measurements, so the numbers it states always come from the last build.
python3 - "$PKG/sizes.json" bindings-wasm/README.md <<'PY'
import json, re, sys
sizes, readme = json.load(open(sys.argv[1])), sys.argv[2]
spa, full = sizes["spa"], sizes["full"]
n = "{:,}".format
text = open(readme).read()
parts = {
    "spa": f"gzip for JS + wasm ({n(spa['gzipJsAndWasm'])} bytes, "
    f"{spa['gzipJsAndWasm'] / 1024:.1f} KiB), of which the inlined wasm "
    f"({n(spa['wasmBytes'])} bytes after `wasm-opt -Oz`) is {n(spa['gzipInlinedWasm'])} and "
    f"the JS glue and entry files {n(spa['gzipJs'])}",
    "full": f"JS + wasm ({full['gzipJsAndWasm'] / 1000:.1f} KB gzip, {n(full['gzipJsAndWasm'])} bytes)",
}
for key, value in parts.items():
    text, count = re.subn(rf"(<!-- sizes:{key} -->).*?(<!-- /sizes:{key} -->)",
                          lambda m: m.group(1) + value + m.group(2), text, flags=re.S)
    if count != 1:
        sys.exit(f"build-wasm: {readme} has no <!-- sizes:{key} --> section")
open(readme, "w").write(text)
PY

cp bindings-wasm/README.md "$PKG/"
# The package version follows the crate's.
CRATE_VERSION="$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)"
sed -i "s/\"version\": \"0.0.0-dev\"/\"version\": \"$CRATE_VERSION\"/" "$PKG/package.json"
echo "build-wasm: pocket-sign (full): $WASM_OUT: $after bytes (before wasm-opt: $before); JS + wasm gzip -9: $full_gz bytes"
echo "build-wasm: pocket-sign/spa: wasm $spa_wasm_bytes bytes inlined; JS + wasm gzip -9: $spa_gz bytes ($(( (spa_gz + 1023) / 1024 )) KiB)"
