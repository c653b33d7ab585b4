//! `pocket_sign._native`: the PyO3 module behind the `pocket_sign` Python package.
//!
//! Thin bindings over `pocket-sign-core` (feature `std`). The public Python API lives in the
//! pure-Python package (`python/pocket_sign/`); this module exposes frozen (immutable,
//! `Send + Sync`) classes and functions. Every core error is mapped to an exception class of
//! `pocket_sign.errors`; no input can make a native call panic. RSA signing and JWKS fetching
//! run with the GIL released.
#![forbid(unsafe_code)]

mod alb;
mod cloudfront;
mod cognito;
mod errors;
mod hs_jwt;
mod jwt;
mod keygen;
mod media;
mod origin_verify;
mod spa;

use pyo3::prelude::*;

/// The native module `pocket_sign._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    spa::register(m)?;
    cloudfront::register(m)?;
    alb::register(m)?;
    cognito::register(m)?;
    keygen::register(m)?;
    origin_verify::register(m)?;
    hs_jwt::register(m)?;
    media::register(m)?;
    Ok(())
}
