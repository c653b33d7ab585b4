//! `pocket-sign`: CloudFront signed URLs and cookies, SPA tokens, Cognito / ALB JWT
//! verification and CloudFront Function code generation from the command line.
//!
//! Exit codes: 0 success; 1 invalid token or failed verification; 2 usage or input error.
//! Errors are printed on stderr as one sentence. Secrets given to the CLI are never printed.
#![forbid(unsafe_code)]

mod cmd;
mod error;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Token, signing and verification for Django/FastAPI-on-AWS deployments.
#[derive(Debug, Parser)]
#[command(name = "pocket-sign", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sign a CloudFront URL (canned policy unless --starts-at, --ip or --resource is given).
    Url(cmd::url::Args),
    /// Produce CloudFront signed cookies for a resource.
    Cookies(cmd::cookies::Args),
    /// Print the CloudFront policy JSON that would be signed.
    Policy(cmd::policy::Args),
    /// Issue or verify a magic-pocket SPA token (`pocket-spa-token` cookie).
    #[command(subcommand)]
    Token(cmd::token::Command),
    /// Generate managed secrets (CloudFront key pair, SPA secret, password).
    #[command(subcommand)]
    Keygen(cmd::keygen::Command),
    /// Verify, decode or sign JWTs (Cognito JWKS or shared secret).
    #[command(subcommand)]
    Jwt(cmd::jwt::Command),
    /// Verify an ALB `x-amzn-oidc-data` header value.
    #[command(subcommand)]
    Alb(cmd::alb::Command),
    /// Compute a Cognito SECRET_HASH.
    SecretHash(cmd::secret_hash::Args),
    /// Generate CloudFront Functions (viewer-request) from pocket.toml.
    CfFunction(cmd::cf_function::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version on stdout with exit 0, usage errors with exit 2.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Url(a) => cmd::url::run(a),
        Command::Cookies(a) => cmd::cookies::run(a),
        Command::Policy(a) => cmd::policy::run(a),
        Command::Token(c) => cmd::token::run(c),
        Command::Keygen(c) => cmd::keygen::run(c),
        Command::Jwt(c) => cmd::jwt::run(c),
        Command::Alb(c) => cmd::alb::run(c),
        Command::SecretHash(a) => cmd::secret_hash::run(a),
        Command::CfFunction(a) => cmd::cf_function::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pocket-sign: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
