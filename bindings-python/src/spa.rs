//! `SpaTokenKey`: magic-pocket's SPA token (`{user_id}:{expiry}:{hmac_sha256_hex}`).

use pocket_sign_core::spa_token::{self, SpaTokenError, SpaTokenKey};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::errors::err;

/// Maps a core SPA token error to `pocket_sign.errors`.
pub fn map_spa(e: SpaTokenError) -> PyErr {
    let (class, kind) = match &e {
        SpaTokenError::Malformed(_) => ("MalformedTokenError", "Malformed"),
        SpaTokenError::Expired { .. } => ("TokenExpiredError", "Expired"),
        SpaTokenError::BadSignature => ("BadSignatureError", "BadSignature"),
        SpaTokenError::InvalidSecret(_) => ("InvalidSecretError", "InvalidSecret"),
        SpaTokenError::InvalidUserId(_) => ("InvalidUserIdError", "InvalidUserId"),
        #[allow(unreachable_patterns)]
        _ => ("SpaTokenError", "SpaTokenError"),
    };
    err(class, kind, e.to_string())
}

/// An SPA token key: the HMAC-SHA256 state prepared once from the 32-byte secret.
///
/// `SpaTokenKey(secret)` takes the secret as 64 hex characters (`str`) or 32 raw bytes
/// (`bytes`); anything else raises `InvalidSecretError` (a `ValueError`). Immutable and safe
/// to share between threads.
#[pyclass(frozen, module = "pocket_sign._native", name = "SpaTokenKey")]
pub struct PySpaTokenKey {
    key: SpaTokenKey,
}

#[pymethods]
impl PySpaTokenKey {
    #[new]
    fn new(secret: &Bound<'_, PyAny>) -> PyResult<Self> {
        let key = if let Ok(s) = secret.downcast::<PyString>() {
            SpaTokenKey::from_hex(&s.to_cow()?)
        } else if let Ok(b) = secret.downcast::<PyBytes>() {
            SpaTokenKey::from_bytes(b.as_bytes())
        } else {
            return Err(err(
                "InvalidSecretError",
                "InvalidSecret",
                "the SPA token secret must be a hex str or bytes",
            ));
        };
        Ok(Self {
            key: key.map_err(map_spa)?,
        })
    }

    /// Token for `user_id` with the absolute `expiry` (unix seconds).
    fn sign(&self, user_id: &str, expiry: u64) -> PyResult<String> {
        self.key.sign(user_id, expiry).map_err(map_spa)
    }

    /// Token for `user_id` valid `max_age` seconds from `now` (unix seconds).
    fn issue(&self, user_id: &str, now: u64, max_age: u64) -> PyResult<String> {
        self.key.issue(user_id, now, max_age).map_err(map_spa)
    }

    /// Verifies `token` at `now` (unix seconds): returns `(user_id, expiry)` or raises
    /// `MalformedTokenError`, `TokenExpiredError` or `BadSignatureError`.
    fn verify(&self, token: &str, now: u64) -> PyResult<(String, u64)> {
        let v = self.key.verify(token, now).map_err(map_spa)?;
        Ok((v.user_id.to_owned(), v.expiry))
    }

    /// Like `verify` but returns only the user id, or `None` for any invalid token.
    fn verify_user_id(&self, token: &str, now: u64) -> Option<String> {
        self.key
            .verify(token, now)
            .ok()
            .map(|v| v.user_id.to_owned())
    }

    fn __repr__(&self) -> &'static str {
        "SpaTokenKey(<redacted>)"
    }
}

/// `Set-Cookie` header value that stores `token` for `max_age` seconds
/// (HttpOnly; Secure; SameSite=Lax; Path=/).
#[pyfunction]
pub fn spa_login_set_cookie(token: &str, max_age: u64) -> String {
    spa_token::login_set_cookie(token, max_age)
}

/// `Set-Cookie` header value that deletes the SPA token cookie.
#[pyfunction]
pub fn spa_logout_set_cookie() -> String {
    spa_token::logout_set_cookie()
}

/// The companion `pocket-spa-session` cookie value for `token` (`{percent-encoded user
/// id}:{expiry}`, no signature): what the SPA reads to show who is logged in and until when,
/// while the token cookie stays HttpOnly. Raises `MalformedTokenError` when `token` does not
/// have the token shape (64 lowercase hex signature).
#[pyfunction]
pub fn spa_session_cookie_value(token: &str) -> PyResult<String> {
    spa_token::session_cookie_value(token).map_err(map_spa)
}

/// Registers the SPA token items in the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySpaTokenKey>()?;
    m.add_function(wrap_pyfunction!(spa_login_set_cookie, m)?)?;
    m.add_function(wrap_pyfunction!(spa_logout_set_cookie, m)?)?;
    m.add_function(wrap_pyfunction!(spa_session_cookie_value, m)?)?;
    m.add("SPA_SESSION_COOKIE_NAME", spa_token::SESSION_COOKIE_NAME)?;
    m.add("SPA_COOKIE_NAME", spa_token::COOKIE_NAME)?;
    m.add("SPA_DEFAULT_MAX_AGE", spa_token::DEFAULT_MAX_AGE)?;
    Ok(())
}
