//! Managed-secret generators in magic-pocket's formats (`[awscontainer.secrets.managed]`).
//!
//! - [`spa_token_secret`]: 32 random bytes as 64 lowercase hex characters (`SPA_TOKEN_SECRET`,
//!   the key of [`crate::spa_token`]).
//! - [`password`]: `length` characters drawn uniformly from a charset; the default charset is
//!   Django's `SECRET_KEY` one, [`DEFAULT_PASSWORD_CHARS`], and the default length
//!   [`DEFAULT_PASSWORD_LENGTH`] = 16.
//! - [`cloudfront_rsa_key_pair`]: the `cloudfront_signing_key` secret: RSA-2048 (e = 65537),
//!   private key as PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`, "TraditionalOpenSSL"),
//!   public key as SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`), each also
//!   base64-encoded again, as magic-pocket stores them in `{NAME}_PEM_BASE64` and
//!   `{NAME}_PUB_BASE64`. Upload the public PEM to CloudFront as a public key; its id goes in
//!   `{NAME}_ID`.
//! - [`cloudfront_ecdsa_key_pair`]: the ECDSA P-256 alternative CloudFront also accepts ("RSA
//!   2048 or ECDSA 256"): PKCS#8 private PEM (`-----BEGIN PRIVATE KEY-----`) and SPKI public
//!   PEM, with the same base64 forms.
//!
//! Randomness is injected as any [`rand_core::CryptoRngCore`]; with the `std` feature the
//! `generate_*` functions use the operating system's generator ([`rand_core::OsRng`]).
//! PEM text uses `\n` line endings and 64-character lines (RFC 7468), ending with a newline,
//! like Python `cryptography`'s `private_bytes` / `public_bytes` output.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64::Engine as _;
use rand_core::CryptoRngCore;
use zeroize::Zeroize;

/// magic-pocket's default password charset (Django's `get_random_secret_key` charset,
/// 50 characters): `abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)`.
pub const DEFAULT_PASSWORD_CHARS: &str = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)";

/// magic-pocket's default password length: 16 characters.
pub const DEFAULT_PASSWORD_LENGTH: usize = 16;

/// Longest password [`password`] makes: 4096 characters.
pub const MAX_PASSWORD_LENGTH: usize = 4096;

/// Most distinct characters a custom charset may have: 1024.
pub const MAX_CHARSET_LEN: usize = 1024;

/// RSA modulus size of a CloudFront key: 2048 bits (the size CloudFront key groups take).
pub const CLOUDFRONT_RSA_BITS: usize = 2048;

/// Why a secret could not be generated. Messages never contain generated material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeygenError {
    /// The requested password length is 0 or above [`MAX_PASSWORD_LENGTH`].
    #[error("password length must be between 1 and {max}, got {length}")]
    InvalidLength {
        /// The requested length, characters.
        length: usize,
        /// The largest accepted length, characters.
        max: usize,
    },
    /// The charset has fewer than 2 distinct characters, or more than [`MAX_CHARSET_LEN`].
    #[error("invalid password charset: {0}")]
    InvalidCharset(String),
    /// The random generator kept producing values outside the sampling range (a broken RNG).
    #[error("the random number generator failed")]
    RandomnessFailure,
    /// The key generation or PEM encoding failed (the payload names the step).
    #[error("key generation failed: {0}")]
    KeyGeneration(String),
}

impl KeygenError {
    /// The stable machine-readable kind: the variant name (`"InvalidLength"`, `"InvalidCharset"`, ...), per the
    /// [error-kind contract](crate::error_kind). Never formats the variant's data.
    pub fn kind(&self) -> &'static str {
        crate::error_kind::variant_kind!(self, KeygenError { InvalidLength { .. }, InvalidCharset(..), RandomnessFailure, KeyGeneration(..) })
    }
}

/// The algorithm of a [`CloudFrontKeyPair`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// RSA, 2048-bit modulus, e = 65537; private key in PKCS#1.
    Rsa2048,
    /// ECDSA over NIST P-256 (secp256r1); private key in PKCS#8.
    EcdsaP256,
}

/// A CloudFront signing key pair in the PEM and base64-of-PEM forms magic-pocket stores.
///
/// `Debug` redacts both private forms; they are zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct CloudFrontKeyPair {
    /// Which algorithm the pair is for.
    pub algorithm: KeyAlgorithm,
    /// Private key PEM: PKCS#1 `RSA PRIVATE KEY` (RSA) or PKCS#8 `PRIVATE KEY` (P-256).
    pub private_key_pem: String,
    /// Public key PEM: SubjectPublicKeyInfo `PUBLIC KEY` (what CloudFront's
    /// `CreatePublicKey` takes as `EncodedKey`).
    pub public_key_pem: String,
    /// Standard base64 (RFC 4648 §4, padded) of `private_key_pem`'s bytes: the value of
    /// `{NAME}_PEM_BASE64`.
    pub private_key_pem_base64: String,
    /// Standard base64 (padded) of `public_key_pem`'s bytes: the value of `{NAME}_PUB_BASE64`.
    pub public_key_pem_base64: String,
}

impl fmt::Debug for CloudFrontKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudFrontKeyPair")
            .field("algorithm", &self.algorithm)
            .field("private_key_pem", &"<redacted>")
            .field("public_key_pem", &self.public_key_pem)
            .field("private_key_pem_base64", &"<redacted>")
            .field("public_key_pem_base64", &self.public_key_pem_base64)
            .finish()
    }
}

impl Drop for CloudFrontKeyPair {
    fn drop(&mut self) {
        self.private_key_pem.zeroize();
        self.private_key_pem_base64.zeroize();
    }
}

impl CloudFrontKeyPair {
    fn new(algorithm: KeyAlgorithm, private_key_pem: String, public_key_pem: String) -> Self {
        let b64 = base64::engine::general_purpose::STANDARD;
        CloudFrontKeyPair {
            algorithm,
            private_key_pem_base64: b64.encode(private_key_pem.as_bytes()),
            public_key_pem_base64: b64.encode(public_key_pem.as_bytes()),
            private_key_pem,
            public_key_pem,
        }
    }
}

/// A new SPA token secret: 32 bytes from `rng` as 64 lowercase hex characters, the format of
/// magic-pocket's `spa_token_secret` managed secret and of [`crate::spa_token::SpaTokenKey::from_hex`].
pub fn spa_token_secret(rng: &mut impl CryptoRngCore) -> String {
    let mut bytes = [0u8; 32];
    rng.fill_bytes(&mut bytes);
    let out = hex::encode(bytes);
    bytes.zeroize();
    out
}

/// A random password of `length` characters (Unicode scalar values), each drawn uniformly and
/// independently from `chars` (default [`DEFAULT_PASSWORD_CHARS`]), like magic-pocket's
/// `password` managed secret. Selection is unbiased: a 32-bit draw outside the largest multiple
/// of the charset size is rejected and redrawn (no modulo bias). Repeated characters in `chars`
/// are kept as given, so they weight the choice, as with Python's `secrets.choice`.
///
/// # Errors
/// [`KeygenError::InvalidLength`] for `length` 0 or above [`MAX_PASSWORD_LENGTH`];
/// [`KeygenError::InvalidCharset`] when `chars` has fewer than 2 distinct characters or more
/// than [`MAX_CHARSET_LEN`] characters; [`KeygenError::RandomnessFailure`] if the generator
/// is broken (1000 consecutive rejected draws, probability below 2^-1000 for a working one).
pub fn password(
    rng: &mut impl CryptoRngCore,
    length: usize,
    chars: Option<&str>,
) -> Result<String, KeygenError> {
    if length == 0 || length > MAX_PASSWORD_LENGTH {
        return Err(KeygenError::InvalidLength {
            length,
            max: MAX_PASSWORD_LENGTH,
        });
    }
    let charset: Vec<char> = chars.unwrap_or(DEFAULT_PASSWORD_CHARS).chars().collect();
    if charset.len() > MAX_CHARSET_LEN {
        return Err(KeygenError::InvalidCharset(alloc::format!(
            "more than {MAX_CHARSET_LEN} characters"
        )));
    }
    let first = charset.first().copied();
    if !charset.iter().any(|&c| Some(c) != first) {
        return Err(KeygenError::InvalidCharset(String::from(
            "fewer than 2 distinct characters",
        )));
    }
    // charset.len() <= 1024, so it fits in u32.
    let n = u32::try_from(charset.len())
        .map_err(|_| KeygenError::InvalidCharset(String::from("too long")))?;
    let zone = (u32::MAX / n) * n;
    let mut out = String::with_capacity(length);
    for _ in 0..length {
        let index = uniform_below(rng, n, zone)?;
        let c = usize::try_from(index)
            .ok()
            .and_then(|i| charset.get(i))
            .ok_or(KeygenError::RandomnessFailure)?;
        out.push(*c);
    }
    Ok(out)
}

/// A uniform value in `0..n` by rejection sampling below `zone` (a multiple of `n`).
fn uniform_below(rng: &mut impl CryptoRngCore, n: u32, zone: u32) -> Result<u32, KeygenError> {
    for _ in 0..1000 {
        let v = rng.next_u32();
        if v < zone {
            return Ok(v % n);
        }
    }
    Err(KeygenError::RandomnessFailure)
}

/// A new RSA-2048 CloudFront key pair (e = 65537): PKCS#1 private PEM, SPKI public PEM and
/// their base64 forms (magic-pocket's `cloudfront_signing_key` / `rsa_pem_base64`).
/// Generation uses RustCrypto `rsa` and takes about a second.
///
/// # Errors
/// [`KeygenError::KeyGeneration`] if prime generation or PEM encoding fails.
pub fn cloudfront_rsa_key_pair(
    rng: &mut impl CryptoRngCore,
) -> Result<CloudFrontKeyPair, KeygenError> {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::pkcs8::{EncodePublicKey, LineEnding};

    let private = rsa::RsaPrivateKey::new(rng, CLOUDFRONT_RSA_BITS)
        .map_err(|_| KeygenError::KeyGeneration(String::from("RSA key generation")))?;
    let private_pem = private
        .to_pkcs1_pem(LineEnding::LF)
        .map_err(|_| KeygenError::KeyGeneration(String::from("PKCS#1 PEM encoding")))?;
    let public_pem = private
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|_| KeygenError::KeyGeneration(String::from("SPKI PEM encoding")))?;
    Ok(CloudFrontKeyPair::new(
        KeyAlgorithm::Rsa2048,
        String::from(private_pem.as_str()),
        public_pem,
    ))
}

/// A new ECDSA P-256 CloudFront key pair: PKCS#8 private PEM, SPKI public PEM and their base64
/// forms.
///
/// # Errors
/// [`KeygenError::KeyGeneration`] if PEM encoding fails.
pub fn cloudfront_ecdsa_key_pair(
    rng: &mut impl CryptoRngCore,
) -> Result<CloudFrontKeyPair, KeygenError> {
    use p256::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};

    let secret = p256::SecretKey::random(rng);
    let private_pem = secret
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|_| KeygenError::KeyGeneration(String::from("PKCS#8 PEM encoding")))?;
    let public_pem = secret
        .public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|_| KeygenError::KeyGeneration(String::from("SPKI PEM encoding")))?;
    Ok(CloudFrontKeyPair::new(
        KeyAlgorithm::EcdsaP256,
        String::from(private_pem.as_str()),
        public_pem,
    ))
}

/// [`spa_token_secret`] with the operating system's random generator.
#[cfg(feature = "std")]
pub fn generate_spa_token_secret() -> String {
    spa_token_secret(&mut rand_core::OsRng)
}

/// [`password`] with the operating system's random generator.
///
/// # Errors
/// As [`password`].
#[cfg(feature = "std")]
pub fn generate_password(length: usize, chars: Option<&str>) -> Result<String, KeygenError> {
    password(&mut rand_core::OsRng, length, chars)
}

/// [`cloudfront_rsa_key_pair`] with the operating system's random generator.
///
/// # Errors
/// As [`cloudfront_rsa_key_pair`].
#[cfg(feature = "std")]
pub fn generate_cloudfront_rsa_key_pair() -> Result<CloudFrontKeyPair, KeygenError> {
    cloudfront_rsa_key_pair(&mut rand_core::OsRng)
}

/// [`cloudfront_ecdsa_key_pair`] with the operating system's random generator.
///
/// # Errors
/// As [`cloudfront_ecdsa_key_pair`].
#[cfg(feature = "std")]
pub fn generate_cloudfront_ecdsa_key_pair() -> Result<CloudFrontKeyPair, KeygenError> {
    cloudfront_ecdsa_key_pair(&mut rand_core::OsRng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use rand_core::{CryptoRng, RngCore};

    /// Deterministic test generator (SplitMix64); not for production.
    struct TestRng(u64);
    impl RngCore for TestRng {
        fn next_u32(&mut self) -> u32 {
            (self.next_u64() >> 32) as u32
        }
        fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            rand_core::impls::fill_bytes_via_next(self, dest)
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }
    impl CryptoRng for TestRng {}

    /// Always returns u32::MAX: every draw is rejected for charsets that do not divide 2^32.
    struct StuckRng;
    impl RngCore for StuckRng {
        fn next_u32(&mut self) -> u32 {
            u32::MAX
        }
        fn next_u64(&mut self) -> u64 {
            u64::MAX
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            dest.fill(0xff)
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }
    impl CryptoRng for StuckRng {}

    #[test]
    fn spa_secret_is_64_lower_hex_and_a_valid_key() {
        let mut rng = TestRng(1);
        let a = spa_token_secret(&mut rng);
        let b = spa_token_secret(&mut rng);
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')));
        assert_ne!(a, b);
        crate::spa_token::SpaTokenKey::from_hex(&a).unwrap();
    }

    #[test]
    fn password_default_charset_and_length() {
        let mut rng = TestRng(2);
        let p = password(&mut rng, DEFAULT_PASSWORD_LENGTH, None).unwrap();
        assert_eq!(p.chars().count(), 16);
        assert!(p.chars().all(|c| DEFAULT_PASSWORD_CHARS.contains(c)));
        assert_eq!(DEFAULT_PASSWORD_CHARS.len(), 50);
    }

    #[test]
    fn password_is_roughly_uniform() {
        // 50 000 draws over 50 symbols: each expected 1000 times; a 5-sigma band is ±~155.
        let mut rng = TestRng(3);
        let p = password(&mut rng, 4096, None).unwrap();
        let mut all = String::from(p.as_str());
        for _ in 0..11 {
            all.push_str(&password(&mut rng, 4096, None).unwrap());
        }
        let total = all.chars().count();
        let expected = total / 50;
        for c in DEFAULT_PASSWORD_CHARS.chars() {
            let n = all.chars().filter(|&x| x == c).count();
            assert!(n.abs_diff(expected) < 160, "{c}: {n} vs {expected}");
        }
    }

    #[test]
    fn password_custom_chars_unicode() {
        let mut rng = TestRng(4);
        let p = password(&mut rng, 100, Some("あいう")).unwrap();
        assert_eq!(p.chars().count(), 100);
        assert!(p.chars().all(|c| "あいう".contains(c)));
        assert!(p.contains('あ') && p.contains('い') && p.contains('う'));
    }

    #[test]
    fn password_errors() {
        let mut rng = TestRng(5);
        assert_eq!(
            password(&mut rng, 0, None),
            Err(KeygenError::InvalidLength {
                length: 0,
                max: MAX_PASSWORD_LENGTH
            })
        );
        assert!(matches!(
            password(&mut rng, MAX_PASSWORD_LENGTH + 1, None),
            Err(KeygenError::InvalidLength { .. })
        ));
        for bad in ["", "a", "aaaa"] {
            assert!(
                matches!(
                    password(&mut rng, 8, Some(bad)),
                    Err(KeygenError::InvalidCharset(_))
                ),
                "{bad:?}"
            );
        }
        let huge: String = (0..1100u32)
            .filter_map(|i| char::from_u32(0x4e00 + i))
            .collect();
        assert!(matches!(
            password(&mut rng, 8, Some(&huge)),
            Err(KeygenError::InvalidCharset(_))
        ));
        assert_eq!(
            password(&mut StuckRng, 8, None),
            Err(KeygenError::RandomnessFailure)
        );
    }

    #[test]
    fn rsa_key_pair_formats_and_match() {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        use rsa::pkcs8::DecodePublicKey;
        use rsa::traits::PublicKeyParts;

        let mut rng = TestRng(6);
        let kp = cloudfront_rsa_key_pair(&mut rng).unwrap();
        assert_eq!(kp.algorithm, KeyAlgorithm::Rsa2048);
        assert!(kp
            .private_key_pem
            .starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        assert!(kp
            .private_key_pem
            .ends_with("-----END RSA PRIVATE KEY-----\n"));
        assert!(kp
            .public_key_pem
            .starts_with("-----BEGIN PUBLIC KEY-----\n"));
        assert!(kp.public_key_pem.ends_with("-----END PUBLIC KEY-----\n"));
        let private = rsa::RsaPrivateKey::from_pkcs1_pem(&kp.private_key_pem).unwrap();
        let public = rsa::RsaPublicKey::from_public_key_pem(&kp.public_key_pem).unwrap();
        assert_eq!(private.n().bits(), 2048);
        assert_eq!(private.e(), &rsa::BigUint::from(65_537u32));
        assert_eq!(private.to_public_key(), public);
        private.validate().unwrap();
        let b64 = base64::engine::general_purpose::STANDARD;
        assert_eq!(
            b64.decode(&kp.private_key_pem_base64).unwrap(),
            kp.private_key_pem.as_bytes()
        );
        assert_eq!(
            b64.decode(&kp.public_key_pem_base64).unwrap(),
            kp.public_key_pem.as_bytes()
        );
        let dbg = format!("{kp:?}");
        assert!(!dbg.contains("RSA PRIVATE KEY"), "{dbg}");
        assert!(!dbg.contains(&kp.private_key_pem_base64), "{dbg}");
    }

    #[test]
    fn ecdsa_key_pair_formats_and_match() {
        use p256::pkcs8::{DecodePrivateKey, DecodePublicKey};

        let mut rng = TestRng(7);
        let kp = cloudfront_ecdsa_key_pair(&mut rng).unwrap();
        assert_eq!(kp.algorithm, KeyAlgorithm::EcdsaP256);
        assert!(kp
            .private_key_pem
            .starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert!(kp
            .public_key_pem
            .starts_with("-----BEGIN PUBLIC KEY-----\n"));
        let secret = p256::SecretKey::from_pkcs8_pem(&kp.private_key_pem).unwrap();
        let public = p256::PublicKey::from_public_key_pem(&kp.public_key_pem).unwrap();
        assert_eq!(secret.public_key(), public);
        let other = cloudfront_ecdsa_key_pair(&mut rng).unwrap();
        assert_ne!(other.public_key_pem, kp.public_key_pem);
        assert!(!format!("{kp:?}").contains("BEGIN PRIVATE KEY"));
    }

    #[cfg(feature = "std")]
    #[test]
    fn os_rng_conveniences() {
        assert_ne!(generate_spa_token_secret(), generate_spa_token_secret());
        assert_eq!(generate_password(20, None).unwrap().chars().count(), 20);
        let kp = generate_cloudfront_ecdsa_key_pair().unwrap();
        assert!(kp.public_key_pem.contains("PUBLIC KEY"));
    }
}
