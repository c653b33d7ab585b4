//! CloudFront private keys: RSA (PKCS#1 / PKCS#8 PEM) and ECDSA P-256 (PKCS#8 / SEC1 PEM),
//! parsed once into a reusable signer.
//!
//! CloudFront key groups accept "RSA 2048" and "ECDSA 256 (prime256v1)" public keys (AWS,
//! "Create key pairs for your signers"). Signatures are RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) or
//! DER-encoded ECDSA (FIPS 186-4 / RFC 6979 nonces, SEC 1 `Ecdsa-Sig-Value`), over SHA-1 by
//! default or SHA-256.
//!
//! Keys are parsed and validated here (RustCrypto DER decoders, the same in every build) and
//! signed with the crate's crypto back end (`crate::crypto`): OpenSSL with the `native` feature
//! (on with `std`), RustCrypto `rsa` / `p256` otherwise. PKCS#1 v1.5 is deterministic, so both
//! back ends give the same RSA bytes (tested); ECDSA signatures differ per call and verify with
//! either.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use zeroize::Zeroizing;

use crate::crypto;

use super::error::SigningError;
use super::hash::HashAlgorithm;

/// Smallest RSA modulus (bits) accepted without [`KeyOptions::allow_weak_rsa`].
pub const MIN_RSA_BITS: usize = 2048;

/// Largest PEM / base64 input accepted (bytes); far above any RSA-8192 key.
const MAX_KEY_INPUT: usize = 64 * 1024;

/// Options for loading a [`SigningKey`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeyOptions {
    /// Accept RSA keys shorter than 2048 bits (only for test keys such as the 1024-bit key of
    /// the AWS SDK conformance vectors; CloudFront key groups take RSA 2048). Default `false`.
    pub allow_weak_rsa: bool,
}

/// A parsed CloudFront private key (RSA or ECDSA P-256), ready to sign many messages.
///
/// Cheap to clone (shared); `Debug` shows only the key kind, never key material.
#[derive(Clone)]
pub struct SigningKey {
    inner: Arc<Inner>,
}

enum Inner {
    Rsa(alloc::boxed::Box<RsaKey>),
    Ecdsa(alloc::boxed::Box<EcKey>),
}

struct RsaKey {
    key: crypto::RsaPrivateKey,
    public: rsa::RsaPublicKey,
    bits: usize,
}

struct EcKey {
    key: crypto::P256PrivateKey,
    public: p256::PublicKey,
}

fn crypto_hash(hash: HashAlgorithm) -> crypto::Hash {
    match hash {
        HashAlgorithm::Sha1 => crypto::Hash::Sha1,
        HashAlgorithm::Sha256 => crypto::Hash::Sha256,
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kind", &self.kind())
            .finish_non_exhaustive()
    }
}

/// What kind of key a [`SigningKey`] is.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// RSA with the given modulus length in bits.
    Rsa {
        /// Modulus length in bits.
        bits: usize,
    },
    /// ECDSA over NIST P-256 (prime256v1).
    EcdsaP256,
}

impl SigningKey {
    /// Loads a private key from PEM text: `RSA PRIVATE KEY` (PKCS#1), `PRIVATE KEY` (PKCS#8,
    /// RSA or P-256) or `EC PRIVATE KEY` (SEC 1, P-256). Text before the `-----BEGIN` line is
    /// ignored.
    ///
    /// # Errors
    /// [`SigningError::InvalidKey`] for malformed or encrypted PEM, a public key, or an unknown
    /// label; [`SigningError::UnsupportedKey`] for other algorithms or curves;
    /// [`SigningError::WeakRsaKey`] for RSA under 2048 bits unless `opts.allow_weak_rsa`.
    pub fn from_pem(pem: &str, opts: KeyOptions) -> Result<SigningKey, SigningError> {
        if pem.len() > MAX_KEY_INPUT {
            return Err(SigningError::InvalidKey(String::from(
                "the PEM input is too large",
            )));
        }
        let start = pem.find("-----BEGIN ").ok_or_else(|| {
            SigningError::InvalidKey(String::from("no PEM '-----BEGIN' line found"))
        })?;
        let pem = pem.get(start..).unwrap_or_default().trim_end();
        let (label, der) = rsa::pkcs8::der::pem::decode_vec(pem.as_bytes())
            .map_err(|_| SigningError::InvalidKey(String::from("malformed PEM")))?;
        let der = Zeroizing::new(der);
        let inner = match label {
            "RSA PRIVATE KEY" => {
                let key = rsa::RsaPrivateKey::from_pkcs1_der(&der).map_err(|_| {
                    SigningError::InvalidKey(String::from("malformed PKCS#1 RSA private key"))
                })?;
                Inner::Rsa(alloc::boxed::Box::new(RsaKey::new(key, opts)?))
            }
            "PRIVATE KEY" => Self::from_pkcs8_der(&der, opts)?,
            "EC PRIVATE KEY" => {
                let key = p256::SecretKey::from_sec1_der(&der).map_err(|_| {
                    SigningError::UnsupportedKey(String::from(
                        "the SEC 1 EC key is malformed or not on P-256 (CloudFront takes only ECDSA P-256)",
                    ))
                })?;
                Inner::Ecdsa(alloc::boxed::Box::new(EcKey::new(&key)?))
            }
            "ENCRYPTED PRIVATE KEY" => {
                return Err(SigningError::InvalidKey(String::from(
                    "encrypted private keys are not supported; decrypt the key first",
                )))
            }
            "PUBLIC KEY" | "RSA PUBLIC KEY" | "CERTIFICATE" => {
                return Err(SigningError::InvalidKey(String::from(
                    "this is a public key or certificate; signing needs the private key",
                )))
            }
            _ => return Err(SigningError::InvalidKey(String::from("unknown PEM label"))),
        };
        Ok(SigningKey {
            inner: Arc::new(inner),
        })
    }

    /// Loads a key stored as base64 of the PEM text (magic-pocket's `{NAME}_PEM_BASE64`
    /// convention). Whitespace in the base64 is ignored; standard alphabet with padding.
    ///
    /// # Errors
    /// [`SigningError::InvalidKey`] when the value is not base64 of UTF-8 PEM text, plus the
    /// errors of [`SigningKey::from_pem`].
    pub fn from_pem_base64(b64: &str, opts: KeyOptions) -> Result<SigningKey, SigningError> {
        if b64.len() > MAX_KEY_INPUT {
            return Err(SigningError::InvalidKey(String::from(
                "the base64 input is too large",
            )));
        }
        let compact: Zeroizing<Vec<u8>> =
            Zeroizing::new(b64.bytes().filter(|b| !b.is_ascii_whitespace()).collect());
        let bytes = Zeroizing::new(
            base64::engine::general_purpose::STANDARD
                .decode(&*compact)
                .map_err(|_| {
                    SigningError::InvalidKey(String::from("the value is not valid base64"))
                })?,
        );
        let text = core::str::from_utf8(&bytes).map_err(|_| {
            SigningError::InvalidKey(String::from("the base64 value does not decode to PEM text"))
        })?;
        Self::from_pem(text, opts)
    }

    fn from_pkcs8_der(der: &[u8], opts: KeyOptions) -> Result<Inner, SigningError> {
        use rsa::pkcs8::der::Decode as _;
        const RSA_ENCRYPTION: rsa::pkcs8::ObjectIdentifier =
            rsa::pkcs8::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
        const EC_PUBLIC_KEY: rsa::pkcs8::ObjectIdentifier =
            rsa::pkcs8::ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
        let info = rsa::pkcs8::PrivateKeyInfo::from_der(der)
            .map_err(|_| SigningError::InvalidKey(String::from("malformed PKCS#8 private key")))?;
        if info.algorithm.oid == RSA_ENCRYPTION {
            let key = rsa::RsaPrivateKey::from_pkcs8_der(der).map_err(|_| {
                SigningError::InvalidKey(String::from("malformed PKCS#8 RSA private key"))
            })?;
            Ok(Inner::Rsa(alloc::boxed::Box::new(RsaKey::new(key, opts)?)))
        } else if info.algorithm.oid == EC_PUBLIC_KEY {
            let key = p256::SecretKey::from_pkcs8_der(der).map_err(|_| {
                SigningError::UnsupportedKey(String::from(
                    "the PKCS#8 EC key is malformed or not on P-256 (CloudFront takes only ECDSA P-256)",
                ))
            })?;
            Ok(Inner::Ecdsa(alloc::boxed::Box::new(EcKey::new(&key)?)))
        } else {
            Err(SigningError::UnsupportedKey(String::from(
                "CloudFront accepts only RSA and ECDSA P-256 keys",
            )))
        }
    }

    /// The key's kind (RSA with its size, or ECDSA P-256).
    pub fn kind(&self) -> KeyKind {
        match &*self.inner {
            Inner::Rsa(k) => KeyKind::Rsa { bits: k.bits },
            Inner::Ecdsa(_) => KeyKind::EcdsaP256,
        }
    }

    /// Signs `message` (the policy JSON bytes) with `hash`: RSASSA-PKCS1-v1_5 (deterministic,
    /// `modulus-length` bytes) or DER-encoded ECDSA P-256 (70–72 bytes; RFC 6979 nonce in the
    /// portable back end, a random nonce from OpenSSL's DRBG in the native one).
    ///
    /// # Errors
    /// [`SigningError::SignatureFailed`] if the back end fails (not expected for a valid key).
    pub fn sign(&self, message: &[u8], hash: HashAlgorithm) -> Result<Vec<u8>, SigningError> {
        let hash = crypto_hash(hash);
        match &*self.inner {
            Inner::Rsa(k) => k.key.sign_pkcs1v15(hash, message),
            Inner::Ecdsa(k) => k.key.sign_der(hash, message),
        }
        .map_err(|_| SigningError::SignatureFailed)
    }

    /// Verifies `signature` over `message` with this key's public half (PKCS#1 v1.5 for RSA,
    /// DER ECDSA for P-256). Returns `false` for any mismatch or malformed signature.
    pub fn verify(&self, message: &[u8], signature: &[u8], hash: HashAlgorithm) -> bool {
        let hash = crypto_hash(hash);
        match &*self.inner {
            Inner::Rsa(k) => k.key.verify_pkcs1v15(hash, message, signature),
            Inner::Ecdsa(k) => k.key.verify_der(hash, message, signature),
        }
    }

    /// The public key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`, LF line endings): what you
    /// upload to a CloudFront key group, and what `openssl dgst -verify` takes.
    ///
    /// # Errors
    /// [`SigningError::InvalidKey`] if encoding fails (not expected).
    pub fn public_key_pem(&self) -> Result<String, SigningError> {
        use rsa::pkcs8::EncodePublicKey as _;
        let fail =
            |_| SigningError::InvalidKey(String::from("the public key could not be encoded"));
        match &*self.inner {
            Inner::Rsa(k) => k
                .public
                .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
                .map_err(fail),
            Inner::Ecdsa(k) => k
                .public
                .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
                .map_err(fail),
        }
    }
}

impl RsaKey {
    fn new(key: rsa::RsaPrivateKey, opts: KeyOptions) -> Result<RsaKey, SigningError> {
        let bits = key.n().bits();
        if bits < MIN_RSA_BITS && !opts.allow_weak_rsa {
            return Err(SigningError::WeakRsaKey { bits });
        }
        let public = key.to_public_key();
        let key = crypto::RsaPrivateKey::new(key).map_err(|_| {
            SigningError::InvalidKey(String::from(
                "the RSA key was refused by the crypto back end",
            ))
        })?;
        Ok(RsaKey { key, public, bits })
    }
}

impl EcKey {
    fn new(secret: &p256::SecretKey) -> Result<EcKey, SigningError> {
        let key = crypto::P256PrivateKey::new(secret).map_err(|_| {
            SigningError::InvalidKey(String::from(
                "the P-256 key was refused by the crypto back end",
            ))
        })?;
        Ok(EcKey {
            key,
            public: secret.public_key(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSA_1024: &str = include_str!("../../../tests/vectors/cloudfront/test-rsa-key.pem");
    const EC_P256: &str = include_str!("../../../tests/vectors/cloudfront/test-ecdsa-key.pem");
    const DEMO_RSA_2048: &str = include_str!("../../../examples/demo-cloudfront-key.pem");
    const WEAK_OK: KeyOptions = KeyOptions {
        allow_weak_rsa: true,
    };

    #[test]
    fn weak_rsa_refused_by_default() {
        assert_eq!(
            SigningKey::from_pem(RSA_1024, KeyOptions::default()).unwrap_err(),
            SigningError::WeakRsaKey { bits: 1024 }
        );
        let k = SigningKey::from_pem(RSA_1024, WEAK_OK).unwrap();
        assert_eq!(k.kind(), KeyKind::Rsa { bits: 1024 });
    }

    #[test]
    fn loads_pkcs1_pkcs8_sec1_and_base64() {
        let k = SigningKey::from_pem(DEMO_RSA_2048, KeyOptions::default()).unwrap();
        assert_eq!(k.kind(), KeyKind::Rsa { bits: 2048 });
        let e = SigningKey::from_pem(EC_P256, KeyOptions::default()).unwrap();
        assert_eq!(e.kind(), KeyKind::EcdsaP256);

        // PKCS#8 forms of the same keys.
        use p256::pkcs8::EncodePrivateKey as _;
        let rsa_key = rsa::RsaPrivateKey::from_pkcs1_pem(DEMO_RSA_2048).unwrap();
        let rsa_p8 = rsa_key.to_pkcs8_pem(rsa::pkcs8::LineEnding::LF).unwrap();
        let k8 = SigningKey::from_pem(&rsa_p8, KeyOptions::default()).unwrap();
        assert_eq!(
            k8.sign(b"m", HashAlgorithm::Sha1).unwrap(),
            k.sign(b"m", HashAlgorithm::Sha1).unwrap()
        );
        let ec_key = p256::SecretKey::from_pkcs8_pem(EC_P256)
            .or_else(|_| p256::SecretKey::from_sec1_pem(EC_P256))
            .unwrap();
        let ec_p8 = ec_key.to_pkcs8_pem(rsa::pkcs8::LineEnding::LF).unwrap();
        let e8 = SigningKey::from_pem(&ec_p8, KeyOptions::default()).unwrap();
        assert_eq!(e8.public_key_pem().unwrap(), e.public_key_pem().unwrap());
        let ec_sec1 = ec_key.to_sec1_pem(rsa::pkcs8::LineEnding::CRLF).unwrap();
        let es = SigningKey::from_pem(&ec_sec1, KeyOptions::default()).unwrap();
        assert_eq!(es.public_key_pem().unwrap(), e.public_key_pem().unwrap());

        let b64 = base64::engine::general_purpose::STANDARD.encode(DEMO_RSA_2048);
        let kb = SigningKey::from_pem_base64(&b64, KeyOptions::default()).unwrap();
        assert_eq!(kb.public_key_pem().unwrap(), k.public_key_pem().unwrap());
        let wrapped: String = b64
            .as_bytes()
            .chunks(76)
            .map(|c| core::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(SigningKey::from_pem_base64(&wrapped, KeyOptions::default()).is_ok());
    }

    #[test]
    fn bad_keys_give_clear_errors_without_key_material() {
        let public = SigningKey::from_pem(DEMO_RSA_2048, KeyOptions::default())
            .unwrap()
            .public_key_pem()
            .unwrap();
        for (input, want) in [
            ("", "no PEM"),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
                "PKCS#1",
            ),
            (
                "-----BEGIN RSA PRIVATE KEY-----\n!!\n-----END RSA PRIVATE KEY-----\n",
                "malformed PEM",
            ),
            ("-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n", "unknown"),
            (public.as_str(), "public key"),
        ] {
            let err = SigningKey::from_pem(input, KeyOptions::default()).unwrap_err();
            let msg = alloc::format!("{err}");
            assert!(msg.contains(want), "{msg}");
            assert!(!msg.contains("MII"), "{msg}");
        }
        assert!(matches!(
            SigningKey::from_pem_base64("not base64!", KeyOptions::default()),
            Err(SigningError::InvalidKey(_))
        ));
        // Ed25519 PKCS#8 → unsupported.
        let ed = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIBd6XsYeLf6zmsSBs5JK7VqLm1NcHqjwR6UwWBgEELsS\n-----END PRIVATE KEY-----\n";
        assert!(matches!(
            SigningKey::from_pem(ed, KeyOptions::default()),
            Err(SigningError::UnsupportedKey(_))
        ));
        let dbg = alloc::format!(
            "{:?}",
            SigningKey::from_pem(DEMO_RSA_2048, KeyOptions::default()).unwrap()
        );
        assert_eq!(dbg, "SigningKey { kind: Rsa { bits: 2048 }, .. }");
    }

    #[test]
    fn signatures_verify_in_both_modes() {
        for pem in [DEMO_RSA_2048, EC_P256, RSA_1024] {
            let k = SigningKey::from_pem(pem, WEAK_OK).unwrap();
            for hash in [HashAlgorithm::Sha1, HashAlgorithm::Sha256] {
                let sig = k.sign(b"policy", hash).unwrap();
                assert!(k.verify(b"policy", &sig, hash));
                assert!(!k.verify(b"policy!", &sig, hash));
                let other = if hash == HashAlgorithm::Sha1 {
                    HashAlgorithm::Sha256
                } else {
                    HashAlgorithm::Sha1
                };
                assert!(!k.verify(b"policy", &sig, other));
            }
        }
    }
}
