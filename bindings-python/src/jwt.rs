//! JWT error mapping, native JSON-to-Python conversion and key-fetch logging shared by the Cognito and ALB verifiers.

use pocket_sign_core::alb::AlbError;
use pocket_sign_core::jwks::{KeyEvent, KeyEventSink};
use pocket_sign_core::jwt::JwtError;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyBool, PyDict, PyList, PyString, PyTuple};
use serde_json::{Map, Value};
use std::sync::Arc;

use crate::errors::err;

/// Class names defined in `pocket_sign/errors.py` that `aws_jwt_verify_class()` may return
/// (aws-jwt-verify's class names).
const JWT_CLASSES: &[&str] = &[
    "JwtParseError",
    "JwtInvalidSignatureAlgorithmError",
    "JwtInvalidSignatureError",
    "JwtExpiredError",
    "JwtNotBeforeError",
    "JwtInvalidIssuerError",
    "JwtInvalidAudienceError",
    "JwtInvalidScopeError",
    "JwtInvalidClaimError",
    "CognitoJwtInvalidTokenUseError",
    "CognitoJwtInvalidClientIdError",
    "CognitoJwtInvalidGroupError",
    "JwtCustomCheckError",
    "JwtWithoutValidKidError",
    "KidNotFoundInJwksError",
    "JwkValidationError",
    "JwkInvalidKtyError",
    "JwkInvalidUseError",
    "JwksValidationError",
    "FetchError",
    "WaitPeriodNotYetEndedJwkError",
    "JwksNotAvailableInCacheError",
    "ParameterValidationError",
    "AlbJwtInvalidSignerError",
    "AlbJwtInvalidClientIdError",
];

/// The `pocket_sign.errors` class for an aws-jwt-verify class name, `JwtBaseError` if the
/// Python package has none of that name.
fn jwt_class(aws_class: &str) -> &'static str {
    JWT_CLASSES
        .iter()
        .copied()
        .find(|c| *c == aws_class)
        .unwrap_or("JwtBaseError")
}

/// Maps a core JWT error to the `pocket_sign.errors` class named after aws-jwt-verify's
/// (`aws_jwt_verify_class()`), with the core's `kind()` as its `kind`.
pub fn map_jwt(e: JwtError) -> PyErr {
    err(jwt_class(e.aws_jwt_verify_class()), e.kind(), e.to_string())
}

/// Maps a core ALB error to `pocket_sign.errors` (aws-jwt-verify's ALB classes where they
/// exist), with the core's `kind()` as its `kind`.
pub fn map_alb(e: AlbError) -> PyErr {
    err(jwt_class(e.aws_jwt_verify_class()), e.kind(), e.to_string())
}

/// Converts a JSON value to the Python object `json.loads` would build (dict, list, str,
/// int, float, bool, None), without a JSON round trip. Integers that fit `i64`/`u64` become
/// `int`; other numbers `float`. Depth is bounded by the core's parser (serde_json: 128).
pub fn value_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(value_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => map_to_py(py, map)?.into_any(),
    })
}

/// Converts a JSON object (claims, a JOSE header) to a Python `dict` (see [`value_to_py`]).
pub fn map_to_py<'py>(py: Python<'py>, map: &Map<String, Value>) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in map {
        dict.set_item(PyString::new(py, k), value_to_py(py, v)?)?;
    }
    Ok(dict)
}

/// The logger of the package, `logging.getLogger("pocket_sign")`, imported once.
static LOGGER: GILOnceCell<Py<PyAny>> = GILOnceCell::new();

// Python `logging` levels.
const DEBUG: u8 = 10;
const INFO: u8 = 20;
const WARNING: u8 = 30;

fn log<'py>(py: Python<'py>, level: u8, msg: &str, args: PyResult<Bound<'py, PyTuple>>) {
    let logger = match LOGGER.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py
            .import("logging")?
            .call_method1("getLogger", ("pocket_sign",))?
            .unbind())
    }) {
        Ok(l) => l.bind(py),
        Err(_) => return,
    };
    let enabled = logger
        .call_method1("isEnabledFor", (level,))
        .and_then(|r| r.is_truthy())
        .unwrap_or(false);
    if !enabled {
        return;
    }
    let Ok(args) = args else {
        return;
    };
    let mut all: Vec<Bound<'_, PyAny>> = Vec::with_capacity(args.len() + 2);
    all.push(
        level
            .into_pyobject(py)
            .map(|v| v.into_any())
            .unwrap_or_else(|_| py.None().into_bound(py)),
    );
    all.push(PyString::new(py, msg).into_any());
    all.extend(args.iter());
    if let Ok(all) = PyTuple::new(py, all) {
        // A failing handler must not turn a verification into an error.
        let _ = logger.call_method1("log", all);
    }
}

/// Forwards the core's key-fetch events ([`KeyEvent`]) to `logging.getLogger("pocket_sign")`:
/// a fetch at INFO (success) or WARNING (failure) with URL and duration in ms, a cool-down
/// refusal at DEBUG. Events carry URLs and fetch errors only, never a token or a key.
#[derive(Debug, Default)]
pub struct PyLogSink;

impl KeyEventSink for PyLogSink {
    fn on_event(&self, event: &KeyEvent<'_>) {
        Python::with_gil(|py| match event {
            KeyEvent::Fetch {
                url,
                duration,
                error: None,
            } => log(
                py,
                INFO,
                "key fetch %s: ok in %.1f ms",
                (*url, duration.as_secs_f64() * 1000.0).into_pyobject(py),
            ),
            KeyEvent::Fetch {
                url,
                duration,
                error: Some(e),
            } => log(
                py,
                WARNING,
                "key fetch %s: failed in %.1f ms: %s",
                (*url, duration.as_secs_f64() * 1000.0, e.to_string()).into_pyobject(py),
            ),
            KeyEvent::CoolDown { url } => log(
                py,
                DEBUG,
                "key lookup at %s refused without fetching: refetch cool-down running",
                (*url,).into_pyobject(py),
            ),
            _ => {}
        })
    }
}

/// The sink every native verifier is built with.
pub fn log_sink() -> Arc<dyn KeyEventSink> {
    Arc::new(PyLogSink)
}
