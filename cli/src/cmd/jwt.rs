//! `pocket-sign jwt ...`: verify (Cognito/JWKS or shared secret), decode (unverified), sign (HS*).
//!
//! Shared-secret rotation: `jwt sign --kid ID` puts `kid` in the header; `jwt verify` takes a
//! keyring from repeatable `--secret-env KID=ENVNAME` (a bare `--secret-env ENVNAME` is the
//! default secret, for tokens without `kid`) or from `--keyring-file PATH` (JSON
//! `{"keys": {"KID": "SECRET"}, "default": "SECRET"}`, see `HmacKeyring::from_json`). The
//! token's `kid` selects exactly one secret; an unknown kid fails with
//! `KidNotFoundInJwksError` without trying the others.
//!
//! Exit codes: 0 verified / done; 1 the token failed a check (the check is named on stderr as
//! `<ErrorClass>: <sentence>`, the class being aws-jwt-verify's name for it); 2 usage or input
//! error (bad pool id, missing secret variable, invalid claims JSON).

use pocket_sign_core::jwks::verifier::{
    CognitoConfig, CognitoJwtVerifier, IssuerConfig, JwtVerifier,
};
use pocket_sign_core::jwks::{CacheConfig, FetchConfig};
use pocket_sign_core::jwt::hs::{self, HmacKeyring, HmacSecret};
use pocket_sign_core::jwt::{decode, Algorithm, JwtError, TokenUse, VerifyOptions};
use serde_json::{Map, Value};

use crate::error::{CliError, CliResult};

/// Subcommands of `pocket-sign jwt`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Verify a JWT: Cognito/JWKS mode (--user-pool-id, or --issuer with --jwks-url) or
    /// shared-secret mode (--secret-env). Prints the verified claims as JSON.
    Verify(VerifyArgs),
    /// Print a JWT's header and claims WITHOUT verifying anything.
    Decode(DecodeArgs),
    /// Issue an HS256/384/512 JWT with a shared secret read from an environment variable.
    Sign(SignArgs),
}

/// `--token-use` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TokenUseArg {
    /// Cognito access token (client id checked in `client_id`).
    Access,
    /// Cognito id token (client id checked in `aud`).
    Id,
}

/// Arguments of `jwt verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The compact JWT.
    pub token: String,
    /// Cognito user pool id `{region}_{id}`: issuer and JWKS URL are derived from it.
    #[arg(long)]
    pub user_pool_id: Option<String>,
    /// Accepted app client id (repeatable): `client_id` of access tokens, `aud` of id tokens.
    /// Required in JWKS mode unless --any-client-id is given.
    #[arg(long = "client-id", conflicts_with = "any_client_id")]
    pub client_ids: Vec<String>,
    /// Accept tokens of EVERY app client of the pool / issuer (no client id check): the
    /// explicit opt-out, as aws-jwt-verify's `clientId: null`.
    #[arg(long)]
    pub any_client_id: bool,
    /// Expected Cognito token_use.
    #[arg(long, value_enum)]
    pub token_use: Option<TokenUseArg>,
    /// JWKS URL override (default `{issuer}/.well-known/jwks.json`).
    #[arg(long)]
    pub jwks_url: Option<String>,
    /// Issuer override (default `https://cognito-idp.{region}.amazonaws.com/{pool}`); in
    /// --secret-env mode, the required `iss`.
    #[arg(long)]
    pub issuer: Option<String>,
    /// Region of the user pool (default: the pool id's prefix).
    #[arg(long)]
    pub region: Option<String>,
    /// Clock skew allowed on exp/nbf/iat, in seconds.
    #[arg(long, default_value_t = 0)]
    pub grace: u64,
    /// Require this group in `cognito:groups` (repeatable; any one suffices).
    #[arg(long = "group")]
    pub groups: Vec<String>,
    /// Require this scope in `scope` (repeatable; any one suffices, as in aws-jwt-verify).
    #[arg(long = "scope")]
    pub scopes: Vec<String>,
    /// Shared-secret mode: `ENVNAME` (the default secret, for tokens without `kid`) or
    /// `KID=ENVNAME` (the secret for tokens whose header has this `kid`); repeatable, the
    /// variables hold the raw secret bytes.
    #[arg(long, value_name = "[KID=]ENVNAME")]
    pub secret_env: Vec<String>,
    /// Shared-secret mode: read the keyring from this JSON file
    /// (`{"keys": {"KID": "SECRET"}, "default": "SECRET"}`) instead of --secret-env.
    #[arg(long, value_name = "PATH", conflicts_with = "secret_env")]
    pub keyring_file: Option<std::path::PathBuf>,
    /// Shared-secret mode: the HMAC algorithm the token must use.
    #[arg(long, default_value = "HS256")]
    pub alg: String,
    /// Required audience (repeatable; any one suffices): shared-secret mode, or JWKS mode with
    /// --issuer/--jwks-url (there it may replace --client-id).
    #[arg(long = "audience")]
    pub audiences: Vec<String>,
    /// Allow fetching the JWKS over plain http:// from a non-loopback host.
    #[arg(long)]
    pub allow_http: bool,
    /// JWKS fetch total timeout in milliseconds.
    #[arg(long, default_value_t = 5000)]
    pub timeout_ms: u64,
}

/// Arguments of `jwt decode`.
#[derive(Debug, clap::Args)]
pub struct DecodeArgs {
    /// The compact JWT.
    pub token: String,
}

/// Arguments of `jwt sign`.
#[derive(Debug, clap::Args)]
pub struct SignArgs {
    /// HMAC algorithm: HS256, HS384 or HS512.
    #[arg(long, default_value = "HS256")]
    pub alg: String,
    /// Name of the environment variable holding the secret (at least the hash size in bytes).
    #[arg(long)]
    pub secret_env: String,
    /// The claims as a JSON object.
    #[arg(long)]
    pub claims: String,
    /// Set `exp` to now + SECONDS (and `iat` to now when absent).
    #[arg(long)]
    pub expires_in: Option<u64>,
    /// Optional `kid` header: the id of the secret in the verifiers' keyring (secret rotation).
    #[arg(long)]
    pub kid: Option<String>,
}

fn jwt_failure(e: &JwtError) -> CliError {
    match e {
        JwtError::ParameterValidation(_) => CliError::input(format!("{}: {e}", e.kind())),
        _ => CliError::invalid(format!("{}: {e}", e.kind())),
    }
}

fn read_secret(var: &str) -> Result<Vec<u8>, CliError> {
    match std::env::var_os(var) {
        Some(v) if !v.is_empty() => Ok(v.into_encoded_bytes()),
        _ => Err(CliError::input(format!(
            "environment variable {var} is not set or empty"
        ))),
    }
}

fn hmac_alg(name: &str) -> Result<Algorithm, CliError> {
    match name.to_ascii_uppercase().as_str() {
        "HS256" => Ok(Algorithm::HS256),
        "HS384" => Ok(Algorithm::HS384),
        "HS512" => Ok(Algorithm::HS512),
        _ => Err(CliError::input(format!(
            "--alg must be HS256, HS384 or HS512, not {name:?}"
        ))),
    }
}

fn print_json(v: &Map<String, Value>) -> CliResult {
    let s =
        serde_json::to_string(v).map_err(|e| CliError::input(format!("cannot print JSON: {e}")))?;
    super::out::line(&s)?;
    Ok(())
}

/// Runs the command.
pub fn run(cmd: Command) -> CliResult {
    match cmd {
        Command::Verify(a) => verify(a),
        Command::Decode(a) => decode_cmd(a),
        Command::Sign(a) => sign(a),
    }
}

/// Longest keyring file read, bytes (the core refuses more than 64 KiB anyway).
const MAX_KEYRING_FILE: u64 = 64 * 1024 + 1;

fn keyring(a: &VerifyArgs) -> Result<HmacKeyring, CliError> {
    let alg = hmac_alg(&a.alg)?;
    if let Some(path) = &a.keyring_file {
        use std::io::Read as _;
        let mut text = String::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_KEYRING_FILE).read_to_string(&mut text))
            .map_err(|e| {
                CliError::input(format!(
                    "cannot read the keyring file {}: {}",
                    path.display(),
                    e.kind()
                ))
            })?;
        return HmacKeyring::from_json(alg, &text).map_err(|e| jwt_failure(&e));
    }
    let mut ring = HmacKeyring::new(alg).map_err(|e| jwt_failure(&e))?;
    for spec in &a.secret_env {
        // Environment variable names cannot contain '=', so the last '=' ends the kid.
        let added = match spec.rsplit_once('=') {
            Some((kid, var)) => ring.insert(kid, &read_secret(var)?),
            None => ring.set_default(&read_secret(spec)?),
        };
        added.map_err(|e| jwt_failure(&e))?;
    }
    Ok(ring)
}

fn verify(a: VerifyArgs) -> CliResult {
    if !a.secret_env.is_empty() || a.keyring_file.is_some() {
        if a.user_pool_id.is_some() || a.jwks_url.is_some() {
            return Err(CliError::input(
                "--secret-env / --keyring-file cannot be combined with --user-pool-id or --jwks-url",
            ));
        }
        let ring = keyring(&a)?;
        let mut opts = VerifyOptions {
            grace_seconds: a.grace,
            ..VerifyOptions::default()
        };
        if let Some(iss) = &a.issuer {
            opts.issuers = vec![iss.clone()];
        }
        if !a.audiences.is_empty() {
            opts.audiences = Some(a.audiences.clone());
        }
        if !a.groups.is_empty() {
            opts.groups = Some(a.groups.clone());
        }
        opts.scopes = a.scopes.clone();
        let claims = hs::verify_with_keyring(&a.token, &ring, &opts, super::now()?)
            .map_err(|e| jwt_failure(&e))?;
        return print_json(&claims);
    }

    let fetch = FetchConfig {
        allow_http: a.allow_http,
        total_timeout: std::time::Duration::from_millis(a.timeout_ms),
        connect_timeout: std::time::Duration::from_millis(a.timeout_ms.min(2000)),
        ..FetchConfig::default()
    };
    let mut opts = VerifyOptions {
        grace_seconds: a.grace,
        scopes: a.scopes.clone(),
        ..VerifyOptions::default()
    };
    if !a.groups.is_empty() {
        opts.groups = Some(a.groups.clone());
    }
    if !a.audiences.is_empty() {
        opts.audiences = Some(a.audiences.clone());
    }
    let verifier = match &a.user_pool_id {
        Some(pool) => {
            let token_use = match a.token_use {
                Some(TokenUseArg::Access) => TokenUse::Access,
                Some(TokenUseArg::Id) => TokenUse::Id,
                None => {
                    return Err(CliError::input(
                        "--token-use access|id is required with --user-pool-id",
                    ))
                }
            };
            let any_client_id = client_id_choice(&a)?;
            opts.token_use = Some(token_use);
            if !any_client_id {
                opts.client_ids = Some(a.client_ids.clone());
            }
            let mut cfg = CognitoConfig {
                user_pool_id: pool.clone(),
                issuer: None,
                jwks_url: None,
                options: opts,
                any_client_id,
            };
            if let Some(region) = &a.region {
                if !pocket_sign_core::alb::is_valid_region(region) {
                    return Err(CliError::input(format!("invalid region {region:?}")));
                }
                cfg.issuer = Some(format!("https://cognito-idp.{region}.amazonaws.com/{pool}"));
            }
            if let Some(iss) = &a.issuer {
                cfg.issuer = Some(iss.clone());
            }
            cfg.jwks_url = a.jwks_url.clone();
            let v = CognitoJwtVerifier::new(cfg).map_err(|e| jwt_failure(&e))?;
            v.with_fetch_config(fetch)
                .with_cache_config(CacheConfig::default())
                .into_inner()
        }
        None => {
            let (Some(issuer), Some(jwks_uri)) = (&a.issuer, &a.jwks_url) else {
                return Err(CliError::input(
                    "give --user-pool-id (Cognito), or --issuer and --jwks-url (any JWKS issuer), or --secret-env",
                ));
            };
            if let Some(tu) = a.token_use {
                opts.token_use = Some(match tu {
                    TokenUseArg::Access => TokenUse::Access,
                    TokenUseArg::Id => TokenUse::Id,
                });
            }
            // A generic issuer may be bound by --audience instead of a Cognito client id.
            let audience_only = a.client_ids.is_empty() && !a.audiences.is_empty();
            if !audience_only && !client_id_choice(&a)? {
                opts.client_ids = Some(a.client_ids.clone());
            }
            let cfg = IssuerConfig {
                issuer: issuer.clone(),
                jwks_uri: jwks_uri.clone(),
                options: opts,
            };
            JwtVerifier::new(vec![cfg])
                .map_err(|e| jwt_failure(&e))?
                .with_fetch_config(fetch)
        }
    };
    let claims = verifier.verify(&a.token).map_err(|e| jwt_failure(&e))?;
    print_json(&claims)
}

/// JWKS mode: the client id check is never silently off. `Ok(true)` for the explicit
/// `--any-client-id`; `Ok(false)` when `--client-id` values (all non-empty) were given.
fn client_id_choice(a: &VerifyArgs) -> Result<bool, CliError> {
    if a.any_client_id {
        return Ok(true);
    }
    if a.client_ids.is_empty() {
        return Err(CliError::input(
            "--client-id is required in JWKS mode (or --any-client-id to accept every app client explicitly)",
        ));
    }
    if a.client_ids.iter().any(String::is_empty) {
        return Err(CliError::input("--client-id must not be empty"));
    }
    Ok(false)
}

fn decode_cmd(a: DecodeArgs) -> CliResult {
    let d = decode(&a.token).map_err(|e| jwt_failure(&e))?;
    let mut out = Map::new();
    out.insert(
        "UNVERIFIED".into(),
        Value::String("signature and claims NOT checked".into()),
    );
    out.insert("header".into(), Value::Object(d.header.raw.clone()));
    out.insert("claims".into(), Value::Object(d.claims));
    eprintln!("warning: UNVERIFIED: the signature and claims of this token were not checked");
    let s = serde_json::to_string_pretty(&Value::Object(out))
        .map_err(|e| CliError::input(e.to_string()))?;
    super::out::line(&s)?;
    Ok(())
}

fn sign(a: SignArgs) -> CliResult {
    let secret = HmacSecret::new(hmac_alg(&a.alg)?, &read_secret(&a.secret_env)?)
        .map_err(|e| jwt_failure(&e))?;
    let mut claims: Map<String, Value> = match serde_json::from_str(&a.claims) {
        Ok(Value::Object(m)) => m,
        _ => return Err(CliError::input("--claims must be a JSON object")),
    };
    if let Some(secs) = a.expires_in {
        let t = super::now()?;
        claims.insert("exp".into(), Value::from(t.saturating_add(secs)));
        claims.entry("iat").or_insert_with(|| Value::from(t));
    }
    let mut extras = Map::new();
    if let Some(kid) = a.kid {
        extras.insert("kid".into(), Value::String(kid));
    }
    let token = hs::sign(&secret, &claims, &extras).map_err(|e| jwt_failure(&e))?;
    super::out::line(&token)?;
    Ok(())
}
