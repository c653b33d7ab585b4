//! JWT decode + verify against a fixed JWKS on arbitrary input: never panics, never accepts.
//! (The fuzzer cannot forge an RS256 signature, so any `Ok` is a verifier bug.)
#![no_main]
use libfuzzer_sys::fuzz_target;
use pocket_sign_core::jwt::{decode, jwk::JwkSet, verify_with_jwks, TokenUse, VerifyOptions};

const JWKS: &str = include_str!("../../tests/vectors/jwt/jwt_vectors.json");

fuzz_target!(|data: &[u8]| {
    let Ok(token) = core::str::from_utf8(data) else { return };
    let _ = decode(token);
    let v: serde_json::Value = serde_json::from_str(JWKS).expect("vector file is JSON");
    let jwks = JwkSet::from_json(v["jwks"].to_string().as_bytes()).expect("vector JWKS parses");
    let opts = VerifyOptions::cognito(
        v["issuer"].as_str().unwrap_or_default().to_string(),
        TokenUse::Access,
        vec![v["client_id"].as_str().unwrap_or_default().to_string()],
    );
    assert!(verify_with_jwks(token, &jwks, &opts, 1_700_000_000).is_err() || is_vector(token, &v));
});

/// A token that is one of the checked-in valid vectors may legitimately verify.
fn is_vector(token: &str, v: &serde_json::Value) -> bool {
    v["cases"]
        .as_array()
        .map(|cases| cases.iter().any(|c| c["token"].as_str() == Some(token)))
        .unwrap_or(false)
}
