//! The JWKS cache against a real loopback HTTP server (std::net): key rotation, unknown-kid
//! floods (10,000 random kids), endpoint faults with cached keys still served, coalescing of
//! concurrent misses (threads and async tasks), no-I/O verification, several pools.
#![cfg(feature = "std")]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pocket_sign_core::time::ManualClock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use pocket_sign_core::jwks::{
    CacheConfig, CognitoConfig, CognitoJwtVerifier, FetchConfig, IssuerConfig, JwtVerifier,
};
use pocket_sign_core::jwt::{JwtError, TokenUse, VerifyOptions};

#[derive(Clone)]
enum Mode {
    Ok(Vec<u8>),
    Status(u16),
    Delay(Duration, Vec<u8>),
    Drip(Duration, Vec<u8>),
}

struct Server {
    port: u16,
    mode: Arc<Mutex<Mode>>,
    hits: Arc<AtomicUsize>,
}

impl Server {
    fn start(mode: Mode) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mode = Arc::new(Mutex::new(mode));
        let hits = Arc::new(AtomicUsize::new(0));
        let (m, h) = (Arc::clone(&mode), Arc::clone(&hits));
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (m, h) = (Arc::clone(&m), Arc::clone(&h));
                std::thread::spawn(move || serve(conn, &m, &h));
            }
        });
        Server { port, mode, hits }
    }
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
    fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }
    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

fn serve(mut conn: TcpStream, mode: &Mutex<Mode>, hits: &AtomicUsize) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    hits.fetch_add(1, Ordering::SeqCst);
    let mode = mode.lock().unwrap().clone();
    let head = |status: u16, len: usize| {
        format!("HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n")
    };
    let _ = match mode {
        Mode::Ok(body) => conn
            .write_all(head(200, body.len()).as_bytes())
            .and_then(|_| conn.write_all(&body)),
        Mode::Status(s) => conn
            .write_all(head(s, 2).as_bytes())
            .and_then(|_| conn.write_all(b"{}")),
        Mode::Delay(d, body) => {
            std::thread::sleep(d);
            conn.write_all(head(200, body.len()).as_bytes())
                .and_then(|_| conn.write_all(&body))
        }
        Mode::Drip(d, body) => {
            let mut r = conn.write_all(head(200, body.len()).as_bytes());
            for b in body {
                if r.is_err() {
                    break;
                }
                std::thread::sleep(d);
                r = conn.write_all(&[b]);
            }
            r
        }
    };
}

const ISS: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Live1";
const CLIENT: &str = "client-1";

struct Key {
    kid: String,
    sk: SigningKey,
}

impl Key {
    fn new(kid: &str, seed: u8) -> Key {
        Key {
            kid: kid.into(),
            sk: SigningKey::from_slice(&[seed; 32]).unwrap(),
        }
    }
    fn jwk(&self) -> String {
        let p = self.sk.verifying_key().to_encoded_point(false);
        format!(
            r#"{{"kty":"EC","crv":"P-256","alg":"ES256","use":"sig","kid":"{}","x":"{}","y":"{}"}}"#,
            self.kid,
            B64.encode(p.x().unwrap()),
            B64.encode(p.y().unwrap())
        )
    }
    fn token_for(&self, kid: &str, iss: &str) -> String {
        let now = unix_now();
        let h = B64.encode(format!(r#"{{"alg":"ES256","kid":"{kid}"}}"#));
        let c = B64.encode(format!(
            r#"{{"iss":"{iss}","sub":"u","token_use":"access","client_id":"{CLIENT}","iat":{now},"exp":{}}}"#,
            now + 600
        ));
        let input = format!("{h}.{c}");
        let sig: Signature = self.sk.sign(input.as_bytes());
        format!("{input}.{}", B64.encode(sig.to_bytes()))
    }
    fn token(&self) -> String {
        self.token_for(&self.kid, ISS)
    }
}

/// A token with this kid and a dummy signature (the flood is rejected before any signature
/// check, so signing 10,000 tokens would only measure the test's own cost).
fn flood_token(kid: &str) -> String {
    let h = B64.encode(format!(r#"{{"alg":"ES256","kid":"{kid}"}}"#));
    let c = B64.encode(format!(
        r#"{{"iss":"{ISS}","sub":"u","token_use":"access","client_id":"{CLIENT}","exp":{}}}"#,
        unix_now() + 600
    ));
    format!("{h}.{c}.{}", B64.encode([7u8; 64]))
}

fn jwks(keys: &[&Key]) -> Vec<u8> {
    let list: Vec<String> = keys.iter().map(|k| k.jwk()).collect();
    format!(r#"{{"keys":[{}]}}"#, list.join(",")).into_bytes()
}

fn unix_now() -> u64 {
    pocket_sign_core::time::unix_now().unwrap()
}

/// A manual clock starting at the system's unix time (tokens are minted with real times), for
/// tests that step through TTLs and cool-downs without sleeping.
fn manual_clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::at_unix(unix_now()))
}

fn verifier(server: &Server, cache: CacheConfig, timeout_ms: u64) -> CognitoJwtVerifier {
    let cfg = CognitoConfig::new("eu-west-1_Live1", TokenUse::Access, vec![CLIENT.into()])
        .with_jwks_url(&server.url("/jwks"));
    CognitoJwtVerifier::new(cfg)
        .unwrap()
        .with_fetch_config(FetchConfig {
            total_timeout: Duration::from_millis(timeout_ms),
            connect_timeout: Duration::from_millis(timeout_ms),
            max_body_bytes: 64 * 1024,
            allow_http: false,
        })
        .with_cache_config(cache)
}

fn cache(ttl_ms: u64, cooldown_ms: u64, stale_ms: u64) -> CacheConfig {
    CacheConfig {
        ttl: Duration::from_millis(ttl_ms),
        cooldown: Duration::from_millis(cooldown_ms),
        max_stale: Duration::from_millis(stale_ms),
        max_entries: 100,
    }
}

#[test]
fn key_rotation_needs_one_refetch() {
    let (k1, k2) = (Key::new("k1", 1), Key::new("k2", 2));
    let server = Server::start(Mode::Ok(jwks(&[&k1])));
    let clock = manual_clock();
    let v =
        verifier(&server, cache(3_600_000, 300, 0), 2000).with_time_source(Arc::clone(&clock) as _);
    assert!(v.verify(&k1.token()).is_ok());
    assert_eq!(server.hits(), 1);
    for _ in 0..50 {
        assert!(v.verify(&k1.token()).is_ok());
    }
    assert_eq!(server.hits(), 1, "hits are served from the cache");

    server.set(Mode::Ok(jwks(&[&k2])));
    // Inside the cool-down window the new kid is not fetched yet.
    assert!(matches!(
        v.verify(&k2.token()),
        Err(JwtError::WaitPeriodNotYetEnded(_))
    ));
    assert_eq!(server.hits(), 1);
    // One cool-down later (on the verifier's clock: no sleep).
    clock.advance(Duration::from_millis(350));
    assert!(
        v.verify(&k2.token()).is_ok(),
        "new kid verifies after one refetch"
    );
    assert_eq!(server.hits(), 2);
    // The rotated-out key is no longer trusted, and asking for it does not refetch.
    assert!(matches!(
        v.verify(&k1.token()),
        Err(JwtError::WaitPeriodNotYetEnded(_))
    ));
    for _ in 0..50 {
        assert!(v.verify(&k2.token()).is_ok());
    }
    assert_eq!(server.hits(), 2);
}

struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// 10,000 verifications with random unknown kids, from 4 threads: at most one fetch per
/// cool-down window.
#[test]
fn unknown_kid_flood_is_bounded_by_the_cooldown() {
    let k1 = Key::new("k1", 1);
    let server = Server::start(Mode::Ok(jwks(&[&k1])));
    let cooldown_ms = 100;
    let v = Arc::new(verifier(&server, cache(3_600_000, cooldown_ms, 0), 2000));
    v.hydrate().unwrap();
    assert_eq!(server.hits(), 1);
    let template = k1.token();
    let start = Instant::now();
    let threads: Vec<_> = (0..4u64)
        .map(|t| {
            let v = Arc::clone(&v);
            std::thread::spawn(move || {
                let mut rng = XorShift(0x9E37_79B9_7F4A_7C15 ^ (t + 1));
                let mut rejected = 0;
                for _ in 0..2_500 {
                    let kid = format!("{:016x}{:016x}", rng.next(), rng.next());
                    match v.verify(&flood_token(&kid)) {
                        Err(
                            JwtError::KidNotFoundInJwks(_) | JwtError::WaitPeriodNotYetEnded(_),
                        ) => rejected += 1,
                        other => panic!("unexpected {other:?}"),
                    }
                }
                rejected
            })
        })
        .collect();
    let rejected: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    let elapsed = start.elapsed();
    assert_eq!(rejected, 10_000);
    let windows = (elapsed.as_millis() as usize) / (cooldown_ms as usize) + 1;
    let fetches = server.hits() - 1;
    eprintln!("10,000 unknown kids in {elapsed:?}: {fetches} fetches, {windows} cool-down windows");
    assert!(fetches <= windows, "{fetches} fetches in {windows} windows");
    // And the real key still verifies throughout.
    assert!(v.verify(&template).is_ok());

    // With the default 10 s cool-down the same flood causes no fetch at all after hydrate.
    let server2 = Server::start(Mode::Ok(jwks(&[&k1])));
    let v2 = verifier(&server2, CacheConfig::default(), 2000);
    v2.hydrate().unwrap();
    let mut rng = XorShift(42);
    for _ in 0..10_000 {
        let kid = format!("{:016x}", rng.next());
        assert!(matches!(
            v2.verify(&flood_token(&kid)),
            Err(JwtError::WaitPeriodNotYetEnded(_))
        ));
    }
    assert_eq!(server2.hits(), 1);
}

#[test]
fn faults_keep_serving_cached_keys_with_bounded_waits() {
    let k1 = Key::new("k1", 1);
    let body = jwks(&[&k1]);
    let server = Server::start(Mode::Ok(body.clone()));
    // TTL 100 ms: every later use after the clock moves on wants a refresh; cool-down 0 so
    // each one tries. The fetch timeouts stay real (they bound real waits).
    let clock = manual_clock();
    let v = verifier(&server, cache(100, 0, 60_000), 500).with_time_source(Arc::clone(&clock) as _);
    assert!(v.verify(&k1.token()).is_ok());
    let faults = [
        ("500", Mode::Status(500)),
        ("timeout", Mode::Delay(Duration::from_secs(3), body.clone())),
        (
            "slow body",
            Mode::Drip(Duration::from_millis(50), body.clone()),
        ),
        ("oversized", Mode::Ok(vec![b' '; 100 * 1024])),
        ("invalid json", Mode::Ok(b"{\"keys\": [}".to_vec())),
    ];
    for (name, mode) in faults.iter().cloned() {
        server.set(mode);
        clock.advance(Duration::from_millis(120));
        let before = server.hits();
        let t = Instant::now();
        let r = v.verify(&k1.token());
        assert!(r.is_ok(), "{name}: cached key still used, got {r:?}");
        assert!(
            t.elapsed() < Duration::from_millis(1500),
            "{name}: waited {:?}",
            t.elapsed()
        );
        assert_eq!(server.hits(), before + 1, "{name}: one refresh attempt");
    }

    // Without cached keys, each fault is a clear fetch error within the bound.
    for (name, mode) in faults {
        let server = Server::start(mode);
        let v = verifier(&server, cache(3_600_000, 10_000, 0), 500);
        let t = Instant::now();
        let err = v.verify(&k1.token()).unwrap_err();
        assert!(
            t.elapsed() < Duration::from_millis(1500),
            "{name}: waited {:?}",
            t.elapsed()
        );
        assert_eq!(err.aws_jwt_verify_class(), "FetchError", "{name}: {err}");
        // Within the cool-down the failure is remembered: no second fetch, same class.
        assert_eq!(
            v.verify(&k1.token()).unwrap_err().aws_jwt_verify_class(),
            "FetchError"
        );
        assert_eq!(server.hits(), 1, "{name}");
    }
}

#[test]
fn concurrent_first_use_coalesces_threads() {
    let k1 = Key::new("k1", 1);
    let server = Server::start(Mode::Delay(Duration::from_millis(200), jwks(&[&k1])));
    let v = Arc::new(verifier(&server, cache(3_600_000, 0, 0), 2000));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let v = Arc::clone(&v);
            let t = k1.token();
            std::thread::spawn(move || v.verify(&t).is_ok())
        })
        .collect();
    assert!(threads.into_iter().all(|t| t.join().unwrap()));
    assert_eq!(server.hits(), 1);
}

#[test]
fn async_verification_coalesces_tasks() {
    let k1 = Key::new("k1", 1);
    let server = Server::start(Mode::Delay(Duration::from_millis(200), jwks(&[&k1])));
    let v = Arc::new(verifier(&server, cache(3_600_000, 0, 0), 2000));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let ok = rt.block_on(async {
        let mut handles = Vec::new();
        for _ in 0..16 {
            let v = Arc::clone(&v);
            let t = k1.token();
            handles.push(tokio::spawn(
                async move { v.verify_async(&t).await.is_ok() },
            ));
        }
        let mut all = true;
        for h in handles {
            all &= h.await.unwrap();
        }
        all
    });
    assert!(ok);
    assert_eq!(server.hits(), 1);
}

#[test]
fn verify_cached_does_no_io() {
    let k1 = Key::new("k1", 1);
    let server = Server::start(Mode::Ok(jwks(&[&k1])));
    let v = verifier(&server, CacheConfig::default(), 2000);
    let err = v.verify_cached(&k1.token(), unix_now()).unwrap_err();
    assert_eq!(err.aws_jwt_verify_class(), "JwksNotAvailableInCacheError");
    assert_eq!(server.hits(), 0);
    v.hydrate().unwrap();
    assert!(v.verify_cached(&k1.token(), unix_now()).is_ok());
    assert!(matches!(
        v.verify_cached(&Key::new("zz", 3).token(), unix_now()),
        Err(JwtError::KidNotFoundInJwks(_))
    ));
    assert_eq!(server.hits(), 1);
    // Preloading from bytes needs no server at all.
    let offline = verifier(
        &Server::start(Mode::Status(500)),
        CacheConfig::default(),
        2000,
    );
    offline.inner().add_jwks(ISS, &jwks(&[&k1])).unwrap();
    assert!(offline.verify_cached(&k1.token(), unix_now()).is_ok());
}

#[test]
fn several_pools_chosen_by_iss_before_fetch() {
    let (ka, kb) = (Key::new("ka", 1), Key::new("kb", 2));
    let sa = Server::start(Mode::Ok(jwks(&[&ka])));
    let sb = Server::start(Mode::Ok(jwks(&[&kb])));
    let iss_b = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PoolB";
    let v = CognitoJwtVerifier::new_multi(vec![
        CognitoConfig::new("eu-west-1_Live1", TokenUse::Access, vec![CLIENT.into()])
            .with_jwks_url(&sa.url("/jwks")),
        CognitoConfig::new("us-east-1_PoolB", TokenUse::Access, vec![CLIENT.into()])
            .with_jwks_url(&sb.url("/jwks")),
    ])
    .unwrap();
    assert!(v.verify(&kb.token_for("kb", iss_b)).is_ok());
    assert_eq!((sa.hits(), sb.hits()), (0, 1));
    assert!(v.verify(&ka.token()).is_ok());
    assert_eq!((sa.hits(), sb.hits()), (1, 1));
    // Pool A's key presented with pool B's issuer: B's JWKS does not have it.
    assert!(v.verify(&ka.token_for("ka", iss_b)).is_err());
    let err = v
        .verify(&ka.token_for("ka", "https://evil.example/pool"))
        .unwrap_err();
    assert_eq!(err.aws_jwt_verify_class(), "JwtInvalidIssuerError");
    assert_eq!(
        (sa.hits(), sb.hits()),
        (1, 1),
        "unknown iss causes no fetch"
    );

    // The generic verifier with plain issuer/JWKS URI works the same way.
    let g = JwtVerifier::new(vec![IssuerConfig {
        issuer: ISS.into(),
        jwks_uri: sa.url("/jwks"),
        options: VerifyOptions {
            token_use: Some(TokenUse::Access),
            ..VerifyOptions::default()
        },
    }])
    .unwrap();
    assert!(g.verify(&ka.token()).is_ok());
}

/// Cache-hit throughput: one fetch, then every verification is served from parsed keys.
#[test]
fn hit_path_serves_parsed_keys_without_io() {
    let k1 = Key::new("k1", 1);
    let server = Server::start(Mode::Ok(jwks(&[&k1])));
    let v = verifier(&server, CacheConfig::default(), 2000);
    let token = k1.token();
    assert!(v.verify(&token).is_ok());
    let n = 2_000;
    let t = Instant::now();
    for _ in 0..n {
        assert!(v.verify_cached(&token, unix_now()).is_ok());
    }
    let per = t.elapsed() / n;
    eprintln!("cache-hit ES256 verification: {per:?} per token (test profile, deps opt-level 2)");
    assert_eq!(server.hits(), 1);
}

mod alb {
    use super::*;
    use p256::pkcs8::{EncodePublicKey as _, LineEnding};
    use pocket_sign_core::alb::{AlbError, AlbVerifier, AlbVerifyOptions};
    use std::collections::HashMap;

    const ARN: &str = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/a/b";

    /// A per-path server: `/{kid}` -> PEM, anything else 404; counts all requests.
    fn pem_server(keys: HashMap<String, String>) -> (u16, Arc<AtomicUsize>) {
        pem_server_shared(Arc::new(Mutex::new(keys)))
    }

    /// [`pem_server`] over a key map the test may change (key rotation).
    fn pem_server_shared(keys: Arc<Mutex<HashMap<String, String>>>) -> (u16, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(AtomicUsize::new(0));
        let h = Arc::clone(&hits);
        std::thread::spawn(move || {
            for mut conn in listener.incoming().flatten() {
                let mut buf = [0u8; 2048];
                let n = conn.read(&mut buf).unwrap_or(0);
                h.fetch_add(1, Ordering::SeqCst);
                let req = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = req
                    .split(' ')
                    .nth(1)
                    .unwrap_or("/")
                    .trim_start_matches('/')
                    .to_string();
                let found = keys.lock().unwrap().get(&path).cloned();
                let resp = match found {
                    Some(pem) => format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{pem}",
                        pem.len()
                    ),
                    None => {
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_string()
                    }
                };
                let _ = conn.write_all(resp.as_bytes());
            }
        });
        (port, hits)
    }

    /// ALB data with a dummy signature: the unknown kid is rejected before any signature check.
    fn forged(kid: &str) -> String {
        let enc = |b: &[u8]| base64::engine::general_purpose::URL_SAFE.encode(b);
        let h = enc(format!(
            r#"{{"alg":"ES256","kid":"{kid}","signer":"{ARN}","client":"c1","exp":9999999999}}"#
        )
        .as_bytes());
        format!("{h}.{}.{}", enc(b"{}"), enc(&[1u8; 64]))
    }

    fn data(sk: &SigningKey, kid: &str) -> String {
        let exp = unix_now() + 300;
        let enc = |b: &[u8]| base64::engine::general_purpose::URL_SAFE.encode(b); // padded, like ALB
        let h = enc(format!(r#"{{"alg":"ES256","kid":"{kid}","signer":"{ARN}","client":"c1","iss":"https://idp","exp":{exp}}}"#).as_bytes());
        let p = enc(format!(r#"{{"sub":"u1","exp":{exp},"iss":"https://idp"}}"#).as_bytes());
        let input = format!("{h}.{p}");
        let sig: Signature = sk.sign(input.as_bytes());
        format!("{input}.{}", enc(&sig.to_bytes()))
    }

    fn uuid(rng: &mut XorShift) -> String {
        let a = rng.next();
        let b = rng.next();
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }

    #[test]
    fn alb_keys_cached_per_kid_and_unknown_kid_flood_bounded() {
        let sk = SigningKey::from_slice(&[5u8; 32]).unwrap();
        let kid = "0f0e0d0c-0b0a-0908-0706-050403020100";
        let pem = sk
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap();
        let (port, hits) = pem_server(HashMap::from([(kid.to_string(), pem)]));
        let opts = AlbVerifyOptions {
            alb_arns: vec![ARN.into()],
            client_ids: Some(vec!["c1".into()]),
            issuer: Some("https://idp".into()),
            grace_seconds: 0,
        };
        let cooldown_ms = 100;
        let v = AlbVerifier::new(opts)
            .unwrap()
            .with_keys_url(&format!("http://127.0.0.1:{port}"))
            .with_cache_config(cache(3_600_000, cooldown_ms, 0));
        let good = data(&sk, kid);
        assert_eq!(v.verify(&good).unwrap()["sub"], "u1");
        for _ in 0..100 {
            assert!(v.verify(&good).is_ok());
        }
        assert_eq!(hits.load(Ordering::SeqCst), 1, "key cached per kid");

        let mut rng = XorShift(7);
        let start = Instant::now();
        for _ in 0..10_000 {
            assert_eq!(
                v.verify(&forged(&uuid(&mut rng))).unwrap_err(),
                AlbError::KeyNotFound
            );
        }
        let windows = start.elapsed().as_millis() as usize / cooldown_ms as usize + 1;
        let fetches = hits.load(Ordering::SeqCst) - 1;
        eprintln!(
            "10,000 unknown ALB kids in {:?}: {fetches} fetches, {windows} windows",
            start.elapsed()
        );
        let per_window = v.kid_gate_config().fetches_per_window() as usize;
        assert!(
            fetches <= windows * per_window,
            "{fetches} fetches in {windows} windows of at most {per_window}"
        );
        // The known key keeps verifying, without I/O, also via the async and no-I/O paths.
        let before = hits.load(Ordering::SeqCst);
        assert!(v.verify_cached(&good, unix_now()).is_ok());
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        assert!(rt.block_on(v.verify_async(&good)).is_ok());
        assert_eq!(hits.load(Ordering::SeqCst), before);
    }

    fn opts() -> AlbVerifyOptions {
        AlbVerifyOptions {
            alb_arns: vec![ARN.into()],
            client_ids: Some(vec!["c1".into()]),
            issuer: Some("https://idp".into()),
            grace_seconds: 0,
        }
    }

    fn pem_of(sk: &SigningKey) -> String {
        sk.verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap()
    }

    /// A flood of random kids must not starve a real ALB key rotation. Simulated on the fetch
    /// gate's `ManualClock` (1 ms per request, no sleeps, one thread, so the schedule is the
    /// same on any machine) against a loopback key endpoint: 40 s of 1,000 forged requests per
    /// second, each naming a new random UUID kid (every cool-down window opens with flood
    /// requests, which spend the first-come budget); at 20.5 s the endpoint publishes a new
    /// key and legitimate requests signed with it arrive every 50 ms. Checks: the new kid
    /// verifies within one cool-down (10 s) of the rotation and keeps verifying; the old key
    /// keeps verifying without I/O; total fetches stay within
    /// `fetches_per_window * (floor(T / cooldown) + 1)` = 3 * 5 = 15 and equal the server's
    /// count. On the old single fetch per window (whatever the kid) the new kid never verifies.
    #[test]
    fn random_kid_flood_does_not_starve_a_real_rotation() {
        use pocket_sign_core::time::ManualClock;
        const W_MS: u64 = 10_000;
        const T_MS: u64 = 40_000;
        const ROTATE_MS: u64 = 20_500;
        let old_sk = SigningKey::from_slice(&[5u8; 32]).unwrap();
        let new_sk = SigningKey::from_slice(&[6u8; 32]).unwrap();
        let old_kid = "0f0e0d0c-0b0a-0908-0706-050403020100";
        let new_kid = "1f1e1d1c-1b1a-1918-1716-151413121110";
        let keys = Arc::new(Mutex::new(HashMap::from([(
            old_kid.to_string(),
            pem_of(&old_sk),
        )])));
        let (port, hits) = pem_server_shared(Arc::clone(&keys));
        let clock = Arc::new(ManualClock::new());
        let v = AlbVerifier::new(opts())
            .unwrap()
            .with_keys_url(&format!("http://127.0.0.1:{port}"))
            .with_cache_config(cache(3_600_000, W_MS, 0))
            .with_time_source(Arc::clone(&clock) as _);
        let old = data(&old_sk, old_kid);
        let new = data(&new_sk, new_kid);
        assert!(v.verify(&old).is_ok());
        let mut rng = XorShift(11);
        let mut first_ok: Option<u64> = None;
        let mut refused = 0;
        let started = Instant::now();
        for t in 0..T_MS {
            if t == ROTATE_MS {
                keys.lock()
                    .unwrap()
                    .insert(new_kid.to_string(), pem_of(&new_sk));
            }
            assert_eq!(
                v.verify(&forged(&uuid(&mut rng))).unwrap_err(),
                AlbError::KeyNotFound
            );
            if t >= ROTATE_MS && (t - ROTATE_MS) % 50 == 0 {
                match v.verify(&new) {
                    Ok(claims) => {
                        assert_eq!(claims["sub"], "u1");
                        first_ok.get_or_insert(t);
                    }
                    Err(e) => {
                        assert_eq!(first_ok, None, "the new kid stopped verifying at {t} ms");
                        assert_eq!(e, AlbError::KeyNotFound);
                        refused += 1;
                    }
                }
            }
            if t % 1000 == 0 {
                assert!(v.verify(&old).is_ok(), "old key at {t} ms");
            }
            clock.advance(Duration::from_millis(1));
        }
        let first = first_ok.expect("the rotated kid never verified under the flood");
        let fetches = hits.load(Ordering::SeqCst) as u64;
        let per_window = v.kid_gate_config().fetches_per_window();
        let bound = per_window * (T_MS / W_MS + 1);
        eprintln!(
            "flood of {T_MS} random kids over {T_MS} simulated ms: new kid verified {} ms after the rotation ({refused} refusals), {fetches} fetches (bound {bound}), {:?} real time",
            first - ROTATE_MS,
            started.elapsed()
        );
        assert!(
            first - ROTATE_MS <= W_MS,
            "verified after {} ms",
            first - ROTATE_MS
        );
        assert_eq!(fetches, v.fetch_count());
        assert!(fetches <= bound, "{fetches} fetches, bound {bound}");
        // Not vacuous: the flood did spend the first-come budget of every window.
        let fresh = u64::from(v.kid_gate_config().fresh_budget);
        assert!(fetches >= (T_MS / W_MS) * fresh, "{fetches} fetches");
    }

    /// Negative caching through the verifier: a kid the endpoint does not know costs one
    /// fetch per negative TTL, however often it is sent, and budgets reopen each window.
    #[test]
    fn unknown_kid_is_negatively_cached() {
        use pocket_sign_core::alb::KidGateConfig;
        use pocket_sign_core::time::ManualClock;
        let (port, hits) = pem_server(HashMap::new());
        let clock = Arc::new(ManualClock::new());
        let v = AlbVerifier::new(opts())
            .unwrap()
            .with_keys_url(&format!("http://127.0.0.1:{port}"))
            .with_cache_config(cache(3_600_000, 1_000, 0))
            .with_kid_gate_config(KidGateConfig {
                negative_ttl: Duration::from_secs(30),
                ..KidGateConfig::default()
            })
            .with_time_source(Arc::clone(&clock) as _);
        let fake = forged("99999999-8888-7777-6666-555555555555");
        for _ in 0..20 {
            for _ in 0..50 {
                assert_eq!(v.verify(&fake).unwrap_err(), AlbError::KeyNotFound);
            }
            clock.advance(Duration::from_secs(1));
        }
        assert_eq!(hits.load(Ordering::SeqCst), 1, "20 windows, one fetch");
        clock.advance(Duration::from_secs(11));
        assert_eq!(v.verify(&fake).unwrap_err(), AlbError::KeyNotFound);
        assert_eq!(
            hits.load(Ordering::SeqCst),
            2,
            "refetched after the negative TTL"
        );
    }
}

/// Regression (bad-input catalogue, `jwk_parse/*` through the CLI): a JWKS entry whose key is
/// unusable (here an RSA modulus of 1024 bits) is reported with its own error, as
/// `JwkSet::find` and aws-jwt-verify do (`JwkValidationError`), not as "kid not found", and
/// asking for it again does not refetch the JWKS.
#[test]
fn unusable_jwk_is_reported_as_such_without_refetch() {
    let k1 = Key::new("k1", 1);
    let weak_n = B64.encode([0xC5u8; 128]);
    let body = format!(
        r#"{{"keys":[{},{{"kty":"RSA","kid":"weak","n":"{weak_n}","e":"AQAB"}}]}}"#,
        k1.jwk()
    );
    let server = Server::start(Mode::Ok(body.into_bytes()));
    let v = verifier(&server, cache(3_600_000, 0, 0), 2000);
    let token = k1.token_for("weak", ISS);
    for _ in 0..5 {
        let e = v.verify(&token).unwrap_err();
        assert_eq!(e.aws_jwt_verify_class(), "JwkValidationError", "{e:?}");
    }
    assert!(v.verify(&k1.token()).is_ok());
    assert_eq!(
        server.hits(),
        1,
        "a known but unusable kid is not a reason to refetch"
    );
}

/// 16 threads verify continuously for about 3 s while the JWKS rotates (current + previous key
/// published, a new key every 350 ms) and the endpoint fails on demand (HTTP 500, responses
/// slower than the fetch timeout). Checks: no deadlock (every thread finishes within a bound,
/// no single verification blocks longer than 2 s); no wrong accept (forged tokens never; a
/// token of a key the server stopped serving at time R is never accepted when its check started
/// after R + TTL + max_stale + 700 ms of slack for a loaded machine); bounded fetch count (at most one per cool-down
/// window plus the first); and the test is not vacuous (accepts and removed-key rejections both
/// happen).
#[test]
fn rotation_and_faults_under_16_threads() {
    use std::collections::HashMap;
    use std::sync::atomic::AtomicBool;
    use std::sync::mpsc;

    const GENERATIONS: usize = 9;
    const TTL_MS: u64 = 200;
    const STALE_MS: u64 = 200;
    const COOLDOWN_MS: u64 = 100;
    let keys: Vec<Arc<Key>> = (0..GENERATIONS)
        .map(|g| Arc::new(Key::new(&format!("g{g}"), g as u8 + 1)))
        .collect();
    let tokens: Vec<String> = keys.iter().map(|k| k.token()).collect();
    // Forgeries: a valid kid signed by an unpublished key, and a payload edited after signing.
    let forged: Vec<String> = (0..GENERATIONS)
        .flat_map(|g| {
            let evil = Key::new(&format!("g{g}"), 200);
            let t = &tokens[g];
            let dot = t.find('.').unwrap();
            let (h, rest) = t.split_at(dot + 1);
            let (_, sig) = rest.split_at(rest.find('.').unwrap());
            let c = B64.encode(format!(
                r#"{{"iss":"{ISS}","sub":"admin","token_use":"access","client_id":"{CLIENT}","exp":{}}}"#,
                unix_now() + 600
            ));
            [evil.token(), format!("{h}{c}{sig}")]
        })
        .collect();

    let server = Server::start(Mode::Ok(jwks(&[&keys[0]])));
    // kid -> None while served, Some(instant it stopped being served) otherwise.
    let served: Arc<Mutex<HashMap<String, Option<Instant>>>> = Arc::new(Mutex::new(
        keys.iter()
            .enumerate()
            .map(|(g, k)| {
                (
                    k.kid.clone(),
                    if g == 0 { None } else { Some(Instant::now()) },
                )
            })
            .collect(),
    ));
    let publish = |mode: Mode, live: &[usize]| {
        let mut m = served.lock().unwrap();
        let now = Instant::now();
        for (g, k) in keys.iter().enumerate() {
            let e = m.get_mut(&k.kid).unwrap();
            if live.contains(&g) {
                *e = None;
            } else if e.is_none() {
                *e = Some(now);
            }
        }
        server.set(mode);
    };

    let v = Arc::new(verifier(&server, cache(TTL_MS, COOLDOWN_MS, STALE_MS), 300));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let (done_tx, done_rx) = mpsc::channel();
    let bound = Duration::from_millis(TTL_MS + STALE_MS + 700);
    for t in 0..16usize {
        let (v, stop, served, done_tx) = (
            Arc::clone(&v),
            Arc::clone(&stop),
            Arc::clone(&served),
            done_tx.clone(),
        );
        let (tokens, forged) = (tokens.clone(), forged.clone());
        std::thread::spawn(move || {
            let mut rng = XorShift(0xA5A5_5A5A_1234_5678 ^ (t as u64 + 1));
            let (mut accepted, mut removed_rejected, mut wrong) = (0u64, 0u64, Vec::new());
            let mut slowest = Duration::ZERO;
            while !stop.load(Ordering::Relaxed) {
                let pick = (rng.next() % 4) as usize;
                let t0 = Instant::now();
                if pick == 0 {
                    let f = &forged[(rng.next() as usize) % forged.len()];
                    if v.verify(f).is_ok() {
                        wrong.push("a forged token was accepted".to_string());
                    }
                } else {
                    let g = (rng.next() as usize) % GENERATIONS;
                    let kid = format!("g{g}");
                    let r = v.verify(&tokens[g]);
                    let state = *served.lock().unwrap().get(&kid).unwrap();
                    match (r, state) {
                        (Ok(_), Some(removed)) if t0 > removed + bound => wrong.push(format!(
                            "{kid} accepted {:?} after the server stopped serving it",
                            t0 - removed
                        )),
                        (Ok(_), _) => accepted += 1,
                        (Err(_), Some(_)) => removed_rejected += 1,
                        (Err(_), None) => {}
                    }
                }
                slowest = slowest.max(t0.elapsed());
                std::thread::sleep(Duration::from_millis(1));
            }
            let _ = done_tx.send((accepted, removed_rejected, wrong, slowest));
        });
    }
    drop(done_tx);

    // The schedule: rotate every 350 ms; every other step, 150 ms of 500s or timeouts.
    for step in 1..GENERATIONS {
        publish(
            Mode::Ok(jwks(&[&keys[step], &keys[step - 1]])),
            &[step, step - 1],
        );
        std::thread::sleep(Duration::from_millis(200));
        if step % 2 == 1 {
            let fault = if step % 4 == 1 {
                Mode::Status(500)
            } else {
                Mode::Delay(Duration::from_secs(2), jwks(&[&keys[step]]))
            };
            publish(fault, &[]);
            std::thread::sleep(Duration::from_millis(150));
            publish(
                Mode::Ok(jwks(&[&keys[step], &keys[step - 1]])),
                &[step, step - 1],
            );
        } else {
            std::thread::sleep(Duration::from_millis(150));
        }
    }
    stop.store(true, Ordering::Relaxed);
    let elapsed = start.elapsed();

    let deadline = Instant::now() + Duration::from_secs(10);
    let (mut accepted, mut removed_rejected, mut slowest) = (0, 0, Duration::ZERO);
    for _ in 0..16 {
        let left = deadline.saturating_duration_since(Instant::now());
        let (a, r, wrong, s) = done_rx
            .recv_timeout(left)
            .expect("deadlock: a verifying thread did not finish within 10 s of the stop");
        assert!(wrong.is_empty(), "wrong accepts: {wrong:?}");
        accepted += a;
        removed_rejected += r;
        slowest = slowest.max(s);
    }
    let fetches = server.hits();
    let windows = elapsed.as_millis() as usize / COOLDOWN_MS as usize + 1;
    eprintln!(
        "16 threads, {elapsed:?}: {accepted} accepted, {removed_rejected} removed-key rejections, \
         {fetches} fetches ({windows} cool-down windows), slowest verification {slowest:?}"
    );
    assert!(
        accepted > 100,
        "too few accepts ({accepted}): the test would be vacuous"
    );
    assert!(
        removed_rejected > 0,
        "no removed-key token was ever rejected"
    );
    assert!(
        fetches <= windows + 1,
        "{fetches} fetches in {windows} windows"
    );
    assert!(
        slowest < Duration::from_secs(2),
        "a verification blocked {slowest:?}"
    );
}
