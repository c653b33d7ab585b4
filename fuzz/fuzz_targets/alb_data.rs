//! ALB `x-amzn-oidc-data` parsing and header checks on arbitrary input: never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pocket_sign_core::alb::{check_header, decode_alb_data, region_from_arn, AlbVerifyOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else { return };
    let _ = region_from_arn(text);
    if let Ok(parsed) = decode_alb_data(text) {
        let opts = AlbVerifyOptions {
            alb_arns: vec!["arn:aws:elasticloadbalancing:us-east-2:123456789012:loadbalancer/app/my-alb/1234567890abcdef".into()],
            client_ids: Some(vec!["client".into()]),
            issuer: None,
            grace_seconds: 0,
        };
        let _ = check_header(&parsed, &opts);
    }
});
