//! Checked conversions of JS arguments (pure Rust part: testable natively).

use crate::error::BindingError;
use alloc::format;

/// Largest integer a JS number holds exactly: 2^53 - 1 (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Converts a JS number of unix seconds (or any non-negative whole count) into `u64`.
///
/// Errors: `InvalidArgument` when `value` is NaN, infinite, negative, fractional or above
/// `Number.MAX_SAFE_INTEGER`; `name` is the argument name used in the message.
pub fn whole_seconds(value: f64, name: &str) -> Result<u64, BindingError> {
    if !value.is_finite() || !(0.0..=MAX_SAFE_INTEGER).contains(&value) || value.fract() != 0.0 {
        return Err(BindingError::invalid_argument(format!(
            "{name} must be a whole number of seconds between 0 and 2^53-1."
        )));
    }
    // In range and integral: the cast is exact.
    Ok(value as u64)
}

/// Converts a `u64` (seconds) into a JS number; exact up to 2^53 - 1, which covers any real
/// unix time or duration the core produces.
pub fn to_js_number(value: u64) -> f64 {
    value as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_seconds_accepts_integers() {
        assert_eq!(whole_seconds(0.0, "now"), Ok(0));
        assert_eq!(whole_seconds(1_700_000_000.0, "now"), Ok(1_700_000_000));
        assert_eq!(
            whole_seconds(MAX_SAFE_INTEGER, "now"),
            Ok(9_007_199_254_740_991)
        );
    }

    #[test]
    fn whole_seconds_rejects_everything_else() {
        for bad in [f64::NAN, f64::INFINITY, -1.0, 1.5, MAX_SAFE_INTEGER + 2.0] {
            let err = whole_seconds(bad, "now").unwrap_err();
            assert_eq!(err.kind, "InvalidArgument");
            assert!(err.message.starts_with("now must be"), "{}", err.message);
        }
    }
}
