//! CloudFront base64 decode of arbitrary text never panics, and encode/decode round-trips.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pocket_sign_core::encoding::{cloudfront_b64_decode, cloudfront_b64_encode};

fuzz_target!(|data: &[u8]| {
    let encoded = cloudfront_b64_encode(data);
    assert_eq!(cloudfront_b64_decode(&encoded).as_deref(), Ok(data));
    if let Ok(text) = core::str::from_utf8(data) {
        let _ = cloudfront_b64_decode(text);
    }
});
