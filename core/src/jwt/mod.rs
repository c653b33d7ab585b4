//! Compact JWS / JWT parsing and verification (RS*, ES*, EdDSA, HS*) with Cognito claim rules.
//!
//! - [`decode`]: strict compact JWS parse ([`jws`] lists every rule), unverified.
//! - [`inspect()`]: the same rules without building JSON maps: the header and payload texts and
//!   `exp`, unverified (for display in a browser, [`inspect`](mod@inspect)).
//! - [`JwkSet`] / [`Jwk`]: JWKS parsing into verification-ready keys ([`jwk`]).
//! - [`verify_with_jwk`] / [`verify_decoded`] / [`verify_with_jwks`]: signature with a public
//!   key, then every claim check of [`VerifyOptions`] ([`claims`]); the claims are returned only
//!   when everything passed.
//! - [`hs`]: HS256/384/512 with an explicit shared secret (never mixed with JWKS keys).
//! - [`JwtError`]: one variant per failed check, `kind()` names the matching aws-jwt-verify
//!   error class.
//!
//! ```
//! use pocket_sign_core::jwt::{self, hs, Algorithm, JwkSet, TokenUse, VerifyOptions};
//!
//! // Shared-secret (HS256) tokens: issue and verify with an explicit secret.
//! let secret = hs::HmacSecret::new(Algorithm::HS256, &[7u8; 32])?;
//! let claims = serde_json::json!({"sub": "u1", "iss": "pocket", "exp": 1_700_000_600});
//! let token = hs::sign(&secret, claims.as_object().unwrap(), &Default::default())?;
//! let opts = VerifyOptions::new(["pocket"]);
//! let verified = hs::verify(&token, &secret, &opts, 1_700_000_000)?;
//! assert_eq!(verified["sub"], "u1");
//! assert_eq!(
//!     hs::verify(&token, &secret, &opts, 1_700_000_601).unwrap_err().kind(),
//!     "Expired"
//! );
//!
//! // Cognito tokens: a JWKS parsed once, then any number of verifications without I/O.
//! let jwks = JwkSet::from_json(br#"{"keys": []}"#)?;
//! let opts = VerifyOptions::cognito(
//!     "https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_EXAMPLE",
//!     TokenUse::Access,
//!     vec!["my-client-id".into()],
//! );
//! // An HS256 token is never accepted against a JWKS.
//! let err = jwt::verify_with_jwks(&token, &jwks, &opts, 1_700_000_000).unwrap_err();
//! assert_eq!(err.kind(), "InvalidSignatureAlgorithm");
//! assert_eq!(err.aws_jwt_verify_class(), "JwtInvalidSignatureAlgorithmError");
//! # Ok::<(), pocket_sign_core::jwt::JwtError>(())
//! ```
//!
//! Specs: RFC 7515 (JWS), RFC 7517 (JWK), RFC 7518 (JWA), RFC 7519 (JWT), RFC 8037 (EdDSA);
//! Cognito: <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html>.

use alloc::string::String;
use serde_json::{Map, Value};

pub mod alg;
pub mod claims;
mod error;
pub mod hs;
pub mod inspect;
pub mod jwk;
pub mod jws;
mod verify;

pub use alg::Algorithm;
pub use claims::{validate_claims, CustomCheck, TokenUse, VerifyOptions};
pub use error::JwtError;
pub use inspect::{inspect, InspectedJwt};
pub use jwk::{Jwk, JwkSet, KeyType};
pub use jws::{decode, decode_with, DecodeOptions, DecodedJwt, Header, MAX_TOKEN_LEN};

fn check_signature(
    decoded: &DecodedJwt<'_>,
    jwk: &Jwk,
    opts: &VerifyOptions,
) -> Result<(), JwtError> {
    if opts.issuers.is_empty() {
        return Err(JwtError::ParameterValidation(
            "JWKS verification needs at least one issuer".into(),
        ));
    }
    jwk.verify(
        decoded.header.alg,
        decoded.signing_input.as_bytes(),
        &decoded.signature,
    )
}

/// Verifies a decoded token with one public key, then its claims; returns a copy of the claims.
///
/// Steps: `opts.issuers` must not be empty ([`JwtError::ParameterValidation`]); the key must
/// suit the header `alg` ([`Jwk::check_alg`]: `use`, JWK `alg`, kty/crv, never HS*); the
/// signature must verify ([`JwtError::InvalidSignature`]); then [`validate_claims`].
/// `now` is unix seconds. Prefer [`verify_decoded`], which moves the claims out instead of
/// cloning them.
pub fn verify_with_jwk(
    decoded: &DecodedJwt<'_>,
    jwk: &Jwk,
    opts: &VerifyOptions,
    now: u64,
) -> Result<Map<String, Value>, JwtError> {
    check_signature(decoded, jwk, opts)?;
    validate_claims(&decoded.header, &decoded.claims, opts, now)?;
    Ok(decoded.claims.clone())
}

/// [`verify_with_jwk`] taking the decoded token by value (no copy of the claims).
pub fn verify_decoded(
    decoded: DecodedJwt<'_>,
    jwk: &Jwk,
    opts: &VerifyOptions,
    now: u64,
) -> Result<Map<String, Value>, JwtError> {
    check_signature(&decoded, jwk, opts)?;
    validate_claims(&decoded.header, &decoded.claims, opts, now)?;
    Ok(decoded.claims)
}

/// Decodes `token`, selects its key in `jwks` by `kid` and verifies it ([`verify_decoded`]).
///
/// Errors: those of [`decode`]; [`JwtError::InvalidSignatureAlgorithm`] for HS* before any key
/// lookup; [`JwtError::WithoutValidKid`] (no `kid`); [`JwtError::KidNotFoundInJwks`] or the
/// parse error of the unusable key with that kid ([`JwkSet::find`]); then those of
/// [`verify_decoded`].
pub fn verify_with_jwks(
    token: &str,
    jwks: &JwkSet,
    opts: &VerifyOptions,
    now: u64,
) -> Result<Map<String, Value>, JwtError> {
    let decoded = decode(token)?;
    if decoded.header.alg.is_hmac() {
        return Err(JwtError::InvalidSignatureAlgorithm(alloc::format!(
            "{} is never accepted with a JWKS",
            decoded.header.alg
        )));
    }
    let jwk = match decoded.header.kid.as_deref() {
        Some(kid) if !kid.is_empty() => jwks.find(kid)?,
        _ => return Err(JwtError::WithoutValidKid),
    };
    verify_decoded(decoded, jwk, opts, now)
}

#[cfg(test)]
mod tests;
