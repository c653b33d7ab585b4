//! ALB `x-amzn-oidc-data` verification (ES256 with the ALB public key, signer/client checks).
