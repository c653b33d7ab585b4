//! Flags shared by `pocket-sign url`, `cookies` and `policy`: the key and the policy times.

use std::path::PathBuf;

use pocket_sign_core::cloudfront::{
    CloudFrontSigner, HashAlgorithm, KeyOptions, PolicyBuilder, SigningError, SigningKey,
};

use crate::error::CliError;

/// Largest private key file read (bytes).
const MAX_KEY_FILE: u64 = 64 * 1024;

/// `--hash-algorithm` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HashArg {
    /// SHA-1 (CloudFront's default, byte-identical to botocore).
    Sha1,
    /// SHA-256 (adds `Hash-Algorithm=SHA256` / the `CloudFront-Hash-Algorithm` cookie).
    Sha256,
}

/// The signing key: `--key-pair-id` + `--private-key`, or `--key NAME` from the environment.
#[derive(Debug, clap::Args)]
pub struct KeyArgs {
    /// CloudFront public key id (key group member), e.g. K2JCJMDEHXQW5F.
    #[arg(long, value_name = "ID", requires = "private_key")]
    pub key_pair_id: Option<String>,
    /// Private key file: PEM (PKCS#1/PKCS#8 RSA, PKCS#8/SEC1 P-256) or base64 of the PEM.
    #[arg(long, value_name = "PEM_FILE", requires = "key_pair_id")]
    pub private_key: Option<PathBuf>,
    /// Read the key from env {NAME}_PEM_BASE64 and the id from {NAME}_ID (e.g. CF_MEDIA_KEY).
    #[arg(long, value_name = "NAME", conflicts_with_all = ["key_pair_id", "private_key"])]
    pub key: Option<String>,
    /// Accept RSA keys under 2048 bits (test keys only; CloudFront needs RSA 2048).
    #[arg(long)]
    pub allow_weak_key: bool,
    /// Hash signed over the policy.
    #[arg(long, value_enum, default_value = "sha1")]
    pub hash_algorithm: HashArg,
}

/// The policy times and IP condition.
#[derive(Debug, clap::Args)]
pub struct TimeArgs {
    /// Expiry: unix seconds or RFC 3339 (2026-01-01T00:00:00Z).
    #[arg(long, value_name = "UNIX|RFC3339", conflicts_with = "expires_in")]
    pub expires_at: Option<String>,
    /// Expiry as seconds from now.
    #[arg(long, value_name = "SECONDS")]
    pub expires_in: Option<u64>,
    /// Start of validity (custom policy): unix seconds or RFC 3339.
    #[arg(long, value_name = "UNIX|RFC3339")]
    pub starts_at: Option<String>,
    /// Viewer IPv4 address or CIDR block (custom policy); a bare address means /32.
    #[arg(long, value_name = "CIDR")]
    pub ip: Option<String>,
}

/// A core signing error as a CLI input error (exit 2).
pub fn signing(e: SigningError) -> CliError {
    match e {
        SigningError::WeakRsaKey { bits } => CliError::input(format!(
            "the RSA key has {bits} bits; CloudFront needs at least 2048 (--allow-weak-key accepts test keys)"
        )),
        other => CliError::input(other.to_string()),
    }
}

/// Parses unix seconds (digits) or an RFC 3339 date-time (fractions truncated).
pub fn parse_time(flag: &str, value: &str) -> Result<u64, CliError> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return v
            .parse::<u64>()
            .map_err(|_| CliError::input(format!("{flag} is too large")));
    }
    let t = time::OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339)
        .map_err(|_| {
            CliError::input(format!(
                "{flag} must be unix seconds or an RFC 3339 date-time such as 2026-01-01T00:00:00Z"
            ))
        })?;
    u64::try_from(t.unix_timestamp()).map_err(|_| CliError::input(format!("{flag} is before 1970")))
}

impl TimeArgs {
    /// A policy builder with the expiry, start and IP set (the expiry may be missing: the
    /// builder then reports it).
    pub fn builder(&self) -> Result<PolicyBuilder, CliError> {
        let mut b = PolicyBuilder::new();
        if let Some(at) = &self.expires_at {
            b = b.expires_at(parse_time("--expires-at", at)?);
        } else if let Some(secs) = self.expires_in {
            let at = super::now()?
                .checked_add(secs)
                .ok_or_else(|| CliError::input("--expires-in is too large"))?;
            b = b.expires_at(at);
        }
        if let Some(s) = &self.starts_at {
            b = b.starts_at(parse_time("--starts-at", s)?);
        }
        if let Some(ip) = &self.ip {
            b = b.ip(ip);
        }
        Ok(b)
    }
}

impl KeyArgs {
    /// Loads the key once and builds the signer.
    pub fn signer(&self) -> Result<CloudFrontSigner, CliError> {
        let opts = KeyOptions {
            allow_weak_rsa: self.allow_weak_key,
        };
        let signer = match (&self.key, &self.key_pair_id, &self.private_key) {
            (Some(name), _, _) => CloudFrontSigner::from_env_with(name, opts).map_err(signing)?,
            (None, Some(id), Some(path)) => {
                let key = load_key_file(path, opts)?;
                CloudFrontSigner::new(id, key).map_err(signing)?
            }
            _ => {
                return Err(CliError::input(
                    "give --key-pair-id and --private-key, or --key NAME to read {NAME}_PEM_BASE64 and {NAME}_ID",
                ))
            }
        };
        let hash = match self.hash_algorithm {
            HashArg::Sha1 => HashAlgorithm::Sha1,
            HashArg::Sha256 => HashAlgorithm::Sha256,
        };
        Ok(signer.with_hash_algorithm(hash))
    }
}

/// Reads a PEM file (or a file holding base64 of the PEM).
fn load_key_file(path: &std::path::Path, opts: KeyOptions) -> Result<SigningKey, CliError> {
    let shown = path.display();
    let meta = std::fs::metadata(path)
        .map_err(|e| CliError::input(format!("cannot read the private key file {shown}: {e}")))?;
    if meta.len() > MAX_KEY_FILE {
        return Err(CliError::input(format!(
            "the private key file {shown} is too large to be a key"
        )));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::input(format!("cannot read the private key file {shown}: {e}")))?;
    let key = if text.contains("-----BEGIN") {
        SigningKey::from_pem(&text, opts)
    } else {
        SigningKey::from_pem_base64(&text, opts)
    };
    key.map_err(signing)
}
