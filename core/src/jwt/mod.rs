//! Compact JWS / JWT parsing and verification (RS*, ES*, EdDSA, HS*) with Cognito claim rules.
