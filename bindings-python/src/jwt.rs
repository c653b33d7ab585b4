//! JWT error mapping and JSON conversion shared by the Cognito and ALB verifiers.

use pocket_sign_core::alb::AlbError;
use pocket_sign_core::jwt::JwtError;
use pyo3::prelude::*;

use crate::errors::err;

/// Class names defined in `pocket_sign/errors.py` that `JwtError::kind` may return.
const JWT_CLASSES: &[&str] = &[
    "JwtParseError",
    "JwtInvalidSignatureAlgorithmError",
    "JwtInvalidSignatureError",
    "JwtExpiredError",
    "JwtNotBeforeError",
    "JwtInvalidIssuerError",
    "JwtInvalidAudienceError",
    "JwtInvalidScopeError",
    "JwtInvalidClaimError",
    "CognitoJwtInvalidTokenUseError",
    "CognitoJwtInvalidClientIdError",
    "CognitoJwtInvalidGroupError",
    "JwtCustomCheckError",
    "JwtWithoutValidKidError",
    "KidNotFoundInJwksError",
    "JwkValidationError",
    "JwkInvalidKtyError",
    "JwkInvalidUseError",
    "JwksValidationError",
    "FetchError",
    "WaitPeriodNotYetEndedJwkError",
    "JwksNotAvailableInCacheError",
    "ParameterValidationError",
];

/// Maps a core JWT error to the `pocket_sign.errors` class named by its `kind()`
/// (aws-jwt-verify's class names), falling back to `JwtBaseError`.
pub fn map_jwt(e: JwtError) -> PyErr {
    let kind = e.kind();
    let class = JWT_CLASSES
        .iter()
        .copied()
        .find(|c| *c == kind)
        .unwrap_or("JwtBaseError");
    err(class, kind, e.to_string())
}

/// Maps a core ALB error to `pocket_sign.errors` (aws-jwt-verify's ALB classes where they exist).
pub fn map_alb(e: AlbError) -> PyErr {
    let kind = e.kind();
    let class = match kind {
        "malformed" | "too_large" => "JwtParseError",
        "invalid_signature_algorithm" => "JwtInvalidSignatureAlgorithmError",
        "invalid_kid" => "JwtWithoutValidKidError",
        "invalid_signer" => "AlbJwtInvalidSignerError",
        "invalid_client_id" => "AlbJwtInvalidClientIdError",
        "invalid_issuer" => "JwtInvalidIssuerError",
        "invalid_signature" => "JwtInvalidSignatureError",
        "missing_exp" => "JwtInvalidClaimError",
        "expired" => "JwtExpiredError",
        "not_before" => "JwtNotBeforeError",
        "invalid_key" => "JwkValidationError",
        "invalid_config" => "ParameterValidationError",
        "key_not_found" => "KidNotFoundInJwksError",
        "key_fetch" => "FetchError",
        _ => "JwtBaseError",
    };
    err(class, kind, e.to_string())
}

/// Serializes claims to a JSON string (the Python layer turns it into a `dict`).
pub fn to_json(map: &serde_json::Map<String, serde_json::Value>) -> String {
    // Serializing a Map of Values cannot fail (string keys only).
    serde_json::to_string(map).unwrap_or_else(|_| String::from("{}"))
}
