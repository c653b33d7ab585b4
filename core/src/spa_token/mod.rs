//! magic-pocket SPA token: `{user_id}:{expiry_unix}:{hmac_sha256_hex}`.
//!
//! Compatible byte for byte with magic-pocket's `pocket.django.spa_auth` and the token-gate
//! CloudFront Function it generates:
//!
//! - the secret is a 64-character hex string (env `SPA_TOKEN_SECRET`); the HMAC key is the
//!   32 **decoded bytes**, not the hex text;
//! - the signed message is `"{user_id}:{expiry}"` (UTF-8), `expiry` in unix seconds, decimal;
//! - the signature is lowercase hex HMAC-SHA256 (RFC 2104, FIPS 180-4), 64 characters;
//! - a token is valid while `now <= expiry` (`now > expiry` is expired).
//!
//! [`SpaTokenKey`] keeps a keyed `Hmac<Sha256>` (the RFC 2104 inner and outer SHA-256 states
//! after absorbing the padded key) and clones it for each call, so signing or verifying a token
//! costs two SHA-256 compressions over the message and no key setup.
//!
//! ```
//! use pocket_sign_core::spa_token::{SpaTokenKey, SpaTokenError};
//! let key = SpaTokenKey::from_hex(
//!     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
//! )?;
//! let token = key.issue("42", 1_700_000_000, 3600)?;
//! let verified = key.verify(&token, 1_700_000_100)?;
//! assert_eq!((verified.user_id, verified.expiry), ("42", 1_700_003_600));
//! assert!(matches!(key.verify(&token, 1_700_003_601), Err(SpaTokenError::Expired { .. })));
//! # Ok::<(), SpaTokenError>(())
//! ```
//!
//! Differences from upstream, all stricter and documented on the items: the expiry must be
//! canonical decimal digits (no sign, spaces, `_` or leading zeros), tokens are bounded to
//! [`MAX_TOKEN_LEN`] bytes, and an empty user id is refused.

mod cookie;
mod keyring;

pub use cookie::{
    find_session_cookie, parse_session_cookie_value, session_cookie_value,
    session_logout_set_cookie, session_set_cookie, SpaSession, SESSION_COOKIE_NAME,
};
pub use cookie::{login_set_cookie, login_set_cookie_at, logout_set_cookie};
pub use keyring::{RotatedVerification, SecretUsed, SpaTokenKeyring};

use alloc::string::String;
use core::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// Name of the cookie that carries the token (magic-pocket's `COOKIE_NAME`).
pub const COOKIE_NAME: &str = "pocket-spa-token";

/// Default token lifetime in seconds: 604 800 s = 7 days (magic-pocket's `DEFAULT_MAX_AGE`).
pub const DEFAULT_MAX_AGE: u64 = 604_800;

/// Length in bytes of the HMAC key (the decoded secret): 32.
pub const SECRET_LEN: usize = 32;

/// Length in characters of the hex secret (`SPA_TOKEN_SECRET`): 64.
pub const SECRET_HEX_LEN: usize = 2 * SECRET_LEN;

/// Length in characters of the token's signature part (lowercase hex HMAC-SHA256): 64.
pub const SIGNATURE_HEX_LEN: usize = 64;

/// Upper bound in bytes on a whole token accepted by [`parse`] / [`SpaTokenKey::verify`] and
/// produced by [`SpaTokenKey::sign`]: 4096, the smallest per-cookie size browsers must support
/// (RFC 6265 §6.1). Longer input is [`SpaTokenError::Malformed`] without being hashed.
pub const MAX_TOKEN_LEN: usize = 4096;

/// Largest number of decimal digits in a `u64` (`18446744073709551615`).
const MAX_EXPIRY_DIGITS: usize = 20;

/// Why a token or secret was refused. Messages never contain the secret or a signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SpaTokenError {
    /// The token is not `user_id:expiry:signature`: not exactly three `:`-separated parts,
    /// an empty user id, an expiry that is not canonical decimal digits or overflows `u64`,
    /// or longer than [`MAX_TOKEN_LEN`] bytes. The payload says which.
    #[error("malformed token: {0}")]
    Malformed(String),
    /// The token's signature is authentic but `now > expiry` (both unix seconds).
    #[error("token expired at {expiry} (now {now})")]
    Expired {
        /// The token's expiry, unix seconds.
        expiry: u64,
        /// The time the token was checked at, unix seconds.
        now: u64,
    },
    /// The signature is not 64 lowercase hex characters, or does not match the HMAC of
    /// `user_id:expiry` under this key.
    #[error("token signature does not match")]
    BadSignature,
    /// The secret is not 64 hex characters ([`SpaTokenKey::from_hex`]) or not 32 bytes
    /// ([`SpaTokenKey::from_bytes`]). The payload describes the shape, never the content.
    #[error("invalid SPA token secret: {0}")]
    InvalidSecret(String),
    /// The user id cannot be put in a token: it is empty, contains `:` (the token would never
    /// verify, upstream raises `ValueError`), or makes the token longer than [`MAX_TOKEN_LEN`].
    #[error("invalid user id: {0}")]
    InvalidUserId(String),
    /// `now + max_age` does not fit in a `u64` (or, for cookie dates, lies past year 9999).
    #[error("expiry overflows: now {now} + max_age {max_age}")]
    ExpiryOverflow {
        /// The issue time, unix seconds.
        now: u64,
        /// The requested lifetime, seconds.
        max_age: u64,
    },
    /// The system clock reads before the unix epoch (only from the `std` conveniences).
    #[error("the system clock is before 1970-01-01")]
    ClockBeforeEpoch,
}

impl SpaTokenError {
    /// The stable machine-readable kind: the variant name (`"Malformed"`, `"Expired"`, `"BadSignature"`, ...), per the
    /// [error-kind contract](crate::error_kind). Never formats the variant's data.
    pub fn kind(&self) -> &'static str {
        crate::error_kind::variant_kind!(self, SpaTokenError { Malformed(..), Expired { .. }, BadSignature, InvalidSecret(..), InvalidUserId(..), ExpiryOverflow { .. }, ClockBeforeEpoch })
    }
}

/// The unverified parts of a token, as returned by [`parse`].
///
/// Nothing here is authenticated: use [`SpaTokenKey::verify`] before trusting `user_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpaTokenParts<'t> {
    /// The user id (non-empty, no `:`), borrowed from the token.
    pub user_id: &'t str,
    /// The expiry, unix seconds.
    pub expiry: u64,
    /// The signature part exactly as it appears in the token (not checked for hex).
    pub signature: &'t str,
}

/// A token whose signature matched and which had not expired at the given `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifiedSpaToken<'t> {
    /// The authenticated user id, borrowed from the token (upstream: `str(request.user.pk)`).
    pub user_id: &'t str,
    /// The token's expiry, unix seconds.
    pub expiry: u64,
}

/// Splits a token into its three parts without checking the signature.
///
/// Rules (upstream: `token.split(":")` must give exactly 3 parts, the expiry must be an int):
/// at most [`MAX_TOKEN_LEN`] bytes; exactly two `:`; a non-empty user id; an expiry of 1 to 20
/// ASCII digits without leading zeros (except `"0"`) that fits in a `u64`. Stricter than
/// Python's `int()`, which also accepts signs, spaces, `_` and non-ASCII digits: a token this
/// crate issues is always canonical, and no two strings mean the same expiry.
///
/// # Errors
/// [`SpaTokenError::Malformed`] saying which rule failed.
pub fn parse(token: &str) -> Result<SpaTokenParts<'_>, SpaTokenError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(malformed("longer than 4096 bytes"));
    }
    let mut parts = token.split(':');
    let (Some(user_id), Some(expiry), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed("expected exactly 3 ':'-separated parts"));
    };
    if user_id.is_empty() {
        return Err(malformed("empty user id"));
    }
    let expiry = parse_expiry(expiry)?;
    Ok(SpaTokenParts {
        user_id,
        expiry,
        signature,
    })
}

/// [`parse`], then also requires the signature part to be [`SIGNATURE_HEX_LEN`] (64)
/// lowercase hex characters, the only form [`SpaTokenKey::sign`] produces and
/// [`SpaTokenKey::verify`] accepts. For code that shows an unverified token (an SPA, a log
/// line): a token with an empty or otherwise impossible signature is reported as malformed
/// rather than displayed as if it might be valid.
///
/// # Errors
/// [`SpaTokenError::Malformed`] saying which rule failed (the signature itself is never
/// echoed).
pub fn parse_strict(token: &str) -> Result<SpaTokenParts<'_>, SpaTokenError> {
    let parts = parse(token)?;
    let sig = parts.signature.as_bytes();
    if sig.len() != SIGNATURE_HEX_LEN || !sig.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(malformed(
            "the signature is not 64 lowercase hexadecimal characters",
        ));
    }
    Ok(parts)
}

fn malformed(why: &str) -> SpaTokenError {
    SpaTokenError::Malformed(String::from(why))
}

/// Canonical decimal `u64`: 1..=20 ASCII digits, no leading zero unless the value is 0.
fn parse_expiry(s: &str) -> Result<u64, SpaTokenError> {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return Err(malformed("empty expiry"));
    }
    if bytes.len() > MAX_EXPIRY_DIGITS {
        return Err(malformed("expiry overflows a 64-bit integer"));
    }
    if bytes.len() > 1 && bytes.first() == Some(&b'0') {
        return Err(malformed("expiry has a leading zero"));
    }
    let mut value: u64 = 0;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return Err(malformed("expiry is not decimal digits"));
        }
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
            .ok_or_else(|| malformed("expiry overflows a 64-bit integer"))?;
    }
    Ok(value)
}

/// An SPA token key: the 32-byte secret, kept only as a keyed HMAC-SHA256 state.
///
/// `Clone` is cheap (two SHA-256 states). `Debug` prints `SpaTokenKey(<redacted>)`.
/// Signing and verifying take `now` explicitly (unix seconds); the `std` feature adds
/// [`SpaTokenKey::issue_now`] and [`SpaTokenKey::verify_now`] which read the system clock.
#[derive(Clone)]
pub struct SpaTokenKey {
    mac: Hmac<Sha256>,
}

impl fmt::Debug for SpaTokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SpaTokenKey(<redacted>)")
    }
}

impl SpaTokenKey {
    /// Builds a key from the hex secret magic-pocket keeps in `SPA_TOKEN_SECRET`: exactly 64
    /// hex characters (upper or lower case, no whitespace), decoded to the 32 key bytes.
    ///
    /// # Errors
    /// [`SpaTokenError::InvalidSecret`] when the length is not 64 or a character is not hex.
    /// The message gives the length or position only, never the secret.
    pub fn from_hex(secret_hex: &str) -> Result<SpaTokenKey, SpaTokenError> {
        if secret_hex.len() != SECRET_HEX_LEN {
            return Err(SpaTokenError::InvalidSecret(alloc::format!(
                "expected {SECRET_HEX_LEN} hex characters, got {} bytes",
                secret_hex.len()
            )));
        }
        let mut key = [0u8; SECRET_LEN];
        let decoded = hex::decode_to_slice(secret_hex, &mut key);
        let result = match decoded {
            Ok(()) => SpaTokenKey::from_bytes(&key),
            Err(_) => Err(SpaTokenError::InvalidSecret(String::from(
                "the secret is not hexadecimal",
            ))),
        };
        key.zeroize();
        result
    }

    /// Builds a key from the 32 raw secret bytes (the decoded form of the hex secret).
    ///
    /// # Errors
    /// [`SpaTokenError::InvalidSecret`] when `key` is not exactly 32 bytes.
    pub fn from_bytes(key: &[u8]) -> Result<SpaTokenKey, SpaTokenError> {
        if key.len() != SECRET_LEN {
            return Err(SpaTokenError::InvalidSecret(alloc::format!(
                "expected {SECRET_LEN} bytes, got {}",
                key.len()
            )));
        }
        let mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
            .map_err(|_| SpaTokenError::InvalidSecret(String::from("unusable key length")))?;
        Ok(SpaTokenKey { mac })
    }

    /// HMAC-SHA256 of `user_id:expiry` (32 bytes), from a clone of the keyed state.
    fn mac_bytes(&self, message: &[u8]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    fn mac_of(&self, user_id: &str, expiry: u64) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(user_id.as_bytes());
        mac.update(b":");
        let mut buf = [0u8; MAX_EXPIRY_DIGITS];
        mac.update(format_u64(expiry, &mut buf));
        mac.finalize().into_bytes().into()
    }

    /// Signs a token for `user_id` that expires at the absolute time `expiry` (unix seconds):
    /// `"{user_id}:{expiry}:{64 lowercase hex}"`.
    ///
    /// # Errors
    /// [`SpaTokenError::InvalidUserId`] when `user_id` is empty, contains `:`, or the token
    /// would exceed [`MAX_TOKEN_LEN`] bytes (so every token signed here also parses).
    pub fn sign(&self, user_id: &str, expiry: u64) -> Result<String, SpaTokenError> {
        if user_id.is_empty() {
            return Err(SpaTokenError::InvalidUserId(String::from("it is empty")));
        }
        if user_id.contains(':') {
            return Err(SpaTokenError::InvalidUserId(String::from(
                "it contains ':', so the token could never verify",
            )));
        }
        let mut buf = [0u8; MAX_EXPIRY_DIGITS];
        let expiry_digits = format_u64(expiry, &mut buf);
        let len = user_id.len() + 1 + expiry_digits.len() + 1 + SIGNATURE_HEX_LEN;
        if len > MAX_TOKEN_LEN {
            return Err(SpaTokenError::InvalidUserId(String::from(
                "the token would be longer than 4096 bytes",
            )));
        }
        let sig = self.mac_of(user_id, expiry);
        let mut token = String::with_capacity(len);
        token.push_str(user_id);
        token.push(':');
        // `format_u64` only writes ASCII digits.
        for &d in expiry_digits {
            token.push(char::from(d));
        }
        token.push(':');
        push_lower_hex(&mut token, &sig);
        Ok(token)
    }

    /// Issues a token valid for `max_age` seconds from `now` (unix seconds): upstream's
    /// `generate_token(user_id, max_age=...)` with `expiry = now + max_age`.
    ///
    /// # Errors
    /// [`SpaTokenError::ExpiryOverflow`] when `now + max_age` overflows `u64`; otherwise as
    /// [`SpaTokenKey::sign`].
    pub fn issue(&self, user_id: &str, now: u64, max_age: u64) -> Result<String, SpaTokenError> {
        let expiry = now
            .checked_add(max_age)
            .ok_or(SpaTokenError::ExpiryOverflow { now, max_age })?;
        self.sign(user_id, expiry)
    }

    /// Verifies a token at time `now` (unix seconds) and returns the user id and expiry.
    ///
    /// Order: [`parse`] (shape), then the signature (64 lowercase hex characters compared in
    /// constant time with `subtle` against the HMAC of `user_id:expiry`), then the expiry
    /// (`now > expiry` is expired, so `now == expiry` is still valid). Checking the signature
    /// before the expiry means [`SpaTokenError::Expired`] is only reported for authentic
    /// tokens. Upstream `verify_token` returns `None` for every failure.
    ///
    /// # Errors
    /// [`SpaTokenError::Malformed`], [`SpaTokenError::BadSignature`] or
    /// [`SpaTokenError::Expired`].
    pub fn verify<'t>(
        &self,
        token: &'t str,
        now: u64,
    ) -> Result<VerifiedSpaToken<'t>, SpaTokenError> {
        let parts = parse(token)?;
        let given = decode_lower_hex_sig(parts.signature).ok_or(SpaTokenError::BadSignature)?;
        // `parse` accepts only canonical expiry digits, so the signed message `user_id:expiry`
        // is exactly the token's bytes before the last `:`: hash them in one update instead of
        // re-formatting the expiry.
        let message_len = token.len() - parts.signature.len() - 1;
        let expected = self.mac_bytes(&token.as_bytes()[..message_len]);
        if !bool::from(expected.ct_eq(&given)) {
            return Err(SpaTokenError::BadSignature);
        }
        if now > parts.expiry {
            return Err(SpaTokenError::Expired {
                expiry: parts.expiry,
                now,
            });
        }
        Ok(VerifiedSpaToken {
            user_id: parts.user_id,
            expiry: parts.expiry,
        })
    }

    /// [`SpaTokenKey::issue`] at the current system time.
    ///
    /// # Errors
    /// As [`SpaTokenKey::issue`], plus [`SpaTokenError::ClockBeforeEpoch`].
    #[cfg(feature = "std")]
    pub fn issue_now(&self, user_id: &str, max_age: u64) -> Result<String, SpaTokenError> {
        self.issue(user_id, unix_now()?, max_age)
    }

    /// [`SpaTokenKey::verify`] at the current system time.
    ///
    /// # Errors
    /// As [`SpaTokenKey::verify`], plus [`SpaTokenError::ClockBeforeEpoch`].
    #[cfg(feature = "std")]
    pub fn verify_now<'t>(&self, token: &'t str) -> Result<VerifiedSpaToken<'t>, SpaTokenError> {
        self.verify(token, unix_now()?)
    }
}

/// The system clock in unix seconds ([`crate::time::unix_now`]).
#[cfg(feature = "std")]
fn unix_now() -> Result<u64, SpaTokenError> {
    crate::time::unix_now().map_err(|_| SpaTokenError::ClockBeforeEpoch)
}

/// Writes `v` in decimal into the end of `buf` and returns the digits.
fn format_u64(mut v: u64, buf: &mut [u8; MAX_EXPIRY_DIGITS]) -> &[u8] {
    let mut start = buf.len();
    for slot in buf.iter_mut().rev() {
        // `v % 10 < 10`, so the cast cannot truncate.
        *slot = b'0' + (v % 10) as u8;
        start -= 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.get(start..).unwrap_or_default()
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

fn push_lower_hex(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        out.push(char::from(HEX_DIGITS[usize::from(b >> 4)]));
        out.push(char::from(HEX_DIGITS[usize::from(b & 0x0f)]));
    }
}

/// Decodes exactly 64 lowercase hex characters; anything else is `None`. The signature is
/// public input (it travels in the cookie), so this need not be constant time; the comparison
/// with the expected MAC is.
fn decode_lower_hex_sig(sig: &str) -> Option<[u8; 32]> {
    let bytes = sig.as_bytes();
    if bytes.len() != SIGNATURE_HEX_LEN {
        return None;
    }
    let mut out = [0u8; 32];
    for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let hi = lower_hex_value(*pair.first()?)?;
        let lo = lower_hex_value(*pair.get(1)?)?;
        *slot = (hi << 4) | lo;
    }
    Some(out)
}

fn lower_hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
