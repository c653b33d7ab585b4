//! The one error shape of the package: a stable `kind`, the `domain` it comes from and a
//! one-sentence message. In JavaScript it is thrown as a real `Error` (name `PocketSignError`)
//! carrying `kind` and `domain` properties.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use wasm_bindgen::JsCast;

/// Where an error comes from; becomes the `domain` property of the thrown JS `Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// A JS argument of the wrong type or out of range (kind `InvalidArgument`).
    Input,
    /// SPA token parsing and verification (`pocket_sign_core::spa_token`).
    SpaToken,
    /// JWT parsing and verification (`pocket_sign_core::jwt`).
    Jwt,
    /// CloudFront policy building (`pocket_sign_core::cloudfront`).
    CloudFront,
    /// `pocket.toml` parsing and CloudFront Function generation (`pocket_sign_core::codegen`).
    Codegen,
}

impl Domain {
    /// The stable string of the `domain` property: `input`, `spaToken`, `jwt`, `cloudfront`,
    /// `codegen`.
    pub fn as_str(self) -> &'static str {
        match self {
            Domain::Input => "input",
            Domain::SpaToken => "spaToken",
            Domain::Jwt => "jwt",
            Domain::CloudFront => "cloudfront",
            Domain::Codegen => "codegen",
        }
    }
}

/// A plain-data property of a thrown error (see [`BindingError::details`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    /// A JS number (unix seconds, counts).
    Number(f64),
    /// A JS string (a fixed name, e.g. the aws-jwt-verify class).
    Name(&'static str),
    /// JSON text, handed to `JSON.parse` (lists and objects, e.g. `pocket.toml` violations).
    Json(String),
}

/// An error of the binding layer. `kind` is a stable name (the core error's `kind()`, e.g.
/// `Expired`, `BadSignature`, or `InvalidArgument` for bad JS input); `message` is one sentence
/// for a person and never contains secret or key material (the core guarantees this for its
/// messages, and the binding's own messages name only the argument).
#[derive(Debug, Clone, PartialEq)]
pub struct BindingError {
    /// Where the error comes from.
    pub domain: Domain,
    /// Stable machine-readable name.
    pub kind: String,
    /// One human-readable sentence.
    pub message: String,
    /// Extra plain data copied onto the JS error as properties (e.g. `expiry` and `now` for an
    /// expired token, `violations` for `pocket.toml` constraint errors). Never secret material.
    pub details: Vec<(&'static str, Detail)>,
}

impl BindingError {
    /// An error from `domain` with a stable `kind` and a message.
    pub fn new(domain: Domain, kind: &str, message: impl ToString) -> Self {
        BindingError {
            domain,
            kind: kind.to_string(),
            message: message.to_string(),
            details: Vec::new(),
        }
    }

    /// Adds a property copied onto the JS error.
    #[must_use]
    pub fn with_detail(mut self, key: &'static str, value: Detail) -> Self {
        self.details.push((key, value));
        self
    }

    /// A `kind: "InvalidArgument"` error for JS input of the wrong type or out of range.
    pub fn invalid_argument(message: impl ToString) -> Self {
        BindingError::new(Domain::Input, "InvalidArgument", message)
    }
}

// The `PocketSignError` class lives in the package's `errors.js` (one module shared by every
// entry, so `instanceof` works whichever entry threw). `raw_module` keeps the import specifier
// as written, relative to the wasm-bindgen glue: `pkg/pocket_sign_wasm.js` for the full build,
// `pkg/spa/pocket_sign_spa.js` for the SPA build.
#[cfg_attr(
    feature = "full",
    wasm_bindgen::prelude::wasm_bindgen(raw_module = "./errors.js")
)]
#[cfg_attr(
    not(feature = "full"),
    wasm_bindgen::prelude::wasm_bindgen(raw_module = "../errors.js")
)]
extern "C" {
    #[wasm_bindgen(js_name = "PocketSignError")]
    type JsPocketSignError;

    #[wasm_bindgen(constructor, js_class = "PocketSignError")]
    fn new(message: &str, kind: &str, domain: &str) -> JsPocketSignError;
}

/// Converts a [`BindingError`] into the JS value wasm-bindgen throws: an instance of the
/// package's exported `PocketSignError` class (a subclass of `Error`, `name`
/// `"PocketSignError"`) with string properties `kind` and `domain`, plus the detail
/// properties.
pub fn to_js(err: BindingError) -> wasm_bindgen::JsValue {
    use wasm_bindgen::JsValue;
    let js_err: JsValue =
        JsPocketSignError::new(&err.message, &err.kind, err.domain.as_str()).into();
    let obj: &js_sys::Object = js_err.unchecked_ref();
    for (key, value) in &err.details {
        let js_value = match value {
            Detail::Number(n) => JsValue::from_f64(*n),
            Detail::Name(name) => JsValue::from_str(name),
            Detail::Json(text) => js_sys::JSON::parse(text).unwrap_or(JsValue::NULL),
        };
        let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), &js_value);
    }
    js_err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_accumulate_in_order() {
        let e = BindingError::invalid_argument("x")
            .with_detail("a", Detail::Number(1.0))
            .with_detail("b", Detail::Json("[1]".into()));
        assert_eq!(
            e.details,
            [
                ("a", Detail::Number(1.0)),
                ("b", Detail::Json("[1]".into()))
            ]
        );
    }
}
