//! Glue between JS values and the pure layer: argument extraction and JSON hand-over.
//! Only meaningful on wasm32 (js-sys calls panic natively), so it holds no logic worth testing
//! natively; everything it feeds is tested in the pure modules and by `node --test`.

use crate::error::{to_js, BindingError};
use alloc::{format, string::String};
use wasm_bindgen::{JsCast, JsValue};

/// The result type of every export: a JS value, or a thrown `PocketSignError`.
pub type JsResult<T> = Result<T, JsValue>;

/// Maps a pure-layer error into the thrown JS `Error`.
pub fn throw<T>(r: Result<T, BindingError>) -> JsResult<T> {
    r.map_err(to_js)
}

/// Requires a JS string that is valid Unicode; `InvalidArgument` (naming `name`) otherwise.
///
/// A JS string is UTF-16 and may hold lone surrogates, which have no UTF-8 form:
/// `JsValue::as_string` would replace them with U+FFFD, so two different JS strings would reach
/// the core as the same text (e.g. two user ids issuing the same token). They are refused.
pub fn string_arg(value: &JsValue, name: &str) -> Result<String, BindingError> {
    let js: &js_sys::JsString = value
        .dyn_ref()
        .ok_or_else(|| BindingError::invalid_argument(format!("{name} must be a string.")))?;
    if !js.is_valid_utf16() {
        return Err(BindingError::invalid_argument(format!(
            "{name} is not valid Unicode (it contains a lone surrogate)."
        )));
    }
    Ok(String::from(js))
}

/// An optional JS number: `undefined`/`null` → `None`; a number → `Some`; anything else
/// (including numeric strings) → `InvalidArgument` naming `name`.
pub fn optional_number_arg(value: &JsValue, name: &str) -> Result<Option<f64>, BindingError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .as_f64()
        .map(Some)
        .ok_or_else(|| BindingError::invalid_argument(format!("{name} must be a number.")))
}

/// `now` in unix seconds: the given number, or the JS clock (`Date.now()`, floored to whole
/// seconds) when `None`.
pub fn now_arg(value: Option<f64>) -> Result<u64, BindingError> {
    match value {
        Some(v) => crate::args::whole_seconds(v, "now"),
        None => crate::args::whole_seconds((js_sys::Date::now() / 1000.0).floor(), "now"),
    }
}

/// `now` from an optional JS number argument (see [`optional_number_arg`] and [`now_arg`]).
pub fn now_value_arg(value: &JsValue) -> Result<u64, BindingError> {
    now_arg(optional_number_arg(value, "now")?)
}

/// Serializes a JS value with `JSON.stringify` (strings are passed through as JSON text when
/// `string_is_json` is set) and parses it into `T`.
pub fn json_arg<T: serde::de::DeserializeOwned>(
    value: &JsValue,
    name: &str,
    string_is_json: bool,
) -> Result<T, BindingError> {
    let text: String = match value.as_string() {
        Some(_) if string_is_json => string_arg(value, name)?,
        _ => js_sys::JSON::stringify(value)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| {
                BindingError::invalid_argument(format!(
                    "{name} must be a JSON-serializable object."
                ))
            })?,
    };
    serde_json::from_str(&text)
        .map_err(|e| BindingError::invalid_argument(format!("{name} is not valid: {e}.")))
}

/// Hands a serializable Rust value to JS as a plain object (via JSON text and `JSON.parse`).
pub fn to_js_value<T: serde::Serialize>(value: &T) -> JsResult<JsValue> {
    let text = serde_json::to_string(value).map_err(|e| {
        to_js(BindingError::new(
            crate::error::Domain::Input,
            "Internal",
            format!("result could not be serialized: {e}."),
        ))
    })?;
    js_sys::JSON::parse(&text)
}
