//! A flood-proof cache of parsed key documents (JWKS, ALB public keys) keyed by URL (std only).
//!
//! Design (issue 3, "a JWKS cache that cannot be turned against us"):
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
use std::time::Instant;

use super::fetch::FetchError;

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
        clock: &Clock,
        cooldown: Duration,
        fetch: impl FnOnce() -> Result<T, FetchError>,
    ) -> GateOutcome<T> {
        let _guard = self.lock.blocking_lock();
        let moved = self.generation.load(Ordering::Acquire) != observed_gen;
        match self.admit(observed_gen, clock.now_ms(), cooldown) {
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
        clock: &Clock,
        cooldown: Duration,
        fetch: impl FnOnce() -> F,
    ) -> GateOutcome<T> {
        let _guard = self.lock.lock().await;
        let moved = self.generation.load(Ordering::Acquire) != observed_gen;
        match self.admit(observed_gen, clock.now_ms(), cooldown) {
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

#[derive(Debug)]
struct Clock(Instant);
impl Clock {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.0.elapsed().as_millis()).unwrap_or(u64::MAX)
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
    clock: Clock,
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
    /// An empty cache with this policy.
    pub fn new(cfg: CacheConfig) -> Self {
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
            clock: Clock(Instant::now()),
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
            fetched_at_ms: self.clock.now_ms(),
        });
        self.entries.insert(url.to_string(), Arc::clone(&entry));
        entry
    }

    fn age_ms(&self, e: &Cached<T>) -> u64 {
        self.clock.now_ms().saturating_sub(e.fetched_at_ms)
    }

    fn is_fresh(&self, e: &Cached<T>) -> bool {
        self.age_ms(e) < millis(self.cfg.ttl)
    }

    fn is_usable(&self, e: &Cached<T>) -> bool {
        self.age_ms(e) < millis(self.cfg.ttl.saturating_add(self.cfg.max_stale))
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
        if gate.cooling_down(self.clock.now_ms(), self.cfg.cooldown)
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
                let outcome = gate.run_blocking(generation, &self.clock, self.cfg.cooldown, || {
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
                    .run_async(generation, &self.clock, self.cfg.cooldown, || async {
                        fetch().await.map(|v| self.insert(url, v))
                    })
                    .await;
                self.settle(url, entry, &gate, outcome, &has)
            }
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
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
