//! # pocket-sign-core
//!
//! The token, signing and verification core for Django/FastAPI-on-AWS deployments
//! (CloudFront in front, S3 for SPA and media, API Gateway/ALB to Lambda or ECS, Cognito for users).
//!
//! - [`spa_token`]: magic-pocket's SPA HMAC token `{user_id}:{expiry_unix}:{hmac_sha256_hex}`.
//! - [`cloudfront`]: CloudFront signed URLs and signed cookies (canned and custom policies),
//!   byte-identical to botocore's `CloudFrontSigner`, plus ECDSA P-256 keys and SHA-256 mode.
//! - [`jwt`], [`alb`], [`cognito`]: Cognito JWT and ALB `x-amzn-oidc-data` verification.
//! - `jwks` (feature `std`): JWKS fetching with a bounded, flood-proof cache (also used by
//!   [`alb::AlbVerifier`] for the ALB public keys).
//! - [`time`]: the one time source (system clock, or a manual clock in tests).
//! - [`codegen`]: CloudFront Functions (viewer-request) generated from `pocket.toml`.
//! - [`keygen`]: magic-pocket's managed-secret formats.
//! - [`origin_verify`]: refuse requests that bypass CloudFront (magic-pocket's `enable_origin_verify`)
//!   and take the viewer IP from the edge.
//!
//! The crate is `no_std` + `alloc` by default; the `std` feature adds clock conveniences,
//! OS randomness, the native OpenSSL crypto back end ([`crypto`]) and the fetching/caching layer. Time and
//! randomness are always injectable: every check takes `now` (unix seconds) explicitly, and the
//! fetching verifiers read the time from a [`time::TimeSource`].
//!
//! # Example
//!
//! Issue and verify magic-pocket's SPA token with the default features (the same example is in
//! the README, under "Layout"):
//!
//! ```
//! use pocket_sign_core::spa_token::{SpaTokenError, SpaTokenKey};
//!
//! fn main() -> Result<(), SpaTokenError> {
//!     // magic-pocket's 64-hex SPA_TOKEN_SECRET (`pocket-sign keygen spa-secret`).
//!     let key = SpaTokenKey::from_hex(
//!         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
//!     )?;
//!     let now = 1_700_000_000; // unix seconds (feature `std` adds issue_now / verify_now)
//!     let token = key.issue("42", now, 7 * 24 * 3600)?; // "42:1700604800:<hmac_sha256_hex>"
//!     let verified = key.verify(&token, now + 60)?; // signature (constant time), then expiry
//!     println!("user {} until {}", verified.user_id, verified.expiry);
//! #   assert!(token.starts_with("42:1700604800:"));
//! #   assert_eq!((verified.user_id, verified.expiry), ("42", 1_700_604_800));
//!     Ok(())
//! }
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod alb;
pub mod cloudfront;
pub mod codegen;
pub mod cognito;
pub mod crypto;
pub mod encoding;
pub mod error_kind;
#[cfg(feature = "std")]
pub mod jwks;
pub mod jwt;
pub mod keygen;
pub mod origin_verify;
pub mod spa_token;
pub mod time;
