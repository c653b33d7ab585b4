#!/usr/bin/env bash
# One-command comparison of pocket-sign against what users run today, on this machine, in one run:
# OpenSSL (the physical floor), Python peers (pure-Python SPA token, botocore + cryptography,
# python-jose as in magic-pocket's Django Ninja example, PyJWT), node peers (aws-jwt-verify,
# @aws-sdk/cloudfront-signer) and pocket-sign's Rust core (criterion), Python package and WASM
# package (node) where built.
#
#   bash scripts/compare.sh            # full run (~5 min), writes docs/benchmarks.md + .json
#   bash scripts/compare.sh --quick    # short timings (CI smoke test, ~1 min after builds)
#   bash scripts/compare.sh --quick --out-dir target/compare/out   # write elsewhere
#
# Installs what it needs (Python venv .venv with scripts/compare/requirements.txt, npm packages
# from scripts/compare/node/package-lock.json). All keys are the public test keys in
# benches/data/; the JWKS and tokens are generated at the start of every run.
source "$(dirname "$0")/../tests/lib/common.sh"
cd "$ROOT"

MODE=full
OUT_DIR="$ROOT/docs"
SKIP_RUST=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) MODE=quick ;;
    --out-dir) OUT_DIR="$2"; shift ;;
    --skip-rust) SKIP_RUST=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
COMMAND="bash scripts/compare.sh${MODE/full/}"
[ "$MODE" = quick ] && COMMAND="bash scripts/compare.sh --quick"

if [ "$MODE" = quick ]; then
  PY_SECONDS=0.15; OPENSSL_SECONDS=1; CRIT_ARGS=(--warm-up-time 0.2 --measurement-time 0.5)
else
  PY_SECONDS=1.5; OPENSSL_SECONDS=3; CRIT_ARGS=(--warm-up-time 1 --measurement-time 3)
fi

WORK="$ROOT/target/compare"
STARTED="$(date +%s)"
mkdir -p "$WORK" "$OUT_DIR"
rm -f "$WORK"/*.json
log() { echo "--- $*" >&2; }

log "installing peers (pip: scripts/compare/requirements.txt, npm: scripts/compare/node)"
command -v openssl >/dev/null || apt_install openssl
command -v node >/dev/null || apt_install nodejs
command -v npm >/dev/null || apt_install npm
pip_install -r scripts/compare/requirements.txt
npm_install scripts/compare/node >/dev/null

log "test material: JWKS and tokens from the bench keys in benches/data/"
python scripts/compare/fixtures.py "$ROOT" "$WORK/fixtures.json"

log "openssl speed -seconds $OPENSSL_SECONDS rsa2048 ecdsap256 (floor)"
python scripts/compare/openssl_speed.py "$OPENSSL_SECONDS" "$WORK/openssl.json"

log "Python peers"
(cd scripts/compare && python peers_py.py "$WORK/fixtures.json" "$WORK/peers_py.json" "$PY_SECONDS")

# Our Python package: use the installed one, else build it from the repo when its crate exists.
if ! python -c "import pocket_sign" 2>/dev/null; then
  for dir in bindings-python python py; do
    if [ -f "$dir/pyproject.toml" ]; then
      log "building pocket_sign from $dir (maturin, release)"
      pip_install "maturin>=1.5,<2"
      (cd "$dir" && maturin develop --release -q) || { log "pocket_sign build failed"; exit 1; }
      break
    fi
  done
fi
log "pocket_sign (Python)"
# A crash of the benchmark program is a failure of this script, never a silently missing row.
(cd scripts/compare && python ours_py.py "$WORK/fixtures.json" "$WORK/ours_py.json" "$PY_SECONDS") \
  || { log "ours_py.py failed"; exit 1; }

# Our WASM package (nodejs target) when its crate exists and wasm-pack is available.
# POCKET_SIGN_WASM_PKG=DIR uses an already built package directory instead.
WASM_PKG="${POCKET_SIGN_WASM_PKG:-}"
for dir in bindings-wasm wasm; do
  [ -n "$WASM_PKG" ] && break
  if [ -f "$dir/pkg-node/package.json" ]; then WASM_PKG="$ROOT/$dir/pkg-node"; break; fi
  if [ -f "$dir/pkg/package.json" ]; then WASM_PKG="$ROOT/$dir/pkg"; break; fi
done
log "node peers${WASM_PKG:+ and pocket-sign WASM ($WASM_PKG)}"
node scripts/compare/node/bench.mjs "$WORK/fixtures.json" "$WORK/node.json" "$PY_SECONDS" "$WASM_PKG"

if [ "$SKIP_RUST" = 0 ]; then
  log "Rust core: cargo bench -p pocket-sign-benches -- ${CRIT_ARGS[*]}"
  export CRITERION_HOME="$ROOT/target/criterion"
  cargo bench -q -p pocket-sign-benches --bench hot_paths -- "${CRIT_ARGS[@]}" >"$WORK/criterion.log" 2>&1 \
    || { tail -30 "$WORK/criterion.log" >&2; exit 1; }
  grep -E "^[a-z0-9_]+/[a-z0-9_]+ +time:" -A0 "$WORK/criterion.log" >&2 || true
  backend="$(sed -n 's/^pocket-sign crypto back end: //p' "$WORK/criterion.log" | head -n 1)"
  python -c 'import json, sys; json.dump({"rows": [], "errors": [],
    "samples": {"rust_crypto_backend": sys.argv[2]}}, open(sys.argv[1], "w"))' \
    "$WORK/rust_backend.json" "$backend"
fi

versions="$(python - <<'EOF'
import json, subprocess
from importlib import metadata
v = {}
for dist in ("botocore", "cryptography", "python-jose", "PyJWT", "pocket_sign"):
    try:
        v[dist] = metadata.version(dist)
    except metadata.PackageNotFoundError:
        pass
lock = json.load(open("scripts/compare/node/package-lock.json"))
for name in ("aws-jwt-verify", "@aws-sdk/cloudfront-signer"):
    v[name] = lock["packages"].get("node_modules/" + name, {}).get("version", "?")
v["node"] = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
v["rustc"] = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.split()[1]
print(json.dumps(v))
EOF
)"

python scripts/compare/report.py --criterion "$ROOT/target/criterion" --out-dir "$OUT_DIR" \
  --command "$COMMAND" --mode "$MODE" --since "$STARTED" --versions "$versions" \
  "$WORK/openssl.json" "$WORK/peers_py.json" "$WORK/ours_py.json" "$WORK/node.json" \
  $([ "$SKIP_RUST" = 0 ] && echo "$WORK/rust_backend.json")
