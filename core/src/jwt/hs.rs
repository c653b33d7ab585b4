//! HS256/384/512 JWTs (RFC 7518 §3.2) with an explicitly configured shared secret, for the
//! `JWT_SECRET` setups where a backend and a Next.js front end share one secret.
//!
//! Never mixed with JWKS keys: the JWKS paths refuse HS* outright, and [`verify`] refuses any
//! token whose `alg` is not exactly the secret's algorithm (so an RS256/ES256 token, or an
//! HS384 token against an HS256 secret, is [`JwtError::InvalidSignatureAlgorithm`]).
//! The MAC is compared in constant time (`hmac`'s `verify_slice`, built on `subtle`).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::{Sha256, Sha384, Sha512};

use super::alg::Algorithm;
use super::claims::{validate_claims, VerifyOptions};
use super::error::JwtError;
use super::jws::decode;
use super::jws::DecodedJwt;
use super::jws::B64URL;

#[derive(Clone)]
enum Keyed {
    S256(Hmac<Sha256>),
    S384(Hmac<Sha384>),
    S512(Hmac<Sha512>),
}

/// A shared secret bound to one HMAC algorithm, keyed once (the HMAC inner/outer pads are
/// precomputed; each use clones that state). `Debug` is redacted.
#[derive(Clone)]
pub struct HmacSecret {
    alg: Algorithm,
    keyed: Keyed,
}

impl fmt::Debug for HmacSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HmacSecret({}, <redacted>)", self.alg)
    }
}

impl HmacSecret {
    /// Binds `secret` (raw bytes) to `alg` (HS256, HS384 or HS512).
    ///
    /// Errors: [`JwtError::ParameterValidation`] when `alg` is not HS*, or the secret is shorter
    /// than the hash output (32, 48, 64 bytes; RFC 7518 §3.2 requires it).
    pub fn new(alg: Algorithm, secret: &[u8]) -> Result<HmacSecret, JwtError> {
        if !alg.is_hmac() {
            return Err(JwtError::ParameterValidation(format!(
                "{alg} is not an HMAC algorithm"
            )));
        }
        if secret.len() < alg.hash_len() {
            return Err(JwtError::ParameterValidation(format!(
                "{alg} needs a secret of at least {} bytes, got {}",
                alg.hash_len(),
                secret.len()
            )));
        }
        let bad = |_| JwtError::ParameterValidation("HMAC key rejected".to_string());
        let keyed = match alg {
            Algorithm::HS256 => Keyed::S256(Hmac::new_from_slice(secret).map_err(bad)?),
            Algorithm::HS384 => Keyed::S384(Hmac::new_from_slice(secret).map_err(bad)?),
            _ => Keyed::S512(Hmac::new_from_slice(secret).map_err(bad)?),
        };
        Ok(HmacSecret { alg, keyed })
    }

    /// The algorithm this secret is bound to.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    fn mac(&self, msg: &[u8]) -> Vec<u8> {
        match &self.keyed {
            Keyed::S256(m) => m.clone().chain_update(msg).finalize().into_bytes().to_vec(),
            Keyed::S384(m) => m.clone().chain_update(msg).finalize().into_bytes().to_vec(),
            Keyed::S512(m) => m.clone().chain_update(msg).finalize().into_bytes().to_vec(),
        }
    }

    fn verify_mac(&self, msg: &[u8], tag: &[u8]) -> bool {
        match &self.keyed {
            Keyed::S256(m) => m.clone().chain_update(msg).verify_slice(tag).is_ok(),
            Keyed::S384(m) => m.clone().chain_update(msg).verify_slice(tag).is_ok(),
            Keyed::S512(m) => m.clone().chain_update(msg).verify_slice(tag).is_ok(),
        }
    }
}

/// Issues a compact JWS: header `{"alg": <secret's alg>, "typ": "JWT"}` plus `header_extras`
/// (e.g. `kid`), payload `claims`, both serialized by serde_json with members sorted by name.
/// The caller sets `exp`/`iat`/`iss` in `claims` (see the CLI's `--expires-in`).
///
/// Errors: [`JwtError::ParameterValidation`] when `header_extras` sets `alg` or `crit`, or the
/// token would exceed [`super::jws::MAX_TOKEN_LEN`].
pub fn sign(
    secret: &HmacSecret,
    claims: &Map<String, Value>,
    header_extras: &Map<String, Value>,
) -> Result<String, JwtError> {
    if header_extras.contains_key("alg") || header_extras.contains_key("crit") {
        return Err(JwtError::ParameterValidation(
            "header extras may not set alg or crit".to_string(),
        ));
    }
    let mut header = Map::new();
    header.insert("typ".to_string(), Value::String("JWT".to_string()));
    for (k, v) in header_extras {
        header.insert(k.clone(), v.clone());
    }
    header.insert(
        "alg".to_string(),
        Value::String(secret.alg.as_str().to_string()),
    );
    let ser = |m: &Map<String, Value>| {
        serde_json::to_vec(m)
            .map_err(|_| JwtError::ParameterValidation("claims do not serialize".to_string()))
    };
    let mut token = B64URL.encode(ser(&header)?);
    token.push('.');
    token.push_str(&B64URL.encode(ser(claims)?));
    let tag = secret.mac(token.as_bytes());
    token.push('.');
    token.push_str(&B64URL.encode(tag));
    if token.len() > super::jws::MAX_TOKEN_LEN {
        return Err(JwtError::ParameterValidation(format!(
            "token would be {} bytes, over {}",
            token.len(),
            super::jws::MAX_TOKEN_LEN
        )));
    }
    Ok(token)
}

/// Verifies an HS* token with `secret`, then its claims ([`validate_claims`]; an empty
/// `opts.issuers` skips the issuer check here). `now` is unix seconds.
///
/// Errors: those of [`decode`]; [`JwtError::InvalidSignatureAlgorithm`] when the header `alg`
/// is not the secret's algorithm; [`JwtError::InvalidSignature`]; then the claim errors.
pub fn verify(
    token: &str,
    secret: &HmacSecret,
    opts: &VerifyOptions,
    now: u64,
) -> Result<Map<String, Value>, JwtError> {
    check_decoded(decode(token)?, secret, opts, now)
}

/// Most secrets a [`HmacKeyring`] holds (kid entries plus the default): 64.
pub const MAX_KEYRING_SECRETS: usize = 64;

/// Longest `kid` accepted in a [`HmacKeyring`], bytes: 256.
pub const MAX_KID_LEN: usize = 256;

/// Largest keyring JSON document [`HmacKeyring::from_json`] reads, bytes: 64 KiB.
pub const MAX_KEYRING_JSON_LEN: usize = 64 * 1024;

/// Shared secrets for rotation: `kid` -> secret, plus an optional default secret for tokens
/// without a `kid` header (tokens issued before the rotation started). All bound to one HMAC
/// algorithm.
///
/// Rotation with a shared `JWT_SECRET`: sign new tokens with `kid` = the new secret's id
/// ([`sign`] with `{"kid": ...}` in the header extras), verify with a keyring holding the new
/// and the old secret, and drop the old one once the longest-lived token signed with it has
/// expired. [`verify_with_keyring`] picks exactly one secret from the token's header: a `kid`
/// not in the keyring is [`JwtError::KidNotFound`] (no other secret is tried, so an attacker
/// cannot make the verifier loop over every secret), a token without `kid` uses the default or
/// is [`JwtError::WithoutValidKid`]. A keyring holding only a default secret (no kid at all:
/// the single-`JWT_SECRET` setup before any rotation) uses it for every token, `kid` or not, as
/// [`verify`] does.
///
/// `Debug` lists the kids only.
#[derive(Clone)]
pub struct HmacKeyring {
    alg: Algorithm,
    by_kid: alloc::collections::BTreeMap<String, HmacSecret>,
    default: Option<HmacSecret>,
}

impl fmt::Debug for HmacKeyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacKeyring")
            .field("alg", &self.alg)
            .field("kids", &self.by_kid.keys().collect::<Vec<_>>())
            .field("default", &self.default.is_some())
            .finish()
    }
}

impl HmacKeyring {
    /// An empty keyring for `alg` (HS256, HS384 or HS512).
    ///
    /// Errors: [`JwtError::ParameterValidation`] when `alg` is not HS*.
    pub fn new(alg: Algorithm) -> Result<HmacKeyring, JwtError> {
        if !alg.is_hmac() {
            return Err(JwtError::ParameterValidation(format!(
                "{alg} is not an HMAC algorithm"
            )));
        }
        Ok(HmacKeyring {
            alg,
            by_kid: alloc::collections::BTreeMap::new(),
            default: None,
        })
    }

    /// The algorithm every secret is bound to.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The configured kids, sorted.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.by_kid.keys().map(String::as_str)
    }

    /// Whether a default secret (for tokens without `kid`) is set.
    pub fn has_default(&self) -> bool {
        self.default.is_some()
    }

    fn check_room(&self) -> Result<(), JwtError> {
        if self.by_kid.len() + usize::from(self.default.is_some()) >= MAX_KEYRING_SECRETS {
            return Err(JwtError::ParameterValidation(format!(
                "a keyring holds at most {MAX_KEYRING_SECRETS} secrets"
            )));
        }
        Ok(())
    }

    /// Adds `secret` (raw bytes, at least the hash size) under `kid`.
    ///
    /// Errors: [`JwtError::ParameterValidation`] when `kid` is empty, longer than
    /// [`MAX_KID_LEN`] bytes or already present, the keyring is full
    /// ([`MAX_KEYRING_SECRETS`]), or the secret is too short ([`HmacSecret::new`]). Messages
    /// name the kid, never the secret.
    pub fn insert(&mut self, kid: &str, secret: &[u8]) -> Result<(), JwtError> {
        if kid.is_empty() || kid.len() > MAX_KID_LEN {
            return Err(JwtError::ParameterValidation(format!(
                "a kid must be 1 to {MAX_KID_LEN} bytes"
            )));
        }
        if self.by_kid.contains_key(kid) {
            return Err(JwtError::ParameterValidation(format!(
                "kid {kid:?} is given twice"
            )));
        }
        self.check_room()?;
        let s = HmacSecret::new(self.alg, secret).map_err(|e| match e {
            JwtError::ParameterValidation(why) => {
                JwtError::ParameterValidation(format!("kid {kid:?}: {why}"))
            }
            other => other,
        })?;
        self.by_kid.insert(kid.to_string(), s);
        Ok(())
    }

    /// Sets the default secret, used for tokens without a `kid` header.
    ///
    /// Errors: [`JwtError::ParameterValidation`] when a default is already set, the keyring is
    /// full or the secret is too short.
    pub fn set_default(&mut self, secret: &[u8]) -> Result<(), JwtError> {
        if self.default.is_some() {
            return Err(JwtError::ParameterValidation(
                "the default secret is given twice".to_string(),
            ));
        }
        self.check_room()?;
        self.default = Some(HmacSecret::new(self.alg, secret).map_err(|e| match e {
            JwtError::ParameterValidation(why) => {
                JwtError::ParameterValidation(format!("default secret: {why}"))
            }
            other => other,
        })?);
        Ok(())
    }

    /// A keyring from a JSON document `{"keys": {"KID": "SECRET", ...}, "default": "SECRET"}`
    /// (both members optional, no others allowed; each secret is the UTF-8 bytes of its string,
    /// as `JWT_SECRET` is used from the environment). At most [`MAX_KEYRING_JSON_LEN`] bytes.
    ///
    /// Errors: [`JwtError::ParameterValidation`] for a document that is too large, not that
    /// shape, or holds no secret at all; then as [`HmacKeyring::insert`] /
    /// [`HmacKeyring::set_default`]. Messages never contain a secret.
    pub fn from_json(alg: Algorithm, json: &str) -> Result<HmacKeyring, JwtError> {
        let bad = |why: &str| JwtError::ParameterValidation(format!("keyring JSON: {why}"));
        if json.len() > MAX_KEYRING_JSON_LEN {
            return Err(bad("larger than 64 KiB"));
        }
        let doc: Value = serde_json::from_str(json).map_err(|_| bad("not valid JSON"))?;
        let Value::Object(top) = doc else {
            return Err(bad(
                "expected an object {\"keys\": {...}, \"default\": ...}",
            ));
        };
        let mut ring = HmacKeyring::new(alg)?;
        for (name, value) in &top {
            match (name.as_str(), value) {
                ("keys", Value::Object(keys)) => {
                    for (kid, secret) in keys {
                        let Value::String(secret) = secret else {
                            return Err(bad("every secret in \"keys\" must be a string"));
                        };
                        ring.insert(kid, secret.as_bytes())?;
                    }
                }
                ("default", Value::String(secret)) => ring.set_default(secret.as_bytes())?,
                ("keys", _) => return Err(bad("\"keys\" must be an object")),
                ("default", _) => return Err(bad("\"default\" must be a string")),
                _ => return Err(bad("only the members \"keys\" and \"default\" are allowed")),
            }
        }
        if ring.by_kid.is_empty() && ring.default.is_none() {
            return Err(bad("no secret in the keyring"));
        }
        Ok(ring)
    }

    /// The one secret for a token whose header has `kid`.
    ///
    /// Errors: [`JwtError::KidNotFound`] for an unknown kid; [`JwtError::WithoutValidKid`]
    /// for a token without kid when no default is set.
    pub fn select(&self, kid: Option<&str>) -> Result<&HmacSecret, JwtError> {
        if self.by_kid.is_empty() {
            if let Some(d) = &self.default {
                return Ok(d);
            }
        }
        match kid {
            Some(k) => self
                .by_kid
                .get(k)
                .ok_or_else(|| JwtError::KidNotFound(truncate_kid(k))),
            None => self.default.as_ref().ok_or(JwtError::WithoutValidKid),
        }
    }
}

fn truncate_kid(kid: &str) -> String {
    kid.chars().take(64).collect()
}

/// Verifies an HS* token with the one secret of `keyring` its header selects (by `kid`, or the
/// default for a token without `kid`), then its claims as [`verify`]. `now` is unix seconds.
///
/// Errors: those of [`decode`]; [`JwtError::KidNotFound`] for a kid not in the keyring (no
/// other secret is tried); [`JwtError::WithoutValidKid`] for a token without kid and no
/// default; then those of [`verify`].
pub fn verify_with_keyring(
    token: &str,
    keyring: &HmacKeyring,
    opts: &VerifyOptions,
    now: u64,
) -> Result<Map<String, Value>, JwtError> {
    let decoded = decode(token)?;
    let secret = keyring.select(decoded.header.kid.as_deref())?;
    check_decoded(decoded, secret, opts, now)
}

/// The checks after decoding, shared by [`verify`] and [`verify_with_keyring`]: `alg` must be
/// the secret's, then the MAC (constant time), then the claims.
fn check_decoded(
    decoded: DecodedJwt<'_>,
    secret: &HmacSecret,
    opts: &VerifyOptions,
    now: u64,
) -> Result<Map<String, Value>, JwtError> {
    if decoded.header.alg != secret.alg {
        return Err(JwtError::InvalidSignatureAlgorithm(format!(
            "token alg {} is not the configured {}",
            decoded.header.alg, secret.alg
        )));
    }
    if !secret.verify_mac(decoded.signing_input.as_bytes(), &decoded.signature) {
        return Err(JwtError::InvalidSignature);
    }
    validate_claims(&decoded.header, &decoded.claims, opts, now)?;
    Ok(decoded.claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keyring_rotation_selects_by_kid() {
        let claims = obj(json!({"sub": "u1", "exp": 2000}));
        let opts = VerifyOptions::default();
        let old = HmacSecret::new(Algorithm::HS256, b"old-secret-old-secret-old-secret").unwrap();
        let new = HmacSecret::new(Algorithm::HS256, b"new-secret-new-secret-new-secret").unwrap();
        // Before the rotation: tokens without kid, signed with the old secret.
        let legacy = sign(&old, &claims, &Map::new()).unwrap();
        let fresh = sign(&new, &claims, &obj(json!({"kid": "2026-12"}))).unwrap();
        let ring = HmacKeyring::from_json(
            Algorithm::HS256,
            r#"{"keys": {"2026-12": "new-secret-new-secret-new-secret"}, "default": "old-secret-old-secret-old-secret"}"#,
        )
        .unwrap();
        assert_eq!(
            verify_with_keyring(&legacy, &ring, &opts, 1000).unwrap(),
            claims
        );
        assert_eq!(
            verify_with_keyring(&fresh, &ring, &opts, 1000).unwrap(),
            claims
        );
        // Unknown kid: KidNotFound even though the default would verify another token.
        let unknown = sign(&new, &claims, &obj(json!({"kid": "nope"}))).unwrap();
        let e = verify_with_keyring(&unknown, &ring, &opts, 1000).unwrap_err();
        assert_eq!(e, JwtError::KidNotFound("nope".to_string()));
        assert_eq!(e.aws_jwt_verify_class(), "KidNotFoundInJwksError");
        // A kid pointing at the wrong secret is a bad signature, not a fallback to another.
        let mislabeled = sign(&old, &claims, &obj(json!({"kid": "2026-12"}))).unwrap();
        assert_eq!(
            verify_with_keyring(&mislabeled, &ring, &opts, 1000).unwrap_err(),
            JwtError::InvalidSignature
        );
        // Single-secret keyring (no kid configured): the kid is not used, as `verify` does.
        let mut single = HmacKeyring::new(Algorithm::HS256).unwrap();
        single
            .set_default(b"new-secret-new-secret-new-secret")
            .unwrap();
        assert_eq!(
            verify_with_keyring(&unknown, &single, &opts, 1000).unwrap(),
            claims
        );
        assert_eq!(
            verify_with_keyring(&legacy, &single, &opts, 1000).unwrap_err(),
            JwtError::InvalidSignature
        );
        // After the rotation: the old default removed, legacy tokens are refused.
        let mut after = HmacKeyring::new(Algorithm::HS256).unwrap();
        after
            .insert("2026-12", b"new-secret-new-secret-new-secret")
            .unwrap();
        assert_eq!(
            verify_with_keyring(&legacy, &after, &opts, 1000).unwrap_err(),
            JwtError::WithoutValidKid
        );
        assert_eq!(
            verify_with_keyring(&fresh, &after, &opts, 1000).unwrap(),
            claims
        );
        // Claims are still checked.
        assert_eq!(
            verify_with_keyring(&fresh, &after, &opts, 2001)
                .unwrap_err()
                .aws_jwt_verify_class(),
            "JwtExpiredError"
        );
    }

    #[test]
    fn keyring_json_and_limits() {
        let a = Algorithm::HS256;
        let s32 = "s".repeat(32);
        for bad in [
            "[]",
            "{}",
            r#"{"keys": []}"#,
            r#"{"keys": {"k": 1}}"#,
            r#"{"default": 5}"#,
            r#"{"other": "x"}"#,
            r#"{"keys": {"": "ssssssssssssssssssssssssssssssss"}}"#,
            r#"{"keys": {"k": "short"}}"#,
            "not json",
        ] {
            assert_eq!(
                HmacKeyring::from_json(a, bad)
                    .unwrap_err()
                    .aws_jwt_verify_class(),
                "ParameterValidationError",
                "{bad}"
            );
        }
        let e = HmacKeyring::from_json(a, r#"{"keys": {"k": "short-secret-text"}}"#).unwrap_err();
        assert!(!e.to_string().contains("short-secret-text"), "{e}");
        assert!(HmacKeyring::new(Algorithm::RS256).is_err());
        let mut ring = HmacKeyring::new(a).unwrap();
        ring.insert("k", s32.as_bytes()).unwrap();
        assert!(ring.insert("k", s32.as_bytes()).is_err(), "duplicate kid");
        assert!(ring
            .insert(&"x".repeat(MAX_KID_LEN + 1), s32.as_bytes())
            .is_err());
        for i in 1..MAX_KEYRING_SECRETS {
            ring.insert(&format!("k{i}"), s32.as_bytes()).unwrap();
        }
        assert!(ring.set_default(s32.as_bytes()).is_err(), "full");
        assert!(HmacKeyring::from_json(a, &" ".repeat(MAX_KEYRING_JSON_LEN + 1)).is_err());
        let dbg = format!("{ring:?}");
        assert!(dbg.contains("\"k\"") && !dbg.contains(&s32), "{dbg}");
        // An HS384 token against an HS256 keyring is refused on alg.
        let s384 = HmacSecret::new(Algorithm::HS384, &[1; 48]).unwrap();
        let t = sign(&s384, &obj(json!({"exp": 9})), &obj(json!({"kid": "k"}))).unwrap();
        assert_eq!(
            verify_with_keyring(&t, &ring, &VerifyOptions::default(), 1)
                .unwrap_err()
                .aws_jwt_verify_class(),
            "JwtInvalidSignatureAlgorithmError"
        );
    }

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn secret_length_and_alg_enforced() {
        assert!(HmacSecret::new(Algorithm::HS256, &[7; 31]).is_err());
        assert!(HmacSecret::new(Algorithm::HS256, &[7; 32]).is_ok());
        assert!(HmacSecret::new(Algorithm::HS384, &[7; 47]).is_err());
        assert!(HmacSecret::new(Algorithm::HS512, &[7; 63]).is_err());
        let e = HmacSecret::new(Algorithm::RS256, &[7; 64]).unwrap_err();
        assert_eq!(e.aws_jwt_verify_class(), "ParameterValidationError");
        let s = HmacSecret::new(Algorithm::HS512, &[7; 64]).unwrap();
        assert_eq!(format!("{s:?}"), "HmacSecret(HS512, <redacted>)");
    }

    #[test]
    fn sign_verify_round_trip_and_refusals() {
        let claims = obj(json!({"sub": "u1", "exp": 2000, "iss": "me"}));
        for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            let s = HmacSecret::new(alg, &[9; 64]).unwrap();
            let extras = obj(json!({"kid": "k"}));
            let t = sign(&s, &claims, &extras).unwrap();
            let opts = VerifyOptions::new(["me"]);
            assert_eq!(verify(&t, &s, &opts, 1000).unwrap(), claims);
            assert_eq!(
                verify(&t, &s, &opts, 2001)
                    .unwrap_err()
                    .aws_jwt_verify_class(),
                "JwtExpiredError"
            );
            let other = HmacSecret::new(alg, &[8; 64]).unwrap();
            assert_eq!(
                verify(&t, &other, &opts, 1000).unwrap_err(),
                JwtError::InvalidSignature
            );
            // tampered payload
            let parts: Vec<&str> = t.split('.').collect();
            let forged = obj(json!({"sub": "admin", "exp": 2000, "iss": "me"}));
            let p2 = B64URL.encode(serde_json::to_vec(&forged).unwrap());
            let t2 = format!("{}.{}.{}", parts[0], p2, parts[2]);
            assert_eq!(
                verify(&t2, &s, &opts, 1000).unwrap_err(),
                JwtError::InvalidSignature
            );
        }
        let s256 = HmacSecret::new(Algorithm::HS256, &[9; 64]).unwrap();
        let s384 = HmacSecret::new(Algorithm::HS384, &[9; 64]).unwrap();
        let t = sign(&s384, &claims, &Map::new()).unwrap();
        assert_eq!(
            verify(&t, &s256, &VerifyOptions::default(), 1000)
                .unwrap_err()
                .aws_jwt_verify_class(),
            "JwtInvalidSignatureAlgorithmError"
        );
        assert!(sign(&s256, &claims, &obj(json!({"alg": "none"}))).is_err());
    }
}
