//! Differential tests against a second, independent JWT implementation: the `jsonwebtoken`
//! crate (its own parser, header model, algorithm checks and claim validation).
//!
//! - HS256 / RS256 / ES256 tokens minted by `jsonwebtoken` are accepted by pocket-sign
//!   ([`hs::verify`], [`jwt::verify_with_jwks`]) with exactly the same claims;
//! - pocket-sign's own signing ([`hs::sign`], what `pocket-sign jwt sign` runs) produces
//!   HS256 / HS384 / HS512 tokens that `jsonwebtoken` verifies, with the same claims and `kid`;
//! - forgeries of tokens from either side (wrong key, algorithm swap including the RS256→HS256
//!   public-key-as-secret confusion and `alg: none`, expired, tampered payload or header) are
//!   rejected by both.
//!
//! Keys: the shared vectors' `tests/vectors/jwt/keys/{rsa2048,rsa2048_other,ec_p256}.pem`
//! (PKCS#8) and one P-256 key made in the test from a fixed scalar.

use base64::Engine as _;
use jsonwebtoken::{
    self as theirs, errors::ErrorKind, DecodingKey, EncodingKey, Header, Validation,
};
use pocket_sign_core::jwt::hs::{self, HmacSecret};
use pocket_sign_core::jwt::{self, Algorithm, Jwk, JwkSet, JwtError, VerifyOptions};
use rsa::pkcs8::{DecodePrivateKey as _, EncodePublicKey as _, LineEnding};
use serde_json::{json, Map, Value};

const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/jwt/keys");
const ISS: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Diff1";
const AUD: &str = "diff-client";
const HS_SECRET: &[u8] = b"pocket-sign differential secret: 64 bytes for HS512 ............";
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{KEYS}/{name}")).unwrap()
}

/// One asymmetric key pair in both libraries' forms.
struct Pair {
    kid: &'static str,
    alg: Algorithm,
    private_pem: String,
    public_pem: String,
}

fn rsa_pair(file: &str, kid: &'static str) -> Pair {
    let private_pem = read(file);
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&private_pem).unwrap();
    let public_pem = key
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    Pair {
        kid,
        alg: Algorithm::RS256,
        private_pem,
        public_pem,
    }
}

fn ec_pair_from(key: p256::SecretKey, kid: &'static str) -> Pair {
    use p256::pkcs8::EncodePrivateKey as _;
    Pair {
        kid,
        alg: Algorithm::ES256,
        private_pem: key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string(),
        public_pem: key.public_key().to_public_key_pem(LineEnding::LF).unwrap(),
    }
}

fn ec_pair(kid: &'static str) -> Pair {
    let key = p256::SecretKey::from_pkcs8_pem(&read("ec_p256.pem")).unwrap();
    ec_pair_from(key, kid)
}

/// A P-256 key that is not in the JWKS (fixed scalar: reproducible).
fn other_ec_pair(kid: &'static str) -> Pair {
    ec_pair_from(p256::SecretKey::from_slice(&[7u8; 32]).unwrap(), kid)
}

fn their_alg(alg: Algorithm) -> theirs::Algorithm {
    match alg {
        Algorithm::HS256 => theirs::Algorithm::HS256,
        Algorithm::HS384 => theirs::Algorithm::HS384,
        Algorithm::HS512 => theirs::Algorithm::HS512,
        Algorithm::RS256 => theirs::Algorithm::RS256,
        Algorithm::ES256 => theirs::Algorithm::ES256,
        other => panic!("not used here: {other}"),
    }
}

fn encoding_key(pair: &Pair) -> EncodingKey {
    match pair.alg {
        Algorithm::RS256 => EncodingKey::from_rsa_pem(pair.private_pem.as_bytes()).unwrap(),
        _ => EncodingKey::from_ec_pem(pair.private_pem.as_bytes()).unwrap(),
    }
}

fn decoding_key(pair: &Pair) -> DecodingKey {
    match pair.alg {
        Algorithm::RS256 => DecodingKey::from_rsa_pem(pair.public_pem.as_bytes()).unwrap(),
        _ => DecodingKey::from_ec_pem(pair.public_pem.as_bytes()).unwrap(),
    }
}

fn claims(exp_offset: i64) -> Map<String, Value> {
    let t = now();
    let exp = t.checked_add_signed(exp_offset).unwrap();
    let v = json!({
        "sub": "5f1c6d1e-diff-user",
        "iss": ISS,
        "aud": AUD,
        "iat": t - 5,
        "exp": exp,
        "token_use": "id",
        "cognito:groups": ["admin", "staff"],
        "email": "alice@example.com",
        "name": "Ålice \u{1F600} \"quoted\"",
        "nested": {"list": [1, 2.5, -3, true, null], "empty": {}},
    });
    match v {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

fn our_opts() -> VerifyOptions {
    VerifyOptions {
        audiences: Some(vec![AUD.to_string()]),
        ..VerifyOptions::new([ISS])
    }
}

fn their_validation(alg: Algorithm) -> Validation {
    let mut v = Validation::new(their_alg(alg));
    v.leeway = 0;
    v.set_issuer(&[ISS]);
    v.set_audience(&[AUD]);
    v
}

/// pocket-sign's verdict for `token` with the verifier configured for `alg` (and `pair` for an
/// asymmetric algorithm, published in a JWKS under its kid).
fn ours(token: &str, alg: Algorithm, pair: Option<&Pair>) -> Result<Map<String, Value>, JwtError> {
    match pair {
        None => hs::verify(
            token,
            &HmacSecret::new(alg, HS_SECRET).unwrap(),
            &our_opts(),
            now(),
        ),
        Some(p) => {
            let jwk =
                Jwk::from_public_key_pem(&p.public_pem, Some(p.kid.into()), Some(p.alg)).unwrap();
            jwt::verify_with_jwks(token, &JwkSet::from_keys(vec![jwk]), &our_opts(), now())
        }
    }
}

/// jsonwebtoken's verdict, configured the same way.
fn theirs_verify(
    token: &str,
    alg: Algorithm,
    pair: Option<&Pair>,
) -> Result<Map<String, Value>, theirs::errors::Error> {
    let key = match pair {
        None => DecodingKey::from_secret(HS_SECRET),
        Some(p) => decoding_key(p),
    };
    theirs::decode::<Map<String, Value>>(token, &key, &their_validation(alg)).map(|d| d.claims)
}

fn their_mint(alg: Algorithm, pair: Option<&Pair>, claims: &Map<String, Value>) -> String {
    let mut header = Header::new(their_alg(alg));
    header.kid = Some(pair.map_or("hs-kid", |p| p.kid).to_string());
    let key = match pair {
        None => EncodingKey::from_secret(HS_SECRET),
        Some(p) => encoding_key(p),
    };
    theirs::encode(&header, claims, &key).unwrap()
}

fn our_mint(alg: Algorithm, claims: &Map<String, Value>) -> String {
    let secret = HmacSecret::new(alg, HS_SECRET).unwrap();
    let mut extras = Map::new();
    extras.insert("kid".into(), Value::String("hs-kid".into()));
    hs::sign(&secret, claims, &extras).unwrap()
}

#[test]
fn jsonwebtoken_tokens_are_accepted_with_the_same_claims() {
    let rsa = rsa_pair("rsa2048.pem", "rsa-diff");
    let ec = ec_pair("ec-diff");
    let c = claims(600);
    for (alg, pair) in [
        (Algorithm::HS256, None),
        (Algorithm::RS256, Some(&rsa)),
        (Algorithm::ES256, Some(&ec)),
    ] {
        let token = their_mint(alg, pair, &c);
        // jsonwebtoken accepts its own token (the oracle is configured correctly) ...
        assert_eq!(theirs_verify(&token, alg, pair).unwrap(), c, "{alg}");
        // ... and pocket-sign accepts it with exactly the same claims.
        assert_eq!(ours(&token, alg, pair).unwrap(), c, "{alg}");
        let decoded = jwt::decode(&token).unwrap();
        assert_eq!(decoded.header.alg, alg);
        assert_eq!(
            decoded.header.kid.as_deref(),
            Some(pair.map_or("hs-kid", |p| p.kid))
        );
    }
}

#[test]
fn pocket_sign_tokens_verify_under_jsonwebtoken() {
    let c = claims(600);
    for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
        let token = our_mint(alg, &c);
        let data = theirs::decode::<Map<String, Value>>(
            &token,
            &DecodingKey::from_secret(HS_SECRET),
            &their_validation(alg),
        )
        .unwrap_or_else(|e| panic!("{alg}: jsonwebtoken refused pocket-sign's token: {e}"));
        assert_eq!(data.claims, c, "{alg}");
        assert_eq!(data.header.alg, their_alg(alg));
        assert_eq!(data.header.kid.as_deref(), Some("hs-kid"));
        assert_eq!(data.header.typ.as_deref(), Some("JWT"));
        assert_eq!(ours(&token, alg, None).unwrap(), c, "{alg}");
    }
}

/// Re-encodes one segment of a compact token (0 = header, 1 = payload) after `edit`, keeping
/// the other segments (and so the original signature).
fn edit_segment(token: &str, index: usize, edit: impl FnOnce(&mut Map<String, Value>)) -> String {
    let mut parts: Vec<String> = token.split('.').map(String::from).collect();
    let mut obj: Map<String, Value> =
        serde_json::from_slice(&B64.decode(&parts[index]).unwrap()).unwrap();
    edit(&mut obj);
    parts[index] = B64.encode(serde_json::to_vec(&obj).unwrap());
    parts.join(".")
}

/// HMAC-signs `header.payload` by hand with `key` (used for the algorithm-confusion forgery).
fn hmac_sha256_forgery(header: &Value, claims: &Map<String, Value>, key: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let input = format!(
        "{}.{}",
        B64.encode(serde_json::to_vec(header).unwrap()),
        B64.encode(serde_json::to_vec(claims).unwrap())
    );
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    mac.update(input.as_bytes());
    format!("{input}.{}", B64.encode(mac.finalize().into_bytes()))
}

/// Asserts that both libraries refuse `token` (pocket-sign with one of `our_kinds`).
fn both_reject(
    what: &str,
    token: &str,
    alg: Algorithm,
    pair: Option<&Pair>,
    our_kinds: &[&str],
) -> ErrorKind {
    let ours = ours(token, alg, pair);
    let theirs = theirs_verify(token, alg, pair);
    match (&ours, &theirs) {
        (Err(e), Err(_)) => assert!(
            our_kinds.contains(&e.aws_jwt_verify_class()),
            "{what}: pocket-sign refused with {} ({e}), expected one of {our_kinds:?}",
            e.aws_jwt_verify_class()
        ),
        _ => panic!("{what}: pocket-sign {ours:?}, jsonwebtoken {theirs:?}: both must refuse"),
    }
    theirs.unwrap_err().into_kind()
}

#[test]
fn forgeries_are_rejected_by_both() {
    let rsa = rsa_pair("rsa2048.pem", "rsa-diff");
    let rsa_other = rsa_pair("rsa2048_other.pem", "rsa-diff");
    let ec = ec_pair("ec-diff");
    let ec_other = other_ec_pair("ec-diff");
    let good = claims(600);
    let mut checked = 0;

    // Sources of valid tokens: jsonwebtoken for every algorithm, pocket-sign for HS256.
    let sources: Vec<(&str, Algorithm, Option<&Pair>, String)> = vec![
        (
            "jsonwebtoken HS256",
            Algorithm::HS256,
            None,
            their_mint(Algorithm::HS256, None, &good),
        ),
        (
            "pocket-sign HS256",
            Algorithm::HS256,
            None,
            our_mint(Algorithm::HS256, &good),
        ),
        (
            "jsonwebtoken RS256",
            Algorithm::RS256,
            Some(&rsa),
            their_mint(Algorithm::RS256, Some(&rsa), &good),
        ),
        (
            "jsonwebtoken ES256",
            Algorithm::ES256,
            Some(&ec),
            their_mint(Algorithm::ES256, Some(&ec), &good),
        ),
    ];
    for (src, alg, pair, token) in &sources {
        let (alg, pair) = (*alg, *pair);
        assert!(
            ours(token, alg, pair).is_ok() && theirs_verify(token, alg, pair).is_ok(),
            "{src}"
        );

        // Tampered payload (signature kept): privilege change and audience change.
        let t = edit_segment(token, 1, |c| {
            c.insert("cognito:groups".into(), json!(["admin", "root"]));
        });
        both_reject(
            &format!("{src}: tampered groups"),
            &t,
            alg,
            pair,
            &["JwtInvalidSignatureError"],
        );
        let t = edit_segment(token, 1, |c| {
            c.insert("sub".into(), json!("someone-else"));
        });
        both_reject(
            &format!("{src}: tampered sub"),
            &t,
            alg,
            pair,
            &["JwtInvalidSignatureError"],
        );
        // Tampered header that keeps the algorithm (signature covers the header too).
        let t = edit_segment(token, 0, |h| {
            h.insert("typ".into(), json!("JOSE"));
        });
        both_reject(
            &format!("{src}: tampered header"),
            &t,
            alg,
            pair,
            &["JwtInvalidSignatureError"],
        );
        // Signature bytes truncated / removed.
        let cut = &token[..token.len() - 4];
        both_reject(
            &format!("{src}: truncated signature"),
            cut,
            alg,
            pair,
            &["JwtInvalidSignatureError", "JwtParseError"],
        );
        // alg: none with the signature stripped.
        let t = edit_segment(token, 0, |h| {
            h.insert("alg".into(), json!("none"));
        });
        let unsigned = format!("{}.", t.rsplit_once('.').unwrap().0);
        both_reject(
            &format!("{src}: alg none"),
            &unsigned,
            alg,
            pair,
            &["JwtInvalidSignatureAlgorithmError", "JwtParseError"],
        );
        checked += 5;
    }

    // Wrong key: a correctly formed token signed by a key the verifier does not trust.
    let other_secret = b"another secret, also long enough for HS256 tokens!";
    let mut h = Header::new(theirs::Algorithm::HS256);
    h.kid = Some("hs-kid".into());
    let t = theirs::encode(&h, &good, &EncodingKey::from_secret(other_secret)).unwrap();
    both_reject(
        "HS256 wrong secret (jsonwebtoken)",
        &t,
        Algorithm::HS256,
        None,
        &["JwtInvalidSignatureError"],
    );
    let t = hs::sign(
        &HmacSecret::new(Algorithm::HS256, other_secret).unwrap(),
        &good,
        &Map::new(),
    )
    .unwrap();
    both_reject(
        "HS256 wrong secret (pocket-sign)",
        &t,
        Algorithm::HS256,
        None,
        &["JwtInvalidSignatureError"],
    );
    let t = their_mint(Algorithm::RS256, Some(&rsa_other), &good);
    both_reject(
        "RS256 wrong key, same kid",
        &t,
        Algorithm::RS256,
        Some(&rsa),
        &["JwtInvalidSignatureError"],
    );
    let t = their_mint(Algorithm::ES256, Some(&ec_other), &good);
    both_reject(
        "ES256 wrong key, same kid",
        &t,
        Algorithm::ES256,
        Some(&ec),
        &["JwtInvalidSignatureError"],
    );
    checked += 4;

    // Algorithm swaps.
    // RS256 → HS256 signed with the RSA public key PEM as the HMAC secret (the classic
    // key-confusion attack on verifiers that take `alg` from the token).
    let header = json!({"alg": "HS256", "typ": "JWT", "kid": rsa.kid});
    let t = hmac_sha256_forgery(&header, &good, rsa.public_pem.as_bytes());
    both_reject(
        "RS256→HS256 public-key confusion",
        &t,
        Algorithm::RS256,
        Some(&rsa),
        &["JwtInvalidSignatureAlgorithmError"],
    );
    // ES256 → HS256 the same way.
    let header = json!({"alg": "HS256", "typ": "JWT", "kid": ec.kid});
    let t = hmac_sha256_forgery(&header, &good, ec.public_pem.as_bytes());
    both_reject(
        "ES256→HS256 public-key confusion",
        &t,
        Algorithm::ES256,
        Some(&ec),
        &["JwtInvalidSignatureAlgorithmError"],
    );
    // RS256 token relabelled RS384 / PS256 (signature kept).
    let rs = their_mint(Algorithm::RS256, Some(&rsa), &good);
    for relabel in ["RS384", "PS256", "ES256"] {
        let t = edit_segment(&rs, 0, |h| {
            h.insert("alg".into(), json!(relabel));
        });
        both_reject(
            &format!("RS256 relabelled {relabel}"),
            &t,
            Algorithm::RS256,
            Some(&rsa),
            &[
                "JwtInvalidSignatureAlgorithmError",
                "JwtInvalidSignatureError",
            ],
        );
    }
    // HS384 / HS512 tokens (valid under the same secret) against an HS256 verifier.
    for alg in [Algorithm::HS384, Algorithm::HS512] {
        for (who, t) in [
            ("pocket-sign", our_mint(alg, &good)),
            ("jsonwebtoken", their_mint(alg, None, &good)),
        ] {
            both_reject(
                &format!("{who} {alg} against HS256"),
                &t,
                Algorithm::HS256,
                None,
                &["JwtInvalidSignatureAlgorithmError"],
            );
        }
    }
    // An RS256 token presented to an HS256 (shared-secret) verifier.
    both_reject(
        "RS256 against HS256",
        &rs,
        Algorithm::HS256,
        None,
        &["JwtInvalidSignatureAlgorithmError"],
    );
    checked += 10;

    // Expired (beyond any leeway: both verifiers run with zero clock skew).
    let old = claims(-120);
    let expired: Vec<(&str, Algorithm, Option<&Pair>, String)> = vec![
        (
            "jsonwebtoken HS256",
            Algorithm::HS256,
            None,
            their_mint(Algorithm::HS256, None, &old),
        ),
        (
            "pocket-sign HS256",
            Algorithm::HS256,
            None,
            our_mint(Algorithm::HS256, &old),
        ),
        (
            "jsonwebtoken RS256",
            Algorithm::RS256,
            Some(&rsa),
            their_mint(Algorithm::RS256, Some(&rsa), &old),
        ),
        (
            "jsonwebtoken ES256",
            Algorithm::ES256,
            Some(&ec),
            their_mint(Algorithm::ES256, Some(&ec), &old),
        ),
    ];
    for (src, alg, pair, t) in &expired {
        let kind = both_reject(
            &format!("{src}: expired"),
            t,
            *alg,
            *pair,
            &["JwtExpiredError"],
        );
        assert!(
            matches!(kind, ErrorKind::ExpiredSignature),
            "{src}: {kind:?}"
        );
        checked += 1;
    }
    assert_eq!(checked, 4 * 5 + 4 + 10 + 4);
}
