//! `pocket-sign secret-hash`.
use crate::error::{CliError, CliResult};

/// Arguments of `pocket-sign secret-hash`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> CliResult {
    Err(CliError::input("this command is not implemented yet"))
}
