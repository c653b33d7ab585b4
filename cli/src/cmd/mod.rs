//! One module per subcommand.
pub mod alb;
pub mod cf_args;
pub mod cf_function;
pub mod cookies;
pub mod jwt;
pub mod keygen;
pub mod out;
pub mod policy;
pub mod secret_hash;
pub mod token;
pub mod url;

use crate::error::CliError;

/// The current unix time in seconds: the core's one clock ([`pocket_sign_core::time::unix_now`]);
/// a system clock before 1970 is an input error (exit 2), never unix time 0.
pub fn now() -> Result<u64, CliError> {
    pocket_sign_core::time::unix_now().map_err(|e| CliError::input(e.to_string()))
}
