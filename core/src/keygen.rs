//! Managed-secret generators in magic-pocket formats (SPA secret, CloudFront key pair, password).
