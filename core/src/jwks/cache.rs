//! A flood-proof cache of parsed key documents (JWKS, ALB public keys) keyed by URL (std only).
//!
//! Design ("a JWKS cache that cannot be turned against us"):
//!
//! - Parsed documents live in a `moka` cache keyed by URL with a time-to-live of
//!   `ttl + max_stale`. An entry younger than [`CacheConfig::ttl`] (default 1 h) is *fresh* and
//!   used without I/O; an older one is refreshed on the next use. Unlike aws-jwt-verify (which
//!   never expires keys) a key removed from the JWKS stops being trusted after one TTL.
//! - Every fetch goes through a per-endpoint [`FetchGate`]: a mutex plus a generation counter.
//!   Concurrent misses queue on the mutex; whoever gets it first fetches, the others see the
//!   generation moved and re-read the cache instead of fetching again (coalescing). A gate lets
//!   at most one fetch start per [`CacheConfig::cooldown`] window (default 10 s), whatever the
//!   outcome, so unknown `kid`s, failing endpoints and expired entries can never make us fetch
//!   faster than that.
//! - Negative caching: a `kid` still unknown after a fetch is rejected without I/O for the rest
//!   of the window (the gate is keyed by endpoint, so this holds for *every* unknown kid, with
//!   O(1) memory, not one entry per kid an attacker invents).
//! - A failing refresh keeps serving the keys already cached for up to
//!   [`CacheConfig::max_stale`] past their TTL (bounded staleness); after that the entry is gone
//!   and the fetch error is returned.
//! - Waiting is bounded: a caller waits at most for one in-flight fetch, whose total time is
//!   bounded by the fetcher's timeout.
//!
//! The hit path clones one `Arc` and allocates nothing.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use core::future::Future;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use core::time::Duration;
use std::sync::{Mutex, RwLock};

use super::fetch::FetchError;
#[cfg(doc)]
use crate::time::ManualClock;
use crate::time::{SystemClock, TimeSource};

/// Timing and size policy of a [`KeyCache`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheConfig {
    /// How long a fetched document is used without refetching. Default 3600 s.
    pub ttl: Duration,
    /// Minimum time between two fetch attempts on one endpoint (successful or not).
    /// Default 10 s.
    pub cooldown: Duration,
    /// How long past `ttl` cached keys are still served while refreshes fail. Default 3600 s.
    pub max_stale: Duration,
    /// Maximum number of cached documents (URLs). Default 1000.
    pub max_entries: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            ttl: Duration::from_secs(3600),
            cooldown: Duration::from_secs(10),
            max_stale: Duration::from_secs(3600),
            max_entries: 1000,
        }
    }
}

/// Why the cache could not produce a document holding the wanted key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CacheError {
    /// The endpoint was just fetched (by this call or a concurrent one) and the key is not in
    /// it.
    #[error("the key id is not in the key set")]
    KidNotFound,
    /// The key is not in the cached document and the endpoint's cool-down window (started by
    /// an earlier fetch) forbids refetching yet: negatively cached.
    #[error("the key id is not in the cached key set and the refetch cool-down has not ended")]
    CoolingDown,
    /// No usable document is cached and fetching failed (now or within the cool-down window).
    #[error(transparent)]
    Fetch(FetchError),
    /// No usable document is cached and none was fetched (no-I/O mode, or cooling down after a
    /// failure whose error is no longer known).
    #[error("keys for {0} are not in the cache")]
    NotCached(String),
}

impl CacheError {
    /// The stable machine-readable kind: the variant name (`"KidNotFound"`, `"CoolingDown"`, ...), per the
    /// [error-kind contract](crate::error_kind). Never formats the variant's data.
    pub fn kind(&self) -> &'static str {
        crate::error_kind::variant_kind!(self, CacheError { KidNotFound, CoolingDown, Fetch(..), NotCached(..) })
    }
}

/// One cached, parsed document.
#[derive(Debug)]
pub struct Cached<T> {
    /// The parsed document (e.g. a `JwkSet`).
    pub value: T,
    fetched_at_ms: u64,
}

/// Per-endpoint fetch coordination: coalescing mutex, generation counter, cool-down stamp.
#[derive(Debug, Default)]
pub struct FetchGate {
    lock: tokio::sync::Mutex<()>,
    generation: AtomicU64,
    /// Milliseconds since the cache epoch of the last fetch start, plus one; 0 = never.
    last_attempt_ms: AtomicU64,
    in_flight: AtomicBool,
    fetches: AtomicU64,
    last_error: Mutex<Option<FetchError>>,
}

enum GateOutcome<T> {
    Fetched(Result<T, FetchError>),
    Coalesced,
    CoolingDown,
}

struct InFlight<'a>(&'a FetchGate);
impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.generation.fetch_add(1, Ordering::AcqRel);
        self.0.in_flight.store(false, Ordering::Release);
    }
}

impl FetchGate {
    /// How many fetches this gate has started.
    pub fn fetch_count(&self) -> u64 {
        self.fetches.load(Ordering::Acquire)
    }

    fn cooling_down(&self, now_ms: u64, cooldown: Duration) -> bool {
        let last = self.last_attempt_ms.load(Ordering::Acquire);
        last != 0 && now_ms.saturating_sub(last.saturating_sub(1)) < millis(cooldown)
    }

    fn last_error(&self) -> Option<FetchError> {
        self.last_error.lock().ok().and_then(|g| g.clone())
    }

    /// Under the lock: decide whether to fetch; if so stamp the attempt.
    fn admit(&self, observed_gen: u64, now_ms: u64, cooldown: Duration) -> Option<InFlight<'_>> {
        if self.generation.load(Ordering::Acquire) != observed_gen {
            return None;
        }
        if self.cooling_down(now_ms, cooldown) {
            return None;
        }
        self.last_attempt_ms
            .store(now_ms.saturating_add(1), Ordering::Release);
        self.in_flight.store(true, Ordering::Release);
        self.fetches.fetch_add(1, Ordering::AcqRel);
        Some(InFlight(self))
    }

    fn record<T>(&self, r: &Result<T, FetchError>) {
        if let Ok(mut g) = self.last_error.lock() {
            *g = r.as_ref().err().cloned();
        }
    }

    fn run_blocking<T>(
        &self,
        observed_gen: u64,
        clock: &dyn TimeSource,
        cooldown: Duration,
        fetch: impl FnOnce() -> Result<T, FetchError>,
    ) -> GateOutcome<T> {
        let _guard = self.lock.blocking_lock();
        let moved = self.generation.load(Ordering::Acquire) != observed_gen;
        match self.admit(observed_gen, clock.monotonic_ms(), cooldown) {
            Some(flight) => {
                let r = fetch();
                self.record(&r);
                drop(flight);
                GateOutcome::Fetched(r)
            }
            None if moved => GateOutcome::Coalesced,
            None => GateOutcome::CoolingDown,
        }
    }

    async fn run_async<T, F: Future<Output = Result<T, FetchError>>>(
        &self,
        observed_gen: u64,
        clock: &dyn TimeSource,
        cooldown: Duration,
        fetch: impl FnOnce() -> F,
    ) -> GateOutcome<T> {
        let _guard = self.lock.lock().await;
        let moved = self.generation.load(Ordering::Acquire) != observed_gen;
        match self.admit(observed_gen, clock.monotonic_ms(), cooldown) {
            Some(flight) => {
                let r = fetch().await;
                self.record(&r);
                drop(flight);
                GateOutcome::Fetched(r)
            }
            None if moved => GateOutcome::Coalesced,
            None => GateOutcome::CoolingDown,
        }
    }
}

/// Outcome of the no-I/O part of a lookup.
enum Probe<T> {
    Hit(Arc<Cached<T>>),
    Done(Result<Arc<Cached<T>>, CacheError>),
    Miss {
        entry: Option<Arc<Cached<T>>>,
        gate: Arc<FetchGate>,
        generation: u64,
    },
}

/// A cache of parsed key documents of type `T`, keyed by URL, with per-endpoint fetch gates.
///
/// `T` is produced by the caller's fetch closure (which fetches and parses), so no key is
/// parsed on a hit. `Send + Sync`; share it behind an `Arc` or inside a verifier.
pub struct KeyCache<T> {
    cfg: CacheConfig,
    entries: moka::sync::Cache<String, Arc<Cached<T>>>,
    gates: RwLock<BTreeMap<String, Arc<FetchGate>>>,
    clock: Arc<dyn TimeSource>,
}

impl<T> core::fmt::Debug for KeyCache<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyCache")
            .field("cfg", &self.cfg)
            .field("entries", &self.entries.entry_count())
            .finish()
    }
}

impl<T: Send + Sync + 'static> KeyCache<T> {
    /// An empty cache with this policy, on the system clock.
    pub fn new(cfg: CacheConfig) -> Self {
        Self::with_time_source(cfg, SystemClock::shared())
    }

    /// An empty cache with this policy whose TTLs and cool-downs run on `clock`'s monotonic
    /// reading (tests and simulations: a [`ManualClock`]).
    pub fn with_time_source(cfg: CacheConfig, clock: Arc<dyn TimeSource>) -> Self {
        let live = cfg
            .ttl
            .saturating_add(cfg.max_stale)
            .max(Duration::from_millis(1));
        let entries = moka::sync::Cache::builder()
            .max_capacity(cfg.max_entries)
            .time_to_live(live)
            .build();
        KeyCache {
            cfg,
            entries,
            gates: RwLock::new(BTreeMap::new()),
            clock,
        }
    }

    /// The policy in force.
    pub fn config(&self) -> &CacheConfig {
        &self.cfg
    }

    /// The gate of an endpoint (created on first use). Gate keys come from configuration
    /// (JWKS URIs, ALB key endpoints), never from tokens, so this map stays small.
    pub fn gate(&self, gate_key: &str) -> Arc<FetchGate> {
        if let Ok(g) = self.gates.read() {
            if let Some(gate) = g.get(gate_key) {
                return Arc::clone(gate);
            }
        }
        match self.gates.write() {
            Ok(mut g) => Arc::clone(g.entry(gate_key.to_string()).or_default()),
            Err(_) => Arc::new(FetchGate::default()),
        }
    }

    /// Stores a document fetched or supplied by other means (e.g. `hydrate` from a file),
    /// as fresh now.
    pub fn insert(&self, url: &str, value: T) -> Arc<Cached<T>> {
        let entry = Arc::new(Cached {
            value,
            fetched_at_ms: self.clock.monotonic_ms(),
        });
        self.entries.insert(url.to_string(), Arc::clone(&entry));
        entry
    }

    fn age_ms(&self, e: &Cached<T>) -> u64 {
        self.clock.monotonic_ms().saturating_sub(e.fetched_at_ms)
    }

    fn is_fresh(&self, e: &Cached<T>) -> bool {
        self.age_ms(e) < millis(self.cfg.ttl)
    }

    fn is_usable(&self, e: &Cached<T>) -> bool {
        self.age_ms(e) < millis(self.cfg.ttl.saturating_add(self.cfg.max_stale))
    }

    /// Without I/O: the cached document at `url` if it is fresh (younger than
    /// [`CacheConfig::ttl`]).
    pub fn get_fresh(&self, url: &str) -> Option<Arc<Cached<T>>> {
        self.entries.get(url).filter(|e| self.is_fresh(e))
    }

    /// Without I/O: the cached document at `url` if it is usable (fresh, or stale within
    /// [`CacheConfig::max_stale`]).
    pub fn get_usable(&self, url: &str) -> Option<Arc<Cached<T>>> {
        self.entries.get(url).filter(|e| self.is_usable(e))
    }

    /// Drops the document at `url` (e.g. the endpoint now answers 404 for it).
    pub fn remove(&self, url: &str) {
        self.entries.invalidate(url);
    }

    /// Without I/O: the cached document at `url` if it is usable (fresh, or stale within
    /// `max_stale`) and `has` accepts it.
    ///
    /// Errors: [`CacheError::KidNotFound`] when a usable document lacks the key,
    /// [`CacheError::NotCached`] when there is none.
    pub fn get_cached(
        &self,
        url: &str,
        has: impl Fn(&T) -> bool,
    ) -> Result<Arc<Cached<T>>, CacheError> {
        match self.entries.get(url) {
            Some(e) if self.is_usable(&e) && has(&e.value) => Ok(e),
            Some(e) if self.is_usable(&e) => Err(CacheError::KidNotFound),
            _ => Err(CacheError::NotCached(url.to_string())),
        }
    }

    /// The no-I/O part of [`KeyCache::get_blocking`]: `Some(result)` when the lookup is decided
    /// without fetching (a fresh document holding the key, or a refusal during the endpoint's
    /// cool-down: exactly what `get_blocking` would return), `None` when it would fetch (then
    /// call `get_blocking` or `get_async`, off any event loop). Unlike
    /// [`KeyCache::get_cached`], never serves a document older than the TTL, so a warm path built
    /// on it keeps the refresh policy of the blocking path.
    pub fn get_without_fetch(
        &self,
        url: &str,
        gate_key: &str,
        has: impl Fn(&T) -> bool,
    ) -> Option<Result<Arc<Cached<T>>, CacheError>> {
        match self.probe(url, gate_key, &has) {
            Probe::Hit(e) => Some(Ok(e)),
            Probe::Done(r) => Some(r),
            Probe::Miss { .. } => None,
        }
    }

    /// Decides what to do without fetching.
    fn no_fetch(
        &self,
        url: &str,
        entry: Option<Arc<Cached<T>>>,
        gate: &FetchGate,
        has: &impl Fn(&T) -> bool,
        cooling: bool,
    ) -> Result<Arc<Cached<T>>, CacheError> {
        match entry {
            Some(e) if self.is_usable(&e) && has(&e.value) => Ok(e),
            Some(e) if self.is_usable(&e) && cooling => Err(CacheError::CoolingDown),
            Some(e) if self.is_usable(&e) => Err(CacheError::KidNotFound),
            // Nothing usable for this URL: report the endpoint's last fetch failure, else the
            // cool-down (a refetch is not allowed yet), else plain absence.
            _ => Err(match gate.last_error() {
                Some(err) => CacheError::Fetch(err),
                None if cooling => CacheError::CoolingDown,
                None => CacheError::NotCached(url.to_string()),
            }),
        }
    }

    fn probe(&self, url: &str, gate_key: &str, has: &impl Fn(&T) -> bool) -> Probe<T> {
        let entry = self.entries.get(url);
        if let Some(e) = &entry {
            if self.is_fresh(e) && has(&e.value) {
                return Probe::Hit(Arc::clone(e));
            }
        }
        let gate = self.gate(gate_key);
        let generation = gate.generation.load(Ordering::Acquire);
        if gate.cooling_down(self.clock.monotonic_ms(), self.cfg.cooldown)
            && !gate.in_flight.load(Ordering::Acquire)
        {
            return Probe::Done(self.no_fetch(url, entry, &gate, has, true));
        }
        Probe::Miss {
            entry,
            gate,
            generation,
        }
    }

    fn settle(
        &self,
        url: &str,
        entry: Option<Arc<Cached<T>>>,
        gate: &FetchGate,
        outcome: GateOutcome<Arc<Cached<T>>>,
        has: &impl Fn(&T) -> bool,
    ) -> Result<Arc<Cached<T>>, CacheError> {
        match outcome {
            GateOutcome::Fetched(Ok(e)) => {
                if has(&e.value) {
                    Ok(e)
                } else {
                    Err(CacheError::KidNotFound)
                }
            }
            GateOutcome::Fetched(Err(err)) => match entry {
                Some(e) if self.is_usable(&e) && has(&e.value) => Ok(e),
                _ => Err(CacheError::Fetch(err)),
            },
            GateOutcome::Coalesced => {
                let latest = self.entries.get(url).or(entry);
                self.no_fetch(url, latest, gate, has, false)
            }
            GateOutcome::CoolingDown => {
                let latest = self.entries.get(url).or(entry);
                self.no_fetch(url, latest, gate, has, true)
            }
        }
    }

    /// Blocking lookup: a document at `url` for which `has` is true, fetching through the gate
    /// `gate_key` with `fetch` (which fetches and parses) when needed and allowed.
    ///
    /// Errors: [`CacheError::KidNotFound`] (just fetched, key absent),
    /// [`CacheError::CoolingDown`] (key absent, refetch not yet allowed),
    /// [`CacheError::Fetch`] (fetch failed and nothing usable cached),
    /// [`CacheError::NotCached`].
    pub fn get_blocking(
        &self,
        url: &str,
        gate_key: &str,
        has: impl Fn(&T) -> bool,
        fetch: impl FnOnce() -> Result<T, FetchError>,
    ) -> Result<Arc<Cached<T>>, CacheError> {
        match self.probe(url, gate_key, &has) {
            Probe::Hit(e) => Ok(e),
            Probe::Done(r) => r,
            Probe::Miss {
                entry,
                gate,
                generation,
            } => {
                // Insert before the gate's generation moves, so a waiter that sees the new
                // generation also sees the new entry.
                let outcome =
                    gate.run_blocking(generation, &*self.clock, self.cfg.cooldown, || {
                        fetch().map(|v| self.insert(url, v))
                    });
                self.settle(url, entry, &gate, outcome, &has)
            }
        }
    }

    /// Async form of [`KeyCache::get_blocking`]; same policy and errors.
    pub async fn get_async<F: Future<Output = Result<T, FetchError>>>(
        &self,
        url: &str,
        gate_key: &str,
        has: impl Fn(&T) -> bool,
        fetch: impl FnOnce() -> F,
    ) -> Result<Arc<Cached<T>>, CacheError> {
        match self.probe(url, gate_key, &has) {
            Probe::Hit(e) => Ok(e),
            Probe::Done(r) => r,
            Probe::Miss {
                entry,
                gate,
                generation,
            } => {
                let outcome = gate
                    .run_async(generation, &*self.clock, self.cfg.cooldown, || async {
                        fetch().await.map(|v| self.insert(url, v))
                    })
                    .await;
                self.settle(url, entry, &gate, outcome, &has)
            }
        }
    }
}

/// Policy of a [`KidFetchGate`]. The window length is the cache's [`CacheConfig::cooldown`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KidGateConfig {
    /// Fetches per cool-down window for any kid not cached, first come, first served.
    /// Default 2.
    pub fresh_budget: u32,
    /// Further fetches per window only for a kid asked for again within two windows of an
    /// earlier request that was refused (a flood of random kids, each sent once, never spends
    /// them). Default 1.
    pub repeat_budget: u32,
    /// How long a kid the endpoint answered 403/404 for is refused without I/O. Default 60 s.
    pub negative_ttl: Duration,
    /// Maximum number of negatively cached kids. Default 1024 (entries only come from fetches,
    /// so at most [`KidGateConfig::fetches_per_window`] per window are added).
    pub negative_capacity: u64,
    /// Maximum number of recently refused kids remembered to recognise a repeat (least
    /// recently used dropped first). Default 8192: under a flood of `R` new kids per second a
    /// kid must be asked for again within about `8192 / R` seconds to count as a repeat.
    pub seen_capacity: u64,
}

impl Default for KidGateConfig {
    fn default() -> Self {
        KidGateConfig {
            fresh_budget: 2,
            repeat_budget: 1,
            negative_ttl: Duration::from_secs(60),
            negative_capacity: 1024,
            seen_capacity: 8192,
        }
    }
}

impl KidGateConfig {
    /// The most fetches one cool-down window can start: `fresh_budget + repeat_budget`
    /// (default 3). Over any period `T` a gate starts at most
    /// `fetches_per_window() * (floor(T / cooldown) + 1)` fetches.
    pub fn fetches_per_window(&self) -> u64 {
        u64::from(self.fresh_budget) + u64::from(self.repeat_budget)
    }
}

/// What a [`KidFetchGate`] lets a caller do for one kid.
#[derive(Debug)]
pub enum KidAdmission<'g> {
    /// Fetch now; report the outcome with [`KidFlight::not_found`] or just drop the flight
    /// after storing the key (dropping ends the flight and wakes the waiters).
    Fetch(KidFlight<'g>),
    /// A fetch of this kid is in flight: wait on the lock (it is released when that fetch
    /// ends), then look in the cache again.
    Wait(Arc<tokio::sync::Mutex<()>>),
    /// The endpoint answered 403/404 for this kid less than `negative_ttl` ago.
    NotFound,
    /// The window's budget is spent: refused without I/O.
    OverBudget,
}

#[derive(Debug, Default)]
struct KidWindow {
    start_ms: Option<u64>,
    fresh: u32,
    repeat: u32,
    in_flight: BTreeMap<String, Arc<tokio::sync::Mutex<()>>>,
}

/// An admitted fetch of one kid. Dropping it ends the flight: waiters wake and re-read the
/// cache.
#[derive(Debug)]
pub struct KidFlight<'g> {
    gate: &'g KidFetchGate,
    kid: String,
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl KidFlight<'_> {
    /// Records that the endpoint does not know the kid (HTTP 403/404): refused without I/O for
    /// `negative_ttl`.
    pub fn not_found(&self) {
        let until = self
            .gate
            .clock
            .monotonic_ms()
            .saturating_add(millis(self.gate.cfg.negative_ttl));
        self.gate.negative.insert(self.kid.clone(), until);
    }
}

impl Drop for KidFlight<'_> {
    fn drop(&mut self) {
        if let Ok(mut w) = self.gate.state.lock() {
            w.in_flight.remove(&self.kid);
        }
    }
}

/// Fetch admission for endpoints that serve one key per kid (ALB public keys at
/// `{endpoint}/{kid}`), where every kid a request names could mean one fetch.
///
/// Policy, per cool-down window `W` (the first request after the previous window ended opens
/// the next one):
///
/// - A kid the endpoint answered 403/404 for is negatively cached for
///   [`KidGateConfig::negative_ttl`] (bounded moka cache): refused without I/O.
/// - Concurrent requests for one kid coalesce onto one fetch ([`KidAdmission::Wait`]).
/// - At most [`KidGateConfig::fresh_budget`] fetches start per window for any kids, first come
///   first served, plus at most [`KidGateConfig::repeat_budget`] for kids that were refused
///   over budget and are asked for again within `2 W`. A flood of random kids spends the fresh
///   budget as soon as a window opens, but each random kid is sent once, so the repeat budget
///   stays for a real kid: legitimate clients send a newly rotated kid on every request, and
///   its second request is admitted in the same window (or, if another real new kid took the
///   slot, at the start of the next), so it is fetched within one cool-down of its first use.
/// - Bound: at most [`KidGateConfig::fetches_per_window`] fetches per window, so at most
///   `fetches_per_window * (floor(T / W) + 1)` over any period `T`, whatever the requests.
///
/// Limit: an attacker who sends each invented kid at least twice competes for the repeat
/// budget too (each such kid wins at most once per `negative_ttl`); the bound on fetches holds
/// regardless. Memory is bounded by the two capacities plus one entry per fetch in flight.
#[derive(Debug)]
pub struct KidFetchGate {
    cfg: KidGateConfig,
    cooldown_ms: u64,
    clock: Arc<dyn TimeSource>,
    negative: moka::sync::Cache<String, u64>,
    seen: moka::sync::Cache<String, u64>,
    state: Mutex<KidWindow>,
    fetches: AtomicU64,
}

impl KidFetchGate {
    /// A gate with windows of `cooldown`, on the system's monotonic clock.
    pub fn new(cfg: KidGateConfig, cooldown: Duration) -> Self {
        Self::with_time_source(cfg, cooldown, SystemClock::shared())
    }

    /// A gate with windows of `cooldown` on `clock`'s monotonic reading (tests: a
    /// [`ManualClock`] the caller advances).
    pub fn with_time_source(
        cfg: KidGateConfig,
        cooldown: Duration,
        clock: Arc<dyn TimeSource>,
    ) -> Self {
        // Expiry is checked against the gate's clock; moka's own time-to-live (wall time)
        // only frees memory a little after that.
        let negative = moka::sync::Cache::builder()
            .max_capacity(cfg.negative_capacity)
            .time_to_live(cfg.negative_ttl.max(Duration::from_millis(1)))
            .eviction_policy(moka::policy::EvictionPolicy::lru())
            .build();
        let seen = moka::sync::Cache::builder()
            .max_capacity(cfg.seen_capacity)
            .time_to_live(cooldown.saturating_mul(2).max(Duration::from_millis(1)))
            .eviction_policy(moka::policy::EvictionPolicy::lru())
            .build();
        KidFetchGate {
            cooldown_ms: millis(cooldown),
            cfg,
            clock,
            negative,
            seen,
            state: Mutex::new(KidWindow::default()),
            fetches: AtomicU64::new(0),
        }
    }

    /// The policy in force.
    pub fn config(&self) -> &KidGateConfig {
        &self.cfg
    }

    /// How many fetches this gate has admitted.
    pub fn fetch_count(&self) -> u64 {
        self.fetches.load(Ordering::Acquire)
    }

    /// True when `kid` is negatively cached (the endpoint answered 403/404 for it less than
    /// `negative_ttl` ago).
    pub fn is_not_found(&self, kid: &str) -> bool {
        self.negative
            .get(kid)
            .is_some_and(|until| until > self.clock.monotonic_ms())
    }

    /// Decides, without I/O, what a request for `kid` (not in the cache, or stale) may do.
    pub fn admit(&self, kid: &str) -> KidAdmission<'_> {
        let now = self.clock.monotonic_ms();
        if let Some(until) = self.negative.get(kid) {
            if until > now {
                return KidAdmission::NotFound;
            }
            self.negative.invalidate(kid);
        }
        let Ok(mut w) = self.state.lock() else {
            // A panic while holding the lock: fail closed, without I/O.
            return KidAdmission::OverBudget;
        };
        if let Some(lock) = w.in_flight.get(kid) {
            return KidAdmission::Wait(Arc::clone(lock));
        }
        if w.start_ms
            .is_none_or(|start| now.saturating_sub(start) >= self.cooldown_ms)
        {
            w.start_ms = Some(now);
            w.fresh = 0;
            w.repeat = 0;
        }
        let admitted = if w.fresh < self.cfg.fresh_budget {
            w.fresh += 1;
            true
        } else if w.repeat < self.cfg.repeat_budget
            && self
                .seen
                .get(kid)
                .is_some_and(|t| now.saturating_sub(t) < self.cooldown_ms.saturating_mul(2))
        {
            w.repeat += 1;
            true
        } else {
            false
        };
        if !admitted {
            drop(w);
            self.seen.insert(kid.to_string(), now);
            return KidAdmission::OverBudget;
        }
        let lock = Arc::new(tokio::sync::Mutex::new(()));
        let Ok(guard) = Arc::clone(&lock).try_lock_owned() else {
            return KidAdmission::OverBudget;
        };
        w.in_flight.insert(kid.to_string(), lock);
        drop(w);
        self.seen.invalidate(kid);
        self.fetches.fetch_add(1, Ordering::AcqRel);
        KidAdmission::Fetch(KidFlight {
            gate: self,
            kid: kid.to_string(),
            _guard: guard,
        })
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::ManualClock;
    use alloc::vec;
    use alloc::vec::Vec;
    use std::sync::atomic::AtomicUsize;

    fn cfg(ttl_ms: u64, cooldown_ms: u64, stale_ms: u64) -> CacheConfig {
        CacheConfig {
            ttl: Duration::from_millis(ttl_ms),
            cooldown: Duration::from_millis(cooldown_ms),
            max_stale: Duration::from_millis(stale_ms),
            max_entries: 100,
        }
    }

    fn has(kid: &'static str) -> impl Fn(&Vec<&'static str>) -> bool {
        move |v| v.contains(&kid)
    }

    #[test]
    fn hit_after_first_fetch_and_cooldown_bounds_unknown_kids() {
        let c: KeyCache<Vec<&'static str>> = KeyCache::new(cfg(60_000, 60_000, 0));
        let n = AtomicUsize::new(0);
        let f = || {
            n.fetch_add(1, Ordering::SeqCst);
            Ok(vec!["a"])
        };
        assert!(c.get_blocking("u", "u", has("a"), f).is_ok());
        assert!(c
            .get_blocking("u", "u", has("a"), || unreachable!())
            .is_ok());
        for _ in 0..1000 {
            let r = c.get_blocking("u", "u", has("zzz"), || {
                n.fetch_add(1, Ordering::SeqCst);
                Ok(vec!["a"])
            });
            assert_eq!(r.unwrap_err(), CacheError::CoolingDown);
        }
        assert_eq!(n.load(Ordering::SeqCst), 1);
        assert_eq!(c.gate("u").fetch_count(), 1);
    }

    #[test]
    fn refetch_after_cooldown_finds_rotated_kid() {
        let c: KeyCache<Vec<&'static str>> = KeyCache::new(cfg(60_000, 30, 0));
        assert!(c.get_blocking("u", "u", has("a"), || Ok(vec!["a"])).is_ok());
        std::thread::sleep(Duration::from_millis(40));
        let e = c
            .get_blocking("u", "u", has("b"), || Ok(vec!["b"]))
            .unwrap();
        assert_eq!(e.value, vec!["b"]);
        // "a" was removed by the rotation, and the cool-down forbids another fetch.
        assert_eq!(
            c.get_blocking("u", "u", has("a"), || Ok(vec!["a"]))
                .unwrap_err(),
            CacheError::CoolingDown
        );
    }

    #[test]
    fn failing_refresh_serves_stale_within_bound() {
        let c: KeyCache<Vec<&'static str>> = KeyCache::new(cfg(20, 0, 200));
        assert!(c.get_blocking("u", "u", has("a"), || Ok(vec!["a"])).is_ok());
        std::thread::sleep(Duration::from_millis(30));
        let boom = || {
            Err(FetchError::Status {
                url: "u".into(),
                status: 500,
            })
        };
        assert!(
            c.get_blocking("u", "u", has("a"), boom).is_ok(),
            "stale key served"
        );
        std::thread::sleep(Duration::from_millis(220));
        assert!(matches!(
            c.get_blocking("u", "u", has("a"), boom),
            Err(CacheError::Fetch(_))
        ));
    }

    #[test]
    fn failure_without_cache_is_cooled_down() {
        let c: KeyCache<Vec<&'static str>> = KeyCache::new(cfg(60_000, 60_000, 0));
        let n = AtomicUsize::new(0);
        for _ in 0..50 {
            let r = c.get_blocking("u", "u", has("a"), || {
                n.fetch_add(1, Ordering::SeqCst);
                Err(FetchError::Status {
                    url: "u".into(),
                    status: 500,
                })
            });
            assert!(matches!(
                r,
                Err(CacheError::Fetch(FetchError::Status { status: 500, .. }))
            ));
        }
        assert_eq!(n.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn concurrent_misses_coalesce() {
        let c: Arc<KeyCache<Vec<&'static str>>> = Arc::new(KeyCache::new(cfg(60_000, 0, 0)));
        let n = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let c = Arc::clone(&c);
                let n = Arc::clone(&n);
                std::thread::spawn(move || {
                    c.get_blocking("u", "u", has("a"), || {
                        n.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(100));
                        Ok(vec!["a"])
                    })
                    .is_ok()
                })
            })
            .collect();
        for t in threads {
            assert!(t.join().unwrap());
        }
        assert_eq!(
            n.load(Ordering::SeqCst),
            1,
            "cool-down 0 yet one fetch: coalesced"
        );
    }

    #[test]
    fn other_url_on_a_cooling_gate_is_cooling_down_not_a_fetch_error() {
        // ALB keys: one URL per kid, one gate per endpoint. Right after a successful fetch of
        // kid "u", an unknown kid "v" must be refused as cooling down (not "not cached").
        let c: KeyCache<Vec<&'static str>> = KeyCache::new(cfg(60_000, 60_000, 0));
        assert!(c
            .get_blocking("u", "gate", has("a"), || Ok(vec!["a"]))
            .is_ok());
        let r = c.get_blocking("v", "gate", has("a"), || Ok(vec!["a"]));
        assert_eq!(r.unwrap_err(), CacheError::CoolingDown);
    }

    fn kid_gate(cooldown_ms: u64) -> (KidFetchGate, Arc<ManualClock>) {
        let clock = Arc::new(ManualClock::new());
        let g = KidFetchGate::with_time_source(
            KidGateConfig {
                negative_ttl: Duration::from_millis(5_000),
                ..KidGateConfig::default()
            },
            Duration::from_millis(cooldown_ms),
            Arc::clone(&clock) as Arc<dyn TimeSource>,
        );
        (g, clock)
    }

    fn kind(a: &KidAdmission<'_>) -> &'static str {
        match a {
            KidAdmission::Fetch(_) => "fetch",
            KidAdmission::Wait(_) => "wait",
            KidAdmission::NotFound => "not-found",
            KidAdmission::OverBudget => "over-budget",
        }
    }

    #[test]
    fn kid_gate_budgets_repeat_slot_and_windows() {
        let (g, clock) = kid_gate(1_000);
        // Two first-come fetches, then refusals for new kids however many.
        for k in ["a", "b"] {
            assert_eq!(kind(&g.admit(k)), "fetch");
        }
        for i in 0..1000 {
            assert_eq!(kind(&g.admit(&alloc::format!("flood{i}"))), "over-budget");
        }
        // A kid refused once and asked for again takes the kept slot; the next repeat waits.
        assert_eq!(kind(&g.admit("real")), "over-budget");
        clock.advance(Duration::from_millis(10));
        assert_eq!(kind(&g.admit("real")), "fetch");
        assert_eq!(kind(&g.admit("flood5")), "over-budget", "repeat slot spent");
        assert_eq!(g.fetch_count(), 3);
        // The next window reopens both budgets.
        clock.advance(Duration::from_millis(1_000));
        assert_eq!(kind(&g.admit("c")), "fetch");
        assert_eq!(g.fetch_count(), 4);
        // A sighting older than two windows is not a repeat.
        let (g, clock) = kid_gate(1_000);
        let _ = (g.admit("x"), g.admit("y"));
        assert_eq!(kind(&g.admit("old")), "over-budget");
        clock.advance(Duration::from_millis(2_500));
        let _ = (g.admit("x2"), g.admit("y2"));
        assert_eq!(kind(&g.admit("old")), "over-budget");
    }

    #[test]
    fn kid_gate_coalesces_and_caches_not_found() {
        let (g, clock) = kid_gate(1_000);
        let flight = match g.admit("k") {
            KidAdmission::Fetch(f) => f,
            other => panic!("{}", kind(&other)),
        };
        let lock = match g.admit("k") {
            KidAdmission::Wait(l) => l,
            other => panic!("{}", kind(&other)),
        };
        assert!(lock.try_lock().is_err(), "held while the fetch runs");
        flight.not_found();
        drop(flight);
        assert!(lock.try_lock().is_ok(), "released when the flight ends");
        assert!(g.is_not_found("k"));
        // Negatively cached across windows until negative_ttl, then fetchable again.
        for _ in 0..4 {
            clock.advance(Duration::from_millis(1_000));
            assert_eq!(kind(&g.admit("k")), "not-found");
        }
        clock.advance(Duration::from_millis(1_001));
        assert!(!g.is_not_found("k"));
        assert_eq!(kind(&g.admit("k")), "fetch");
        assert_eq!(g.fetch_count(), 2);
    }

    #[test]
    fn without_fetch_decides_only_what_needs_no_io() {
        let c: KeyCache<Vec<&'static str>> = KeyCache::new(cfg(30, 60_000, 60_000));
        assert!(
            c.get_without_fetch("u", "u", has("a")).is_none(),
            "cold: would fetch"
        );
        assert!(c.get_blocking("u", "u", has("a"), || Ok(vec!["a"])).is_ok());
        assert!(matches!(
            c.get_without_fetch("u", "u", has("a")),
            Some(Ok(_))
        ));
        // Unknown kid inside the cool-down: refused without I/O, as get_blocking would.
        assert_eq!(
            c.get_without_fetch("u", "u", has("b"))
                .unwrap()
                .unwrap_err(),
            CacheError::CoolingDown
        );
        // Past the TTL (still usable as stale), the warm path defers to a fetch.
        std::thread::sleep(Duration::from_millis(40));
        assert!(c.get_cached("u", has("a")).is_ok());
        let c2: KeyCache<Vec<&'static str>> = KeyCache::new(cfg(30, 0, 60_000));
        c2.insert("u", vec!["a"]);
        std::thread::sleep(Duration::from_millis(40));
        assert!(
            c2.get_without_fetch("u", "u", has("a")).is_none(),
            "stale: would refresh"
        );
    }

    #[test]
    fn async_path() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let c: KeyCache<Vec<&'static str>> = KeyCache::new(cfg(60_000, 60_000, 0));
        rt.block_on(async {
            assert!(c
                .get_async("u", "u", has("a"), || async { Ok(vec!["a"]) })
                .await
                .is_ok());
            let r = c
                .get_async("u", "u", has("b"), || async { Ok(vec!["b"]) })
                .await;
            assert_eq!(r.unwrap_err(), CacheError::CoolingDown);
        });
        assert!(c.get_cached("u", has("a")).is_ok());
        assert_eq!(
            c.get_cached("v", has("a")).unwrap_err(),
            CacheError::NotCached("v".into())
        );
    }
}
