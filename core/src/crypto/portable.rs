//! The portable back end: RustCrypto `rsa` (64-bit limbs), `p256`, `p384`, `p521`. `no_std` +
//! `alloc`; the back end of wasm32 and every build without the `native` feature.
//!
//! RSA signing is blinded with OS randomness under `std` (the bytes are the same: PKCS#1 v1.5 is
//! deterministic). ECDSA signing uses RFC 6979 deterministic nonces.

use alloc::vec::Vec;

use p256::ecdsa::signature::hazmat::{PrehashSigner as _, PrehashVerifier as _};
use rsa::traits::PublicKeyParts as _;
use rsa::Pkcs1v15Sign;

use super::{Curve, Digest, Error, Hash};

pub(crate) const NAME: &str = "portable (RustCrypto)";

fn scheme(hash: Hash) -> Pkcs1v15Sign {
    match hash {
        Hash::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
        Hash::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
        Hash::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
        Hash::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
    }
}

#[derive(Clone)]
pub(crate) struct RsaPrivateKey {
    key: rsa::RsaPrivateKey,
    public: rsa::RsaPublicKey,
}

impl RsaPrivateKey {
    pub(crate) fn new(key: rsa::RsaPrivateKey) -> Result<Self, Error> {
        let public = key.to_public_key();
        Ok(RsaPrivateKey { key, public })
    }

    pub(crate) fn sign_pkcs1v15(&self, hash: Hash, digest: &Digest) -> Result<Vec<u8>, Error> {
        #[cfg(feature = "std")]
        let result = self
            .key
            .sign_with_rng(&mut rand_core::OsRng, scheme(hash), digest.as_slice());
        #[cfg(not(feature = "std"))]
        let result = self.key.sign(scheme(hash), digest.as_slice());
        result.map_err(|_| Error)
    }

    pub(crate) fn verify_pkcs1v15(&self, hash: Hash, digest: &Digest, sig: &[u8]) -> bool {
        verify_rsa(&self.public, hash, digest, sig)
    }
}

fn verify_rsa(key: &rsa::RsaPublicKey, hash: Hash, digest: &Digest, sig: &[u8]) -> bool {
    // RFC 8017 §8.2.2 step 1: the signature is exactly k bytes.
    sig.len() == key.size() && key.verify(scheme(hash), digest.as_slice(), sig).is_ok()
}

#[derive(Clone)]
pub(crate) struct RsaPublicKey(rsa::RsaPublicKey);

impl RsaPublicKey {
    pub(crate) fn new(n: &[u8], e: &[u8]) -> Result<Self, Error> {
        rsa::RsaPublicKey::new_with_max_size(
            rsa::BigUint::from_bytes_be(n),
            rsa::BigUint::from_bytes_be(e),
            16384,
        )
        .map(Self)
        .map_err(|_| Error)
    }

    pub(crate) fn verify_pkcs1v15(&self, hash: Hash, digest: &Digest, sig: &[u8]) -> bool {
        verify_rsa(&self.0, hash, digest, sig)
    }
}

#[derive(Clone)]
pub(crate) struct P256PrivateKey(p256::ecdsa::SigningKey);

impl P256PrivateKey {
    pub(crate) fn new(key: &p256::SecretKey) -> Result<Self, Error> {
        Ok(Self(p256::ecdsa::SigningKey::from(key)))
    }

    pub(crate) fn sign_der(&self, digest: &Digest) -> Result<Vec<u8>, Error> {
        let sig: p256::ecdsa::DerSignature =
            self.0.sign_prehash(digest.as_slice()).map_err(|_| Error)?;
        Ok(sig.as_bytes().to_vec())
    }

    pub(crate) fn verify_der(&self, digest: &Digest, sig: &[u8]) -> bool {
        let Ok(sig) = p256::ecdsa::DerSignature::from_bytes(sig) else {
            return false;
        };
        self.0
            .verifying_key()
            .verify_prehash(digest.as_slice(), &sig)
            .is_ok()
    }
}

#[derive(Clone)]
pub(crate) enum EcPublicKey {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
}

impl EcPublicKey {
    pub(crate) fn new(curve: Curve, point: &[u8]) -> Result<Self, Error> {
        Ok(match curve {
            Curve::P256 => {
                Self::P256(p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| Error)?)
            }
            Curve::P384 => {
                Self::P384(p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| Error)?)
            }
            Curve::P521 => {
                Self::P521(p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| Error)?)
            }
        })
    }

    /// Verifies a raw `r || s` signature (length checked by the caller) over a prehash.
    pub(crate) fn verify_raw(&self, digest: &Digest, sig: &[u8]) -> bool {
        let d = digest.as_slice();
        match self {
            Self::P256(k) => p256::ecdsa::Signature::from_slice(sig)
                .is_ok_and(|sig| k.verify_prehash(d, &sig).is_ok()),
            Self::P384(k) => p384::ecdsa::Signature::from_slice(sig)
                .is_ok_and(|sig| k.verify_prehash(d, &sig).is_ok()),
            Self::P521(k) => p521::ecdsa::Signature::from_slice(sig)
                .is_ok_and(|sig| k.verify_prehash(d, &sig).is_ok()),
        }
    }
}
