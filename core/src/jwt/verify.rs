//! Signature verification on a parsed key (RFC 7518 §3.3 RSASSA-PKCS1-v1_5, §3.4 ECDSA with
//! raw `r‖s` signatures, RFC 8037 §3.1 Ed25519).

use super::jwk::KeyMaterial;
use super::{Algorithm, JwtError};

/// Verifies `sig` over `msg` with `key` for `alg`. The caller has already checked that `alg`
/// fits the key ([`super::Jwk::check_alg`]); a mismatch here is still refused.
pub(crate) fn verify_signature(
    key: &KeyMaterial,
    alg: Algorithm,
    msg: &[u8],
    sig: &[u8],
) -> Result<(), JwtError> {
    let ok = match key {
        KeyMaterial::Rsa(k) => rsa_verify(k, alg, msg, sig)?,
        KeyMaterial::P256(k) => {
            expect_alg(alg, Algorithm::ES256)?;
            p256_verify(k, msg, sig)
        }
        KeyMaterial::P384(k) => {
            expect_alg(alg, Algorithm::ES384)?;
            p384_verify(k, msg, sig)
        }
        KeyMaterial::P521(k) => {
            expect_alg(alg, Algorithm::ES512)?;
            use p521::ecdsa::signature::Verifier as _;
            sig.len() == 132
                && p521::ecdsa::Signature::from_slice(sig)
                    .map(|s| k.verify(msg, &s).is_ok())
                    .unwrap_or(false)
        }
        KeyMaterial::Ed25519(k) => {
            expect_alg(alg, Algorithm::EdDSA)?;
            ed25519_verify(k, msg, sig)
        }
    };
    if ok {
        Ok(())
    } else {
        Err(JwtError::InvalidSignature)
    }
}

fn expect_alg(alg: Algorithm, want: Algorithm) -> Result<(), JwtError> {
    if alg == want {
        Ok(())
    } else {
        Err(JwtError::InvalidSignatureAlgorithm(alloc::format!(
            "{alg} does not match the key type"
        )))
    }
}

#[cfg(feature = "ring")]
fn rsa_verify(
    k: &ring::signature::RsaPublicKeyComponents<alloc::vec::Vec<u8>>,
    alg: Algorithm,
    msg: &[u8],
    sig: &[u8],
) -> Result<bool, JwtError> {
    use ring::signature as rs;
    let params = match alg {
        Algorithm::RS256 => &rs::RSA_PKCS1_2048_8192_SHA256,
        Algorithm::RS384 => &rs::RSA_PKCS1_2048_8192_SHA384,
        Algorithm::RS512 => &rs::RSA_PKCS1_2048_8192_SHA512,
        _ => return expect_alg(alg, Algorithm::RS256).map(|()| false),
    };
    Ok(k.verify(params, msg, sig).is_ok())
}

#[cfg(not(feature = "ring"))]
fn rsa_verify(
    k: &rsa::RsaPublicKey,
    alg: Algorithm,
    msg: &[u8],
    sig: &[u8],
) -> Result<bool, JwtError> {
    use rsa::traits::PublicKeyParts as _;
    use rsa::Pkcs1v15Sign;
    use sha2::Digest as _;
    // RFC 8017 §8.2.2 step 1: the signature is exactly k bytes.
    if sig.len() != k.size() {
        return Ok(false);
    }
    let r = match alg {
        Algorithm::RS256 => k.verify(
            Pkcs1v15Sign::new::<sha2::Sha256>(),
            &sha2::Sha256::digest(msg),
            sig,
        ),
        Algorithm::RS384 => k.verify(
            Pkcs1v15Sign::new::<sha2::Sha384>(),
            &sha2::Sha384::digest(msg),
            sig,
        ),
        Algorithm::RS512 => k.verify(
            Pkcs1v15Sign::new::<sha2::Sha512>(),
            &sha2::Sha512::digest(msg),
            sig,
        ),
        _ => return expect_alg(alg, Algorithm::RS256).map(|()| false),
    };
    Ok(r.is_ok())
}

/// A ring public key kept in its parsed-once byte form.
#[cfg(feature = "ring")]
type RingKey = ring::signature::UnparsedPublicKey<alloc::vec::Vec<u8>>;

/// ring verification of a fixed-length JWS signature (raw r||s for ECDSA, 64 bytes for Ed25519).
#[cfg(feature = "ring")]
fn ring_verify(k: &RingKey, msg: &[u8], sig: &[u8], len: usize) -> bool {
    sig.len() == len && k.verify(msg, sig).is_ok()
}

#[cfg(feature = "ring")]
fn p256_verify(k: &RingKey, msg: &[u8], sig: &[u8]) -> bool {
    ring_verify(k, msg, sig, 64)
}
#[cfg(not(feature = "ring"))]
fn p256_verify(k: &p256::ecdsa::VerifyingKey, msg: &[u8], sig: &[u8]) -> bool {
    use p256::ecdsa::signature::Verifier as _;
    sig.len() == 64
        && p256::ecdsa::Signature::from_slice(sig)
            .map(|s| k.verify(msg, &s).is_ok())
            .unwrap_or(false)
}

#[cfg(feature = "ring")]
fn p384_verify(k: &RingKey, msg: &[u8], sig: &[u8]) -> bool {
    ring_verify(k, msg, sig, 96)
}
#[cfg(not(feature = "ring"))]
fn p384_verify(k: &p384::ecdsa::VerifyingKey, msg: &[u8], sig: &[u8]) -> bool {
    use p384::ecdsa::signature::Verifier as _;
    sig.len() == 96
        && p384::ecdsa::Signature::from_slice(sig)
            .map(|s| k.verify(msg, &s).is_ok())
            .unwrap_or(false)
}

#[cfg(feature = "ring")]
fn ed25519_verify(k: &RingKey, msg: &[u8], sig: &[u8]) -> bool {
    ring_verify(k, msg, sig, 64)
}
#[cfg(not(feature = "ring"))]
fn ed25519_verify(k: &ed25519_dalek::VerifyingKey, msg: &[u8], sig: &[u8]) -> bool {
    match ed25519_dalek::Signature::from_slice(sig) {
        Ok(s) => k.verify_strict(msg, &s).is_ok(),
        Err(_) => false,
    }
}
