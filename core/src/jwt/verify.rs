//! Signature verification on a parsed key (RFC 7518 §3.3 RSASSA-PKCS1-v1_5, §3.4 ECDSA with
//! raw `r‖s` signatures, RFC 8037 §3.1 Ed25519), through the crate's crypto back end.

use super::alg::Algorithm;
use super::error::JwtError;
use crate::crypto::{self, Curve, Hash};

/// The public key of a parsed JWK, in the crypto back end's form.
#[derive(Clone)]
pub(crate) enum KeyMaterial {
    /// RSA (`kty: RSA`).
    Rsa(crypto::RsaPublicKey),
    /// ECDSA on P-256 / P-384 / P-521 (`kty: EC`).
    Ec(crypto::EcPublicKey),
    /// Ed25519 (`kty: OKP`, `crv: Ed25519`).
    Ed25519(crypto::Ed25519PublicKey),
}

/// Verifies `sig` over `msg` with `key` for `alg`. The caller has already checked that `alg`
/// fits the key ([`super::Jwk::check_alg`]); a mismatch here is still refused.
pub(crate) fn verify_signature(
    key: &KeyMaterial,
    alg: Algorithm,
    msg: &[u8],
    sig: &[u8],
) -> Result<(), JwtError> {
    let ok = match key {
        KeyMaterial::Rsa(k) => {
            let hash = match alg {
                Algorithm::RS256 => Hash::Sha256,
                Algorithm::RS384 => Hash::Sha384,
                Algorithm::RS512 => Hash::Sha512,
                _ => return expect_alg(alg, Algorithm::RS256),
            };
            k.verify_pkcs1v15(hash, msg, sig)
        }
        KeyMaterial::Ec(k) => {
            expect_alg(
                alg,
                match k.curve() {
                    Curve::P256 => Algorithm::ES256,
                    Curve::P384 => Algorithm::ES384,
                    Curve::P521 => Algorithm::ES512,
                },
            )?;
            k.verify_fixed(msg, sig)
        }
        KeyMaterial::Ed25519(k) => {
            expect_alg(alg, Algorithm::EdDSA)?;
            k.verify(msg, sig)
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
