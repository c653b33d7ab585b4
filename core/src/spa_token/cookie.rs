//! `Set-Cookie` values for the SPA token cookie, rendered the way Django does.
//!
//! magic-pocket's `spa_login` calls Django's `HttpResponse.set_cookie(COOKIE_NAME, token,
//! max_age=..., httponly=True, secure=True, samesite="Lax", path="/")` and `spa_logout` calls
//! `delete_cookie(COOKIE_NAME, path="/")`. Django renders cookies with Python's
//! `http.cookies.Morsel.OutputString`, which emits the attributes **sorted by their lowercase
//! name** (`expires`, `httponly`, `max-age`, `path`, `samesite`, `secure`) and quotes a value
//! that is not made only of cookie-safe characters. These helpers reproduce that rendering, so
//! their output equals Django's header value byte for byte (the test suite checks it against
//! Django itself).
//!
//! # The companion session cookie
//!
//! The token cookie is `HttpOnly`: scripts in the SPA cannot read it, which is what keeps an
//! XSS bug from stealing it. But the SPA still needs to know *who* is logged in and *when* the
//! session ends (to show it, and to renew before the CloudFront token gate starts redirecting).
//! So the login also sets a second, **non-secret** cookie, [`SESSION_COOKIE_NAME`]
//! (`pocket-spa-session`), holding only the user id and the expiry of the token it was issued
//! with, `{percent-encoded user id}:{expiry unix seconds}`, with no signature, without
//! `HttpOnly` and with the token cookie's other attributes (`Max-Age`, `Path=/`,
//! `SameSite=Lax`, `Secure`). Nothing authenticates it: it is for display and for timing a
//! renewal, never for an access decision (servers keep checking the token). Logout deletes
//! both.

use alloc::string::String;
use core::fmt::Write;

use super::{SpaTokenError, COOKIE_NAME, MAX_TOKEN_LEN};

/// `Set-Cookie` value that stores `token` for `max_age` seconds, without an `Expires`
/// attribute (this function does not know the time; `Max-Age` wins over `Expires` in every
/// current browser, RFC 6265 §5.3 step 3):
///
/// `pocket-spa-token=<token>; HttpOnly; Max-Age=<max_age>; Path=/; SameSite=Lax; Secure`
///
/// The attribute order is Django's (sorted by name). The token is written as Python's
/// `http.cookies` would: unchanged when every character is cookie-safe (ASCII letters, digits
/// and ``!#$%&'*+-.^_`|~:``, which covers every token whose user id is, e.g. a numeric `pk`),
/// otherwise in double quotes with `"` and `\` backslash-escaped and other Latin-1 bytes
/// outside the safe set as `\ooo` octal (characters above U+00FF are kept as they are). Such a
/// quoted token comes back quoted from the browser, so a CloudFront token gate would not
/// accept it: prefer cookie-safe user ids.
pub fn login_set_cookie(token: &str, max_age: u64) -> String {
    let mut out = String::with_capacity(token.len() + 80);
    out.push_str(COOKIE_NAME);
    out.push('=');
    push_cookie_value(&mut out, token);
    let _ = write!(
        out,
        "; HttpOnly; Max-Age={max_age}; Path=/; SameSite=Lax; Secure"
    );
    out
}

/// Exactly what Django's `set_cookie(..., max_age=max_age, httponly=True, secure=True,
/// samesite="Lax", path="/")` sends at time `now` (unix seconds), including the `expires`
/// attribute Django adds for old browsers (`http_date(now + max_age)`, RFC 7231 IMF-fixdate):
///
/// `pocket-spa-token=<token>; expires=Thu, 01 Jan 2026 00:00:00 GMT; HttpOnly; Max-Age=<max_age>; Path=/; SameSite=Lax; Secure`
///
/// The token is quoted as described on [`login_set_cookie`].
///
/// # Errors
/// [`SpaTokenError::ExpiryOverflow`] when `now + max_age` overflows or falls after year 9999
/// (Python's date formatting fails there too).
pub fn login_set_cookie_at(token: &str, now: u64, max_age: u64) -> Result<String, SpaTokenError> {
    let overflow = SpaTokenError::ExpiryOverflow { now, max_age };
    let expires = now.checked_add(max_age).ok_or(overflow.clone())?;
    let mut out = String::with_capacity(token.len() + 120);
    out.push_str(COOKIE_NAME);
    out.push('=');
    push_cookie_value(&mut out, token);
    out.push_str("; expires=");
    push_http_date(&mut out, expires).ok_or(overflow)?;
    let _ = write!(
        out,
        "; HttpOnly; Max-Age={max_age}; Path=/; SameSite=Lax; Secure"
    );
    Ok(out)
}

/// `Set-Cookie` value that deletes the token cookie, exactly as Django's
/// `delete_cookie("pocket-spa-token", path="/")` renders it (empty quoted value, epoch
/// `expires`, `Max-Age=0`):
///
/// `pocket-spa-token=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/`
pub fn logout_set_cookie() -> String {
    let mut out = String::from(COOKIE_NAME);
    out.push_str("=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/");
    out
}

/// Name of the companion cookie that tells the SPA who is logged in and until when:
/// `pocket-spa-session` (see the module docs). Not secret, not `HttpOnly`, not signed.
pub const SESSION_COOKIE_NAME: &str = "pocket-spa-session";

/// The companion cookie's content, as set at login: the user id and expiry (unix seconds) of
/// the token cookie issued with it. **Unauthenticated**: display and renewal timing only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpaSession {
    /// The user id of the token (magic-pocket: `str(user.pk)`).
    pub user_id: String,
    /// The token's expiry, unix seconds (the token is valid while `now <= expiry`).
    pub expiry: u64,
}

/// The companion cookie value for `token`: `{user id}:{expiry}`, the user id percent-encoded
/// (every byte except ASCII letters, digits and `-._~` as `%XX`, uppercase hex) so that the
/// value is always cookie-safe and Django writes it unquoted. The token is parsed with
/// [`super::parse_strict`]; its signature is not checked (pass a token you just issued).
///
/// # Errors
/// [`SpaTokenError::Malformed`] when `token` does not have the token shape.
pub fn session_cookie_value(token: &str) -> Result<String, SpaTokenError> {
    let parts = super::parse_strict(token)?;
    let mut out = String::with_capacity(parts.user_id.len() * 3 + 21);
    for b in parts.user_id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    let _ = write!(out, ":{}", parts.expiry);
    Ok(out)
}

/// `Set-Cookie` value of the companion cookie for `token`, kept for `max_age` seconds, with
/// the token cookie's attributes except `HttpOnly` (Django's attribute order):
///
/// `pocket-spa-session=<user id>:<expiry>; Max-Age=<max_age>; Path=/; SameSite=Lax; Secure`
///
/// # Errors
/// As [`session_cookie_value`].
pub fn session_set_cookie(token: &str, max_age: u64) -> Result<String, SpaTokenError> {
    let value = session_cookie_value(token)?;
    Ok(alloc::format!(
        "{SESSION_COOKIE_NAME}={value}; Max-Age={max_age}; Path=/; SameSite=Lax; Secure"
    ))
}

/// `Set-Cookie` value that deletes the companion cookie, as Django's
/// `delete_cookie("pocket-spa-session", path="/")` renders it:
///
/// `pocket-spa-session=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/`
pub fn session_logout_set_cookie() -> String {
    let mut out = String::from(SESSION_COOKIE_NAME);
    out.push_str("=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/");
    out
}

/// Parses a companion cookie value written by [`session_cookie_value`]: a non-empty
/// percent-encoded user id (strict `%XX`, decoding to UTF-8 without `:`), one `:`, and a
/// canonical decimal expiry. At most [`MAX_TOKEN_LEN`] bytes.
///
/// # Errors
/// [`SpaTokenError::Malformed`] saying which rule failed.
pub fn parse_session_cookie_value(value: &str) -> Result<SpaSession, SpaTokenError> {
    let bad = |why: &str| SpaTokenError::Malformed(alloc::format!("session cookie: {why}"));
    if value.len() > MAX_TOKEN_LEN {
        return Err(bad("longer than 4096 bytes"));
    }
    let (encoded, expiry) = value
        .split_once(':')
        .ok_or_else(|| bad("expected user id ':' expiry"))?;
    if encoded.is_empty() {
        return Err(bad("empty user id"));
    }
    let mut bytes = alloc::vec::Vec::with_capacity(encoded.len());
    let mut it = encoded.bytes();
    while let Some(b) = it.next() {
        match b {
            b'%' => {
                let hi = it.next().and_then(|c| char::from(c).to_digit(16));
                let lo = it.next().and_then(|c| char::from(c).to_digit(16));
                match (hi, lo) {
                    // Two hex digits: at most 0xFF, so the cast is exact.
                    (Some(hi), Some(lo)) => bytes.push((hi * 16 + lo) as u8),
                    _ => return Err(bad("bad percent-escape in the user id")),
                }
            }
            b if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') => {
                bytes.push(b);
            }
            _ => return Err(bad("unexpected character in the user id")),
        }
    }
    let user_id = String::from_utf8(bytes).map_err(|_| bad("the user id is not UTF-8"))?;
    if user_id.contains(':') {
        return Err(bad("the user id contains ':'"));
    }
    let expiry = super::parse_expiry(expiry)?;
    Ok(SpaSession { user_id, expiry })
}

/// Finds the companion cookie in a `Cookie` request header or in the browser's
/// `document.cookie` (`name=value` pairs separated by `;` and optional spaces or tabs, RFC 6265
/// §5.2's whitespace; no other character is trimmed) and parses it
/// with [`parse_session_cookie_value`]. The first `pocket-spa-session` pair wins; an absent
/// cookie, or the empty (`""`) value a logout leaves behind in some browsers, is `Ok(None)`.
///
/// # Errors
/// [`SpaTokenError::Malformed`] when the cookie is present but not in the companion format.
pub fn find_session_cookie(cookie_header: &str) -> Result<Option<SpaSession>, SpaTokenError> {
    for pair in cookie_header.split(';') {
        let Some((name, value)) = pair.split_once('=') else {
            continue;
        };
        if ows_trim(name) != SESSION_COOKIE_NAME {
            continue;
        }
        let value = ows_trim(value);
        if value.is_empty() || value == "\"\"" {
            return Ok(None);
        }
        return parse_session_cookie_value(value).map(Some);
    }
    Ok(None)
}

/// `s` without leading and trailing spaces and tabs (RFC 6265 §5.2 "WSP").
fn ows_trim(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

/// Python's `http.cookies._LegalChars`: values made only of these are written unquoted.
fn is_legal(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~:".contains(c)
}

/// Characters Python's `_quote` keeps as they are inside quotes (`_UnescapedChars`).
fn is_unescaped(c: char) -> bool {
    is_legal(c) || " ()/<=>?@[]{}".contains(c)
}

/// Python's `http.cookies._quote`.
fn push_cookie_value(out: &mut String, value: &str) {
    if !value.is_empty() && value.chars().all(is_legal) {
        out.push_str(value);
        return;
    }
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 256 && !is_unescaped(c) => {
                let _ = write!(out, "\\{:03o}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Appends the IMF-fixdate (RFC 7231 §7.1.1.1) of `t` unix seconds, e.g.
/// `Thu, 01 Jan 1970 00:00:00 GMT`. `None` after 9999-12-31T23:59:59Z.
fn push_http_date(out: &mut String, t: u64) -> Option<()> {
    // 9999-12-31T23:59:59Z
    const MAX: u64 = 253_402_300_799;
    if t > MAX {
        return None;
    }
    let days = t / 86_400;
    let secs = t % 86_400;
    let (year, month, day) = civil_from_days(days);
    let weekday = WEEKDAYS.get(usize::try_from(days % 7).ok()?)?;
    let month_name = MONTHS.get(usize::try_from(month.checked_sub(1)?).ok()?)?;
    write!(
        out,
        "{weekday}, {day:02} {month_name} {year:04} {:02}:{:02}:{:02} GMT",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
    .ok()
}

/// Proleptic Gregorian (year, month 1..=12, day 1..=31) of a day count since 1970-01-01,
/// for non-negative counts (H. Hinnant's `civil_from_days`, shifted to eras starting in March).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // 1970-03-01 is day 60 of the 400-year era that starts on 0000-03-01 (day -719468).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March-based
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(t: u64) -> String {
        let mut s = String::new();
        push_http_date(&mut s, t).unwrap();
        s
    }

    #[test]
    fn http_dates() {
        assert_eq!(date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(date(1_700_000_000), "Tue, 14 Nov 2023 22:13:20 GMT");
        assert_eq!(date(4_107_542_399), "Sun, 28 Feb 2100 23:59:59 GMT");
        assert_eq!(date(4_107_542_400), "Mon, 01 Mar 2100 00:00:00 GMT");
        assert_eq!(date(253_402_300_799), "Fri, 31 Dec 9999 23:59:59 GMT");
        let mut s = String::new();
        assert!(push_http_date(&mut s, 253_402_300_800).is_none());
    }

    #[test]
    fn login_cookie_django_order() {
        assert_eq!(
            login_set_cookie("7:100:ab", 604_800),
            "pocket-spa-token=7:100:ab; HttpOnly; Max-Age=604800; Path=/; SameSite=Lax; Secure"
        );
        assert_eq!(
            login_set_cookie_at("7:100:ab", 1_700_000_000, 0).unwrap(),
            "pocket-spa-token=7:100:ab; expires=Tue, 14 Nov 2023 22:13:20 GMT; HttpOnly; \
             Max-Age=0; Path=/; SameSite=Lax; Secure"
        );
        assert_eq!(
            login_set_cookie_at("t", u64::MAX, 1),
            Err(SpaTokenError::ExpiryOverflow {
                now: u64::MAX,
                max_age: 1
            })
        );
        assert!(matches!(
            login_set_cookie_at("t", 253_402_300_800, 0),
            Err(SpaTokenError::ExpiryOverflow { .. })
        ));
    }

    #[test]
    fn python_quoting() {
        assert_eq!(
            login_set_cookie("a b\"c\\d;é\u{3042}:", 1),
            "pocket-spa-token=\"a b\\\"c\\\\d\\073\\351\u{3042}:\"; HttpOnly; Max-Age=1; \
             Path=/; SameSite=Lax; Secure"
        );
    }

    const TOKEN: &str =
        "vector-user:9999999999:1d9ce3921b69e57a4562a294cfa678b3ff4938b49b0369d646185d9ef24567e2";

    #[test]
    fn session_cookie_round_trip() {
        assert_eq!(
            session_set_cookie(TOKEN, 604_800).unwrap(),
            "pocket-spa-session=vector-user:9999999999; Max-Age=604800; Path=/; SameSite=Lax; \
             Secure"
        );
        let odd = TOKEN.replace("vector-user", "a b%é;\"");
        let value = session_cookie_value(&odd).unwrap();
        assert_eq!(value, "a%20b%25%C3%A9%3B%22:9999999999");
        assert!(value.chars().all(is_legal), "{value}");
        let header = alloc::format!("csrftoken=x; {SESSION_COOKIE_NAME}={value}; other=1");
        let session = find_session_cookie(&header).unwrap().unwrap();
        assert_eq!(
            session,
            SpaSession {
                user_id: "a b%é;\"".into(),
                expiry: 9_999_999_999
            }
        );
        assert_eq!(find_session_cookie("a=b; c=d").unwrap(), None);
        assert_eq!(find_session_cookie("").unwrap(), None);
        assert_eq!(
            find_session_cookie("pocket-spa-session=\"\"").unwrap(),
            None
        );
        // A look-alike name is not the cookie.
        assert_eq!(
            find_session_cookie("xpocket-spa-session=u:1").unwrap(),
            None
        );
        assert_eq!(
            session_logout_set_cookie(),
            "pocket-spa-session=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"
        );
    }

    #[test]
    fn session_cookie_refuses_bad_values() {
        for bad in [
            "u", ":1", "u:", "u:01", "u:1x", "u%2:1", "u%zz:1", "u%3A:1", "u v:1", "%FF:1", "u:1:2",
        ] {
            assert!(
                matches!(
                    parse_session_cookie_value(bad),
                    Err(SpaTokenError::Malformed(_))
                ),
                "{bad}"
            );
        }
        assert!(parse_session_cookie_value(&"a".repeat(5000)).is_err());
        // The token itself must have the token shape (64 lowercase hex signature).
        assert!(session_cookie_value("u:1:").is_err());
        assert!(session_cookie_value(&TOKEN.to_uppercase().replace("VECTOR-USER", "v")).is_err());
    }

    #[test]
    fn logout_cookie() {
        assert_eq!(
            logout_set_cookie(),
            "pocket-spa-token=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"
        );
    }
}
