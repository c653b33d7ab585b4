//! [`JwtVerifier`] (any issuer + JWKS URI) and [`CognitoJwtVerifier`] (user pool ids): JWT
//! verification with JWKS fetched over HTTPS and kept parsed in a flood-proof cache (std).
//!
//! Order of work for one token, cheapest and I/O-free first:
//! 1. strict parse ([`crate::jwt::decode`], 16 KiB cap);
//! 2. HS* refused (a JWKS verifier never accepts shared-secret algorithms);
//! 3. `kid` required;
//! 4. the issuer is chosen by the token's `iss` among the configured ones: an unknown `iss` is
//!    rejected with [`JwtError::InvalidIssuer`] **before any fetch**;
//! 5. the key: from the cache (parsed [`JwkSet`], no key import), or one fetch through the
//!    cache's gate ([`super::cache`]: TTL, cool-down, coalescing, negative caching, bounded
//!    staleness);
//! 6. signature, then every claim check of the issuer's [`VerifyOptions`]
//!    ([`crate::jwt::verify_decoded`]). Claims are returned only when all passed.
//!
//! Cognito: issuer `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`, JWKS
//! `{issuer}/.well-known/jwks.json` (AWS, "Verifying a JSON Web Token").

use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;

use serde_json::{Map, Value};

use super::cache::{CacheConfig, CacheError, Cached, KeyCache};
use super::events::{Events, KeyEvent, KeyEventSink};
use super::fetch::{ExpectedContent, FetchConfig, FetchError, HttpFetcher};
use crate::jwt::{decode, verify_decoded, DecodedJwt, JwkSet, JwtError, TokenUse, VerifyOptions};
use crate::time::{SystemClock, TimeSource};

/// One accepted issuer: its exact `iss`, where its JWKS lives, and what its tokens must satisfy.
#[derive(Debug, Clone)]
pub struct IssuerConfig {
    /// The exact `iss` value.
    pub issuer: String,
    /// The JWKS URL (`https://`, or `http://` to loopback; see [`FetchConfig::allow_http`]).
    pub jwks_uri: String,
    /// Claim rules. `options.issuers` is set to `[issuer]` by the verifier.
    pub options: VerifyOptions,
}

/// Verifies JWTs from one or more issuers against their JWKS. `Send + Sync`: build once, share
/// (e.g. in an `Arc` or a `static`).
///
/// Blocking and async use can be mixed on one verifier; they share the cache and the fetch
/// gates. The blocking entry points (and dropping a verifier that has used them, which drops
/// reqwest's blocking client) must happen outside an async runtime's worker threads.
#[derive(Debug)]
pub struct JwtVerifier {
    issuers: Vec<IssuerConfig>,
    fetcher: HttpFetcher,
    cache: KeyCache<JwkSet>,
    events: Events,
    clock: Arc<dyn TimeSource>,
}

/// A verified token: its claims, and its protected header when asked for (e.g. for a caller's
/// custom check), each decoded once.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedJwt {
    /// The protected header object (`alg`, `kid`, ...), when requested.
    pub header: Option<Map<String, Value>>,
    /// The payload claims.
    pub claims: Map<String, Value>,
}

fn truncate_for_msg(s: &str) -> String {
    s.chars().take(64).collect()
}

fn parse_jwks(url: &str, body: &[u8]) -> Result<JwkSet, FetchError> {
    JwkSet::from_json(body).map_err(|e| FetchError::Invalid {
        url: url.to_string(),
        reason: e.to_string(),
    })
}

/// True when the set has an entry with this `kid`, usable or not: a key that failed to parse
/// (weak RSA, invalid point, unsupported kty, ...) is then reported with its own error by
/// [`JwkSet::find`] (aws-jwt-verify's `JwkValidationError` / `JwkInvalidKtyError`), not as
/// `KidNotFoundInJwks`, and does not trigger refetches.
fn knows_kid(set: &JwkSet, kid: &str) -> bool {
    set.get(kid).is_some()
        || set
            .rejected()
            .iter()
            .any(|(k, _)| k.as_deref() == Some(kid))
}

fn map_cache_err(e: CacheError, kid: &str) -> JwtError {
    match e {
        CacheError::KidNotFound => JwtError::KidNotFoundInJwks(truncate_for_msg(kid)),
        CacheError::CoolingDown => JwtError::WaitPeriodNotYetEnded(truncate_for_msg(kid)),
        CacheError::Fetch(f) => JwtError::Fetch(f.to_string()),
        CacheError::NotCached(uri) => JwtError::JwksNotAvailableInCache(uri),
    }
}

impl JwtVerifier {
    /// A verifier for these issuers with default fetch limits and cache policy.
    ///
    /// Errors: [`JwtError::ParameterValidation`] when the list is empty, an issuer is empty or
    /// listed twice, a JWKS URI is not an absolute `http(s)` URL, or client ids are given without
    /// a token use.
    pub fn new(issuers: Vec<IssuerConfig>) -> Result<Self, JwtError> {
        if issuers.is_empty() {
            return Err(JwtError::ParameterValidation(
                "at least one issuer is required".into(),
            ));
        }
        let mut out: Vec<IssuerConfig> = Vec::with_capacity(issuers.len());
        for mut cfg in issuers {
            if cfg.issuer.is_empty() {
                return Err(JwtError::ParameterValidation(
                    "issuer must not be empty".into(),
                ));
            }
            if out.iter().any(|c| c.issuer == cfg.issuer) {
                return Err(JwtError::ParameterValidation(format!(
                    "issuer {} is listed twice",
                    cfg.issuer
                )));
            }
            if !(cfg.jwks_uri.starts_with("https://") || cfg.jwks_uri.starts_with("http://")) {
                return Err(JwtError::ParameterValidation(format!(
                    "JWKS URI {} is not an http(s) URL",
                    cfg.jwks_uri
                )));
            }
            if cfg.options.client_ids.is_some() && cfg.options.token_use.is_none() {
                // Checked here, before any fetch: the claim holding the client id (`client_id`
                // of access tokens, `aud` of id tokens) depends on the token use.
                return Err(JwtError::ParameterValidation(format!(
                    "client ids need a token use (issuer {})",
                    cfg.issuer
                )));
            }
            cfg.options.issuers = alloc::vec![cfg.issuer.clone()];
            out.push(cfg);
        }
        Ok(JwtVerifier {
            issuers: out,
            fetcher: HttpFetcher::new(FetchConfig::default()),
            cache: KeyCache::new(CacheConfig::default()),
            events: Events::default(),
            clock: SystemClock::shared(),
        })
    }

    /// Reads the time from `clock` instead of the system clock: claim times of
    /// [`JwtVerifier::verify`] / [`JwtVerifier::verify_async`], and the cache's TTL and
    /// cool-down (tests and simulations: a [`ManualClock`](crate::time::ManualClock)). Drops
    /// cached keys.
    pub fn with_time_source(mut self, clock: Arc<dyn TimeSource>) -> Self {
        self.clock = clock;
        self.cache =
            KeyCache::with_time_source(self.cache.config().clone(), Arc::clone(&self.clock));
        self
    }

    /// The current unix time from the verifier's time source.
    fn now(&self) -> Result<u64, JwtError> {
        self.clock
            .unix_seconds()
            .map_err(|e| JwtError::ParameterValidation(e.to_string()))
    }

    /// Reports JWKS fetches (URL, duration, outcome) and cool-down refusals to `sink`
    /// (see [`super::events`]); e.g. a front end forwards them to its logging.
    pub fn with_event_sink(mut self, sink: Arc<dyn KeyEventSink>) -> Self {
        self.events = Events::new(sink);
        self
    }

    /// Replaces the fetch limits (timeouts, size cap, plain-HTTP policy).
    pub fn with_fetch_config(mut self, cfg: FetchConfig) -> Self {
        self.fetcher = HttpFetcher::new(cfg);
        self
    }

    /// Replaces the cache policy (TTL, cool-down, staleness). Drops cached keys.
    pub fn with_cache_config(mut self, cfg: CacheConfig) -> Self {
        self.cache = KeyCache::with_time_source(cfg, Arc::clone(&self.clock));
        self
    }

    /// The configured issuers.
    pub fn issuers(&self) -> &[IssuerConfig] {
        &self.issuers
    }

    /// How many JWKS fetches were started for `jwks_uri` so far (observability, tests).
    pub fn fetch_count(&self, jwks_uri: &str) -> u64 {
        self.cache.gate(jwks_uri).fetch_count()
    }

    /// Stores a JWKS for `issuer` without I/O (e.g. from a bundled file). Errors:
    /// [`JwtError::InvalidIssuer`] when `issuer` is not configured, the parse errors of
    /// [`JwkSet::from_json`].
    pub fn add_jwks(&self, issuer: &str, jwks_json: &[u8]) -> Result<(), JwtError> {
        let cfg = self.issuer_config(issuer)?;
        self.cache
            .insert(&cfg.jwks_uri, JwkSet::from_json(jwks_json)?);
        Ok(())
    }

    /// Fetches every issuer's JWKS now (blocking), through the same gate as verification (a
    /// JWKS still fresh in the cache is not refetched). Errors: [`JwtError::Fetch`] for the
    /// first issuer that failed.
    pub fn hydrate(&self) -> Result<(), JwtError> {
        for cfg in &self.issuers {
            self.cache
                .get_blocking(
                    &cfg.jwks_uri,
                    &cfg.jwks_uri,
                    |_| true,
                    || self.fetch_blocking(&cfg.jwks_uri),
                )
                .map_err(|e| self.cache_err(e, "", &cfg.jwks_uri))?;
        }
        Ok(())
    }

    /// Async form of [`JwtVerifier::hydrate`].
    pub async fn hydrate_async(&self) -> Result<(), JwtError> {
        for cfg in &self.issuers {
            self.cache
                .get_async(
                    &cfg.jwks_uri,
                    &cfg.jwks_uri,
                    |_| true,
                    || self.fetch_async(&cfg.jwks_uri),
                )
                .await
                .map_err(|e| self.cache_err(e, "", &cfg.jwks_uri))?;
        }
        Ok(())
    }

    fn fetch_blocking(&self, uri: &str) -> Result<JwkSet, FetchError> {
        self.events.timed(uri, || {
            let body = self.fetcher.fetch_blocking(uri, ExpectedContent::Json)?;
            parse_jwks(uri, &body)
        })
    }

    async fn fetch_async(&self, uri: &str) -> Result<JwkSet, FetchError> {
        self.events
            .timed_async(uri, async {
                let body = self.fetcher.fetch_async(uri, ExpectedContent::Json).await?;
                parse_jwks(uri, &body)
            })
            .await
    }

    /// Maps a cache error of the endpoint `uri`, reporting cool-down refusals.
    fn cache_err(&self, e: CacheError, kid: &str, uri: &str) -> JwtError {
        if e == CacheError::CoolingDown {
            self.events.emit(KeyEvent::CoolDown { url: uri });
        }
        map_cache_err(e, kid)
    }

    fn issuer_config(&self, iss: &str) -> Result<&IssuerConfig, JwtError> {
        self.issuers
            .iter()
            .find(|c| c.issuer == iss)
            .ok_or_else(|| {
                JwtError::InvalidIssuer(format!(
                    "{} is not a configured issuer",
                    truncate_for_msg(iss)
                ))
            })
    }

    /// Steps 1-4 (no I/O): parse, refuse HS*, require kid, choose the issuer by `iss`.
    fn precheck<'t>(&self, token: &'t str) -> Result<(DecodedJwt<'t>, &IssuerConfig), JwtError> {
        let decoded = decode(token)?;
        if decoded.header.alg.is_hmac() {
            return Err(JwtError::InvalidSignatureAlgorithm(format!(
                "{} is never accepted with a JWKS",
                decoded.header.alg.as_str()
            )));
        }
        if decoded.header.kid.as_deref().is_none_or(str::is_empty) {
            return Err(JwtError::WithoutValidKid);
        }
        let iss = match decoded.claims.get("iss") {
            Some(Value::String(s)) => s.as_str(),
            Some(_) => return Err(JwtError::InvalidIssuer("iss is not a string".into())),
            None => return Err(JwtError::InvalidIssuer("iss is missing".into())),
        };
        let cfg = self.issuer_config(iss)?;
        Ok((decoded, cfg))
    }

    fn finish(
        decoded: DecodedJwt<'_>,
        set: &Arc<Cached<JwkSet>>,
        cfg: &IssuerConfig,
        now: u64,
    ) -> Result<Map<String, Value>, JwtError> {
        let kid = decoded.header.kid.as_deref().unwrap_or("");
        let jwk = set.value.find(kid)?;
        verify_decoded(decoded, jwk, &cfg.options, now)
    }

    fn finish_full(
        decoded: DecodedJwt<'_>,
        set: &Arc<Cached<JwkSet>>,
        cfg: &IssuerConfig,
        now: u64,
        with_header: bool,
    ) -> Result<VerifiedJwt, JwtError> {
        let header = with_header.then(|| decoded.header.raw.clone());
        let claims = Self::finish(decoded, set, cfg, now)?;
        Ok(VerifiedJwt { header, claims })
    }

    /// [`JwtVerifier::verify_at`] returning a [`VerifiedJwt`]: the claims, and the protected
    /// header as parsed during verification when `with_header` is true. Same errors.
    pub fn verify_full_at(
        &self,
        token: &str,
        now: u64,
        with_header: bool,
    ) -> Result<VerifiedJwt, JwtError> {
        let (decoded, cfg) = self.precheck(token)?;
        let kid = decoded.header.kid.as_deref().unwrap_or("");
        let set = self
            .cache
            .get_blocking(
                &cfg.jwks_uri,
                &cfg.jwks_uri,
                |s| knows_kid(s, kid),
                || self.fetch_blocking(&cfg.jwks_uri),
            )
            .map_err(|e| self.cache_err(e, kid, &cfg.jwks_uri))?;
        Self::finish_full(decoded, &set, cfg, now, with_header)
    }

    /// The warm path of an async front end: verification decided without I/O, or `None` when
    /// it needs a JWKS fetch (then call [`JwtVerifier::verify_full_at`] off the event loop, or
    /// [`JwtVerifier::verify_async`]).
    ///
    /// `Some(result)` is exactly what [`JwtVerifier::verify_full_at`] would return at `now`:
    /// every error found before the key lookup (parse, algorithm, `kid`, unconfigured `iss`),
    /// the verification with a fresh cached JWKS holding the token's `kid`, or a cool-down
    /// refusal ([`JwtError::WaitPeriodNotYetEnded`], or [`JwtError::Fetch`] for an endpoint
    /// that failed within the window). Unlike [`JwtVerifier::verify_cached`], a JWKS older
    /// than the cache TTL is not used here (`None`: the blocking path refreshes it).
    pub fn verify_without_fetch(
        &self,
        token: &str,
        now: u64,
        with_header: bool,
    ) -> Option<Result<VerifiedJwt, JwtError>> {
        let (decoded, cfg) = match self.precheck(token) {
            Ok(v) => v,
            Err(e) => return Some(Err(e)),
        };
        let kid = decoded.header.kid.as_deref().unwrap_or("");
        let set = match self
            .cache
            .get_without_fetch(&cfg.jwks_uri, &cfg.jwks_uri, |s| knows_kid(s, kid))?
        {
            Ok(set) => set,
            Err(e) => return Some(Err(self.cache_err(e, kid, &cfg.jwks_uri))),
        };
        Some(Self::finish_full(decoded, &set, cfg, now, with_header))
    }

    /// Blocking verification at `now` (unix seconds): returns the claims when every check
    /// passed. Fetches the issuer's JWKS when needed and allowed by the cache policy.
    ///
    /// Errors: every [`JwtError`] check; [`JwtError::InvalidIssuer`] for an unconfigured `iss`
    /// (no fetch); [`JwtError::KidNotFoundInJwks`]; [`JwtError::Fetch`] when the JWKS could
    /// not be fetched and no usable copy is cached. Must not be called from inside an async
    /// runtime (use [`JwtVerifier::verify_async`]).
    pub fn verify_at(&self, token: &str, now: u64) -> Result<Map<String, Value>, JwtError> {
        self.verify_full_at(token, now, false).map(|v| v.claims)
    }

    /// [`JwtVerifier::verify_at`] at the time source's now (default: the system clock;
    /// [`JwtVerifier::with_time_source`]). A clock before 1970 is
    /// [`JwtError::ParameterValidation`].
    pub fn verify(&self, token: &str) -> Result<Map<String, Value>, JwtError> {
        self.verify_at(token, self.now()?)
    }

    /// Async verification at the time source's now (needs a Tokio runtime); same errors as
    /// [`JwtVerifier::verify`].
    pub async fn verify_async(&self, token: &str) -> Result<Map<String, Value>, JwtError> {
        let now = self.now()?;
        let (decoded, cfg) = self.precheck(token)?;
        let kid = decoded.header.kid.as_deref().unwrap_or("");
        let set = self
            .cache
            .get_async(
                &cfg.jwks_uri,
                &cfg.jwks_uri,
                |s| knows_kid(s, kid),
                || self.fetch_async(&cfg.jwks_uri),
            )
            .await
            .map_err(|e| self.cache_err(e, kid, &cfg.jwks_uri))?;
        Self::finish(decoded, &set, cfg, now)
    }

    /// Verification without any I/O, using only cached keys (fresh or within the staleness
    /// bound). Errors: as [`JwtVerifier::verify_at`], plus
    /// [`JwtError::JwksNotAvailableInCache`] when nothing is cached for the issuer.
    pub fn verify_cached(&self, token: &str, now: u64) -> Result<Map<String, Value>, JwtError> {
        let (decoded, cfg) = self.precheck(token)?;
        let kid = decoded.header.kid.as_deref().unwrap_or("");
        let set = self
            .cache
            .get_cached(&cfg.jwks_uri, |s| knows_kid(s, kid))
            .map_err(|e| self.cache_err(e, kid, &cfg.jwks_uri))?;
        Self::finish(decoded, &set, cfg, now)
    }
}

/// One Cognito user pool to accept tokens from.
#[derive(Debug, Clone)]
pub struct CognitoConfig {
    /// `{region}_{id}`, e.g. `eu-west-1_AbCdEf123`.
    pub user_pool_id: String,
    /// Issuer override (LocalStack, cognito-local, moto, private endpoints). Default
    /// `https://cognito-idp.{region}.amazonaws.com/{user_pool_id}`.
    pub issuer: Option<String>,
    /// JWKS URL override. Default `{issuer}/.well-known/jwks.json`.
    pub jwks_url: Option<String>,
    /// Claim rules: `token_use`, `client_ids`, groups, scopes, grace, max age, custom check.
    /// `issuers` is ignored (set from the pool). `client_ids` must be `Some` non-empty list of
    /// non-empty ids unless [`CognitoConfig::any_client_id`] is set.
    pub options: VerifyOptions,
    /// The explicit choice to accept tokens of **every** app client of the pool (no
    /// `client_id` / `aud` check): aws-jwt-verify's `clientId: null`. `false` by default; then
    /// a missing client id list is a configuration error, never a silently skipped check.
    /// Requires `options.client_ids == None`.
    pub any_client_id: bool,
}

impl CognitoConfig {
    /// A pool accepting `token_use` tokens of these app clients (`client_id` claim of access
    /// tokens, `aud` of id tokens). An empty list or an empty id is refused by
    /// [`CognitoJwtVerifier::new_multi`].
    pub fn new(user_pool_id: &str, token_use: TokenUse, client_ids: Vec<String>) -> Self {
        CognitoConfig {
            user_pool_id: user_pool_id.to_string(),
            issuer: None,
            jwks_url: None,
            options: VerifyOptions {
                token_use: Some(token_use),
                client_ids: Some(client_ids),
                ..VerifyOptions::default()
            },
            any_client_id: false,
        }
    }

    /// A pool accepting `token_use` tokens of **any** app client of the pool: the explicit,
    /// documented opt-out of the client id check (aws-jwt-verify's `clientId: null`). Only for
    /// pools whose every app client may call you.
    pub fn new_any_client_id(user_pool_id: &str, token_use: TokenUse) -> Self {
        CognitoConfig {
            any_client_id: true,
            options: VerifyOptions {
                token_use: Some(token_use),
                client_ids: None,
                ..VerifyOptions::default()
            },
            ..Self::new(user_pool_id, token_use, Vec::new())
        }
    }

    /// Sets the issuer override.
    pub fn with_issuer(mut self, issuer: &str) -> Self {
        self.issuer = Some(issuer.to_string());
        self
    }

    /// Sets the JWKS URL override.
    pub fn with_jwks_url(mut self, url: &str) -> Self {
        self.jwks_url = Some(url.to_string());
        self
    }

    /// Sets the clock-skew grace in seconds.
    pub fn with_grace_seconds(mut self, grace: u64) -> Self {
        self.options.grace_seconds = grace;
        self
    }
}

/// The client id rule of [`CognitoJwtVerifier::new_multi`].
fn check_client_ids(pool: &CognitoConfig) -> Result<(), JwtError> {
    let err = |m: &str| Err(JwtError::ParameterValidation(m.into()));
    match (&pool.options.client_ids, pool.any_client_id) {
        (None, false) => err(
            "client id is required for Cognito: give the app client id(s), or choose any client \
             of the pool explicitly (CognitoConfig::new_any_client_id)",
        ),
        (Some(_), true) => err("client ids and any_client_id are mutually exclusive"),
        (Some(ids), false) if ids.is_empty() => err("client id list is empty"),
        (Some(ids), false) if ids.iter().any(String::is_empty) => err("client id is empty"),
        _ => Ok(()),
    }
}

/// The region part of a Cognito user pool id `{region}_{id}`.
///
/// Errors: [`JwtError::ParameterValidation`] unless the id is a valid region, `_`, and 1-55
/// ASCII letters or digits.
pub fn user_pool_region(user_pool_id: &str) -> Result<&str, JwtError> {
    let bad = || {
        JwtError::ParameterValidation(format!(
            "invalid user pool id {:?}",
            truncate_for_msg(user_pool_id)
        ))
    };
    let (region, id) = user_pool_id.split_once('_').ok_or_else(bad)?;
    if !crate::alb::is_valid_region(region)
        || id.is_empty()
        || id.len() > 55
        || !id.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(bad());
    }
    Ok(region)
}

/// The default Cognito issuer of a user pool: `https://cognito-idp.{region}.amazonaws.com/{pool}`.
pub fn cognito_issuer(user_pool_id: &str) -> Result<String, JwtError> {
    let region = user_pool_region(user_pool_id)?;
    Ok(format!(
        "https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
    ))
}

/// Verifies Cognito access or id tokens from one or more user pools. `Send + Sync`.
///
/// A thin layer over [`JwtVerifier`] that derives issuer and JWKS URL from pool ids and
/// requires `token_use` (and client ids) on every pool.
#[derive(Debug)]
pub struct CognitoJwtVerifier {
    inner: JwtVerifier,
}

impl CognitoJwtVerifier {
    /// A verifier for one user pool. Errors as [`CognitoJwtVerifier::new_multi`].
    pub fn new(pool: CognitoConfig) -> Result<Self, JwtError> {
        Self::new_multi(alloc::vec![pool])
    }

    /// A verifier for several user pools; a token's pool is chosen by its `iss`.
    ///
    /// Errors: [`JwtError::ParameterValidation`] for an invalid pool id, a pool without
    /// `token_use`, a missing client id list without [`CognitoConfig::any_client_id`] (the
    /// client id check is never silently off, as aws-jwt-verify requires `clientId`), an empty
    /// list or an empty id, client ids together with `any_client_id`, or duplicate issuers.
    pub fn new_multi(pools: Vec<CognitoConfig>) -> Result<Self, JwtError> {
        let mut issuers = Vec::with_capacity(pools.len());
        for pool in pools {
            user_pool_region(&pool.user_pool_id)?;
            if pool.options.token_use.is_none() {
                return Err(JwtError::ParameterValidation(
                    "token_use is required for Cognito".into(),
                ));
            }
            check_client_ids(&pool)?;
            let issuer = match pool.issuer {
                Some(i) => i.trim_end_matches('/').to_string(),
                None => cognito_issuer(&pool.user_pool_id)?,
            };
            let jwks_uri = pool
                .jwks_url
                .unwrap_or_else(|| format!("{issuer}/.well-known/jwks.json"));
            issuers.push(IssuerConfig {
                issuer,
                jwks_uri,
                options: pool.options,
            });
        }
        Ok(CognitoJwtVerifier {
            inner: JwtVerifier::new(issuers)?,
        })
    }

    /// Replaces the fetch limits.
    pub fn with_fetch_config(self, cfg: FetchConfig) -> Self {
        CognitoJwtVerifier {
            inner: self.inner.with_fetch_config(cfg),
        }
    }

    /// Replaces the cache policy.
    pub fn with_cache_config(self, cfg: CacheConfig) -> Self {
        CognitoJwtVerifier {
            inner: self.inner.with_cache_config(cfg),
        }
    }

    /// See [`JwtVerifier::with_time_source`].
    pub fn with_time_source(self, clock: Arc<dyn TimeSource>) -> Self {
        CognitoJwtVerifier {
            inner: self.inner.with_time_source(clock),
        }
    }

    /// The underlying generic verifier (issuers, fetch counts, `add_jwks`).
    pub fn inner(&self) -> &JwtVerifier {
        &self.inner
    }

    /// The underlying generic verifier, by value.
    pub fn into_inner(self) -> JwtVerifier {
        self.inner
    }

    /// See [`JwtVerifier::hydrate`].
    pub fn hydrate(&self) -> Result<(), JwtError> {
        self.inner.hydrate()
    }

    /// See [`JwtVerifier::hydrate_async`].
    pub async fn hydrate_async(&self) -> Result<(), JwtError> {
        self.inner.hydrate_async().await
    }

    /// See [`JwtVerifier::verify`].
    pub fn verify(&self, token: &str) -> Result<Map<String, Value>, JwtError> {
        self.inner.verify(token)
    }

    /// See [`JwtVerifier::verify_at`].
    pub fn verify_at(&self, token: &str, now: u64) -> Result<Map<String, Value>, JwtError> {
        self.inner.verify_at(token, now)
    }

    /// See [`JwtVerifier::verify_async`].
    pub async fn verify_async(&self, token: &str) -> Result<Map<String, Value>, JwtError> {
        self.inner.verify_async(token).await
    }

    /// See [`JwtVerifier::verify_cached`].
    pub fn verify_cached(&self, token: &str, now: u64) -> Result<Map<String, Value>, JwtError> {
        self.inner.verify_cached(token, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::ClockBeforeEpoch;
    use alloc::vec;

    /// A clock set before 1970.
    #[derive(Debug)]
    struct BeforeEpoch;
    impl TimeSource for BeforeEpoch {
        fn unix_seconds(&self) -> Result<u64, ClockBeforeEpoch> {
            Err(ClockBeforeEpoch)
        }
        fn monotonic_ms(&self) -> u64 {
            0
        }
    }

    #[test]
    fn a_clock_before_1970_refuses_instead_of_verifying_at_zero() {
        let cfg = CognitoConfig::new("eu-west-1_AbC123", TokenUse::Access, vec!["c".into()])
            .with_jwks_url("http://127.0.0.1:9/jwks");
        let v = CognitoJwtVerifier::new(cfg)
            .unwrap()
            .with_time_source(Arc::new(BeforeEpoch));
        let err = v.verify("a.b.c").unwrap_err();
        assert_eq!(
            err,
            JwtError::ParameterValidation(ClockBeforeEpoch.to_string())
        );
        assert_eq!(v.inner().fetch_count("http://127.0.0.1:9/jwks"), 0);
    }

    #[test]
    fn pool_ids() {
        assert_eq!(user_pool_region("eu-west-1_AbC123").unwrap(), "eu-west-1");
        assert_eq!(
            cognito_issuer("ap-northeast-1_XXXXXXXXX").unwrap(),
            "https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_XXXXXXXXX"
        );
        for bad in [
            "",
            "eu-west-1",
            "eu-west-1_",
            "evil.com/x_abc",
            "eu-west-1_a/b",
            "eu-west-1_a.b",
        ] {
            assert!(user_pool_region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn defaults_and_send_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<CognitoJwtVerifier>();
        assert_send_sync::<JwtVerifier>();
        let v = CognitoJwtVerifier::new(CognitoConfig::new(
            "eu-west-1_abc",
            TokenUse::Access,
            vec!["c".into()],
        ))
        .unwrap();
        let i = &v.inner().issuers()[0];
        assert_eq!(
            i.issuer,
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc"
        );
        assert_eq!(
            i.jwks_uri,
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/jwks.json"
        );
        assert_eq!(i.options.issuers, vec![i.issuer.clone()]);
    }

    #[test]
    fn client_id_check_is_never_silently_off() {
        let pool = "eu-west-1_abc";
        let msg = |c: CognitoConfig| match CognitoJwtVerifier::new(c) {
            Err(JwtError::ParameterValidation(m)) => m,
            other => panic!("expected a configuration error, got {other:?}"),
        };
        // `VerifyOptions::default()` leaves `client_ids` at None: refused, not "any client".
        let mut silent = CognitoConfig::new(pool, TokenUse::Access, vec!["c".into()]);
        silent.options.client_ids = None;
        assert!(msg(silent).contains("client id is required"));
        assert!(msg(CognitoConfig::new(pool, TokenUse::Access, vec![])).contains("empty"));
        assert!(msg(CognitoConfig::new(pool, TokenUse::Id, vec!["".into()])).contains("empty"));
        let mut both = CognitoConfig::new(pool, TokenUse::Access, vec!["c".into()]);
        both.any_client_id = true;
        assert!(msg(both).contains("mutually exclusive"));
        // The explicit opt-out works and really skips the check.
        let any =
            CognitoJwtVerifier::new(CognitoConfig::new_any_client_id(pool, TokenUse::Id)).unwrap();
        assert_eq!(any.inner().issuers()[0].options.client_ids, None);
    }
}
