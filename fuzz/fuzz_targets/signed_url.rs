//! Policy building and URL signing with fuzzed URL, resource, IP and times: never panics; the
//! policy JSON always parses as JSON with the resource round-tripping; the signed URL always
//! starts with the input URL.
#![no_main]
use libfuzzer_sys::{arbitrary, fuzz_target};
use pocket_sign_core::cloudfront::{CloudFrontSigner, KeyOptions, Policy, PolicyBuilder, SigningKey};
use std::sync::OnceLock;

#[derive(Debug, arbitrary::Arbitrary)]
struct Input<'a> {
    url: &'a str,
    resource: Option<&'a str>,
    ip: Option<&'a str>,
    expires: u64,
    starts: Option<u64>,
}

fn signer() -> &'static CloudFrontSigner {
    static SIGNER: OnceLock<CloudFrontSigner> = OnceLock::new();
    SIGNER.get_or_init(|| {
        let pem = include_str!("../../tests/vectors/cloudfront/test-rsa-key.pem");
        let opts = KeyOptions { allow_weak_rsa: true, ..KeyOptions::default() };
        CloudFrontSigner::new("K1TESTKEY", SigningKey::from_pem(pem, opts).expect("test key"))
            .expect("key pair id")
    })
}

fuzz_target!(|input: Input<'_>| {
    let mut b = PolicyBuilder::new().expires_at(input.expires);
    if let Some(r) = input.resource { b = b.resource(r); }
    if let Some(ip) = input.ip { b = b.ip(ip); }
    if let Some(s) = input.starts { b = b.starts_at(s); }
    let Ok(policy) = b.build_for(input.url) else { return };
    if let Policy::Custom(custom) = &policy {
        let json: serde_json::Value = serde_json::from_str(&custom.to_json()).expect("policy JSON parses");
        assert_eq!(json["Statement"][0]["Resource"].as_str(), Some(custom.resource.as_str()));
    }
    if let Ok(url) = signer().signed_url(input.url, &policy) {
        assert!(url.starts_with(input.url));
    }
});
