//! Writing command output to stdout without panicking (`println!` panics on a closed pipe,
//! e.g. `pocket-sign keygen cloudfront | head -1`).
use std::io::Write;

use crate::error::CliError;

/// Writes `text` and a newline to stdout and flushes (see [`text`]). A closed pipe (the reader went away) is
/// not an error; any other write failure is an input/output error (exit 2).
pub fn line(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    let r = out
        .write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match r {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::input(format!(
            "cannot write output: {}",
            e.kind()
        ))),
    }
}

/// Writes `text` as is (no newline added) to stdout and flushes. A closed pipe is not an
/// error (the command's output is simply not read); any other write failure is exit 2.
pub fn text(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::input(format!(
            "cannot write output: {}",
            e.kind()
        ))),
    }
}
