//! Reads tests/vectors/jwt/jwt_vectors.json (tokens made by PyJWT / cryptography, see
//! generate.py there) and checks every case's outcome and error kind, with the back end this
//! build uses (RustCrypto without features, ring with `std`/`ring`).

use pocket_sign_core::cognito::secret_hash;
use pocket_sign_core::jwt::{self, hs, Algorithm, JwkSet, TokenUse, VerifyOptions};
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/jwt/jwt_vectors.json"
    );
    let text = std::fs::read_to_string(path).expect("read jwt_vectors.json");
    serde_json::from_str(&text).expect("parse jwt_vectors.json")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn options(o: &Value) -> VerifyOptions {
    let mut opts = VerifyOptions::new(strings(&o["issuers"]));
    opts.token_use = o["token_use"]
        .as_str()
        .map(|t| t.parse::<TokenUse>().unwrap());
    opts.client_ids = o.get("client_ids").map(strings);
    opts.audiences = o.get("audiences").map(strings);
    opts.groups = o.get("groups").map(strings);
    opts.scopes = o.get("scopes").map(strings).unwrap_or_default();
    opts.grace_seconds = o["grace_seconds"].as_u64().unwrap_or(0);
    opts.max_age_seconds = o["max_age_seconds"].as_u64();
    opts
}

fn b64url(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .unwrap()
}

#[test]
fn pyjwt_vectors() {
    let v = vectors();
    let jwks = JwkSet::from_json(serde_json::to_string(&v["jwks"]).unwrap().as_bytes()).unwrap();
    assert_eq!(jwks.len(), 7, "every JWK but the 1024-bit one is usable");
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 50);
    let mut failures = Vec::new();
    let mut seen_valid = 0;
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let token = c["token"].as_str().unwrap();
        let now = c["now"].as_u64().unwrap();
        let opts = options(&c["options"]);
        let result = match c["verifier"]["type"].as_str().unwrap() {
            "jwks" => jwt::verify_with_jwks(token, &jwks, &opts, now),
            "hmac" => {
                let alg: Algorithm = c["verifier"]["alg"].as_str().unwrap().parse().unwrap();
                let hex = v["hmac_secrets_hex"][alg.as_str()].as_str().unwrap();
                let secret = hs::HmacSecret::new(alg, &hex::decode(hex).unwrap()).unwrap();
                hs::verify(token, &secret, &opts, now)
            }
            other => panic!("unknown verifier {other}"),
        };
        let got = match &result {
            Ok(_) => "valid",
            Err(e) => e.kind(),
        };
        let want = c["expected"].as_str().unwrap();
        if got != want {
            failures.push(format!("{name}: expected {want}, got {got} ({result:?})"));
        }
        if let Ok(claims) = result {
            seen_valid += 1;
            // The returned claims are exactly the token's payload.
            let payload = token.split('.').nth(1).unwrap();
            let raw: Value = serde_json::from_slice(&b64url(payload)).unwrap();
            assert_eq!(Value::Object(claims), raw, "{name}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(seen_valid >= 15);
}

#[test]
fn secret_hash_matches_python() {
    let v = vectors();
    let cases = v["secret_hash"].as_array().unwrap();
    assert!(!cases.is_empty());
    for c in cases {
        assert_eq!(
            secret_hash(
                c["username"].as_str().unwrap(),
                c["client_id"].as_str().unwrap(),
                c["client_secret"].as_str().unwrap()
            ),
            c["secret_hash"].as_str().unwrap()
        );
    }
}

#[test]
fn jwk_parse_vectors() {
    let v = vectors();
    let cases = v["jwk_cases"].as_array().unwrap();
    assert!(cases.len() >= 15);
    let mut failures = Vec::new();
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let text = serde_json::to_string(&c["jwk"]).unwrap();
        let got = match jwt::Jwk::from_json(text.as_bytes()) {
            Ok(_) => "valid",
            Err(e) => e.kind(),
        };
        if got != c["expected"].as_str().unwrap() {
            failures.push(format!("{name}: got {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
