//! JWS `alg` values supported by pocket-sign (RFC 7518 §3.1, RFC 8037 §3.1).

use core::fmt;

/// A JWS signature algorithm.
///
/// `none` is not representable: a token with `"alg":"none"` is refused at parse time.
/// The asymmetric ones are exactly those aws-jwt-verify accepts; HS* are only usable through
/// [`crate::jwt::hs`] with an explicitly configured secret, never with a JWK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(clippy::upper_case_acronyms)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3).
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// ECDSA P-256 with SHA-256, signature raw `r‖s` (64 bytes) (RFC 7518 §3.4).
    ES256,
    /// ECDSA P-384 with SHA-384, signature raw `r‖s` (96 bytes).
    ES384,
    /// ECDSA P-521 with SHA-512, signature raw `r‖s` (132 bytes).
    ES512,
    /// EdDSA; only the Ed25519 curve is supported (RFC 8037 §3.1).
    EdDSA,
    /// HMAC SHA-256 (RFC 7518 §3.2); shared secret only.
    HS256,
    /// HMAC SHA-384; shared secret only.
    HS384,
    /// HMAC SHA-512; shared secret only.
    HS512,
}

impl Algorithm {
    /// Every supported algorithm.
    pub const ALL: [Algorithm; 10] = [
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::EdDSA,
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
    ];

    /// The JOSE name (`"RS256"`, `"EdDSA"`, ...), case-sensitive as in RFC 7518.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::ES512 => "ES512",
            Algorithm::EdDSA => "EdDSA",
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
        }
    }

    /// Parses a JOSE `alg` name exactly (case-sensitive). Returns `None` for unknown names and
    /// for `none`.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// True for HS256/384/512 (shared-secret MACs).
    pub fn is_hmac(self) -> bool {
        matches!(self, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512)
    }

    /// Digest output length in bytes of the hash this algorithm uses (EdDSA: 64, SHA-512
    /// internally). For HS* this is also the minimum secret length enforced.
    pub fn hash_len(self) -> usize {
        match self {
            Algorithm::RS256 | Algorithm::ES256 | Algorithm::HS256 => 32,
            Algorithm::RS384 | Algorithm::ES384 | Algorithm::HS384 => 48,
            Algorithm::RS512 | Algorithm::ES512 | Algorithm::HS512 | Algorithm::EdDSA => 64,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::str::FromStr for Algorithm {
    type Err = crate::jwt::JwtError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Algorithm::from_name(s).ok_or_else(|| {
            crate::jwt::JwtError::InvalidSignatureAlgorithm(alloc::format!("unsupported alg {s:?}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_none_is_refused() {
        for a in Algorithm::ALL {
            assert_eq!(Algorithm::from_name(a.as_str()), Some(a));
        }
        assert_eq!(Algorithm::from_name("none"), None);
        assert_eq!(Algorithm::from_name("rs256"), None);
        assert_eq!(Algorithm::from_name("ES256K"), None);
        assert!(Algorithm::HS384.is_hmac() && !Algorithm::ES384.is_hmac());
        assert_eq!(Algorithm::HS512.hash_len(), 64);
    }
}
