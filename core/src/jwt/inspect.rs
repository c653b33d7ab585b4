//! Unverified inspection of a compact JWS without building a JSON tree: for display and
//! refresh timing in a browser, where code size matters (the `pocket-sign/spa` npm entry).
//!
//! [`inspect`] applies every rule of [`decode`](super::decode) (listed in [`super::jws`]) with the
//! same error variants and messages, but returns the header and payload as their JSON texts,
//! byte for byte as in the token (so a caller's own JSON parser keeps the members in token
//! order), plus the few members a caller needs typed. It walks the JSON with a small serde
//! visitor instead of building `serde_json::Value` maps, which keeps `BTreeMap`, `Value` and
//! JSON serialisation out of a wasm build that only inspects tokens.
//!
//! The agreement with [`decode`](super::decode) is tested on the shared JWT vectors and on
//! generated tokens (`tests` below).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::alg::Algorithm;
use super::error::JwtError;
use super::jws::{split, strict_segment, DecodeOptions};

/// What [`inspect`] returns: a strictly parsed but **unverified** token. Nothing in it may be
/// trusted for an access decision.
#[derive(Debug, Clone, PartialEq)]
pub struct InspectedJwt<'a> {
    /// `alg` of the protected header (`none` and unknown names are refused).
    pub alg: Algorithm,
    /// `kid` of the protected header, when present.
    pub kid: Option<String>,
    /// The protected header as JSON text (UTF-8), exactly as in the token.
    pub header_json: String,
    /// The payload (claims) as JSON text (UTF-8), exactly as in the token.
    pub payload_json: String,
    /// The `exp` claim in unix seconds as a JSON number (a fraction is kept), when present;
    /// [`inspect`] has checked that it is a non-negative finite number.
    pub exp: Option<f64>,
    /// The signed text `BASE64URL(header) "." BASE64URL(payload)`, borrowed from the token.
    pub signing_input: &'a str,
}

/// Parses a compact JWS with exactly the rules and errors of [`decode`](super::decode)
/// (RFC 7515 §7.1; the rule list is in [`super::jws`]) without verifying the signature or any
/// claim, and without building JSON maps.
///
/// Errors: [`JwtError::TooLarge`] (over [`MAX_TOKEN_LEN`](super::MAX_TOKEN_LEN) bytes),
/// [`JwtError::Parse`], [`JwtError::InvalidSignatureAlgorithm`] (`alg` is `none` or
/// unsupported).
pub fn inspect(token: &str) -> Result<InspectedJwt<'_>, JwtError> {
    let opts = DecodeOptions::default();
    let seg = split(token, &opts)?;

    let (header_json, header) = object_text(strict_segment(seg.header, "header")?, "header")?;
    let alg = match member(&header, "alg") {
        None => return Err(JwtError::Parse("header has no alg".to_string())),
        Some(Node::Str(s)) => Algorithm::from_name(s).ok_or_else(|| {
            JwtError::InvalidSignatureAlgorithm(format!("alg {s:?} is not supported"))
        })?,
        Some(_) => return Err(JwtError::Parse("header alg is not a string".to_string())),
    };
    if member(&header, "crit").is_some() {
        return Err(JwtError::Parse(
            "header crit names extensions that are not supported".to_string(),
        ));
    }
    let kid = opt_string(&header, "kid", "header")?;
    opt_string(&header, "typ", "header")?;
    opt_string(&header, "cty", "header")?;

    let (payload_json, claims) = object_text(strict_segment(seg.payload, "payload")?, "payload")?;
    let mut exp = None;
    for name in ["exp", "nbf", "iat"] {
        if let Some(node) = member(&claims, name) {
            let n = node.numeric_date().ok_or_else(|| {
                JwtError::Parse(format!(
                    "payload {name} is not a non-negative finite number"
                ))
            })?;
            if name == "exp" {
                exp = Some(n);
            }
        }
    }
    for name in ["iss", "scope", "jti"] {
        if let Some(node) = member(&claims, name) {
            if !matches!(node, Node::Str(_)) {
                return Err(JwtError::Parse(format!("payload {name} is not a string")));
            }
        }
    }
    match member(&claims, "aud") {
        None | Some(Node::Str(_)) | Some(Node::Array { all_strings: true }) => {}
        Some(_) => {
            return Err(JwtError::Parse(
                "payload aud is not a string or an array of strings".to_string(),
            ))
        }
    }

    strict_segment(seg.signature, "signature")?;
    Ok(InspectedJwt {
        alg,
        kid,
        header_json,
        payload_json,
        exp,
        signing_input: seg.signing_input,
    })
}

/// Members of one JSON object in token order (duplicates already refused).
type Members = Vec<(String, Node)>;

fn member<'m>(members: &'m Members, name: &str) -> Option<&'m Node> {
    members.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn opt_string(members: &Members, name: &str, what: &str) -> Result<Option<String>, JwtError> {
    match member(members, name) {
        None => Ok(None),
        Some(Node::Str(s)) => Ok(Some(s.clone())),
        Some(_) => Err(JwtError::Parse(format!("{what} {name} is not a string"))),
    }
}

/// Checks `bytes` as one JSON object (duplicate member names refused at any depth, as
/// `jws::parse_object`) and returns its text and its members.
fn object_text(bytes: Vec<u8>, what: &str) -> Result<(String, Members), JwtError> {
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let node = Walk
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| JwtError::Parse(format!("{what} is not valid JSON ({e})")))?;
    let Node::Object(members) = node else {
        return Err(JwtError::Parse(format!("{what} is not a JSON object")));
    };
    // Valid JSON is valid UTF-8 (serde_json checks every string; the rest is ASCII).
    let text =
        String::from_utf8(bytes).map_err(|_| JwtError::Parse(format!("{what} is not UTF-8")))?;
    Ok((text, members))
}

/// The shape of one JSON value, as far as the JWS rules look at it.
#[derive(Debug)]
enum Node {
    Str(String),
    /// A non-negative integer that fits `u64`.
    Unsigned(u64),
    /// A negative integer.
    Negative,
    /// Any other number (serde_json never yields a non-finite one).
    Float(f64),
    Array {
        all_strings: bool,
    },
    Object(Members),
    /// `null`, `true`, `false`.
    Other,
}

impl Node {
    /// As `jws::numeric_date`: the value as unix seconds when it is a non-negative finite
    /// number.
    fn numeric_date(&self) -> Option<f64> {
        match *self {
            Node::Unsigned(u) => Some(u as f64),
            Node::Float(f) if f.is_finite() && f >= 0.0 => Some(f),
            _ => None,
        }
    }
}

/// serde seed/visitor producing a [`Node`], refusing duplicate member names like
/// `jws::StrictVisitor` (same error text at the same position).
struct Walk;

impl<'de> DeserializeSeed<'de> for Walk {
    type Value = Node;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(Walk)
    }
}

impl<'de> Visitor<'de> for Walk {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Other)
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(match u64::try_from(v) {
            Ok(u) => Node::Unsigned(u),
            Err(_) => Node::Negative,
        })
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Unsigned(v))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Node, E> {
        if v.is_finite() {
            Ok(Node::Float(v))
        } else {
            Err(E::custom("non-finite number"))
        }
    }
    // serde_json hands every string to `visit_str` (the default `visit_string` and
    // `visit_borrowed_str` forward to it) and `null` to `visit_unit`.
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_string()))
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut all_strings = true;
        while let Some(e) = seq.next_element_seed(Walk)? {
            all_strings &= matches!(e, Node::Str(_));
        }
        Ok(Node::Array { all_strings })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Members::new();
        while let Some(k) = map.next_key::<String>()? {
            // Quadratic in the member count, bounded by MAX_TOKEN_LEN (16 KiB: at most about
            // 2,700 members of one object).
            if members.iter().any(|(seen, _)| *seen == k) {
                return Err(serde::de::Error::custom("duplicate member name"));
            }
            let v = map.next_value_seed(Walk)?;
            members.push((k, v));
        }
        Ok(Node::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::super::jws::tests::{BAD_PAYLOADS, GOOD_PAYLOADS, HEADER_CASES};
    use super::super::jws::{decode, B64URL};
    use super::*;
    use alloc::vec;
    use base64::Engine as _;
    use proptest::prelude::*;

    fn tok(h: &str, p: &str, s: &str) -> String {
        format!("{}.{}.{s}", B64URL.encode(h), B64URL.encode(p))
    }

    /// `inspect` and `decode` give the same verdict, error and fields.
    fn agree(token: &str) {
        match (inspect(token), decode(token)) {
            (Ok(i), Ok(d)) => {
                assert_eq!(i.alg, d.header.alg, "{token}");
                assert_eq!(i.kid, d.header.kid, "{token}");
                assert_eq!(
                    i.exp,
                    d.claims.get("exp").and_then(|v| v.as_f64()),
                    "{token}"
                );
                assert_eq!(i.signing_input, d.signing_input);
                let h: serde_json::Value = serde_json::from_str(&i.header_json).unwrap();
                let p: serde_json::Value = serde_json::from_str(&i.payload_json).unwrap();
                assert_eq!(h.as_object(), Some(&d.header.raw), "{token}");
                assert_eq!(p.as_object(), Some(&d.claims), "{token}");
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "{token}"),
            (a, b) => panic!("{token}: inspect {a:?} but decode {b:?}"),
        }
    }

    const H: &str = r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#;

    #[test]
    fn agrees_with_decode_on_every_rule() {
        let headers = [
            r#"{"alg":"RS256","cty":1}"#,
            r#"{"alg":"ES256","x":{"a":1,"a":2}}"#,
        ]
        .into_iter()
        .chain(HEADER_CASES.iter().map(|(h, _)| *h))
        .chain([H]);
        let payloads = [
            r#"{"sub":"u","exp":1700000000}"#,
            r#"{"exp":0}"#,
            r#"{"aud":[]}"#,
            r#"{"x":[{"y":1,"y":2}]}"#,
            r#"{"exp":18446744073709551616}"#,
            r#"{"z":1,"a":2,"exp":3.25}"#,
        ]
        .iter()
        .chain(BAD_PAYLOADS)
        .chain(GOOD_PAYLOADS);
        let payloads: Vec<&str> = payloads.copied().collect();
        for h in headers {
            for p in &payloads {
                for s in ["AQID", "AQJ", "AQ+D", ""] {
                    agree(&tok(h, p, s));
                }
            }
        }
        agree(&"a".repeat(super::super::MAX_TOKEN_LEN + 1));
        agree("a.b");
        agree(&format!(
            "{}.{}.AQID",
            B64URL.encode([0x7b, 0xff, 0x7d]),
            B64URL.encode("{}")
        ));
    }

    #[test]
    fn texts_keep_token_order() {
        let p = r#"{"z":1,"a":{"y":2,"b":3},"exp":1700000000}"#;
        let t = tok(H, p, "AQID");
        let i = inspect(&t).unwrap();
        assert_eq!(i.payload_json, p);
        assert_eq!(i.header_json, H);
        assert_eq!(i.exp, Some(1_700_000_000.0));
    }

    proptest! {
        #[test]
        fn agrees_with_decode_on_generated_tokens(
            h in prop::sample::select(vec![H, r#"{"alg":"HS256"}"#, r#"{"alg":"none"}"#, "{", "{}"]),
            keys in prop::collection::vec("[a-z]{0,3}|exp|aud|iss|nbf", 0..6),
            vals in prop::collection::vec(
                r#"-?[0-9]{1,3}(\.[0-9])?|"[a-z]{0,2}"|null|true|\[("[a-z]"|1)?\]|\{\}"#, 6),
            sig in "[A-Za-z0-9_=+/-]{0,6}",
        ) {
            let members: Vec<String> = keys.iter().zip(&vals)
                .map(|(k, v)| format!("\"{k}\":{v}")).collect();
            let p = format!("{{{}}}", members.join(","));
            agree(&tok(h, &p, &sig));
        }

        #[test]
        fn agrees_with_decode_on_any_text(t in "[A-Za-z0-9_.=-]{0,80}") {
            agree(&t);
        }
    }
}
