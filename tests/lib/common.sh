# Shared helpers for tests/suites/*.sh (sourced). Every suite installs what it needs itself,
# idempotently, so `bash tests/run-all.sh` works on a fresh machine.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ROOT
# rustup's toolchain first (Debian's rustc-web, when installed for wasm, lives in /usr/bin).
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
# `--all-features` turns on the core's `native-vendored` (OpenSSL built from source, for the Python
# wheel). The test builds link the system OpenSSL instead (openssl-sys honours
# OPENSSL_NO_VENDOR): the same code, minutes less per clean build. Suite 50-python unsets it for
# the wheel, which must carry its own libcrypto.
export OPENSSL_NO_VENDOR=1
VENV="$ROOT/.venv"
export VENV

# Run as root or through sudo.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# apt_install PKG...: installs Debian packages that are missing.
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ ! -f /tmp/.pocket-sign-apt-updated ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq && touch /tmp/.pocket-sign-apt-updated
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# ensure_venv: the project's Python virtualenv in .venv (created once), activated.
ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip
  fi
  # shellcheck disable=SC1091
  source "$VENV/bin/activate"
}

# pip_install REQ...: installs Python requirements into .venv (quietly; pip skips satisfied ones).
pip_install() {
  ensure_venv
  pip install -q --disable-pip-version-check "$@"
}

# npm_install DIR: installs a package.json's dependencies in DIR (npm ci when a lockfile exists).
npm_install() {
  local dir="$1"
  if [ -f "$dir/package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  else
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
  fi
}

# build_cli: builds the pocket-sign binary (debug) and exports POCKET_SIGN_BIN. Same cargo flags
# as suite 10-rust (`--workspace --all-features`, test targets included), so that after it nothing
# is compiled again: one feature set for every debug build of the test command.
build_cli() {
  (cd "$ROOT" && cargo test -q --workspace --all-features --no-run)
  export POCKET_SIGN_BIN="$ROOT/target/debug/pocket-sign"
}

# The core's `std` builds link the system OpenSSL (headers and pkg-config), on the machine image
# already; installed here when missing so that a fresh machine works too.
apt_install libssl-dev pkg-config
