//! The error type of the CloudFront signer.

use alloc::string::String;

/// Why a CloudFront key could not be loaded, a policy built, or a URL / cookie signed.
///
/// Messages are one sentence and never contain key material.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigningError {
    /// No expiry (`DateLessThan`) was given: every CloudFront policy needs one.
    #[error("an expiration time is required for a CloudFront policy")]
    MissingExpiry,
    /// The start time (`DateGreaterThan`, unix seconds) is not before the expiry (`DateLessThan`).
    #[error("the active (start) time {starts} must be before the expiration time {expires}")]
    StartNotBeforeExpiry {
        /// The start time, unix seconds.
        starts: u64,
        /// The expiry, unix seconds.
        expires: u64,
    },
    /// The signed URL would be longer than CloudFront's maximum URL length (bytes).
    #[error("the signed URL would be {len} bytes, over CloudFront's limit of {max} bytes")]
    UrlTooLong {
        /// Length of the signed URL in bytes.
        len: usize,
        /// The limit in bytes ([`super::MAX_URL_LEN`]).
        max: usize,
    },
    /// A signed cookie value would be longer than browsers keep (bytes).
    #[error("the {name} cookie would be {len} bytes, over the {max}-byte cookie limit")]
    CookieTooLarge {
        /// The cookie name.
        name: String,
        /// Length of `name=value` in bytes.
        len: usize,
        /// The limit in bytes ([`super::MAX_COOKIE_LEN`]).
        max: usize,
    },
    /// The URL cannot be signed (empty, contains whitespace, control characters or a fragment).
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    /// The URL is not matched by the policy's `Resource`, so CloudFront would refuse it.
    #[error("the URL is not matched by the policy resource")]
    ResourceMismatch,
    /// The key pair id is empty, too long, or has characters other than ASCII letters, digits, `-` and `_`.
    #[error("invalid CloudFront key pair id: {0}")]
    InvalidKeyPairId(String),
    /// The `IpAddress` value is not an IPv4 address or IPv4 CIDR block.
    #[error("invalid IP address for a CloudFront policy: {0}")]
    InvalidIpAddress(String),
    /// An IPv6 address was given: CloudFront policies only take IPv4 in `IpAddress`.
    #[error("CloudFront policies support only IPv4 addresses in IpAddress, not IPv6")]
    Ipv6NotSupported,
    /// The private key could not be read (bad PEM/DER, encrypted, unknown label).
    #[error("invalid private key: {0}")]
    InvalidKey(String),
    /// The key is of a kind CloudFront does not accept (only RSA and ECDSA P-256 are).
    #[error("unsupported key: {0}")]
    UnsupportedKey(String),
    /// An RSA key shorter than 2048 bits without `KeyOptions::allow_weak_rsa`.
    #[error("the RSA key has {bits} bits; CloudFront needs at least 2048 (allow_weak_rsa opts in for tests)")]
    WeakRsaKey {
        /// The modulus length in bits.
        bits: usize,
    },
    /// The cryptographic back end failed to produce a signature.
    #[error("the signature could not be computed")]
    SignatureFailed,
    /// A `Set-Cookie` attribute (Domain, Path) has characters that would break the header.
    #[error("invalid cookie attribute: {0}")]
    InvalidCookieAttribute(String),
    /// An environment variable needed by `CloudFrontSigner::from_env` is missing or not UTF-8.
    #[error("environment variable {0} is not set")]
    MissingEnv(String),
}

impl SigningError {
    /// The stable machine-readable kind: the variant name (`"InvalidUrl"`, `"UrlTooLong"`, `"InvalidKey"`, ...), per the
    /// [error-kind contract](crate::error_kind). Never formats the variant's data.
    pub fn kind(&self) -> &'static str {
        crate::error_kind::variant_kind!(self, SigningError { MissingExpiry, StartNotBeforeExpiry { .. }, UrlTooLong { .. }, CookieTooLarge { .. }, InvalidUrl(..), ResourceMismatch, InvalidKeyPairId(..), InvalidIpAddress(..), Ipv6NotSupported, InvalidKey(..), UnsupportedKey(..), WeakRsaKey { .. }, SignatureFailed, InvalidCookieAttribute(..), MissingEnv(..) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn kind_is_the_variant_name() {
        let all = [
            SigningError::MissingExpiry,
            SigningError::StartNotBeforeExpiry {
                starts: 2,
                expires: 1,
            },
            SigningError::UrlTooLong { len: 9, max: 8 },
            SigningError::CookieTooLarge {
                name: "n".into(),
                len: 9,
                max: 8,
            },
            SigningError::InvalidUrl("u".into()),
            SigningError::ResourceMismatch,
            SigningError::InvalidKeyPairId("k".into()),
            SigningError::InvalidIpAddress("i".into()),
            SigningError::Ipv6NotSupported,
            SigningError::InvalidKey("k".into()),
            SigningError::UnsupportedKey("k".into()),
            SigningError::WeakRsaKey { bits: 1024 },
            SigningError::SignatureFailed,
            SigningError::InvalidCookieAttribute("a".into()),
            SigningError::MissingEnv("E".into()),
        ];
        for e in all {
            let debug = format!("{e:?}");
            let name: String = debug
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            assert_eq!(e.kind(), name);
        }
    }
}
