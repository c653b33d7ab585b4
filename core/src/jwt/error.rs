//! [`JwtError`]: one variant per failed check, mirroring the error classes of
//! [aws-jwt-verify](https://github.com/awslabs/aws-jwt-verify) (`src/error.ts`) so callers can map
//! them one to one through [`JwtError::aws_jwt_verify_class`].

use alloc::string::String;

/// Why a JWT (or the key meant to verify it) was refused.
///
/// Messages are one sentence and never contain key material or secrets; they may contain claim
/// values taken from the (attacker-supplied) token, truncated by the caller if needed.
/// [`JwtError::kind`] is the variant name; [`JwtError::aws_jwt_verify_class`] the name of the
/// matching aws-jwt-verify error class.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// The token is not a well-formed compact JWS/JWT (segments, base64url, JSON, claim types).
    /// aws-jwt-verify: `JwtParseError`.
    #[error("malformed JWT: {0}")]
    Parse(String),
    /// The token is longer than [`crate::jwt::MAX_TOKEN_LEN`] bytes and was refused unread.
    /// aws-jwt-verify: `JwtParseError` (it has no size limit).
    #[error("JWT is {len} bytes, over the {max}-byte limit")]
    TooLarge {
        /// Length of the token in bytes.
        len: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// The header `alg` is unknown, `none`, not allowed for this key (HS* with a JWK, RS* with an
    /// EC key, ...) or differs from the JWK's `alg`. aws-jwt-verify:
    /// `JwtInvalidSignatureAlgorithmError`.
    #[error("JWT signature algorithm is not acceptable: {0}")]
    InvalidSignatureAlgorithm(String),
    /// The signature does not verify. aws-jwt-verify: `JwtInvalidSignatureError`.
    #[error("JWT signature is invalid")]
    InvalidSignature,
    /// `exp` + grace is before `now`. aws-jwt-verify: `JwtExpiredError`.
    #[error("JWT expired at {exp} (now {now}, unix seconds)")]
    Expired {
        /// The token's `exp` (unix seconds, rounded down).
        exp: u64,
        /// The verification time (unix seconds).
        now: u64,
    },
    /// `nbf` - grace is after `now`. aws-jwt-verify: `JwtNotBeforeError`.
    #[error("JWT is not valid before {nbf} (now {now}, unix seconds)")]
    NotBefore {
        /// The token's `nbf` (unix seconds, rounded up).
        nbf: u64,
        /// The verification time (unix seconds).
        now: u64,
    },
    /// `iss` is missing or not one of the configured issuers. aws-jwt-verify:
    /// `JwtInvalidIssuerError`.
    #[error("JWT issuer is not accepted: {0}")]
    InvalidIssuer(String),
    /// `aud` is missing or has none of the configured audiences. aws-jwt-verify:
    /// `JwtInvalidAudienceError`.
    #[error("JWT audience is not accepted: {0}")]
    InvalidAudience(String),
    /// `scope` is missing or contains none of the configured scopes. aws-jwt-verify:
    /// `JwtInvalidScopeError`.
    #[error("JWT scope is not accepted: {0}")]
    InvalidScope(String),
    /// A required claim is missing (`exp`, which aws-jwt-verify does not require) or a claim
    /// fails a check aws-jwt-verify does not have (maximum age from `iat`). aws-jwt-verify's
    /// base class: `JwtInvalidClaimError`.
    #[error("JWT claim is not accepted: {0}")]
    InvalidClaim(String),
    /// Cognito `token_use` is missing, not `access`/`id`, or not the configured one.
    /// aws-jwt-verify: `CognitoJwtInvalidTokenUseError`.
    #[error("Cognito token_use is not accepted: {0}")]
    InvalidTokenUse(String),
    /// Cognito `client_id` (access token) or `aud` (id token) is not a configured client id.
    /// aws-jwt-verify: `CognitoJwtInvalidClientIdError`.
    #[error("Cognito client id is not accepted: {0}")]
    InvalidClientId(String),
    /// `cognito:groups` is missing or has none of the configured groups. aws-jwt-verify:
    /// `CognitoJwtInvalidGroupError`.
    #[error("Cognito group is not accepted: {0}")]
    InvalidGroup(String),
    /// The caller's custom check hook refused the token (its message is passed through).
    /// aws-jwt-verify rethrows the hook's own error; stable kind: `JwtCustomCheckError`.
    #[error("custom JWT check failed: {0}")]
    CustomCheck(String),
    /// The token has no usable `kid` header while the key must be chosen from a JWKS.
    /// aws-jwt-verify: `JwtWithoutValidKidError`.
    #[error("JWT header has no valid kid")]
    WithoutValidKid,
    /// No key with the token's `kid` in the JWKS (after any allowed refetch).
    /// aws-jwt-verify: `KidNotFoundInJwksError`.
    #[error("no JWK with kid {0:?} in the JWKS")]
    KidNotFoundInJwks(String),
    /// The token's `kid` names no secret of the shared-secret keyring
    /// ([`crate::jwt::hs::HmacKeyring`]); no other secret is tried. aws-jwt-verify has no
    /// keyring; the kind is that of its nearest class, `KidNotFoundInJwksError`.
    #[error("no secret with kid {0:?} in the keyring")]
    KidNotFound(String),
    /// A JWK is unusable: bad or missing members, invalid point, weak RSA modulus, private key
    /// material. aws-jwt-verify: `JwkValidationError`.
    #[error("invalid JWK: {0}")]
    JwkInvalid(String),
    /// A JWK's `kty`/`crv` is not supported (only RSA, EC P-256/384/521 and OKP Ed25519 are).
    /// aws-jwt-verify: `JwkInvalidKtyError`.
    #[error("unsupported JWK key type: {0}")]
    JwkInvalidKty(String),
    /// A JWK's `use` is present and not `sig`. aws-jwt-verify: `JwkInvalidUseError`.
    #[error("JWK use is not sig: {0}")]
    JwkInvalidUse(String),
    /// The JWKS document is not `{"keys": [...]}` or is too large. aws-jwt-verify:
    /// `JwksValidationError`.
    #[error("invalid JWKS: {0}")]
    JwksInvalid(String),
    /// The JWKS (or ALB key) could not be fetched: network error, timeout, bad status, oversized
    /// or wrong content type (used by the std `jwks` layer). aws-jwt-verify: `FetchError`.
    #[error("failed to fetch keys: {0}")]
    Fetch(String),
    /// A fetch was not attempted because the refetch cool-down for this URI has not ended
    /// (unknown kid seen recently). aws-jwt-verify: `WaitPeriodNotYetEndedJwkError`.
    #[error("key refetch cool-down has not ended for kid {0:?}")]
    WaitPeriodNotYetEnded(String),
    /// A verification without I/O was asked but no keys are cached for this issuer.
    /// aws-jwt-verify: `JwksNotAvailableInCacheError`.
    #[error("no JWKS cached for {0}")]
    JwksNotAvailableInCache(String),
    /// The verifier was configured or called inconsistently (empty issuer list where one is
    /// required, client ids without token_use, HMAC secret too short, ...). aws-jwt-verify:
    /// `ParameterValidationError`.
    #[error("invalid verifier parameter: {0}")]
    ParameterValidation(String),
}

impl JwtError {
    /// The stable machine-readable kind: the variant name (`"Parse"`, `"Expired"`,
    /// `"KidNotFoundInJwks"`, ...), per the [error-kind contract](crate::error_kind). Never
    /// formats the variant's data.
    pub fn kind(&self) -> &'static str {
        crate::error_kind::variant_kind!(self, JwtError {
            Parse(..), TooLarge { .. }, InvalidSignatureAlgorithm(..), InvalidSignature,
            Expired { .. }, NotBefore { .. }, InvalidIssuer(..), InvalidAudience(..),
            InvalidScope(..), InvalidClaim(..), InvalidTokenUse(..), InvalidClientId(..),
            InvalidGroup(..), CustomCheck(..), WithoutValidKid, KidNotFoundInJwks(..),
            KidNotFound(..), JwkInvalid(..), JwkInvalidKty(..), JwkInvalidUse(..),
            JwksInvalid(..), Fetch(..), WaitPeriodNotYetEnded(..), JwksNotAvailableInCache(..),
            ParameterValidation(..),
        })
    }

    /// The name of the matching [aws-jwt-verify](https://github.com/awslabs/aws-jwt-verify)
    /// error class (`src/error.ts`: `"JwtExpiredError"`, `"KidNotFoundInJwksError"`, ...), or,
    /// for checks aws-jwt-verify does not have, its base class (`"JwtInvalidClaimError"` for a
    /// missing `exp` or too old `iat`) or `"JwtCustomCheckError"`. A compatibility mapping
    /// (the Python exception classes bear these names), not the [`kind`](Self::kind); these
    /// strings never change between versions.
    pub fn aws_jwt_verify_class(&self) -> &'static str {
        match self {
            JwtError::Parse(_) | JwtError::TooLarge { .. } => "JwtParseError",
            JwtError::InvalidSignatureAlgorithm(_) => "JwtInvalidSignatureAlgorithmError",
            JwtError::InvalidSignature => "JwtInvalidSignatureError",
            JwtError::Expired { .. } => "JwtExpiredError",
            JwtError::NotBefore { .. } => "JwtNotBeforeError",
            JwtError::InvalidIssuer(_) => "JwtInvalidIssuerError",
            JwtError::InvalidAudience(_) => "JwtInvalidAudienceError",
            JwtError::InvalidScope(_) => "JwtInvalidScopeError",
            JwtError::InvalidClaim(_) => "JwtInvalidClaimError",
            JwtError::InvalidTokenUse(_) => "CognitoJwtInvalidTokenUseError",
            JwtError::InvalidClientId(_) => "CognitoJwtInvalidClientIdError",
            JwtError::InvalidGroup(_) => "CognitoJwtInvalidGroupError",
            JwtError::CustomCheck(_) => "JwtCustomCheckError",
            JwtError::WithoutValidKid => "JwtWithoutValidKidError",
            JwtError::KidNotFoundInJwks(_) | JwtError::KidNotFound(_) => "KidNotFoundInJwksError",
            JwtError::JwkInvalid(_) => "JwkValidationError",
            JwtError::JwkInvalidKty(_) => "JwkInvalidKtyError",
            JwtError::JwkInvalidUse(_) => "JwkInvalidUseError",
            JwtError::JwksInvalid(_) => "JwksValidationError",
            JwtError::Fetch(_) => "FetchError",
            JwtError::WaitPeriodNotYetEnded(_) => "WaitPeriodNotYetEndedJwkError",
            JwtError::JwksNotAvailableInCache(_) => "JwksNotAvailableInCacheError",
            JwtError::ParameterValidation(_) => "ParameterValidationError",
        }
    }

    /// True for errors raised by a claim check after the signature verified (aws-jwt-verify's
    /// `JwtInvalidClaimError` family: expiry, not-before, issuer, audience, scope, Cognito
    /// claims, custom check).
    pub fn is_claim_error(&self) -> bool {
        matches!(
            self,
            JwtError::Expired { .. }
                | JwtError::NotBefore { .. }
                | JwtError::InvalidIssuer(_)
                | JwtError::InvalidAudience(_)
                | JwtError::InvalidScope(_)
                | JwtError::InvalidClaim(_)
                | JwtError::InvalidTokenUse(_)
                | JwtError::InvalidClientId(_)
                | JwtError::InvalidGroup(_)
                | JwtError::CustomCheck(_)
        )
    }
}

/// At most 64 characters of an untrusted string, for error messages.
pub(crate) fn clip(s: &str) -> &str {
    match s.char_indices().nth(64) {
        Some((i, _)) => s.get(..i).unwrap_or(s),
        None => s,
    }
}
