//! magic-pocket SPA token: `{user_id}:{expiry_unix}:{hmac_sha256_hex}`.
