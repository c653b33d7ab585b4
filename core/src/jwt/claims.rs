//! Claim checks run after the signature verified: [`VerifyOptions`] and [`validate_claims`].
//!
//! Order and semantics follow aws-jwt-verify (`validateJwtFields` in `src/jwt.ts`, then
//! `validateCognitoJwtFields` in `src/cognito-verifier.ts`, then the custom check):
//! `exp`, `nbf`, (max age from `iat`), `iss`, `aud`, `scope`, `cognito:groups`, `token_use`,
//! `client_id`/`aud`, custom hook. Deliberate differences: `exp` is **required** here
//! (aws-jwt-verify accepts a token without `exp`), and the optional maximum age from `iat` is an
//! addition.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use serde_json::{Map, Value};

use super::error::clip;
use super::error::JwtError;
use super::jws::{numeric_date, Header};

/// Caller check run last, after every built-in check passed, with the verified header and
/// claims. Return `Err(message)` to refuse the token ([`JwtError::CustomCheck`]).
pub type CustomCheck =
    Arc<dyn Fn(&Header, &Map<String, Value>) -> Result<(), String> + Send + Sync>;

/// Cognito `token_use` expected by a verifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenUse {
    /// Only access tokens (`token_use: "access"`); the client id is checked in `client_id`.
    Access,
    /// Only id tokens (`token_use: "id"`); the client id is checked in `aud`.
    Id,
    /// Either (aws-jwt-verify's `tokenUse: null`); `token_use` must still be `access` or `id`.
    Any,
}

impl TokenUse {
    /// `"access"`, `"id"` or `"any"`.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenUse::Access => "access",
            TokenUse::Id => "id",
            TokenUse::Any => "any",
        }
    }
}

impl core::str::FromStr for TokenUse {
    type Err = JwtError;
    /// Parses `access`, `id` or `any`; anything else is [`JwtError::ParameterValidation`].
    fn from_str(s: &str) -> Result<Self, JwtError> {
        match s {
            "access" => Ok(TokenUse::Access),
            "id" => Ok(TokenUse::Id),
            "any" => Ok(TokenUse::Any),
            _ => Err(JwtError::ParameterValidation(format!(
                "token use {:?} is not access, id or any",
                clip(s)
            ))),
        }
    }
}

/// What a verified token's claims must satisfy. All times are unix seconds.
///
/// `Default` checks only `exp`/`nbf` (no issuer): JWKS verification
/// ([`crate::jwt::verify_with_jwk`]) refuses an empty `issuers` list, shared-secret
/// verification ([`crate::jwt::hs::verify`]) allows it.
#[derive(Clone, Default)]
pub struct VerifyOptions {
    /// Accepted `iss` values, compared exactly. Empty: `iss` is not checked (only allowed for
    /// shared-secret tokens).
    pub issuers: Vec<String>,
    /// Generic audience check: `aud` (string or array) must contain one of these. `None`: not
    /// checked. (Cognito client ids go in [`VerifyOptions::client_ids`].)
    pub audiences: Option<Vec<String>>,
    /// Cognito rules: `Some` requires `token_use` to be `access` or `id` (and the given one
    /// unless [`TokenUse::Any`]). `None`: no Cognito rules.
    pub token_use: Option<TokenUse>,
    /// Cognito client ids: an access token's `client_id` or an id token's `aud` must be one of
    /// them. Requires `token_use` to be set ([`JwtError::ParameterValidation`] otherwise).
    pub client_ids: Option<Vec<String>>,
    /// Clock skew allowed on `exp`, `nbf` and `iat`, in seconds.
    pub grace_seconds: u64,
    /// Maximum token age: `now` must not be later than `iat + max_age_seconds + grace`. When
    /// set, `iat` is required and must not be in the future (beyond the grace).
    pub max_age_seconds: Option<u64>,
    /// Cognito groups: `cognito:groups` must contain at least one of them. `None`: not checked.
    pub groups: Option<Vec<String>>,
    /// Scopes: the space-separated `scope` claim must contain **at least one** of them (the
    /// semantics of aws-jwt-verify's `scope` option). Empty: not checked.
    pub scopes: Vec<String>,
    /// Caller check run after every other check.
    pub custom_check: Option<CustomCheck>,
}

impl fmt::Debug for VerifyOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyOptions")
            .field("issuers", &self.issuers)
            .field("audiences", &self.audiences)
            .field("token_use", &self.token_use)
            .field("client_ids", &self.client_ids)
            .field("grace_seconds", &self.grace_seconds)
            .field("max_age_seconds", &self.max_age_seconds)
            .field("groups", &self.groups)
            .field("scopes", &self.scopes)
            .field("custom_check", &self.custom_check.as_ref().map(|_| "<fn>"))
            .finish()
    }
}

impl VerifyOptions {
    /// Options accepting tokens from these issuers, with no other rule set.
    pub fn new<I, S>(issuers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        VerifyOptions {
            issuers: issuers.into_iter().map(Into::into).collect(),
            ..VerifyOptions::default()
        }
    }

    /// Options for Cognito tokens of one issuer: `token_use` and client ids.
    pub fn cognito<S: Into<String>>(
        issuer: S,
        token_use: TokenUse,
        client_ids: Vec<String>,
    ) -> Self {
        VerifyOptions {
            issuers: alloc::vec![issuer.into()],
            token_use: Some(token_use),
            client_ids: Some(client_ids),
            ..VerifyOptions::default()
        }
    }

    /// Sets [`VerifyOptions::grace_seconds`].
    pub fn with_grace_seconds(mut self, grace: u64) -> Self {
        self.grace_seconds = grace;
        self
    }

    /// Sets [`VerifyOptions::custom_check`].
    pub fn with_custom_check<F>(mut self, f: F) -> Self
    where
        F: Fn(&Header, &Map<String, Value>) -> Result<(), String> + Send + Sync + 'static,
    {
        self.custom_check = Some(Arc::new(f));
        self
    }
}

/// Runs every claim check of `opts` on verified `claims` at time `now` (unix seconds), in the
/// order given in the module docs, returning the first failure.
///
/// Errors: [`JwtError::InvalidClaim`] (missing `exp`; `iat` missing, in the future or too old
/// with a max age), [`JwtError::Expired`], [`JwtError::NotBefore`], [`JwtError::InvalidIssuer`],
/// [`JwtError::InvalidAudience`], [`JwtError::InvalidScope`], [`JwtError::InvalidGroup`],
/// [`JwtError::InvalidTokenUse`], [`JwtError::InvalidClientId`], [`JwtError::CustomCheck`],
/// [`JwtError::ParameterValidation`] (client ids without token use), [`JwtError::Parse`] (a
/// date that is not a number, when the claims did not come from [`crate::jwt::decode`]).
pub fn validate_claims(
    header: &Header,
    claims: &Map<String, Value>,
    opts: &VerifyOptions,
    now: u64,
) -> Result<(), JwtError> {
    let grace = opts.grace_seconds;
    let date = |name: &str| -> Result<Option<(u64, u64)>, JwtError> {
        match claims.get(name) {
            None => Ok(None),
            Some(v) => numeric_date(v).map(Some).ok_or_else(|| {
                JwtError::Parse(format!(
                    "payload {name} is not a non-negative finite number"
                ))
            }),
        }
    };

    // exp (required: stricter than aws-jwt-verify)
    let Some((exp, _)) = date("exp")? else {
        return Err(JwtError::InvalidClaim("exp is required".to_string()));
    };
    if exp.saturating_add(grace) < now {
        return Err(JwtError::Expired { exp, now });
    }
    // nbf
    if let Some((_, nbf)) = date("nbf")? {
        if nbf.saturating_sub(grace) > now {
            return Err(JwtError::NotBefore { nbf, now });
        }
    }
    // max age from iat
    if let Some(max_age) = opts.max_age_seconds {
        let Some((iat_floor, iat_ceil)) = date("iat")? else {
            return Err(JwtError::InvalidClaim(
                "iat is required when a maximum age is set".to_string(),
            ));
        };
        if iat_ceil.saturating_sub(grace) > now {
            return Err(JwtError::InvalidClaim(format!(
                "iat {iat_ceil} is in the future (now {now})"
            )));
        }
        if iat_floor.saturating_add(max_age).saturating_add(grace) < now {
            return Err(JwtError::InvalidClaim(format!(
                "token issued at {iat_floor} is older than {max_age} seconds (now {now})"
            )));
        }
    }
    // iss
    if !opts.issuers.is_empty() {
        match claims.get("iss") {
            Some(Value::String(iss)) if opts.issuers.iter().any(|i| i == iss) => {}
            Some(Value::String(iss)) => {
                return Err(JwtError::InvalidIssuer(format!(
                    "{:?} is not a configured issuer",
                    clip(iss)
                )))
            }
            _ => return Err(JwtError::InvalidIssuer("iss is missing".to_string())),
        }
    }
    // aud (generic)
    if let Some(auds) = &opts.audiences {
        if !any_in(claims.get("aud"), auds) {
            return Err(JwtError::InvalidAudience(
                "aud has none of the configured audiences".to_string(),
            ));
        }
    }
    // scope: any overlap, as aws-jwt-verify
    if !opts.scopes.is_empty() {
        let ok = match claims.get("scope") {
            Some(Value::String(s)) => s
                .split(' ')
                .any(|sc| !sc.is_empty() && opts.scopes.iter().any(|w| w == sc)),
            _ => false,
        };
        if !ok {
            return Err(JwtError::InvalidScope(
                "scope has none of the configured scopes".to_string(),
            ));
        }
    }
    // cognito:groups: any overlap
    if let Some(groups) = &opts.groups {
        if !any_in(claims.get("cognito:groups"), groups) {
            return Err(JwtError::InvalidGroup(
                "cognito:groups has none of the configured groups".to_string(),
            ));
        }
    }
    // token_use
    let token_use = match opts.token_use {
        None => None,
        Some(want) => {
            let got = match claims.get("token_use") {
                Some(Value::String(s)) if s == "access" => TokenUse::Access,
                Some(Value::String(s)) if s == "id" => TokenUse::Id,
                Some(Value::String(s)) => {
                    return Err(JwtError::InvalidTokenUse(format!(
                        "{:?} is not access or id",
                        clip(s)
                    )))
                }
                _ => {
                    return Err(JwtError::InvalidTokenUse(
                        "token_use is missing".to_string(),
                    ))
                }
            };
            if want != TokenUse::Any && want != got {
                return Err(JwtError::InvalidTokenUse(format!(
                    "{} token where {} was expected",
                    got.as_str(),
                    want.as_str()
                )));
            }
            Some(got)
        }
    };
    // client id
    if let Some(ids) = &opts.client_ids {
        let ok = match token_use {
            None => {
                return Err(JwtError::ParameterValidation(
                    "client ids need a token use".to_string(),
                ))
            }
            Some(TokenUse::Id) => any_in(claims.get("aud"), ids),
            Some(_) => matches!(claims.get("client_id"),
                Some(Value::String(c)) if ids.iter().any(|i| i == c)),
        };
        if !ok {
            return Err(JwtError::InvalidClientId(
                "the token's client id is not a configured one".to_string(),
            ));
        }
    }
    if let Some(check) = &opts.custom_check {
        check(header, claims).map_err(JwtError::CustomCheck)?;
    }
    Ok(())
}

/// True when `v` is a string in `wanted` or an array with a string in `wanted`.
fn any_in(v: Option<&Value>, wanted: &[String]) -> bool {
    match v {
        Some(Value::String(s)) => wanted.iter().any(|w| w == s),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .any(|s| wanted.iter().any(|w| w == s)),
        _ => false,
    }
}
