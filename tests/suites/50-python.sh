#!/usr/bin/env bash
# Python package `pocket-sign` (bindings-python/, PyO3 + maturin, abi3-py39), tested as users
# install it: from a wheel, without a Rust toolchain.
# 1. Builds the abi3 wheel (`maturin build --release`, manylinux tag checked by maturin's
#    auditwheel check and by `auditwheel show`) once, and the sdist, into target/wheels/.
# 2. Installs the wheel into a fresh virtualenv whose PATH has no cargo/rustc (test tools come
#    from .venv through a .pth file; pocket_sign itself only from the wheel), and runs the pytest
#    suite there against real Django, django-ninja, django-storages/botocore, FastAPI and moto's
#    Cognito server, then checks the .pyi stubs against the compiled module (mypy.stubtest).
# 3. Installs the same wheel into .venv for the later suites (benchmarks).
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"
ensure_venv
pip_install -r bindings-python/tests/requirements.txt maturin auditwheel

WHEELS="$ROOT/target/wheels"
rm -rf "$WHEELS"
# --compatibility pypi: a manylinux tag PyPI accepts (the lowest the binary allows), or an error.
(cd bindings-python && env -u OPENSSL_NO_VENDOR maturin build -q --release --compatibility pypi --auditwheel check --out "$WHEELS" \
  && maturin sdist --out "$WHEELS")
WHEEL="$(ls "$WHEELS"/pocket_sign-*-abi3-manylinux*.whl)"
SDIST="$(ls "$WHEELS"/pocket_sign-*.tar.gz)"
case "$(basename "$WHEEL")" in
  *-cp39-abi3-manylinux*) ;;
  *) echo "50-python: $WHEEL is not a cp39-abi3 manylinux wheel" >&2; exit 1 ;;
esac
AUDIT="$(auditwheel show "$WHEEL")"
echo "$AUDIT"
# auditwheel wraps its text at the terminal width: join the lines before matching.
AUDIT_LINE="$(tr -s '\n ' '  ' <<<"$AUDIT")"
grep -q 'consistent with the following platform tag: "manylinux' <<<"$AUDIT_LINE"
# The sdist builds without the rest of the workspace: it carries the core crate it depends on.
# (listed once into a variable: `tar | grep -q` fails under pipefail when grep exits early)
SDIST_FILES="$(tar -tzf "$SDIST")"
grep -q '/core/src/lib.rs$' <<<"$SDIST_FILES"
grep -q '/pyproject.toml$' <<<"$SDIST_FILES"

# A fresh virtualenv; its PATH holds its own bin/ and the system tools, never cargo, rustc or maturin.
WV="$ROOT/target/wheel-venv"
python3 -m venv --clear "$WV"
# The system's tools (sh, node, openssl, ...) through a folder of links without the Rust
# toolchain's programs (cargo, rustc, rustup, rustdoc), whichever directory they live in.
NORUST_BIN="$ROOT/target/norust-bin"
rm -rf "$NORUST_BIN" && mkdir -p "$NORUST_BIN"
for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
  [ -d "$d" ] || continue
  for f in "$d"/*; do
    b="${f##*/}"
    case "$b" in cargo*|rustc*|rustup*|rustdoc*|rust-gdb*|rust-lldb*|rust-analyzer*|maturin*) continue ;; esac
    [ -e "$NORUST_BIN/$b" ] || [ -L "$NORUST_BIN/$b" ] || ln -s "$f" "$NORUST_BIN/$b"
  done
done
PURE_PATH="$WV/bin:$NORUST_BIN"
env PATH="$PURE_PATH" /bin/sh -c '! command -v cargo && ! command -v rustc' >/dev/null 2>&1 \
  || { echo "50-python: cargo/rustc visible in the wheel venv" >&2; exit 1; }
env PATH="$PURE_PATH" "$WV/bin/python" -m pip install -q --disable-pip-version-check --no-index --no-deps --only-binary :all: "$WHEEL"
# Test tools (pytest, Django, moto, ...) from .venv, after the fresh venv's own site-packages.
VENV_SITE="$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
WV_SITE="$("$WV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$VENV_SITE" > "$WV_SITE/zz-test-tools.pth"

cd "$ROOT/bindings-python"
# Run from a directory without python/pocket_sign on sys.path, so only the wheel is imported.
env PATH="$PURE_PATH" POCKET_SIGN_EXPECT_PREFIX="$WV" "$WV/bin/python" -m pytest -q -p no:cacheprovider tests
env PATH="$PURE_PATH" "$WV/bin/python" -m mypy.stubtest pocket_sign._native --allowlist stubtest-allowlist.txt
python -m mypy --strict python/pocket_sign

# The later steps and suites (upstream tests, 70-bench) use .venv: same wheel, no second build.
pip install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"
# magic-pocket's own tests/test_origin_verify.py (its PyPI sdist, pinned) against the drop-in,
# imports swapped; its deploy-tool tests are left out (see the script).
python "$ROOT/tests/upstream/run_upstream_tests.py"
# botocore's own TestCloudfrontSigner and django-storages' own CloudFront tests (from their PyPI
# sdists, cached in .venv/upstream-sdists) with pocket_sign's CloudFrontSigner swapped in.
bash tests/upstream/run.sh
