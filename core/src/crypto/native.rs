//! The native back end: OpenSSL's libcrypto (3.x) through the `openssl` crate.
//!
//! Keys are imported once into OpenSSL objects (`EVP_PKEY` for RSA, whose provider-side copy
//! with its Montgomery and CRT values OpenSSL caches on first use; `EC_KEY` for ECDSA, with the
//! curve's precomputed tables) and shared read-only between threads. RSA private operations use
//! OpenSSL's blinding; ECDSA nonces come from OpenSSL's DRBG (CloudFront verifies any valid
//! signature, and OpenSSL 3.0 has no RFC 6979 mode). Digests are computed by the caller
//! ([`super::Hash::digest`]) and signed / verified as a prehash.
//!
//! Every failure drains OpenSSL's per-thread error queue so that no stale error is left for
//! another call.

use alloc::vec::Vec;

use openssl::bn::{BigNum, BigNumContext};
use openssl::ec::{EcGroup, EcKey, EcPoint};
use openssl::ecdsa::EcdsaSig;
use openssl::error::ErrorStack;
use openssl::md::{Md, MdRef};
use openssl::nid::Nid;
use openssl::pkey::{HasPublic, PKey, PKeyRef, Private, Public};
use openssl::pkey_ctx::PkeyCtx;
use openssl::rsa::{Padding, Rsa};

use super::{Curve, Digest, Error, Hash};

pub(crate) const NAME: &str = "native (OpenSSL)";

/// Maps an OpenSSL error to [`Error`], clearing the thread's error queue.
fn fail(_: ErrorStack) -> Error {
    drop(ErrorStack::get());
    Error
}

/// An OpenSSL verification outcome as a yes/no, the thread's error queue left empty either way
/// (a failed check leaves entries there; an error means "not verified").
fn verdict(result: Result<bool, ErrorStack>) -> bool {
    let ok = matches!(result, Ok(true));
    drop(ErrorStack::get());
    ok
}

fn md(hash: Hash) -> &'static MdRef {
    match hash {
        Hash::Sha1 => Md::sha1(),
        Hash::Sha256 => Md::sha256(),
        Hash::Sha384 => Md::sha384(),
        Hash::Sha512 => Md::sha512(),
    }
}

fn rsa_verify<T: HasPublic>(pkey: &PKeyRef<T>, hash: Hash, digest: &Digest, sig: &[u8]) -> bool {
    // RFC 8017 §8.2.2 step 1: the signature is exactly k bytes (OpenSSL checks it too).
    if sig.len() != pkey.size() {
        return false;
    }
    let result = (|| {
        let mut ctx = PkeyCtx::new(pkey)?;
        ctx.verify_init()?;
        ctx.set_rsa_padding(Padding::PKCS1)?;
        ctx.set_signature_md(md(hash))?;
        ctx.verify(digest.as_slice(), sig)
    })();
    verdict(result)
}

#[derive(Clone)]
pub(crate) struct RsaPrivateKey {
    pkey: PKey<Private>,
}

impl RsaPrivateKey {
    pub(crate) fn new(key: rsa::RsaPrivateKey) -> Result<Self, Error> {
        use rsa::pkcs1::EncodeRsaPrivateKey as _;
        // The key was parsed and validated by RustCrypto; hand OpenSSL its PKCS#1 DER
        // (zeroized on drop).
        let der = key.to_pkcs1_der().map_err(|_| Error)?;
        let rsa = Rsa::private_key_from_der(der.as_bytes()).map_err(fail)?;
        let pkey = PKey::from_rsa(rsa).map_err(fail)?;
        Ok(RsaPrivateKey { pkey })
    }

    pub(crate) fn sign_pkcs1v15(&self, hash: Hash, digest: &Digest) -> Result<Vec<u8>, Error> {
        let mut ctx = PkeyCtx::new(&self.pkey).map_err(fail)?;
        ctx.sign_init().map_err(fail)?;
        ctx.set_rsa_padding(Padding::PKCS1).map_err(fail)?;
        ctx.set_signature_md(md(hash)).map_err(fail)?;
        let mut sig = Vec::with_capacity(self.pkey.size());
        ctx.sign_to_vec(digest.as_slice(), &mut sig).map_err(fail)?;
        Ok(sig)
    }

    pub(crate) fn verify_pkcs1v15(&self, hash: Hash, digest: &Digest, sig: &[u8]) -> bool {
        rsa_verify(&self.pkey, hash, digest, sig)
    }
}

#[derive(Clone)]
pub(crate) struct RsaPublicKey {
    pkey: PKey<Public>,
}

impl RsaPublicKey {
    pub(crate) fn new(n: &[u8], e: &[u8]) -> Result<Self, Error> {
        let n = BigNum::from_slice(n).map_err(fail)?;
        let e = BigNum::from_slice(e).map_err(fail)?;
        let rsa = Rsa::from_public_components(n, e).map_err(fail)?;
        let pkey = PKey::from_rsa(rsa).map_err(fail)?;
        Ok(RsaPublicKey { pkey })
    }

    pub(crate) fn verify_pkcs1v15(&self, hash: Hash, digest: &Digest, sig: &[u8]) -> bool {
        rsa_verify(&self.pkey, hash, digest, sig)
    }
}

#[derive(Clone)]
pub(crate) struct P256PrivateKey {
    key: EcKey<Private>,
}

impl P256PrivateKey {
    pub(crate) fn new(key: &p256::SecretKey) -> Result<Self, Error> {
        use p256::elliptic_curve::sec1::ToEncodedPoint as _;
        // The validated scalar and its public point, imported on the named curve.
        let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).map_err(fail)?;
        let scalar = zeroize::Zeroizing::new(key.to_bytes());
        let d = BigNum::from_slice(&scalar).map_err(fail)?;
        let mut ctx = BigNumContext::new().map_err(fail)?;
        let public = key.public_key().to_encoded_point(false);
        let point = EcPoint::from_bytes(&group, public.as_bytes(), &mut ctx).map_err(fail)?;
        let key = EcKey::from_private_components(&group, &d, &point).map_err(fail)?;
        key.check_key().map_err(fail)?;
        Ok(P256PrivateKey { key })
    }

    pub(crate) fn sign_der(&self, digest: &Digest) -> Result<Vec<u8>, Error> {
        let sig = EcdsaSig::sign(digest.as_slice(), &self.key).map_err(fail)?;
        sig.to_der().map_err(fail)
    }

    pub(crate) fn verify_der(&self, digest: &Digest, sig: &[u8]) -> bool {
        match EcdsaSig::from_der(sig) {
            // Strict DER: the signature must re-encode to the same bytes.
            Ok(s) if s.to_der().is_ok_and(|d| d == sig) => ec_verify(&s, digest, &self.key),
            Ok(_) => false,
            Err(e) => {
                fail(e);
                false
            }
        }
    }
}

fn ec_verify<T: HasPublic>(sig: &EcdsaSig, digest: &Digest, key: &EcKey<T>) -> bool {
    verdict(sig.verify(digest.as_slice(), key))
}

#[derive(Clone)]
pub(crate) struct EcPublicKey {
    key: EcKey<Public>,
}

impl EcPublicKey {
    pub(crate) fn new(curve: Curve, point: &[u8]) -> Result<Self, Error> {
        let nid = match curve {
            Curve::P256 => Nid::X9_62_PRIME256V1,
            Curve::P384 => Nid::SECP384R1,
            Curve::P521 => Nid::SECP521R1,
        };
        let group = EcGroup::from_curve_name(nid).map_err(fail)?;
        let mut ctx = BigNumContext::new().map_err(fail)?;
        let point = EcPoint::from_bytes(&group, point, &mut ctx).map_err(fail)?;
        let key = EcKey::from_public_key(&group, &point).map_err(fail)?;
        key.check_key().map_err(fail)?;
        Ok(EcPublicKey { key })
    }

    /// Verifies a raw `r || s` signature (length checked by the caller) over a prehash.
    pub(crate) fn verify_raw(&self, digest: &Digest, sig: &[u8]) -> bool {
        let half = sig.len() / 2;
        let (Some(r), Some(s)) = (sig.get(..half), sig.get(half..)) else {
            return false;
        };
        let parsed = BigNum::from_slice(r)
            .and_then(|r| BigNum::from_slice(s).map(|s| (r, s)))
            .and_then(|(r, s)| EcdsaSig::from_private_components(r, s));
        match parsed {
            Ok(sig) => ec_verify(&sig, digest, &self.key),
            Err(e) => {
                fail(e);
                false
            }
        }
    }
}
