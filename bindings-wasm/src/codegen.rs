//! CloudFront Function generation from `pocket.toml` text: the same viewer-request functions
//! as `pocket-sign cf-function` (SPA fallback, token gate reading `token_secret` from
//! KeyValueStore, API headers, host redirect, basic auth). Wraps
//! [`pocket_sign_core::codegen`].

use alloc::{string::String, vec::Vec};

use pocket_sign_core::codegen::{self, CodegenError, ConfigError, PocketConfig};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use crate::error::{BindingError, Detail, Domain};
use crate::js::{json_arg, string_arg, throw, to_js_value, JsResult};

/// Options of `generateCloudFrontFunctions`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenerateOptions {
    /// The `[cloudfront.NAME]` distribution to generate for (required).
    pub distribution: String,
    /// Stage whose `[STAGE.cloudfront.NAME]` overrides are merged in.
    #[serde(default)]
    pub stage: Option<String>,
    /// Only this behavior: `"default"` or an exact `path_pattern`.
    #[serde(default)]
    pub route: Option<String>,
    /// File name used in error messages (default `pocket.toml`).
    #[serde(default)]
    pub file: Option<String>,
}

/// One generated function, as returned to JS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsFunction {
    /// Function name (`[A-Za-z0-9_-]{1,64}`).
    pub name: String,
    /// `cloudfront-js-2.0`.
    pub runtime: String,
    /// Cache behavior: `default` or the path pattern.
    pub behavior: String,
    /// JavaScript source (at most 10 KB).
    pub code: String,
    /// KeyValueStore keys the function reads.
    pub kvs_keys: Vec<String>,
    /// The keys of `kvs_keys` that may be absent (`token_secret_previous`).
    pub optional_kvs_keys: Vec<String>,
}

fn config_error(e: &ConfigError) -> BindingError {
    let mut err = BindingError::new(Domain::Codegen, e.kind(), e);
    if let ConfigError::Constraints(violations) = e {
        let list: Vec<Value> = violations
            .iter()
            .map(|v| {
                json!({
                    "file": v.file, "distribution": v.distribution, "route": v.route,
                    "rule": v.rule, "message": v.message,
                })
            })
            .collect();
        // `Value`'s Display is its JSON text and cannot fail.
        err = err
            .with_detail("violations", Detail::Json(Value::Array(list).to_string()))
            .with_detail("rules", Detail::Json(Value::from(e.rules()).to_string()));
    }
    err
}

fn codegen_error(e: &CodegenError) -> BindingError {
    BindingError::new(Domain::Codegen, e.kind(), e)
}

/// Reads `toml_text` (stage merge and constraints as [`PocketConfig::from_toml_str_named`])
/// and generates the functions of one distribution ([`codegen::generate`]).
///
/// Errors (`kind`, domain `codegen`): `Toml`, `Schema`, `UnknownStage`, `Constraints` (with
/// `violations` and `rules`), `UnknownDistribution`, `UnknownRoute`, `TooLarge`.
pub fn generate(toml_text: &str, opts: &GenerateOptions) -> Result<Vec<JsFunction>, BindingError> {
    let file = opts.file.as_deref().unwrap_or("pocket.toml");
    let config = PocketConfig::from_toml_str_named(file, toml_text, opts.stage.as_deref())
        .map_err(|e| config_error(&e))?;
    let functions = codegen::generate(&config, &opts.distribution, opts.route.as_deref())
        .map_err(|e| codegen_error(&e))?;
    Ok(functions
        .into_iter()
        .map(|f| JsFunction {
            name: f.name,
            runtime: f.runtime,
            behavior: f.behavior,
            code: f.code,
            kvs_keys: f.kvs_keys,
            optional_kvs_keys: f.optional_kvs_keys,
        })
        .collect())
}

// ---------------------------------------------------------------------------------------
// wasm-bindgen exports

#[wasm_bindgen(typescript_custom_section)]
const TS_CODEGEN: &'static str = r#"
/** Options of `generateCloudFrontFunctions`. */
export interface GenerateOptions {
  /** The `[cloudfront.NAME]` distribution. */
  distribution: string;
  /** Stage whose `[STAGE.cloudfront.NAME]` overrides are merged in. */
  stage?: string;
  /** Only this cache behavior: `"default"` or an exact `path_pattern`. */
  route?: string;
  /** File name used in error messages (default `pocket.toml`). */
  file?: string;
}

/** A generated viewer-request CloudFront Function. */
export interface CloudFrontFunction {
  name: string;
  /** Always `"cloudfront-js-2.0"`. */
  runtime: string;
  /** `"default"` or the route's path pattern. */
  behavior: string;
  /** JavaScript source (at most 10 KB). */
  code: string;
  /** KeyValueStore keys the function reads (`token_secret`, `token_secret_previous`, `basic_auth`). */
  kvsKeys: string[];
  /** The keys of `kvsKeys` that may be absent (`token_secret_previous`, set only during an SPA token secret rotation); the others must exist. */
  optionalKvsKeys: string[];
}
"#;

/// `generateCloudFrontFunctions(pocketToml: string, options: GenerateOptions):
/// CloudFrontFunction[]` — the viewer-request functions for one distribution (may be empty
/// when no behavior needs one). Throws `PocketSignError` (domain `codegen`) with kind `Toml`,
/// `Schema`, `UnknownStage`, `Constraints` (plus `violations` / `rules` properties),
/// `UnknownDistribution`, `UnknownRoute`, `TooLarge`; or `InvalidArgument`.
#[wasm_bindgen(
    js_name = generateCloudFrontFunctions,
    unchecked_return_type = "CloudFrontFunction[]"
)]
pub fn js_generate(
    #[wasm_bindgen(js_name = pocketToml, unchecked_param_type = "string")] pocket_toml: JsValue,
    #[wasm_bindgen(unchecked_param_type = "GenerateOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let text = throw(string_arg(&pocket_toml, "pocketToml"))?;
    let opts: GenerateOptions = throw(json_arg(&options, "options", false))?;
    to_js_value(&throw(generate(&text, &opts))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEB: &str = r#"
[awscontainer.secrets.managed]
SPA_TOKEN_SECRET = { type = "spa_token_secret" }
[cloudfront.web]
token_secret = "SPA_TOKEN_SECRET"
routes = [{ is_default = true, is_spa = true, require_token = true }]
"#;

    fn opts(d: &str) -> GenerateOptions {
        GenerateOptions {
            distribution: d.into(),
            ..GenerateOptions::default()
        }
    }

    #[test]
    fn generates_the_gate() {
        let f = generate(WEB, &opts("web")).unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].runtime, "cloudfront-js-2.0");
        assert_eq!(f[0].kvs_keys, ["token_secret", "token_secret_previous"]);
        assert_eq!(f[0].optional_kvs_keys, ["token_secret_previous"]);
        assert!(f[0].code.contains("pocket-spa-token"));
    }

    #[test]
    fn error_kinds() {
        assert_eq!(generate("[[", &opts("web")).unwrap_err().kind, "Toml");
        assert_eq!(
            generate(WEB, &opts("nope")).unwrap_err().kind,
            "UnknownDistribution"
        );
        // A token gate without a token secret violates a constraint.
        let bad = "[cloudfront.web]\nroutes = [{ is_default = true, is_spa = true, require_token = true }]\n";
        let e = generate(bad, &opts("web")).unwrap_err();
        assert_eq!(e.kind, "Constraints");
        let Some((_, crate::error::Detail::Json(text))) =
            e.details.iter().find(|(k, _)| *k == "violations")
        else {
            panic!("no violations detail: {:?}", e.details)
        };
        let violations: Value = serde_json::from_str(text).unwrap();
        assert!(violations.as_array().is_some_and(|v| !v.is_empty()));
    }
}
