//! Cognito helpers: `SECRET_HASH` and tenant resolution (header / subdomain / claim).
