//! JWT decode + verify against a fixed JWKS on arbitrary input: never panics, never accepts a
//! token that is not one of the checked-in valid vectors (the fuzzer cannot forge a signature).
#![no_main]
use libfuzzer_sys::fuzz_target;
use pocket_sign_core::jwt::{decode, verify_with_jwks, JwkSet, TokenUse, VerifyOptions};
use std::sync::OnceLock;

const VECTORS: &str = include_str!("../../tests/vectors/jwt/jwt_vectors.json");

struct Fixture {
    jwks: JwkSet,
    opts: VerifyOptions,
    valid_tokens: Vec<String>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let v: serde_json::Value = serde_json::from_str(VECTORS).expect("vector file is JSON");
        let jwks = JwkSet::from_json(v["jwks"].to_string().as_bytes()).expect("vector JWKS parses");
        let opts = VerifyOptions::cognito(
            v["issuer"].as_str().unwrap_or_default().to_string(),
            TokenUse::Access,
            vec![v["client_id"].as_str().unwrap_or_default().to_string()],
        );
        let valid_tokens = v["cases"]
            .as_array()
            .map(|cases| cases.iter().filter_map(|c| c["token"].as_str().map(String::from)).collect())
            .unwrap_or_default();
        Fixture { jwks, opts, valid_tokens }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(token) = core::str::from_utf8(data) else { return };
    let _ = decode(token);
    let f = fixture();
    if verify_with_jwks(token, &f.jwks, &f.opts, 1_700_000_000).is_ok() {
        assert!(f.valid_tokens.iter().any(|t| t == token), "a fuzzed token verified: {token}");
    }
});
