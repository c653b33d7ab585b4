//! JWKS and ALB public key fetching and caching (std): bounded, flood-proof refetch.
//!
//! - [`verifier`]: [`CognitoJwtVerifier`] (user pool ids) and [`JwtVerifier`] (any issuer +
//!   JWKS URI), blocking, async and no-I/O entry points.
//! - [`cache`]: the parsed-key cache with TTL, per-endpoint cool-down, coalescing, negative
//!   caching and bounded staleness.
//! - [`events`]: [`KeyEventSink`], fetch and cool-down events for logging.
//! - [`fetch`]: bounded HTTP(S) fetching (timeouts, size cap, content checks, typed errors).

pub mod cache;
pub mod events;
pub mod fetch;
pub mod verifier;

pub use cache::{CacheConfig, CacheError, KeyCache, KidGateConfig};
pub use events::{KeyEvent, KeyEventSink};
pub use fetch::{ExpectedContent, FetchConfig, FetchError, HttpFetcher};
pub use verifier::{CognitoConfig, CognitoJwtVerifier, IssuerConfig, JwtVerifier, VerifiedJwt};
