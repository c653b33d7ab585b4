//! Test material for pocket-sign's criterion benches (`benches/benches/hot_paths.rs`) and the
//! comparison script (`scripts/compare.sh`).
//!
//! The keys are the public bench keys in `benches/data/` (test material of no value: never use
//! them for anything real). Tokens are signed in-process with RustCrypto so that every bench
//! verifies a real signature over realistic Cognito / ALB claims.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use p256::ecdsa::signature::Signer as _;
use p256::pkcs8::DecodePrivateKey as _;
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::signature::SignatureEncoding as _;
use rsa::traits::PublicKeyParts as _;

/// RSA-2048 private key, PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`: magic-pocket's TraditionalOpenSSL form).
pub const RSA_2048_PEM: &str = include_str!("../data/bench-rsa-2048.pem");
/// ECDSA P-256 private key, PKCS#8 PEM.
pub const EC_P256_PEM: &str = include_str!("../data/bench-ec-p256.pem");
/// CloudFront public key ID used in every signed URL.
pub const KEY_PAIR_ID: &str = "K2JCJMDEHXQW5F";
/// One media URL (the single-URL rows).
pub const URL: &str = "https://d111111abcdef8.cloudfront.net/media/2026/11/photo-0001.jpg";
/// The shared custom-policy resource (wildcard under the page's prefix).
pub const WILDCARD_RESOURCE: &str = "https://d111111abcdef8.cloudfront.net/media/2026/11/*";
/// Source-IP condition of the custom policy (CIDR).
pub const CUSTOM_IP: &str = "192.0.2.0/24";
/// Fixed "now" for every check (unix seconds, 2026-11-23).
pub const NOW: u64 = 1_795_392_000;
/// Expiry of tokens, policies and URLs: NOW + 30 days (unix seconds).
pub const EXPIRES: u64 = NOW + 30 * 86_400;
/// SPA token secret: 64 lowercase hex chars (32 bytes), as magic-pocket's `SPA_TOKEN_SECRET`.
pub const SPA_SECRET_HEX: &str = "3f1c9a0e6b7d2c4a8e5f1b3d7c9a2e4f6b8d0c2a4e6f8b1d3c5a7e9f0b2d4c6e";
/// SPA user id (Django `str(request.user.pk)`).
pub const SPA_USER_ID: &str = "12345";
/// Cognito user pool of the test tokens.
pub const USER_POOL_ID: &str = "us-east-1_BenchPool1";
/// Issuer (`iss`) of the test tokens.
pub const ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_BenchPool1";
/// App client id (`client_id` of the access token).
pub const CLIENT_ID: &str = "3h5bench0client0id0000000a";
/// `kid` of the RSA key in the JWKS.
pub const KID: &str = "bench-rsa-2048-kid-1";
/// `kid` of the ALB ES256 key.
pub const ALB_KID: &str = "5b8f3a1e-9c2d-4e6f-8a7b-1c2d3e4f5a6b";
/// ALB ARN in the `signer` header field.
pub const ALB_ARN: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/bench/50dc6c495c0c9188";

/// The 50 media URLs of one page (`photo-0000.jpg` … `photo-0049.jpg` under the wildcard prefix).
pub fn page_urls() -> Vec<String> {
    (0..50)
        .map(|i| format!("https://d111111abcdef8.cloudfront.net/media/2026/11/photo-{i:04}.jpg"))
        .collect()
}

/// The RSA-2048 bench key (parsed once).
///
/// # Panics
/// Only if the committed PEM in `benches/data/` is corrupt.
pub fn rsa_key() -> rsa::RsaPrivateKey {
    rsa::RsaPrivateKey::from_pkcs1_pem(RSA_2048_PEM).expect("benches/data RSA key parses")
}

/// The P-256 bench key (parsed once).
///
/// # Panics
/// Only if the committed PEM in `benches/data/` is corrupt.
pub fn ec_key() -> p256::ecdsa::SigningKey {
    p256::ecdsa::SigningKey::from_pkcs8_pem(EC_P256_PEM).expect("benches/data EC key parses")
}

fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A JWKS document (`{"keys":[...]}`) with a decoy RSA key first and the bench key second, as a
/// Cognito user pool publishes two keys. The decoy reuses the bench modulus with another kid.
pub fn jwks_json() -> String {
    let key = rsa_key();
    let n = b64url(&key.n().to_bytes_be());
    let e = b64url(&key.e().to_bytes_be());
    format!(
        r#"{{"keys":[{{"alg":"RS256","e":"{e}","kid":"bench-decoy-kid-0","kty":"RSA","n":"{n}","use":"sig"}},{{"alg":"RS256","e":"{e}","kid":"{KID}","kty":"RSA","n":"{n}","use":"sig"}}]}}"#
    )
}

/// A Cognito access token (RS256, `kid` = [`KID`]) valid at [`NOW`], signed with the bench key.
pub fn access_token() -> String {
    let header = format!(r#"{{"kid":"{KID}","alg":"RS256"}}"#);
    let claims = format!(
        concat!(
            r#"{{"sub":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","cognito:groups":["admin"],"iss":"{iss}","#,
            r#""version":2,"client_id":"{cid}","origin_jti":"bbbbbbbb-cccc-dddd-eeee-ffffffffffff","#,
            r#""event_id":"cccccccc-dddd-eeee-ffff-000000000000","token_use":"access","#,
            r#""scope":"aws.cognito.signin.user.admin","auth_time":{now},"exp":{exp},"iat":{now},"#,
            r#""jti":"dddddddd-eeee-ffff-0000-111111111111","username":"bench-user"}}"#
        ),
        iss = ISSUER,
        cid = CLIENT_ID,
        now = NOW,
        exp = EXPIRES
    );
    let input = format!(
        "{}.{}",
        b64url(header.as_bytes()),
        b64url(claims.as_bytes())
    );
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(rsa_key());
    let sig = signer.sign(input.as_bytes()).to_vec();
    format!("{input}.{}", b64url(&sig))
}

/// The ALB public key PEM (SubjectPublicKeyInfo), as served at
/// `https://public-keys.auth.elb.{region}.amazonaws.com/{kid}`.
pub fn alb_public_key_pem() -> String {
    use p256::pkcs8::EncodePublicKey as _;
    ec_key()
        .verifying_key()
        .to_public_key_pem(p256::pkcs8::LineEnding::LF)
        .expect("P-256 public key encodes")
}

/// An ALB `x-amzn-oidc-data` token: ES256, header with `signer`/`iss`/`client`/`exp`, segments
/// in base64url *with* padding as ALB sends them, valid at [`NOW`].
pub fn alb_token() -> String {
    let header = format!(
        r#"{{"alg":"ES256","kid":"{ALB_KID}","signer":"{ALB_ARN}","iss":"{ISSUER}","client":"{CLIENT_ID}","exp":{EXPIRES}}}"#
    );
    let claims = format!(
        r#"{{"sub":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","email":"bench@example.com","username":"bench-user","exp":{EXPIRES},"iss":"{ISSUER}"}}"#
    );
    let input = format!(
        "{}.{}",
        URL_SAFE.encode(header.as_bytes()),
        URL_SAFE.encode(claims.as_bytes())
    );
    let sig: p256::ecdsa::Signature = ec_key().sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE.encode(sig.to_bytes()))
}

/// The `pocket.toml` used by the codegen bench: the recommended layout of magic-pocket's
/// best-practice guide (SPA with token gate, API route, media route) with two stages.
pub const POCKET_TOML: &str = include_str!("../data/pocket.toml");

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::signature::Verifier as _;

    #[test]
    fn access_token_verifies_with_the_bench_key() {
        let tok = access_token();
        let (input, sig) = tok.rsplit_once('.').unwrap();
        let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
        let vk = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(rsa_key().to_public_key());
        let sig = rsa::pkcs1v15::Signature::try_from(sig.as_slice()).unwrap();
        vk.verify(input.as_bytes(), &sig).unwrap();
        assert!(vk.verify(b"other", &sig).is_err());
    }

    #[test]
    fn alb_token_verifies_and_jwks_parses() {
        let tok = alb_token();
        let (input, sig) = tok.rsplit_once('.').unwrap();
        let sig = p256::ecdsa::Signature::from_slice(&URL_SAFE.decode(sig).unwrap()).unwrap();
        ec_key()
            .verifying_key()
            .verify(input.as_bytes(), &sig)
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&jwks_json()).unwrap();
        assert_eq!(v["keys"][1]["kid"], KID);
        assert_eq!(page_urls().len(), 50);
        assert!(alb_public_key_pem().starts_with("-----BEGIN PUBLIC KEY-----"));
    }
}
