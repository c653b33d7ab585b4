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
            Err(e) => e.aws_jwt_verify_class(),
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
            Err(e) => e.aws_jwt_verify_class(),
        };
        if got != c["expected"].as_str().unwrap() {
            failures.push(format!("{name}: got {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn pem_keys_verify_the_same_tokens() {
    let v = vectors();
    let mut checked = 0;
    for c in v["cases"].as_array().unwrap() {
        if c["expected"] != "valid" || c["verifier"]["type"] != "jwks" {
            continue;
        }
        let token = c["token"].as_str().unwrap();
        let d = jwt::decode(token).unwrap();
        let kid = d.header.kid.clone().unwrap();
        let Some(pem) = v["pem_public_keys"][&kid].as_str() else {
            continue;
        };
        let key = jwt::Jwk::from_public_key_pem(pem, Some(kid), None).unwrap();
        let o = options(&c["options"]);
        jwt::verify_with_jwk(&d, &key, &o, c["now"].as_u64().unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", c["name"]));
        checked += 1;
    }
    assert!(checked >= 5);
    // Not a public key PEM.
    let e = jwt::Jwk::from_public_key_pem("hello", None, None).unwrap_err();
    assert_eq!(e.aws_jwt_verify_class(), "JwkValidationError");
}

#[test]
fn alb_style_tokens_need_lenient_decoding() {
    let v = vectors();
    let cases = v["alb_cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    let lenient = jwt::DecodeOptions {
        allow_padding: true,
        allow_standard_alphabet: true,
        ..jwt::DecodeOptions::default()
    };
    for c in cases {
        let token = c["token"].as_str().unwrap();
        assert_eq!(
            jwt::decode(token).unwrap_err().aws_jwt_verify_class(),
            "JwtParseError"
        );
        let pem = v["pem_public_keys"][c["key"].as_str().unwrap()]
            .as_str()
            .unwrap();
        let key = jwt::Jwk::from_public_key_pem(pem, None, Some(Algorithm::ES256)).unwrap();
        let d = jwt::decode_with(token, &lenient).unwrap();
        assert!(
            d.signing_input.contains('='),
            "the signed text is the padded text"
        );
        assert!(d.header.raw["signer"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:elasticloadbalancing:"));
        let opts = VerifyOptions::new([v["issuer"].as_str().unwrap()]);
        let claims = jwt::verify_decoded(d, &key, &opts, c["now"].as_u64().unwrap()).unwrap();
        assert_eq!(claims["username"], "alice");
        // Tampering with one payload character breaks the signature.
        let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
        let p = parts[1].clone();
        let flipped = if p.starts_with('e') {
            p.replacen('e', "f", 1)
        } else {
            p.replacen(|_| true, "e", 1)
        };
        parts[1] = flipped;
        let t2 = parts.join(".");
        let r = jwt::decode_with(&t2, &lenient)
            .and_then(|d| jwt::verify_decoded(d, &key, &opts, 1_700_000_000));
        assert!(r.is_err());
    }
}

#[test]
fn tenant_vectors() {
    use pocket_sign_core::cognito::{resolve_tenant, TenantConfig, TenantError};
    let v = vectors();
    let cases = v["tenant_cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let mut failures = Vec::new();
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let cfg = &c["config"];
        let config = TenantConfig {
            enabled: cfg["enabled"].as_bool().unwrap(),
            mode: cfg["mode"].as_str().unwrap().parse().unwrap(),
            header_name: cfg["header_name"].as_str().unwrap().to_string(),
            strict: cfg["strict"].as_bool().unwrap(),
            main_domain: cfg["main_domain"].as_str().unwrap().to_string(),
            claim_name: cfg["claim_name"].as_str().unwrap().to_string(),
            require: true,
            trust_request_without_claim: cfg["trust_request_without_claim"].as_bool().unwrap(),
        };
        let claims = c["claims"].as_object().unwrap();
        let got = resolve_tenant(&config, c["header"].as_str(), c["host"].as_str(), claims);
        let got = match got {
            Ok(t) => serde_json::json!({ "tenant": t }),
            Err(TenantError::Mismatch { .. }) => serde_json::json!({"error": "Mismatch"}),
            Err(TenantError::NotProvided) => serde_json::json!({"error": "NotProvided"}),
            Err(TenantError::ClaimMissing { .. }) => serde_json::json!({"error": "ClaimMissing"}),
            Err(TenantError::ClaimNotString(_)) => serde_json::json!({"error": "ClaimNotString"}),
            Err(e) => serde_json::json!({ "error": format!("{e:?}") }),
        };
        if got != c["expected"] {
            failures.push(format!("{name}: got {got}, expected {}", c["expected"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
