//! CloudFront resource matching for the signed-cookie media mode (`pocket_sign.storage`).

use pyo3::prelude::*;

/// Whether the policy `Resource` `pattern` (`*` any run of characters, `?` one character)
/// matches `url`, as CloudFront checks a custom policy (the core's
/// `cloudfront::resource_matches`).
#[pyfunction]
pub fn cloudfront_resource_matches(pattern: &str, url: &str) -> bool {
    pocket_sign_core::cloudfront::resource_matches(pattern, url)
}

/// Registers the media items in the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(cloudfront_resource_matches, m)?)?;
    Ok(())
}
