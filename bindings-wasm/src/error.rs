//! The one error shape of the package: a stable `kind`, the `domain` it comes from and a
//! one-sentence message. In JavaScript it is thrown as a real `Error` (name `PocketSignError`)
//! carrying `kind` and `domain` properties.

use alloc::string::{String, ToString};

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

/// An error of the binding layer. `kind` is a stable name (the core error variant, e.g.
/// `Expired`, `BadSignature`, or `InvalidArgument` for bad JS input); `message` is one sentence
/// for a person and never contains secret or key material (the core guarantees this for its
/// messages, and the binding's own messages name only the argument).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindingError {
    /// Where the error comes from.
    pub domain: Domain,
    /// Stable machine-readable name.
    pub kind: String,
    /// One human-readable sentence.
    pub message: String,
}

impl BindingError {
    /// An error from `domain` with a stable `kind` and a message.
    pub fn new(domain: Domain, kind: &str, message: impl ToString) -> Self {
        BindingError {
            domain,
            kind: kind.to_string(),
            message: message.to_string(),
        }
    }

    /// A `kind: "InvalidArgument"` error for JS input of the wrong type or out of range.
    pub fn invalid_argument(message: impl ToString) -> Self {
        BindingError::new(Domain::Input, "InvalidArgument", message)
    }
}

/// Converts a [`BindingError`] into the JS value wasm-bindgen throws: a real `Error` whose
/// `name` is `PocketSignError`, with string properties `kind` and `domain`.
pub fn to_js(err: BindingError) -> wasm_bindgen::JsValue {
    use wasm_bindgen::JsValue;
    let js_err = js_sys::Error::new(&err.message);
    js_err.set_name("PocketSignError");
    let obj: &js_sys::Object = js_err.as_ref();
    // Reflect.set on a fresh, extensible Error object cannot fail; ignore its boolean result.
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str("kind"), &JsValue::from_str(&err.kind));
    let _ = js_sys::Reflect::set(
        obj,
        &JsValue::from_str("domain"),
        &JsValue::from_str(err.domain.as_str()),
    );
    js_err.into()
}
