//! SPA token parse + verify on arbitrary bytes: never panics, and whatever verifies must be a
//! token this key would have issued for the same user id and expiry.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pocket_sign_core::spa_token::{parse, SpaTokenKey};

const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fuzz_target!(|data: &[u8]| {
    let key = SpaTokenKey::from_hex(SECRET).expect("fixed secret is valid");
    let _ = SpaTokenKey::from_hex(&String::from_utf8_lossy(data));
    let Ok(token) = core::str::from_utf8(data) else { return };
    let _ = parse(token);
    if let Ok(v) = key.verify(token, 0) {
        let again = key.sign(v.user_id, v.expiry).expect("a verified token can be re-signed");
        assert_eq!(again, token, "only canonical tokens may verify");
    }
});
