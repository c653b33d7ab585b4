//! Property tests (proptest): round trips and "any single-byte change is rejected" for the
//! SPA token, CloudFront signatures and policies, CloudFront base64 and HS256 JWTs.

use pocket_sign_core::cloudfront::{
    CloudFrontSigner, CustomPolicy, HashAlgorithm, KeyOptions, Policy, SigningKey,
};
use pocket_sign_core::encoding::{cloudfront_b64_decode, cloudfront_b64_encode};
use pocket_sign_core::jwt::{hs, Algorithm, VerifyOptions};
use pocket_sign_core::spa_token::{SpaTokenError, SpaTokenKey};
use proptest::prelude::*;
use serde_json::{Map, Value};
use std::sync::OnceLock;

const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn spa_key() -> SpaTokenKey {
    SpaTokenKey::from_hex(SECRET).unwrap()
}

fn rsa_key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let pem = include_str!("../../tests/vectors/cloudfront/test-rsa-key.pem");
        SigningKey::from_pem(
            pem,
            KeyOptions {
                allow_weak_rsa: true,
            },
        )
        .unwrap()
    })
}

fn ecdsa_key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let pem = include_str!("../../tests/vectors/cloudfront/test-ecdsa-key.pem");
        SigningKey::from_pem(pem, KeyOptions::default()).unwrap()
    })
}

/// Any non-empty user id without `:` (including non-ASCII), bounded so the token stays small.
fn user_id() -> impl Strategy<Value = String> {
    "[^:]{1,64}"
}

/// Replaces byte `i` of `s` with `b` (which differs from the original); may produce non-UTF-8.
fn mutate(s: &str, i: usize, b: u8) -> Option<Vec<u8>> {
    let mut bytes = s.as_bytes().to_vec();
    let i = i % bytes.len();
    if bytes[i] == b {
        return None;
    }
    bytes[i] = b;
    Some(bytes)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn spa_token_round_trips(user in user_id(), expiry in 0u64..=u64::MAX, now_offset in 0u64..1000) {
        let key = spa_key();
        let token = key.sign(&user, expiry).unwrap();
        let now = expiry.saturating_sub(now_offset);
        let v = key.verify(&token, now).unwrap();
        prop_assert_eq!(v.user_id, user.as_str());
        prop_assert_eq!(v.expiry, expiry);
        if let Some(later) = expiry.checked_add(1) {
            let expired = matches!(key.verify(&token, later), Err(SpaTokenError::Expired { .. }));
            prop_assert!(expired);
        }
    }

    #[test]
    fn spa_token_single_byte_change_is_rejected(user in user_id(), expiry in 0u64..u64::MAX, i in any::<usize>(), b in any::<u8>()) {
        let key = spa_key();
        let token = key.sign(&user, expiry).unwrap();
        if let Some(bytes) = mutate(&token, i, b) {
            if let Ok(text) = std::str::from_utf8(&bytes) {
                prop_assert!(key.verify(text, 0).is_err(), "mutated token verified: {text}");
            }
        }
    }

    #[test]
    fn cloudfront_b64_round_trips(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let text = cloudfront_b64_encode(&data);
        prop_assert!(!text.contains(['+', '=', '/']));
        prop_assert_eq!(cloudfront_b64_decode(&text).unwrap(), data);
    }

    #[test]
    fn custom_policy_json_parses_and_round_trips(
        resource in "\\PC{0,80}",
        expires in 1u64..=u64::MAX / 2,
        start in proptest::option::of(0u64..1_000_000),
        ip in proptest::option::of((any::<[u8; 4]>(), 0u8..=32)),
    ) {
        let mut policy = CustomPolicy::new(&resource, expires);
        if let Some(s) = start { policy = policy.starting_at(s); }
        if let Some((octets, bits)) = ip {
            let cidr = format!("{}.{}.{}.{}/{bits}", octets[0], octets[1], octets[2], octets[3]);
            policy = policy.from_ip(&cidr).unwrap();
        }
        let json: Value = serde_json::from_str(&policy.to_json()).unwrap();
        let stmt = &json["Statement"][0];
        prop_assert_eq!(stmt["Resource"].as_str(), Some(resource.as_str()));
        prop_assert_eq!(stmt["Condition"]["DateLessThan"]["AWS:EpochTime"].as_u64(), Some(expires));
        prop_assert_eq!(stmt["Condition"]["DateGreaterThan"]["AWS:EpochTime"].as_u64(), start);
        // The JSON is pure ASCII (botocore's json.dumps escapes everything else).
        prop_assert!(policy.to_json().is_ascii());
    }

    #[test]
    fn cloudfront_signature_single_byte_change_is_rejected(
        path in "[a-z0-9/]{1,40}", expires in 1u64..4_000_000_000, i in any::<usize>(), b in any::<u8>(), ecdsa in any::<bool>(), sha256 in any::<bool>()
    ) {
        let key = if ecdsa { ecdsa_key() } else { rsa_key() };
        let hash = if sha256 { HashAlgorithm::Sha256 } else { HashAlgorithm::Sha1 };
        let signer = CloudFrontSigner::new("K1TESTKEY", key.clone()).unwrap().with_hash_algorithm(hash);
        let url = format!("https://d111111abcdef8.cloudfront.net/{path}");
        let signed = signer.signed_url(&url, &Policy::Canned { expires }).unwrap();
        let sig_text = signed.split("Signature=").nth(1).unwrap().split('&').next().unwrap();
        let sig = cloudfront_b64_decode(sig_text).unwrap();
        let message = CustomPolicy::new(&url, expires).to_json();
        prop_assert!(key.verify(message.as_bytes(), &sig, hash));
        // Any change to the signature's text either fails to decode or fails to verify.
        if let Some(bytes) = mutate(sig_text, i, b) {
            if let Ok(text) = std::str::from_utf8(&bytes) {
                if let Ok(decoded) = cloudfront_b64_decode(text) {
                    prop_assert!(!key.verify(message.as_bytes(), &decoded, hash));
                }
            }
        }
        // Any change to the signed message fails to verify.
        if let Some(bytes) = mutate(&message, i, b) {
            prop_assert!(!key.verify(&bytes, &sig, hash));
        }
    }

    #[test]
    fn hs256_jwt_single_byte_change_is_rejected(sub in "\\PC{1,20}", i in any::<usize>(), b in any::<u8>()) {
        let secret = hs::HmacSecret::new(Algorithm::HS256, &[7u8; 32]).unwrap();
        let mut claims = Map::new();
        claims.insert("sub".into(), Value::String(sub));
        claims.insert("iss".into(), Value::String("https://issuer.example".into()));
        claims.insert("exp".into(), Value::from(2_000_000_000u64));
        let token = hs::sign(&secret, &claims, &Map::new()).unwrap();
        let opts = VerifyOptions::new(["https://issuer.example"]);
        prop_assert!(hs::verify(&token, &secret, &opts, 1_700_000_000).is_ok());
        if let Some(bytes) = mutate(&token, i, b) {
            if let Ok(text) = std::str::from_utf8(&bytes) {
                prop_assert!(hs::verify(text, &secret, &opts, 1_700_000_000).is_err(), "mutated JWT verified: {text}");
            }
        }
    }
}
