//! Criterion benches of pocket-sign's hot paths (the per-request operations), plus the primitive
//! "floors" they are bounded by. `cargo bench -p pocket-sign-benches` runs them all; quick mode
//! for CI: `cargo bench -p pocket-sign-benches -- --warm-up-time 0.2 --measurement-time 0.5`.
//!
//! Group/function names are read by `scripts/compare/report.py` from
//! `target/criterion/<group>/<function>/new/estimates.json`: rename both together.
//!
//! The measurement is the benchmark thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), not wall
//! time: every hot path is single-threaded and does no I/O, so on a quiet machine the two agree,
//! and on a shared one CPU time does not count the time other processes hold the core. OpenSSL's
//! `speed` divides by CPU user time the same way, and compare.sh times Python and node in CPU
//! time too, so every row of docs/benchmarks.md is comparable.
use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pocket_sign_benches as fx;
use std::hint::black_box;

/// Criterion measurement: CPU time of the benchmarking thread, in nanoseconds.
pub struct ThreadCpu;

impl Measurement for ThreadCpu {
    type Intermediate = cpu_time::ThreadTime;
    type Value = u64;
    fn start(&self) -> Self::Intermediate {
        cpu_time::ThreadTime::now()
    }
    fn end(&self, i: Self::Intermediate) -> Self::Value {
        u64::try_from(i.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }
    fn add(&self, v1: &Self::Value, v2: &Self::Value) -> Self::Value {
        v1.saturating_add(*v2)
    }
    fn zero(&self) -> Self::Value {
        0
    }
    fn to_f64(&self, value: &Self::Value) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuNanos
    }
}

/// Formats CPU nanoseconds like criterion's wall-time formatter (ns / µs / ms / s).
struct CpuNanos;

impl ValueFormatter for CpuNanos {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if typical < 1e3 {
            (1.0, "ns")
        } else if typical < 1e6 {
            (1e-3, "µs")
        } else if typical < 1e9 {
            (1e-6, "ms")
        } else {
            (1e-9, "s")
        };
        for v in values.iter_mut() {
            *v *= factor;
        }
        unit
    }
    fn scale_throughputs(
        &self,
        typical: f64,
        throughput: &criterion::Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let per = match throughput {
            Throughput::Elements(n)
            | Throughput::Bytes(n)
            | Throughput::BytesDecimal(n)
            | Throughput::Bits(n) => *n,
        } as f64;
        let _ = typical;
        for v in values.iter_mut() {
            *v = per * 1e9 / *v;
        }
        "elem/s (CPU)"
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

type C = Criterion<ThreadCpu>;

/// Primitive costs that bound the hot paths (what no implementation can beat on this machine with
/// these libraries): one HMAC-SHA256 over the SPA message, one RSA-2048 private-key operation,
/// one RSA-2048 public-key operation, one P-256 signature / verification.
fn floors(c: &mut C) {
    use hmac::{Hmac, Mac};
    use p256::ecdsa::signature::{Signer as _, Verifier as _};
    use ring::signature::{self as rs, KeyPair as _};
    use rsa::pkcs1::EncodeRsaPrivateKey as _;

    let mut g = c.benchmark_group("floor");
    g.sample_size(20);
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
                .sign(
                    &rs::RSA_PKCS1_SHA256,
                    &rng,
                    black_box(policy.as_bytes()),
                    &mut sig,
                )
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
        b.iter(|| {
            ring_pub
                .verify(black_box(policy.as_bytes()), &sig)
                .expect("verifies")
        })
    });

    let ec = fx::ec_key();
    g.bench_function("p256_sign_sha256_rustcrypto", |b| {
        b.iter(|| -> p256::ecdsa::Signature { ec.sign(black_box(policy.as_bytes())) })
    });
    let ec_sig: p256::ecdsa::Signature = ec.sign(policy.as_bytes());
    let ec_vk = *ec.verifying_key();
    g.bench_function("p256_verify_sha256_rustcrypto", |b| {
        b.iter(|| {
            ec_vk
                .verify(black_box(policy.as_bytes()), &ec_sig)
                .expect("verifies")
        })
    });

    let pkcs8 = pem_body(fx::EC_P256_PEM);
    let ring_ec = rs::EcdsaKeyPair::from_pkcs8(&rs::ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8, &rng)
        .expect("ring accepts the P-256 key");
    g.bench_function("p256_sign_sha256_ring", |b| {
        b.iter(|| {
            ring_ec
                .sign(&rng, black_box(policy.as_bytes()))
                .expect("signs")
        })
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

    // The native back end's library called directly (EVP_PKEY_sign / ECDSA_do_sign on a
    // prehash, as the core does): what the `openssl` crate costs over `openssl speed`.
    let ossl_rsa = openssl::pkey::PKey::from_rsa(
        openssl::rsa::Rsa::private_key_from_der(der.as_bytes()).expect("OpenSSL parses"),
    )
    .expect("PKey");
    let ossl_sign = |md: &openssl::md::MdRef, digest: &[u8]| {
        let mut ctx = openssl::pkey_ctx::PkeyCtx::new(&ossl_rsa).expect("ctx");
        ctx.sign_init().expect("init");
        ctx.set_rsa_padding(openssl::rsa::Padding::PKCS1)
            .expect("padding");
        ctx.set_signature_md(md).expect("md");
        let mut out = Vec::new();
        ctx.sign_to_vec(digest, &mut out).expect("signs");
        out
    };
    g.bench_function("rsa2048_sign_sha1_openssl", |b| {
        use sha1::Digest as _;
        b.iter(|| {
            ossl_sign(
                openssl::md::Md::sha1(),
                &sha1::Sha1::digest(black_box(policy.as_bytes())),
            )
        })
    });
    let sha256 = {
        use sha2::Digest as _;
        sha2::Sha256::digest(policy.as_bytes())
    };
    let ossl_sig = ossl_sign(openssl::md::Md::sha256(), &sha256);
    assert_eq!(
        ossl_sig, sig,
        "OpenSSL and ring give the same PKCS#1 v1.5 bytes"
    );
    g.bench_function("rsa2048_verify_sha256_openssl", |b| {
        use sha2::Digest as _;
        b.iter(|| {
            let digest = sha2::Sha256::digest(black_box(policy.as_bytes()));
            let mut ctx = openssl::pkey_ctx::PkeyCtx::new(&ossl_rsa).expect("ctx");
            ctx.verify_init().expect("init");
            ctx.set_rsa_padding(openssl::rsa::Padding::PKCS1)
                .expect("padding");
            ctx.set_signature_md(openssl::md::Md::sha256()).expect("md");
            assert!(ctx.verify(&digest, &ossl_sig).expect("verifies"));
        })
    });
    let ossl_ec = {
        use p256::elliptic_curve::sec1::ToEncodedPoint as _;
        let secret = p256::SecretKey::from(ec.as_nonzero_scalar());
        let group = openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1)
            .expect("P-256");
        let mut bn = openssl::bn::BigNumContext::new().expect("ctx");
        let point = openssl::ec::EcPoint::from_bytes(
            &group,
            secret.public_key().to_encoded_point(false).as_bytes(),
            &mut bn,
        )
        .expect("point");
        let d = openssl::bn::BigNum::from_slice(&secret.to_bytes()).expect("scalar");
        openssl::ec::EcKey::from_private_components(&group, &d, &point)
            .expect("OpenSSL takes the P-256 key")
    };
    g.bench_function("p256_sign_sha256_openssl", |b| {
        use sha2::Digest as _;
        b.iter(|| {
            let digest = sha2::Sha256::digest(black_box(policy.as_bytes()));
            openssl::ecdsa::EcdsaSig::sign(&digest, &ossl_ec)
                .expect("signs")
                .to_der()
                .expect("DER")
        })
    });
    let ossl_ec_sig = openssl::ecdsa::EcdsaSig::sign(&sha256, &ossl_ec).expect("signs");
    g.bench_function("p256_verify_sha256_openssl", |b| {
        use sha2::Digest as _;
        b.iter(|| {
            let digest = sha2::Sha256::digest(black_box(policy.as_bytes()));
            assert!(ossl_ec_sig.verify(&digest, &ossl_ec).expect("verifies"));
        })
    });
    g.finish();
}

/// SPA token (magic-pocket `user:expiry:hmac_sha256_hex`): generate and verify with the key
/// precomputed once (`SpaTokenKey`, the way a server holds it) and from the 64-hex secret on
/// every call (the way `verify_token(token)` without a cached key works).
fn spa_token(c: &mut C) {
    use pocket_sign_core::spa_token::SpaTokenKey;
    let mut g = c.benchmark_group("spa_token");
    let key = SpaTokenKey::from_hex(fx::SPA_SECRET_HEX).expect("valid secret");
    let token = key.sign(fx::SPA_USER_ID, fx::EXPIRES).expect("signs");
    assert_eq!(
        key.verify(&token, fx::NOW).expect("verifies").user_id,
        fx::SPA_USER_ID
    );
    g.bench_function("verify_precomputed", |b| {
        b.iter(|| {
            key.verify(black_box(&token), black_box(fx::NOW))
                .expect("valid")
        })
    });
    g.bench_function("verify_from_hex", |b| {
        b.iter(|| {
            let k = SpaTokenKey::from_hex(black_box(fx::SPA_SECRET_HEX)).expect("valid secret");
            k.verify(black_box(&token), fx::NOW)
                .map(|v| v.expiry)
                .expect("valid")
        })
    });
    g.bench_function("generate_precomputed", |b| {
        b.iter(|| {
            key.issue(black_box(fx::SPA_USER_ID), fx::NOW, 604_800)
                .expect("signs")
        })
    });
    g.bench_function("generate_from_hex", |b| {
        b.iter(|| {
            let k = SpaTokenKey::from_hex(black_box(fx::SPA_SECRET_HEX)).expect("valid secret");
            k.issue(black_box(fx::SPA_USER_ID), fx::NOW, 604_800)
                .expect("signs")
        })
    });
    g.finish();
}

fn rsa_signer() -> pocket_sign_core::cloudfront::CloudFrontSigner {
    use pocket_sign_core::cloudfront::{CloudFrontSigner, KeyOptions, SigningKey};
    let key = SigningKey::from_pem(fx::RSA_2048_PEM, KeyOptions::default()).expect("RSA key");
    CloudFrontSigner::new(fx::KEY_PAIR_ID, key).expect("signer")
}

fn ec_signer() -> pocket_sign_core::cloudfront::CloudFrontSigner {
    use pocket_sign_core::cloudfront::{CloudFrontSigner, KeyOptions, SigningKey};
    let key = SigningKey::from_pem(fx::EC_P256_PEM, KeyOptions::default()).expect("EC key");
    CloudFrontSigner::new(fx::KEY_PAIR_ID, key).expect("signer")
}

fn custom_policy() -> pocket_sign_core::cloudfront::CustomPolicy {
    pocket_sign_core::cloudfront::CustomPolicy::new(fx::WILDCARD_RESOURCE, fx::EXPIRES)
        .from_ip(fx::CUSTOM_IP)
        .expect("valid CIDR")
}

/// CloudFront signed URL (canned and custom policy) and signed cookies with the RSA-2048 key in
/// CloudFront's default SHA-1 mode (botocore's output), canned URL in SHA-256 mode, and canned
/// URL with the ECDSA P-256 key in both modes.
fn cloudfront(c: &mut C) {
    use pocket_sign_core::cloudfront::{CookieAttributes, HashAlgorithm, Policy};
    // Read by scripts/compare.sh for the report header.
    eprintln!(
        "pocket-sign crypto back end: {}",
        pocket_sign_core::crypto::BACKEND
    );
    let mut g = c.benchmark_group("cloudfront");
    g.sample_size(20);
    let signer = rsa_signer();
    let canned = Policy::Canned {
        expires: fx::EXPIRES,
    };
    let custom = Policy::Custom(custom_policy());
    g.bench_function("signed_url_canned", |b| {
        b.iter(|| {
            signer
                .signed_url(black_box(fx::URL), &canned)
                .expect("signs")
        })
    });
    g.bench_function("signed_url_custom", |b| {
        b.iter(|| {
            let p = Policy::Custom(custom_policy());
            signer.signed_url(black_box(fx::URL), &p).expect("signs")
        })
    });
    let attrs = CookieAttributes::default();
    g.bench_function("signed_cookies_custom", |b| {
        b.iter(|| {
            signer
                .signed_cookies(black_box(fx::WILDCARD_RESOURCE), &custom)
                .expect("signs")
                .set_cookie_headers(&attrs)
        })
    });
    let sha256 = rsa_signer().with_hash_algorithm(HashAlgorithm::Sha256);
    g.bench_function("signed_url_canned_sha256", |b| {
        b.iter(|| {
            sha256
                .signed_url(black_box(fx::URL), &canned)
                .expect("signs")
        })
    });
    let ec = ec_signer();
    g.bench_function("signed_url_canned_ecdsa", |b| {
        b.iter(|| ec.signed_url(black_box(fx::URL), &canned).expect("signs"))
    });
    let ec256 = ec_signer().with_hash_algorithm(HashAlgorithm::Sha256);
    g.bench_function("signed_url_canned_ecdsa_sha256", |b| {
        b.iter(|| {
            ec256
                .signed_url(black_box(fx::URL), &canned)
                .expect("signs")
        })
    });
    g.finish();
}

/// A media page of 50 URLs, per-URL cost reported by compare.sh (time / 50): one RSA signature
/// per URL, one shared wildcard custom policy signed once and applied 50 times, an ECDSA P-256
/// key (one cheap signature per URL), and the batch API.
fn page50(c: &mut C) {
    use pocket_sign_core::cloudfront::Policy;
    let mut g = c.benchmark_group("page50");
    g.sample_size(10);
    g.throughput(Throughput::Elements(50));
    let urls = fx::page_urls();
    let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let rsa = rsa_signer();
    let ec = ec_signer();
    let canned = Policy::Canned {
        expires: fx::EXPIRES,
    };
    g.bench_function("per_url_rsa", |b| {
        b.iter(|| {
            refs.iter()
                .map(|u| rsa.signed_url(u, &canned).expect("signs"))
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("shared_wildcard_policy", |b| {
        b.iter(|| {
            let p =
                pocket_sign_core::cloudfront::CustomPolicy::new(fx::WILDCARD_RESOURCE, fx::EXPIRES);
            let signed = rsa.sign_policy(&p).expect("signs");
            refs.iter()
                .map(|u| signed.apply(u).expect("matches"))
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("per_url_ecdsa", |b| {
        b.iter(|| {
            refs.iter()
                .map(|u| ec.signed_url(u, &canned).expect("signs"))
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("batch_rsa", |b| {
        b.iter(|| rsa.signed_urls(black_box(&refs), &canned))
    });
    g.finish();
}

/// Cognito access token RS256 verify on a JWKS cache hit (the steady state of an API server):
/// decode, kid lookup in the cached set, RSA-2048 verify, claim checks (iss, token_use,
/// client_id, exp).
fn jwt(c: &mut C) {
    use pocket_sign_core::jwks::{CognitoConfig, CognitoJwtVerifier};
    use pocket_sign_core::jwt::TokenUse;
    let mut g = c.benchmark_group("jwt");
    let verifier = CognitoJwtVerifier::new(CognitoConfig::new(
        fx::USER_POOL_ID,
        TokenUse::Access,
        vec![fx::CLIENT_ID.to_string()],
    ))
    .expect("valid pool");
    verifier
        .inner()
        .add_jwks(fx::ISSUER, fx::jwks_json().as_bytes())
        .expect("JWKS parses");
    let token = fx::access_token();
    let claims = verifier.verify_cached(&token, fx::NOW).expect("verifies");
    assert_eq!(claims["username"], "bench-user");
    let mut bad = token.clone();
    bad.replace_range(bad.len() - 4.., "AAAA");
    assert!(verifier.verify_cached(&bad, fx::NOW).is_err());
    g.bench_function("rs256_verify_cache_hit", |b| {
        b.iter(|| {
            verifier
                .verify_cached(black_box(&token), fx::NOW)
                .expect("verifies")
        })
    });
    g.finish();
}

/// ALB `x-amzn-oidc-data` (ES256, padded base64url) verify with the ALB public key cached.
fn alb(c: &mut C) {
    use pocket_sign_core::alb::AlbVerifier;
    use pocket_sign_core::alb::AlbVerifyOptions;
    let mut g = c.benchmark_group("alb");
    let verifier = AlbVerifier::new(AlbVerifyOptions {
        alb_arns: vec![fx::ALB_ARN.to_string()],
        client_ids: Some(vec![fx::CLIENT_ID.to_string()]),
        issuer: Some(fx::ISSUER.to_string()),
        grace_seconds: 0,
    })
    .expect("valid options");
    verifier
        .add_key(fx::ALB_KID, &fx::alb_public_key_pem())
        .expect("PEM parses");
    let data = fx::alb_token();
    let claims = verifier.verify_cached(&data, fx::NOW).expect("verifies");
    assert_eq!(claims["username"], "bench-user");
    g.bench_function("es256_verify", |b| {
        b.iter(|| {
            verifier
                .verify_cached(black_box(&data), fx::NOW)
                .expect("verifies")
        })
    });
    g.finish();
}

/// JWKS parse: a Cognito-shaped set of two RSA-2048 keys into verification-ready keys.
fn jwks(c: &mut C) {
    use pocket_sign_core::jwt::JwkSet;
    let mut g = c.benchmark_group("jwks");
    let json = fx::jwks_json();
    let set = JwkSet::from_json(json.as_bytes()).expect("parses");
    assert!(set.get(fx::KID).is_some());
    g.bench_function("parse", |b| {
        b.iter(|| JwkSet::from_json(black_box(json.as_bytes())).expect("parses"))
    });
    g.finish();
}

/// CloudFront Function generation: parse the pocket.toml of magic-pocket's best-practice guide
/// (stage `prd`) and generate the `web` distribution's viewer-request functions (SPA fallback +
/// token gate, API route).
fn codegen(c: &mut C) {
    use pocket_sign_core::codegen::{generate, PocketConfig};
    let mut g = c.benchmark_group("codegen");
    let cfg = PocketConfig::from_toml_str(fx::POCKET_TOML, Some("prd")).expect("config parses");
    let funcs = generate(&cfg, "web", None).expect("generates");
    assert!(funcs.iter().any(|f| f.code.contains("pocket-spa-token")));
    g.bench_function("generate", |b| {
        b.iter(|| {
            let cfg = PocketConfig::from_toml_str(black_box(fx::POCKET_TOML), Some("prd"))
                .expect("config parses");
            generate(&cfg, "web", None).expect("generates")
        })
    });
    g.bench_function("generate_only", |b| {
        b.iter(|| generate(black_box(&cfg), "web", None).expect("generates"))
    });
    g.finish();
}

fn pem_body(pem: &str) -> Vec<u8> {
    use base64::Engine as _;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("PEM body is base64")
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = spa_token, cloudfront, page50, jwt, alb, jwks, codegen, floors
}
criterion_main!(benches);
