//! [`AlbVerifier`]: `x-amzn-oidc-data` verification with the ALB public key fetched and cached
//! per kid (std).
//!
//! Order of work for one value: parse (size-capped), header checks with no I/O (`alg`, `kid`
//! shape, `signer` ARN, `client`), then the key from the cache or from
//! `{keys_url}/{kid}` (default `https://public-keys.auth.elb.{region}.amazonaws.com`, region
//! taken from the ARN), then signature and claims. Keys are cached per kid for the cache TTL
//! (default 1 h) in a bounded cache (default 1000 kids; aws-jwt-verify keeps 2). Fetches go
//! through one gate per key endpoint: at most one fetch per cool-down window (default 10 s)
//! whatever the kids, concurrent misses coalesce, and a kid the endpoint does not know is
//! rejected without I/O for the rest of the window.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;

use serde_json::{Map, Value};

use super::cache::{CacheConfig, CacheError, Cached, KeyCache};
use super::events::{Events, KeyEvent, KeyEventSink};
use super::fetch::{ExpectedContent, FetchConfig, FetchError, HttpFetcher};
use crate::alb::{
    check_header, decode_alb_data, default_keys_url, region_from_arn, verify_alb_data_with_key,
    AlbData, AlbError, AlbPublicKey, AlbVerifyOptions,
};

/// Verifies ALB `x-amzn-oidc-data` values, fetching and caching ALB public keys.
/// `Send + Sync`: build once, share across threads.
#[derive(Debug)]
pub struct AlbVerifier {
    opts: AlbVerifyOptions,
    keys_url: String,
    fetcher: HttpFetcher,
    cache: KeyCache<AlbPublicKey>,
    events: Events,
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

/// The current time in unix seconds (0 if the clock is before 1970).
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
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
            events: Events::default(),
        })
    }

    /// Reports key fetches (URL, duration, outcome) and cool-down refusals to `sink` (see
    /// [`super::events`]).
    pub fn with_event_sink(mut self, sink: Arc<dyn KeyEventSink>) -> Self {
        self.events = Events::new(sink);
        self
    }

    /// Maps a cache error, reporting cool-down refusals.
    fn cache_err(&self, e: CacheError) -> AlbError {
        if e == CacheError::CoolingDown {
            self.events.emit(KeyEvent::CoolDown {
                url: &self.keys_url,
            });
        }
        map_cache_err(e)
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

    /// Replaces the cache policy (drops cached keys).
    pub fn with_cache_config(mut self, cfg: CacheConfig) -> Self {
        self.cache = KeyCache::new(cfg);
        self
    }

    /// The key endpoint base URL in use.
    pub fn keys_url(&self) -> &str {
        &self.keys_url
    }

    /// How many key fetches have been started so far.
    pub fn fetch_count(&self) -> u64 {
        self.cache.gate(&self.keys_url).fetch_count()
    }

    /// Preloads the key for `kid` from a PEM (no I/O). Errors: [`AlbError::InvalidKid`],
    /// [`AlbError::InvalidKey`].
    pub fn add_key(&self, kid: &str, pem: &str) -> Result<(), AlbError> {
        if !crate::alb::is_valid_alb_kid(kid) {
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

    /// Blocking verification at `now` (unix seconds); returns the payload claims.
    ///
    /// Errors: every [`AlbError`] check; [`AlbError::KeyNotFound`] (endpoint has no such kid,
    /// or cooling down), [`AlbError::KeyFetch`] (endpoint failing and no key cached). Must not
    /// be called from inside an async runtime (use [`AlbVerifier::verify_async`]).
    pub fn verify_at(&self, data: &str, now: u64) -> Result<Map<String, Value>, AlbError> {
        let parsed = self.precheck(data)?;
        let kid = parsed.header.kid.as_deref().unwrap_or("");
        let key = self
            .cache
            .get_blocking(
                kid,
                &self.keys_url,
                |_| true,
                || {
                    let url = format!("{}/{}", self.keys_url, kid);
                    self.events.timed(&url, || {
                        let body = self.fetcher.fetch_blocking(&url, ExpectedContent::Pem)?;
                        parse_pem(&url, &body)
                    })
                },
            )
            .map_err(|e| self.cache_err(e))?;
        self.finish(&parsed, &key, now)
    }

    /// [`AlbVerifier::verify_at`] with the system clock.
    pub fn verify(&self, data: &str) -> Result<Map<String, Value>, AlbError> {
        self.verify_at(data, unix_now())
    }

    /// Async verification with the system clock (needs a Tokio runtime); same errors.
    pub async fn verify_async(&self, data: &str) -> Result<Map<String, Value>, AlbError> {
        let now = unix_now();
        let parsed = self.precheck(data)?;
        let kid = parsed.header.kid.as_deref().unwrap_or("");
        let key = self
            .cache
            .get_async(
                kid,
                &self.keys_url,
                |_| true,
                || async {
                    let url = format!("{}/{}", self.keys_url, kid);
                    self.events
                        .timed_async(&url, async {
                            let body = self.fetcher.fetch_async(&url, ExpectedContent::Pem).await?;
                            parse_pem(&url, &body)
                        })
                        .await
                },
            )
            .await
            .map_err(|e| self.cache_err(e))?;
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
            .map_err(|e| self.cache_err(e))?;
        self.finish(&parsed, &key, now)
    }

    /// The warm path of an async front end: verification decided without I/O, or `None` when
    /// the key must be fetched (then call [`AlbVerifier::verify_at`] off the event loop, or
    /// [`AlbVerifier::verify_async`]). `Some(result)` is exactly what
    /// [`AlbVerifier::verify_at`] would return at `now` (header errors, a fresh cached key, a
    /// cool-down refusal); a key older than the cache TTL is not used here.
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
        match self
            .cache
            .get_without_fetch(kid, &self.keys_url, |_| true)?
        {
            Ok(key) => Some(self.finish(&parsed, &key, now)),
            Err(e) => Some(Err(self.cache_err(e))),
        }
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
