//! The one error shape of the package: a stable `kind`, the `domain` it comes from and a
//! one-sentence message. In JavaScript it is thrown as a real `Error` (name `PocketSignError`)
//! carrying `kind` and `domain` properties.

use alloc::string::{String, ToString};
use core::fmt::{Debug, Write as _};
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
    /// Extra plain data copied onto the JS error as properties (e.g. `expiry` and `now` for an
    /// expired token, `violations` for `pocket.toml` constraint errors). Never secret material.
    pub details: Option<serde_json::Map<String, serde_json::Value>>,
}

impl BindingError {
    /// An error from `domain` with a stable `kind` and a message.
    pub fn new(domain: Domain, kind: &str, message: impl ToString) -> Self {
        BindingError {
            domain,
            kind: kind.to_string(),
            message: message.to_string(),
            details: None,
        }
    }

    /// Adds a property copied onto the JS error.
    #[must_use]
    pub fn with_detail(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.details
            .get_or_insert_with(serde_json::Map::new)
            .insert(key.to_string(), value.into());
        self
    }

    /// An error of `domain` from a core error: `kind` is the enum variant's name (from its
    /// derived `Debug`, which starts with the variant name; only that name is kept, never the
    /// payload), `message` its `Display` text.
    pub fn from_core<E: Debug + core::fmt::Display>(domain: Domain, err: &E) -> Self {
        BindingError::new(domain, &variant_name(err), err)
    }

    /// A `kind: "InvalidArgument"` error for JS input of the wrong type or out of range.
    pub fn invalid_argument(message: impl ToString) -> Self {
        BindingError::new(Domain::Input, "InvalidArgument", message)
    }
}

/// The leading identifier of `value`'s `Debug` output: for a derived `Debug` of an enum, the
/// variant name (`Expired { .. }` → `Expired`). Falls back to `Error` when empty.
pub fn variant_name<E: Debug>(value: &E) -> String {
    let mut full = String::new();
    // Writing into a String cannot fail.
    let _ = write!(full, "{value:?}");
    let name: String = full
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if name.is_empty() {
        String::from("Error")
    } else {
        name
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
    if let Some(details) = &err.details {
        let obj: &js_sys::Object = js_err.unchecked_ref();
        for (key, value) in details {
            // Plain JSON data (numbers, strings, arrays of objects) → a JS value.
            let js_value = serde_json::to_string(value)
                .ok()
                .and_then(|text| js_sys::JSON::parse(&text).ok())
                .unwrap_or(JsValue::NULL);
            let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), &js_value);
        }
    }
    js_err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    #[allow(dead_code)]
    enum Sample {
        Unit,
        Tuple(String),
        Struct { a: u64 },
    }

    #[test]
    fn variant_name_keeps_only_the_name() {
        assert_eq!(variant_name(&Sample::Unit), "Unit");
        assert_eq!(variant_name(&Sample::Tuple("secret".into())), "Tuple");
        assert_eq!(variant_name(&Sample::Struct { a: 1 }), "Struct");
        assert_eq!(variant_name(&""), "Error");
    }

    #[test]
    fn details_accumulate() {
        let e = BindingError::invalid_argument("x")
            .with_detail("a", 1)
            .with_detail("b", "c");
        let d = e.details.unwrap();
        assert_eq!(d["a"], 1);
        assert_eq!(d["b"], "c");
    }
}
