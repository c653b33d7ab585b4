//! ALB `x-amzn-oidc-data` verification (ES256 with the ALB public key, signer/client checks).
//!
//! An Application Load Balancer that authenticates users passes the user claims to targets in
//! the `x-amzn-oidc-data` header: a JWT whose header carries `alg` (`ES256`), `kid` (a UUID),
//! `signer` (the ALB's ARN), `client` (the OIDC client id), `iss` and `exp`, and whose payload
//! carries the user claims (`sub`, `email`, ..., `exp`, `iss`). The signing key is published as
//! a PEM (SubjectPublicKeyInfo, P-256) at `https://public-keys.auth.elb.{region}.amazonaws.com/{kid}`.
//! Source: AWS, "Authenticate users using an Application Load Balancer", section "User claims
//! encoding and signature verification"; checks mirror aws-jwt-verify's `AlbJwtVerifier`.
//!
//! Two ALB quirks are handled here:
//! - ALB pads its base64url segments with `=`, and the signature covers the text *as sent*
//!   (padding included), so the signature is verified over the raw `header.payload` text,
//!   never over a re-encoding.
//! - Older ALBs used the standard base64 alphabet (`+`, `/`); both alphabets are accepted
//!   (one alphabet per segment), with or without correct `=` padding.
//!
//! The header checks ([`check_header`]: alg, kid shape, signer ARN, client id) need no key, so
//! a caller can reject foreign tokens *before* fetching anything: the key endpoint is per region
//! and shared by every ALB there, so without this check any ALB's token would trigger fetches.
//!
//! - `data` (`no_std` + `alloc`): decoding, header checks, [`AlbPublicKey`], verification with a
//!   given key ([`verify_alb_data_with_key`]).
//! - `keys` (feature `std`): [`AlbVerifier`], which fetches and caches the ALB public keys per
//!   kid through the shared key cache (`crate::jwks::cache`).

mod data;
#[cfg(feature = "std")]
mod keys;

/// Per-kid fetch policy of [`AlbVerifier`].
#[cfg(feature = "std")]
pub use crate::jwks::cache::KidGateConfig;
pub use data::{
    check_header, decode_alb_data, default_keys_url, is_valid_alb_kid, is_valid_region,
    region_from_arn, verify_alb_data, verify_alb_data_with_key, AlbData, AlbError, AlbHeader,
    AlbPublicKey, AlbVerifyOptions, MAX_ALB_DATA_LEN,
};
#[cfg(feature = "std")]
pub use keys::AlbVerifier;
