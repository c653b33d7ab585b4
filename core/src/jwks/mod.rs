//! JWKS and ALB public key fetching and caching (std): bounded, flood-proof refetch.
