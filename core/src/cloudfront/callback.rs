//! [`CallbackSigner`]: signed URLs and cookies whose signature comes from a callback (a key in
//! an HSM or KMS, or botocore's `rsa_signer` callable), assembled and checked by the core
//! exactly as [`super::CloudFrontSigner`] does.

use alloc::string::String;
use alloc::vec::Vec;

use super::assemble::{self, Header, PolicyJson, Statement};
use super::cookies::SignedCookies;
use super::error::SigningError;
use super::hash::HashAlgorithm;
use super::policy::{CustomPolicy, Policy};
use super::url::check_key_pair_id;

/// Signs CloudFront URLs and cookies with a caller-supplied private-key operation.
///
/// The callback gets the policy bytes to sign and returns the raw signature (RSA PKCS#1 v1.5
/// or ECDSA DER over SHA-1, or SHA-256 with [`CallbackSigner::with_hash_algorithm`]), as
/// botocore's `CloudFrontSigner(key_id, rsa_signer)` calls `rsa_signer(message)`. Everything
/// else (policy JSON, CloudFront base64, URL checks, the 8,192-byte URL limit, cookie order
/// and limits, the key pair id rule) is the core's, shared with [`super::CloudFrontSigner`].
/// A callback error is returned as is (map foreign errors to [`SigningError::SignatureFailed`]
/// and keep the detail on the side if needed).
///
/// A canned policy signs the URL exactly as given (`*` included, as botocore does): wildcards
/// only come from a custom policy. For cookies a canned request whose resource contains `*`
/// gets the equivalent custom policy (the cookie resource is the policy resource itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackSigner {
    key_pair_id: String,
    hash: HashAlgorithm,
}

impl CallbackSigner {
    /// A callback signer for `key_pair_id` (e.g. `K2JCJMDEHXQW5F`), SHA-1 mode.
    ///
    /// # Errors
    /// [`SigningError::InvalidKeyPairId`] unless the id is 1–64 ASCII letters, digits, `-` and `_` (the
    /// rule of [`super::CloudFrontSigner::new`]).
    pub fn new(key_pair_id: &str) -> Result<Self, SigningError> {
        check_key_pair_id(key_pair_id)?;
        Ok(CallbackSigner {
            key_pair_id: String::from(key_pair_id),
            hash: HashAlgorithm::Sha1,
        })
    }

    /// Switches the hash algorithm the callback signs with (SHA-1 by default): SHA-256 adds
    /// `Hash-Algorithm=SHA256` / the `CloudFront-Hash-Algorithm` cookie.
    #[must_use]
    pub fn with_hash_algorithm(mut self, hash: HashAlgorithm) -> Self {
        self.hash = hash;
        self
    }

    /// The key pair id.
    pub fn key_pair_id(&self) -> &str {
        &self.key_pair_id
    }

    /// The hash algorithm the callback is expected to use.
    pub fn hash_algorithm(&self) -> HashAlgorithm {
        self.hash
    }

    fn header(&self) -> Header<'_> {
        Header {
            key_pair_id: &self.key_pair_id,
            hash: self.hash,
        }
    }

    /// A signed URL (shape, checks and errors of [`super::CloudFrontSigner::signed_url`]),
    /// the signature from `sign`. Byte-identical to botocore's `generate_presigned_url` with
    /// the same `rsa_signer`, for every URL the checks accept.
    ///
    /// # Errors
    /// As [`super::CloudFrontSigner::signed_url`], plus whatever `sign` returns.
    pub fn signed_url<F>(
        &self,
        url: &str,
        policy: &Policy,
        mut sign: F,
    ) -> Result<String, SigningError>
    where
        F: FnMut(&[u8]) -> Result<Vec<u8>, SigningError>,
    {
        let stmt = url_statement(url, policy)?;
        assemble::signed_url(self.header(), url, &stmt, &mut sign)
    }

    /// Many signed URLs with one policy: a custom policy is signed once (one callback call)
    /// and applied to each URL; a canned policy calls `sign` once per URL. One result per
    /// input URL, in order.
    pub fn signed_urls<F>(
        &self,
        urls: &[&str],
        policy: &Policy,
        mut sign: F,
    ) -> Vec<Result<String, SigningError>>
    where
        F: FnMut(&[u8]) -> Result<Vec<u8>, SigningError>,
    {
        match policy {
            Policy::Custom(c) => match c.validate() {
                Ok(()) => assemble::signed_urls_once(
                    self.header(),
                    urls,
                    &Statement::Custom(c),
                    &mut sign,
                ),
                Err(e) => urls.iter().map(|_| Err(e.clone())).collect(),
            },
            Policy::Canned { .. } => urls
                .iter()
                .map(|u| self.signed_url(u, policy, &mut sign))
                .collect(),
        }
    }

    /// A signed URL for policy JSON signed as given (see
    /// [`super::CloudFrontSigner::signed_url_json`]).
    ///
    /// # Errors
    /// As [`super::CloudFrontSigner::signed_url_json`], plus whatever `sign` returns.
    pub fn signed_url_json<F>(
        &self,
        url: &str,
        policy: PolicyJson<'_>,
        mut sign: F,
    ) -> Result<String, SigningError>
    where
        F: FnMut(&[u8]) -> Result<Vec<u8>, SigningError>,
    {
        assemble::signed_url(self.header(), url, &Statement::Json(policy), &mut sign)
    }

    /// [`CallbackSigner::signed_url_json`] for many URLs: one callback call, the same
    /// parameters appended to each URL. One result per input URL, in order.
    pub fn signed_urls_json<F>(
        &self,
        urls: &[&str],
        policy: PolicyJson<'_>,
        mut sign: F,
    ) -> Vec<Result<String, SigningError>>
    where
        F: FnMut(&[u8]) -> Result<Vec<u8>, SigningError>,
    {
        assemble::signed_urls_once(self.header(), urls, &Statement::Json(policy), &mut sign)
    }

    /// Signed cookies (order, limits and errors of
    /// [`super::CloudFrontSigner::signed_cookies`]), the signature from `sign`.
    ///
    /// # Errors
    /// As [`super::CloudFrontSigner::signed_cookies`], plus whatever `sign` returns.
    pub fn signed_cookies<F>(
        &self,
        resource: &str,
        policy: &Policy,
        mut sign: F,
    ) -> Result<SignedCookies, SigningError>
    where
        F: FnMut(&[u8]) -> Result<Vec<u8>, SigningError>,
    {
        let converted;
        let stmt = match policy {
            Policy::Canned { expires } if resource.contains('*') => {
                converted = CustomPolicy::new(resource, *expires);
                Statement::Custom(&converted)
            }
            Policy::Canned { expires } => Statement::Canned {
                resource,
                expires: *expires,
            },
            Policy::Custom(c) => {
                c.validate()?;
                Statement::Custom(c)
            }
        };
        assemble::signed_cookies(self.header(), &stmt, &mut sign)
    }

    /// Signed cookies for policy JSON signed as given.
    ///
    /// # Errors
    /// [`SigningError::CookieTooLarge`], plus whatever `sign` returns.
    pub fn signed_cookies_json<F>(
        &self,
        policy: PolicyJson<'_>,
        mut sign: F,
    ) -> Result<SignedCookies, SigningError>
    where
        F: FnMut(&[u8]) -> Result<Vec<u8>, SigningError>,
    {
        assemble::signed_cookies(self.header(), &Statement::Json(policy), &mut sign)
    }
}

/// The statement for a URL: a canned policy signs the URL as given; a custom one is validated.
fn url_statement<'a>(url: &'a str, policy: &'a Policy) -> Result<Statement<'a>, SigningError> {
    match policy {
        Policy::Canned { expires } => Ok(Statement::Canned {
            resource: url,
            expires: *expires,
        }),
        Policy::Custom(c) => {
            c.validate()?;
            Ok(Statement::Custom(c))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::keys::{KeyOptions, SigningKey};
    use super::super::policy::PolicyBuilder;
    use super::super::signer::CloudFrontSigner;
    use super::*;
    use crate::encoding::cloudfront_b64_decode;

    const DEMO: &str = include_str!("../../../examples/demo-cloudfront-key.pem");
    const ID: &str = "K2JCJMDEHXQW5F";

    fn pem_signer() -> CloudFrontSigner {
        CloudFrontSigner::new(
            ID,
            SigningKey::from_pem(DEMO, KeyOptions::default()).unwrap(),
        )
        .unwrap()
    }

    fn param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
        url.split_once('?')?
            .1
            .split('&')
            .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
    }

    #[test]
    fn callback_output_equals_the_key_holding_signer() {
        let pem = pem_signer();
        let cb = CallbackSigner::new(ID).unwrap();
        let calls = core::cell::Cell::new(0usize);
        let mut sign = |m: &[u8]| {
            calls.set(calls.get() + 1);
            pem.sign(m)
        };
        let canned = Policy::Canned {
            expires: 1_767_290_400,
        };
        let custom =
            Policy::Custom(CustomPolicy::new("https://d/m/*", 1_767_290_400).starting_at(5));
        for url in ["https://d/m/a.jpg", "https://d/m/b.jpg?w=1&h=2"] {
            assert_eq!(
                cb.signed_url(url, &canned, &mut sign).unwrap(),
                pem.signed_url(url, &canned).unwrap()
            );
            assert_eq!(
                cb.signed_url(url, &custom, &mut sign).unwrap(),
                pem.signed_url(url, &custom).unwrap()
            );
            assert_eq!(
                cb.signed_cookies(url, &canned, &mut sign).unwrap(),
                pem.signed_cookies(url, &canned).unwrap()
            );
        }
        let json = CustomPolicy::new("https://d/m/*", 9).to_json();
        let urls = ["https://d/m/1", "https://d/m/2", "https://d/m/3"];
        let before = calls.get();
        let batch = cb.signed_urls_json(&urls, PolicyJson::custom(json.as_bytes()), &mut sign);
        assert_eq!(calls.get(), before + 1, "one signature for the whole batch");
        assert_eq!(
            batch,
            pem.signed_urls_json(&urls, PolicyJson::custom(json.as_bytes()))
        );
        assert_eq!(
            batch[1].as_ref().unwrap(),
            &pem.signed_url(
                "https://d/m/2",
                &Policy::Custom(CustomPolicy::new("https://d/m/*", 9))
            )
            .unwrap()
        );
        assert_eq!(
            cb.signed_cookies_json(PolicyJson::custom(json.as_bytes()), &mut sign)
                .unwrap(),
            pem.signed_cookies_json(PolicyJson::custom(json.as_bytes()))
                .unwrap()
        );
    }

    #[test]
    fn canned_json_form_signs_the_given_bytes_with_expires() {
        let pem = pem_signer();
        let url = "https://d/a.jpg";
        let own = br#"{"Statement":[{"Resource":"https://d/a.jpg","Condition":{"DateLessThan":{"AWS:EpochTime":7}}}]} "#;
        let signed = pem
            .signed_url_json(url, PolicyJson::canned(own, 7))
            .unwrap();
        assert_eq!(param(&signed, "Expires"), Some("7"));
        assert!(param(&signed, "Policy").is_none());
        let sig = cloudfront_b64_decode(param(&signed, "Signature").unwrap()).unwrap();
        assert!(pem.key().verify(own, &sig, HashAlgorithm::Sha1));
        let custom = pem.signed_url_json(url, PolicyJson::custom(own)).unwrap();
        assert_eq!(
            cloudfront_b64_decode(param(&custom, "Policy").unwrap()).unwrap(),
            own.to_vec()
        );
    }

    #[test]
    fn url_checks_run_before_the_callback_and_errors_pass_through() {
        let cb = CallbackSigner::new(ID).unwrap();
        let called = core::cell::Cell::new(false);
        let mut never = |_: &[u8]| -> Result<Vec<u8>, SigningError> {
            called.set(true);
            Ok(alloc::vec![0u8; 256])
        };
        let canned = Policy::Canned { expires: 1 };
        for bad in [
            "",
            "https://d/a b",
            "https://d/a#frag",
            "https://d/a?Signature=x",
        ] {
            assert!(matches!(
                cb.signed_url(bad, &canned, &mut never),
                Err(SigningError::InvalidUrl(_))
            ));
            assert!(matches!(
                cb.signed_url_json(bad, PolicyJson::custom(b"{}"), &mut never),
                Err(SigningError::InvalidUrl(_))
            ));
        }
        let long = alloc::format!("https://d/{}", "a".repeat(9400));
        assert!(matches!(
            cb.signed_url(&long, &canned, &mut never),
            Err(SigningError::UrlTooLong { .. })
        ));
        let big_policy = "x".repeat(7000);
        assert!(matches!(
            cb.signed_url_json(
                "https://d/a",
                PolicyJson::custom(big_policy.as_bytes()),
                &mut never
            ),
            Err(SigningError::UrlTooLong { .. })
        ));
        assert!(matches!(
            cb.signed_cookies_json(PolicyJson::custom(big_policy.as_bytes()), &mut never),
            Err(SigningError::CookieTooLarge { .. })
        ));
        assert!(!called.get(), "nothing is signed for a refused URL");
        // Near the limit: signed, then refused on the final length.
        let edge = alloc::format!("https://d/{}", "a".repeat(8100));
        assert!(matches!(
            cb.signed_url(&edge, &canned, &mut never),
            Err(SigningError::UrlTooLong { .. })
        ));
        let failing =
            |_: &[u8]| -> Result<Vec<u8>, SigningError> { Err(SigningError::SignatureFailed) };
        assert_eq!(
            cb.signed_url("https://d/a", &canned, failing),
            Err(SigningError::SignatureFailed)
        );
        assert!(matches!(
            CallbackSigner::new("K2&x=1"),
            Err(SigningError::InvalidKeyPairId(_))
        ));
    }

    #[test]
    fn canned_url_with_a_star_stays_canned() {
        let pem = pem_signer();
        let cb = CallbackSigner::new(ID).unwrap();
        let signed = cb
            .signed_url(
                "https://d/a*",
                &Policy::Canned { expires: 9 },
                |m: &[u8]| pem.sign(m),
            )
            .unwrap();
        assert_eq!(param(&signed, "Expires"), Some("9"));
        assert!(param(&signed, "Policy").is_none());
    }

    #[test]
    fn batch_from_builder_signs_a_shared_custom_policy_once() {
        let pem = pem_signer();
        let shared = PolicyBuilder::new()
            .expires_at(50)
            .resource("https://d/m/*");
        let out = pem.signed_urls_from(&["https://d/m/1", "https://d/x", "https://d/m/2"], &shared);
        assert_eq!(
            param(out[0].as_ref().unwrap(), "Signature"),
            param(out[2].as_ref().unwrap(), "Signature")
        );
        assert_eq!(out[1], Err(SigningError::ResourceMismatch));
        let canned = PolicyBuilder::new().expires_at(50);
        let out = pem.signed_urls_from(&["https://d/1", "https://d/2", "https://d/a b"], &canned);
        assert_eq!(
            out[1].as_ref().unwrap(),
            &pem.signed_url("https://d/2", &Policy::Canned { expires: 50 })
                .unwrap()
        );
        assert_ne!(
            param(out[0].as_ref().unwrap(), "Signature"),
            param(out[1].as_ref().unwrap(), "Signature")
        );
        assert!(matches!(out[2], Err(SigningError::InvalidUrl(_))));
        assert_eq!(
            pem.signed_urls_from(&["https://d/1"], &PolicyBuilder::new()),
            alloc::vec![Err(SigningError::MissingExpiry)]
        );
    }
}
