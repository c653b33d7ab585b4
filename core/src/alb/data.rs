//! The `no_std` part of ALB verification: decoding `x-amzn-oidc-data`, the header checks that
//! need no key, the ALB public key, and signature and claim verification with a given key.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use p256::pkcs8::DecodePublicKey as _;

use crate::crypto;
use serde_json::{Map, Value};

/// Largest accepted `x-amzn-oidc-data` value in bytes (ALB limits the header to 16 KiB).
pub const MAX_ALB_DATA_LEN: usize = 16 * 1024;

/// Why an `x-amzn-oidc-data` value was rejected. Each variant names one failed check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AlbError {
    /// The value is not three base64 segments of JSON objects with a well-typed header.
    #[error("malformed ALB data: {0}")]
    Malformed(String),
    /// The value is longer than [`MAX_ALB_DATA_LEN`] bytes.
    #[error("ALB data is longer than {MAX_ALB_DATA_LEN} bytes")]
    TooLarge,
    /// The header `alg` is not `ES256`.
    #[error("ALB data algorithm {0:?} is not ES256")]
    InvalidSignatureAlgorithm(String),
    /// The header `kid` is missing or not a UUID (it is placed into the key URL).
    #[error("ALB data kid is missing or not a UUID")]
    InvalidKid,
    /// The header `signer` is not one of the configured ALB ARNs.
    #[error("ALB data signer is not an allowed load balancer ARN")]
    InvalidSigner,
    /// The header `client` is not one of the configured client ids.
    #[error("ALB data client is not an allowed client id")]
    InvalidClientId,
    /// The header or payload `iss` differs from the configured issuer.
    #[error("ALB data issuer is not the expected issuer")]
    InvalidIssuer,
    /// The ES256 signature does not verify with the key.
    #[error("ALB data signature is invalid")]
    InvalidSignature,
    /// Neither payload nor header has a numeric `exp`.
    #[error("ALB data has no exp claim")]
    MissingExp,
    /// `exp` (unix seconds) plus the grace is not after `now`.
    #[error("ALB data expired at {exp} (now {now})")]
    Expired {
        /// The token's `exp`, unix seconds.
        exp: u64,
        /// The verification time, unix seconds.
        now: u64,
    },
    /// `nbf` (unix seconds) minus the grace is after `now`.
    #[error("ALB data is not valid before {nbf} (now {now})")]
    NotBefore {
        /// The token's `nbf`, unix seconds.
        nbf: u64,
        /// The verification time, unix seconds.
        now: u64,
    },
    /// The public key PEM is not a P-256 SubjectPublicKeyInfo.
    #[error("invalid ALB public key: {0}")]
    InvalidKey(String),
    /// A configured ARN or region is invalid.
    #[error("invalid ALB configuration: {0}")]
    InvalidConfig(String),
    /// The key endpoint has no key for this kid (std fetcher).
    #[error("no ALB public key for this kid (no refetch before the cool-down ends)")]
    KeyNotFound,
    /// Fetching the public key failed and none is cached (std fetcher).
    #[error("fetching the ALB public key failed: {0}")]
    KeyFetch(String),
}

impl AlbError {
    /// The stable machine-readable kind: the variant name (`"InvalidSigner"`, `"Expired"`, ...), per the
    /// [error-kind contract](crate::error_kind). Never formats the variant's data.
    pub fn kind(&self) -> &'static str {
        crate::error_kind::variant_kind!(self, AlbError { Malformed(..), TooLarge, InvalidSignatureAlgorithm(..), InvalidKid, InvalidSigner, InvalidClientId, InvalidIssuer, InvalidSignature, MissingExp, Expired { .. }, NotBefore { .. }, InvalidKey(..), InvalidConfig(..), KeyNotFound, KeyFetch(..) })
    }

    /// The name of the matching [aws-jwt-verify](https://github.com/awslabs/aws-jwt-verify)
    /// error class (its ALB classes where they exist: `"AlbJwtInvalidSignerError"`,
    /// `"AlbJwtInvalidClientIdError"`; else the JWT class of the same check, e.g.
    /// `"JwtExpiredError"`). A compatibility mapping, not the [`kind`](Self::kind).
    pub fn aws_jwt_verify_class(&self) -> &'static str {
        match self {
            AlbError::Malformed(_) | AlbError::TooLarge => "JwtParseError",
            AlbError::InvalidSignatureAlgorithm(_) => "JwtInvalidSignatureAlgorithmError",
            AlbError::InvalidKid => "JwtWithoutValidKidError",
            AlbError::InvalidSigner => "AlbJwtInvalidSignerError",
            AlbError::InvalidClientId => "AlbJwtInvalidClientIdError",
            AlbError::InvalidIssuer => "JwtInvalidIssuerError",
            AlbError::InvalidSignature => "JwtInvalidSignatureError",
            AlbError::MissingExp => "JwtInvalidClaimError",
            AlbError::Expired { .. } => "JwtExpiredError",
            AlbError::NotBefore { .. } => "JwtNotBeforeError",
            AlbError::InvalidKey(_) => "JwkValidationError",
            AlbError::InvalidConfig(_) => "ParameterValidationError",
            AlbError::KeyNotFound => "KidNotFoundInJwksError",
            AlbError::KeyFetch(_) => "FetchError",
        }
    }
}

/// The ALB-specific JWT header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlbHeader {
    /// `alg`; only `ES256` verifies.
    pub alg: String,
    /// `kid`: the key id, a UUID once [`check_header`] passed.
    pub kid: Option<String>,
    /// `signer`: the ARN of the ALB that signed.
    pub signer: Option<String>,
    /// `client`: the OIDC client id.
    pub client: Option<String>,
    /// `iss`: the IdP issuer.
    pub iss: Option<String>,
    /// `exp`: expiry in unix seconds.
    pub exp: Option<u64>,
    /// `typ`, if present.
    pub typ: Option<String>,
}

/// A parsed, **unverified** `x-amzn-oidc-data` value.
#[derive(Debug, Clone, PartialEq)]
pub struct AlbData<'a> {
    /// The decoded header.
    pub header: AlbHeader,
    /// The decoded payload (user claims). Untrusted until verified.
    pub claims: Map<String, Value>,
    /// The exact `header.payload` text as received (padding included): what was signed.
    pub signing_input: &'a str,
    /// The raw signature bytes (ES256: 64 bytes `r || s`).
    pub signature: Vec<u8>,
}

const STD_CFG: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_encode_padding(false)
    .with_decode_padding_mode(DecodePaddingMode::Indifferent);
const B64_STD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, STD_CFG);
const B64_URL: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, STD_CFG);

/// Decodes one segment in the base64url or the standard alphabet (not mixed), with or without
/// correct `=` padding.
fn decode_segment(seg: &str, what: &str) -> Result<Vec<u8>, AlbError> {
    let has_std = seg.bytes().any(|b| b == b'+' || b == b'/');
    let has_url = seg.bytes().any(|b| b == b'-' || b == b'_');
    if has_std && has_url {
        return Err(AlbError::Malformed(format!(
            "{what} mixes base64 alphabets"
        )));
    }
    let engine = if has_std { &B64_STD } else { &B64_URL };
    engine
        .decode(seg)
        .map_err(|_| AlbError::Malformed(format!("{what} is not valid base64")))
}

fn opt_str(h: &Map<String, Value>, name: &str) -> Result<Option<String>, AlbError> {
    match h.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(AlbError::Malformed(format!(
            "header {name} is not a string"
        ))),
    }
}

fn opt_u64(m: &Map<String, Value>, name: &str, place: &str) -> Result<Option<u64>, AlbError> {
    match m.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => match (n.as_u64(), n.as_f64()) {
            (Some(v), _) => Ok(Some(v)),
            // Fractional seconds: truncate toward zero, refuse negatives and non-finite values.
            (None, Some(f)) if (0.0..1.8e19).contains(&f) => Ok(Some(f as u64)),
            _ => Err(AlbError::Malformed(format!(
                "{place} {name} is not a non-negative number"
            ))),
        },
        Some(_) => Err(AlbError::Malformed(format!(
            "{place} {name} is not a number"
        ))),
    }
}

/// Parses an `x-amzn-oidc-data` value without verifying anything.
///
/// Accepts padded or unpadded segments in the base64url or standard alphabet. Errors:
/// [`AlbError::TooLarge`] (checked before any work), [`AlbError::Malformed`].
pub fn decode_alb_data(data: &str) -> Result<AlbData<'_>, AlbError> {
    if data.len() > MAX_ALB_DATA_LEN {
        return Err(AlbError::TooLarge);
    }
    let data = data.trim_matches(|c: char| c == ' ' || c == '\t');
    let mut parts = data.split('.');
    let (h, p, s) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s), None) if !h.is_empty() && !p.is_empty() && !s.is_empty() => {
            (h, p, s)
        }
        _ => {
            return Err(AlbError::Malformed(
                "expected three non-empty dot-separated segments".into(),
            ))
        }
    };
    let signing_input = data
        .get(..h.len().saturating_add(1).saturating_add(p.len()))
        .unwrap_or("");
    let header_bytes = decode_segment(h, "header")?;
    let payload_bytes = decode_segment(p, "payload")?;
    let signature = decode_segment(s, "signature")?;
    let header_map: Map<String, Value> = serde_json::from_slice(&header_bytes)
        .map_err(|_| AlbError::Malformed("header is not a JSON object".into()))?;
    let claims: Map<String, Value> = serde_json::from_slice(&payload_bytes)
        .map_err(|_| AlbError::Malformed("payload is not a JSON object".into()))?;
    let alg = match header_map.get("alg") {
        Some(Value::String(a)) => a.clone(),
        _ => {
            return Err(AlbError::Malformed(
                "header alg is missing or not a string".into(),
            ))
        }
    };
    let header = AlbHeader {
        alg,
        kid: opt_str(&header_map, "kid")?,
        signer: opt_str(&header_map, "signer")?,
        client: opt_str(&header_map, "client")?,
        iss: opt_str(&header_map, "iss")?,
        exp: opt_u64(&header_map, "exp", "header")?,
        typ: opt_str(&header_map, "typ")?,
    };
    Ok(AlbData {
        header,
        claims,
        signing_input,
        signature,
    })
}

/// True when `kid` has the UUID shape `8-4-4-4-12` hex digits (either case), the shape ALB
/// uses; anything else never reaches a key URL.
pub fn is_valid_alb_kid(kid: &str) -> bool {
    let b = kid.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The region of an ELB ARN `arn:{partition}:elasticloadbalancing:{region}:{account}:loadbalancer/...`.
///
/// Errors: [`AlbError::InvalidConfig`] when the ARN is not an ELB ARN or the region is not of
/// the form `xx-name-N` (e.g. `eu-west-1`, `us-gov-west-1`).
pub fn region_from_arn(arn: &str) -> Result<&str, AlbError> {
    let mut parts = arn.split(':');
    let (arn_lit, partition, service, region) =
        (parts.next(), parts.next(), parts.next(), parts.next());
    if arn_lit != Some("arn")
        || !matches!(partition, Some("aws" | "aws-us-gov" | "aws-cn"))
        || service != Some("elasticloadbalancing")
    {
        return Err(AlbError::InvalidConfig(format!(
            "{arn:?} is not a load balancer ARN"
        )));
    }
    let region = region.unwrap_or("");
    if !is_valid_region(region) {
        return Err(AlbError::InvalidConfig(format!(
            "invalid AWS region {region:?} in ARN"
        )));
    }
    Ok(region)
}

/// True for region names like `eu-west-1`, `ap-northeast-1`, `us-gov-west-1`.
pub fn is_valid_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts
            .first()
            .is_some_and(|p| p.len() == 2 && p.bytes().all(|c| c.is_ascii_lowercase()))
        && parts
            .last()
            .is_some_and(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|c| c.is_ascii_digit()))
        && parts
            .get(1..parts.len().saturating_sub(1))
            .is_some_and(|mid| {
                mid.iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_lowercase()))
            })
}

/// The default public key endpoint of a region: `https://public-keys.auth.elb.{region}.amazonaws.com`
/// (append `/{kid}`). GovCloud and China publish keys elsewhere: configure the URL there.
pub fn default_keys_url(region: &str) -> String {
    format!("https://public-keys.auth.elb.{region}.amazonaws.com")
}

/// An ALB signing key (P-256), parsed once from the PEM the key endpoint serves and kept in the
/// crypto back end's precomputed form (OpenSSL with the `native` feature, RustCrypto otherwise).
#[derive(Clone, PartialEq, Eq)]
pub struct AlbPublicKey {
    key: crypto::EcPublicKey,
}

impl core::fmt::Debug for AlbPublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AlbPublicKey(P-256)")
    }
}

impl AlbPublicKey {
    /// Parses a `-----BEGIN PUBLIC KEY-----` PEM (SubjectPublicKeyInfo) holding a P-256 key.
    /// Errors: [`AlbError::InvalidKey`].
    pub fn from_pem(pem: &str) -> Result<Self, AlbError> {
        use p256::elliptic_curve::sec1::ToEncodedPoint as _;
        let bad = || AlbError::InvalidKey("not a P-256 SubjectPublicKeyInfo PEM".into());
        let pk = p256::PublicKey::from_public_key_pem(pem.trim()).map_err(|_| bad())?;
        let key =
            crypto::EcPublicKey::new(crypto::Curve::P256, pk.to_encoded_point(false).as_bytes())
                .map_err(|_| bad())?;
        Ok(AlbPublicKey { key })
    }

    /// Verifies an ES256 signature (64 bytes `r || s`, RFC 7518 §3.4) over `message`.
    /// Errors: [`AlbError::InvalidSignature`].
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), AlbError> {
        if self.key.verify_fixed(message, signature) {
            Ok(())
        } else {
            Err(AlbError::InvalidSignature)
        }
    }
}

/// What an `x-amzn-oidc-data` value must satisfy.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AlbVerifyOptions {
    /// Allowed `signer` ARNs (at least one required by [`check_header`]).
    pub alb_arns: Vec<String>,
    /// Allowed `client` ids; `None` skips the check (aws-jwt-verify's `clientId: null`).
    pub client_ids: Option<Vec<String>>,
    /// Expected `iss` (header and payload, where present); `None` skips the check.
    pub issuer: Option<String>,
    /// Clock skew allowance for `exp` and `nbf`, in seconds.
    pub grace_seconds: u64,
}

/// The checks that need no key: `alg` is ES256, `kid` is a UUID, `signer` is an allowed ARN,
/// `client` an allowed client id. Run this before fetching a key.
///
/// Errors: [`AlbError::InvalidSignatureAlgorithm`], [`AlbError::InvalidKid`],
/// [`AlbError::InvalidSigner`], [`AlbError::InvalidClientId`], [`AlbError::InvalidConfig`]
/// (no ARN configured).
pub fn check_header(data: &AlbData<'_>, opts: &AlbVerifyOptions) -> Result<(), AlbError> {
    if data.header.alg != "ES256" {
        return Err(AlbError::InvalidSignatureAlgorithm(
            data.header.alg.chars().take(16).collect(),
        ));
    }
    if !data.header.kid.as_deref().is_some_and(is_valid_alb_kid) {
        return Err(AlbError::InvalidKid);
    }
    if opts.alb_arns.is_empty() {
        return Err(AlbError::InvalidConfig("no ALB ARN configured".into()));
    }
    let signer = data.header.signer.as_deref().unwrap_or("");
    if !opts.alb_arns.iter().any(|a| a == signer) {
        return Err(AlbError::InvalidSigner);
    }
    if let Some(clients) = &opts.client_ids {
        let client = data.header.client.as_deref().unwrap_or("");
        if !clients.iter().any(|c| c == client) {
            return Err(AlbError::InvalidClientId);
        }
    }
    Ok(())
}

/// Claim checks after the signature verified: `exp` required (payload, else header; both
/// checked when both present), `nbf` when present, `iss` when configured.
fn check_claims(data: &AlbData<'_>, opts: &AlbVerifyOptions, now: u64) -> Result<(), AlbError> {
    let payload_exp = opt_u64(&data.claims, "exp", "payload")?;
    let exps = [payload_exp, data.header.exp];
    if exps.iter().all(Option::is_none) {
        return Err(AlbError::MissingExp);
    }
    for exp in exps.into_iter().flatten() {
        if exp.saturating_add(opts.grace_seconds) <= now {
            return Err(AlbError::Expired { exp, now });
        }
    }
    if let Some(nbf) = opt_u64(&data.claims, "nbf", "payload")? {
        if nbf > now.saturating_add(opts.grace_seconds) {
            return Err(AlbError::NotBefore { nbf, now });
        }
    }
    if let Some(iss) = &opts.issuer {
        let payload_iss = match data.claims.get("iss") {
            None => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(_) => return Err(AlbError::InvalidIssuer),
        };
        if payload_iss.is_none() && data.header.iss.is_none() {
            return Err(AlbError::InvalidIssuer);
        }
        for got in [payload_iss, data.header.iss.as_deref()]
            .into_iter()
            .flatten()
        {
            if got != iss {
                return Err(AlbError::InvalidIssuer);
            }
        }
    }
    Ok(())
}

/// Verifies a parsed value with a known key: header checks, ES256 signature over the raw
/// `header.payload` text, then claims. Returns the payload claims only when all passed.
///
/// `now` is unix seconds. Errors: any [`AlbError`] check variant.
pub fn verify_alb_data_with_key(
    data: &AlbData<'_>,
    key: &AlbPublicKey,
    opts: &AlbVerifyOptions,
    now: u64,
) -> Result<Map<String, Value>, AlbError> {
    check_header(data, opts)?;
    key.verify(data.signing_input.as_bytes(), &data.signature)?;
    check_claims(data, opts, now)?;
    Ok(data.claims.clone())
}

/// Parses and verifies an `x-amzn-oidc-data` value with a known key (see
/// [`verify_alb_data_with_key`]).
pub fn verify_alb_data(
    data: &str,
    key: &AlbPublicKey,
    opts: &AlbVerifyOptions,
    now: u64,
) -> Result<Map<String, Value>, AlbError> {
    let parsed = decode_alb_data(data)?;
    verify_alb_data_with_key(&parsed, key, opts, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use p256::ecdsa::signature::Signer as _;
    use p256::ecdsa::{Signature, SigningKey};
    use p256::pkcs8::{EncodePublicKey as _, LineEnding};

    const ARN: &str = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188";
    const KID: &str = "11111111-2222-3333-4444-555555555555";

    fn key() -> SigningKey {
        SigningKey::from_slice(&[7u8; 32]).unwrap()
    }

    fn pem(sk: &SigningKey) -> String {
        sk.verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap()
    }

    /// Builds ALB-style data: padded base64url segments, signature over the padded text.
    fn build(
        header: &str,
        payload: &str,
        sk: &SigningKey,
        engine: &GeneralPurpose,
        pad: bool,
    ) -> String {
        let enc = |b: &[u8]| {
            let mut s = engine.encode(b);
            if pad {
                while s.len() % 4 != 0 {
                    s.push('=');
                }
            }
            s
        };
        let input = format!("{}.{}", enc(header.as_bytes()), enc(payload.as_bytes()));
        let sig: Signature = sk.sign(input.as_bytes());
        format!("{input}.{}", enc(&sig.to_bytes()))
    }

    fn opts() -> AlbVerifyOptions {
        AlbVerifyOptions {
            alb_arns: vec![ARN.into()],
            client_ids: Some(vec!["client1".into()]),
            issuer: Some("https://idp.example".into()),
            grace_seconds: 0,
        }
    }

    fn header(exp: u64) -> String {
        format!(
            r#"{{"typ":"JWT","kid":"{KID}","alg":"ES256","iss":"https://idp.example","client":"client1","signer":"{ARN}","exp":{exp}}}"#
        )
    }

    #[test]
    fn verifies_padded_and_standard_alphabet() {
        let sk = key();
        let k = AlbPublicKey::from_pem(&pem(&sk)).unwrap();
        let payload = r#"{"sub":"u1","email":"a@b.c","exp":2000,"iss":"https://idp.example"}"#;
        for (engine, pad) in [
            (&B64_URL, true),
            (&B64_URL, false),
            (&B64_STD, true),
            (&B64_STD, false),
        ] {
            let d = build(&header(2000), payload, &sk, engine, pad);
            let claims = verify_alb_data(&d, &k, &opts(), 1000).unwrap();
            assert_eq!(claims["sub"], "u1");
        }
    }

    #[test]
    fn signature_covers_padding() {
        // Re-padding a segment changes the signed text: must fail.
        let sk = key();
        let k = AlbPublicKey::from_pem(&pem(&sk)).unwrap();
        let payload = r#"{"sub":"u1","exp":2000}"#; // 22 bytes -> needs padding
        let d = build(&header(2000), payload, &sk, &B64_URL, true);
        assert!(d.contains("=."));
        let stripped = d.replacen("=.", ".", 1);
        let mut o = opts();
        o.issuer = None;
        assert_eq!(
            verify_alb_data(&stripped, &k, &o, 1000).unwrap_err(),
            AlbError::InvalidSignature
        );
        assert!(verify_alb_data(&d, &k, &o, 1000).is_ok());
    }

    #[test]
    fn rejections() {
        let sk = key();
        let k = AlbPublicKey::from_pem(&pem(&sk)).unwrap();
        let payload = r#"{"sub":"u1","exp":2000,"iss":"https://idp.example"}"#;
        let d = build(&header(2000), payload, &sk, &B64_URL, true);
        assert_eq!(
            verify_alb_data(&d, &k, &opts(), 2000).unwrap_err().kind(),
            "Expired"
        );
        let mut o = opts();
        o.alb_arns = vec![ARN.replace("eu-west-1", "us-east-1")];
        assert_eq!(
            verify_alb_data(&d, &k, &o, 1000).unwrap_err(),
            AlbError::InvalidSigner
        );
        let mut o = opts();
        o.client_ids = Some(vec!["other".into()]);
        assert_eq!(
            verify_alb_data(&d, &k, &o, 1000).unwrap_err(),
            AlbError::InvalidClientId
        );
        let mut o = opts();
        o.issuer = Some("https://evil".into());
        assert_eq!(
            verify_alb_data(&d, &k, &o, 1000).unwrap_err(),
            AlbError::InvalidIssuer
        );
        // Tampered payload.
        let parts: Vec<&str> = d.split('.').collect();
        let evil = B64_URL.encode(br#"{"sub":"admin","exp":2000,"iss":"https://idp.example"}"#);
        let t = format!("{}.{}.{}", parts[0], evil, parts[2]);
        assert_eq!(
            verify_alb_data(&t, &k, &opts(), 1000).unwrap_err(),
            AlbError::InvalidSignature
        );
        // Other key.
        let other =
            AlbPublicKey::from_pem(&pem(&SigningKey::from_slice(&[9u8; 32]).unwrap())).unwrap();
        assert_eq!(
            verify_alb_data(&d, &other, &opts(), 1000).unwrap_err(),
            AlbError::InvalidSignature
        );
        // Bad kid, alg.
        let h = header(2000).replace(KID, "../../etc/passwd");
        let d2 = build(&h, payload, &sk, &B64_URL, true);
        assert_eq!(
            verify_alb_data(&d2, &k, &opts(), 1000).unwrap_err(),
            AlbError::InvalidKid
        );
        let h = header(2000).replace("ES256", "HS256");
        let d3 = build(&h, payload, &sk, &B64_URL, true);
        assert_eq!(
            verify_alb_data(&d3, &k, &opts(), 1000).unwrap_err().kind(),
            "InvalidSignatureAlgorithm"
        );
        // No exp anywhere.
        let h = header(2000).replace(",\"exp\":2000", "");
        let d4 = build(&h, r#"{"sub":"u1"}"#, &sk, &B64_URL, true);
        let mut o = opts();
        o.issuer = None;
        assert_eq!(
            verify_alb_data(&d4, &k, &o, 1000).unwrap_err(),
            AlbError::MissingExp
        );
    }

    #[test]
    fn malformed_inputs_do_not_panic() {
        let k = AlbPublicKey::from_pem(&pem(&key())).unwrap();
        for bad in [
            "",
            ".",
            "..",
            "a.b.c",
            "a.b.c.d",
            "e30.e30.",
            "e30.e30.AAAA",
            "=.=.=",
            "+-.e30.e30",
        ] {
            assert!(verify_alb_data(bad, &k, &opts(), 0).is_err(), "{bad}");
        }
        let long = "a".repeat(MAX_ALB_DATA_LEN + 1);
        assert_eq!(decode_alb_data(&long).unwrap_err(), AlbError::TooLarge);
        assert!(AlbPublicKey::from_pem(
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"
        )
        .is_err());
    }

    #[test]
    fn arn_region_and_kid() {
        assert_eq!(region_from_arn(ARN).unwrap(), "eu-west-1");
        assert_eq!(
            region_from_arn(
                "arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:1:loadbalancer/app/a/b"
            )
            .unwrap(),
            "us-gov-west-1"
        );
        assert!(region_from_arn("arn:aws:s3:eu-west-1:1:x").is_err());
        assert!(region_from_arn("arn:aws:elasticloadbalancing:evil.com/x:1:loadbalancer").is_err());
        assert!(is_valid_alb_kid(KID));
        assert!(is_valid_alb_kid("ABCDEF01-2222-3333-4444-555555555555"));
        assert!(!is_valid_alb_kid("11111111-2222-3333-4444-55555555555g"));
        assert!(!is_valid_alb_kid("11111111222233334444555555555555"));
    }
}
