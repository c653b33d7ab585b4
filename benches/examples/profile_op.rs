//! Runs one hot path N times, for profilers (instruction counts do not depend on machine load):
//!
//! ```sh
//! cargo build --release -p pocket-sign-benches --example profile_op
//! valgrind --tool=callgrind --callgrind-out-file=target/callgrind.spa_verify \
//!     target/release/examples/profile_op spa_verify 100000
//! callgrind_annotate target/callgrind.spa_verify | head -40
//! ```
//!
//! Ops: spa_verify, spa_generate, url_canned (RSA, SHA-1), url_canned_sha256 (RSA, SHA-256),
//! url_ecdsa, jwt_verify, alb_verify, floor_hmac, floor_rsa_sha1, floor_rsa_ring.
use pocket_sign_benches as fx;
use std::hint::black_box;
use std::process::ExitCode;

/// Returns the user id length when `token` verifies (see the `spa_verify_lean` op).
fn lean_verify(keyed: &hmac::Hmac<sha2::Sha256>, token: &str, now: u64) -> Option<usize> {
    use hmac::Mac;
    use subtle::ConstantTimeEq;
    let b = token.as_bytes();
    if b.len() > 4096 {
        return None;
    }
    let c1 = b.iter().position(|&x| x == b':')?;
    let rest = b.get(c1 + 1..)?;
    let c2 = c1 + 1 + rest.iter().position(|&x| x == b':')?;
    let (exp, sig) = (b.get(c1 + 1..c2)?, b.get(c2 + 1..)?);
    if c1 == 0 || exp.is_empty() || exp.len() > 20 || (exp.len() > 1 && exp[0] == b'0') {
        return None;
    }
    let mut expiry: u64 = 0;
    for &d in exp {
        if !d.is_ascii_digit() {
            return None;
        }
        expiry = expiry.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    if sig.len() != 64 {
        return None;
    }
    let mut given = [0u8; 32];
    let mut bad = 0u8;
    for (o, p) in given.iter_mut().zip(sig.chunks_exact(2)) {
        let (h, l) = (HEX[usize::from(p[0])], HEX[usize::from(p[1])]);
        bad |= (h | l) & 0x10;
        *o = (h << 4) | (l & 0x0f);
    }
    let mut mac = keyed.clone();
    mac.update(b.get(..c2)?);
    let expected = mac.finalize().into_bytes();
    // Constant-time equality: XOR-fold 32 bytes into one u64, then one `subtle` comparison
    // (per-byte `ct_eq` on slices pays an optimisation barrier per byte).
    let mut diff = 0u64;
    for (e, g) in expected.chunks_exact(8).zip(given.chunks_exact(8)) {
        let (mut ea, mut ga) = ([0u8; 8], [0u8; 8]);
        ea.copy_from_slice(e);
        ga.copy_from_slice(g);
        diff |= u64::from_le_bytes(ea) ^ u64::from_le_bytes(ga);
    }
    if bad != 0 || !bool::from(diff.ct_eq(&0)) || now > expiry {
        return None;
    }
    Some(c1)
}

/// Lowercase hex digit values; 0x10 marks an invalid byte.
const HEX: [u8; 256] = {
    let mut t = [0x10u8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut j = 0;
    while j < 6 {
        t[b'a' as usize + j] = 10 + j as u8;
        j += 1;
    }
    t
};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(op), Some(n)) = (args.get(1), args.get(2).and_then(|s| s.parse::<u64>().ok())) else {
        eprintln!("usage: profile_op OP ITERATIONS");
        return ExitCode::from(2);
    };
    let mut run: Box<dyn FnMut()> = match op.as_str() {
        "spa_verify" | "spa_generate" => {
            let key = pocket_sign_core::spa_token::SpaTokenKey::from_hex(fx::SPA_SECRET_HEX)
                .expect("valid secret");
            let token = key.sign(fx::SPA_USER_ID, fx::EXPIRES).expect("signs");
            if op == "spa_verify" {
                Box::new(move || {
                    black_box(key.verify(black_box(&token), fx::NOW).expect("valid"));
                })
            } else {
                Box::new(move || {
                    black_box(
                        key.issue(black_box(fx::SPA_USER_ID), fx::NOW, 604_800)
                            .expect("ok"),
                    );
                })
            }
        }
        "url_canned" | "url_canned_sha256" | "url_ecdsa" => {
            use pocket_sign_core::cloudfront::{
                CloudFrontSigner, HashAlgorithm, KeyOptions, Policy, SigningKey,
            };
            let pem = if op == "url_ecdsa" {
                fx::EC_P256_PEM
            } else {
                fx::RSA_2048_PEM
            };
            let key = SigningKey::from_pem(pem, KeyOptions::default()).expect("key");
            let mut signer = CloudFrontSigner::new(fx::KEY_PAIR_ID, key).expect("signer");
            if op == "url_canned_sha256" {
                signer = signer.with_hash_algorithm(HashAlgorithm::Sha256);
            }
            let policy = Policy::Canned {
                expires: fx::EXPIRES,
            };
            Box::new(move || {
                black_box(
                    signer
                        .signed_url(black_box(fx::URL), &policy)
                        .expect("signs"),
                );
            })
        }
        "jwt_verify" => {
            use pocket_sign_core::jwks::{CognitoConfig, CognitoJwtVerifier};
            let v = CognitoJwtVerifier::new(CognitoConfig::new(
                fx::USER_POOL_ID,
                pocket_sign_core::jwt::TokenUse::Access,
                vec![fx::CLIENT_ID.to_string()],
            ))
            .expect("pool");
            v.inner()
                .add_jwks(fx::ISSUER, fx::jwks_json().as_bytes())
                .expect("jwks");
            let token = fx::access_token();
            Box::new(move || {
                black_box(
                    v.verify_cached(black_box(&token), fx::NOW)
                        .expect("verifies"),
                );
            })
        }
        "alb_verify" => {
            use pocket_sign_core::alb::AlbVerifyOptions;
            let v = pocket_sign_core::alb::AlbVerifier::new(AlbVerifyOptions {
                alb_arns: vec![fx::ALB_ARN.to_string()],
                client_ids: Some(vec![fx::CLIENT_ID.to_string()]),
                issuer: Some(fx::ISSUER.to_string()),
                grace_seconds: 0,
            })
            .expect("options");
            v.add_key(fx::ALB_KID, &fx::alb_public_key_pem())
                .expect("pem");
            let data = fx::alb_token();
            Box::new(move || {
                black_box(
                    v.verify_cached(black_box(&data), fx::NOW)
                        .expect("verifies"),
                );
            })
        }
        // A leaner verify with the same rules, to show what the SPA verify could cost: one HMAC
        // update over the token's own `user_id:expiry` bytes (no re-formatting of the expiry),
        // byte scans for the two ':' and a branch-light hex decode. Not a product API.
        "spa_verify_lean" => {
            use hmac::{Hmac, Mac};
            let secret = hex::decode(fx::SPA_SECRET_HEX).expect("hex");
            let keyed = Hmac::<sha2::Sha256>::new_from_slice(&secret).expect("key");
            let key = pocket_sign_core::spa_token::SpaTokenKey::from_hex(fx::SPA_SECRET_HEX)
                .expect("valid secret");
            let token = key.sign(fx::SPA_USER_ID, fx::EXPIRES).expect("signs");
            assert_eq!(
                lean_verify(&keyed, &token, fx::NOW),
                Some(fx::SPA_USER_ID.len())
            );
            let mut bad = token.clone();
            bad.replace_range(bad.len() - 1.., "0");
            if bad != token {
                assert_eq!(lean_verify(&keyed, &bad, fx::NOW), None);
            }
            Box::new(move || {
                black_box(lean_verify(&keyed, black_box(&token), fx::NOW));
            })
        }
        "floor_hmac" => {
            use hmac::{Hmac, Mac};
            let secret = hex::decode(fx::SPA_SECRET_HEX).expect("hex");
            let keyed = Hmac::<sha2::Sha256>::new_from_slice(&secret).expect("key");
            let msg = format!("{}:{}", fx::SPA_USER_ID, fx::EXPIRES);
            Box::new(move || {
                let mut m = keyed.clone();
                m.update(black_box(msg.as_bytes()));
                black_box(m.finalize().into_bytes());
            })
        }
        "floor_rsa_sha1" => {
            use rsa::signature::Signer as _;
            let signer = rsa::pkcs1v15::SigningKey::<sha1::Sha1>::new(fx::rsa_key());
            Box::new(move || {
                black_box(signer.sign(black_box(fx::URL.as_bytes())));
            })
        }
        "floor_rsa_ring" => {
            use rsa::pkcs1::EncodeRsaPrivateKey as _;
            let der = fx::rsa_key().to_pkcs1_der().expect("der");
            let kp = ring::signature::RsaKeyPair::from_der(der.as_bytes()).expect("ring key");
            let rng = ring::rand::SystemRandom::new();
            let mut sig = vec![0u8; 256];
            Box::new(move || {
                kp.sign(
                    &ring::signature::RSA_PKCS1_SHA256,
                    &rng,
                    black_box(fx::URL.as_bytes()),
                    &mut sig,
                )
                .expect("signs");
            })
        }
        other => {
            eprintln!("unknown op {other}");
            return ExitCode::from(2);
        }
    };
    let t0 = std::time::Instant::now();
    for _ in 0..n {
        run();
    }
    let dt = t0.elapsed();
    println!(
        "{op}: {n} iterations, {:.0} ns/op (wall clock, load-dependent)",
        dt.as_nanos() as f64 / n as f64
    );
    ExitCode::SUCCESS
}
