//! JWKS and ALB public key fetching and caching (std): bounded, flood-proof refetch.
//!
//! - [`fetch`]: bounded HTTP(S) fetching (timeouts, size cap, content checks, typed errors).
//! - [`alb_keys`]: [`alb_keys::AlbVerifier`], ALB public keys fetched and cached per kid.
//! - [`cache`]: the parsed-key cache with TTL, per-endpoint cool-down, coalescing and
//!   bounded staleness.

pub mod cache;
pub mod fetch;

pub use cache::{CacheConfig, CacheError, KeyCache};
pub use fetch::{ExpectedContent, FetchConfig, FetchError, HttpFetcher};
pub mod alb_keys;
