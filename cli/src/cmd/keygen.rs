//! `pocket-sign keygen cloudfront|spa-secret|password|origin-secret`: magic-pocket's managed-secret formats,
//! from the operating system's random generator.
//!
//! The public key is printed as SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`), the
//! form the CloudFront console's "Create public key" field and the `EncodedKey` member of the
//! CreatePublicKey API's `PublicKeyConfig` take. `--public-key-config-out PATH` also writes that
//! `PublicKeyConfig` (`CallerReference`, `Name`, `EncodedKey`, `Comment`) as JSON for
//! `aws cloudfront create-public-key --public-key-config file://PATH`.
use pocket_sign_core::keygen::{self, CloudFrontKeyPair, KeyAlgorithm};

use super::out;
use crate::error::{CliError, CliResult};

/// Subcommands of `pocket-sign keygen`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// CloudFront signing key pair: RSA-2048 (PKCS#1 private, SPKI public PEM) or, with
    /// --ecdsa, P-256 (PKCS#8 private, SPKI public PEM). Prints the private then the public PEM.
    Cloudfront(CloudfrontArgs),
    /// SPA token secret: 32 random bytes as 64 lowercase hex characters.
    SpaSecret(JsonArg),
    /// Random password (default 16 characters from Django's SECRET_KEY charset).
    Password(PasswordArgs),
    /// Origin-verify secret (magic-pocket's `origin_verify_secret`): 32 random bytes as 64
    /// lowercase hex characters, for CloudFront's origin custom header X-Pocket-Origin-Verify
    /// and the application's POCKET_ORIGIN_VERIFY_SECRET.
    OriginSecret(JsonArg),
}

/// `--json` flag.
#[derive(Debug, clap::Args)]
pub struct JsonArg {
    /// Print a JSON object instead of plain text.
    #[arg(long)]
    json: bool,
}

/// Arguments of `pocket-sign keygen cloudfront`.
#[derive(Debug, clap::Args)]
pub struct CloudfrontArgs {
    /// Make an ECDSA P-256 key pair instead of RSA-2048.
    #[arg(long)]
    ecdsa: bool,
    /// Print `{NAME}_PEM_BASE64=...` and `{NAME}_PUB_BASE64=...` lines (magic-pocket's
    /// environment variables, e.g. NAME = CF_MEDIA_KEY) instead of PEM.
    #[arg(long, value_name = "NAME", conflicts_with = "json")]
    env_name: Option<String>,
    /// Print `{"algorithm", "private_key_pem", "public_key_pem", "private_key_pem_base64",
    /// "public_key_pem_base64", "public_key_config"}`.
    #[arg(long)]
    json: bool,
    /// Also write the CloudFront CreatePublicKey `PublicKeyConfig` JSON (`EncodedKey` = the SPKI
    /// PEM public key; no private key material) to this file, for
    /// `aws cloudfront create-public-key --public-key-config file://PATH`.
    #[arg(long, value_name = "PATH")]
    public_key_config_out: Option<std::path::PathBuf>,
    /// `Name` of the public key in CloudFront (1 to 128 of `A-Za-z0-9_-`; default
    /// `pocket-sign-UNIXTIME`).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
}

/// CloudFront's `PublicKeyConfig` for the CreatePublicKey API (field names as in the API and
/// `aws cloudfront create-public-key --public-key-config`): `EncodedKey` is the SPKI PEM.
fn public_key_config(name: &str, public_key_pem: &str) -> serde_json::Value {
    // Only a unique-enough reference: a clock before 1970 reads as 0 here.
    let now = pocket_sign_core::time::unix_now().unwrap_or(0);
    // CallerReference only has to be unique per request; 8 random hex digits make retries of
    // the same second distinct.
    let nonce: String = keygen::generate_spa_token_secret()
        .chars()
        .take(8)
        .collect();
    serde_json::json!({
        "CallerReference": format!("pocket-sign-{now}-{nonce}"),
        "Name": name,
        "EncodedKey": public_key_pem,
        "Comment": "pocket-sign keygen cloudfront",
    })
}

fn key_name(name: Option<&str>) -> Result<String, CliError> {
    match name {
        Some(n) => {
            let ok = (1..=128).contains(&n.len())
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if ok {
                Ok(n.to_owned())
            } else {
                Err(CliError::input(
                    "--name must be 1 to 128 characters of A-Z a-z 0-9 - _",
                ))
            }
        }
        None => Ok(format!(
            "pocket-sign-{}",
            pocket_sign_core::time::unix_now().unwrap_or(0)
        )),
    }
}

/// Arguments of `pocket-sign keygen password`.
#[derive(Debug, clap::Args)]
pub struct PasswordArgs {
    /// Number of characters (1..=4096).
    #[arg(long, default_value_t = keygen::DEFAULT_PASSWORD_LENGTH)]
    length: usize,
    /// Characters to draw from (default `abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)`).
    #[arg(long, value_name = "CHARS")]
    chars: Option<String>,
    /// Print `{"password": ...}`.
    #[arg(long)]
    json: bool,
}

/// Runs the command.
pub fn run(cmd: Command) -> CliResult {
    match cmd {
        Command::Cloudfront(a) => cloudfront(a),
        Command::SpaSecret(a) => {
            let secret = keygen::generate_spa_token_secret();
            if a.json {
                out::line(&serde_json::json!({ "spa_token_secret": secret }).to_string())?;
            } else {
                out::line(&secret)?;
            }
            Ok(())
        }
        Command::OriginSecret(a) => {
            let secret = pocket_sign_core::origin_verify::generate_origin_verify_secret();
            if a.json {
                out::line(&serde_json::json!({ "origin_verify_secret": secret }).to_string())?;
            } else {
                out::line(&secret)?;
            }
            Ok(())
        }
        Command::Password(a) => {
            let pw = keygen::generate_password(a.length, a.chars.as_deref())
                .map_err(|e| CliError::input(e.to_string()))?;
            if a.json {
                out::line(&serde_json::json!({ "password": pw }).to_string())?;
            } else {
                out::line(&pw)?;
            }
            Ok(())
        }
    }
}

fn algorithm_name(kp: &CloudFrontKeyPair) -> &'static str {
    match kp.algorithm {
        KeyAlgorithm::Rsa2048 => "RSA-2048",
        KeyAlgorithm::EcdsaP256 => "ECDSA-P256",
        _ => "unknown",
    }
}

fn cloudfront(a: CloudfrontArgs) -> CliResult {
    if let Some(name) = &a.env_name {
        let ok = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            return Err(CliError::input(
                "--env-name must be upper-case letters, digits and '_'",
            ));
        }
    }
    let name = key_name(a.name.as_deref())?;
    let kp = if a.ecdsa {
        keygen::generate_cloudfront_ecdsa_key_pair()
    } else {
        keygen::generate_cloudfront_rsa_key_pair()
    }
    .map_err(|e| CliError::input(e.to_string()))?;
    let config = public_key_config(&name, &kp.public_key_pem);
    if let Some(path) = &a.public_key_config_out {
        std::fs::write(path, format!("{config:#}\n")).map_err(|e| {
            CliError::input(format!("cannot write {}: {}", path.display(), e.kind()))
        })?;
    }
    if a.json {
        let obj = serde_json::json!({
            "algorithm": algorithm_name(&kp),
            "private_key_pem": kp.private_key_pem,
            "public_key_pem": kp.public_key_pem,
            "private_key_pem_base64": kp.private_key_pem_base64,
            "public_key_pem_base64": kp.public_key_pem_base64,
            "public_key_config": config,
        });
        out::line(&obj.to_string())?;
    } else if let Some(name) = &a.env_name {
        out::line(&format!("{name}_PEM_BASE64={}", kp.private_key_pem_base64))?;
        out::line(&format!("{name}_PUB_BASE64={}", kp.public_key_pem_base64))?;
    } else {
        out::line(&format!(
            "{}{}",
            kp.private_key_pem,
            kp.public_key_pem.trim_end()
        ))?;
    }
    Ok(())
}
