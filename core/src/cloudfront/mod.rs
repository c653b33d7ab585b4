//! CloudFront signed URLs and signed cookies (canned and custom policies).
//!
//! Follows AWS's CloudFront Developer Guide pages "Create a signed URL using a canned policy",
//! "Create a signed URL using a custom policy", "Set signed cookies using a canned / custom
//! policy", and botocore's `CloudFrontSigner` (`botocore/signers.py`): with an RSA key and
//! SHA-1 (the default) the signed URLs are byte-identical to botocore's. Beyond botocore:
//! ECDSA P-256 keys, the SHA-256 mode (`Hash-Algorithm=SHA256` /
//! `CloudFront-Hash-Algorithm=SHA256`), signed cookies, and signing a wildcard policy once for
//! many URLs ([`CloudFrontSigner::sign_policy`]).
//!
//! ```
//! use pocket_sign_core::cloudfront::{CloudFrontSigner, KeyOptions, Policy, SigningKey};
//! # let pem = include_str!("../../../examples/demo-cloudfront-key.pem");
//! let key = SigningKey::from_pem(pem, KeyOptions::default())?;
//! let signer = CloudFrontSigner::new("K2JCJMDEHXQW5F", key)?;
//! let url = signer.signed_url(
//!     "https://d111111abcdef8.cloudfront.net/media/demo.jpg",
//!     &Policy::Canned { expires: 1_767_290_400 },
//! )?;
//! assert!(url.starts_with("https://d111111abcdef8.cloudfront.net/media/demo.jpg?Expires=1767290400&Signature="));
//! # Ok::<(), pocket_sign_core::cloudfront::SigningError>(())
//! ```

mod assemble;
mod callback;
mod cookies;
mod error;
mod hash;
mod keys;
mod policy;
mod signer;
mod url;

pub use assemble::PolicyJson;
pub use callback::CallbackSigner;
pub use cookies::{CookieAttributes, SignedCookies, MAX_COOKIE_LEN};
pub use error::SigningError;
pub use hash::HashAlgorithm;
pub use keys::{KeyKind, KeyOptions, SigningKey, MIN_RSA_BITS};
pub use policy::{CustomPolicy, Policy, PolicyBuilder};
pub use signer::{CloudFrontSigner, SignedPolicy};
pub use url::MAX_URL_LEN;

/// Whether `pattern` (a policy `Resource`, `*` = any run of characters, `?` = one character)
/// matches `url`, as CloudFront checks a custom policy.
pub fn resource_matches(pattern: &str, url: &str) -> bool {
    policy::resource_matches(pattern, url)
}
