//! PEM / base64-of-PEM private key loading on arbitrary input: never panics; a loaded key signs.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pocket_sign_core::cloudfront::{HashAlgorithm, KeyOptions, SigningKey};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let opts = KeyOptions { allow_weak_rsa: true, ..KeyOptions::default() };
    for loaded in [SigningKey::from_pem(&text, opts), SigningKey::from_pem_base64(&text, opts)] {
        if let Ok(key) = loaded {
            let sig = key.sign(b"message", HashAlgorithm::Sha1).expect("a loaded key signs");
            assert!(key.verify(b"message", &sig, HashAlgorithm::Sha1));
        }
    }
});
