//! `pocket-sign alb ...`.
use crate::error::{CliError, CliResult};

/// Subcommands of `pocket-sign alb`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Placeholder until implemented.
    Todo,
}

/// Runs the command.
pub fn run(_cmd: Command) -> CliResult {
    Err(CliError::input("this command is not implemented yet"))
}
