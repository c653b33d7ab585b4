//! Rough timing of verification on parsed keys (ignored by default; run with
//! `cargo test -p pocket-sign-core [--features std] --test jwt_bench -- --ignored --nocapture`).

use std::time::Instant;

use pocket_sign_core::jwt::{self, JwkSet, TokenUse, VerifyOptions};
use serde_json::Value;

#[test]
#[ignore]
fn time_verification() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/jwt/jwt_vectors.json"
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let jwks = JwkSet::from_json(serde_json::to_string(&v["jwks"]).unwrap().as_bytes()).unwrap();
    let iss = v["issuer"].as_str().unwrap().to_string();
    let client = v["client_id"].as_str().unwrap().to_string();
    let opts = VerifyOptions::cognito(iss, TokenUse::Access, vec![client]);
    let backend = if cfg!(feature = "native") {
        "OpenSSL (native)"
    } else {
        "RustCrypto (portable)"
    };
    for c in v["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        if c["expected"] != "valid" || !name.contains("access token") {
            continue;
        }
        let token = c["token"].as_str().unwrap();
        let now = c["now"].as_u64().unwrap();
        jwt::verify_with_jwks(token, &jwks, &opts, now).unwrap();
        let n = 200u32;
        let t = Instant::now();
        for _ in 0..n {
            jwt::verify_with_jwks(token, &jwks, &opts, now).unwrap();
        }
        let per = t.elapsed() / n;
        let d = jwt::decode(token).unwrap();
        let t = Instant::now();
        for _ in 0..n {
            jwt::decode(token).unwrap();
        }
        let dec = t.elapsed() / n;
        println!(
            "[{backend}] {:<5} full verify {:>8.1} µs, of which decode {:>6.1} µs",
            d.header.alg.as_str(),
            per.as_secs_f64() * 1e6,
            dec.as_secs_f64() * 1e6
        );
    }
}
