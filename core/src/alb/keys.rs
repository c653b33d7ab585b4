//! [`AlbVerifier`]: `x-amzn-oidc-data` verification with the ALB public key fetched and cached
//! per kid (std).
//!
//! Order of work for one value: parse (size-capped), header checks with no I/O (`alg`, `kid`
//! shape, `signer` ARN, `client`), then the key from the cache or from
//! `{keys_url}/{kid}` (default `https://public-keys.auth.elb.{region}.amazonaws.com`, region
//! taken from the ARN), then signature and claims. Keys are cached per kid for the cache TTL
//! (default 1 h) in a bounded cache (default 1000 kids; aws-jwt-verify keeps 2).
//!
//! Fetches go through a [`KidFetchGate`] (one per verifier, i.e. per region's key endpoint):
//! concurrent requests for one kid coalesce; a kid the endpoint answered 403/404 for is
//! refused without I/O for [`KidGateConfig::negative_ttl`] (default 60 s; bounded cache); and
//! each cool-down window ([`CacheConfig::cooldown`], default 10 s) allows at most
//! [`KidGateConfig::fetches_per_window`] fetches (default 3): 2 for any kid, first come first
//! served, plus 1 kept for a kid asked for again after being refused. A flood of random kids
//! (each sent once) spends the first two, so it cannot starve a real key rotation: the new
//! kid's second request takes the kept fetch, within one cool-down. Total fetches over any
//! period `T` stay at most `3 * (floor(T / cooldown) + 1)` with the defaults.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;

use serde_json::{Map, Value};

use super::data::{
    check_header, decode_alb_data, default_keys_url, region_from_arn, verify_alb_data_with_key,
    AlbData, AlbError, AlbPublicKey, AlbVerifyOptions,
};
use crate::jwks::cache::{
    CacheConfig, CacheError, Cached, KeyCache, KidAdmission, KidFetchGate, KidFlight, KidGateConfig,
};
use crate::jwks::events::{Events, KeyEvent, KeyEventSink};
use crate::jwks::fetch::{ExpectedContent, FetchConfig, FetchError, HttpFetcher};
use crate::time::{ClockBeforeEpoch, SystemClock, TimeSource};

/// Verifies ALB `x-amzn-oidc-data` values, fetching and caching ALB public keys.
/// `Send + Sync`: build once, share across threads.
#[derive(Debug)]
pub struct AlbVerifier {
    opts: AlbVerifyOptions,
    keys_url: String,
    fetcher: HttpFetcher,
    cache: KeyCache<AlbPublicKey>,
    kids: KidFetchGate,
    kid_cfg: KidGateConfig,
    clock: Arc<dyn TimeSource>,
    events: Events,
}

/// What one key lookup does next.
enum Step<'g> {
    Done(Result<Arc<Cached<AlbPublicKey>>, AlbError>),
    Fetch(KidFlight<'g>, Option<Arc<Cached<AlbPublicKey>>>),
    Wait(Arc<tokio::sync::Mutex<()>>),
}

fn parse_pem(url: &str, body: &[u8]) -> Result<AlbPublicKey, FetchError> {
    let text = core::str::from_utf8(body).map_err(|_| FetchError::Invalid {
        url: url.to_string(),
        reason: "PEM is not UTF-8".into(),
    })?;
    AlbPublicKey::from_pem(text).map_err(|e| FetchError::Invalid {
        url: url.to_string(),
        reason: e.to_string(),
    })
}

fn map_cache_err(e: CacheError) -> AlbError {
    match e {
        CacheError::KidNotFound | CacheError::CoolingDown => AlbError::KeyNotFound,
        // S3-backed key endpoints answer 403 for a missing object, the regional endpoint 404.
        CacheError::Fetch(FetchError::Status {
            status: 403 | 404, ..
        }) => AlbError::KeyNotFound,
        CacheError::Fetch(f) => AlbError::KeyFetch(f.to_string()),
        CacheError::NotCached(_) => AlbError::KeyFetch("the key for this kid is not cached".into()),
    }
}

/// The claim-time error of a clock before 1970: verification refuses to decide.
fn clock_error(e: ClockBeforeEpoch) -> AlbError {
    AlbError::InvalidConfig(e.to_string())
}

impl AlbVerifier {
    /// A verifier for `opts` (at least one ARN; all ARNs in one region), using the region's
    /// default key endpoint, default fetch limits and cache policy.
    ///
    /// Errors: [`AlbError::InvalidConfig`] (no ARN, invalid ARN, ARNs in several regions).
    pub fn new(opts: AlbVerifyOptions) -> Result<Self, AlbError> {
        let mut region: Option<&str> = None;
        for arn in &opts.alb_arns {
            let r = region_from_arn(arn)?;
            if region.is_some_and(|prev| prev != r) {
                return Err(AlbError::InvalidConfig(
                    "ALB ARNs are in several regions".into(),
                ));
            }
            region = Some(r);
        }
        let region =
            region.ok_or_else(|| AlbError::InvalidConfig("no ALB ARN configured".into()))?;
        let keys_url = default_keys_url(region);
        Ok(AlbVerifier {
            opts,
            keys_url,
            fetcher: HttpFetcher::new(FetchConfig::default()),
            cache: KeyCache::new(CacheConfig::default()),
            kids: KidFetchGate::new(KidGateConfig::default(), CacheConfig::default().cooldown),
            kid_cfg: KidGateConfig::default(),
            clock: SystemClock::shared(),
            events: Events::default(),
        })
    }

    /// Reports key fetches (URL, duration, outcome) and refusals for lack of fetch budget to
    /// `sink` (see [`crate::jwks::events`]).
    pub fn with_event_sink(mut self, sink: Arc<dyn KeyEventSink>) -> Self {
        self.events = Events::new(sink);
        self
    }

    fn rebuild_gate(&mut self) {
        let cooldown = self.cache.config().cooldown;
        self.kids =
            KidFetchGate::with_time_source(self.kid_cfg.clone(), cooldown, Arc::clone(&self.clock));
    }

    /// Replaces the key endpoint (GovCloud, China, tests): keys are fetched from `{url}/{kid}`.
    pub fn with_keys_url(mut self, url: &str) -> Self {
        self.keys_url = url.trim_end_matches('/').to_string();
        self
    }

    /// Replaces the fetch limits.
    pub fn with_fetch_config(mut self, cfg: FetchConfig) -> Self {
        self.fetcher = HttpFetcher::new(cfg);
        self
    }

    /// Replaces the cache policy (drops cached keys and the fetch gate's state; the gate's
    /// window is `cfg.cooldown`).
    pub fn with_cache_config(mut self, cfg: CacheConfig) -> Self {
        self.cache = KeyCache::with_time_source(cfg, Arc::clone(&self.clock));
        self.rebuild_gate();
        self
    }

    /// Replaces the per-kid fetch policy (budgets per cool-down window, negative cache);
    /// resets the gate's state.
    pub fn with_kid_gate_config(mut self, cfg: KidGateConfig) -> Self {
        self.kid_cfg = cfg;
        self.rebuild_gate();
        self
    }

    /// Reads the time from `clock` instead of the system clock: claim times of
    /// [`AlbVerifier::verify`] / [`AlbVerifier::verify_async`], key freshness, and the fetch
    /// gate's cool-down windows and negative-cache expiry (tests and simulations: a
    /// [`ManualClock`](crate::time::ManualClock)). Drops cached keys and the gate's state.
    pub fn with_time_source(mut self, clock: Arc<dyn TimeSource>) -> Self {
        self.clock = clock;
        self.cache =
            KeyCache::with_time_source(self.cache.config().clone(), Arc::clone(&self.clock));
        self.rebuild_gate();
        self
    }

    /// The per-kid fetch policy in force.
    pub fn kid_gate_config(&self) -> &KidGateConfig {
        &self.kid_cfg
    }

    /// The key endpoint base URL in use.
    pub fn keys_url(&self) -> &str {
        &self.keys_url
    }

    /// How many key fetches have been started so far.
    pub fn fetch_count(&self) -> u64 {
        self.kids.fetch_count()
    }

    /// Preloads the key for `kid` from a PEM (no I/O). Errors: [`AlbError::InvalidKid`],
    /// [`AlbError::InvalidKey`].
    pub fn add_key(&self, kid: &str, pem: &str) -> Result<(), AlbError> {
        if !super::data::is_valid_alb_kid(kid) {
            return Err(AlbError::InvalidKid);
        }
        self.cache.insert(kid, AlbPublicKey::from_pem(pem)?);
        Ok(())
    }

    fn precheck<'d>(&self, data: &'d str) -> Result<AlbData<'d>, AlbError> {
        let parsed = decode_alb_data(data)?;
        check_header(&parsed, &self.opts)?;
        Ok(parsed)
    }

    fn finish(
        &self,
        parsed: &AlbData<'_>,
        key: &Arc<Cached<AlbPublicKey>>,
        now: u64,
    ) -> Result<Map<String, Value>, AlbError> {
        verify_alb_data_with_key(parsed, &key.value, &self.opts, now)
    }

    /// No I/O: a fresh cached key, a refusal, or what to do next.
    fn lookup(&self, kid: &str) -> Step<'_> {
        if let Some(e) = self.cache.get_fresh(kid) {
            return Step::Done(Ok(e));
        }
        let stale = self.cache.get_usable(kid);
        match self.kids.admit(kid) {
            KidAdmission::Fetch(flight) => Step::Fetch(flight, stale),
            KidAdmission::Wait(lock) => Step::Wait(lock),
            KidAdmission::NotFound => Step::Done(Err(AlbError::KeyNotFound)),
            // Over budget: a stale key (within max_stale) is still served.
            KidAdmission::OverBudget => {
                if stale.is_none() {
                    self.events.emit(KeyEvent::CoolDown {
                        url: &self.keys_url,
                    });
                }
                Step::Done(stale.ok_or(AlbError::KeyNotFound))
            }
        }
    }

    /// Stores the outcome of an admitted fetch; the flight ends (waiters wake) on return.
    fn settle(
        &self,
        kid: &str,
        flight: KidFlight<'_>,
        stale: Option<Arc<Cached<AlbPublicKey>>>,
        fetched: Result<AlbPublicKey, FetchError>,
    ) -> Result<Arc<Cached<AlbPublicKey>>, AlbError> {
        match fetched {
            Ok(key) => Ok(self.cache.insert(kid, key)),
            // S3-backed key endpoints answer 403 for a missing object, the regional one 404:
            // the kid is unknown (or withdrawn), negatively cached.
            Err(FetchError::Status {
                status: 403 | 404, ..
            }) => {
                flight.not_found();
                self.cache.remove(kid);
                Err(AlbError::KeyNotFound)
            }
            Err(e) => stale.ok_or_else(|| AlbError::KeyFetch(e.to_string())),
        }
    }

    /// After waiting for a concurrent fetch of `kid`: whatever it left in the caches.
    fn after_wait(&self, kid: &str) -> Result<Arc<Cached<AlbPublicKey>>, AlbError> {
        match self.cache.get_usable(kid) {
            Some(e) => Ok(e),
            None if self.kids.is_not_found(kid) => Err(AlbError::KeyNotFound),
            None => Err(AlbError::KeyFetch(
                "a concurrent fetch of the key for this kid failed".into(),
            )),
        }
    }

    fn key_url(&self, kid: &str) -> String {
        format!("{}/{}", self.keys_url, kid)
    }

    /// Blocking verification at `now` (unix seconds); returns the payload claims.
    ///
    /// Errors: every [`AlbError`] check; [`AlbError::KeyNotFound`] (endpoint has no such kid,
    /// negatively cached, or the window's fetch budget is spent), [`AlbError::KeyFetch`]
    /// (endpoint failing and no key cached). Must not be called from inside an async runtime
    /// (use [`AlbVerifier::verify_async`]).
    pub fn verify_at(&self, data: &str, now: u64) -> Result<Map<String, Value>, AlbError> {
        let parsed = self.precheck(data)?;
        let kid = parsed.header.kid.as_deref().unwrap_or("");
        let key = match self.lookup(kid) {
            Step::Done(r) => r?,
            Step::Fetch(flight, stale) => {
                let url = self.key_url(kid);
                let fetched = self.events.timed(&url, || {
                    let body = self.fetcher.fetch_blocking(&url, ExpectedContent::Pem)?;
                    parse_pem(&url, &body)
                });
                self.settle(kid, flight, stale, fetched)?
            }
            Step::Wait(lock) => {
                drop(lock.blocking_lock());
                self.after_wait(kid)?
            }
        };
        self.finish(&parsed, &key, now)
    }

    /// [`AlbVerifier::verify_at`] with the system clock.
    pub fn verify(&self, data: &str) -> Result<Map<String, Value>, AlbError> {
        self.verify_at(data, self.clock.unix_seconds().map_err(clock_error)?)
    }

    /// Async verification with the system clock (needs a Tokio runtime); same errors.
    pub async fn verify_async(&self, data: &str) -> Result<Map<String, Value>, AlbError> {
        let now = self.clock.unix_seconds().map_err(clock_error)?;
        let parsed = self.precheck(data)?;
        let kid = parsed.header.kid.as_deref().unwrap_or("");
        let key = match self.lookup(kid) {
            Step::Done(r) => r?,
            Step::Fetch(flight, stale) => {
                let url = self.key_url(kid);
                let fetched = self
                    .events
                    .timed_async(&url, async {
                        let body = self.fetcher.fetch_async(&url, ExpectedContent::Pem).await?;
                        parse_pem(&url, &body)
                    })
                    .await;
                self.settle(kid, flight, stale, fetched)?
            }
            Step::Wait(lock) => {
                drop(lock.lock().await);
                self.after_wait(kid)?
            }
        };
        self.finish(&parsed, &key, now)
    }

    /// Verification without I/O: only keys already cached are used.
    /// Errors: as [`AlbVerifier::verify_at`], with [`AlbError::KeyFetch`] when not cached.
    pub fn verify_cached(&self, data: &str, now: u64) -> Result<Map<String, Value>, AlbError> {
        let parsed = self.precheck(data)?;
        let kid = parsed.header.kid.as_deref().unwrap_or("");
        let key = self
            .cache
            .get_cached(kid, |_| true)
            .map_err(map_cache_err)?;
        self.finish(&parsed, &key, now)
    }

    /// The warm path of an async front end: verification decided without I/O, or `None` when
    /// the key must be fetched (then call [`AlbVerifier::verify_at`] off the event loop, or
    /// [`AlbVerifier::verify_async`]). `Some(result)` is exactly what
    /// [`AlbVerifier::verify_at`] would return at `now` for header errors, a fresh cached key
    /// and a negatively cached kid ([`AlbError::KeyNotFound`]); a key older than the cache TTL
    /// is not used here (the fetch gate decides whether to refresh it).
    pub fn verify_without_fetch(
        &self,
        data: &str,
        now: u64,
    ) -> Option<Result<Map<String, Value>, AlbError>> {
        let parsed = match self.precheck(data) {
            Ok(p) => p,
            Err(e) => return Some(Err(e)),
        };
        let kid = parsed.header.kid.as_deref().unwrap_or("");
        if let Some(key) = self.cache.get_fresh(kid) {
            return Some(self.finish(&parsed, &key, now));
        }
        if self.kids.is_not_found(kid) {
            return Some(Err(AlbError::KeyNotFound));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    const ARN: &str = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/a/b";

    fn opts() -> AlbVerifyOptions {
        AlbVerifyOptions {
            alb_arns: vec![ARN.into()],
            client_ids: None,
            issuer: None,
            grace_seconds: 0,
        }
    }

    #[test]
    fn config_and_region() {
        let v = AlbVerifier::new(opts()).unwrap();
        assert_eq!(
            v.keys_url(),
            "https://public-keys.auth.elb.eu-west-1.amazonaws.com"
        );
        let mut o = opts();
        o.alb_arns.push(ARN.replace("eu-west-1", "us-east-1"));
        assert!(AlbVerifier::new(o).is_err());
        assert!(AlbVerifier::new(AlbVerifyOptions::default()).is_err());
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<AlbVerifier>();
    }

    #[test]
    fn foreign_signer_rejected_before_any_fetch() {
        // The endpoint is unreachable: a fetch attempt would show as a fetch count.
        let v = AlbVerifier::new(opts())
            .unwrap()
            .with_keys_url("http://127.0.0.1:9");
        let h = r#"{"alg":"ES256","kid":"11111111-2222-3333-4444-555555555555","signer":"arn:aws:elasticloadbalancing:eu-west-1:999:loadbalancer/app/x/y","exp":9}"#;
        use base64::Engine as _;
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let d = format!("{}.{}.{}", e.encode(h), e.encode("{}"), e.encode([0u8; 64]));
        assert_eq!(v.verify_at(&d, 0).unwrap_err(), AlbError::InvalidSigner);
        assert_eq!(v.fetch_count(), 0);
    }
}
