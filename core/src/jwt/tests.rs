//! Unit tests across the JWT modules (ES256 keys made in-process; RSA and the other algorithms
//! are covered by the PyJWT/cryptography vectors in `tests/vectors/jwt/`).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use base64::Engine as _;
use p256::ecdsa::signature::Signer as _;
use serde_json::{json, Map, Value};

use super::jws::B64URL;
use super::*;

const ISS: &str = "https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_TEST";

fn signing_key() -> p256::ecdsa::SigningKey {
    p256::ecdsa::SigningKey::from_bytes(&[0x11u8; 32].into()).unwrap()
}

fn jwk_json(extra: &str) -> String {
    let vk = signing_key().verifying_key().to_encoded_point(false);
    format!(
        r#"{{"kty":"EC","crv":"P-256","kid":"k1","x":"{}","y":"{}"{extra}}}"#,
        B64URL.encode(vk.x().unwrap()),
        B64URL.encode(vk.y().unwrap())
    )
}

fn jwk() -> Jwk {
    Jwk::from_json(jwk_json(r#","alg":"ES256","use":"sig""#).as_bytes()).unwrap()
}

fn es256(header: Value, claims: Value) -> String {
    let h = B64URL.encode(serde_json::to_vec(&header).unwrap());
    let p = B64URL.encode(serde_json::to_vec(&claims).unwrap());
    let input = format!("{h}.{p}");
    let sig: p256::ecdsa::Signature = signing_key().sign(input.as_bytes());
    format!("{input}.{}", B64URL.encode(sig.to_bytes()))
}

fn access_claims() -> Value {
    json!({
        "iss": ISS, "exp": 2000, "iat": 1000, "nbf": 1000, "token_use": "access",
        "client_id": "client-a", "scope": "openid profile aws.cognito.signin.user.admin",
        "cognito:groups": ["admin", "staff"], "sub": "u1"
    })
}

fn hdr() -> Value {
    json!({"alg": "ES256", "kid": "k1"})
}

fn opts() -> VerifyOptions {
    VerifyOptions::cognito(ISS, TokenUse::Access, vec!["client-a".to_string()])
}

fn check(token: &str, o: &VerifyOptions, now: u64) -> Result<Map<String, Value>, JwtError> {
    let d = decode(token)?;
    verify_with_jwk(&d, &jwk(), o, now)
}

fn kind(token: &str, o: &VerifyOptions, now: u64) -> &'static str {
    match check(token, o, now) {
        Ok(_) => "ok",
        Err(e) => e.aws_jwt_verify_class(),
    }
}

#[test]
fn valid_es256_access_token() {
    let t = es256(hdr(), access_claims());
    let claims = check(&t, &opts(), 1500).unwrap();
    assert_eq!(claims.get("sub").unwrap(), "u1");
    let d = decode(&t).unwrap();
    assert_eq!(verify_decoded(d, &jwk(), &opts(), 1500).unwrap(), claims);
    let set = JwkSet::from_json(format!(r#"{{"keys":[{}]}}"#, jwk_json("")).as_bytes()).unwrap();
    assert_eq!(verify_with_jwks(&t, &set, &opts(), 1500).unwrap(), claims);
}

#[test]
fn signature_and_algorithm_refusals() {
    let t = es256(hdr(), access_claims());
    // tampered payload, same signature
    let parts: Vec<&str> = t.split('.').collect();
    let mut c = access_claims();
    c["sub"] = json!("admin");
    let p2 = B64URL.encode(serde_json::to_vec(&c).unwrap());
    let forged = format!("{}.{}.{}", parts[0], p2, parts[2]);
    assert_eq!(kind(&forged, &opts(), 1500), "JwtInvalidSignatureError");
    // truncated signature
    let short = format!("{}.{}.{}", parts[0], parts[1], B64URL.encode([1u8; 63]));
    assert_eq!(kind(&short, &opts(), 1500), "JwtInvalidSignatureError");
    // header alg differs from key
    for alg in ["ES384", "RS256", "EdDSA", "HS256"] {
        let t = es256(json!({"alg": alg, "kid": "k1"}), access_claims());
        assert_eq!(
            kind(&t, &opts(), 1500),
            "JwtInvalidSignatureAlgorithmError",
            "{alg}"
        );
    }
    // no alg in the JWK: HS256 and ES384 still refused (kty/crv match, never HMAC)
    let bare = Jwk::from_json(jwk_json("").as_bytes()).unwrap();
    for alg in [Algorithm::HS256, Algorithm::ES384, Algorithm::RS256] {
        assert_eq!(
            bare.check_alg(alg).unwrap_err().aws_jwt_verify_class(),
            "JwtInvalidSignatureAlgorithmError"
        );
    }
    assert!(bare.check_alg(Algorithm::ES256).is_ok());
    // JWK use enc
    let enc = Jwk::from_json(jwk_json(r#","use":"enc""#).as_bytes()).unwrap();
    assert_eq!(
        enc.check_alg(Algorithm::ES256)
            .unwrap_err()
            .aws_jwt_verify_class(),
        "JwkInvalidUseError"
    );
}

#[test]
fn jwks_lookup_errors() {
    let set = JwkSet::from_json(
        format!(
            r#"{{"keys":[{},{{"kty":"oct","kid":"sym","k":"AAAA"}},{{"kty":"RSA","kid":"weak","n":"AQAB","e":"AQAB"}}]}}"#,
            jwk_json("")
        )
        .as_bytes(),
    )
    .unwrap();
    assert_eq!(set.len(), 1);
    assert_eq!(
        set.find("nope").unwrap_err().aws_jwt_verify_class(),
        "KidNotFoundInJwksError"
    );
    assert_eq!(
        set.find("sym").unwrap_err().aws_jwt_verify_class(),
        "JwkValidationError"
    );
    assert_eq!(
        set.find("weak").unwrap_err().aws_jwt_verify_class(),
        "JwkValidationError"
    );
    let t = es256(json!({"alg": "ES256"}), access_claims());
    assert_eq!(
        verify_with_jwks(&t, &set, &opts(), 1500).unwrap_err(),
        JwtError::WithoutValidKid
    );
    let t = es256(json!({"alg": "ES256", "kid": "zz"}), access_claims());
    assert_eq!(
        verify_with_jwks(&t, &set, &opts(), 1500)
            .unwrap_err()
            .aws_jwt_verify_class(),
        "KidNotFoundInJwksError"
    );
    for bad in [
        &b"[]"[..],
        b"{}",
        br#"{"keys":{}}"#,
        br#"{"keys":[1]}"#,
        b"{",
    ] {
        assert_eq!(
            JwkSet::from_json(bad).unwrap_err().aws_jwt_verify_class(),
            "JwksValidationError"
        );
    }
}

#[test]
fn jwk_parse_rules() {
    let cases: &[(&str, &str)] = &[
        (r#"{"kty":"oct","k":"AAAA"}"#, "JwkValidationError"),
        (r#"{"kty":"oct"}"#, "JwkInvalidKtyError"),
        (
            r#"{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}"#,
            "JwkInvalidKtyError",
        ),
        (
            r#"{"kty":"OKP","crv":"X25519","x":"AA"}"#,
            "JwkInvalidKtyError",
        ),
        (
            r#"{"kty":"OKP","crv":"Ed25519","x":"AA"}"#,
            "JwkValidationError",
        ),
        (r#"{"crv":"P-256"}"#, "JwkValidationError"),
        (
            r#"{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#,
            "JwkValidationError",
        ),
        (r#"{"kty":"RSA","n":"AQAB"}"#, "JwkValidationError"),
        (
            r#"{"kty":"RSA","e":"AQAB","n":"AQAB","kid":5}"#,
            "JwkValidationError",
        ),
    ];
    for (j, k) in cases {
        assert_eq!(
            Jwk::from_json(j.as_bytes())
                .unwrap_err()
                .aws_jwt_verify_class(),
            *k,
            "{j}"
        );
    }
    // a point not on the curve: y + 1
    let vk = signing_key().verifying_key().to_encoded_point(false);
    let mut y = vk.y().unwrap().to_vec();
    y[31] ^= 1;
    let j = format!(
        r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}"#,
        B64URL.encode(vk.x().unwrap()),
        B64URL.encode(&y)
    );
    assert_eq!(
        Jwk::from_json(j.as_bytes())
            .unwrap_err()
            .aws_jwt_verify_class(),
        "JwkValidationError"
    );
    // private member
    let j = jwk_json(r#","d":"AAAA""#);
    assert_eq!(
        Jwk::from_json(j.as_bytes())
            .unwrap_err()
            .aws_jwt_verify_class(),
        "JwkValidationError"
    );
    // Debug shows no coordinates
    let dbg = format!("{:?}", jwk());
    assert!(dbg.contains("EcP256") && !dbg.contains(&B64URL.encode(vk.x().unwrap())));
}

#[test]
fn claim_checks() {
    let o = opts();
    let t = |c: Value| es256(hdr(), c);
    let with = |k: &str, v: Value| {
        let mut c = access_claims();
        c[k] = v;
        t(c)
    };
    let without = |k: &str| {
        let mut c = access_claims();
        c.as_object_mut().unwrap().remove(k);
        t(c)
    };
    // exp boundary: exp == now is accepted (aws-jwt-verify: exp + grace < now fails)
    assert_eq!(kind(&t(access_claims()), &o, 2000), "ok");
    assert_eq!(kind(&t(access_claims()), &o, 2001), "JwtExpiredError");
    assert_eq!(
        kind(&t(access_claims()), &o.clone().with_grace_seconds(5), 2005),
        "ok"
    );
    assert_eq!(
        kind(&t(access_claims()), &o.clone().with_grace_seconds(5), 2006),
        "JwtExpiredError"
    );
    assert_eq!(kind(&without("exp"), &o, 1500), "JwtInvalidClaimError");
    assert_eq!(kind(&with("exp", json!(1999.5)), &o, 1999), "ok");
    assert_eq!(
        kind(&with("exp", json!(1999.5)), &o, 2000),
        "JwtExpiredError"
    );
    // nbf
    assert_eq!(kind(&t(access_claims()), &o, 999), "JwtNotBeforeError");
    assert_eq!(
        kind(&with("nbf", json!(1000.5)), &o, 1000),
        "JwtNotBeforeError"
    );
    assert_eq!(
        kind(&t(access_claims()), &o.clone().with_grace_seconds(1), 999),
        "ok"
    );
    // max age
    let mut aged = o.clone();
    aged.max_age_seconds = Some(100);
    assert_eq!(kind(&t(access_claims()), &aged, 1100), "ok");
    assert_eq!(
        kind(&t(access_claims()), &aged, 1101),
        "JwtInvalidClaimError"
    );
    assert_eq!(kind(&without("iat"), &aged, 1050), "JwtInvalidClaimError");
    assert_eq!(
        kind(&with("iat", json!(1200)), &aged, 1100),
        "JwtInvalidClaimError"
    );
    // iss
    assert_eq!(
        kind(&with("iss", json!("https://evil")), &o, 1500),
        "JwtInvalidIssuerError"
    );
    assert_eq!(kind(&without("iss"), &o, 1500), "JwtInvalidIssuerError");
    let mut no_iss = o.clone();
    no_iss.issuers.clear();
    assert_eq!(
        kind(&t(access_claims()), &no_iss, 1500),
        "ParameterValidationError"
    );
    // generic audience
    let mut aud = o.clone();
    aud.audiences = Some(vec!["api".to_string()]);
    assert_eq!(
        kind(&t(access_claims()), &aud, 1500),
        "JwtInvalidAudienceError"
    );
    assert_eq!(kind(&with("aud", json!(["x", "api"])), &aud, 1500), "ok");
    // scopes: any of them
    let mut sc = o.clone();
    sc.scopes = vec!["nope".to_string(), "profile".to_string()];
    assert_eq!(kind(&t(access_claims()), &sc, 1500), "ok");
    sc.scopes = vec!["nope".to_string(), "prof".to_string()];
    assert_eq!(kind(&t(access_claims()), &sc, 1500), "JwtInvalidScopeError");
    sc.scopes = vec!["openid".to_string()];
    assert_eq!(kind(&without("scope"), &sc, 1500), "JwtInvalidScopeError");
    // groups: any overlap
    let mut g = o.clone();
    g.groups = Some(vec!["staff".to_string(), "x".to_string()]);
    assert_eq!(kind(&t(access_claims()), &g, 1500), "ok");
    g.groups = Some(vec!["x".to_string()]);
    assert_eq!(
        kind(&t(access_claims()), &g, 1500),
        "CognitoJwtInvalidGroupError"
    );
    assert_eq!(
        kind(&without("cognito:groups"), &g, 1500),
        "CognitoJwtInvalidGroupError"
    );
    // token_use
    assert_eq!(
        kind(&with("token_use", json!("id")), &o, 1500),
        "CognitoJwtInvalidTokenUseError"
    );
    assert_eq!(
        kind(&with("token_use", json!("refresh")), &o, 1500),
        "CognitoJwtInvalidTokenUseError"
    );
    assert_eq!(
        kind(&without("token_use"), &o, 1500),
        "CognitoJwtInvalidTokenUseError"
    );
    let mut any = o.clone();
    any.token_use = Some(TokenUse::Any);
    assert_eq!(
        kind(&with("token_use", json!("refresh")), &any, 1500),
        "CognitoJwtInvalidTokenUseError"
    );
    // client id: access -> client_id, id -> aud
    assert_eq!(
        kind(&with("client_id", json!("client-b")), &o, 1500),
        "CognitoJwtInvalidClientIdError"
    );
    assert_eq!(
        kind(&without("client_id"), &o, 1500),
        "CognitoJwtInvalidClientIdError"
    );
    let mut id_claims = access_claims();
    id_claims["token_use"] = json!("id");
    id_claims["aud"] = json!("client-a");
    id_claims.as_object_mut().unwrap().remove("client_id");
    let id_opts = VerifyOptions::cognito(ISS, TokenUse::Id, vec!["z".into(), "client-a".into()]);
    assert_eq!(kind(&t(id_claims.clone()), &id_opts, 1500), "ok");
    assert_eq!(kind(&t(id_claims.clone()), &any.clone(), 1500), "ok");
    id_claims["aud"] = json!("client-b");
    assert_eq!(
        kind(&t(id_claims), &id_opts, 1500),
        "CognitoJwtInvalidClientIdError"
    );
    // client ids without token use
    let mut bad = o.clone();
    bad.token_use = None;
    assert_eq!(
        kind(&t(access_claims()), &bad, 1500),
        "ParameterValidationError"
    );
    // custom check runs last, sees header and claims
    let custom = o.clone().with_custom_check(|h, c| {
        if h.kid.as_deref() == Some("k1") && c.get("sub").and_then(Value::as_str) == Some("u1") {
            Err("user u1 is blocked".to_string())
        } else {
            Ok(())
        }
    });
    assert_eq!(
        check(&t(access_claims()), &custom, 1500).unwrap_err(),
        JwtError::CustomCheck("user u1 is blocked".to_string())
    );
    assert_eq!(kind(&with("sub", json!("u2")), &custom, 1500), "ok");
    // an expired token never reaches the custom check
    assert_eq!(kind(&t(access_claims()), &custom, 3000), "JwtExpiredError");
    assert!(format!("{custom:?}").contains("<fn>"));
}

#[test]
fn every_kind_is_distinct_and_stable() {
    let all = [
        JwtError::Parse(String::new()),
        JwtError::InvalidSignatureAlgorithm(String::new()),
        JwtError::InvalidSignature,
        JwtError::Expired { exp: 0, now: 0 },
        JwtError::NotBefore { nbf: 0, now: 0 },
        JwtError::InvalidIssuer(String::new()),
        JwtError::InvalidAudience(String::new()),
        JwtError::InvalidScope(String::new()),
        JwtError::InvalidClaim(String::new()),
        JwtError::InvalidTokenUse(String::new()),
        JwtError::InvalidClientId(String::new()),
        JwtError::InvalidGroup(String::new()),
        JwtError::CustomCheck(String::new()),
        JwtError::WithoutValidKid,
        JwtError::KidNotFoundInJwks(String::new()),
        JwtError::JwkInvalid(String::new()),
        JwtError::JwkInvalidKty(String::new()),
        JwtError::JwkInvalidUse(String::new()),
        JwtError::JwksInvalid(String::new()),
        JwtError::Fetch(String::new()),
        JwtError::WaitPeriodNotYetEnded(String::new()),
        JwtError::JwksNotAvailableInCache(String::new()),
        JwtError::ParameterValidation(String::new()),
    ];
    let mut kinds: Vec<&str> = all.iter().map(JwtError::kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), all.len());
    assert!(JwtError::Expired { exp: 1, now: 2 }.is_claim_error());
    assert!(!JwtError::InvalidSignature.is_claim_error());
}

#[test]
fn shared_types_are_send_and_sync() {
    fn assert<T: Send + Sync + Clone>() {}
    assert::<Jwk>();
    assert::<JwkSet>();
    assert::<VerifyOptions>();
    assert::<hs::HmacSecret>();
    assert::<JwtError>();
    assert::<Header>();
}

#[test]
fn one_parsed_key_verifies_repeatedly_and_clones() {
    // The same parsed key verifies many tokens; a clone of a Jwk verifies identically.
    let key = jwk();
    let copy = key.clone();
    let t = es256(hdr(), access_claims());
    let d = decode(&t).unwrap();
    assert!(verify_with_jwk(&d, &key, &opts(), 1500).is_ok());
    assert!(verify_with_jwk(&d, &copy, &opts(), 1500).is_ok());
    assert_eq!(key.key_type(), KeyType::EcP256);
    assert_eq!(key.kid(), Some("k1"));
    assert_eq!(key.alg(), Some("ES256"));
    assert_eq!(key.key_use(), Some("sig"));
}

/// xorshift64*: a deterministic pseudo-random source for mutation tests.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    const ALPHABET: &[u8] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\":,[]\0\xff";
    let mut out = input.to_vec();
    for _ in 0..=rng.below(3) {
        if out.is_empty() {
            out.push(b'a');
        }
        let i = rng.below(out.len());
        match rng.below(4) {
            0 => out[i] = ALPHABET[rng.below(ALPHABET.len())],
            1 => {
                out.remove(i);
            }
            2 => out.insert(i, ALPHABET[rng.below(ALPHABET.len())]),
            _ => out.truncate(i),
        }
    }
    out
}

#[test]
fn mutated_tokens_never_panic_and_never_verify() {
    let t = es256(hdr(), access_claims());
    let key = jwk();
    let o = opts();
    let lenient = DecodeOptions {
        allow_padding: true,
        allow_standard_alphabet: true,
        ..DecodeOptions::default()
    };
    let original = decode(&t).unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut parsed = 0;
    for _ in 0..3000 {
        let m = mutate(&mut rng, t.as_bytes());
        let Ok(s) = core::str::from_utf8(&m) else {
            continue;
        };
        if s == t {
            continue;
        }
        if let Ok(d) = decode(s) {
            parsed += 1;
            // Strict base64url is canonical: a different token is different bytes.
            assert!(verify_with_jwk(&d, &key, &o, 1500).is_err(), "{s}");
        }
        if let Ok(d) = decode_with(s, &lenient) {
            // Lenient decoding may read a re-padded signature as the same bytes; the signed
            // text itself must still be exactly the original.
            if verify_with_jwk(&d, &key, &o, 1500).is_ok() {
                assert_eq!(d.signing_input, &t[..t.rfind('.').unwrap()]);
                assert_eq!(d.signature, original.signature);
            }
        }
    }
    assert!(
        parsed > 10,
        "the mutations should sometimes still parse ({parsed})"
    );
}

#[test]
fn mutated_jwks_never_panic() {
    let doc = format!(
        r#"{{"keys":[{},{{"kty":"RSA","kid":"r","n":"{}","e":"AQAB"}},{{"kty":"OKP","crv":"Ed25519","x":"{}"}}]}}"#,
        jwk_json(r#","alg":"ES256""#),
        B64URL.encode([0xC5u8; 256]),
        B64URL.encode([9u8; 32])
    );
    let mut rng = Rng(42);
    let mut ok = 0;
    for _ in 0..3000 {
        let m = mutate(&mut rng, doc.as_bytes());
        if let Ok(set) = JwkSet::from_json(&m) {
            ok += 1;
            let _ = set.find("k1");
        }
        let _ = Jwk::from_json(&m);
    }
    assert!(ok > 10);
}
