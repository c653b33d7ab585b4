//! `HmacJwtKeyring`: shared-secret (HS256/384/512) JWTs with a rotation keyring, over the
//! core's `jwt::hs::HmacKeyring` (kid -> secret, plus an optional default for tokens without
//! `kid`; an unknown kid is `KidNotFoundInJwksError`, no other secret is tried).

use pocket_sign_core::jwt::hs::{self, HmacKeyring};
use pocket_sign_core::jwt::{Algorithm, JwtError, VerifyOptions};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::unix_now;
use crate::jwt::{map_jwt, map_to_py};

fn hmac_alg(name: &str) -> PyResult<Algorithm> {
    match name.to_ascii_uppercase().as_str() {
        "HS256" => Ok(Algorithm::HS256),
        "HS384" => Ok(Algorithm::HS384),
        "HS512" => Ok(Algorithm::HS512),
        _ => Err(map_jwt(JwtError::ParameterValidation(
            "alg must be HS256, HS384 or HS512".into(),
        ))),
    }
}

/// `HmacJwtKeyring(keys, default=None, alg="HS256")`: `keys` maps kid (`str`) to the secret
/// (`bytes`, the raw secret); `default` is the secret for tokens without `kid`. Raises
/// `ParameterValidationError` (a `ValueError`) for short secrets, empty or long kids, more than
/// 64 secrets. Immutable and thread-safe.
#[pyclass(frozen, module = "pocket_sign._native", name = "HmacJwtKeyring")]
pub struct PyHmacJwtKeyring {
    ring: HmacKeyring,
}

#[pymethods]
impl PyHmacJwtKeyring {
    #[new]
    #[pyo3(signature = (keys, default = None, alg = "HS256"))]
    fn new(keys: Vec<(String, Vec<u8>)>, default: Option<Vec<u8>>, alg: &str) -> PyResult<Self> {
        let mut ring = HmacKeyring::new(hmac_alg(alg)?).map_err(map_jwt)?;
        for (kid, secret) in &keys {
            ring.insert(kid, secret).map_err(map_jwt)?;
        }
        if let Some(d) = default {
            ring.set_default(&d).map_err(map_jwt)?;
        }
        Ok(Self { ring })
    }

    /// The configured kids, sorted.
    #[getter]
    fn kids(&self) -> Vec<String> {
        self.ring.kids().map(str::to_owned).collect()
    }

    /// Verifies `token` with the secret its `kid` selects, then `exp`/`nbf` (with
    /// `grace_seconds`), `iss` (any of `issuers`, unchecked when empty) and `aud` (any of
    /// `audiences`, unchecked when None). `now` is unix seconds (default: the clock). Returns
    /// the claims as a `dict` built natively.
    #[pyo3(signature = (token, issuers = Vec::new(), audiences = None, grace_seconds = 0, now = None))]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        token: &str,
        issuers: Vec<String>,
        audiences: Option<Vec<String>>,
        grace_seconds: u64,
        now: Option<u64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let opts = VerifyOptions {
            issuers,
            audiences,
            grace_seconds,
            ..VerifyOptions::default()
        };
        let now = match now {
            Some(n) => n,
            None => unix_now()?,
        };
        let claims = hs::verify_with_keyring(token, &self.ring, &opts, now).map_err(map_jwt)?;
        map_to_py(py, &claims)
    }

    fn __repr__(&self) -> String {
        format!("HmacJwtKeyring(kids={:?}, <redacted>)", self.kids())
    }
}

/// Signs `claims_json` (a JSON object) with `secret` (raw bytes) under `alg`; `kid` goes into
/// the header. Raises `ParameterValidationError` for a short secret or bad claims.
#[pyfunction]
#[pyo3(signature = (claims_json, secret, alg = "HS256", kid = None))]
pub fn hs_jwt_sign(
    claims_json: &str,
    secret: &[u8],
    alg: &str,
    kid: Option<String>,
) -> PyResult<String> {
    let s = hs::HmacSecret::new(hmac_alg(alg)?, secret).map_err(map_jwt)?;
    let claims = match serde_json::from_str::<serde_json::Value>(claims_json) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => {
            return Err(map_jwt(JwtError::ParameterValidation(
                "claims must be a JSON object".into(),
            )))
        }
    };
    let mut extras = serde_json::Map::new();
    if let Some(k) = kid {
        extras.insert("kid".into(), serde_json::Value::String(k));
    }
    hs::sign(&s, &claims, &extras).map_err(map_jwt)
}

/// Registers the shared-secret JWT items in the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyHmacJwtKeyring>()?;
    m.add_function(wrap_pyfunction!(hs_jwt_sign, m)?)?;
    Ok(())
}
