//! `SpaTokenKey`: magic-pocket's SPA token (`{user_id}:{expiry}:{hmac_sha256_hex}`).

use std::sync::{Arc, Mutex};

use pocket_sign_core::spa_token::{self, SecretUsed, SpaTokenError, SpaTokenKey, SpaTokenKeyring};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::errors::err;

/// Maps a core SPA token error to `pocket_sign.errors`.
pub fn map_spa(e: SpaTokenError) -> PyErr {
    let class = match &e {
        SpaTokenError::Malformed(_) => "MalformedTokenError",
        SpaTokenError::Expired { .. } => "TokenExpiredError",
        SpaTokenError::BadSignature => "BadSignatureError",
        SpaTokenError::InvalidSecret(_) => "InvalidSecretError",
        SpaTokenError::InvalidUserId(_) => "InvalidUserIdError",
        // ExpiryOverflow, ClockBeforeEpoch: the base class.
        _ => "SpaTokenError",
    };
    err(class, e.kind(), e.to_string())
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

/// The current SPA token key plus, during a secret rotation, the previous one.
///
/// `SpaTokenKeyring(current, previous=None)` takes 64-hex `str` secrets (`previous` `None` or
/// empty: no rotation). Issues with the current secret; verifies under both, both HMACs
/// compared in constant time. Immutable and safe to share between threads.
#[pyclass(frozen, module = "pocket_sign._native", name = "SpaTokenKeyring")]
pub struct PySpaTokenKeyring {
    ring: SpaTokenKeyring,
}

#[pymethods]
impl PySpaTokenKeyring {
    #[new]
    #[pyo3(signature = (current, previous = None))]
    fn new(current: &str, previous: Option<&str>) -> PyResult<Self> {
        Ok(Self {
            ring: SpaTokenKeyring::from_hex(current, previous).map_err(map_spa)?,
        })
    }

    /// Whether a previous secret is configured.
    #[getter]
    fn has_previous(&self) -> bool {
        self.ring.has_previous()
    }

    /// Token for `user_id` valid `max_age` seconds from `now` (unix seconds), current secret.
    fn issue(&self, user_id: &str, now: u64, max_age: u64) -> PyResult<String> {
        self.ring.issue(user_id, now, max_age).map_err(map_spa)
    }

    /// Token for `user_id` with the absolute `expiry` (unix seconds), current secret.
    fn sign(&self, user_id: &str, expiry: u64) -> PyResult<String> {
        self.ring.current().sign(user_id, expiry).map_err(map_spa)
    }

    /// Verifies `token` at `now` (unix seconds): returns `(user_id, expiry, used_previous)` or
    /// raises `MalformedTokenError`, `TokenExpiredError` or `BadSignatureError`.
    fn verify(&self, token: &str, now: u64) -> PyResult<(String, u64, bool)> {
        let v = self.ring.verify(token, now).map_err(map_spa)?;
        Ok((
            v.token.user_id.to_owned(),
            v.token.expiry,
            v.secret == SecretUsed::Previous,
        ))
    }

    /// Like `verify` but returns `None` for any invalid token.
    fn verify_or_none(&self, token: &str, now: u64) -> Option<(String, u64, bool)> {
        self.verify(token, now).ok()
    }

    fn __repr__(&self) -> &'static str {
        "SpaTokenKeyring(<redacted>)"
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

/// Environment variable holding the hex SPA token secret (magic-pocket's name).
const SECRET_ENV: &str = "SPA_TOKEN_SECRET";

/// Most distinct secrets whose prepared keys are kept (the env secret plus a few explicit
/// `secret=` values, as the former Python `lru_cache(maxsize=16)`).
const KEY_CACHE_SIZE: usize = 16;

/// Prepared HMAC keys by secret text, most recently added last.
static KEY_CACHE: Mutex<Vec<(String, Arc<SpaTokenKey>)>> = Mutex::new(Vec::new());

/// The prepared key for the hex `secret` (ASCII whitespace ignored, as `bytes.fromhex`
/// skips it), from the cache or built and cached.
fn cached_key(secret: &str) -> Result<Arc<SpaTokenKey>, SpaTokenError> {
    let mut cache = KEY_CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, key)) = cache.iter().find(|(s, _)| s == secret) {
        return Ok(Arc::clone(key));
    }
    let compact: zeroize::Zeroizing<String> = zeroize::Zeroizing::new(
        secret
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect(),
    );
    let key = Arc::new(SpaTokenKey::from_hex(&compact)?);
    if cache.len() >= KEY_CACHE_SIZE {
        cache.remove(0);
    }
    cache.push((secret.to_owned(), Arc::clone(&key)));
    Ok(key)
}

/// The secret to use: `secret`, else the `SPA_TOKEN_SECRET` environment variable (read from
/// the process environment, which `os.environ` writes through to); missing or empty raises
/// `InvalidSecretError`.
fn secret_or_env(secret: Option<String>) -> PyResult<String> {
    let secret = secret.or_else(|| std::env::var(SECRET_ENV).ok());
    match secret {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(err(
            "InvalidSecretError",
            "InvalidSecret",
            format!("{SECRET_ENV} is not set"),
        )),
    }
}

/// `pocket_sign.django.spa_auth.verify_token` in one native call: the secret (`secret`, or
/// env `SPA_TOKEN_SECRET`), during a rotation the previous secret, the prepared HMAC keys
/// (cached by secret text) and the verification at `now` (unix seconds, `time.time()`:
/// truncated to whole seconds, taken from Python so that frozen test clocks apply).
///
/// Without an explicit `secret`, the previous secret is env `SPA_TOKEN_SECRET_PREVIOUS` when
/// that is set, else `settings_previous` (the Django setting of the same name, read and cached
/// by the Python caller); surrounding whitespace is ignored and an empty value means no
/// rotation. A token under either secret is accepted, both HMACs compared in constant time.
///
/// Returns the user id, or `None` when `token` is not a `str` or is malformed, expired or
/// forged; raises `InvalidSecretError` (a `ValueError`) for a missing or invalid secret.
#[pyfunction]
#[pyo3(signature = (token, now, secret = None, settings_previous = None))]
pub fn spa_verify_token(
    token: &Bound<'_, PyAny>,
    now: f64,
    secret: Option<String>,
    settings_previous: Option<String>,
) -> PyResult<Option<String>> {
    let explicit = secret.is_some();
    let secret = zeroize::Zeroizing::new(secret_or_env(secret)?);
    let previous = if explicit {
        None
    } else {
        previous_secret(settings_previous)?
    };
    // Both keys are prepared (and a bad secret raised) before the token is looked at.
    let keys = match &previous {
        Some(previous) => Keys::Rotating(cached_keyring(secret.trim(), previous).map_err(map_spa)?),
        None => Keys::One(cached_key(&secret).map_err(map_spa)?),
    };
    let Ok(token) = token.downcast::<PyString>() else {
        return Ok(None);
    };
    let token = token.to_cow()?;
    // `int(time.time())`; a clock before 1970 (or NaN) counts as 0, which only makes the
    // expiry check stricter.
    let now = if now.is_finite() && now > 0.0 {
        now as u64
    } else {
        0
    };
    Ok(match keys {
        Keys::One(key) => key.verify(&token, now).ok().map(|v| v.user_id.to_owned()),
        Keys::Rotating(ring) => ring
            .verify(&token, now)
            .ok()
            .map(|v| v.token.user_id.to_owned()),
    })
}

/// The prepared key(s) `spa_verify_token` verifies with.
enum Keys {
    /// No rotation: the current secret only.
    One(Arc<SpaTokenKey>),
    /// During a rotation: current and previous secrets.
    Rotating(Arc<SpaTokenKeyring>),
}

/// Environment variable holding the previous hex SPA token secret during a rotation.
const PREVIOUS_ENV: &str = "SPA_TOKEN_SECRET_PREVIOUS";

/// The previous secret: env `SPA_TOKEN_SECRET_PREVIOUS` when set, else `settings_previous`;
/// trimmed, `None` when empty. A value that is not UTF-8 raises `InvalidSecretError`.
fn previous_secret(
    settings_previous: Option<String>,
) -> PyResult<Option<zeroize::Zeroizing<String>>> {
    let value = match std::env::var(PREVIOUS_ENV) {
        Ok(v) => v,
        Err(std::env::VarError::NotPresent) => settings_previous.unwrap_or_default(),
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(err(
                "InvalidSecretError",
                "InvalidSecret",
                format!("{PREVIOUS_ENV} is not valid UTF-8"),
            ))
        }
    };
    let value = zeroize::Zeroizing::new(value);
    let trimmed = value.trim();
    Ok((!trimmed.is_empty()).then(|| zeroize::Zeroizing::new(trimmed.to_owned())))
}

/// Prepared keyrings by `(current, previous)` secret text, most recently added last.
static KEYRING_CACHE: Mutex<Vec<(String, String, Arc<SpaTokenKeyring>)>> = Mutex::new(Vec::new());

/// The keyring for the hex `current` and `previous` secrets, from the cache or built and
/// cached (at most [`KEY_CACHE_SIZE`] pairs).
fn cached_keyring(current: &str, previous: &str) -> Result<Arc<SpaTokenKeyring>, SpaTokenError> {
    let mut cache = KEYRING_CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, _, ring)) = cache.iter().find(|(c, p, _)| c == current && p == previous) {
        return Ok(Arc::clone(ring));
    }
    let ring = Arc::new(SpaTokenKeyring::from_hex(current, Some(previous))?);
    if cache.len() >= KEY_CACHE_SIZE {
        cache.remove(0);
    }
    cache.push((current.to_owned(), previous.to_owned(), Arc::clone(&ring)));
    Ok(ring)
}

/// Checks the secret `pocket_sign.django.spa_auth` would use (`secret`, else env
/// `SPA_TOKEN_SECRET`) without verifying anything: `None` when unset or empty, `True` when it
/// is 64 hex characters (32 bytes); raises `InvalidSecretError` otherwise. For start-up checks.
#[pyfunction]
#[pyo3(signature = (secret = None))]
pub fn spa_check_secret(secret: Option<String>) -> PyResult<Option<bool>> {
    match secret_or_env(secret) {
        Err(_) => Ok(None),
        Ok(s) => {
            let s = zeroize::Zeroizing::new(s);
            cached_key(&s).map_err(map_spa)?;
            Ok(Some(true))
        }
    }
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
    m.add_class::<PySpaTokenKeyring>()?;
    m.add_function(wrap_pyfunction!(spa_login_set_cookie, m)?)?;
    m.add_function(wrap_pyfunction!(spa_logout_set_cookie, m)?)?;
    m.add_function(wrap_pyfunction!(spa_verify_token, m)?)?;
    m.add_function(wrap_pyfunction!(spa_check_secret, m)?)?;
    m.add_function(wrap_pyfunction!(spa_session_cookie_value, m)?)?;
    m.add("SPA_SESSION_COOKIE_NAME", spa_token::SESSION_COOKIE_NAME)?;
    m.add("SPA_COOKIE_NAME", spa_token::COOKIE_NAME)?;
    m.add("SPA_DEFAULT_MAX_AGE", spa_token::DEFAULT_MAX_AGE)?;
    Ok(())
}
