//! `CognitoVerifier`: Cognito JWT verification over the core's `CognitoJwtVerifier`
//! (JWKS fetched and cached per pool, flood-proof refetch), GIL released during fetch/verify.

use pocket_sign_core::jwks::{CognitoConfig, CognitoJwtVerifier};
use pocket_sign_core::jwt::{TokenUse, VerifyOptions};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::err;
use crate::jwt::{map_jwt, to_json};

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

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `CognitoVerifier(pools)`: `pools` is a list of dicts with `user_pool_id`, `client_id`
/// (non-empty list of non-empty str; `None` only together with `any_client_id: True`, the
/// explicit choice to accept every app client), `any_client_id`, `token_use` ("access" / "id" / None), `groups`, `scope`,
/// `grace_seconds`, `jwks_uri`, `issuer`. Raises `ParameterValidationError` (a `ValueError`).
/// Thread-safe; the JWKS cache lives as long as the object.
#[pyclass(frozen, module = "pocket_sign._native", name = "CognitoVerifier")]
pub struct PyCognitoVerifier {
    inner: CognitoJwtVerifier,
}

#[pymethods]
impl PyCognitoVerifier {
    #[new]
    fn new(pools: Vec<Bound<'_, PyDict>>) -> PyResult<Self> {
        let configs = pools
            .iter()
            .map(pool_config)
            .collect::<PyResult<Vec<_>>>()?;
        let inner = CognitoJwtVerifier::new_multi(configs).map_err(map_jwt)?;
        Ok(Self { inner })
    }

    /// The effective issuer (`iss`) of pool `index`, or `None` if out of range.
    fn issuer(&self, index: usize) -> Option<String> {
        self.inner
            .inner()
            .issuers()
            .get(index)
            .map(|c| c.issuer.clone())
    }

    /// The effective JWKS URL of pool `index`, or `None` if out of range.
    fn jwks_uri(&self, index: usize) -> Option<String> {
        self.inner
            .inner()
            .issuers()
            .get(index)
            .map(|c| c.jwks_uri.clone())
    }

    /// Verifies `token` (fetching the pool's JWKS when needed, GIL released); returns
    /// `(claims_json, issuer)`. Raises the `JwtBaseError` subclass of the failed check.
    fn verify(&self, py: Python<'_>, token: &str) -> PyResult<(String, String)> {
        let claims = py
            .allow_threads(|| self.inner.verify(token))
            .map_err(map_jwt)?;
        Ok(finish(&claims))
    }

    /// Like `verify` with no I/O: raises `JwksNotAvailableInCacheError` when the JWKS is not cached.
    fn verify_cached(&self, py: Python<'_>, token: &str) -> PyResult<(String, String)> {
        let claims = py
            .allow_threads(|| self.inner.verify_cached(token, unix_now()))
            .map_err(map_jwt)?;
        Ok(finish(&claims))
    }

    /// Fetches and caches every pool's JWKS now (GIL released).
    fn hydrate(&self, py: Python<'_>) -> PyResult<()> {
        py.allow_threads(|| self.inner.hydrate()).map_err(map_jwt)
    }

    /// How many JWKS fetches were started for `jwks_uri`.
    fn fetch_count(&self, jwks_uri: &str) -> u64 {
        self.inner.inner().fetch_count(jwks_uri)
    }

    fn __repr__(&self) -> String {
        let issuers: Vec<&str> = self
            .inner
            .inner()
            .issuers()
            .iter()
            .map(|c| c.issuer.as_str())
            .collect();
        format!("CognitoVerifier({issuers:?})")
    }
}

fn finish(claims: &serde_json::Map<String, serde_json::Value>) -> (String, String) {
    let iss = claims
        .get("iss")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned();
    (to_json(claims), iss)
}

/// Cognito `SECRET_HASH`: standard base64 of HMAC-SHA256(key = `client_secret`,
/// message = `username + client_id`).
#[pyfunction]
pub fn secret_hash(username: &str, client_id: &str, client_secret: &str) -> String {
    pocket_sign_core::cognito::secret_hash(username, client_id, client_secret)
}

/// Seed 002's tenant resolution (`pocket_sign_core::cognito::resolve_tenant`), for an enabled
/// configuration: `mode` ("header" / "subdomain" / "claim"), `strict`, `main_domain`,
/// `claim_name`; `header_value` / `host` as found on the request; `claims_json` the verified
/// claims; `trust_request_without_claim` (default `False`) grants the request's tenant when
/// the token has no tenant claim. Returns the tenant or `None`; raises `TenantError` with
/// `kind` "Mismatch" (the request's tenant differs from the claim in strict mode),
/// "ClaimMissing" (the request names a tenant, the token has no claim), "InvalidMode" or
/// "ClaimNotString".
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
    let tenant_err = |e: TenantError| {
        let kind = match &e {
            TenantError::InvalidMode(_) => "InvalidMode",
            TenantError::Mismatch { .. } => "Mismatch",
            TenantError::ClaimMissing { .. } => "ClaimMissing",
            TenantError::ClaimNotString(_) => "ClaimNotString",
            TenantError::NotProvided => "NotProvided",
            #[allow(unreachable_patterns)]
            _ => "TenantError",
        };
        err("TenantError", kind, e.to_string())
    };
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
    m.add_class::<PyCognitoVerifier>()?;
    m.add_function(wrap_pyfunction!(secret_hash, m)?)?;
    m.add_function(wrap_pyfunction!(resolve_tenant, m)?)?;
    Ok(())
}
