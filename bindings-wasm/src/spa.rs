//! magic-pocket SPA tokens (`{user_id}:{expiry_unix}:{hmac_sha256_hex}`, cookie
//! `pocket-spa-token`): unverified parsing for the SPA, verification and issuing for
//! server-side JS. Wraps [`pocket_sign_core::spa_token`].

use alloc::string::String;

#[cfg(feature = "full")]
use pocket_sign_core::spa_token::SpaTokenKey;
use pocket_sign_core::spa_token::{self, SpaTokenError};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[cfg(feature = "full")]
use crate::args::whole_seconds;
use crate::args::MAX_SAFE_INTEGER;
use crate::error::{BindingError, Detail, Domain};
#[cfg(feature = "full")]
use crate::js::{now_arg, optional_number_arg};
#[cfg(feature = "full")]
use crate::js::{now_value_arg, string_arg, throw, JsResult};

/// A token's user id and expiry, as returned to JS: `{ userId: string, expiry: number }`
/// (`expiry` in unix seconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpaTokenInfo {
    /// The user id (magic-pocket: `str(user.pk)`).
    pub user_id: String,
    /// Expiry, unix seconds (the token is valid while `now <= expiry`).
    pub expiry: u64,
}

fn spa_error(e: &SpaTokenError) -> BindingError {
    let err = BindingError::new(Domain::SpaToken, e.kind(), e);
    match e {
        SpaTokenError::Expired { expiry, now } => err
            .with_detail("expiry", Detail::Number(*expiry as f64))
            .with_detail("now", Detail::Number(*now as f64)),
        _ => err,
    }
}

/// JS numbers are exact only up to 2^53 - 1: a token whose expiry lies beyond that (year
/// 285 million) cannot be reported faithfully, so it is refused as `Malformed`.
pub(crate) fn representable(expiry: u64) -> Result<u64, BindingError> {
    if expiry as f64 > MAX_SAFE_INTEGER {
        return Err(BindingError::new(
            Domain::SpaToken,
            "Malformed",
            "malformed token: expiry exceeds 2^53-1, which a JS number cannot hold",
        ));
    }
    Ok(expiry)
}

/// `{ userId, expiry }` as a plain JS object, built directly (no JSON round trip).
pub(crate) fn info_object(user_id: &str, expiry: u64) -> JsValue {
    let obj = js_sys::Object::new();
    // Reflect.set on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(
        &obj,
        &JsValue::from_str("userId"),
        &JsValue::from_str(user_id),
    );
    // expiry <= 2^53 - 1 (checked by `representable`): exact.
    let _ = js_sys::Reflect::set(
        &obj,
        &JsValue::from_str("expiry"),
        &JsValue::from_f64(expiry as f64),
    );
    obj.into()
}

/// Splits `token` without checking its signature: see [`spa_token::parse_strict`].
///
/// Errors: `Malformed` (not three `:`-parts, empty user id, non-canonical expiry, a signature
/// that is not 64 lowercase hex characters, over 4096 bytes, expiry above 2^53-1).
pub fn parse_spa_token(token: &str) -> Result<SpaTokenInfo, BindingError> {
    let parts = spa_token::parse_strict(token).map_err(|e| spa_error(&e))?;
    Ok(SpaTokenInfo {
        user_id: parts.user_id.into(),
        expiry: representable(parts.expiry)?,
    })
}

/// Seconds from `now` until the token's expiry (`expiry - now`, unix seconds), unverified.
/// Zero or more: not yet expired (a token is valid through its expiry second); negative:
/// expired that many seconds ago.
///
/// Errors: as [`parse_spa_token`].
pub fn spa_token_expires_in(token: &str, now: u64) -> Result<i64, BindingError> {
    let info = parse_spa_token(token)?;
    // Both values are at most 2^53 - 1 (now is checked by `whole_seconds`), so this is exact.
    let expiry = i64::try_from(info.expiry).unwrap_or(i64::MAX);
    let now = i64::try_from(now).unwrap_or(i64::MAX);
    Ok(expiry.saturating_sub(now))
}

/// Verifies `token` with the 64-hex-character secret at `now` (unix seconds): see
/// [`SpaTokenKey::verify`] (signature compared in constant time, then `now > expiry` is
/// expired).
///
/// Errors: `InvalidSecret`, `Malformed`, `BadSignature`, `Expired` (with `expiry` and `now`
/// details).
#[cfg(feature = "full")]
pub fn verify_spa_token(
    token: &str,
    secret_hex: &str,
    now: u64,
) -> Result<SpaTokenInfo, BindingError> {
    let key = SpaTokenKey::from_hex(secret_hex).map_err(|e| spa_error(&e))?;
    let verified = key.verify(token, now).map_err(|e| spa_error(&e))?;
    Ok(SpaTokenInfo {
        user_id: verified.user_id.into(),
        expiry: representable(verified.expiry)?,
    })
}

/// Issues a token for `user_id` valid for `max_age` seconds from `now` (expiry =
/// `now + max_age`): see [`SpaTokenKey::issue`].
///
/// Errors: `InvalidSecret`, `InvalidUserId` (empty, contains `:`, too long), `ExpiryOverflow`,
/// `Malformed` when the expiry exceeds 2^53-1.
#[cfg(feature = "full")]
pub fn issue_spa_token(
    user_id: &str,
    secret_hex: &str,
    now: u64,
    max_age: u64,
) -> Result<String, BindingError> {
    let key = SpaTokenKey::from_hex(secret_hex).map_err(|e| spa_error(&e))?;
    let expiry = now
        .checked_add(max_age)
        .ok_or_else(|| spa_error(&SpaTokenError::ExpiryOverflow { now, max_age }))?;
    representable(expiry)?;
    key.sign(user_id, expiry).map_err(|e| spa_error(&e))
}

// ---------------------------------------------------------------------------------------
// wasm-bindgen exports

#[cfg(feature = "full")]
#[wasm_bindgen(typescript_custom_section)]
const TS_SPA: &'static str = r#"
/** A SPA token's user id and expiry (unix seconds; valid while `now <= expiry`). */
export interface SpaTokenInfo {
  userId: string;
  expiry: number;
}
"#;

/// `parseSpaToken(token: string): SpaTokenInfo` — UNVERIFIED split of
/// `user_id:expiry:signature` (the signature must look like one: 64 lowercase hex). The token
/// cookie is HttpOnly, so an SPA reads `session()` instead: full entry only, for tokens a
/// script does hold (tests, server-side JS). Throws `PocketSignError` kind `Malformed`, or
/// `InvalidArgument` for a non-string.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = parseSpaToken, unchecked_return_type = "SpaTokenInfo")]
pub fn js_parse_spa_token(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
) -> JsResult<JsValue> {
    let token = throw(string_arg(&token, "token"))?;
    let info = throw(parse_spa_token(&token))?;
    Ok(info_object(&info.user_id, info.expiry))
}

/// `spaTokenExpiresIn(token: string, now?: number): number` — seconds until the token's
/// expiry (`expiry - now`; negative once expired), UNVERIFIED. `now` is unix seconds,
/// default `Math.floor(Date.now() / 1000)`. Full entry only (the SPA reads `sessionExpiresIn`).
/// Throws kind `Malformed` or `InvalidArgument`.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = spaTokenExpiresIn)]
pub fn js_spa_token_expires_in(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number")] now: JsValue,
) -> JsResult<f64> {
    let token = throw(string_arg(&token, "token"))?;
    let now = throw(now_value_arg(&now))?;
    // |expiry - now| <= 2^53 - 1: exact as f64.
    Ok(throw(spa_token_expires_in(&token, now))? as f64)
}

#[cfg(feature = "full")]
/// `verifySpaToken(token: string, secretHex: string, now?: number): SpaTokenInfo` — checks
/// the HMAC-SHA256 signature (constant time) and the expiry; for server-side JS (the secret
/// must never reach a browser). Throws kind `InvalidSecret`, `Malformed`, `BadSignature`,
/// `Expired` (with `expiry`, `now` properties) or `InvalidArgument`.
#[wasm_bindgen(js_name = verifySpaToken, unchecked_return_type = "SpaTokenInfo")]
pub fn js_verify_spa_token(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(js_name = secretHex, unchecked_param_type = "string")] secret_hex: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number")] now: JsValue,
) -> JsResult<JsValue> {
    let token = throw(string_arg(&token, "token"))?;
    let secret_hex = throw(string_arg(&secret_hex, "secretHex"))?;
    let now = throw(now_value_arg(&now))?;
    let info = throw(verify_spa_token(&token, &secret_hex, now))?;
    Ok(info_object(&info.user_id, info.expiry))
}

#[cfg(feature = "full")]
/// `issueSpaToken(userId: string, secretHex: string, options?: { now?: number, maxAge?:
/// number }): string` — a token valid for `maxAge` seconds (default 604800) from `now`
/// (default: the clock), byte-identical to magic-pocket's `generate_token`; for server-side
/// JS. Throws kind `InvalidSecret`, `InvalidUserId`, `ExpiryOverflow`, `InvalidArgument`.
#[wasm_bindgen(js_name = issueSpaToken)]
pub fn js_issue_spa_token(
    #[wasm_bindgen(js_name = userId, unchecked_param_type = "string")] user_id: JsValue,
    #[wasm_bindgen(js_name = secretHex, unchecked_param_type = "string")] secret_hex: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "{ now?: number; maxAge?: number }")]
    options: JsValue,
) -> JsResult<String> {
    let user_id = throw(string_arg(&user_id, "userId"))?;
    let secret_hex = throw(string_arg(&secret_hex, "secretHex"))?;
    let opts: IssueOptions = if options.is_undefined() || options.is_null() {
        IssueOptions::default()
    } else {
        throw(crate::js::json_arg(&options, "options", false))?
    };
    let now = throw(now_arg(opts.now))?;
    let max_age = match opts.max_age {
        Some(v) => throw(whole_seconds(v, "maxAge"))?,
        None => spa_token::DEFAULT_MAX_AGE,
    };
    throw(issue_spa_token(&user_id, &secret_hex, now, max_age))
}

#[cfg(feature = "full")]
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct IssueOptions {
    now: Option<f64>,
    max_age: Option<f64>,
}

#[cfg(feature = "full")]
/// `spaLoginSetCookie(token: string, maxAge?: number): string` — the `Set-Cookie` value
/// magic-pocket's `spa_login` sends (`pocket-spa-token=…; HttpOnly; Max-Age=…; Path=/;
/// SameSite=Lax; Secure`); `maxAge` in seconds, default 604800.
#[wasm_bindgen(js_name = spaLoginSetCookie)]
pub fn js_spa_login_set_cookie(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(js_name = maxAge, unchecked_optional_param_type = "number")] max_age: JsValue,
) -> JsResult<String> {
    let token = throw(string_arg(&token, "token"))?;
    let max_age = match throw(optional_number_arg(&max_age, "maxAge"))? {
        Some(v) => throw(whole_seconds(v, "maxAge"))?,
        None => spa_token::DEFAULT_MAX_AGE,
    };
    Ok(spa_token::login_set_cookie(&token, max_age))
}

#[cfg(feature = "full")]
/// `spaLogoutSetCookie(): string` — the `Set-Cookie` value that deletes the token cookie
/// (magic-pocket's `spa_logout`).
#[wasm_bindgen(js_name = spaLogoutSetCookie)]
pub fn js_spa_logout_set_cookie() -> String {
    spa_token::logout_set_cookie()
}

/// `new SpaTokenVerifier(secretHex: string)` — server-side JS: the HMAC key prepared once
/// (RFC 2104 inner and outer SHA-256 states) and kept inside the wasm instance, so
/// `verify(token, now?)` costs two SHA-256 compressions and no key setup. The secret never
/// leaves the instance; call `free()` (or let the GC do it) to drop it. Throws kind
/// `InvalidSecret` or `InvalidArgument`.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = SpaTokenVerifier)]
pub struct SpaTokenVerifier {
    key: SpaTokenKey,
}

#[cfg(feature = "full")]
#[wasm_bindgen(js_class = SpaTokenVerifier)]
impl SpaTokenVerifier {
    /// Prepares the key from the 64-hex-character secret (`SPA_TOKEN_SECRET`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = secretHex, unchecked_param_type = "string")] secret_hex: JsValue,
    ) -> JsResult<SpaTokenVerifier> {
        let secret_hex = throw(string_arg(&secret_hex, "secretHex"))?;
        let key = throw(SpaTokenKey::from_hex(&secret_hex).map_err(|e| spa_error(&e)))?;
        Ok(SpaTokenVerifier { key })
    }

    /// `verify(token: string, now?: number): SpaTokenInfo` — as `verifySpaToken` with the
    /// kept key: signature (constant time), then expiry (`now > expiry` is expired; `now` in
    /// unix seconds, default the clock). Throws kind `Malformed`, `BadSignature`, `Expired`
    /// (with `expiry`, `now`) or `InvalidArgument`.
    #[wasm_bindgen(unchecked_return_type = "SpaTokenInfo")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] now: JsValue,
    ) -> JsResult<JsValue> {
        let token = throw(string_arg(&token, "token"))?;
        let now = throw(now_value_arg(&now))?;
        let verified = throw(self.key.verify(&token, now).map_err(|e| spa_error(&e)))?;
        let expiry = throw(representable(verified.expiry))?;
        Ok(info_object(verified.user_id, expiry))
    }
}

#[cfg(all(test, feature = "full"))]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const TOKEN: &str =
        "vector-user:9999999999:1d9ce3921b69e57a4562a294cfa678b3ff4938b49b0369d646185d9ef24567e2";

    #[test]
    fn shared_vector_parses_and_verifies() {
        let info = parse_spa_token(TOKEN).unwrap();
        assert_eq!(info.user_id, "vector-user");
        assert_eq!(info.expiry, 9_999_999_999);
        assert_eq!(
            verify_spa_token(TOKEN, SECRET, 1_700_000_000).unwrap(),
            info
        );
        assert_eq!(
            issue_spa_token("vector-user", SECRET, 9_999_999_000, 999).unwrap(),
            TOKEN
        );
    }

    #[test]
    fn expires_in_is_signed() {
        assert_eq!(spa_token_expires_in(TOKEN, 9_999_999_990).unwrap(), 9);
        assert_eq!(spa_token_expires_in(TOKEN, 9_999_999_999).unwrap(), 0);
        assert_eq!(spa_token_expires_in(TOKEN, 10_000_000_009).unwrap(), -10);
    }

    #[test]
    fn error_kinds() {
        let e = verify_spa_token(TOKEN, SECRET, 10_000_000_000).unwrap_err();
        assert_eq!((e.domain, e.kind.as_str()), (Domain::SpaToken, "Expired"));
        assert_eq!(e.details[0], ("expiry", Detail::Number(9_999_999_999.0)));
        let tampered = TOKEN.replace("vector-user", "vector-usex");
        assert_eq!(
            verify_spa_token(&tampered, SECRET, 0).unwrap_err().kind,
            "BadSignature"
        );
        assert_eq!(
            verify_spa_token(TOKEN, "abc", 0).unwrap_err().kind,
            "InvalidSecret"
        );
        assert_eq!(parse_spa_token("a:b").unwrap_err().kind, "Malformed");
        assert_eq!(parse_spa_token("a:1:x:y").unwrap_err().kind, "Malformed");
        assert_eq!(
            issue_spa_token("a:b", SECRET, 0, 1).unwrap_err().kind,
            "InvalidUserId"
        );
        assert_eq!(
            issue_spa_token("a", SECRET, u64::MAX, 1).unwrap_err().kind,
            "ExpiryOverflow"
        );
        // Expiry beyond what a JS number holds exactly.
        let far = issue_spa_token("a", SECRET, 0, 1)
            .unwrap()
            .replace(":1:", ":9007199254740992:");
        assert_eq!(parse_spa_token(&far).unwrap_err().kind, "Malformed");
    }

    #[test]
    fn messages_never_contain_the_secret() {
        let e = verify_spa_token(TOKEN, &SECRET.replace('0', "g"), 0).unwrap_err();
        assert!(!e.message.contains("123456789"), "{}", e.message);
    }
}
