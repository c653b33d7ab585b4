//! CloudFront Function (viewer-request) code generation from `pocket.toml`.
