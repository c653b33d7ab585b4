//! Origin verification (`pocket_sign_core::origin_verify`): magic-pocket's
//! `enable_origin_verify` protocol for the Django and ASGI middlewares.

use pocket_sign_core::origin_verify::{self, OriginDecision};
use pyo3::prelude::*;

/// Decides one request: `secret` is the configured secret (`POCKET_ORIGIN_VERIFY_SECRET`,
/// `None` or empty = off), `provided` the raw `X-Pocket-Origin-Verify` header bytes, `viewer_ip`
/// the raw `X-Pocket-Viewer-Ip` header bytes (each `None` when absent). Returns
/// `("disabled", None)`, `("forbidden", None)` or `("verified", ip)` where `ip` is the canonical
/// text of the viewer's address or `None` when the header is absent or not an address. The
/// secret is compared in constant time; never raises for any bytes.
#[pyfunction]
#[pyo3(signature = (secret, provided, viewer_ip))]
pub fn verify_origin(
    secret: Option<&[u8]>,
    provided: Option<&[u8]>,
    viewer_ip: Option<&[u8]>,
) -> (&'static str, Option<String>) {
    match origin_verify::verify_origin(secret, provided, viewer_ip) {
        OriginDecision::Disabled => ("disabled", None),
        OriginDecision::Forbidden => ("forbidden", None),
        OriginDecision::Verified { viewer_ip } => ("verified", viewer_ip.map(|ip| ip.to_string())),
    }
}

/// The viewer's address in a viewer-IP header value (raw bytes) as canonical text, or `None`
/// (IPv4, IPv6, `[v6]:port`, `v4:port`, CloudFront's unbracketed `v6:port`).
#[pyfunction]
pub fn parse_viewer_ip(value: &[u8]) -> Option<String> {
    origin_verify::viewer_ip_text(value)
}

/// A new origin-verify secret: 32 random bytes as 64 lowercase hex characters.
#[pyfunction]
pub fn origin_verify_secret() -> String {
    origin_verify::generate_origin_verify_secret()
}

/// Registers the origin-verify items in the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(verify_origin, m)?)?;
    m.add_function(wrap_pyfunction!(parse_viewer_ip, m)?)?;
    m.add_function(wrap_pyfunction!(origin_verify_secret, m)?)?;
    Ok(())
}
