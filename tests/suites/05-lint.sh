#!/usr/bin/env bash
# Formatting, lints and docs: rustfmt, clippy with warnings denied, rustdoc without broken links.
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"
cargo fmt --all -- --check
cargo clippy -q --workspace --all-targets --all-features -- -D warnings
cargo clippy -q -p pocket-sign-core --all-targets -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p pocket-sign-core --all-features
echo "lint: 3 passed, 0 failed"
