//! Rough timings of the signing paths (run with `--ignored --nocapture`; not a benchmark
//! harness, just numbers for the report). Asserts only that signing works.

use std::time::Instant;

use pocket_sign_core::cloudfront::{
    CloudFrontSigner, CustomPolicy, HashAlgorithm, KeyOptions, Policy, SigningKey,
};

const DEMO: &str = include_str!("../../examples/demo-cloudfront-key.pem");
const EC: &str = include_str!("../../tests/vectors/cloudfront/test-ecdsa-key.pem");

fn time(label: &str, n: u32, mut f: impl FnMut(u32)) {
    let start = Instant::now();
    for i in 0..n {
        f(i);
    }
    let per = start.elapsed() / n;
    println!("{label}: {per:?} per call");
}

#[test]
#[ignore]
fn signing_timings() {
    let url = "https://d111111abcdef8.cloudfront.net/media/demo.jpg";
    for (name, pem) in [("rsa2048", DEMO), ("p256", EC)] {
        for hash in [HashAlgorithm::Sha1, HashAlgorithm::Sha256] {
            let s = CloudFrontSigner::new(
                "K2JCJMDEHXQW5F",
                SigningKey::from_pem(pem, KeyOptions::default()).unwrap(),
            )
            .unwrap()
            .with_hash_algorithm(hash);
            time(&format!("{name} {hash:?} signed_url canned"), 200, |i| {
                assert!(s
                    .signed_url(
                        url,
                        &Policy::Canned {
                            expires: 1_767_290_400 + u64::from(i)
                        }
                    )
                    .is_ok());
            });
        }
    }
    let s = CloudFrontSigner::new(
        "K2JCJMDEHXQW5F",
        SigningKey::from_pem(DEMO, KeyOptions::default()).unwrap(),
    )
    .unwrap();
    let signed = s
        .sign_policy(&CustomPolicy::new(
            "https://d111111abcdef8.cloudfront.net/media/*",
            1_767_290_400,
        ))
        .unwrap();
    time("SignedPolicy::apply (no signing)", 20_000, |i| {
        assert!(signed
            .apply(&format!(
                "https://d111111abcdef8.cloudfront.net/media/{i}.jpg"
            ))
            .is_ok());
    });
    time("SigningKey::from_pem rsa2048", 20, |_| {
        assert!(SigningKey::from_pem(DEMO, KeyOptions::default()).is_ok());
    });
}
