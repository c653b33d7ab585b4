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
            let v = pocket_sign_core::jwks::alb_keys::AlbVerifier::new(AlbVerifyOptions {
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
