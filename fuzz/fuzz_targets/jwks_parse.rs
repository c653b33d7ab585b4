//! JWK / JWKS parsing on arbitrary bytes: never panics; a parsed key can be used to verify
//! arbitrary input without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pocket_sign_core::jwt::{jwk::Jwk, jwk::JwkSet, Algorithm};

fuzz_target!(|data: &[u8]| {
    if let Ok(set) = JwkSet::from_json(data) {
        for key in set.keys() {
            for alg in [Algorithm::RS256, Algorithm::ES256, Algorithm::EdDSA, Algorithm::HS256] {
                let _ = key.check_alg(alg);
                let _ = key.verify(alg, data, data);
            }
        }
    }
    let _ = Jwk::from_json(data);
});
