//! `pocket-sign token issue|verify|logout-cookie`: magic-pocket SPA tokens
//! (`{user_id}:{expiry}:{hmac_sha256_hex}`, cookie `pocket-spa-token`).
//!
//! The secret (64 hex characters, magic-pocket's `SPA_TOKEN_SECRET`) comes from
//! `--secret-file PATH` or else the environment variable `SPA_TOKEN_SECRET`. It is never
//! printed, not even in errors, and never taken from the command line: the former
//! `--secret HEX` put it in `ps` output and shell history and is now refused (exit 2).
//!
//! `token verify` also accepts tokens signed with the previous secret during a rotation: from
//! `--previous-secret-file PATH` or the environment variable `SPA_TOKEN_SECRET_PREVIOUS` (same
//! 64-hex format; unset or empty means no rotation). Tokens are always issued with the current
//! secret.
//!
//! Exit codes: 0 success; 1 the token did not verify (malformed, bad signature, expired);
//! 2 usage or input error (missing or malformed secret, invalid user id, overflow).
use std::io::Read;

use pocket_sign_core::spa_token::{self, SecretUsed, SpaTokenError, SpaTokenKey, SpaTokenKeyring};

use super::out;
use crate::error::{CliError, CliResult};

/// Subcommands of `pocket-sign token`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Issue a token for USER_ID valid for --max-age seconds; prints the token.
    Issue(IssueArgs),
    /// Verify a token; prints the user id (exit 0) or the reason on stderr (exit 1).
    Verify(VerifyArgs),
    /// Print the Set-Cookie value that deletes the token cookie (Django's delete_cookie).
    LogoutCookie,
}

/// The environment variable holding the SPA token secret (64 hex characters).
const SECRET_ENV: &str = "SPA_TOKEN_SECRET";

/// Where the secret comes from: `--secret-file`, else `SPA_TOKEN_SECRET`.
#[derive(Debug, clap::Args)]
pub struct SecretArgs {
    /// Removed: a secret on the command line is visible to other local users (`ps`) and
    /// kept in shell history. Refused with exit 2 and a pointer to the safe ways; the value is
    /// never echoed.
    #[arg(long, value_name = "HEX", hide = true)]
    secret: Option<std::ffi::OsString>,
    /// Read the SPA token secret (64 hex characters) from this file (surrounding whitespace
    /// is ignored); wins over the environment variable SPA_TOKEN_SECRET.
    #[arg(long, value_name = "PATH")]
    secret_file: Option<std::path::PathBuf>,
}

/// Arguments of `pocket-sign token issue`.
#[derive(Debug, clap::Args)]
pub struct IssueArgs {
    /// The user id (magic-pocket uses `str(user.pk)`); must be non-empty and contain no ':'.
    user_id: String,
    /// Lifetime in seconds (default 604800 = 7 days).
    #[arg(long, value_name = "SECONDS", default_value_t = spa_token::DEFAULT_MAX_AGE)]
    max_age: u64,
    /// Issue time in unix seconds instead of the system clock (for tests and reproducible output).
    #[arg(long, value_name = "UNIX")]
    now: Option<u64>,
    /// Print the full Set-Cookie value (as Django's set_cookie renders it, with expires,
    /// HttpOnly, Max-Age, Path=/, SameSite=Lax, Secure) instead of the bare token.
    #[arg(long)]
    set_cookie: bool,
    #[command(flatten)]
    secret: SecretArgs,
}

/// Arguments of `pocket-sign token verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The token, or `-` to read it from standard input (keeps it out of the process list).
    token: String,
    /// Verification time in unix seconds instead of the system clock.
    #[arg(long, value_name = "UNIX")]
    now: Option<u64>,
    /// Print `{"user_id": ..., "expiry": ..., "secret": "current"|"previous"}` instead of the
    /// bare user id.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    secret: SecretArgs,
    /// Read the previous secret (secret rotation) from this file instead of the environment
    /// variable SPA_TOKEN_SECRET_PREVIOUS; surrounding whitespace is ignored.
    #[arg(long, value_name = "PATH")]
    previous_secret_file: Option<std::path::PathBuf>,
}

/// Environment variable holding the previous SPA token secret during a rotation.
const PREVIOUS_ENV: &str = "SPA_TOKEN_SECRET_PREVIOUS";

/// The previous secret, if any: `--previous-secret-file`, else `SPA_TOKEN_SECRET_PREVIOUS`.
fn load_previous(file: Option<&std::path::Path>) -> Result<Option<String>, CliError> {
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CliError::input(format!(
                "cannot read the previous secret file {}: {}",
                path.display(),
                e.kind()
            ))
        })?;
        return Ok(Some(text));
    }
    match std::env::var(PREVIOUS_ENV) {
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(CliError::input(format!(
            "{PREVIOUS_ENV} is not valid UTF-8"
        ))),
    }
}

/// Runs the command.
pub fn run(cmd: Command) -> CliResult {
    match cmd {
        Command::Issue(a) => issue(a),
        Command::Verify(a) => verify(a),
        Command::LogoutCookie => {
            out::line(&spa_token::logout_set_cookie())?;
            Ok(())
        }
    }
}

fn load_key(args: &SecretArgs) -> Result<SpaTokenKey, CliError> {
    if args.secret.is_some() {
        return Err(CliError::input(
            "--secret was removed: a secret on the command line is visible in the process list \
             and shell history; use --secret-file PATH or the environment variable SPA_TOKEN_SECRET",
        ));
    }
    let from_file;
    let from_env;
    let secret: &str = if let Some(path) = &args.secret_file {
        from_file = std::fs::read_to_string(path).map_err(|e| {
            CliError::input(format!(
                "cannot read the secret file {}: {}",
                path.display(),
                e.kind()
            ))
        })?;
        from_file.trim()
    } else if let Some(s) = std::env::var_os(SECRET_ENV) {
        from_env = s.into_string().map_err(|_| {
            CliError::input(format!(
                "the environment variable {SECRET_ENV} is not UTF-8"
            ))
        })?;
        from_env.as_str()
    } else {
        return Err(CliError::input(
            "no SPA token secret: pass --secret-file PATH or set SPA_TOKEN_SECRET",
        ));
    };
    SpaTokenKey::from_hex(secret).map_err(|e| CliError::input(e.to_string()))
}

fn issue(a: IssueArgs) -> CliResult {
    let key = load_key(&a.secret)?;
    let now = match a.now {
        Some(n) => n,
        None => super::now()?,
    };
    let token = key
        .issue(&a.user_id, now, a.max_age)
        .map_err(|e| CliError::input(e.to_string()))?;
    if a.set_cookie {
        let cookie = spa_token::login_set_cookie_at(&token, now, a.max_age)
            .map_err(|e| CliError::input(e.to_string()))?;
        out::line(&cookie)?;
    } else {
        out::line(&token)?;
    }
    Ok(())
}

/// Longest token read from standard input, bytes (a token is at most 4096).
const MAX_STDIN: u64 = 8192;

fn verify(a: VerifyArgs) -> CliResult {
    let previous = load_previous(a.previous_secret_file.as_deref())?;
    let previous = match previous.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(
            SpaTokenKey::from_hex(p)
                .map_err(|e| CliError::input(format!("{PREVIOUS_ENV}: {e}")))?,
        ),
    };
    let key = SpaTokenKeyring::new(load_key(&a.secret)?, previous);
    let now = match a.now {
        Some(n) => n,
        None => super::now()?,
    };
    let token = if a.token == "-" {
        let mut buf = String::new();
        std::io::stdin()
            .take(MAX_STDIN)
            .read_to_string(&mut buf)
            .map_err(|e| CliError::input(format!("cannot read the token: {}", e.kind())))?;
        buf.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        a.token
    };
    match key.verify(&token, now) {
        Ok(r) => {
            let v = r.token;
            if a.json {
                let secret = match r.secret {
                    SecretUsed::Current => "current",
                    SecretUsed::Previous => "previous",
                };
                let obj = serde_json::json!({ "user_id": v.user_id, "expiry": v.expiry, "secret": secret });
                out::line(&obj.to_string())?;
            } else {
                out::line(v.user_id)?;
            }
            Ok(())
        }
        Err(
            e @ (SpaTokenError::Malformed(_)
            | SpaTokenError::BadSignature
            | SpaTokenError::Expired { .. }),
        ) => Err(CliError::invalid(format!("invalid token: {}", e))),
        Err(e) => Err(CliError::input(e.to_string())),
    }
}
