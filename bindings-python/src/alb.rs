//! `AlbVerifier`: ALB `x-amzn-oidc-data` verification with fetched, cached ALB public keys.

use pocket_sign_core::alb::{AlbVerifier, AlbVerifyOptions};
use pyo3::prelude::*;

use pyo3::types::PyDict;

use crate::errors::unix_now;
use crate::jwt::{log_sink, map_alb, map_to_py};

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
        let mut inner = AlbVerifier::new(opts)
            .map_err(map_alb)?
            .with_event_sink(log_sink());
        if let Some(url) = keys_url {
            inner = inner.with_keys_url(url);
        }
        Ok(Self { inner })
    }

    /// Verifies `data` (fetching the key if needed, blocking, GIL released); returns the
    /// payload claims as a `dict`.
    fn verify<'py>(&self, py: Python<'py>, data: &str) -> PyResult<Bound<'py, PyDict>> {
        let claims = py
            .allow_threads(|| self.inner.verify(data))
            .map_err(map_alb)?;
        map_to_py(py, &claims)
    }

    /// The no-I/O warm path of `verify_async`: the result `verify` would give when no key
    /// fetch is needed, or `None` when one is.
    fn verify_warm<'py>(
        &self,
        py: Python<'py>,
        data: &str,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let now = unix_now()?;
        match py.allow_threads(|| self.inner.verify_without_fetch(data, now)) {
            None => Ok(None),
            Some(Ok(claims)) => map_to_py(py, &claims).map(Some),
            Some(Err(e)) => Err(map_alb(e)),
        }
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
