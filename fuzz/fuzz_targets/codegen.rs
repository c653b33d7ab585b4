//! pocket.toml parsing and CloudFront Function generation on arbitrary text: never panics,
//! and generated code never exceeds the CloudFront Functions size limit.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pocket_sign_core::codegen::{generate, PocketConfig, MAX_FUNCTION_SIZE};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else { return };
    for stage in [None, Some("prd")] {
        let Ok(config) = PocketConfig::from_toml_str(text, stage) else { continue };
        for name in config.distributions.keys() {
            if let Ok(functions) = generate(&config, name, None) {
                for f in functions {
                    assert!(f.code.len() <= MAX_FUNCTION_SIZE);
                }
            }
        }
    }
});
