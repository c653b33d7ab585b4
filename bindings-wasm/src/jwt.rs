//! JWT helpers: an explicitly UNVERIFIED decode, and synchronous verification against a JWKS
//! with the core's checks (signature with the `kid`-selected key, then `exp`/`nbf`/`iat`,
//! issuer, audience, scopes, Cognito `token_use`/`client_id`/groups). Wraps
//! [`pocket_sign_core::jwt`]; the RustCrypto back end runs in wasm, so no WebCrypto promise is
//! involved and `verifyJwt` is synchronous in browsers too.

use alloc::string::String;
#[cfg(feature = "full")]
use alloc::{format, vec::Vec};
#[cfg(feature = "full")]
use serde_json::{Map, Value};

use pocket_sign_core::jwt::{self, JwtError};
#[cfg(feature = "full")]
use pocket_sign_core::jwt::{JwkSet, TokenUse, VerifyOptions};
use wasm_bindgen::prelude::*;

#[cfg(feature = "full")]
use crate::args::whole_seconds;
use crate::error::{BindingError, Detail, Domain};
#[cfg(feature = "full")]
use crate::js::{json_arg, now_arg};
use crate::js::{string_arg, throw, JsResult};

/// The core's kind, plus the aws-jwt-verify class name as the `awsJwtVerifyClass` property.
fn jwt_error(e: &JwtError) -> BindingError {
    BindingError::new(Domain::Jwt, e.kind(), e)
        .with_detail("awsJwtVerifyClass", Detail::Name(e.aws_jwt_verify_class()))
}

/// The header and payload JSON texts of a token the core has already parsed strictly
/// (`signing_input` is `BASE64URL(header) "." BASE64URL(payload)`, validated by
/// [`jwt::verify_with_jwks`]). Handing these texts to `JSON.parse` keeps the claims in token
/// order.
#[cfg(feature = "full")]
fn segment_texts(signing_input: &str) -> Result<(String, String), BindingError> {
    use base64::Engine as _;
    let internal = || BindingError::new(Domain::Jwt, "Parse", "the token could not be decoded");
    let (h, p) = signing_input.split_once('.').ok_or_else(internal)?;
    let engine = &base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let text = |seg: &str| {
        engine
            .decode(seg)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(internal)
    };
    Ok((text(h)?, text(p)?))
}

/// Inspects `token` strictly ([`jwt::inspect`]: the rules of [`jwt::decode`], base64url
/// without padding, `alg` known and not `none`, JSON objects, at most 16 KiB) WITHOUT checking
/// the signature or any claim, and returns the header and payload as JSON texts, byte for byte
/// as in the token (so their member order is the token's).
///
/// Errors: kind `Parse`, `TooLarge`, `InvalidSignatureAlgorithm`.
pub fn decode_jwt_texts(token: &str) -> Result<(String, String), BindingError> {
    let inspected = jwt::inspect(token).map_err(|e| jwt_error(&e))?;
    Ok((inspected.header_json, inspected.payload_json))
}

/// Seconds from `now` until the token's `exp` claim (`exp - now`, unix seconds; negative once
/// expired), UNVERIFIED; `None` when the payload has no `exp`. A fractional `exp` is kept as
/// is.
///
/// Errors: as [`decode_jwt_texts`].
pub fn jwt_expires_in(token: &str, now: u64) -> Result<Option<f64>, BindingError> {
    let inspected = jwt::inspect(token).map_err(|e| jwt_error(&e))?;
    Ok(inspected.exp.map(|exp| exp - now as f64))
}

#[cfg(feature = "full")]
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

#[cfg(feature = "full")]
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

#[cfg(feature = "full")]
fn bad_option(name: &str, what: &str) -> BindingError {
    BindingError::invalid_argument(format!("options.{name} must be {what}."))
}

#[cfg(feature = "full")]
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

#[cfg(feature = "full")]
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

#[cfg(feature = "full")]
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

#[cfg(feature = "full")]
/// Verifies `token` against the JWKS document `jwks_json` ([`JwkSet::from_json`]: at most
/// 256 KiB, 100 keys) with `opts` at `now` (unix seconds) and returns the verified payload:
/// [`jwt::verify_with_jwks`] (HS* refused, key chosen by `kid`, signature, then every claim
/// check).
///
/// Errors: the core's `JwtError` kinds (aws-jwt-verify class names such as
/// `Expired`, `InvalidSignature`, `KidNotFoundInJwks`, `JwksInvalid`, `ParameterValidation`).
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
const TS_JWT_DECODE: &'static str = r#"
/** The registered JWT header members, plus any others. */
export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
  [member: string]: unknown;
}

/** Registered JWT claims (RFC 7519 §4.1; times in unix seconds) plus Cognito's, plus any others. */
export interface JwtPayload {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  token_use?: "access" | "id";
  client_id?: string;
  scope?: string;
  username?: string;
  "cognito:groups"?: string[];
  [claim: string]: unknown;
}

/** `decodeJwt` result: NOT verified (signature and claims unchecked); members in token order. */
export interface UnverifiedJwt<P = JwtPayload, H = JwtHeader> {
  verified: false;
  header: H;
  payload: P;
}
"#;

#[cfg(feature = "full")]
#[wasm_bindgen(typescript_custom_section)]
const TS_JWT: &'static str = r#"
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
/// verified (`verified: false`): never base an access decision on it. Members keep the
/// token's order (the decoded JSON texts go through `JSON.parse`). Throws kind
/// `Parse`, `TooLarge`, `InvalidSignatureAlgorithm` or `InvalidArgument`.
#[wasm_bindgen(js_name = decodeJwt, unchecked_return_type = "UnverifiedJwt")]
pub fn js_decode_jwt(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
) -> JsResult<JsValue> {
    let token = throw(string_arg(&token, "token"))?;
    let (header, payload) = throw(decode_jwt_texts(&token))?;
    let obj = js_sys::Object::new();
    // Reflect.set on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("verified"), &JsValue::FALSE);
    let _ = js_sys::Reflect::set(
        &obj,
        &JsValue::from_str("header"),
        &js_sys::JSON::parse(&header)?,
    );
    let _ = js_sys::Reflect::set(
        &obj,
        &JsValue::from_str("payload"),
        &js_sys::JSON::parse(&payload)?,
    );
    Ok(obj.into())
}

/// `jwtExpiresIn(token: string, now?: number): number | null` — seconds until the token's
/// `exp` claim (`exp - now`; negative once expired), UNVERIFIED, for timing a refresh; `null`
/// when the token has no numeric `exp`. `now` in unix seconds (default: the clock). Throws
/// kind `Parse`, `TooLarge`, `InvalidSignatureAlgorithm` or `InvalidArgument`.
#[wasm_bindgen(js_name = jwtExpiresIn, unchecked_return_type = "number | null")]
pub fn js_jwt_expires_in(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number")] now: JsValue,
) -> JsResult<JsValue> {
    let token = throw(string_arg(&token, "token"))?;
    let now = throw(crate::js::now_value_arg(&now))?;
    Ok(match throw(jwt_expires_in(&token, now))? {
        Some(left) => JsValue::from_f64(left),
        None => JsValue::NULL,
    })
}

#[cfg(feature = "full")]
/// `verifyJwt(token: string, jwks: string | { keys: object[] }, options: VerifyJwtOptions):
/// Record<string, unknown>` — synchronous verification against a JWKS (JSON text or object)
/// with the core's checks; returns the verified payload. Throws `PocketSignError` with the
/// core's kind (`Expired`, `InvalidSignature`, `KidNotFoundInJwks`, `InvalidTokenUse`, ...) and
/// the aws-jwt-verify class name as `awsJwtVerifyClass` (`JwtExpiredError`, ...), or kind
/// `InvalidArgument`.
#[wasm_bindgen(js_name = verifyJwt, unchecked_return_type = "JwtPayload")]
pub fn js_verify_jwt(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | { keys: object[] }")] jwks: JsValue,
    #[wasm_bindgen(unchecked_param_type = "VerifyJwtOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let token = throw(string_arg(&token, "token"))?;
    let jwks = throw(jwks_arg(&jwks))?;
    let opts = throw(options_arg(&options))?;
    let now = match opts.now {
        Some(n) => n,
        None => throw(now_arg(None))?,
    };
    verified_payload(&token, &jwks, &opts.to_core(), now)
}

/// The JWKS argument (JSON text or a plain object), parsed by the core.
#[cfg(feature = "full")]
fn jwks_arg(jwks: &JsValue) -> Result<JwkSet, BindingError> {
    let jwks_text: String = match jwks.as_string() {
        // Not string_arg: a JWKS that is not valid Unicode is the core's JwksInvalid.
        Some(text) => text,
        None => {
            let v: Value = json_arg(jwks, "jwks", false)?;
            v.to_string()
        }
    };
    JwkSet::from_json(jwks_text.as_bytes()).map_err(|e| jwt_error(&e))
}

#[cfg(feature = "full")]
fn options_arg(options: &JsValue) -> Result<JsVerifyOptions, BindingError> {
    let opts_json: Value = json_arg(options, "options", false)?;
    JsVerifyOptions::from_json(&opts_json)
}

/// Verifies with the core ([`jwt::verify_with_jwks`]) and hands the payload to JS as
/// `JSON.parse` of its text in the token, so the claims keep the token's order.
#[cfg(feature = "full")]
fn verified_payload(
    token: &str,
    jwks: &JwkSet,
    opts: &VerifyOptions,
    now: u64,
) -> JsResult<JsValue> {
    throw(jwt::verify_with_jwks(token, jwks, opts, now).map_err(|e| jwt_error(&e)))?;
    // The core parsed the token strictly: `header.payload.signature`, base64url.
    let signing_input = token.rsplit_once('.').map_or(token, |(head, _)| head);
    let (_, payload) = throw(segment_texts(signing_input))?;
    js_sys::JSON::parse(&payload)
}

/// `new JwksVerifier(jwks: string | { keys: object[] }, options: VerifyJwtOptions)` — a
/// verifier that parses the JWKS (the RSA moduli and EC points) and the options ONCE and
/// keeps them inside the wasm instance, so each `verify(token)` only checks the signature and
/// the claims: the object to keep for a page or a server process (`verifyJwt` parses the
/// JWKS on every call). Same checks, errors and option names as `verifyJwt`; `options.now`
/// fixes the clock for every call unless `verify` is given one. Throws kind
/// `JwksInvalid` and the other JWKS kinds, or `InvalidArgument`. Call `free()` to
/// release the wasm memory early.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = JwksVerifier)]
pub struct JwksVerifier {
    jwks: JwkSet,
    opts: VerifyOptions,
    now: Option<u64>,
}

#[cfg(feature = "full")]
#[wasm_bindgen(js_class = JwksVerifier)]
impl JwksVerifier {
    /// Parses and keeps the JWKS and the options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string | { keys: object[] }")] jwks: JsValue,
        #[wasm_bindgen(unchecked_param_type = "VerifyJwtOptions")] options: JsValue,
    ) -> JsResult<JwksVerifier> {
        let jwks = throw(jwks_arg(&jwks))?;
        let opts = throw(options_arg(&options))?;
        Ok(JwksVerifier {
            jwks,
            opts: opts.to_core(),
            now: opts.now,
        })
    }

    /// `verify<P = JwtPayload>(token: string, now?: number): P` — the verified payload
    /// (claims in token order). `now` in unix seconds overrides `options.now` and the clock.
    /// Throws the aws-jwt-verify class names as `kind` (see `verifyJwt`).
    #[wasm_bindgen(unchecked_return_type = "JwtPayload")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] now: JsValue,
    ) -> JsResult<JsValue> {
        let token = throw(string_arg(&token, "token"))?;
        let now = match throw(crate::js::optional_number_arg(&now, "now"))? {
            Some(v) => throw(whole_seconds(v, "now"))?,
            None => match self.now {
                Some(n) => n,
                None => throw(now_arg(None))?,
            },
        };
        verified_payload(&token, &self.jwks, &self.opts, now)
    }

    /// `keyCount: number` — how many usable keys the JWKS held (unusable ones are reported
    /// by `verify` when a token names them).
    #[wasm_bindgen(getter, js_name = keyCount)]
    pub fn key_count(&self) -> usize {
        self.jwks.len()
    }
}

#[cfg(all(test, feature = "full"))]
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
    fn decode_keeps_the_token_texts() {
        // {"alg":"HS256","typ":"JWT"} . {"sub":"1"} . (garbage signature)
        let t = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2ln";
        let (header, payload) = decode_jwt_texts(t).unwrap();
        assert_eq!(header, r#"{"alg":"HS256","typ":"JWT"}"#);
        assert_eq!(payload, r#"{"sub":"1"}"#);
        assert_eq!(jwt_expires_in(t, 5).unwrap(), None);
        let e = decode_jwt_texts("a.b").unwrap_err();
        assert_eq!(e.kind, "Parse");
        assert_eq!(
            e.details,
            [("awsJwtVerifyClass", Detail::Name("JwtParseError"))]
        );
    }
}
