//! The CLI's error: one sentence for a person, and an exit code.

use std::fmt;

/// A failed command. `Display` is one sentence without secrets.
#[derive(Debug)]
pub enum CliError {
    /// Exit 1: the input was well-formed but did not verify (expired, bad signature, ...).
    Invalid(String),
    /// Exit 2: a usage or input error (missing flag, unreadable file, malformed key, ...).
    Input(String),
}

impl CliError {
    /// Shorthand for [`CliError::Input`].
    pub fn input(msg: impl Into<String>) -> Self {
        CliError::Input(msg.into())
    }
    /// Shorthand for [`CliError::Invalid`].
    pub fn invalid(msg: impl Into<String>) -> Self {
        CliError::Invalid(msg.into())
    }
    /// The process exit code for this error (1 or 2).
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Invalid(_) => 1,
            CliError::Input(_) => 2,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Invalid(m) | CliError::Input(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CliError {}

/// Result type of every command.
pub type CliResult = Result<(), CliError>;
