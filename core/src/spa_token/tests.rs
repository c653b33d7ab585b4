use super::*;
use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

const VECTOR_JSON: &str = include_str!("../../../tests/vectors/spa_auth_vectors.json");
const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn key() -> SpaTokenKey {
    SpaTokenKey::from_hex(SECRET).unwrap()
}

fn malformed_kind(r: Result<VerifiedSpaToken<'_>, SpaTokenError>) -> bool {
    matches!(r, Err(SpaTokenError::Malformed(_)))
}

#[test]
fn shared_vector_verifies_and_reproduces() {
    let v: serde_json::Value = serde_json::from_str(VECTOR_JSON).unwrap();
    assert_eq!(v["cookie_name"].as_str().unwrap(), COOKIE_NAME);
    let key = SpaTokenKey::from_hex(v["secret_hex"].as_str().unwrap()).unwrap();
    let user_id = v["user_id"].as_str().unwrap();
    let expiry = v["expiry"].as_u64().unwrap();
    let token = v["token"].as_str().unwrap();
    assert_eq!(key.sign(user_id, expiry).unwrap(), token);
    let ok = key.verify(token, expiry).unwrap();
    assert_eq!((ok.user_id, ok.expiry), (user_id, expiry));
    assert_eq!(
        key.verify(token, expiry + 1),
        Err(SpaTokenError::Expired {
            expiry,
            now: expiry + 1
        })
    );
}

#[test]
fn from_bytes_equals_from_hex() {
    let bytes = hex::decode(SECRET).unwrap();
    let a = SpaTokenKey::from_bytes(&bytes).unwrap();
    assert_eq!(a.sign("u", 5).unwrap(), key().sign("u", 5).unwrap());
    // Upper-case hex is the same key.
    let upper = SpaTokenKey::from_hex(&SECRET.to_uppercase()).unwrap();
    assert_eq!(upper.sign("u", 5).unwrap(), key().sign("u", 5).unwrap());
}

#[test]
fn known_answer_from_python_hmac() {
    // hmac.new(bytes(range(32)), b"user:1", hashlib.sha256).hexdigest()
    let key = SpaTokenKey::from_bytes(&(0u8..32).collect::<Vec<u8>>()).unwrap();
    let token = key.sign("user", 1).unwrap();
    assert_eq!(
        token,
        "user:1:c8fbb7ec909d1a3a65274dcc96d09c3a5d4fab159e81c659ecb5acf73eb7178d"
    );
}

#[test]
fn boundaries() {
    let k = key();
    let t = k.issue("42", 1000, 60).unwrap();
    assert!(t.starts_with("42:1060:"));
    assert_eq!(k.verify(&t, 1060).unwrap().user_id, "42");
    assert_eq!(
        k.verify(&t, 1061),
        Err(SpaTokenError::Expired {
            expiry: 1060,
            now: 1061
        })
    );
    assert_eq!(k.verify(&t, 0).unwrap().expiry, 1060);
    // max_age 0: valid exactly at now.
    let t0 = k.issue("42", 1000, 0).unwrap();
    assert!(k.verify(&t0, 1000).is_ok());
    // Largest expiry round-trips.
    let tmax = k.sign("42", u64::MAX).unwrap();
    assert_eq!(k.verify(&tmax, u64::MAX).unwrap().expiry, u64::MAX);
    assert_eq!(k.issue("42", u64::MAX, 0).unwrap(), tmax);
    // Expiry 0.
    let tz = k.sign("42", 0).unwrap();
    assert!(tz.starts_with("42:0:"));
    assert!(k.verify(&tz, 0).is_ok());
}

#[test]
fn overflow_of_now_plus_max_age() {
    assert_eq!(
        key().issue("u", u64::MAX, 1),
        Err(SpaTokenError::ExpiryOverflow {
            now: u64::MAX,
            max_age: 1
        })
    );
    assert_eq!(
        key().issue("u", 1, u64::MAX),
        Err(SpaTokenError::ExpiryOverflow {
            now: 1,
            max_age: u64::MAX
        })
    );
}

#[test]
fn invalid_secret() {
    for bad in [
        "",
        "00",
        &SECRET[..63],
        &format!("{SECRET}0"),
        &format!("{}g", &SECRET[..63]),
        &format!(" {}", &SECRET[..63]),
        // 64 bytes but not 64 hex chars (multi-byte char).
        &format!("é{}", &SECRET[..62]),
    ] {
        match SpaTokenKey::from_hex(bad) {
            Err(SpaTokenError::InvalidSecret(msg)) => {
                assert!(!msg.contains("0123456789abcdef"), "{msg}")
            }
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    assert!(matches!(
        SpaTokenKey::from_bytes(&[0u8; 31]),
        Err(SpaTokenError::InvalidSecret(_))
    ));
    assert!(matches!(
        SpaTokenKey::from_bytes(&[0u8; 33]),
        Err(SpaTokenError::InvalidSecret(_))
    ));
}

#[test]
fn invalid_user_id() {
    let k = key();
    assert!(matches!(
        k.sign("", 1),
        Err(SpaTokenError::InvalidUserId(_))
    ));
    assert!(matches!(
        k.issue("a:b", 1, 1),
        Err(SpaTokenError::InvalidUserId(_))
    ));
    let long = "x".repeat(MAX_TOKEN_LEN);
    assert!(matches!(
        k.sign(&long, 1),
        Err(SpaTokenError::InvalidUserId(_))
    ));
    // The longest user id that fits still round-trips.
    let fit = "x".repeat(MAX_TOKEN_LEN - 1 - 2 - 1 - SIGNATURE_HEX_LEN);
    let t = k.sign(&fit, 10).unwrap();
    assert_eq!(t.len(), MAX_TOKEN_LEN);
    assert!(k.verify(&t, 10).is_ok());
}

#[test]
fn malformed_tokens() {
    let k = key();
    let good = k.sign("u", 100).unwrap();
    let sig = good.rsplit(':').next().unwrap().to_string();
    for bad in [
        String::new(),
        "u".to_string(),
        "u:100".to_string(),
        format!("u:100:{sig}:x"),
        format!("a:b:100:{sig}"),
        format!(":100:{sig}"),
        format!("u::{sig}"),
        format!("u:+100:{sig}"),
        format!("u:-100:{sig}"),
        format!("u: 100:{sig}"),
        format!("u:1_00:{sig}"),
        format!("u:0100:{sig}"),
        format!("u:1e3:{sig}"),
        format!("u:\u{0661}00:{sig}"),
        format!("u:18446744073709551616:{sig}"),
        format!("u:99999999999999999999:{sig}"),
        format!("u:123456789012345678901:{sig}"),
        format!("{}:100:{sig}", "x".repeat(MAX_TOKEN_LEN)),
    ] {
        assert!(malformed_kind(k.verify(&bad, 0)), "{bad:?}");
        assert!(parse(&bad).is_err(), "{bad:?}");
    }
    // The largest u64 parses.
    assert_eq!(parse("u:18446744073709551615:s").unwrap().expiry, u64::MAX);
}

#[test]
fn bad_signatures() {
    let k = key();
    let good = k.sign("u", 100).unwrap();
    let (head, sig) = good.rsplit_once(':').unwrap();
    let flipped = {
        let mut s = sig.to_string();
        let last = if s.ends_with('0') { '1' } else { '0' };
        s.pop();
        s.push(last);
        s
    };
    for bad_sig in [
        String::new(),
        sig.to_uppercase(),
        sig[..63].to_string(),
        format!("{sig}0"),
        format!("{}g", &sig[..63]),
        format!("{}é", &sig[..62]),
        format!("{}\u{3042}", &sig[..61]),
        flipped,
        "0".repeat(64),
    ] {
        let token = format!("{head}:{bad_sig}");
        assert_eq!(
            k.verify(&token, 0),
            Err(SpaTokenError::BadSignature),
            "{token:?}"
        );
    }
    // Another key, another user, another expiry: all bad signatures.
    let other = SpaTokenKey::from_bytes(&[7u8; 32]).unwrap();
    assert_eq!(other.verify(&good, 0), Err(SpaTokenError::BadSignature));
    assert_eq!(
        k.verify(&format!("v:100:{sig}"), 0),
        Err(SpaTokenError::BadSignature)
    );
    assert_eq!(
        k.verify(&format!("u:101:{sig}"), 0),
        Err(SpaTokenError::BadSignature)
    );
    // A forged token past its expiry is a bad signature, not "expired".
    assert_eq!(
        k.verify(&format!("u:1:{sig}"), 50),
        Err(SpaTokenError::BadSignature)
    );
}

#[test]
fn unicode_user_ids_round_trip() {
    let k = key();
    for uid in ["ユーザー", "é", "a b", "😀", "\u{0}", "a/b?c=d", "42"] {
        let t = k.issue(uid, 10, 10).unwrap();
        assert_eq!(k.verify(&t, 20).unwrap().user_id, uid);
    }
}

#[test]
fn debug_is_redacted_and_errors_are_sentences() {
    let k = key();
    let dbg = format!("{k:?}");
    assert_eq!(dbg, "SpaTokenKey(<redacted>)");
    let e = SpaTokenKey::from_hex(&SECRET[..63])
        .unwrap_err()
        .to_string();
    assert!(!e.contains(&SECRET[..16]), "{e}");
    assert_eq!(
        SpaTokenError::Expired { expiry: 1, now: 2 }.to_string(),
        "token expired at 1 (now 2)"
    );
}

#[test]
fn parse_returns_parts() {
    let p = parse("vector-user:9999999999:abc").unwrap();
    assert_eq!(
        p,
        SpaTokenParts {
            user_id: "vector-user",
            expiry: 9_999_999_999,
            signature: "abc"
        }
    );
}

#[cfg(feature = "std")]
#[test]
fn clock_conveniences() {
    let k = key();
    let t = k.issue_now("9", 60).unwrap();
    assert_eq!(k.verify_now(&t).unwrap().user_id, "9");
    let past = k.sign("9", 1).unwrap();
    assert!(matches!(
        k.verify_now(&past),
        Err(SpaTokenError::Expired { expiry: 1, .. })
    ));
}

#[test]
fn parse_strict_requires_a_64_lowercase_hex_signature() {
    let key =
        SpaTokenKey::from_hex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
            .unwrap();
    let token = key.sign("alice", 1_796_176_131).unwrap();
    assert_eq!(parse_strict(&token).unwrap(), parse(&token).unwrap());
    let sig = token.rsplit(':').next().unwrap();
    for bad in [
        String::from("alice:1796176131:"),
        alloc::format!("alice:1796176131:{}", sig.to_uppercase()),
        alloc::format!("alice:1796176131:{}", &sig[1..]),
        alloc::format!("alice:1796176131:{sig}0"),
        alloc::format!("alice:1796176131:{}g", &sig[1..]),
    ] {
        assert!(parse(&bad).is_ok(), "{bad}");
        assert!(
            matches!(parse_strict(&bad), Err(SpaTokenError::Malformed(_))),
            "{bad}"
        );
    }
}

#[test]
fn kind_is_the_variant_name() {
    let all = [
        SpaTokenError::Malformed("x".into()),
        SpaTokenError::Expired { expiry: 1, now: 2 },
        SpaTokenError::BadSignature,
        SpaTokenError::InvalidSecret("x".into()),
        SpaTokenError::InvalidUserId("x".into()),
        SpaTokenError::ExpiryOverflow { now: 1, max_age: 2 },
        SpaTokenError::ClockBeforeEpoch,
    ];
    for e in all {
        let debug = format!("{e:?}");
        assert!(debug.starts_with(e.kind()), "{debug} / {}", e.kind());
        let rest = &debug[e.kind().len()..];
        assert!(rest.is_empty() || rest.starts_with([' ', '(']), "{debug}");
    }
}
