//! JWK and JWKS parsing (RFC 7517, RFC 7518 §6, RFC 8037 §2) into verification-ready keys.
//!
//! Supported: `kty: RSA` (`n`, `e`; modulus 2048..=8192 bits, odd; `e` odd, 3..2^33),
//! `kty: EC` with `crv` `P-256`/`P-384`/`P-521` (`x`, `y` of exactly the field size, point
//! validated on the curve), `kty: OKP` with `crv: Ed25519` (`x`, 32 bytes, small-order keys
//! refused). A JWK carrying private members (`d`, `p`, `q`, ...) is refused. Keys are parsed
//! and validated **once** here (RustCrypto decoders in every build) and imported into the
//! crate's crypto back end (`crate::crypto`: OpenSSL with the `native` feature, which `std`
//! turns on; RustCrypto `rsa` / `p256` / `p384` / `p521` otherwise), which keeps them in its
//! parsed, precomputed form; verifying with a [`Jwk`] never re-imports it. Ed25519 verifies
//! with `ed25519-dalek` (`verify_strict`) in every build.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use base64::Engine as _;
use serde_json::{Map, Value};

use super::alg::Algorithm;
use super::error::{clip, JwtError};
use super::jws::{parse_object, B64URL};
use super::verify::KeyMaterial;
use crate::crypto;

/// Largest JWKS document accepted by [`JwkSet::from_json`], in bytes (256 KiB).
pub const MAX_JWKS_LEN: usize = 256 * 1024;
/// Largest number of keys in a JWKS accepted by [`JwkSet::from_json`].
pub const MAX_JWKS_KEYS: usize = 100;
/// Smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;
/// Largest RSA modulus accepted, in bits (ring's limit; bounds verification work).
pub const MAX_RSA_BITS: usize = 8192;

/// The type of a parsed public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// RSA with a modulus of `bits` bits.
    Rsa {
        /// Modulus size in bits.
        bits: usize,
    },
    /// ECDSA over NIST P-256 (ES256).
    EcP256,
    /// ECDSA over NIST P-384 (ES384).
    EcP384,
    /// ECDSA over NIST P-521 (ES512).
    EcP521,
    /// Ed25519 (EdDSA).
    Ed25519,
}

impl KeyType {
    /// True when `alg` is a signature algorithm this key type can verify.
    pub fn supports(self, alg: Algorithm) -> bool {
        matches!(
            (self, alg),
            (
                KeyType::Rsa { .. },
                Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512
            ) | (KeyType::EcP256, Algorithm::ES256)
                | (KeyType::EcP384, Algorithm::ES384)
                | (KeyType::EcP521, Algorithm::ES512)
                | (KeyType::Ed25519, Algorithm::EdDSA)
        )
    }
}

/// One public JSON Web Key, parsed and ready to verify signatures.
///
/// `Clone`, `Send`, `Sync`. `Debug` shows `kid`, `alg`, `use` and the key type only.
#[derive(Clone)]
pub struct Jwk {
    kid: Option<String>,
    alg: Option<String>,
    key_use: Option<String>,
    key_type: KeyType,
    pub(crate) material: KeyMaterial,
}

impl fmt::Debug for Jwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwk")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("use", &self.key_use)
            .field("key_type", &self.key_type)
            .finish()
    }
}

impl Jwk {
    /// Parses one JWK from JSON bytes (see the module docs for accepted keys).
    ///
    /// Errors: [`JwtError::JwkInvalid`] (bad JSON or members, weak or invalid key, private
    /// members), [`JwtError::JwkInvalidKty`] (unsupported `kty`/`crv`).
    pub fn from_json(bytes: &[u8]) -> Result<Jwk, JwtError> {
        if bytes.len() > MAX_JWKS_LEN {
            return Err(JwtError::JwkInvalid(
                "JWK document is too large".to_string(),
            ));
        }
        let map = parse_object(bytes, "JWK")
            .map_err(|e| JwtError::JwkInvalid(format!("not a JSON object ({e})")))?;
        Jwk::from_map(&map)
    }

    /// Parses one JWK from an already parsed JSON object. Errors as [`Jwk::from_json`].
    pub fn from_map(map: &Map<String, Value>) -> Result<Jwk, JwtError> {
        let kid = opt_str(map, "kid")?;
        let alg = opt_str(map, "alg")?;
        let key_use = opt_str(map, "use")?;
        for private in ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] {
            if map.contains_key(private) {
                return Err(JwtError::JwkInvalid(format!(
                    "JWK has the private or symmetric member {private:?}"
                )));
            }
        }
        let kty = match map.get("kty") {
            Some(Value::String(s)) => s.as_str(),
            Some(_) => return Err(JwtError::JwkInvalid("kty is not a string".to_string())),
            None => return Err(JwtError::JwkInvalid("kty is missing".to_string())),
        };
        let (key_type, material) = match kty {
            "RSA" => parse_rsa(map)?,
            "EC" => parse_ec(map)?,
            "OKP" => parse_okp(map)?,
            other => {
                return Err(JwtError::JwkInvalidKty(format!(
                    "kty {:?} is not RSA, EC or OKP",
                    clip(other)
                )))
            }
        };
        Ok(Jwk {
            kid,
            alg,
            key_use,
            key_type,
            material,
        })
    }

    /// Builds a key from a PEM `PUBLIC KEY` (SubjectPublicKeyInfo, RFC 5280 / RFC 7468): an
    /// EC P-256 key (the format of the AWS ALB key endpoint
    /// `https://public-keys.auth.elb.{region}.amazonaws.com/{kid}`) or an RSA key (same
    /// size and exponent rules as a JWK). `kid` and `alg` are recorded as given (`alg`, when
    /// set, must then equal the token's `alg`); `use` is `sig`.
    ///
    /// Errors: [`JwtError::JwkInvalid`] (not PEM/SPKI, invalid point, weak RSA),
    /// [`JwtError::JwkInvalidKty`] (another key type or curve).
    pub fn from_public_key_pem(
        pem: &str,
        kid: Option<String>,
        alg: Option<Algorithm>,
    ) -> Result<Jwk, JwtError> {
        use p256::pkcs8::DecodePublicKey as _;
        if pem.len() > MAX_JWKS_LEN {
            return Err(JwtError::JwkInvalid(
                "PEM document is too large".to_string(),
            ));
        }
        let (key_type, material) = if let Ok(pk) = p256::PublicKey::from_public_key_pem(pem) {
            use p256::elliptic_curve::sec1::ToEncodedPoint as _;
            p256_from_sec1(pk.to_encoded_point(false).as_bytes().to_vec())?
        } else if let Ok(pk) = rsa::RsaPublicKey::from_public_key_pem(pem) {
            use rsa::traits::PublicKeyParts as _;
            rsa_from_components(&pk.n().to_bytes_be(), &pk.e().to_bytes_be())?
        } else if pem.contains("-----BEGIN PUBLIC KEY-----") {
            return Err(JwtError::JwkInvalidKty(
                "PEM public key is neither EC P-256 nor RSA (or is malformed)".to_string(),
            ));
        } else {
            return Err(JwtError::JwkInvalid(
                "not a PEM SubjectPublicKeyInfo public key".to_string(),
            ));
        };
        Ok(Jwk {
            kid,
            alg: alg.map(|a| a.as_str().to_string()),
            key_use: Some("sig".to_string()),
            key_type,
            material,
        })
    }

    /// The JWK's `kid`, if any.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }
    /// The JWK's `alg`, if any (kept as written; compared to the token's `alg` exactly).
    pub fn alg(&self) -> Option<&str> {
        self.alg.as_deref()
    }
    /// The JWK's `use`, if any.
    pub fn key_use(&self) -> Option<&str> {
        self.key_use.as_deref()
    }
    /// The parsed key's type.
    pub fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// Checks that this key may verify a token signed with `alg` (aws-jwt-verify
    /// `validateJwtHeaderAndJwk`, plus the kty/crv match): `use` is `sig` when present
    /// ([`JwtError::JwkInvalidUse`]); the JWK's `alg`, when present, equals `alg`; `alg` is not
    /// HS* (a public key is never an HMAC secret) and matches the key type
    /// ([`JwtError::InvalidSignatureAlgorithm`]).
    pub fn check_alg(&self, alg: Algorithm) -> Result<(), JwtError> {
        if let Some(u) = &self.key_use {
            if u != "sig" {
                return Err(JwtError::JwkInvalidUse(format!("{:?}", clip(u))));
            }
        }
        if let Some(a) = &self.alg {
            if a != alg.as_str() {
                return Err(JwtError::InvalidSignatureAlgorithm(format!(
                    "token alg {alg} differs from the JWK alg {:?}",
                    clip(a)
                )));
            }
        }
        if alg.is_hmac() {
            return Err(JwtError::InvalidSignatureAlgorithm(format!(
                "{alg} is never accepted with a public key"
            )));
        }
        if !self.key_type.supports(alg) {
            return Err(JwtError::InvalidSignatureAlgorithm(format!(
                "{alg} does not match the JWK key type {:?}",
                self.key_type
            )));
        }
        Ok(())
    }

    /// Checks `alg` against this key ([`Jwk::check_alg`]) and verifies `signature` over
    /// `message`. Errors: those of [`Jwk::check_alg`], [`JwtError::InvalidSignature`].
    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> Result<(), JwtError> {
        self.check_alg(alg)?;
        super::verify::verify_signature(&self.material, alg, message, signature)
    }
}

/// A parsed JWKS (`{"keys": [...]}`, RFC 7517 §5).
///
/// Keys that fail to parse (unsupported type, weak RSA, invalid point, ...) do not make the
/// whole set fail: they are remembered by `kid` so that [`JwkSet::find`] reports why the key is
/// unusable instead of "kid not found". When several keys share a `kid`, the first one wins.
#[derive(Debug, Clone, Default)]
pub struct JwkSet {
    keys: Vec<Jwk>,
    rejected: Vec<(Option<String>, JwtError)>,
}

impl JwkSet {
    /// Parses a JWKS document.
    ///
    /// Errors: [`JwtError::JwksInvalid`] when the document is over [`MAX_JWKS_LEN`] bytes, not
    /// a JSON object with a `keys` array, has more than [`MAX_JWKS_KEYS`] keys, or an entry is
    /// not an object.
    pub fn from_json(bytes: &[u8]) -> Result<JwkSet, JwtError> {
        if bytes.len() > MAX_JWKS_LEN {
            return Err(JwtError::JwksInvalid(format!(
                "document is {} bytes, over {MAX_JWKS_LEN}",
                bytes.len()
            )));
        }
        let map = parse_object(bytes, "JWKS")
            .map_err(|e| JwtError::JwksInvalid(format!("not a JSON object ({e})")))?;
        let Some(Value::Array(entries)) = map.get("keys") else {
            return Err(JwtError::JwksInvalid("no keys array".to_string()));
        };
        if entries.len() > MAX_JWKS_KEYS {
            return Err(JwtError::JwksInvalid(format!(
                "{} keys, over {MAX_JWKS_KEYS}",
                entries.len()
            )));
        }
        let mut set = JwkSet::default();
        for entry in entries {
            let Value::Object(m) = entry else {
                return Err(JwtError::JwksInvalid("a key is not an object".to_string()));
            };
            match Jwk::from_map(m) {
                Ok(k) => set.keys.push(k),
                Err(e) => {
                    let kid = m
                        .get("kid")
                        .and_then(Value::as_str)
                        .map(ToString::to_string);
                    set.rejected.push((kid, e));
                }
            }
        }
        Ok(set)
    }

    /// A set holding exactly these keys.
    pub fn from_keys(keys: Vec<Jwk>) -> JwkSet {
        JwkSet {
            keys,
            rejected: Vec::new(),
        }
    }

    /// The first usable key whose `kid` equals `kid` (exact, case-sensitive).
    pub fn get(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|k| k.kid.as_deref() == Some(kid))
    }

    /// Like [`JwkSet::get`], but says why: [`JwtError::KidNotFoundInJwks`] when no entry has
    /// this `kid`, or the parse error of an entry with this `kid` that was unusable.
    pub fn find(&self, kid: &str) -> Result<&Jwk, JwtError> {
        if let Some(k) = self.get(kid) {
            return Ok(k);
        }
        if let Some((_, e)) = self
            .rejected
            .iter()
            .find(|(k, _)| k.as_deref() == Some(kid))
        {
            return Err(e.clone());
        }
        Err(JwtError::KidNotFoundInJwks(clip(kid).to_string()))
    }

    /// The usable keys, in document order.
    pub fn keys(&self) -> &[Jwk] {
        &self.keys
    }

    /// Entries that could not be used, with their `kid` (if any) and the reason.
    pub fn rejected(&self) -> &[(Option<String>, JwtError)] {
        &self.rejected
    }

    /// Number of usable keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when there is no usable key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

fn opt_str(map: &Map<String, Value>, name: &str) -> Result<Option<String>, JwtError> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(JwtError::JwkInvalid(format!("{name} is not a string"))),
    }
}

fn b64_member(map: &Map<String, Value>, name: &str) -> Result<Vec<u8>, JwtError> {
    match map.get(name) {
        Some(Value::String(s)) => B64URL
            .decode(s)
            .map_err(|_| JwtError::JwkInvalid(format!("{name} is not base64url"))),
        Some(_) => Err(JwtError::JwkInvalid(format!("{name} is not a string"))),
        None => Err(JwtError::JwkInvalid(format!("{name} is missing"))),
    }
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let i = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    b.get(i..).unwrap_or(&[])
}

fn parse_rsa(map: &Map<String, Value>) -> Result<(KeyType, KeyMaterial), JwtError> {
    let n_raw = b64_member(map, "n")?;
    let e_raw = b64_member(map, "e")?;
    rsa_from_components(&n_raw, &e_raw)
}

/// Validates big-endian RSA `n`/`e` (leading zeros allowed) and builds the verifier.
fn rsa_from_components(n_raw: &[u8], e_raw: &[u8]) -> Result<(KeyType, KeyMaterial), JwtError> {
    let n = strip_zeros(n_raw);
    let e = strip_zeros(e_raw);
    let bits = match n.first() {
        Some(&first) => (n.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
        None => 0,
    };
    if bits < MIN_RSA_BITS {
        return Err(JwtError::JwkInvalid(format!(
            "RSA modulus is {bits} bits, at least {MIN_RSA_BITS} are required"
        )));
    }
    if bits > MAX_RSA_BITS {
        return Err(JwtError::JwkInvalid(format!(
            "RSA modulus is {bits} bits, at most {MAX_RSA_BITS} are supported"
        )));
    }
    if n.last().is_some_and(|b| b & 1 == 0) {
        return Err(JwtError::JwkInvalid("RSA modulus is even".to_string()));
    }
    let e_val = if e.len() <= 8 {
        e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
    } else {
        u64::MAX
    };
    if !(3..(1u64 << 33)).contains(&e_val) || e_val & 1 == 0 {
        return Err(JwtError::JwkInvalid(
            "RSA exponent must be odd and between 3 and 2^33".to_string(),
        ));
    }
    let material = KeyMaterial::Rsa(
        crypto::RsaPublicKey::new(n, e)
            .map_err(|_| JwtError::JwkInvalid("RSA public key is invalid".to_string()))?,
    );
    Ok((KeyType::Rsa { bits }, material))
}

fn sec1_point(map: &Map<String, Value>, len: usize) -> Result<Vec<u8>, JwtError> {
    let x = b64_member(map, "x")?;
    let y = b64_member(map, "y")?;
    if x.len() != len || y.len() != len {
        return Err(JwtError::JwkInvalid(format!(
            "EC coordinates must be exactly {len} bytes"
        )));
    }
    let mut point = Vec::with_capacity(1 + 2 * len);
    point.push(0x04);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    Ok(point)
}

fn bad_point() -> JwtError {
    JwtError::JwkInvalid("EC point is not on the curve".to_string())
}

fn parse_ec(map: &Map<String, Value>) -> Result<(KeyType, KeyMaterial), JwtError> {
    let crv = match map.get("crv") {
        Some(Value::String(s)) => s.as_str(),
        _ => return Err(JwtError::JwkInvalid("EC key has no crv string".to_string())),
    };
    match crv {
        "P-256" => p256_from_sec1(sec1_point(map, 32)?),
        "P-384" => {
            let point = sec1_point(map, 48)?;
            p384::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(|_| bad_point())?;
            ec_material(crypto::Curve::P384, &point).map(|m| (KeyType::EcP384, m))
        }
        "P-521" => {
            let point = sec1_point(map, 66)?;
            p521::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(|_| bad_point())?;
            ec_material(crypto::Curve::P521, &point).map(|m| (KeyType::EcP521, m))
        }
        other => Err(JwtError::JwkInvalidKty(format!(
            "EC crv {:?} is not P-256, P-384 or P-521",
            clip(other)
        ))),
    }
}

/// Imports a validated uncompressed point into the crypto back end.
fn ec_material(curve: crypto::Curve, point: &[u8]) -> Result<KeyMaterial, JwtError> {
    crypto::EcPublicKey::new(curve, point)
        .map(KeyMaterial::Ec)
        .map_err(|_| bad_point())
}

/// Validates an uncompressed P-256 point (on the curve, not the identity) and builds the
/// verifier for the active back end.
fn p256_from_sec1(point: Vec<u8>) -> Result<(KeyType, KeyMaterial), JwtError> {
    p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(|_| bad_point())?;
    ec_material(crypto::Curve::P256, &point).map(|m| (KeyType::EcP256, m))
}

fn parse_okp(map: &Map<String, Value>) -> Result<(KeyType, KeyMaterial), JwtError> {
    match map.get("crv") {
        Some(Value::String(s)) if s == "Ed25519" => {}
        Some(Value::String(s)) => {
            return Err(JwtError::JwkInvalidKty(format!(
                "OKP crv {:?} is not Ed25519",
                clip(s)
            )))
        }
        _ => {
            return Err(JwtError::JwkInvalid(
                "OKP key has no crv string".to_string(),
            ))
        }
    }
    let x = b64_member(map, "x")?;
    let bytes: [u8; 32] = x
        .as_slice()
        .try_into()
        .map_err(|_| JwtError::JwkInvalid("Ed25519 x must be 32 bytes".to_string()))?;
    let vk = ed25519_dalek::VerifyingKey::from_bytes(&bytes)
        .map_err(|_| JwtError::JwkInvalid("Ed25519 key is not a valid point".to_string()))?;
    if vk.is_weak() {
        return Err(JwtError::JwkInvalid(
            "Ed25519 key has small order".to_string(),
        ));
    }
    Ok((
        KeyType::Ed25519,
        KeyMaterial::Ed25519(crypto::Ed25519PublicKey::new(vk)),
    ))
}
