//! The companion `pocket-spa-session` cookie, read in the browser: who is logged in and when
//! the token cookie expires, without the (HttpOnly) token ever being readable by scripts.
//! Wraps [`pocket_sign_core::spa_token::find_session_cookie`]; the Django helpers
//! (`spa_login` / `spa_logout`) set and delete the cookie next to the token.

use alloc::string::String;

use pocket_sign_core::spa_token::{self, SpaSession};
use wasm_bindgen::prelude::*;

use crate::error::{BindingError, Domain};
use crate::js::{now_value_arg, string_arg, throw, JsResult};

/// The session of a `Cookie` header / `document.cookie` string, `None` when the companion
/// cookie is absent.
///
/// Errors: `Malformed` (domain `spaToken`) when the cookie is present but not
/// `{percent-encoded user id}:{expiry}`; `Malformed` when the expiry exceeds 2^53-1.
pub fn find_session(cookie_header: &str) -> Result<Option<SpaSession>, BindingError> {
    let found = spa_token::find_session_cookie(cookie_header)
        .map_err(|e| BindingError::new(Domain::SpaToken, e.kind(), &e))?;
    if let Some(s) = &found {
        crate::spa::representable(s.expiry)?;
    }
    Ok(found)
}

/// Seconds from `now` until the session's expiry (`expiry - now`; negative once expired),
/// `None` without a session. Errors: as [`find_session`].
pub fn session_expires_in(cookie_header: &str, now: u64) -> Result<Option<i64>, BindingError> {
    Ok(find_session(cookie_header)?.map(|s| {
        // Both at most 2^53 - 1: exact.
        i64::try_from(s.expiry)
            .unwrap_or(i64::MAX)
            .saturating_sub(i64::try_from(now).unwrap_or(i64::MAX))
    }))
}

/// The cookie string to read: the argument when given (a string), else the page's
/// `document.cookie` (empty where there is no `document`, e.g. in node or a worker).
fn cookie_source(value: &JsValue) -> Result<String, BindingError> {
    if !value.is_undefined() && !value.is_null() {
        return string_arg(value, "cookies");
    }
    let global = js_sys::global();
    let document =
        js_sys::Reflect::get(&global, &JsValue::from_str("document")).unwrap_or(JsValue::UNDEFINED);
    if document.is_undefined() || document.is_null() {
        return Ok(String::new());
    }
    let cookie =
        js_sys::Reflect::get(&document, &JsValue::from_str("cookie")).unwrap_or(JsValue::UNDEFINED);
    Ok(cookie.as_string().unwrap_or_default())
}

#[wasm_bindgen(typescript_custom_section)]
const TS_SESSION: &'static str = r#"
/**
 * The companion `pocket-spa-session` cookie: who is logged in and when the token expires
 * (unix seconds). NOT authenticated: for display and renewal timing only.
 */
export interface SpaSession {
  userId: string;
  expiry: number;
}
"#;

/// `session(cookies?: string): SpaSession | null` — the logged-in user and token expiry from
/// the companion `pocket-spa-session` cookie that `spa_login` sets next to the HttpOnly token
/// cookie; `null` when there is none (logged out). `cookies` defaults to `document.cookie`
/// (pass a `Cookie` header server-side). UNVERIFIED. Throws kind `Malformed` (domain
/// `spaToken`) for a cookie in another format, `InvalidArgument` for a non-string.
#[wasm_bindgen(js_name = session, unchecked_return_type = "SpaSession | null")]
pub fn js_session(
    #[wasm_bindgen(unchecked_optional_param_type = "string")] cookies: JsValue,
) -> JsResult<JsValue> {
    let header = throw(cookie_source(&cookies))?;
    Ok(match throw(find_session(&header))? {
        Some(s) => crate::spa::info_object(&s.user_id, s.expiry),
        None => JsValue::NULL,
    })
}

/// `sessionExpiresIn(now?: number, cookies?: string): number | null` — seconds until the
/// session's token expires (`expiry - now`; 0 is the last valid second, negative: expired),
/// `null` when logged out. `now` in unix seconds (default: the clock); `cookies` as for
/// `session`. Throws kind `Malformed` or `InvalidArgument`.
#[wasm_bindgen(js_name = sessionExpiresIn, unchecked_return_type = "number | null")]
pub fn js_session_expires_in(
    #[wasm_bindgen(unchecked_optional_param_type = "number")] now: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string")] cookies: JsValue,
) -> JsResult<JsValue> {
    let now = throw(now_value_arg(&now))?;
    let header = throw(cookie_source(&cookies))?;
    Ok(match throw(session_expires_in(&header, now))? {
        // |expiry - now| <= 2^53 - 1: exact as f64.
        Some(left) => JsValue::from_f64(left as f64),
        None => JsValue::NULL,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_times_the_session() {
        let h = "a=1; pocket-spa-session=al%20ice:1700000100";
        let s = find_session(h).unwrap().unwrap();
        assert_eq!((s.user_id.as_str(), s.expiry), ("al ice", 1_700_000_100));
        assert_eq!(session_expires_in(h, 1_700_000_000).unwrap(), Some(100));
        assert_eq!(session_expires_in(h, 1_700_000_101).unwrap(), Some(-1));
        assert_eq!(session_expires_in("a=1", 0).unwrap(), None);
        let e = find_session("pocket-spa-session=x").unwrap_err();
        assert_eq!((e.domain, e.kind.as_str()), (Domain::SpaToken, "Malformed"));
        let far = find_session("pocket-spa-session=u:9007199254740992").unwrap_err();
        assert_eq!(far.kind, "Malformed");
    }
}
