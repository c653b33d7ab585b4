//! The crate's one time source: wall-clock unix seconds (token expiry, `exp` / `nbf` / `iat`
//! checks) and a monotonic millisecond reading (key cache TTLs, refetch cool-downs, negative
//! caching), behind one trait so that tests and simulations can drive both without sleeping.
//!
//! Modelled on rustls's `TimeProvider` (`rustls/src/time_provider.rs`): the library never reads
//! the system clock except through [`SystemClock`], and every component that needs the time
//! takes an `Arc<dyn TimeSource>` (default: [`SystemClock`]).
//!
//! One rule for a clock set before 1970: [`TimeSource::unix_seconds`] returns
//! [`ClockBeforeEpoch`], and every verifier refuses to decide (an error, never unix time 0,
//! which would make every `exp` lie in the future).

use core::fmt;

/// The system clock reads a time before 1970-01-01T00:00:00Z (unix time 0): expiry cannot be
/// checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the system clock is before 1970-01-01 (unix time 0)")]
pub struct ClockBeforeEpoch;

/// Where the crate reads the time. `Send + Sync`: shared by every thread of a verifier.
pub trait TimeSource: Send + Sync + fmt::Debug {
    /// Wall-clock time in whole unix seconds (UTC, leap seconds not counted, as JWT
    /// NumericDate, RFC 7519 §2).
    ///
    /// # Errors
    /// [`ClockBeforeEpoch`] when the clock is before 1970.
    fn unix_seconds(&self) -> Result<u64, ClockBeforeEpoch>;

    /// Milliseconds since an arbitrary, fixed start; never goes backwards. Used for durations
    /// (cache TTLs, cool-downs), never compared with token times.
    fn monotonic_ms(&self) -> u64;
}

/// The operating system's clocks: `std::time::SystemTime` for unix seconds and
/// `std::time::Instant` (from construction) for the monotonic reading.
#[cfg(feature = "std")]
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    start: std::time::Instant,
}

#[cfg(feature = "std")]
impl SystemClock {
    /// A system clock whose monotonic reading starts at 0 now.
    pub fn new() -> Self {
        SystemClock {
            start: std::time::Instant::now(),
        }
    }

    /// A shared system clock, as the verifiers' default time source.
    pub fn shared() -> alloc::sync::Arc<dyn TimeSource> {
        alloc::sync::Arc::new(SystemClock::new())
    }
}

#[cfg(feature = "std")]
impl Default for SystemClock {
    fn default() -> Self {
        SystemClock::new()
    }
}

#[cfg(feature = "std")]
impl TimeSource for SystemClock {
    fn unix_seconds(&self) -> Result<u64, ClockBeforeEpoch> {
        unix_now()
    }

    fn monotonic_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

/// The system clock in whole unix seconds: [`SystemClock`]'s reading without building one.
///
/// # Errors
/// [`ClockBeforeEpoch`] when the clock is before 1970.
#[cfg(feature = "std")]
pub fn unix_now() -> Result<u64, ClockBeforeEpoch> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| ClockBeforeEpoch)
}

/// A clock the caller sets and advances, for tests and simulations: unix seconds start at the
/// value given to [`ManualClock::at_unix`] (0 for [`ManualClock::new`]) and both readings move
/// together by [`ManualClock::advance`].
#[cfg(feature = "std")]
#[derive(Debug, Default)]
pub struct ManualClock {
    unix_start: u64,
    elapsed_ms: core::sync::atomic::AtomicU64,
}

#[cfg(feature = "std")]
impl ManualClock {
    /// A clock at unix time 0 and monotonic reading 0 ms.
    pub fn new() -> Self {
        ManualClock::at_unix(0)
    }

    /// A clock at unix time `unix_seconds` and monotonic reading 0 ms.
    pub fn at_unix(unix_seconds: u64) -> Self {
        ManualClock {
            unix_start: unix_seconds,
            elapsed_ms: core::sync::atomic::AtomicU64::new(0),
        }
    }

    /// The monotonic reading in milliseconds.
    pub fn now_ms(&self) -> u64 {
        self.elapsed_ms.load(core::sync::atomic::Ordering::Acquire)
    }

    /// Moves both readings forward by `d` (saturating; sub-millisecond parts are dropped).
    pub fn advance(&self, d: core::time::Duration) {
        let ms = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        let _ = self.elapsed_ms.fetch_update(
            core::sync::atomic::Ordering::AcqRel,
            core::sync::atomic::Ordering::Acquire,
            |v| Some(v.saturating_add(ms)),
        );
    }
}

#[cfg(feature = "std")]
impl TimeSource for ManualClock {
    fn unix_seconds(&self) -> Result<u64, ClockBeforeEpoch> {
        Ok(self.unix_start.saturating_add(self.now_ms() / 1000))
    }

    fn monotonic_ms(&self) -> u64 {
        self.now_ms()
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use core::time::Duration;

    #[test]
    fn manual_clock_moves_both_readings() {
        let c = ManualClock::at_unix(1_700_000_000);
        assert_eq!(c.unix_seconds(), Ok(1_700_000_000));
        assert_eq!(c.monotonic_ms(), 0);
        c.advance(Duration::from_millis(1_500));
        assert_eq!(c.monotonic_ms(), 1_500);
        assert_eq!(c.unix_seconds(), Ok(1_700_000_001));
        c.advance(Duration::MAX);
        assert_eq!(c.monotonic_ms(), u64::MAX);
    }

    #[test]
    fn system_clock_is_after_2020_and_monotonic() {
        let c = SystemClock::new();
        assert!(c.unix_seconds().unwrap() > 1_577_836_800);
        let a = c.monotonic_ms();
        assert!(c.monotonic_ms() >= a);
    }
}
