//! The crypto back ends: every signature made or verified by the core goes through this module,
//! and this file holds the only `cfg` fork between back ends (as rustls keeps each provider under
//! `src/crypto/<provider>/`).
//!
//! - `portable`: RustCrypto (`rsa` with 64-bit limbs, `p256`, `p384`, `p521`). `no_std` +
//!   `alloc`, builds for wasm32 and embedded targets. Always compiled (the native back end's
//!   tests compare their output with it).
//! - `native` (feature `native`, on with `std`): OpenSSL's libcrypto through the `openssl`
//!   crate. The only maintained Rust-callable library that signs RSA PKCS#1 v1.5 with SHA-1
//!   (CloudFront's default) at OpenSSL speed: ring 0.17, aws-lc-rs and graviola verify SHA-1
//!   but do not sign with it. Chosen by measurement, see `docs/crypto-backends.md`.
//!
//! Key *parsing* (PEM, PKCS#1, PKCS#8, SEC 1, SPKI, JWK members) and key validation stay in the
//! callers, on RustCrypto's DER decoders, so that both back ends accept and refuse exactly the
//! same keys with the same messages; a back end receives an already validated key and keeps it
//! in its own parsed, precomputed form. Message digests are computed here with RustCrypto
//! `sha1` / `sha2` (SHA-NI on x86_64) and the back end signs or verifies the digest.
//!
//! Ed25519 verification uses `ed25519-dalek`'s `verify_strict` in both back ends (RFC 8032
//! strict checks, the same accept/reject set on every platform).

#![cfg_attr(feature = "native", allow(dead_code))]

use alloc::vec::Vec;

pub(crate) mod portable;

#[cfg(feature = "native")]
pub(crate) mod native;

#[cfg(feature = "native")]
use native as active;
#[cfg(not(feature = "native"))]
use portable as active;

/// Name of the back end in use (`"native (OpenSSL)"` or `"portable (RustCrypto)"`), for
/// diagnostics and the benchmark report.
pub const BACKEND: &str = active::NAME;

/// A signature hash (FIPS 180-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

/// A digest of at most 64 bytes, kept on the stack.
pub(crate) struct Digest {
    bytes: [u8; 64],
    len: usize,
}

impl Digest {
    pub(crate) fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl Hash {
    /// The digest of `msg`.
    pub(crate) fn digest(self, msg: &[u8]) -> Digest {
        use sha2::Digest as _;
        let mut bytes = [0u8; 64];
        let len = match self {
            Hash::Sha1 => copy(&mut bytes, &sha1::Sha1::digest(msg)),
            Hash::Sha256 => copy(&mut bytes, &sha2::Sha256::digest(msg)),
            Hash::Sha384 => copy(&mut bytes, &sha2::Sha384::digest(msg)),
            Hash::Sha512 => copy(&mut bytes, &sha2::Sha512::digest(msg)),
        };
        Digest { bytes, len }
    }
}

fn copy(out: &mut [u8; 64], d: &[u8]) -> usize {
    if let Some(dst) = out.get_mut(..d.len()) {
        dst.copy_from_slice(d);
    }
    d.len()
}

/// A back end refused a key or failed an operation (no detail: callers map it to their own
/// typed error, and no key material may leak into a message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Error;

/// An elliptic curve of the JOSE / CloudFront algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Curve {
    /// NIST P-256 (prime256v1): ES256, CloudFront ECDSA, ALB.
    P256,
    /// NIST P-384: ES384.
    P384,
    /// NIST P-521: ES512.
    P521,
}

impl Curve {
    /// Field element size in bytes (half of a raw `r || s` JWS signature).
    pub(crate) fn field_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The JWS hash of this curve's ECDSA algorithm (RFC 7518 §3.4).
    pub(crate) fn jws_hash(self) -> Hash {
        match self {
            Curve::P256 => Hash::Sha256,
            Curve::P384 => Hash::Sha384,
            Curve::P521 => Hash::Sha512,
        }
    }
}

/// An RSA private key, ready to sign RSASSA-PKCS1-v1_5 (RFC 8017 §8.2).
#[derive(Clone)]
pub(crate) struct RsaPrivateKey(active::RsaPrivateKey);

impl RsaPrivateKey {
    /// Imports a key parsed (and size-checked) by the caller.
    pub(crate) fn new(key: rsa::RsaPrivateKey) -> Result<Self, Error> {
        active::RsaPrivateKey::new(key).map(Self)
    }

    /// RSASSA-PKCS1-v1_5 signature of `msg` (deterministic, modulus-length bytes).
    pub(crate) fn sign_pkcs1v15(&self, hash: Hash, msg: &[u8]) -> Result<Vec<u8>, Error> {
        self.0.sign_pkcs1v15(hash, &hash.digest(msg))
    }

    /// Verifies a PKCS#1 v1.5 signature with the key's public half.
    pub(crate) fn verify_pkcs1v15(&self, hash: Hash, msg: &[u8], sig: &[u8]) -> bool {
        self.0.verify_pkcs1v15(hash, &hash.digest(msg), sig)
    }
}

/// An ECDSA P-256 private key, ready to sign.
#[derive(Clone)]
pub(crate) struct P256PrivateKey(active::P256PrivateKey);

impl P256PrivateKey {
    /// Imports a key parsed by the caller.
    pub(crate) fn new(key: &p256::SecretKey) -> Result<Self, Error> {
        active::P256PrivateKey::new(key).map(Self)
    }

    /// ECDSA signature of `hash(msg)`, DER-encoded (SEC 1 `Ecdsa-Sig-Value`, 70–72 bytes).
    pub(crate) fn sign_der(&self, hash: Hash, msg: &[u8]) -> Result<Vec<u8>, Error> {
        self.0.sign_der(&hash.digest(msg))
    }

    /// Verifies a DER ECDSA signature over `hash(msg)` with the key's public half.
    pub(crate) fn verify_der(&self, hash: Hash, msg: &[u8], sig: &[u8]) -> bool {
        self.0.verify_der(&hash.digest(msg), sig)
    }
}

/// An RSA public key, ready to verify RSASSA-PKCS1-v1_5.
#[derive(Clone)]
pub(crate) struct RsaPublicKey(active::RsaPublicKey);

impl RsaPublicKey {
    /// Imports big-endian `n` and `e` (no leading zeros) already checked by the caller.
    pub(crate) fn new(n: &[u8], e: &[u8]) -> Result<Self, Error> {
        active::RsaPublicKey::new(n, e).map(Self)
    }

    /// Verifies a PKCS#1 v1.5 signature over `hash(msg)`; `sig` must be exactly modulus-length.
    pub(crate) fn verify_pkcs1v15(&self, hash: Hash, msg: &[u8], sig: &[u8]) -> bool {
        self.0.verify_pkcs1v15(hash, &hash.digest(msg), sig)
    }
}

/// An ECDSA public key on one of [`Curve`], ready to verify.
#[derive(Clone)]
pub(crate) struct EcPublicKey {
    key: active::EcPublicKey,
    curve: Curve,
    /// The SEC 1 uncompressed point, for equality.
    point: Vec<u8>,
}

impl EcPublicKey {
    /// Imports an uncompressed SEC 1 point (`04 || x || y`) already validated on `curve`.
    pub(crate) fn new(curve: Curve, point: &[u8]) -> Result<Self, Error> {
        Ok(EcPublicKey {
            key: active::EcPublicKey::new(curve, point)?,
            curve,
            point: point.to_vec(),
        })
    }

    /// The key's curve.
    pub(crate) fn curve(&self) -> Curve {
        self.curve
    }

    /// Verifies a JWS ECDSA signature (raw `r || s`, each [`Curve::field_len`] bytes) over
    /// `msg` with the curve's JWS hash (RFC 7518 §3.4).
    pub(crate) fn verify_fixed(&self, msg: &[u8], sig: &[u8]) -> bool {
        sig.len() == 2 * self.curve.field_len()
            && self.key.verify_raw(&self.curve.jws_hash().digest(msg), sig)
    }
}

/// An Ed25519 public key (RFC 8032), verified with `ed25519-dalek`'s `verify_strict` in both
/// back ends. The caller has refused small-order keys.
#[derive(Clone)]
pub(crate) struct Ed25519PublicKey(ed25519_dalek::VerifyingKey);

impl Ed25519PublicKey {
    pub(crate) fn new(key: ed25519_dalek::VerifyingKey) -> Self {
        Self(key)
    }

    /// Verifies a 64-byte Ed25519 signature over `msg`.
    pub(crate) fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        match ed25519_dalek::Signature::from_slice(sig) {
            Ok(s) => self.0.verify_strict(msg, &s).is_ok(),
            Err(_) => false,
        }
    }
}

impl PartialEq for EcPublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.curve == other.curve && self.point == other.point
    }
}
impl Eq for EcPublicKey {}

#[cfg(all(test, feature = "native"))]
mod tests {
    //! The native back end against the portable one: same RSA bytes, cross-verifiable ECDSA.
    use super::*;
    use p256::pkcs8::DecodePrivateKey as _;
    use rsa::pkcs1::DecodeRsaPrivateKey as _;
    use rsa::traits::PublicKeyParts as _;

    const RSA_1024: &str = include_str!("../../../tests/vectors/cloudfront/test-rsa-key.pem");
    const DEMO_RSA_2048: &str = include_str!("../../../examples/demo-cloudfront-key.pem");
    const EC_P256: &str = include_str!("../../../tests/vectors/cloudfront/test-ecdsa-key.pem");

    fn ec_secret() -> p256::SecretKey {
        p256::SecretKey::from_pkcs8_pem(EC_P256)
            .or_else(|_| p256::SecretKey::from_sec1_pem(EC_P256))
            .unwrap()
    }

    #[test]
    fn rsa_signatures_are_byte_identical_across_back_ends() {
        for pem in [DEMO_RSA_2048, RSA_1024] {
            let pem = &pem[pem.find("-----BEGIN").unwrap()..];
            let key = rsa::RsaPrivateKey::from_pkcs1_pem(pem)
                .or_else(|_| rsa::RsaPrivateKey::from_pkcs8_pem(pem))
                .unwrap();
            let n = key.n().to_bytes_be();
            let e = key.e().to_bytes_be();
            let native = native::RsaPrivateKey::new(key.clone()).unwrap();
            let portable = portable::RsaPrivateKey::new(key).unwrap();
            let native_pub = native::RsaPublicKey::new(&n, &e).unwrap();
            let portable_pub = portable::RsaPublicKey::new(&n, &e).unwrap();
            let mut msg = Vec::new();
            for i in 0..24u32 {
                msg.extend_from_slice(&i.to_be_bytes());
                for hash in [Hash::Sha1, Hash::Sha256] {
                    let d = hash.digest(&msg);
                    let a = native.sign_pkcs1v15(hash, &d).unwrap();
                    let b = portable.sign_pkcs1v15(hash, &d).unwrap();
                    assert_eq!(a, b, "{hash:?} message {i}");
                    assert!(native.verify_pkcs1v15(hash, &d, &b));
                    assert!(portable.verify_pkcs1v15(hash, &d, &a));
                    if pem == DEMO_RSA_2048 {
                        assert!(native_pub.verify_pkcs1v15(hash, &d, &a));
                        assert!(portable_pub.verify_pkcs1v15(hash, &d, &a));
                    }
                    let mut bad = a.clone();
                    bad[7] ^= 1;
                    assert!(!native.verify_pkcs1v15(hash, &d, &bad));
                    assert!(!native_pub.verify_pkcs1v15(hash, &d, &bad));
                    assert!(!native_pub.verify_pkcs1v15(hash, &d, &a[1..]));
                    let other = if hash == Hash::Sha1 {
                        Hash::Sha256
                    } else {
                        Hash::Sha1
                    };
                    assert!(!native.verify_pkcs1v15(other, &other.digest(&msg), &a));
                }
            }
        }
    }

    #[test]
    fn ecdsa_signatures_cross_verify() {
        use p256::elliptic_curve::sec1::ToEncodedPoint as _;
        let secret = ec_secret();
        let point = secret.public_key().to_encoded_point(false);
        let native = native::P256PrivateKey::new(&secret).unwrap();
        let portable = portable::P256PrivateKey::new(&secret).unwrap();
        let native_pub = native::EcPublicKey::new(Curve::P256, point.as_bytes()).unwrap();
        for hash in [Hash::Sha1, Hash::Sha256] {
            let d = hash.digest(b"policy");
            let a = native.sign_der(&d).unwrap();
            let b = portable.sign_der(&d).unwrap();
            assert!(portable.verify_der(&d, &a));
            assert!(native.verify_der(&d, &b));
            assert!(!native.verify_der(&hash.digest(b"policy!"), &b));
            // Raw r || s of the portable signature verifies natively (the JWS form).
            let sig = p256::ecdsa::DerSignature::from_bytes(&b).unwrap();
            let raw = p256::ecdsa::Signature::from_der(sig.as_bytes())
                .unwrap()
                .to_bytes();
            assert!(native_pub.verify_raw(&d, &raw));
            let mut swapped = raw[32..].to_vec();
            swapped.extend_from_slice(&raw[..32]);
            assert!(!native_pub.verify_raw(&d, &swapped));
        }
    }

    #[test]
    fn native_refuses_zero_and_oversized_ecdsa_components() {
        use p256::elliptic_curve::sec1::ToEncodedPoint as _;
        let point = ec_secret().public_key().to_encoded_point(false);
        let k = EcPublicKey::new(Curve::P256, point.as_bytes()).unwrap();
        assert!(!k.verify_fixed(b"m", &[0u8; 64]));
        assert!(!k.verify_fixed(b"m", &[0xffu8; 64]));
        assert!(!k.verify_fixed(b"m", &[1u8; 63]));
    }
}
