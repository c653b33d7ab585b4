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

use alloc::string::String;
use core::fmt::Write;

use super::{SpaTokenError, COOKIE_NAME};

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

    #[test]
    fn logout_cookie() {
        assert_eq!(
            logout_set_cookie(),
            "pocket-spa-token=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"
        );
    }
}
