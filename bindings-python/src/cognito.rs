//! `JwtVerifier` (any issuer + JWKS URI) and `CognitoVerifier` (user pools): JWT verification
//! over the core's `JwtVerifier` (JWKS fetched and cached per issuer, flood-proof refetch), GIL
//! released during fetch/verify, claims returned as `dict`s built natively.

use pocket_sign_core::jwks::{
    CognitoConfig, CognitoJwtVerifier, IssuerConfig, JwtVerifier, VerifiedJwt,
};
use pocket_sign_core::jwt::{JwtError, TokenUse, VerifyOptions};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::{err, unix_now};
use crate::jwt::{log_sink, map_jwt, map_to_py};

fn param_error(message: String) -> PyErr {
    err(
        "ParameterValidationError",
        "ParameterValidationError",
        message,
    )
}

fn get<'py, T: FromPyObject<'py>>(d: &Bound<'py, PyDict>, key: &str) -> PyResult<Option<T>> {
    match d.get_item(key)? {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => v
            .extract::<T>()
            .map(Some)
            .map_err(|_| param_error(format!("pool property {key} has the wrong type"))),
    }
}

fn pool_config(d: &Bound<'_, PyDict>) -> PyResult<CognitoConfig> {
    let user_pool_id: String =
        get(d, "user_pool_id")?.ok_or_else(|| param_error("user_pool_id is required".into()))?;
    let token_use = match get::<String>(d, "token_use")?.as_deref() {
        None => TokenUse::Any,
        Some("access") => TokenUse::Access,
        Some("id") => TokenUse::Id,
        Some(_) => {
            return Err(param_error(
                "token_use must be 'access', 'id' or None".into(),
            ))
        }
    };
    let options = VerifyOptions {
        token_use: Some(token_use),
        client_ids: get::<Vec<String>>(d, "client_id")?,
        groups: get::<Vec<String>>(d, "groups")?,
        scopes: get::<Vec<String>>(d, "scope")?.unwrap_or_default(),
        grace_seconds: get::<u64>(d, "grace_seconds")?.unwrap_or(0),
        ..VerifyOptions::default()
    };
    Ok(CognitoConfig {
        user_pool_id,
        issuer: get::<String>(d, "issuer")?,
        jwks_url: get::<String>(d, "jwks_uri")?,
        options,
        // The explicit opt-out; a missing `client_id` without it is refused by the core.
        any_client_id: get::<bool>(d, "any_client_id")?.unwrap_or(false),
    })
}

/// Claims (and header when asked for) as Python dicts.
type Verified<'py> = (Bound<'py, PyDict>, Option<Bound<'py, PyDict>>);

fn to_py<'py>(py: Python<'py>, v: &VerifiedJwt) -> PyResult<Verified<'py>> {
    let claims = map_to_py(py, &v.claims)?;
    let header = v.header.as_ref().map(|h| map_to_py(py, h)).transpose()?;
    Ok((claims, header))
}

fn issuer_config(d: &Bound<'_, PyDict>) -> PyResult<IssuerConfig> {
    let issuer: String =
        get(d, "issuer")?.ok_or_else(|| param_error("issuer is required".into()))?;
    let jwks_uri: String =
        get(d, "jwks_uri")?.ok_or_else(|| param_error("jwks_uri is required".into()))?;
    let options = VerifyOptions {
        audiences: get::<Vec<String>>(d, "audience")?,
        scopes: get::<Vec<String>>(d, "scope")?.unwrap_or_default(),
        grace_seconds: get::<u64>(d, "grace_seconds")?.unwrap_or(0),
        ..VerifyOptions::default()
    };
    Ok(IssuerConfig {
        issuer,
        jwks_uri,
        options,
    })
}

/// `JwtVerifier(issuers)`: `issuers` is a list of dicts with `issuer` (exact `iss`),
/// `jwks_uri`, `audience` (list of str or None: not checked), `scope`, `grace_seconds`.
/// Verifies JWS-signed JWTs (RS*/PS*/ES*/EdDSA) against the issuer's JWKS, fetched and cached
/// by the core (TTL, cool-down, coalescing). Raises `ParameterValidationError`. Thread-safe.
///
/// Every verification returns `(claims, header)`: `claims` a `dict` built natively, `header`
/// the protected header as a `dict` when `with_header` is true, else `None`.
#[pyclass(frozen, subclass, module = "pocket_sign._native", name = "JwtVerifier")]
pub struct PyJwtVerifier {
    inner: JwtVerifier,
}

#[pymethods]
impl PyJwtVerifier {
    #[new]
    fn new(issuers: Vec<Bound<'_, PyDict>>) -> PyResult<Self> {
        let configs = issuers
            .iter()
            .map(issuer_config)
            .collect::<PyResult<Vec<_>>>()?;
        let inner = JwtVerifier::new(configs)
            .map_err(map_jwt)?
            .with_event_sink(log_sink());
        Ok(Self { inner })
    }

    /// The effective issuer (`iss`) of entry `index`, or `None` if out of range.
    fn issuer(&self, index: usize) -> Option<String> {
        self.inner.issuers().get(index).map(|c| c.issuer.clone())
    }

    /// The effective JWKS URL of entry `index`, or `None` if out of range.
    fn jwks_uri(&self, index: usize) -> Option<String> {
        self.inner.issuers().get(index).map(|c| c.jwks_uri.clone())
    }

    /// Verifies `token`, fetching the issuer's JWKS when needed (blocking, GIL released), at
    /// `now` (unix seconds; default: the core's clock). Raises the `JwtBaseError` subclass of
    /// the failed check.
    #[pyo3(signature = (token, with_header = false, now = None))]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        token: &str,
        with_header: bool,
        now: Option<u64>,
    ) -> PyResult<Verified<'py>> {
        let now = match now {
            Some(n) => n,
            None => unix_now()?,
        };
        let v = py
            .allow_threads(|| self.inner.verify_full_at(token, now, with_header))
            .map_err(map_jwt)?;
        to_py(py, &v)
    }

    /// The no-I/O warm path of `verify_async`: the result `verify` would give when it needs no
    /// fetch (fresh cached JWKS, an error found before the key lookup, a cool-down refusal),
    /// or `None` when a JWKS fetch is needed. GIL released while verifying.
    #[pyo3(signature = (token, with_header = false))]
    fn verify_warm<'py>(
        &self,
        py: Python<'py>,
        token: &str,
        with_header: bool,
    ) -> PyResult<Option<Verified<'py>>> {
        let now = unix_now()?;
        match py.allow_threads(|| self.inner.verify_without_fetch(token, now, with_header)) {
            None => Ok(None),
            Some(Ok(v)) => to_py(py, &v).map(Some),
            Some(Err(e)) => Err(map_jwt(e)),
        }
    }

    /// Like `verify` with no I/O, using cached keys (fresh or within the staleness bound):
    /// raises `JwksNotAvailableInCacheError` when the JWKS is not cached.
    #[pyo3(signature = (token, with_header = false))]
    fn verify_cached<'py>(
        &self,
        py: Python<'py>,
        token: &str,
        with_header: bool,
    ) -> PyResult<Verified<'py>> {
        let now = unix_now()?;
        let v = py
            .allow_threads(|| {
                let header = if with_header {
                    Some(pocket_sign_core::jwt::decode(token).map(|d| d.header.raw)?)
                } else {
                    None
                };
                let claims = self.inner.verify_cached(token, now)?;
                Ok::<_, JwtError>(VerifiedJwt { header, claims })
            })
            .map_err(map_jwt)?;
        to_py(py, &v)
    }

    /// Fetches and caches every issuer's JWKS now (blocking, GIL released).
    fn hydrate(&self, py: Python<'_>) -> PyResult<()> {
        py.allow_threads(|| self.inner.hydrate()).map_err(map_jwt)
    }

    /// How many JWKS fetches were started for `jwks_uri`.
    fn fetch_count(&self, jwks_uri: &str) -> u64 {
        self.inner.fetch_count(jwks_uri)
    }

    fn __repr__(&self) -> String {
        let issuers: Vec<&str> = self
            .inner
            .issuers()
            .iter()
            .map(|c| c.issuer.as_str())
            .collect();
        format!("JwtVerifier({issuers:?})")
    }
}

/// `CognitoVerifier(pools)`: a `JwtVerifier` for Cognito user pools. `pools` is a list of
/// dicts with `user_pool_id`, `client_id` (non-empty list of non-empty str; `None` only
/// together with `any_client_id: True`, the explicit choice to accept every app client),
/// `any_client_id`, `token_use` ("access" / "id" / None), `groups`, `scope`, `grace_seconds`,
/// `jwks_uri`, `issuer`. Raises
/// `ParameterValidationError` (a `ValueError`). Thread-safe; the JWKS cache lives as long as
/// the object.
#[pyclass(frozen, extends = PyJwtVerifier, module = "pocket_sign._native", name = "CognitoVerifier")]
pub struct PyCognitoVerifier;

#[pymethods]
impl PyCognitoVerifier {
    #[new]
    fn new(pools: Vec<Bound<'_, PyDict>>) -> PyResult<(Self, PyJwtVerifier)> {
        let configs = pools
            .iter()
            .map(pool_config)
            .collect::<PyResult<Vec<_>>>()?;
        let inner = CognitoJwtVerifier::new_multi(configs)
            .map_err(map_jwt)?
            .into_inner()
            .with_event_sink(log_sink());
        Ok((Self, PyJwtVerifier { inner }))
    }
}

/// Cognito `SECRET_HASH`: standard base64 of HMAC-SHA256(key = `client_secret`,
/// message = `username + client_id`).
#[pyfunction]
pub fn secret_hash(username: &str, client_id: &str, client_secret: &str) -> String {
    pocket_sign_core::cognito::secret_hash(username, client_id, client_secret)
}

/// Tenant resolution of magic-pocket's Django Ninja example
/// (`pocket_sign_core::cognito::resolve_tenant`), for an enabled configuration: `mode` ("header" /
/// "subdomain" / "claim"), `strict`, `main_domain`, `claim_name`; `header_value` / `host` as found
/// on the request; `claims_json` the verified claims; `trust_request_without_claim` (default
/// `False`) grants the request's tenant when the token has no tenant claim. Returns the tenant or
/// `None`; raises `TenantError` with `kind` "Mismatch" (the request's tenant differs from the claim
/// in strict mode), "ClaimMissing" (the request names a tenant, the token has no claim),
/// "InvalidMode" or "ClaimNotString".
#[pyfunction]
#[pyo3(signature = (mode, strict, main_domain, claim_name, header_value, host, claims_json, trust_request_without_claim = false))]
#[allow(clippy::too_many_arguments)]
pub fn resolve_tenant(
    mode: &str,
    strict: bool,
    main_domain: &str,
    claim_name: &str,
    header_value: Option<&str>,
    host: Option<&str>,
    claims_json: &str,
    trust_request_without_claim: bool,
) -> PyResult<Option<String>> {
    use pocket_sign_core::cognito::{TenantConfig, TenantError, TenantMode};
    let tenant_err = |e: TenantError| err("TenantError", e.kind(), e.to_string());
    let mode: TenantMode = mode.parse().map_err(tenant_err)?;
    let claims: serde_json::Map<String, serde_json::Value> = serde_json::from_str(claims_json)
        .map_err(|_| param_error("claims_json must be a JSON object".into()))?;
    let config = TenantConfig {
        enabled: true,
        mode,
        strict,
        main_domain: main_domain.to_owned(),
        claim_name: claim_name.to_owned(),
        require: false,
        trust_request_without_claim,
        ..TenantConfig::default()
    };
    pocket_sign_core::cognito::resolve_tenant(&config, header_value, host, &claims)
        .map_err(tenant_err)
}

/// Registers the Cognito items in the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyJwtVerifier>()?;
    m.add_class::<PyCognitoVerifier>()?;
    m.add_function(wrap_pyfunction!(secret_hash, m)?)?;
    m.add_function(wrap_pyfunction!(resolve_tenant, m)?)?;
    Ok(())
}
