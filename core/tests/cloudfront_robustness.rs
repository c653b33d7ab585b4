//! No panics on hostile input: seeded random strings through every CloudFront entry point,
//! with the invariants that must hold when a call succeeds.

use pocket_sign_core::cloudfront::{
    resource_matches, CloudFrontSigner, CookieAttributes, CustomPolicy, KeyOptions, Policy,
    PolicyBuilder, SigningKey, MAX_URL_LEN,
};
use pocket_sign_core::encoding::{cloudfront_b64_decode, cloudfront_b64_encode};

const DEMO: &str = include_str!("../../examples/demo-cloudfront-key.pem");
const ALPHABET: &[&str] = &[
    "a",
    "Z",
    "0",
    "9",
    "/",
    "*",
    "?",
    "&",
    "=",
    "#",
    "%",
    "%2",
    "\"",
    "\\",
    " ",
    "\n",
    "\u{0}",
    "\u{7f}",
    "é",
    "日",
    "😀",
    "-",
    "_",
    "~",
    "+",
    ".",
    ":",
    ";",
    ",",
    "https://",
    "Expires=",
    "Signature",
    "192.168.",
    "/32",
    "::",
    "-----BEGIN ",
    "-----END ",
    "PRIVATE KEY-----",
    "RSA ",
    "EC ",
    "MII",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn string(&mut self, max_parts: usize) -> String {
        let n = self.below(max_parts + 1);
        (0..n)
            .map(|_| ALPHABET[self.below(ALPHABET.len())])
            .collect()
    }
}

#[test]
fn hostile_strings_never_panic() {
    let mut rng = Rng(0x5eed_cf00_1234_5678);
    let signer = CloudFrontSigner::new(
        "K2JCJMDEHXQW5F",
        SigningKey::from_pem(DEMO, KeyOptions::default()).unwrap(),
    )
    .unwrap();
    for i in 0..6000 {
        let a = rng.string(12);
        let b = rng.string(12);
        let _ = resource_matches(&a, &b);
        assert!(
            resource_matches(&a, &a) || a.contains('?'),
            "{a:?} should match itself"
        );
        if let Ok(bytes) = cloudfront_b64_decode(&a) {
            assert_eq!(cloudfront_b64_encode(&bytes), a);
        }
        let _ = SigningKey::from_pem(&a, KeyOptions::default());
        let _ = SigningKey::from_pem_base64(&a, KeyOptions::default());
        let _ = CustomPolicy::new(&a, 1).from_ip(&b);
        let built = PolicyBuilder::new()
            .expires_at(rng.next())
            .ip(&b)
            .resource(&a)
            .build_for(&b);
        let _ = CloudFrontSigner::new(
            &a,
            SigningKey::from_pem(DEMO, KeyOptions::default()).unwrap(),
        )
        .ok();
        if i % 60 == 0 {
            // Signing is the slow part: fewer rounds.
            let policy = built.unwrap_or(Policy::Canned {
                expires: rng.next(),
            });
            if let Ok(url) = signer.signed_url(&b, &policy) {
                assert!(url.starts_with(&b) && url.len() <= MAX_URL_LEN);
            }
            if let Ok(c) = signer.signed_cookies(&a, &policy) {
                let attrs = CookieAttributes {
                    domain: Some(b.clone()),
                    ..CookieAttributes::default()
                };
                let _ = c.set_cookie_headers(&attrs);
            }
        }
    }
}

#[test]
fn corrupted_pem_never_panics() {
    let mut rng = Rng(42);
    let lines: Vec<&str> = DEMO.lines().collect();
    for _ in 0..300 {
        let mut body: Vec<u8> = lines[1..lines.len() - 1].join("\n").into_bytes();
        for _ in 0..=rng.below(3) {
            let at = rng.below(body.len());
            body[at] =
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[rng.below(64)];
        }
        if rng.below(4) == 0 {
            body.truncate(rng.below(body.len()));
        }
        let pem = format!(
            "{}\n{}\n{}\n",
            lines[0],
            String::from_utf8(body).unwrap(),
            lines[lines.len() - 1]
        );
        let _ = SigningKey::from_pem(&pem, KeyOptions::default());
    }
}
