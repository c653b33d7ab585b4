//! `AlbVerifier`: ALB `x-amzn-oidc-data` verification with fetched, cached ALB public keys.

use pocket_sign_core::alb::{AlbVerifier, AlbVerifyOptions};
use pyo3::prelude::*;

use crate::jwt::{map_alb, to_json};

/// `AlbVerifier(alb_arns, *, client_ids=None, issuer=None, grace_seconds=0, keys_url=None)`.
///
/// Verifies the ES256 `x-amzn-oidc-data` header of an Application Load Balancer: `signer` must
/// be one of `alb_arns` (all in one region), `client` one of `client_ids` (`None`: not checked),
/// `iss` equal to `issuer` (`None`: not checked), `exp` / `nbf` with `grace_seconds`. Keys are
/// fetched from `{keys_url}/{kid}` (default
/// `https://public-keys.auth.elb.{region}.amazonaws.com`) and cached. Thread-safe.
#[pyclass(frozen, module = "pocket_sign._native", name = "AlbVerifier")]
pub struct PyAlbVerifier {
    inner: AlbVerifier,
}

#[pymethods]
impl PyAlbVerifier {
    #[new]
    #[pyo3(signature = (alb_arns, *, client_ids = None, issuer = None, grace_seconds = 0, keys_url = None))]
    fn new(
        alb_arns: Vec<String>,
        client_ids: Option<Vec<String>>,
        issuer: Option<String>,
        grace_seconds: u64,
        keys_url: Option<&str>,
    ) -> PyResult<Self> {
        let opts = AlbVerifyOptions {
            alb_arns,
            client_ids,
            issuer,
            grace_seconds,
        };
        let mut inner = AlbVerifier::new(opts).map_err(map_alb)?;
        if let Some(url) = keys_url {
            inner = inner.with_keys_url(url);
        }
        Ok(Self { inner })
    }

    /// Verifies `data` (fetching the key if needed, GIL released); returns the claims as JSON.
    fn verify(&self, py: Python<'_>, data: &str) -> PyResult<String> {
        let claims = py
            .allow_threads(|| self.inner.verify(data))
            .map_err(map_alb)?;
        Ok(to_json(&claims))
    }

    /// Preloads the public key PEM for `kid` (no I/O).
    fn add_key(&self, kid: &str, pem: &str) -> PyResult<()> {
        self.inner.add_key(kid, pem).map_err(map_alb)
    }

    /// How many key fetches were started.
    #[getter]
    fn fetch_count(&self) -> u64 {
        self.inner.fetch_count()
    }

    fn __repr__(&self) -> String {
        format!("AlbVerifier(keys_url={:?})", self.inner.keys_url())
    }
}

/// Registers the ALB items in the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyAlbVerifier>()?;
    Ok(())
}
