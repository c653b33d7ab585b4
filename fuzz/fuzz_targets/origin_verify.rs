//! Origin verification on arbitrary header bytes: never panics; a parsed viewer IP prints back
//! to text that parses to the same address; only the exact secret bytes verify.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pocket_sign_core::origin_verify::{parse_viewer_ip, verify_origin, OriginDecision};

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fuzz_target!(|data: &[u8]| {
    if let Some(ip) = parse_viewer_ip(data) {
        let text = ip.to_string();
        assert_eq!(parse_viewer_ip(text.as_bytes()), Some(ip));
    }
    let d = verify_origin(Some(SECRET), Some(data), Some(data));
    assert_eq!(matches!(d, OriginDecision::Verified { .. }), data == SECRET);
    if !data.is_empty() {
        // The data as the secret: the same bytes verify, one flipped byte does not.
        assert!(matches!(verify_origin(Some(data), Some(data), None), OriginDecision::Verified { .. }));
        let mut other = data.to_vec();
        other[0] ^= 1;
        assert_eq!(verify_origin(Some(data), Some(&other), None), OriginDecision::Forbidden);
    }
});
