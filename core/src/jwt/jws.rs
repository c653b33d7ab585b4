//! Strict compact JWS parsing (RFC 7515 §7.1) into a [`DecodedJwt`].
//!
//! Rules (each refusal is [`JwtError::Parse`] unless noted):
//! - the token is at most [`MAX_TOKEN_LEN`] bytes, checked before any other work
//!   ([`JwtError::TooLarge`]);
//! - exactly three non-empty `.`-separated segments;
//! - each segment is canonical base64url without padding (RFC 7515 §2, RFC 4648 §5): `=`, `+`,
//!   `/`, whitespace and non-zero trailing bits are refused;
//! - header and payload are UTF-8 JSON **objects**; a duplicate member name at any depth is
//!   refused (RFC 7515 §4 allows parsers to reject them; accepting them invites two parsers to
//!   see different claims);
//! - header `alg` is required and must be a supported algorithm; `none` and unknown names give
//!   [`JwtError::InvalidSignatureAlgorithm`]; `kid`, `typ`, `cty` must be strings when present;
//!   `crit` is refused (no extension is understood, RFC 7515 §4.1.11);
//! - registered claims have the types aws-jwt-verify checks (`src/jwt.ts`): `exp`, `nbf`, `iat`
//!   are non-negative finite numbers, `iss`, `scope`, `jti` strings, `aud` a string or an array
//!   of strings.
//!
//! Header members that point at keys (`jku`, `jwk`, `x5u`, `x5c`) are never used to select or
//! fetch a key: they are kept in [`Header::raw`] and otherwise ignored.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::alg::Algorithm;
use super::error::JwtError;

/// Largest token accepted, in bytes (16 KiB). Longer tokens are refused before any decoding.
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// Strict base64url: URL-safe alphabet, no padding accepted, canonical trailing bits only.
pub(crate) const B64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

const B64URL_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

const B64STD_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The protected header of a JWS.
#[derive(Clone, PartialEq)]
pub struct Header {
    /// `alg`: the signature algorithm (required; `none` is refused at parse time).
    pub alg: Algorithm,
    /// `kid`: key id used to select a JWK from a JWKS.
    pub kid: Option<String>,
    /// `typ`: media type of the token (`"JWT"` usually); informative only.
    pub typ: Option<String>,
    /// `cty`: content type; informative only (nested JWTs are not supported).
    pub cty: Option<String>,
    /// The whole header object as parsed, including the members above and any others
    /// (ALB's `signer`, `client`, `iss`, `exp`, ...).
    pub raw: Map<String, Value>,
}

impl fmt::Debug for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Header")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("typ", &self.typ)
            .field("cty", &self.cty)
            .finish_non_exhaustive()
    }
}

/// A parsed but **unverified** compact JWS: nothing in it may be trusted until a `verify_*`
/// function returned the claims.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedJwt<'a> {
    /// The protected header.
    pub header: Header,
    /// The payload object (claims), decoded once.
    pub claims: Map<String, Value>,
    /// The signed text `BASE64URL(header) "." BASE64URL(payload)`, borrowed from the token.
    pub signing_input: &'a str,
    /// The decoded signature bytes (raw `r‖s` for ES*, PKCS#1 v1.5 block for RS*, 64 bytes
    /// for EdDSA, MAC for HS*).
    pub signature: Vec<u8>,
}

/// Options of [`decode_with`] for non-standard producers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Accept `=` padding at the end of each segment (AWS ALB's `x-amzn-oidc-data` pads them;
    /// the signature covers the padded text).
    pub allow_padding: bool,
    /// Accept a segment written with the standard base64 alphabet (`+`, `/`), as older ALBs do.
    pub allow_standard_alphabet: bool,
    /// Maximum token length in bytes (at most [`MAX_TOKEN_LEN`] is advised).
    pub max_len: usize,
}

impl Default for DecodeOptions {
    /// Strict: no padding, URL-safe alphabet only, [`MAX_TOKEN_LEN`].
    fn default() -> Self {
        DecodeOptions {
            allow_padding: false,
            allow_standard_alphabet: false,
            max_len: MAX_TOKEN_LEN,
        }
    }
}

/// Parses a compact JWS strictly (see the module docs for every rule). Does **not** verify the
/// signature or any claim.
///
/// Errors: [`JwtError::TooLarge`], [`JwtError::Parse`], [`JwtError::InvalidSignatureAlgorithm`]
/// (`alg` is `none` or unsupported).
pub fn decode(token: &str) -> Result<DecodedJwt<'_>, JwtError> {
    decode_with(token, &DecodeOptions::default())
}

/// [`decode`] with relaxed encodings (for AWS ALB `x-amzn-oidc-data`). All other rules hold.
pub fn decode_with<'a>(token: &'a str, opts: &DecodeOptions) -> Result<DecodedJwt<'a>, JwtError> {
    let seg = split(token, opts)?;
    let header_bytes = b64_segment(seg.header, opts, "header")?;
    let header_map = parse_object(&header_bytes, "header")?;
    let header = header_from_map(header_map)?;

    let payload_bytes = b64_segment(seg.payload, opts, "payload")?;
    let claims = parse_object(&payload_bytes, "payload")?;
    check_claim_types(&claims)?;

    let signature = b64_segment(seg.signature, opts, "signature")?;
    Ok(DecodedJwt {
        header,
        claims,
        signing_input: seg.signing_input,
        signature,
    })
}

/// The three base64url segments of a compact JWS and its signing input, all borrowed.
pub(crate) struct Segments<'a> {
    pub(crate) header: &'a str,
    pub(crate) payload: &'a str,
    pub(crate) signature: &'a str,
    pub(crate) signing_input: &'a str,
}

/// The length limit and the three-non-empty-segments rule, before any decoding.
pub(crate) fn split<'a>(token: &'a str, opts: &DecodeOptions) -> Result<Segments<'a>, JwtError> {
    if token.len() > opts.max_len {
        return Err(JwtError::TooLarge {
            len: token.len(),
            max: opts.max_len,
        });
    }
    let mut parts = token.split('.');
    let (h, p, s) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s), None) => (h, p, s),
        _ => {
            return Err(JwtError::Parse(
                "a JWT has exactly three dot-separated parts".to_string(),
            ))
        }
    };
    if h.is_empty() || p.is_empty() || s.is_empty() {
        return Err(JwtError::Parse("a JWT part is empty".to_string()));
    }
    // `h.len() + 1 + p.len()` is within `token.len()`, so the slice cannot fail.
    let signing_input = token
        .get(..h.len() + 1 + p.len())
        .ok_or_else(|| JwtError::Parse("bad segment boundaries".to_string()))?;
    Ok(Segments {
        header: h,
        payload: p,
        signature: s,
        signing_input,
    })
}

fn b64_segment(seg: &str, opts: &DecodeOptions, what: &str) -> Result<Vec<u8>, JwtError> {
    let bad = || JwtError::Parse(format!("{what} is not canonical unpadded base64url"));
    if !opts.allow_padding && !opts.allow_standard_alphabet {
        return strict_segment(seg, what);
    }
    if !opts.allow_padding && seg.contains('=') {
        return Err(bad());
    }
    let has_std = seg.bytes().any(|b| b == b'+' || b == b'/');
    if has_std {
        if !opts.allow_standard_alphabet {
            return Err(bad());
        }
        B64STD_LENIENT.decode(seg).map_err(|_| bad())
    } else {
        B64URL_LENIENT.decode(seg).map_err(|_| bad())
    }
}

/// One segment in strict base64url (the [`DecodeOptions::default`] rule).
pub(crate) fn strict_segment(seg: &str, what: &str) -> Result<Vec<u8>, JwtError> {
    B64URL
        .decode(seg)
        .map_err(|_| JwtError::Parse(format!("{what} is not canonical unpadded base64url")))
}

/// Parses `bytes` as one JSON object, refusing duplicate member names at any depth.
pub(crate) fn parse_object(bytes: &[u8], what: &str) -> Result<Map<String, Value>, JwtError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = StrictSeed
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| JwtError::Parse(format!("{what} is not valid JSON ({e})")))?;
    match value {
        Value::Object(m) => Ok(m),
        _ => Err(JwtError::Parse(format!("{what} is not a JSON object"))),
    }
}

fn header_from_map(raw: Map<String, Value>) -> Result<Header, JwtError> {
    let alg = match raw.get("alg") {
        None => return Err(JwtError::Parse("header has no alg".to_string())),
        Some(Value::String(s)) => Algorithm::from_name(s).ok_or_else(|| {
            JwtError::InvalidSignatureAlgorithm(format!("alg {s:?} is not supported"))
        })?,
        Some(_) => return Err(JwtError::Parse("header alg is not a string".to_string())),
    };
    if raw.contains_key("crit") {
        return Err(JwtError::Parse(
            "header crit names extensions that are not supported".to_string(),
        ));
    }
    let kid = opt_string(&raw, "kid", "header")?;
    let typ = opt_string(&raw, "typ", "header")?;
    let cty = opt_string(&raw, "cty", "header")?;
    Ok(Header {
        alg,
        kid,
        typ,
        cty,
        raw,
    })
}

fn opt_string(
    map: &Map<String, Value>,
    name: &str,
    what: &str,
) -> Result<Option<String>, JwtError> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(JwtError::Parse(format!("{what} {name} is not a string"))),
    }
}

fn check_claim_types(claims: &Map<String, Value>) -> Result<(), JwtError> {
    for name in ["exp", "nbf", "iat"] {
        if let Some(v) = claims.get(name) {
            numeric_date(v).ok_or_else(|| {
                JwtError::Parse(format!(
                    "payload {name} is not a non-negative finite number"
                ))
            })?;
        }
    }
    for name in ["iss", "scope", "jti"] {
        if let Some(v) = claims.get(name) {
            if !v.is_string() {
                return Err(JwtError::Parse(format!("payload {name} is not a string")));
            }
        }
    }
    match claims.get("aud") {
        None | Some(Value::String(_)) => {}
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => {}
        Some(_) => {
            return Err(JwtError::Parse(
                "payload aud is not a string or an array of strings".to_string(),
            ))
        }
    }
    Ok(())
}

/// A NumericDate (RFC 7519 §2) as `(floor, ceil)` unix seconds, or `None` when the value is not
/// a non-negative finite JSON number. Values beyond `u64` saturate.
pub(crate) fn numeric_date(v: &Value) -> Option<(u64, u64)> {
    let n = v.as_number()?;
    if let Some(u) = n.as_u64() {
        return Some((u, u));
    }
    if n.is_i64() {
        return None; // negative integer
    }
    let f = n.as_f64()?;
    if !f.is_finite() || f < 0.0 {
        return None;
    }
    // `as` saturates for out-of-range floats.
    let floor = f as u64;
    let ceil = if (floor as f64) < f {
        floor.saturating_add(1)
    } else {
        floor
    };
    Some((floor, ceil))
}

/// serde seed building a `serde_json::Value` that refuses duplicate object member names.
struct StrictSeed;

impl<'de> DeserializeSeed<'de> for StrictSeed {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("non-finite number"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut v = Vec::new();
        while let Some(e) = seq.next_element_seed(StrictSeed)? {
            v.push(e);
        }
        Ok(Value::Array(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut m = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            if m.contains_key(&k) {
                return Err(serde::de::Error::custom("duplicate member name"));
            }
            let v = map.next_value_seed(StrictSeed)?;
            m.insert(k, v);
        }
        Ok(Value::Object(m))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        B64URL.encode(s.as_bytes())
    }

    fn tok(h: &str, p: &str) -> String {
        format!("{}.{}.{}", b64(h), b64(p), B64URL.encode([1u8, 2, 3]))
    }

    const H: &str = r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#;

    /// Header texts and the kind `decode` gives (`"ok"`: accepted), shared with `inspect`'s
    /// agreement test.
    pub(crate) const HEADER_CASES: &[(&str, &str)] = &[
        (r#"[1]"#, "JwtParseError"),
        (r#""x""#, "JwtParseError"),
        (r#"{"kid":"k"}"#, "JwtParseError"),
        (r#"{"alg":5}"#, "JwtParseError"),
        (r#"{"alg":"none"}"#, "JwtInvalidSignatureAlgorithmError"),
        (r#"{"alg":"None"}"#, "JwtInvalidSignatureAlgorithmError"),
        (r#"{"alg":"PS256"}"#, "JwtInvalidSignatureAlgorithmError"),
        (r#"{"alg":"RS256","kid":7}"#, "JwtParseError"),
        (r#"{"alg":"RS256","typ":null}"#, "JwtParseError"),
        (r#"{"alg":"RS256","crit":["exp"],"exp":1}"#, "JwtParseError"),
        (r#"{"alg":"RS256","alg":"HS256"}"#, "JwtParseError"),
        (r#"{"alg":"RS256"} x"#, "JwtParseError"),
        ("{\"alg\":\"RS256\",\"x\":\"\u{fffd}\"}", "ok"),
    ];

    /// Payload texts `decode` refuses with `JwtParseError`.
    pub(crate) const BAD_PAYLOADS: &[&str] = &[
        r#"[]"#,
        r#"{"exp":"1700000000"}"#,
        r#"{"exp":-1}"#,
        r#"{"nbf":-0.5}"#,
        r#"{"iat":true}"#,
        r#"{"iss":1}"#,
        r#"{"aud":[1]}"#,
        r#"{"aud":{}}"#,
        r#"{"scope":["a"]}"#,
        r#"{"jti":null}"#,
        r#"{"sub":"a","sub":"b"}"#,
        r#"{"x":{"y":1,"y":2}}"#,
        r#"{"exp":1e400}"#,
    ];

    /// Payload texts `decode` accepts.
    pub(crate) const GOOD_PAYLOADS: &[&str] = &[
        r#"{"exp":1.5,"aud":["a","b"]}"#,
        r#"{"exp":18446744073709551615}"#,
        r#"{}"#,
    ];
    const P: &str = r#"{"sub":"u","exp":1700000000}"#;

    #[test]
    fn parses_a_well_formed_token() {
        let t = tok(H, P);
        let d = decode(&t).unwrap();
        assert_eq!(d.header.alg, Algorithm::RS256);
        assert_eq!(d.header.kid.as_deref(), Some("k1"));
        assert_eq!(d.header.typ.as_deref(), Some("JWT"));
        assert_eq!(d.claims.get("sub").unwrap(), "u");
        assert_eq!(d.signature, [1, 2, 3]);
        assert_eq!(d.signing_input, &t[..t.rfind('.').unwrap()]);
    }

    #[test]
    fn segment_count_and_empty_parts() {
        let t = tok(H, P);
        for bad in [
            String::new(),
            "a.b".to_string(),
            format!("{t}.x"),
            format!("{}..{}", b64(H), "AQID"),
            format!("{}.{}.", b64(H), b64(P)),
        ] {
            assert_eq!(
                decode(&bad).unwrap_err().aws_jwt_verify_class(),
                "JwtParseError",
                "{bad}"
            );
        }
    }

    #[test]
    fn size_limit_is_checked_first() {
        let t = "a".repeat(MAX_TOKEN_LEN + 1);
        assert_eq!(
            decode(&t).unwrap_err(),
            JwtError::TooLarge {
                len: MAX_TOKEN_LEN + 1,
                max: MAX_TOKEN_LEN
            }
        );
        // Exactly at the limit is parsed (and fails for other reasons).
        let t = "a".repeat(MAX_TOKEN_LEN);
        assert!(matches!(decode(&t), Err(JwtError::Parse(_))));
    }

    #[test]
    fn strict_base64url() {
        let t = tok(H, P);
        let (hp, s) = t.rsplit_once('.').unwrap();
        // padding, standard alphabet, whitespace
        for sig in ["AQID=", "AQ+D", "AQ/D", "AQ ID", "AQID\n"] {
            let bad = format!("{hp}.{sig}");
            assert_eq!(
                decode(&bad).unwrap_err().aws_jwt_verify_class(),
                "JwtParseError",
                "{sig}"
            );
        }
        // non-canonical trailing bits: "AQI" is canonical for [1,2]; "AQJ" has a stray bit.
        assert!(decode(&format!("{hp}.AQI")).is_ok());
        assert!(decode(&format!("{hp}.AQJ")).is_err());
        assert!(decode(&format!("{hp}.{s}")).is_ok());
        // padded header
        let padded = format!("{}=.{}.AQID", b64(H), b64(P));
        assert!(decode(&padded).is_err());
    }

    #[test]
    fn lenient_decode_for_alb() {
        let h = base64::engine::general_purpose::STANDARD.encode(H);
        let p = base64::engine::general_purpose::STANDARD.encode(r#"{"sub":"u??>"}"#);
        let t = format!("{h}.{p}.AQID");
        assert!(decode(&t).is_err());
        let opts = DecodeOptions {
            allow_padding: true,
            allow_standard_alphabet: true,
            ..DecodeOptions::default()
        };
        let d = decode_with(&t, &opts).unwrap();
        assert_eq!(d.claims.get("sub").unwrap(), "u??>");
    }

    #[test]
    fn header_rules() {
        let cases = HEADER_CASES;
        for (h, kind) in cases {
            let t = tok(h, P);
            match decode(&t) {
                Ok(_) => assert_eq!(*kind, "ok", "{h}"),
                Err(e) => assert_eq!(e.aws_jwt_verify_class(), *kind, "{h}"),
            }
        }
        // invalid UTF-8 header
        let t = format!("{}.{}.AQID", B64URL.encode([0x7b, 0xff, 0x7d]), b64(P));
        assert_eq!(
            decode(&t).unwrap_err().aws_jwt_verify_class(),
            "JwtParseError"
        );
    }

    #[test]
    fn payload_rules() {
        let bad = BAD_PAYLOADS;
        for p in bad {
            assert_eq!(
                decode(&tok(H, p)).unwrap_err().aws_jwt_verify_class(),
                "JwtParseError",
                "{p}"
            );
        }
        let good = GOOD_PAYLOADS;
        for p in good {
            assert!(decode(&tok(H, p)).is_ok(), "{p}");
        }
    }

    #[test]
    fn numeric_dates() {
        assert_eq!(numeric_date(&serde_json::json!(5)), Some((5, 5)));
        assert_eq!(numeric_date(&serde_json::json!(5.25)), Some((5, 6)));
        assert_eq!(numeric_date(&serde_json::json!(0.0)), Some((0, 0)));
        assert_eq!(numeric_date(&serde_json::json!(-3)), None);
        assert_eq!(numeric_date(&serde_json::json!("5")), None);
        assert_eq!(
            numeric_date(&serde_json::json!(1e30)),
            Some((u64::MAX, u64::MAX))
        );
    }
}
