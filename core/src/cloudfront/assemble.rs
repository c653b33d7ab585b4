//! Signed URL and cookie assembly shared by [`super::CloudFrontSigner`] (the private key is
//! held by the core) and [`super::CallbackSigner`] (the signature comes from a callback, as
//! botocore's `rsa_signer`): policy JSON, CloudFront base64, parameter order, URL checks,
//! the [`MAX_URL_LEN`] / [`MAX_COOKIE_LEN`] limits.
//!
//! Parameter and cookie order follow AWS's "Create a signed URL using a canned / custom
//! policy" and "Set signed cookies using a canned / custom policy" pages and botocore's
//! `CloudFrontSigner.generate_presigned_url`.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::cookies::SignedCookies;
use super::cookies::MAX_COOKIE_LEN;
use super::error::SigningError;
use super::hash::HashAlgorithm;
use super::policy::{resource_matches, write_canned_json, CustomPolicy};
use super::url::check_url;
use super::url::MAX_URL_LEN;
use crate::encoding::cloudfront_b64_encode_into;

/// Policy JSON signed byte for byte as given: botocore's `generate_presigned_url(url,
/// policy=...)` argument, or what a `build_policy` override returned.
///
/// The core does not parse it: the URL is checked, but not against the policy's `Resource`
/// (CloudFront refuses a URL its policy does not match when the URL is requested).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyJson<'a> {
    /// The policy JSON bytes (UTF-8 in practice; signed and base64-encoded as given).
    pub json: &'a [u8],
    /// `Some(expires)` (unix seconds): the canned form, `Expires=…` / `CloudFront-Expires`
    /// instead of `Policy=…` / `CloudFront-Policy` (`json` is then the canned policy of the
    /// URL, as botocore signs `build_policy(url, date_less_than)` for a canned URL); `None`:
    /// the custom form, the JSON travels base64-encoded in `Policy`.
    pub canned_expires: Option<u64>,
}

impl<'a> PolicyJson<'a> {
    /// The custom form: `json` travels base64-encoded in `Policy` / `CloudFront-Policy`.
    pub fn custom(json: &'a [u8]) -> Self {
        PolicyJson {
            json,
            canned_expires: None,
        }
    }

    /// The canned form: `Expires={expires}` (unix seconds) with the signature of `json`.
    pub fn canned(json: &'a [u8], expires: u64) -> Self {
        PolicyJson {
            json,
            canned_expires: Some(expires),
        }
    }
}

/// The statement one signature covers.
pub(crate) enum Statement<'a> {
    /// Canned policy for `resource` (the URL, or the cookie resource), `expires` unix seconds.
    Canned { resource: &'a str, expires: u64 },
    /// A validated custom policy.
    Custom(&'a CustomPolicy),
    /// Caller-supplied JSON, signed as given.
    Json(PolicyJson<'a>),
}

/// The private-key operation: raw signature bytes of the message (RSA PKCS#1 v1.5 or ECDSA
/// DER), as botocore's `rsa_signer(message)` returns them.
pub(crate) type SignFn<'s> = dyn FnMut(&[u8]) -> Result<Vec<u8>, SigningError> + 's;

/// Key pair id and hash mode: what the URL / cookie carries besides the signature.
#[derive(Clone, Copy)]
pub(crate) struct Header<'a> {
    pub key_pair_id: &'a str,
    pub hash: HashAlgorithm,
}

/// The policy bytes to sign and the first parameter (`Expires` value or base64 policy).
enum First {
    Expires(u64),
    Policy,
}

fn message<'j>(stmt: &'j Statement<'_>, scratch: &'j mut String) -> (&'j [u8], First) {
    match stmt {
        Statement::Canned { resource, expires } => {
            scratch.reserve(resource.len() + 96);
            write_canned_json(scratch, resource, *expires);
            (scratch.as_bytes(), First::Expires(*expires))
        }
        Statement::Custom(c) => {
            c.write_json(scratch);
            (scratch.as_bytes(), First::Policy)
        }
        Statement::Json(j) => (
            j.json,
            match j.canned_expires {
                Some(e) => First::Expires(e),
                None => First::Policy,
            },
        ),
    }
}

/// Signs `stmt` and appends `Expires=…|Policy=…&Signature=…&Key-Pair-Id=…[&Hash-Algorithm=SHA256]`
/// to `out`.
pub(crate) fn write_params(
    h: Header<'_>,
    stmt: &Statement<'_>,
    out: &mut String,
    sign: &mut SignFn<'_>,
) -> Result<(), SigningError> {
    let mut scratch = String::new();
    let (msg, first) = message(stmt, &mut scratch);
    let sig = sign(msg)?;
    out.reserve(msg.len().div_ceil(3) * 4 + sig.len().div_ceil(3) * 4 + h.key_pair_id.len() + 64);
    match first {
        First::Expires(e) => {
            let _ = write!(out, "Expires={e}");
        }
        First::Policy => {
            out.push_str("Policy=");
            cloudfront_b64_encode_into(msg, out);
        }
    }
    out.push_str("&Signature=");
    cloudfront_b64_encode_into(&sig, out);
    out.push_str("&Key-Pair-Id=");
    out.push_str(h.key_pair_id);
    if h.hash == HashAlgorithm::Sha256 {
        out.push_str("&Hash-Algorithm=SHA256");
    }
    Ok(())
}

/// A signed URL: checks `url` ([`check_url`]), checks a custom policy's resource matches it,
/// refuses before signing when caller JSON alone would push it over [`MAX_URL_LEN`], then
/// appends the parameters after `?` / `&` and checks the final length.
pub(crate) fn signed_url(
    h: Header<'_>,
    url: &str,
    stmt: &Statement<'_>,
    sign: &mut SignFn<'_>,
) -> Result<String, SigningError> {
    check_url(url)?;
    match stmt {
        Statement::Custom(c) if !resource_matches(&c.resource, url) => {
            return Err(SigningError::ResourceMismatch);
        }
        Statement::Json(j) if j.canned_expires.is_none() => {
            let len = url
                .len()
                .saturating_add(1)
                .saturating_add(j.json.len().div_ceil(3).saturating_mul(4));
            if len > MAX_URL_LEN {
                return Err(SigningError::UrlTooLong {
                    len,
                    max: MAX_URL_LEN,
                });
            }
        }
        _ => {}
    }
    // Written straight after the URL: one output allocation.
    let mut out = String::with_capacity(url.len() + 1);
    out.push_str(url);
    out.push(if url.contains('?') { '&' } else { '?' });
    write_params(h, stmt, &mut out, sign)?;
    if out.len() > MAX_URL_LEN {
        return Err(SigningError::UrlTooLong {
            len: out.len(),
            max: MAX_URL_LEN,
        });
    }
    Ok(out)
}

/// Signs `stmt` once and appends the same parameters to every URL (each checked as in
/// [`signed_url`]); a signing failure is reported for every URL.
pub(crate) fn signed_urls_once(
    h: Header<'_>,
    urls: &[&str],
    stmt: &Statement<'_>,
    sign: &mut SignFn<'_>,
) -> Vec<Result<String, SigningError>> {
    let mut params = String::new();
    if let Err(e) = write_params(h, stmt, &mut params, sign) {
        return urls.iter().map(|_| Err(e.clone())).collect();
    }
    urls.iter()
        .map(|url| {
            check_url(url)?;
            if let Statement::Custom(c) = stmt {
                if !resource_matches(&c.resource, url) {
                    return Err(SigningError::ResourceMismatch);
                }
            }
            super::url::join(url, &params)
        })
        .collect()
}

/// Signed cookies for `stmt`, in AWS's order, each `name=value` at most [`MAX_COOKIE_LEN`].
pub(crate) fn signed_cookies(
    h: Header<'_>,
    stmt: &Statement<'_>,
    sign: &mut SignFn<'_>,
) -> Result<SignedCookies, SigningError> {
    let mut scratch = String::new();
    let (msg, first) = message(stmt, &mut scratch);
    if let First::Policy = first {
        let len = "CloudFront-Policy=".len() + msg.len().div_ceil(3) * 4;
        if len > MAX_COOKIE_LEN {
            return Err(SigningError::CookieTooLarge {
                name: String::from("CloudFront-Policy"),
                len,
                max: MAX_COOKIE_LEN,
            });
        }
    }
    let sig = sign(msg)?;
    let first = match first {
        First::Expires(e) => (String::from("CloudFront-Expires"), alloc::format!("{e}")),
        First::Policy => (
            String::from("CloudFront-Policy"),
            crate::encoding::cloudfront_b64_encode(msg),
        ),
    };
    let mut cookies = alloc::vec![
        first,
        (
            String::from("CloudFront-Signature"),
            crate::encoding::cloudfront_b64_encode(&sig)
        ),
        (
            String::from("CloudFront-Key-Pair-Id"),
            String::from(h.key_pair_id)
        ),
    ];
    if h.hash == HashAlgorithm::Sha256 {
        cookies.push((
            String::from("CloudFront-Hash-Algorithm"),
            String::from("SHA256"),
        ));
    }
    for (name, value) in &cookies {
        let len = name.len() + 1 + value.len();
        if len > MAX_COOKIE_LEN {
            return Err(SigningError::CookieTooLarge {
                name: name.clone(),
                len,
                max: MAX_COOKIE_LEN,
            });
        }
    }
    Ok(SignedCookies { cookies })
}
