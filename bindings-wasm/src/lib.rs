//! # pocket-sign-wasm
//!
//! WebAssembly bindings of [`pocket_sign_core`] for the `pocket-sign` npm package (ESM with
//! TypeScript declarations, for bundlers, browsers and node). The layer is thin: each export
//! converts its JS arguments, calls the core (built **without** its `std` feature, i.e. the same
//! `no_std` + `alloc` code as embedded targets) and converts the result back.
//!
//! - Time is always a JS number of unix **seconds**; where `now` is optional the JS clock
//!   (`Date.now()`, floored) is used.
//! - Errors are thrown as instances of the package's `PocketSignError` class (a subclass of
//!   `Error`, exported by `errors.js`) with a stable `kind` string (the core error variant, or
//!   `InvalidArgument`) and a `domain` string (see [`error::Domain`]).
//! - Cargo feature `full` (default): everything. Without it (the `pocket-sign/spa` build) only
//!   what a browser SPA needs: SPA token and companion-cookie reading, unverified JWT decoding
//!   and expiry, CloudFront resource matching (see `bindings-wasm/README.md`).
//! - Nothing here needs randomness or private keys: no key generation or signing with
//!   asymmetric keys in the browser.
//!
//! Each module has a pure Rust layer (tested natively by `cargo test`) and `#[wasm_bindgen]`
//! exports (tested by `node --test` and headless Chromium, see `bindings-wasm/test/`).
#![deny(missing_docs)]
#![deny(unsafe_code)]

extern crate alloc;

pub mod args;
#[cfg(feature = "full")]
pub mod cloudfront;
#[cfg(feature = "full")]
pub mod codegen;
pub mod error;
pub mod js;
pub mod jwt;
pub mod media;
pub mod session;
pub mod spa;

use wasm_bindgen::prelude::*;

/// The version of this package and of the core it wraps (they are released together).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `version(): string` — the package version, e.g. `"0.1.0"`.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    VERSION.into()
}
