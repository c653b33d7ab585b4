//! Mapping of core errors to the Python exception hierarchy of `pocket_sign.errors`.
//!
//! The exception classes are defined in Python (`python/pocket_sign/errors.py`) because several
//! of them derive from both `PocketSignError` and `ValueError`, which PyO3's
//! `create_exception!` (one base) cannot express. The classes are imported once per
//! interpreter and cached.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::PyType;

static ERRORS_MODULE: GILOnceCell<Py<PyModule>> = GILOnceCell::new();

/// Builds an exception of class `pocket_sign.errors.<class_name>` with `message`, and sets
/// its `kind` attribute to `kind` (the core's stable error kind).
///
/// Falls back to `RuntimeError` if the class cannot be found (never expected: the class
/// names used by this crate are all defined in `errors.py` and checked by the tests).
pub fn py_error(py: Python<'_>, class_name: &str, kind: &str, message: String) -> PyErr {
    let module = match ERRORS_MODULE
        .get_or_try_init(py, || py.import("pocket_sign.errors").map(|m| m.unbind()))
    {
        Ok(m) => m.bind(py),
        Err(e) => return e,
    };
    let class = match module
        .getattr(class_name)
        .and_then(|c| c.downcast_into::<PyType>().map_err(PyErr::from))
    {
        Ok(c) => c,
        Err(_) => {
            return PyRuntimeError::new_err(format!("{class_name}: {message}"));
        }
    };
    match class.call1((message.clone(),)) {
        Ok(instance) => {
            // `kind` is informative; failing to set it must not mask the real error.
            let _ = instance.setattr("kind", kind);
            PyErr::from_value(instance)
        }
        Err(e) => e,
    }
}

/// Shorthand for [`py_error`] acquiring the GIL (for use after `allow_threads`).
pub fn err(class_name: &str, kind: &str, message: impl Into<String>) -> PyErr {
    let message = message.into();
    Python::with_gil(|py| py_error(py, class_name, kind, message))
}

/// The current unix time in seconds from the core's one clock
/// ([`pocket_sign_core::time::unix_now`]); a system clock before 1970 raises
/// `ParameterValidationError` instead of verifying at unix time 0.
pub fn unix_now() -> PyResult<u64> {
    pocket_sign_core::time::unix_now().map_err(|e| {
        err(
            "ParameterValidationError",
            "ParameterValidationError",
            e.to_string(),
        )
    })
}
