//! `pocket-sign alb ...`: verify an ALB `x-amzn-oidc-data` header value.
//!
//! Exit codes: 0 verified (claims printed as JSON); 1 the value failed a check (named on
//! stderr); 2 usage or configuration error.
use pocket_sign_core::alb::{region_from_arn, AlbError, AlbVerifier, AlbVerifyOptions};
use pocket_sign_core::jwks::FetchConfig;

use crate::error::{CliError, CliResult};

/// Subcommands of `pocket-sign alb`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Verify an `x-amzn-oidc-data` value (ES256, signer ARN, client, exp) and print its claims.
    Verify(VerifyArgs),
}

/// Arguments of `alb verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The `x-amzn-oidc-data` header value.
    pub data: String,
    /// The region of the ALB (must match the ARN's region).
    #[arg(long)]
    pub region: String,
    /// Accepted ALB ARN (repeatable): the token's `signer` must be one of them.
    #[arg(long = "alb-arn", required = true)]
    pub alb_arns: Vec<String>,
    /// Key endpoint override (keys are fetched from `{URL}/{kid}`); default
    /// `https://public-keys.auth.elb.{region}.amazonaws.com`.
    #[arg(long)]
    pub keys_url: Option<String>,
    /// Accepted OIDC client id (repeatable): the token's `client` must be one of them.
    #[arg(long = "client-id")]
    pub client_ids: Vec<String>,
    /// Expected issuer (`iss`) of the IdP.
    #[arg(long)]
    pub issuer: Option<String>,
    /// Clock skew allowed on exp/nbf, in seconds.
    #[arg(long, default_value_t = 0)]
    pub grace: u64,
    /// Allow fetching the key over plain http:// from a non-loopback host.
    #[arg(long)]
    pub allow_http: bool,
}

fn failure(e: &AlbError) -> CliError {
    match e {
        AlbError::InvalidConfig(_) => CliError::input(format!("{}: {e}", e.kind())),
        _ => CliError::invalid(format!("{}: {e}", e.kind())),
    }
}

/// Runs the command.
pub fn run(cmd: Command) -> CliResult {
    match cmd {
        Command::Verify(a) => verify(a),
    }
}

fn verify(a: VerifyArgs) -> CliResult {
    for arn in &a.alb_arns {
        let r = region_from_arn(arn).map_err(|e| failure(&e))?;
        if r != a.region {
            return Err(CliError::input(format!(
                "--region {} does not match the region {r} of {arn}",
                a.region
            )));
        }
    }
    let opts = AlbVerifyOptions {
        alb_arns: a.alb_arns.clone(),
        client_ids: if a.client_ids.is_empty() {
            None
        } else {
            Some(a.client_ids.clone())
        },
        issuer: a.issuer.clone(),
        grace_seconds: a.grace,
    };
    let mut v = AlbVerifier::new(opts)
        .map_err(|e| failure(&e))?
        .with_fetch_config(FetchConfig {
            allow_http: a.allow_http,
            ..FetchConfig::default()
        });
    if let Some(url) = &a.keys_url {
        v = v.with_keys_url(url);
    }
    let claims = v.verify(&a.data).map_err(|e| failure(&e))?;
    let s = serde_json::to_string(&claims).map_err(|e| CliError::input(e.to_string()))?;
    super::out::line(&s)?;
    Ok(())
}
