//! Observable key-fetch events (std): what a front end needs to log JWKS / ALB key activity
//! without the core writing anywhere itself.
//!
//! A verifier ([`super::JwtVerifier`], [`crate::alb::AlbVerifier`]) built with
//! `with_event_sink` calls [`KeyEventSink::on_event`] synchronously, on the thread doing the
//! work:
//! - [`KeyEvent::Fetch`] after every fetch attempt of a key document (JWKS or ALB PEM), with
//!   its URL, its duration and its outcome;
//! - [`KeyEvent::CoolDown`] when a lookup is refused without I/O because the endpoint's
//!   refetch cool-down has not ended (an unknown `kid` inside the window, see
//!   [`super::cache`]).
//!
//! Events carry URLs (from configuration) and fetch errors, never a token, a claim or a key.
//! A sink must be cheap and must not call back into the verifier. A fetch event is emitted
//! while the endpoint's fetch gate is held, so concurrent misses of that endpoint wait for the
//! sink to return.

use alloc::sync::Arc;
use core::fmt;
use core::time::Duration;

use super::fetch::FetchError;

/// One observable event of a key cache. `#[non_exhaustive]`: match with a wildcard arm.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum KeyEvent<'a> {
    /// A fetch of the key document at `url` finished (successfully when `error` is `None`)
    /// after `duration` (wall time of the HTTP request and the parse).
    Fetch {
        /// The URL fetched (a JWKS URI, or `{keys_url}/{kid}` for ALB keys).
        url: &'a str,
        /// How long the fetch took.
        duration: Duration,
        /// Why it failed, or `None` when the document was fetched and parsed.
        error: Option<&'a FetchError>,
    },
    /// A lookup at the endpoint `url` (JWKS URI, or the ALB key endpoint base URL) was refused
    /// without I/O: the wanted key is not cached and the cool-down forbids a refetch yet.
    CoolDown {
        /// The endpoint whose cool-down is running.
        url: &'a str,
    },
}

/// Receives [`KeyEvent`]s (e.g. to forward them to a logging framework). `Send + Sync`: called
/// from whichever thread verifies.
pub trait KeyEventSink: Send + Sync {
    /// Called once per event, synchronously.
    fn on_event(&self, event: &KeyEvent<'_>);
}

/// An optional sink, as stored in a verifier (no sink: events cost one branch).
#[derive(Clone, Default)]
pub(crate) struct Events(Option<Arc<dyn KeyEventSink>>);

impl fmt::Debug for Events {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Events(sink)"
        } else {
            "Events(none)"
        })
    }
}

impl Events {
    pub(crate) fn new(sink: Arc<dyn KeyEventSink>) -> Self {
        Events(Some(sink))
    }

    pub(crate) fn emit(&self, event: KeyEvent<'_>) {
        if let Some(sink) = &self.0 {
            sink.on_event(&event);
        }
    }

    /// Times `f` (a fetch of `url`) and emits [`KeyEvent::Fetch`] with its outcome.
    pub(crate) fn timed<T>(
        &self,
        url: &str,
        f: impl FnOnce() -> Result<T, FetchError>,
    ) -> Result<T, FetchError> {
        if self.0.is_none() {
            return f();
        }
        let start = std::time::Instant::now();
        let r = f();
        self.emit(KeyEvent::Fetch {
            url,
            duration: start.elapsed(),
            error: r.as_ref().err(),
        });
        r
    }

    /// Async form of [`Events::timed`].
    pub(crate) async fn timed_async<T>(
        &self,
        url: &str,
        f: impl core::future::Future<Output = Result<T, FetchError>>,
    ) -> Result<T, FetchError> {
        let start = std::time::Instant::now();
        let r = f.await;
        self.emit(KeyEvent::Fetch {
            url,
            duration: start.elapsed(),
            error: r.as_ref().err(),
        });
        r
    }
}
