//! Secrets never show up in `Debug` / `Display`: keys (`SpaTokenKey`, `SigningKey`,
//! `CloudFrontSigner`, `HmacSecret`), keygen outputs (private parts) and every error produced
//! from secret input. Each check formats the value and searches the text for the secret's
//! hex, its raw bytes as Rust prints them, and every 12-character window of the PEM body /
//! base64 text (so a partial leak is caught too).

use base64::Engine as _;
use pocket_sign_core::cloudfront::{CloudFrontSigner, KeyOptions, SigningKey};
use pocket_sign_core::jwt::hs::{self, HmacSecret};
use pocket_sign_core::jwt::{Algorithm, Jwk, VerifyOptions};
use pocket_sign_core::spa_token::SpaTokenKey;

const DEMO_PEM: &str = include_str!("../../examples/demo-cloudfront-key.pem");
const SPA_SECRET: &str = "5f2b9c0e7a1d4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7";

/// Fragments whose presence in formatted output would be a leak.
struct Secret {
    name: &'static str,
    fragments: Vec<String>,
}

impl Secret {
    /// Every `w`-character window of `text` (whitespace removed), plus the whole text.
    fn windows(name: &'static str, text: &str, w: usize) -> Secret {
        let compact: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
        let mut fragments: Vec<String> = compact.windows(w).map(|c| c.iter().collect()).collect();
        fragments.push(compact.iter().collect());
        Secret { name, fragments }
    }
    /// The secret bytes as hex (both cases), as Rust's `{:?}` of a byte slice, and as base64.
    fn bytes(name: &'static str, bytes: &[u8]) -> Secret {
        let mut s = Secret::windows(name, &hex::encode(bytes), 12);
        s.fragments
            .extend(Secret::windows(name, &hex::encode_upper(bytes), 12).fragments);
        let dbg = format!("{bytes:?}");
        let dbg = dbg.trim_start_matches('[');
        s.fragments.push(dbg.chars().take(16).collect());
        s.fragments.extend(
            Secret::windows(
                name,
                &base64::engine::general_purpose::STANDARD.encode(bytes),
                12,
            )
            .fragments,
        );
        s
    }
    /// The PEM body (base64 lines), and the base64 of the whole PEM ({NAME}_PEM_BASE64).
    fn pem(name: &'static str, pem: &str) -> Secret {
        let body: String = pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .join("");
        let mut s = Secret::windows(name, &body, 12);
        // Base64 of the whole PEM, without the parts that only encode the BEGIN / END lines
        // (those are the same for every key of a type, public ones included).
        let b64 = base64::engine::general_purpose::STANDARD.encode(pem.as_bytes());
        let inner = b64.get(48..b64.len().saturating_sub(48)).unwrap_or("");
        s.fragments
            .extend(Secret::windows(name, inner, 12).fragments);
        s
    }
    fn assert_absent(&self, what: &str, text: &str) {
        for f in &self.fragments {
            assert!(
                !text.contains(f.as_str()),
                "{what} leaks {} (fragment {f:?}) in {text:?}",
                self.name
            );
        }
    }
}

fn both<T: std::fmt::Debug + std::fmt::Display>(v: &T) -> String {
    format!("{v:?} | {v} | {v:#?}")
}

#[test]
fn spa_token_key_and_its_errors() {
    let secret = Secret::windows("the SPA secret", SPA_SECRET, 12);
    let raw = Secret::bytes("the SPA key bytes", &hex::decode(SPA_SECRET).unwrap());
    let key = SpaTokenKey::from_hex(SPA_SECRET).unwrap();
    let dbg = format!("{key:?} {key:#?}");
    secret.assert_absent("Debug of SpaTokenKey", &dbg);
    raw.assert_absent("Debug of SpaTokenKey", &dbg);
    let from_bytes = SpaTokenKey::from_bytes(&hex::decode(SPA_SECRET).unwrap()).unwrap();
    raw.assert_absent(
        "Debug of SpaTokenKey::from_bytes",
        &format!("{from_bytes:?}"),
    );

    // Near-miss secrets: the error must describe the shape, never repeat the text.
    let bad = [
        format!("{}g", &SPA_SECRET[..63]),
        format!("{}0", SPA_SECRET),
        SPA_SECRET[..63].to_string(),
        format!(" {}", &SPA_SECRET[1..]),
        SPA_SECRET.to_uppercase().replace('F', "\u{0661}"),
    ];
    for b in &bad {
        let e = SpaTokenKey::from_hex(b).unwrap_err();
        Secret::windows("the bad secret", b, 12).assert_absent("SpaTokenError", &both(&e));
        secret.assert_absent("SpaTokenError", &both(&e));
    }
    let e = SpaTokenKey::from_bytes(&[0x5f; 31]).unwrap_err();
    Secret::bytes("31 key bytes", &[0x5f; 31]).assert_absent("SpaTokenError", &both(&e));

    // Verification errors carry neither the secret nor the expected MAC.
    let token = key.issue("42", 1_700_000_000, 60).unwrap();
    let mac = token.rsplit(':').next().unwrap().to_string();
    let forged = format!("43:1700000060:{mac}");
    let e = key.verify(&forged, 1_700_000_000).unwrap_err();
    let expected_mac = key.sign("43", 1_700_000_060).unwrap();
    let expected_mac = expected_mac.rsplit(':').next().unwrap();
    Secret::windows("the expected MAC", expected_mac, 12).assert_absent("verify error", &both(&e));
    secret.assert_absent("verify error", &both(&e));
}

#[test]
fn cloudfront_keys_signer_and_their_errors() {
    let secret = Secret::pem("the demo private key", DEMO_PEM);
    let key = SigningKey::from_pem(DEMO_PEM, KeyOptions::default()).unwrap();
    secret.assert_absent("Debug of SigningKey", &format!("{key:?} {key:#?}"));
    let signer = CloudFrontSigner::new("K2JCJMDEHXQW5F", key.clone()).unwrap();
    secret.assert_absent(
        "Debug of CloudFrontSigner",
        &format!("{signer:?} {signer:#?}"),
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode(DEMO_PEM);
    let key2 = SigningKey::from_pem_base64(&b64, KeyOptions::default()).unwrap();
    secret.assert_absent("Debug of SigningKey (base64)", &format!("{key2:?}"));

    // Corrupted copies of the real key: each error is about the shape, never the body.
    let lines: Vec<&str> = DEMO_PEM.lines().collect();
    let mut corrupt = Vec::new();
    // One body character changed in the middle (DER no longer parses).
    let mut l = lines.clone();
    let mid = l.len() / 2;
    let changed = l[mid].replacen(|c: char| c.is_ascii_alphanumeric(), "!", 1);
    l[mid] = &changed;
    corrupt.push(l.join("\n"));
    // Truncated body.
    corrupt.push(format!(
        "{}\n-----END RSA PRIVATE KEY-----\n",
        lines[..mid].join("\n")
    ));
    // Right body, wrong labels.
    corrupt.push(DEMO_PEM.replace("RSA PRIVATE KEY", "PUBLIC KEY"));
    corrupt.push(DEMO_PEM.replace("RSA PRIVATE KEY", "OPENSSH PRIVATE KEY"));
    corrupt.push(DEMO_PEM.replace("RSA PRIVATE KEY", "PRIVATE KEY"));
    for c in &corrupt {
        let e = SigningKey::from_pem(c, KeyOptions::default()).unwrap_err();
        secret.assert_absent("SigningError (PEM)", &both(&e));
        let b = base64::engine::general_purpose::STANDARD.encode(c);
        let e = SigningKey::from_pem_base64(&b, KeyOptions::default()).unwrap_err();
        secret.assert_absent("SigningError (base64)", &both(&e));
    }
    // Base64 damaged in the middle, and in the URL-safe alphabet.
    let damaged = format!("{}*{}", &b64[..100], &b64[101..]);
    let e = SigningKey::from_pem_base64(&damaged, KeyOptions::default()).unwrap_err();
    secret.assert_absent("SigningError (bad base64)", &both(&e));
    let url_safe = base64::engine::general_purpose::URL_SAFE.encode(format!("???\n{DEMO_PEM}"));
    let e = SigningKey::from_pem_base64(&url_safe, KeyOptions::default()).unwrap_err();
    secret.assert_absent("SigningError (base64url)", &both(&e));
}

#[test]
fn hmac_secret_and_jwt_errors() {
    let raw = b"jwt-shared-secret-0123456789abcdef-XYZ";
    let secret = Secret::windows("the HMAC secret", std::str::from_utf8(raw).unwrap(), 12);
    let bytes = Secret::bytes("the HMAC secret bytes", raw);
    let s = HmacSecret::new(Algorithm::HS256, raw).unwrap();
    let dbg = format!("{s:?} {s:#?}");
    secret.assert_absent("Debug of HmacSecret", &dbg);
    bytes.assert_absent("Debug of HmacSecret", &dbg);

    let short = &raw[..31];
    let e = HmacSecret::new(Algorithm::HS256, short).unwrap_err();
    Secret::windows("the short secret", std::str::from_utf8(short).unwrap(), 12)
        .assert_absent("JwtError (short secret)", &both(&e));

    // A token made with another secret: the error names neither secret nor the MAC.
    let other = HmacSecret::new(Algorithm::HS256, b"another-secret-of-32-bytes-or-more!!").unwrap();
    let mut claims = serde_json::Map::new();
    claims.insert("sub".into(), "42".into());
    claims.insert("exp".into(), 4_000_000_000u64.into());
    let token = hs::sign(&other, &claims, &serde_json::Map::new()).unwrap();
    let e = hs::verify(&token, &s, &VerifyOptions::default(), 1_700_000_000).unwrap_err();
    secret.assert_absent("JwtError (wrong secret)", &both(&e));
    let good = hs::sign(&s, &claims, &serde_json::Map::new()).unwrap();
    let good_mac = good.rsplit('.').next().unwrap();
    Secret::windows("the expected MAC", good_mac, 12)
        .assert_absent("JwtError (wrong secret)", &both(&e));

    // A JWK carrying private or symmetric members: refused, and the values are not echoed.
    for member in ["d", "p", "q", "dp", "dq", "qi", "k"] {
        let value = "c2VjcmV0LXByaXZhdGUtbWVtYmVyLXZhbHVlLTAxMjM0NTY3ODk";
        let jwk = format!(r#"{{"kty":"RSA","n":"AQAB","e":"AQAB","{member}":"{value}"}}"#);
        let e = Jwk::from_json(jwk.as_bytes()).unwrap_err();
        Secret::windows("the private JWK member", value, 12)
            .assert_absent("JwtError (private JWK)", &both(&e));
    }
}

#[cfg(feature = "std")]
#[test]
fn keygen_outputs_redact_private_parts() {
    use pocket_sign_core::keygen;
    let pair = keygen::generate_cloudfront_ecdsa_key_pair().unwrap();
    let dbg = format!("{pair:?} {pair:#?}");
    Secret::pem("the generated private key", &pair.private_key_pem)
        .assert_absent("Debug of CloudFrontKeyPair", &dbg);
    // The public half is shown (it is public), so the check above is not vacuous only if the
    // private body differs from the public one.
    assert!(dbg.contains(pair.public_key_pem.lines().nth(1).unwrap()));
    // The loaded key's Debug is redacted as well.
    let key = SigningKey::from_pem(&pair.private_key_pem, KeyOptions::default()).unwrap();
    Secret::pem("the generated private key", &pair.private_key_pem)
        .assert_absent("Debug of SigningKey", &format!("{key:?}"));

    let spa = keygen::generate_spa_token_secret();
    let key = SpaTokenKey::from_hex(&spa).unwrap();
    Secret::windows("the generated SPA secret", &spa, 12)
        .assert_absent("Debug of SpaTokenKey", &format!("{key:?}"));

    // KeygenError messages carry lengths only, never generated material.
    let e = keygen::generate_password(0, Some("ab")).unwrap_err();
    assert!(!both(&e).is_empty());
}

/// The checker itself catches leaks (so the tests above cannot pass vacuously).
#[test]
#[should_panic(expected = "leaks")]
fn checker_detects_a_partial_leak() {
    let secret = Secret::pem("the demo private key", DEMO_PEM);
    let body_line = DEMO_PEM.lines().nth(5).unwrap();
    secret.assert_absent(
        "a leaky message",
        &format!("invalid key near {}", &body_line[10..30]),
    );
}
