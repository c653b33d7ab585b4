//! magic-pocket's managed secrets (`[awscontainer.secrets.managed]`), from OS randomness.

use pocket_sign_core::keygen::{self, KeygenError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::err;

fn map_keygen(e: KeygenError) -> PyErr {
    let class = match &e {
        KeygenError::InvalidLength { .. } | KeygenError::InvalidCharset(_) => {
            "ParameterValidationError"
        }
        _ => "PocketSignError",
    };
    err(class, e.kind(), e.to_string())
}

/// 32 random bytes as 64 lowercase hex characters (`spa_token_secret`).
#[pyfunction]
pub fn spa_token_secret() -> String {
    keygen::generate_spa_token_secret()
}

/// A random password of `length` characters from `chars` (default: Django's SECRET_KEY
/// charset). Raises `ParameterValidationError` (a `ValueError`) for a bad length or charset.
#[pyfunction]
#[pyo3(signature = (length = 16, chars = None))]
pub fn password(length: usize, chars: Option<&str>) -> PyResult<String> {
    keygen::generate_password(length, chars).map_err(map_keygen)
}

/// A CloudFront signing key pair as a dict with `private_key_pem`, `public_key_pem`,
/// `private_key_pem_base64`, `public_key_pem_base64` (`{NAME}_PEM_BASE64` / `_PUB_BASE64`).
/// `algorithm` is `"rsa"` (RSA-2048, PKCS#1 private key; generated with the GIL released) or
/// `"ecdsa"` (P-256, PKCS#8).
#[pyfunction]
#[pyo3(signature = (algorithm = "rsa"))]
pub fn cloudfront_key_pair<'py>(py: Python<'py>, algorithm: &str) -> PyResult<Bound<'py, PyDict>> {
    let pair = match algorithm {
        "rsa" => py.allow_threads(keygen::generate_cloudfront_rsa_key_pair),
        "ecdsa" => keygen::generate_cloudfront_ecdsa_key_pair(),
        _ => {
            return Err(err(
                "ParameterValidationError",
                "KeygenError",
                "algorithm must be \"rsa\" or \"ecdsa\"",
            ))
        }
    }
    .map_err(map_keygen)?;
    let d = PyDict::new(py);
    d.set_item("private_key_pem", pair.private_key_pem.as_str())?;
    d.set_item("public_key_pem", pair.public_key_pem.as_str())?;
    d.set_item(
        "private_key_pem_base64",
        pair.private_key_pem_base64.as_str(),
    )?;
    d.set_item("public_key_pem_base64", pair.public_key_pem_base64.as_str())?;
    Ok(d)
}

/// Registers the keygen functions in the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(spa_token_secret, m)?)?;
    m.add_function(wrap_pyfunction!(password, m)?)?;
    m.add_function(wrap_pyfunction!(cloudfront_key_pair, m)?)?;
    Ok(())
}
