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

use super::jws::B64URL;
use super::{decode, validate_claims, Algorithm, JwtError, VerifyOptions};

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
/// token would exceed [`super::MAX_TOKEN_LEN`].
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
    if token.len() > super::MAX_TOKEN_LEN {
        return Err(JwtError::ParameterValidation(format!(
            "token would be {} bytes, over {}",
            token.len(),
            super::MAX_TOKEN_LEN
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
    let decoded = decode(token)?;
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
        assert_eq!(e.kind(), "ParameterValidationError");
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
                verify(&t, &s, &opts, 2001).unwrap_err().kind(),
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
                .kind(),
            "JwtInvalidSignatureAlgorithmError"
        );
        assert!(sign(&s256, &claims, &obj(json!({"alg": "none"}))).is_err());
    }
}
