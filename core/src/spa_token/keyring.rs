//! Secret rotation for SPA tokens: a current secret (`SPA_TOKEN_SECRET`, KVS `token_secret`)
//! and an optional previous one (`SPA_TOKEN_SECRET_PREVIOUS`, KVS `token_secret_previous`).
//!
//! Issuing always uses the current secret. Verification accepts a token signed with either:
//! both HMACs are computed and both comparisons run in constant time (`subtle`), their results
//! are combined with a constant-time OR, and only after the signature is known to be good does
//! the result say which secret matched (so a front end can re-issue the token under the
//! current secret). A token that matches neither costs the same work whichever secret it was
//! closer to.
//!
//! ```
//! use pocket_sign_core::spa_token::{SecretUsed, SpaTokenKey, SpaTokenKeyring};
//! let old = SpaTokenKey::from_hex(&"11".repeat(32))?;
//! let new = SpaTokenKey::from_hex(&"22".repeat(32))?;
//! let token = old.issue("42", 1_700_000_000, 3600)?;
//! // Rotation: the old secret becomes the previous one.
//! let ring = SpaTokenKeyring::new(new.clone(), Some(old));
//! let v = ring.verify(&token, 1_700_000_100)?;
//! assert_eq!((v.token.user_id, v.secret), ("42", SecretUsed::Previous));
//! // Once the previous secret is removed, the old token is refused.
//! assert!(SpaTokenKeyring::new(new, None).verify(&token, 1_700_000_100).is_err());
//! # Ok::<(), pocket_sign_core::spa_token::SpaTokenError>(())
//! ```

use subtle::{Choice, ConstantTimeEq};

use super::{decode_lower_hex_sig, parse, SpaTokenError, SpaTokenKey, VerifiedSpaToken};

/// Which secret of a [`SpaTokenKeyring`] a verified token was signed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretUsed {
    /// The current secret (`SPA_TOKEN_SECRET`): nothing to do.
    Current,
    /// Only the previous secret (`SPA_TOKEN_SECRET_PREVIOUS`): the token is valid, and should
    /// be re-issued under the current secret before the previous one is removed.
    Previous,
}

/// A token that verified under one of the keyring's secrets and had not expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotatedVerification<'t> {
    /// The authenticated user id and expiry (unix seconds), borrowed from the token.
    pub token: VerifiedSpaToken<'t>,
    /// Which secret signed it.
    pub secret: SecretUsed,
}

/// The current SPA token key plus, during a rotation, the previous one.
///
/// `Debug` is redacted (it only says whether a previous key is present).
#[derive(Clone)]
pub struct SpaTokenKeyring {
    current: SpaTokenKey,
    previous: Option<SpaTokenKey>,
}

impl core::fmt::Debug for SpaTokenKeyring {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "SpaTokenKeyring(current: <redacted>, previous: {})",
            if self.previous.is_some() {
                "<redacted>"
            } else {
                "none"
            }
        )
    }
}

impl SpaTokenKeyring {
    /// A keyring from already built keys.
    pub fn new(current: SpaTokenKey, previous: Option<SpaTokenKey>) -> SpaTokenKeyring {
        SpaTokenKeyring { current, previous }
    }

    /// A keyring from the hex secrets (64 hex characters each, as [`SpaTokenKey::from_hex`]).
    /// `previous` is `None` or an empty / all-whitespace string when no rotation is under way
    /// (an unset `SPA_TOKEN_SECRET_PREVIOUS`).
    ///
    /// # Errors
    /// [`SpaTokenError::InvalidSecret`] when either secret is malformed; the message says which
    /// one ("previous secret: ...") but never contains it.
    pub fn from_hex(
        current: &str,
        previous: Option<&str>,
    ) -> Result<SpaTokenKeyring, SpaTokenError> {
        let current = SpaTokenKey::from_hex(current)?;
        let previous = match previous.map(str::trim) {
            None | Some("") => None,
            Some(p) => Some(SpaTokenKey::from_hex(p).map_err(|e| match e {
                SpaTokenError::InvalidSecret(why) => {
                    SpaTokenError::InvalidSecret(alloc::format!("previous secret: {why}"))
                }
                other => other,
            })?),
        };
        Ok(SpaTokenKeyring { current, previous })
    }

    /// The current key: the one every token is issued with.
    pub fn current(&self) -> &SpaTokenKey {
        &self.current
    }

    /// Whether a previous key is configured.
    pub fn has_previous(&self) -> bool {
        self.previous.is_some()
    }

    /// [`SpaTokenKey::issue`] with the current key (never the previous one).
    ///
    /// # Errors
    /// As [`SpaTokenKey::issue`].
    pub fn issue(
        &self,
        user_id: &str,
        now: u64,
        max_age: u64,
    ) -> Result<alloc::string::String, SpaTokenError> {
        self.current.issue(user_id, now, max_age)
    }

    /// Verifies `token` at `now` (unix seconds) under the current and, when configured, the
    /// previous key, and says which one signed it.
    ///
    /// Same order and rules as [`SpaTokenKey::verify`]: shape, then signature, then expiry.
    /// With a previous key both HMACs are always computed and compared in constant time; the
    /// two results are OR-ed as [`subtle::Choice`] values before any branch.
    ///
    /// # Errors
    /// [`SpaTokenError::Malformed`], [`SpaTokenError::BadSignature`] (neither key matches) or
    /// [`SpaTokenError::Expired`] (authentic under one of the keys, but `now > expiry`).
    pub fn verify<'t>(
        &self,
        token: &'t str,
        now: u64,
    ) -> Result<RotatedVerification<'t>, SpaTokenError> {
        let parts = parse(token)?;
        let given = decode_lower_hex_sig(parts.signature).ok_or(SpaTokenError::BadSignature)?;
        // As in `SpaTokenKey::verify`: the signed message is the token up to the last ':'.
        let message = &token.as_bytes()[..token.len() - parts.signature.len() - 1];
        let current_ok = self.current.mac_bytes(message).ct_eq(&given);
        let previous_ok = match &self.previous {
            Some(prev) => prev.mac_bytes(message).ct_eq(&given),
            None => Choice::from(0),
        };
        if !bool::from(current_ok | previous_ok) {
            return Err(SpaTokenError::BadSignature);
        }
        if now > parts.expiry {
            return Err(SpaTokenError::Expired {
                expiry: parts.expiry,
                now,
            });
        }
        let secret = if bool::from(current_ok) {
            SecretUsed::Current
        } else {
            SecretUsed::Previous
        };
        Ok(RotatedVerification {
            token: VerifiedSpaToken {
                user_id: parts.user_id,
                expiry: parts.expiry,
            },
            secret,
        })
    }

    /// [`SpaTokenKeyring::verify`] at the current system time.
    ///
    /// # Errors
    /// As [`SpaTokenKeyring::verify`], plus [`SpaTokenError::ClockBeforeEpoch`].
    #[cfg(feature = "std")]
    pub fn verify_now<'t>(&self, token: &'t str) -> Result<RotatedVerification<'t>, SpaTokenError> {
        self.verify(token, super::unix_now()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "1111111111111111111111111111111111111111111111111111111111111111";
    const NEW: &str = "2222222222222222222222222222222222222222222222222222222222222222";
    const NOW: u64 = 1_700_000_000;

    #[test]
    fn rotation_accepts_old_until_previous_is_removed() {
        let old_token = SpaTokenKey::from_hex(OLD)
            .unwrap()
            .issue("42", NOW, 3600)
            .unwrap();
        // Before the rotation: one secret, old token valid under it.
        let before = SpaTokenKeyring::from_hex(OLD, None).unwrap();
        assert_eq!(
            before.verify(&old_token, NOW).unwrap().secret,
            SecretUsed::Current
        );
        // Rotation: new current, old previous.
        let during = SpaTokenKeyring::from_hex(NEW, Some(OLD)).unwrap();
        let v = during.verify(&old_token, NOW + 10).unwrap();
        assert_eq!(v.secret, SecretUsed::Previous);
        assert_eq!((v.token.user_id, v.token.expiry), ("42", NOW + 3600));
        // Issuing uses the current secret only.
        let fresh = during.issue("42", NOW + 10, 3600).unwrap();
        assert_eq!(
            fresh,
            SpaTokenKey::from_hex(NEW)
                .unwrap()
                .issue("42", NOW + 10, 3600)
                .unwrap()
        );
        assert_eq!(
            during.verify(&fresh, NOW + 10).unwrap().secret,
            SecretUsed::Current
        );
        // An old-secret token still expires.
        assert!(matches!(
            during.verify(&old_token, NOW + 3601),
            Err(SpaTokenError::Expired { .. })
        ));
        // After: previous removed, the old token is refused, the fresh one stays valid.
        let after = SpaTokenKeyring::from_hex(NEW, Some("  ")).unwrap();
        assert!(!after.has_previous());
        assert_eq!(
            after.verify(&old_token, NOW + 10),
            Err(SpaTokenError::BadSignature)
        );
        assert_eq!(
            after.verify(&fresh, NOW + 10).unwrap().secret,
            SecretUsed::Current
        );
    }

    #[test]
    fn third_secret_and_tampering_refused() {
        let ring = SpaTokenKeyring::from_hex(NEW, Some(OLD)).unwrap();
        let other = SpaTokenKey::from_hex(&"33".repeat(32)).unwrap();
        let t = other.issue("42", NOW, 60).unwrap();
        assert_eq!(ring.verify(&t, NOW), Err(SpaTokenError::BadSignature));
        let good = ring.issue("42", NOW, 60).unwrap();
        let forged = good.replacen("42:", "43:", 1);
        assert_eq!(ring.verify(&forged, NOW), Err(SpaTokenError::BadSignature));
        assert!(matches!(
            ring.verify("a:b", NOW),
            Err(SpaTokenError::Malformed(_))
        ));
    }

    #[test]
    fn previous_secret_errors_name_it_without_content() {
        let e = SpaTokenKeyring::from_hex(NEW, Some("zz")).unwrap_err();
        let msg = alloc::string::ToString::to_string(&e);
        assert!(msg.contains("previous secret"), "{msg}");
        assert!(!msg.contains("zz"));
        assert!(SpaTokenKeyring::from_hex("nothex", Some(OLD)).is_err());
        let dbg = alloc::format!("{:?}", SpaTokenKeyring::from_hex(NEW, Some(OLD)).unwrap());
        assert!(!dbg.contains("2222") && !dbg.contains("1111"), "{dbg}");
    }
}
