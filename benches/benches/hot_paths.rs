//! Criterion benches of pocket-sign's hot paths (issue 6), plus the primitive "floors" they are
//! bounded by. `cargo bench -p pocket-sign-benches` runs them all; quick mode for CI:
//! `cargo bench -p pocket-sign-benches -- --warm-up-time 0.2 --measurement-time 0.5`.
//!
//! Group/function names are read by `scripts/compare/report.py` from
//! `target/criterion/<group>/<function>/new/estimates.json`: rename both together.
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use pocket_sign_benches as fx;
use std::hint::black_box;

/// Primitive costs that bound the hot paths (what no implementation can beat on this machine with
/// these libraries): one HMAC-SHA256 over the SPA message, one RSA-2048 private-key operation,
/// one RSA-2048 public-key operation, one P-256 signature / verification.
fn floors(c: &mut Criterion) {
    use hmac::{Hmac, Mac};
    use p256::ecdsa::signature::{Signer as _, Verifier as _};
    use ring::signature::{self as rs, KeyPair as _};
    use rsa::pkcs1::EncodeRsaPrivateKey as _;
    use rsa::signature::Signer as _;

    let mut g = c.benchmark_group("floor");
    let msg = format!("{}:{}", fx::SPA_USER_ID, fx::EXPIRES);
    let secret = hex::decode(fx::SPA_SECRET_HEX).expect("hex");
    let keyed = Hmac::<sha2::Sha256>::new_from_slice(&secret).expect("any key length");
    g.bench_function("hmac_sha256_precomputed", |b| {
        b.iter(|| {
            let mut m = keyed.clone();
            m.update(black_box(msg.as_bytes()));
            m.finalize().into_bytes()
        })
    });

    let policy = format!(
        r#"{{"Statement":[{{"Resource":"{}","Condition":{{"DateLessThan":{{"AWS:EpochTime":{}}}}}}}]}}"#,
        fx::URL,
        fx::EXPIRES
    );
    let rsa_key = fx::rsa_key();
    let sha1_signer = rsa::pkcs1v15::SigningKey::<sha1::Sha1>::new(rsa_key.clone());
    g.bench_function("rsa2048_sign_sha1_rustcrypto", |b| {
        b.iter(|| sha1_signer.sign(black_box(policy.as_bytes())))
    });

    let der = rsa_key.to_pkcs1_der().expect("PKCS#1 DER");
    let ring_key = rs::RsaKeyPair::from_der(der.as_bytes()).expect("ring accepts the key");
    let rng = ring::rand::SystemRandom::new();
    let mut sig = vec![0u8; ring_key.public().modulus_len()];
    g.bench_function("rsa2048_sign_sha256_ring", |b| {
        b.iter(|| {
            ring_key
                .sign(&rs::RSA_PKCS1_SHA256, &rng, black_box(policy.as_bytes()), &mut sig)
                .expect("ring signs")
        })
    });

    let ring_pub = rs::UnparsedPublicKey::new(
        &rs::RSA_PKCS1_2048_8192_SHA256,
        ring_key.public().as_ref().to_vec(),
    );
    ring_key
        .sign(&rs::RSA_PKCS1_SHA256, &rng, policy.as_bytes(), &mut sig)
        .expect("ring signs");
    g.bench_function("rsa2048_verify_sha256_ring", |b| {
        b.iter(|| ring_pub.verify(black_box(policy.as_bytes()), &sig).expect("verifies"))
    });

    let ec = fx::ec_key();
    g.bench_function("p256_sign_sha256_rustcrypto", |b| {
        b.iter(|| -> p256::ecdsa::Signature { ec.sign(black_box(policy.as_bytes())) })
    });
    let ec_sig: p256::ecdsa::Signature = ec.sign(policy.as_bytes());
    let ec_vk = *ec.verifying_key();
    g.bench_function("p256_verify_sha256_rustcrypto", |b| {
        b.iter(|| ec_vk.verify(black_box(policy.as_bytes()), &ec_sig).expect("verifies"))
    });

    let pkcs8 = pem_body(fx::EC_P256_PEM);
    let ring_ec =
        rs::EcdsaKeyPair::from_pkcs8(&rs::ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8, &rng)
            .expect("ring accepts the P-256 key");
    g.bench_function("p256_sign_sha256_ring", |b| {
        b.iter(|| ring_ec.sign(&rng, black_box(policy.as_bytes())).expect("signs"))
    });
    let ring_ec_pub =
        rs::UnparsedPublicKey::new(&rs::ECDSA_P256_SHA256_FIXED, ring_ec.public_key().as_ref());
    let ring_ec_sig = ring_ec.sign(&rng, policy.as_bytes()).expect("signs");
    g.bench_function("p256_verify_sha256_ring", |b| {
        b.iter(|| {
            ring_ec_pub
                .verify(black_box(policy.as_bytes()), ring_ec_sig.as_ref())
                .expect("verifies")
        })
    });
    g.finish();
    let _ = (BatchSize::SmallInput, Throughput::Elements(1));
}

fn pem_body(pem: &str) -> Vec<u8> {
    use base64::Engine as _;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("PEM body is base64")
}

criterion_group!(benches, floors);
criterion_main!(benches);
