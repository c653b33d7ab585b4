//! CloudFront policy resource matching for the SPA: is this media URL covered by the signed
//! cookies' policy `Resource`? Wraps [`pocket_sign_core::cloudfront::resource_matches`]
//! (present in both the full and the SPA build).

use pocket_sign_core::cloudfront;
use wasm_bindgen::prelude::*;

use crate::js::{string_arg, throw, JsResult};

/// `resourceMatches(pattern: string, url: string): boolean` — whether a policy `Resource`
/// pattern covers `url`, as CloudFront matches it (`*` any run of characters, `?` exactly
/// one, everything else literal and case-sensitive). Throws `InvalidArgument` for a
/// non-string.
#[wasm_bindgen(js_name = resourceMatches)]
pub fn js_resource_matches(
    #[wasm_bindgen(unchecked_param_type = "string")] pattern: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
) -> JsResult<bool> {
    let pattern = throw(string_arg(&pattern, "pattern"))?;
    let url = throw(string_arg(&url, "url"))?;
    Ok(cloudfront::resource_matches(&pattern, &url))
}
