#!/usr/bin/env bash
# Rust unit and integration tests for the whole workspace: the core with and without std, and
# the CLI golden tests (cli/tests/cmd/*.toml, trycmd: every subcommand's help, outputs and errors).
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"
cargo test -q --workspace --all-features
# The default (no_std + alloc) build of the core, with its own tests.
cargo test -q -p pocket-sign-core --no-default-features
