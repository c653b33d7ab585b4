//! Golden-file tests of the `pocket-sign` command, with trycmd: every case `tests/cmd/NAME.toml`
//! runs the built binary and compares its exit code (`status.code`, 0 when absent), stdout and
//! stderr (`NAME.stdout` / `NAME.stderr`, or inline `stdout = ""` for "prints nothing") with
//! the expected bytes. `binary = true` cases compare exact bytes (in text mode trycmd turns `\`
//! into `/`); `[..]` in an expected line matches any text within that line (used only for the wall
//! clock that `jwt verify` reports).
//!
//! The cases run from the repository root (`fs.cwd`), read repository files by relative path
//! and use fixed times only (`--now`, `--expires-at`, `exp` claims). The secrets under
//! `tests/cmd/fixtures/` and in `env.add` are test values, never real ones. After an intended
//! output change, update the expected files with
//! `TRYCMD=overwrite cargo test -p pocket-sign-cli --test cli` and review the diff.

#[test]
fn cli_golden() {
    trycmd::TestCases::new()
        .register_bin(
            "pocket-sign",
            std::path::Path::new(env!("CARGO_BIN_EXE_pocket-sign")),
        )
        // Plain output whatever the caller's terminal settings (clap colours help and errors).
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}
