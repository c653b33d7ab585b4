//! JWT helpers: an explicitly UNVERIFIED decode, and synchronous verification against a JWKS
//! with the core's checks (signature with the `kid`-selected key, then `exp`/`nbf`/`iat`,
//! issuer, audience, scopes, Cognito `token_use`/`client_id`/groups). Wraps
//! [`pocket_sign_core::jwt`]; the RustCrypto back end runs in wasm, so no WebCrypto promise is
//! involved and `verifyJwt` is synchronous in browsers too.

use alloc::{format, string::String, vec::Vec};

use pocket_sign_core::jwt::{self, JwkSet, JwtError, TokenUse, VerifyOptions};
use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use crate::args::whole_seconds;
use crate::error::{BindingError, Domain};
use crate::js::{json_arg, now_arg, string_arg, throw, to_js_value, JsResult};

/// `decodeJwt` result: the header and payload as parsed, flagged as unverified.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnverifiedJwt {
    /// Always `false`: nothing in this value was checked.
    pub verified: bool,
    /// The protected header object.
    pub header: Map<String, Value>,
    /// The payload (claims) object.
    pub payload: Map<String, Value>,
}

fn jwt_error(e: &JwtError) -> BindingError {
    BindingError::new(Domain::Jwt, e.kind(), e)
}

/// Parses a compact JWS strictly ([`jwt::decode`]: base64url without padding, `alg` known and
/// not `none`, JSON objects, at most 16 KiB) WITHOUT checking the signature or any claim.
///
/// Errors: `JwtParseError`, `JwtInvalidSignatureAlgorithmError`.
pub fn decode_jwt(token: &str) -> Result<UnverifiedJwt, BindingError> {
    let decoded = jwt::decode(token).map_err(|e| jwt_error(&e))?;
    Ok(UnverifiedJwt {
        verified: false,
        header: decoded.header.raw,
        payload: decoded.claims,
    })
}

/// Options of `verifyJwt` in their JS (camelCase, aws-jwt-verify-like) form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsVerifyOptions {
    /// The core options.
    pub issuers: Vec<String>,
    /// `audience`.
    pub audiences: Option<Vec<String>>,
    /// `tokenUse`: `"access"`, `"id"`, or `null`/`"any"` (either).
    pub token_use: Option<TokenUse>,
    /// `clientId`.
    pub client_ids: Option<Vec<String>>,
    /// `graceSeconds`.
    pub grace_seconds: u64,
    /// `maxAgeSeconds`.
    pub max_age_seconds: Option<u64>,
    /// `groups`.
    pub groups: Option<Vec<String>>,
    /// `scope`.
    pub scopes: Vec<String>,
    /// `now` (unix seconds); `None`: the JS clock.
    pub now: Option<u64>,
}

const OPTION_NAMES: &[&str] = &[
    "issuer",
    "audience",
    "tokenUse",
    "clientId",
    "graceSeconds",
    "maxAgeSeconds",
    "groups",
    "scope",
    "now",
];

fn bad_option(name: &str, what: &str) -> BindingError {
    BindingError::invalid_argument(format!("options.{name} must be {what}."))
}

/// A string or an array of strings (aws-jwt-verify accepts both for issuer, audience,
/// clientId, groups, scope).
fn strings(map: &Map<String, Value>, name: &str) -> Result<Option<Vec<String>>, BindingError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(alloc::vec![s.clone()])),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(String::from)
                    .ok_or_else(|| bad_option(name, "a string or an array of strings"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(bad_option(name, "a string or an array of strings")),
    }
}

fn seconds(map: &Map<String, Value>, name: &str) -> Result<Option<u64>, BindingError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            let v = n
                .as_f64()
                .ok_or_else(|| bad_option(name, "a whole number of seconds"))?;
            whole_seconds(v, &format!("options.{name}")).map(Some)
        }
        Some(_) => Err(bad_option(name, "a whole number of seconds")),
    }
}

impl JsVerifyOptions {
    /// Reads the JS options object (as JSON). `issuer` is required (a string or array of
    /// strings); unknown keys are refused so that a misspelt check is never silently skipped.
    /// `clientId` (or, for a non-Cognito issuer, `audience`) must be present: a non-empty
    /// string or array of non-empty strings, or an explicit `null` (accept every client, as
    /// aws-jwt-verify's `clientId: null`); absent both, or empty, is `InvalidArgument`.
    ///
    /// Errors: `InvalidArgument` naming the option.
    pub fn from_json(value: &Value) -> Result<Self, BindingError> {
        let map = value.as_object().ok_or_else(|| {
            BindingError::invalid_argument("options must be an object with at least `issuer`.")
        })?;
        if let Some(unknown) = map.keys().find(|k| !OPTION_NAMES.contains(&k.as_str())) {
            return Err(BindingError::invalid_argument(format!(
                "options.{unknown} is not a known option (known: {}).",
                OPTION_NAMES.join(", ")
            )));
        }
        let issuers = strings(map, "issuer")?
            .filter(|v| !v.is_empty())
            .ok_or_else(|| bad_option("issuer", "a string or a non-empty array of strings"))?;
        let token_use = match map.get("tokenUse") {
            None => None,
            Some(Value::Null) => Some(TokenUse::Any),
            Some(Value::String(s)) => Some(
                s.parse::<TokenUse>()
                    .map_err(|_| bad_option("tokenUse", "\"access\", \"id\", \"any\" or null"))?,
            ),
            Some(_) => {
                return Err(bad_option(
                    "tokenUse",
                    "\"access\", \"id\", \"any\" or null",
                ))
            }
        };
        // The client / audience binding is never silently off (aws-jwt-verify requires
        // `clientId` / `audience`; only an explicit `null` disables the check).
        if !map.contains_key("clientId") && !map.contains_key("audience") {
            return Err(BindingError::invalid_argument(
                "options.clientId is required: the app client id(s), or null to accept every \
                 client explicitly (options.audience may bind a non-Cognito issuer instead).",
            ));
        }
        let binding = |name: &str| -> Result<Option<Vec<String>>, BindingError> {
            let v = strings(map, name)?;
            if v.as_ref()
                .is_some_and(|ids| ids.is_empty() || ids.iter().any(String::is_empty))
            {
                return Err(bad_option(
                    name,
                    "a non-empty string, a non-empty array of non-empty strings, or null",
                ));
            }
            Ok(v)
        };
        Ok(JsVerifyOptions {
            issuers,
            audiences: binding("audience")?,
            token_use,
            client_ids: binding("clientId")?,
            grace_seconds: seconds(map, "graceSeconds")?.unwrap_or(0),
            max_age_seconds: seconds(map, "maxAgeSeconds")?,
            groups: strings(map, "groups")?,
            scopes: strings(map, "scope")?.unwrap_or_default(),
            now: seconds(map, "now")?,
        })
    }

    /// The core [`VerifyOptions`].
    pub fn to_core(&self) -> VerifyOptions {
        VerifyOptions {
            issuers: self.issuers.clone(),
            audiences: self.audiences.clone(),
            token_use: self.token_use,
            client_ids: self.client_ids.clone(),
            grace_seconds: self.grace_seconds,
            max_age_seconds: self.max_age_seconds,
            groups: self.groups.clone(),
            scopes: self.scopes.clone(),
            custom_check: None,
        }
    }
}

/// Verifies `token` against the JWKS document `jwks_json` ([`JwkSet::from_json`]: at most
/// 256 KiB, 100 keys) with `opts` at `now` (unix seconds) and returns the verified payload:
/// [`jwt::verify_with_jwks`] (HS* refused, key chosen by `kid`, signature, then every claim
/// check).
///
/// Errors: the core's `JwtError` kinds (aws-jwt-verify class names such as
/// `JwtExpiredError`, `JwtInvalidSignatureError`, `KidNotFoundInJwksError`,
/// `JwksValidationError`, `ParameterValidationError`).
pub fn verify_jwt(
    token: &str,
    jwks_json: &[u8],
    opts: &JsVerifyOptions,
    now: u64,
) -> Result<Map<String, Value>, BindingError> {
    let jwks = JwkSet::from_json(jwks_json).map_err(|e| jwt_error(&e))?;
    jwt::verify_with_jwks(token, &jwks, &opts.to_core(), now).map_err(|e| jwt_error(&e))
}

// ---------------------------------------------------------------------------------------
// wasm-bindgen exports

#[wasm_bindgen(typescript_custom_section)]
const TS_JWT: &'static str = r#"
/** `decodeJwt` result: NOT verified (signature and claims unchecked). */
export interface UnverifiedJwt {
  verified: false;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** Checks `verifyJwt` applies (times in unix seconds; names follow aws-jwt-verify). */
export interface VerifyJwtOptions {
  /** Accepted `iss` values (required). */
  issuer: string | string[];
  /** `aud` must contain one of these; `null`: not checked (explicitly). */
  audience?: string | string[] | null;
  /** Cognito: `"access"`, `"id"`, or `null`/`"any"` for either; absent: no Cognito rules. */
  tokenUse?: "access" | "id" | "any" | null;
  /**
   * Cognito client ids (`client_id` of access tokens, `aud` of id tokens); needs `tokenUse`.
   * Required unless `audience` is given: `null` is the explicit choice to accept every app
   * client (aws-jwt-verify's `clientId: null`); absent or empty throws `InvalidArgument`.
   */
  clientId?: string | string[] | null;
  /** `cognito:groups` must contain one of these. */
  groups?: string | string[];
  /** The `scope` claim must contain one of these. */
  scope?: string | string[];
  /** Clock skew allowed on `exp`, `nbf`, `iat` (seconds, default 0). */
  graceSeconds?: number;
  /** Maximum age from `iat` (seconds). */
  maxAgeSeconds?: number;
  /** Verification time, unix seconds (default: the JS clock). */
  now?: number;
}
"#;

/// `decodeJwt(token: string): UnverifiedJwt` — header and payload of a compact JWS, NOT
/// verified (`verified: false`): never base an access decision on it. Throws kind
/// `JwtParseError`, `JwtInvalidSignatureAlgorithmError` or `InvalidArgument`.
#[wasm_bindgen(js_name = decodeJwt, unchecked_return_type = "UnverifiedJwt")]
pub fn js_decode_jwt(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
) -> JsResult<JsValue> {
    let token = throw(string_arg(&token, "token"))?;
    to_js_value(&throw(decode_jwt(&token))?)
}

/// `verifyJwt(token: string, jwks: string | { keys: object[] }, options: VerifyJwtOptions):
/// Record<string, unknown>` — synchronous verification against a JWKS (JSON text or object)
/// with the core's checks; returns the verified payload. Throws `PocketSignError` with the
/// aws-jwt-verify class name as `kind` (`JwtExpiredError`, `JwtInvalidSignatureError`,
/// `KidNotFoundInJwksError`, `CognitoJwtInvalidTokenUseError`, ...) or `InvalidArgument`.
#[wasm_bindgen(js_name = verifyJwt, unchecked_return_type = "Record<string, unknown>")]
pub fn js_verify_jwt(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | { keys: object[] }")] jwks: JsValue,
    #[wasm_bindgen(unchecked_param_type = "VerifyJwtOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let token = throw(string_arg(&token, "token"))?;
    let jwks_text: String = match jwks.as_string() {
        // Not string_arg: a JWKS that is not valid Unicode is the core's JwksValidationError.
        Some(text) => text,
        None => {
            let v: Value = throw(json_arg(&jwks, "jwks", false))?;
            v.to_string()
        }
    };
    let opts_json: Value = throw(json_arg(&options, "options", false))?;
    let opts = throw(JsVerifyOptions::from_json(&opts_json))?;
    let now = match opts.now {
        Some(n) => n,
        None => throw(now_arg(None))?,
    };
    to_js_value(&throw(verify_jwt(
        &token,
        jwks_text.as_bytes(),
        &opts,
        now,
    ))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn options_from_json() {
        let o = JsVerifyOptions::from_json(&json!({
            "issuer": "https://iss", "tokenUse": "access", "clientId": ["a", "b"],
            "graceSeconds": 5, "scope": "openid", "now": 1700000000
        }))
        .unwrap();
        assert_eq!(o.issuers, ["https://iss"]);
        assert_eq!(o.token_use, Some(TokenUse::Access));
        assert_eq!(o.client_ids.as_deref(), Some(&["a".into(), "b".into()][..]));
        assert_eq!((o.grace_seconds, o.now), (5, Some(1_700_000_000)));
        assert_eq!(o.scopes, ["openid"]);
        let any =
            JsVerifyOptions::from_json(&json!({"issuer": "i", "tokenUse": null, "clientId": null}))
                .unwrap();
        assert_eq!(any.token_use, Some(TokenUse::Any));
        assert_eq!(any.client_ids, None);
        let aud = JsVerifyOptions::from_json(&json!({"issuer": "i", "audience": "api"})).unwrap();
        assert_eq!(aud.audiences.as_deref(), Some(&["api".into()][..]));
    }

    #[test]
    fn options_refuse_typos_and_missing_issuer() {
        for bad in [
            json!({"issuer": "i", "clientID": "x"}),
            json!({"tokenUse": "id", "clientId": "c"}),
            // The client id check is never silently off: absent, empty string, empty array.
            json!({"issuer": "i", "tokenUse": "access"}),
            json!({"issuer": "i", "clientId": ""}),
            json!({"issuer": "i", "clientId": []}),
            json!({"issuer": "i", "clientId": ["c", ""]}),
            json!({"issuer": "i", "audience": ""}),
            json!({"issuer": [], "clientId": "c"}),
            json!({"issuer": "i", "tokenUse": "refresh", "clientId": "c"}),
            json!({"issuer": "i", "graceSeconds": -1, "clientId": "c"}),
            json!({"issuer": "i", "groups": [1], "clientId": "c"}),
            json!("i"),
        ] {
            let e = JsVerifyOptions::from_json(&bad).unwrap_err();
            assert_eq!(e.kind, "InvalidArgument", "{bad}");
        }
    }

    #[test]
    fn decode_is_labelled_unverified() {
        // {"alg":"HS256","typ":"JWT"} . {"sub":"1"} . (garbage signature)
        let t = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2ln";
        let d = decode_jwt(t).unwrap();
        assert!(!d.verified);
        assert_eq!(d.header["alg"], "HS256");
        assert_eq!(d.payload["sub"], "1");
        assert_eq!(decode_jwt("a.b").unwrap_err().kind, "JwtParseError");
    }
}
