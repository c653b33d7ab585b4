//! The bad-input catalogue (`tests/vectors/bad_inputs.json`) against the Rust core: every case
//! gets exactly the documented typed error (`Enum::Variant` and its stable `kind`), never a
//! panic, and error messages are one non-empty line that never repeats a secret input.
//!
//! `"error": "boundary"` cases (non-UTF-8 where the API takes `&str`, negative or overflowing
//! integers) cannot reach the core at all: the test proves the conversion to the API type fails.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pocket_sign_core::alb::decode_alb_data;
use pocket_sign_core::cloudfront::{
    CloudFrontSigner, CustomPolicy, KeyOptions, Policy, SigningKey,
};
use pocket_sign_core::codegen::{self, PocketConfig};
use pocket_sign_core::encoding::cloudfront_b64_decode;
use pocket_sign_core::jwt::hs::HmacSecret;
use pocket_sign_core::jwt::{self, Algorithm, Jwk, JwkSet, VerifyOptions};
use pocket_sign_core::spa_token::SpaTokenKey;
use serde_json::Value;

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors");

/// What an operation did.
#[derive(Debug, PartialEq)]
enum Outcome {
    Ok,
    /// `Enum::Variant`, the stable kind, the Display message.
    Err(String, String, String),
    /// The input cannot be expressed in the API's types.
    Boundary(&'static str),
}

/// A refusal: `Enum::Variant` and the stable kind, both from the core's `kind()` (the
/// error-kind contract, `core/src/error_kind.rs`), and the Display message.
fn err(ty: &str, kind: &str, e: &impl std::fmt::Display) -> Outcome {
    Outcome::Err(format!("{ty}::{kind}"), kind.to_owned(), e.to_string())
}

/// Materialises a case input (see the catalogue's docstring for the encodings).
fn bytes_of(input: &Value) -> Vec<u8> {
    use base64::Engine as _;
    if let Some(s) = input.get("utf8").and_then(Value::as_str) {
        return s.as_bytes().to_vec();
    }
    if let Some(s) = input.get("base64").and_then(Value::as_str) {
        return base64::engine::general_purpose::STANDARD
            .decode(s)
            .expect("catalogue base64");
    }
    if let Some(s) = input.get("repeat").and_then(Value::as_str) {
        let n = input["count"].as_u64().expect("count") as usize;
        return s.repeat(n).into_bytes();
    }
    if let Some(parts) = input.get("concat").and_then(Value::as_array) {
        return parts.iter().flat_map(bytes_of).collect();
    }
    if let Some(p) = input.get("file").and_then(Value::as_str) {
        return std::fs::read(format!("{VECTORS}/{p}")).expect("catalogue file");
    }
    panic!("unknown input encoding {input}");
}

struct Ctx {
    defaults: Value,
    params: Value,
}

impl Ctx {
    fn s(&self, k: &str) -> String {
        self.params
            .get(k)
            .or_else(|| self.defaults.get(k))
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("missing parameter {k}"))
            .to_owned()
    }
    fn opt(&self, k: &str) -> Option<String> {
        self.params
            .get(k)
            .and_then(Value::as_str)
            .map(str::to_owned)
    }
}

macro_rules! utf8 {
    ($b:expr) => {
        match std::str::from_utf8(&$b) {
            Ok(s) => s,
            Err(_) => return Outcome::Boundary("not UTF-8"),
        }
    };
}
macro_rules! num {
    ($ty:ty, $s:expr) => {
        match $s.parse::<$ty>() {
            Ok(v) => v,
            Err(_) => return Outcome::Boundary("integer out of range"),
        }
    };
}

fn spa_key(ctx: &Ctx) -> SpaTokenKey {
    SpaTokenKey::from_hex(&ctx.s("spa_secret")).expect("default secret")
}

fn run(op: &str, input: &[u8], ctx: &Ctx) -> Outcome {
    match op {
        "spa_secret" => match SpaTokenKey::from_hex(utf8!(input)) {
            Ok(_) => Outcome::Ok,
            Err(e) => err("SpaTokenError", e.kind(), &e),
        },
        "spa_verify" => {
            let now = num!(u64, ctx.s("now"));
            match spa_key(ctx).verify(utf8!(input), now) {
                Ok(_) => Outcome::Ok,
                Err(e) => err("SpaTokenError", e.kind(), &e),
            }
        }
        "spa_issue" => {
            let uid = utf8!(input);
            let now = num!(u64, ctx.s("now"));
            let max_age = num!(u64, ctx.s("max_age"));
            let key = spa_key(ctx);
            match key.issue(uid, now, max_age) {
                Ok(token) => {
                    let v = key.verify(&token, now).expect("issued token verifies");
                    assert_eq!(v.user_id, uid, "user id round trip");
                    Outcome::Ok
                }
                Err(e) => err("SpaTokenError", e.kind(), &e),
            }
        }
        "jwt_decode" => match jwt::decode(utf8!(input)) {
            Ok(_) => Outcome::Ok,
            Err(e) => err("JwtError", e.kind(), &e),
        },
        "jwt_verify_jwks" => {
            let jwks = JwkSet::from_json(ctx.defaults["jwks"].to_string().as_bytes()).unwrap();
            let opts = VerifyOptions::new([ctx.s("issuer")]);
            let now = num!(u64, ctx.s("now"));
            match jwt::verify_with_jwks(utf8!(input), &jwks, &opts, now) {
                Ok(_) => Outcome::Ok,
                Err(e) => err("JwtError", e.kind(), &e),
            }
        }
        "jwk_parse" => {
            let text = utf8!(input);
            let direct = Jwk::from_json(input).err();
            let doc = format!(r#"{{"keys":[{text}]}}"#);
            let jwks = match JwkSet::from_json(doc.as_bytes()) {
                Ok(j) => j,
                Err(e) => return err("JwtError", e.kind(), &e),
            };
            let opts = VerifyOptions::new([ctx.s("issuer")]);
            let now = num!(u64, ctx.s("now"));
            let via_set = jwt::verify_with_jwks(&ctx.s("jwk_probe_token"), &jwks, &opts, now);
            // The set reports the very error the JWK parser gives.
            assert_eq!(
                via_set.as_ref().err(),
                direct.as_ref(),
                "JwkSet::find vs Jwk::from_json"
            );
            match direct {
                None => Outcome::Ok,
                Some(e) => err("JwtError", e.kind(), &e),
            }
        }
        "jwks_parse" => match JwkSet::from_json(input) {
            Ok(_) => Outcome::Ok,
            Err(e) => err("JwtError", e.kind(), &e),
        },
        "alb_decode" => match decode_alb_data(utf8!(input)) {
            Ok(_) => Outcome::Ok,
            Err(e) => err("AlbError", e.kind(), &e),
        },
        "key_load" => match SigningKey::from_pem(utf8!(input), KeyOptions::default()) {
            Ok(_) => Outcome::Ok,
            Err(e) => err("SigningError", e.kind(), &e),
        },
        "key_load_base64" => match SigningKey::from_pem_base64(utf8!(input), KeyOptions::default())
        {
            Ok(_) => Outcome::Ok,
            Err(e) => err("SigningError", e.kind(), &e),
        },
        "signed_url" => {
            let url = utf8!(input);
            let pem = std::fs::read_to_string(format!("{VECTORS}/{}", ctx.s("private_key_file")))
                .unwrap();
            let key = SigningKey::from_pem(&pem, KeyOptions::default()).unwrap();
            let signer = CloudFrontSigner::new(&ctx.s("key_pair_id"), key).unwrap();
            let expires = num!(u64, ctx.s("expires"));
            match signer.signed_url(url, &Policy::Canned { expires }) {
                Ok(_) => Outcome::Ok,
                Err(e) => err("SigningError", e.kind(), &e),
            }
        }
        "policy_ip" => {
            let expires = num!(u64, ctx.s("expires"));
            let r = CustomPolicy::new(&ctx.s("resource"), expires)
                .from_ip(utf8!(input))
                .and_then(|p| p.validate());
            match r {
                Ok(()) => Outcome::Ok,
                Err(e) => err("SigningError", e.kind(), &e),
            }
        }
        "policy_times" => {
            let expires = num!(u64, ctx.s("expires"));
            let mut p = CustomPolicy::new(&ctx.s("resource"), expires);
            if let Some(st) = ctx.opt("starts") {
                p = p.starting_at(num!(u64, st));
            }
            match p.validate() {
                Ok(()) => Outcome::Ok,
                Err(e) => err("SigningError", e.kind(), &e),
            }
        }
        "cloudfront_b64_decode" => match cloudfront_b64_decode(utf8!(input)) {
            Ok(_) => Outcome::Ok,
            Err(e) => err("EncodingError", e.kind(), &e),
        },
        "toml_codegen" => {
            let cfg = match PocketConfig::from_toml_str(utf8!(input), None) {
                Ok(c) => c,
                Err(e) => return err("ConfigError", e.kind(), &e),
            };
            match codegen::generate(&cfg, &ctx.s("distribution"), None) {
                Ok(_) => Outcome::Ok,
                Err(e) => err("CodegenError", e.kind(), &e),
            }
        }
        "hmac_secret" => match HmacSecret::new(Algorithm::HS256, input) {
            Ok(_) => Outcome::Ok,
            Err(e) => err("JwtError", e.kind(), &e),
        },
        "secret_hash" => {
            let secret = utf8!(input);
            let h = pocket_sign_core::cognito::secret_hash(
                &ctx.s("username"),
                &ctx.s("client_id"),
                secret,
            );
            assert_eq!(h.len(), 44, "base64 of 32 bytes");
            Outcome::Ok
        }
        "password" => {
            let chars = utf8!(input);
            let length = num!(usize, ctx.s("length"));
            let chars = (!chars.is_empty()).then_some(chars);
            password(length, chars)
        }
        other => panic!("unknown op {other}"),
    }
}

#[cfg(feature = "std")]
fn password(length: usize, chars: Option<&str>) -> Outcome {
    match pocket_sign_core::keygen::generate_password(length, chars) {
        Ok(p) => {
            assert_eq!(p.chars().count(), length);
            Outcome::Ok
        }
        Err(e) => err("KeygenError", e.kind(), &e),
    }
}

#[cfg(not(feature = "std"))]
fn password(_length: usize, _chars: Option<&str>) -> Outcome {
    Outcome::Boundary("skipped: generate_password needs the std feature")
}

fn load() -> Value {
    let text = std::fs::read_to_string(format!("{VECTORS}/bad_inputs.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_case_gets_its_documented_error() {
    let doc = load();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 100, "catalogue too small: {}", cases.len());
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let op = case["op"].as_str().unwrap();
        let expect = &case["expect"];
        let input = bytes_of(&case["input"]);
        let ctx = Ctx {
            defaults: doc["defaults"].clone(),
            params: case.get("params").cloned().unwrap_or(Value::Null),
        };
        let got = match catch_unwind(AssertUnwindSafe(|| run(op, &input, &ctx))) {
            Ok(o) => o,
            Err(_) => {
                failures.push(format!("{id}: PANIC"));
                continue;
            }
        };
        if matches!(got, Outcome::Boundary(why) if why.starts_with("skipped")) {
            continue;
        }
        ran += 1;
        let ok = match (&got, expect) {
            (Outcome::Ok, e) => e.get("ok") == Some(&Value::Bool(true)),
            (Outcome::Boundary(_), e) => e["error"] == "boundary",
            (Outcome::Err(name, kind, msg), e) => {
                if msg.is_empty() || msg.contains('\n') {
                    failures.push(format!("{id}: message is not one line: {msg:?}"));
                }
                if op == "spa_secret" && input.len() >= 8 {
                    let secret = String::from_utf8_lossy(&input);
                    if msg.contains(secret.as_ref()) {
                        failures.push(format!("{id}: message repeats the secret"));
                    }
                }
                e["error"] == name.as_str() && e["kind"] == kind.as_str()
            }
        };
        if !ok {
            failures.push(format!("{id}: expected {expect}, got {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(ran >= 100, "only {ran} cases ran");
}

/// The catalogue is what its generator writes (run `python3 tests/vectors/bad_inputs/generate.py`
/// after editing it); here: every case has an id, a known op and a well-formed expectation.
#[test]
fn catalogue_is_well_formed() {
    let doc = load();
    let ops = doc["operations"].as_object().unwrap();
    let mut ids = std::collections::HashSet::new();
    for case in doc["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        assert!(ids.insert(id.to_owned()), "duplicate id {id}");
        assert!(
            ops.contains_key(case["op"].as_str().unwrap()),
            "{id}: unknown op"
        );
        let e = &case["expect"];
        assert!(
            e.get("ok") == Some(&Value::Bool(true))
                || (e["error"].is_string() && e["kind"].is_string() && e["exit"].is_u64()),
            "{id}: bad expect {e}"
        );
    }
}
