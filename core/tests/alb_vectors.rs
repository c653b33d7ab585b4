//! Shared ALB `x-amzn-oidc-data` vectors in `tests/vectors/alb/alb-vectors.json` (second,
//! independent reader: `tests/jwt/test_alb_vectors.py` with `cryptography`): generated
//! deterministically here (fixed P-256 key, RFC 6979 signatures, fixed `now`), checked in, and
//! checked against the file on every run. Regenerate with `POCKET_SIGN_REGEN_VECTORS=1`.
//!
//! Each case: `data` (the header value), `expected` (`"ok"` or an `AlbError::kind()`), verified
//! at `now` with `alb_arns`, `client_ids`, `issuer` and the key `public_key_pem`.

use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::{EncodePublicKey as _, LineEnding};
use pocket_sign_core::alb::{verify_alb_data, AlbPublicKey, AlbVerifyOptions};
use serde_json::{json, Value};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/vectors/alb/alb-vectors.json"
);
const NOW: u64 = 1_700_000_000;
const ARN: &str =
    "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188";
const OTHER_ARN: &str =
    "arn:aws:elasticloadbalancing:eu-west-1:999999999999:loadbalancer/app/evil/1111111111111111";
const KID: &str = "7f6c3a2e-1d4b-4c8a-9e0f-123456789abc";
const CLIENT: &str = "oidc-client";
const ISS: &str = "https://idp.example.com";

#[derive(Clone, Copy)]
enum Enc {
    UrlPadded,
    UrlUnpadded,
    Standard,
}

fn enc(e: Enc, b: &[u8]) -> String {
    match e {
        Enc::UrlPadded => URL_SAFE.encode(b),
        Enc::UrlUnpadded => URL_SAFE_NO_PAD.encode(b),
        Enc::Standard => STANDARD.encode(b),
    }
}

fn build(sk: &SigningKey, header: &Value, payload: &Value, e: Enc) -> String {
    let input = format!(
        "{}.{}",
        enc(e, header.to_string().as_bytes()),
        enc(e, payload.to_string().as_bytes())
    );
    let sig: Signature = sk.sign(input.as_bytes());
    format!("{input}.{}", enc(e, &sig.to_bytes()))
}

fn generate() -> Value {
    let sk = SigningKey::from_slice(&[0x42; 32]).unwrap();
    let other = SigningKey::from_slice(&[0x43; 32]).unwrap();
    let header = |over: Value| {
        let mut h = json!({"typ": "JWT", "kid": KID, "alg": "ES256", "iss": ISS, "client": CLIENT, "signer": ARN, "exp": NOW + 120});
        for (k, v) in over.as_object().unwrap() {
            if v.is_null() {
                h.as_object_mut().unwrap().remove(k);
            } else {
                h[k] = v.clone();
            }
        }
        h
    };
    let payload = |over: Value| {
        // "name" makes the JSON length need '=' padding and, in the standard alphabet, '+'/'/'.
        let mut p = json!({"sub": "user-1", "email": "u@example.com", "name": "\u{00ff}\u{00fe}?>", "exp": NOW + 120, "iss": ISS});
        for (k, v) in over.as_object().unwrap() {
            if v.is_null() {
                p.as_object_mut().unwrap().remove(k);
            } else {
                p[k] = v.clone();
            }
        }
        p
    };
    let valid = build(&sk, &header(json!({})), &payload(json!({})), Enc::UrlPadded);
    let (h, _, s) = {
        let mut it = valid.split('.');
        (
            it.next().unwrap().to_string(),
            it.next(),
            it.next().unwrap().to_string(),
        )
    };
    let tampered = format!(
        "{h}.{}.{s}",
        URL_SAFE.encode(payload(json!({"sub": "admin"})).to_string())
    );
    let unpadded_sig_text = valid.replacen("=.", ".", 1);
    let cases = vec![
        (
            "valid, padded base64url (as ALB sends)",
            valid.clone(),
            "ok",
        ),
        (
            "valid, unpadded base64url",
            build(
                &sk,
                &header(json!({})),
                &payload(json!({})),
                Enc::UrlUnpadded,
            ),
            "ok",
        ),
        (
            "valid, standard base64 alphabet (older ALBs)",
            build(&sk, &header(json!({})), &payload(json!({})), Enc::Standard),
            "ok",
        ),
        (
            "padding stripped after signing",
            unpadded_sig_text,
            "InvalidSignature",
        ),
        ("tampered payload", tampered, "InvalidSignature"),
        (
            "signed by another key",
            build(
                &other,
                &header(json!({})),
                &payload(json!({})),
                Enc::UrlPadded,
            ),
            "InvalidSignature",
        ),
        (
            "wrong signer ARN",
            build(
                &sk,
                &header(json!({"signer": OTHER_ARN})),
                &payload(json!({})),
                Enc::UrlPadded,
            ),
            "InvalidSigner",
        ),
        (
            "missing signer",
            build(
                &sk,
                &header(json!({"signer": null})),
                &payload(json!({})),
                Enc::UrlPadded,
            ),
            "InvalidSigner",
        ),
        (
            "wrong client",
            build(
                &sk,
                &header(json!({"client": "other"})),
                &payload(json!({})),
                Enc::UrlPadded,
            ),
            "InvalidClientId",
        ),
        (
            "expired (payload exp)",
            build(
                &sk,
                &header(json!({})),
                &payload(json!({"exp": NOW - 1})),
                Enc::UrlPadded,
            ),
            "Expired",
        ),
        (
            "expired (header exp)",
            build(
                &sk,
                &header(json!({"exp": NOW - 1})),
                &payload(json!({})),
                Enc::UrlPadded,
            ),
            "Expired",
        ),
        (
            "no exp anywhere",
            build(
                &sk,
                &header(json!({"exp": null})),
                &payload(json!({"exp": null})),
                Enc::UrlPadded,
            ),
            "MissingExp",
        ),
        (
            "not yet valid",
            build(
                &sk,
                &header(json!({})),
                &payload(json!({"nbf": NOW + 600})),
                Enc::UrlPadded,
            ),
            "NotBefore",
        ),
        (
            "wrong issuer",
            build(
                &sk,
                &header(json!({})),
                &payload(json!({"iss": "https://evil"})),
                Enc::UrlPadded,
            ),
            "InvalidIssuer",
        ),
        (
            "kid not a UUID",
            build(
                &sk,
                &header(json!({"kid": "../../x"})),
                &payload(json!({})),
                Enc::UrlPadded,
            ),
            "InvalidKid",
        ),
        (
            "alg ES384",
            build(
                &sk,
                &header(json!({"alg": "ES384"})),
                &payload(json!({})),
                Enc::UrlPadded,
            ),
            "InvalidSignatureAlgorithm",
        ),
        (
            "alg none",
            build(
                &sk,
                &header(json!({"alg": "none"})),
                &payload(json!({})),
                Enc::UrlPadded,
            ),
            "InvalidSignatureAlgorithm",
        ),
        (
            "two segments",
            "eyJhbGciOiJFUzI1NiJ9.e30".to_string(),
            "Malformed",
        ),
    ];
    json!({
        "description": "ALB x-amzn-oidc-data verification vectors (generated by core/tests/alb_vectors.rs)",
        "now": NOW,
        "alb_arns": [ARN],
        "client_ids": [CLIENT],
        "issuer": ISS,
        "kid": KID,
        "public_key_pem": sk.verifying_key().to_public_key_pem(LineEnding::LF).unwrap(),
        "cases": cases.into_iter().map(|(name, data, expected)| json!({"name": name, "data": data, "expected": expected})).collect::<Vec<_>>(),
    })
}

#[test]
fn alb_vectors_are_current_and_hold() {
    let generated = generate();
    let text = serde_json::to_string_pretty(&generated).unwrap() + "\n";
    if std::env::var_os("POCKET_SIGN_REGEN_VECTORS").is_some() {
        std::fs::create_dir_all(std::path::Path::new(PATH).parent().unwrap()).unwrap();
        std::fs::write(PATH, &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(PATH)
        .expect("vectors file (regenerate with POCKET_SIGN_REGEN_VECTORS=1)");
    assert_eq!(
        on_disk, text,
        "tests/vectors/alb/alb-vectors.json is stale: regenerate with POCKET_SIGN_REGEN_VECTORS=1"
    );

    let v: Value = serde_json::from_str(&on_disk).unwrap();
    let key = AlbPublicKey::from_pem(v["public_key_pem"].as_str().unwrap()).unwrap();
    let strs = |k: &str| {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let opts = AlbVerifyOptions {
        alb_arns: strs("alb_arns"),
        client_ids: Some(strs("client_ids")),
        issuer: Some(v["issuer"].as_str().unwrap().to_string()),
        grace_seconds: 0,
    };
    let now = v["now"].as_u64().unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 15);
    for c in cases {
        let got = match verify_alb_data(c["data"].as_str().unwrap(), &key, &opts, now) {
            Ok(_) => "ok",
            Err(e) => e.kind(),
        };
        assert_eq!(got, c["expected"].as_str().unwrap(), "case {}", c["name"]);
    }
}
