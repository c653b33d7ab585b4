//! `pocket-sign secret-hash`: the Cognito `SECRET_HASH` for a user name and app client.

use crate::error::{CliError, CliResult};

/// Arguments of `pocket-sign secret-hash`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The user name exactly as sent in `USERNAME` (often the email address).
    pub username: String,
    /// The Cognito app client id.
    #[arg(long)]
    pub client_id: String,
    /// Name of the environment variable holding the app client secret (never echoed).
    #[arg(long, value_name = "VAR")]
    pub client_secret_env: String,
}

/// Prints `Base64(HMAC-SHA256(client_secret, username + client_id))` on stdout.
/// Exit 2 when the variable is unset, empty or not UTF-8.
pub fn run(args: Args) -> CliResult {
    let secret = std::env::var(&args.client_secret_env).map_err(|_| {
        CliError::input(format!(
            "environment variable {} is not set or not UTF-8",
            args.client_secret_env
        ))
    })?;
    if secret.is_empty() {
        return Err(CliError::input(format!(
            "environment variable {} is empty",
            args.client_secret_env
        )));
    }
    if args.client_id.is_empty() {
        return Err(CliError::input("--client-id is empty"));
    }
    super::out::line(&pocket_sign_core::cognito::secret_hash(
        &args.username,
        &args.client_id,
        &secret,
    ))?;
    Ok(())
}
