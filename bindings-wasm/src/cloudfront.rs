//! CloudFront policy building for browsers and JS servers: the custom-policy JSON exactly as
//! botocore's `CloudFrontSigner.build_policy` writes it, its CloudFront-base64 form (the
//! `Policy` query parameter / `CloudFront-Policy` cookie) and resource pattern matching.
//! Signing needs the private key and stays server-side (CLI, Rust, Python): nothing here
//! takes a key. Wraps [`pocket_sign_core::cloudfront`] and [`pocket_sign_core::encoding`].

use alloc::string::String;

use pocket_sign_core::cloudfront::{CustomPolicy, SigningError};
use pocket_sign_core::encoding;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::args::whole_seconds;
use crate::error::{BindingError, Domain};
use crate::js::{json_arg, string_arg, throw, JsResult};

/// The JS input of `buildCustomPolicy` (times as JS numbers of unix seconds).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyInput {
    /// `Resource`: URL or pattern with `*` / `?` wildcards.
    pub resource: String,
    /// `DateLessThan`, unix seconds (required).
    pub date_less_than: f64,
    /// `DateGreaterThan`, unix seconds.
    #[serde(default)]
    pub date_greater_than: Option<f64>,
    /// `IpAddress`: IPv4 address (`/32` is appended) or CIDR block.
    #[serde(default)]
    pub ip_address: Option<String>,
}

/// Builds and validates the custom policy and returns its JSON (botocore's exact bytes, see
/// [`CustomPolicy::to_json`]).
///
/// Errors: `InvalidArgument` for times that are not whole non-negative seconds; the core's
/// `SigningError` variants `StartNotBeforeExpiry`, `InvalidIpAddress`, `Ipv6NotSupported`,
/// `InvalidUrl` (resource over 8192 bytes).
pub fn build_custom_policy(input: &PolicyInput) -> Result<String, BindingError> {
    let mut policy = CustomPolicy::new(
        &input.resource,
        whole_seconds(input.date_less_than, "dateLessThan")?,
    );
    if let Some(start) = input.date_greater_than {
        policy = policy.starting_at(whole_seconds(start, "dateGreaterThan")?);
    }
    let cf_err = |e: SigningError| BindingError::new(Domain::CloudFront, e.kind(), e);
    if let Some(ip) = input.ip_address.as_deref() {
        policy = policy.from_ip(ip).map_err(cf_err)?;
    }
    policy.validate().map_err(cf_err)?;
    Ok(policy.to_json())
}

// ---------------------------------------------------------------------------------------
// wasm-bindgen exports

#[wasm_bindgen(typescript_custom_section)]
const TS_CF: &'static str = r#"
/** A CloudFront custom policy (times in unix seconds). */
export interface CustomPolicyInput {
  /** URL or pattern (`*` any run of characters, `?` one character). */
  resource: string;
  /** `DateLessThan`: expiry, unix seconds. */
  dateLessThan: number;
  /** `DateGreaterThan`: start of validity, unix seconds. */
  dateGreaterThan?: number;
  /** `IpAddress`: IPv4 address (`/32` appended) or IPv4 CIDR. */
  ipAddress?: string;
}
"#;

/// `buildCustomPolicy(input: CustomPolicyInput): string` — the policy JSON CloudFront
/// verifies, byte-identical to botocore's (no whitespace, fixed key order, non-ASCII escaped).
/// Throws kind `StartNotBeforeExpiry`, `InvalidIpAddress`, `Ipv6NotSupported`, `InvalidUrl`
/// (domain `cloudfront`) or `InvalidArgument`.
#[wasm_bindgen(js_name = buildCustomPolicy)]
pub fn js_build_custom_policy(
    #[wasm_bindgen(unchecked_param_type = "CustomPolicyInput")] input: JsValue,
) -> JsResult<String> {
    let input: PolicyInput = throw(json_arg(&input, "input", false))?;
    throw(build_custom_policy(&input))
}

/// `cloudfrontBase64(text: string): string` — CloudFront's URL-safe base64 of the UTF-8
/// bytes (`+`→`-`, `=`→`_`, `/`→`~`): the `Policy` query parameter or `CloudFront-Policy`
/// cookie value for a policy JSON.
#[wasm_bindgen(js_name = cloudfrontBase64)]
pub fn js_cloudfront_base64(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> JsResult<String> {
    let text = throw(string_arg(&text, "text"))?;
    Ok(encoding::cloudfront_b64_encode(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(resource: &str, lt: f64, gt: Option<f64>, ip: Option<&str>) -> PolicyInput {
        PolicyInput {
            resource: resource.into(),
            date_less_than: lt,
            date_greater_than: gt,
            ip_address: ip.map(String::from),
        }
    }

    #[test]
    fn botocore_bytes() {
        let json = build_custom_policy(&input(
            "https://d.example/*",
            1700000000.0,
            Some(1690000000.0),
            Some("192.0.2.1"),
        ))
        .unwrap();
        assert_eq!(
            json,
            "{\"Statement\":[{\"Resource\":\"https://d.example/*\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":1700000000},\"IpAddress\":{\"AWS:SourceIp\":\"192.0.2.1/32\"},\"DateGreaterThan\":{\"AWS:EpochTime\":1690000000}}}]}"
        );
    }

    #[test]
    fn errors() {
        let kind = |i: PolicyInput| build_custom_policy(&i).unwrap_err().kind;
        assert_eq!(
            kind(input("r", 10.0, Some(10.0), None)),
            "StartNotBeforeExpiry"
        );
        assert_eq!(
            kind(input("r", 10.0, None, Some("::1"))),
            "Ipv6NotSupported"
        );
        assert_eq!(
            kind(input("r", 10.0, None, Some("1.2.3.4\"}"))),
            "InvalidIpAddress"
        );
        assert_eq!(kind(input("r", 1.5, None, None)), "InvalidArgument");
    }
}
