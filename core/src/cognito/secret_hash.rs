//! Cognito `SECRET_HASH` for app clients with a client secret.
//!
//! `SECRET_HASH = Base64( HMAC-SHA256( key = client_secret, message = username ‖ client_id ) )`
//! with the standard base64 alphabet and padding, as specified in
//! <https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash>
//! and computed by `_secret_hash` in magic-pocket's Django Ninja + Cognito example (Python `hmac`
//! + `base64.b64encode`).

use alloc::string::String;

use base64::Engine as _;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Computes the Cognito `SECRET_HASH` (44 characters of standard, padded base64).
///
/// `username` is the user name exactly as sent in `USERNAME` (magic-pocket's Django Ninja example
/// sends the email), `client_id` the app client id, `client_secret` the app client secret as
/// UTF-8 text (its bytes are the HMAC key; HMAC accepts keys of any length, so this never fails).
pub fn secret_hash(username: &str, client_id: &str, client_secret: &str) -> String {
    // HMAC (RFC 2104 §2): a key longer than the 64-byte block is hashed first, a shorter one is
    // zero-padded; keying with the padded block is therefore identical and infallible.
    let key = client_secret.as_bytes();
    let mut block = Zeroizing::new([0u8; 64]);
    if key.len() > block.len() {
        let digest = Sha256::digest(key);
        for (b, d) in block.iter_mut().zip(digest.iter()) {
            *b = *d;
        }
    } else {
        for (b, k) in block.iter_mut().zip(key) {
            *b = *k;
        }
    }
    let mut mac = <Hmac<Sha256> as KeyInit>::new(&(*block).into());
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_python_stdlib() {
        // base64.b64encode(hmac.new(b"s3cr3t!", b"foo@example.com" + b"abc", hashlib.sha256).digest())
        assert_eq!(
            secret_hash("foo@example.com", "abc", "s3cr3t!"),
            "FZrSw/1NtOtbfPFJ6A9zJur3I6mf+1dgXJkl/NbSoUc="
        );
        // The concatenation is plain: moving a character between the two parts keeps the hash.
        assert_eq!(
            secret_hash("foo@example.comab", "c", "s3cr3t!"),
            secret_hash("foo@example.com", "abc", "s3cr3t!")
        );
        // A key longer than the 64-byte HMAC block is hashed first (RFC 2104).
        let long = "k".repeat(100);
        assert_ne!(
            secret_hash("u", "c", &long),
            secret_hash("u", "c", &long[..64])
        );
    }
}
