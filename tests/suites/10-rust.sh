#!/usr/bin/env bash
# Rust unit and integration tests for the whole workspace (core with and without std, CLI).
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"
cargo test -q --workspace --all-features
# The default (no_std + alloc) build of the core, with its own tests.
cargo test -q -p pocket-sign-core --no-default-features
