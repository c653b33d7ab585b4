//! [`CloudFrontSigner`]: signed URLs and cookies, byte-identical to botocore's
//! `CloudFrontSigner(key_id, rsa_signer)` for RSA-SHA1.

use alloc::string::String;
use alloc::vec::Vec;

use super::assemble::{self, Header, PolicyJson, Statement};
use super::cookies::SignedCookies;
use super::error::SigningError;
use super::hash::HashAlgorithm;
use super::keys::SigningKey;
#[cfg(test)]
use super::policy::write_canned_json;
use super::policy::{resource_matches, CustomPolicy, Policy, PolicyBuilder};
use super::url::{check_key_pair_id, check_url, join};

/// Signs CloudFront URLs and cookies with one key pair id and parsed key.
///
/// `Send + Sync`, cheap to clone; the key is parsed once at construction.
#[derive(Debug, Clone)]
pub struct CloudFrontSigner {
    key_pair_id: String,
    key: SigningKey,
    hash: HashAlgorithm,
}

/// A custom policy signed once, to be applied to many URLs without signing again (for a
/// wildcard resource such as `https://d111111abcdef8.cloudfront.net/images/*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedPolicy {
    resource: String,
    params: String,
}

impl SignedPolicy {
    /// Appends the signature parameters to `url` (`?` or `&`).
    ///
    /// # Errors
    /// The URL checks of [`CloudFrontSigner::signed_url`]; [`SigningError::ResourceMismatch`]
    /// when the policy resource does not match `url`; [`SigningError::UrlTooLong`].
    pub fn apply(&self, url: &str) -> Result<String, SigningError> {
        check_url(url)?;
        if !resource_matches(&self.resource, url) {
            return Err(SigningError::ResourceMismatch);
        }
        join(url, &self.params)
    }

    /// The query parameters added to each URL:
    /// `Policy=…&Signature=…&Key-Pair-Id=…[&Hash-Algorithm=SHA256]`.
    pub fn query(&self) -> &str {
        &self.params
    }

    /// The policy's `Resource`.
    pub fn resource(&self) -> &str {
        &self.resource
    }
}

/// Which policy will be signed for a URL / resource: canned bytes are built from the URL.
enum Effective<'a> {
    Canned { resource: &'a str, expires: u64 },
    Custom(CustomPolicy),
    CustomRef(&'a CustomPolicy),
}

impl Effective<'_> {
    /// The statement the shared assembly signs.
    fn statement(&self) -> Statement<'_> {
        match self {
            Effective::Canned { resource, expires } => Statement::Canned {
                resource,
                expires: *expires,
            },
            Effective::Custom(c) => Statement::Custom(c),
            Effective::CustomRef(c) => Statement::Custom(c),
        }
    }
}

impl CloudFrontSigner {
    /// A signer for `key_pair_id` (the CloudFront public key id, e.g. `K2JCJMDEHXQW5F`) and a
    /// parsed key. SHA-1 mode.
    ///
    /// # Errors
    /// [`SigningError::InvalidKeyPairId`] unless the id is 1–64 ASCII letters, digits, `-` and `_`.
    pub fn new(key_pair_id: &str, key: SigningKey) -> Result<Self, SigningError> {
        check_key_pair_id(key_pair_id)?;
        Ok(CloudFrontSigner {
            key_pair_id: String::from(key_pair_id),
            key,
            hash: HashAlgorithm::Sha1,
        })
    }

    /// Reads `{NAME}_PEM_BASE64` (base64 of the PEM private key) and `{NAME}_ID` (the key
    /// pair id) from the environment, magic-pocket's convention (e.g. `CF_MEDIA_KEY`).
    /// Keys under 2048 bits are refused.
    ///
    /// # Errors
    /// [`SigningError::MissingEnv`] naming the missing variable, plus the errors of
    /// [`SigningKey::from_pem_base64`] and [`CloudFrontSigner::new`].
    #[cfg(feature = "std")]
    pub fn from_env(name: &str) -> Result<Self, SigningError> {
        Self::from_env_with(name, super::keys::KeyOptions::default())
    }

    /// [`CloudFrontSigner::from_env`] with explicit [`super::KeyOptions`].
    ///
    /// # Errors
    /// As [`CloudFrontSigner::from_env`].
    #[cfg(feature = "std")]
    pub fn from_env_with(name: &str, opts: super::keys::KeyOptions) -> Result<Self, SigningError> {
        let read = |var: String| -> Result<zeroize::Zeroizing<String>, SigningError> {
            std::env::var(&var)
                .map(zeroize::Zeroizing::new)
                .map_err(|_| SigningError::MissingEnv(var))
        };
        let pem_b64 = read(alloc::format!("{name}_PEM_BASE64"))?;
        let id = read(alloc::format!("{name}_ID"))?;
        let key = SigningKey::from_pem_base64(&pem_b64, opts)?;
        Self::new(id.trim(), key)
    }

    /// Switches the hash algorithm (SHA-1 by default).
    #[must_use]
    pub fn with_hash_algorithm(mut self, hash: HashAlgorithm) -> Self {
        self.hash = hash;
        self
    }

    /// The key pair id.
    pub fn key_pair_id(&self) -> &str {
        &self.key_pair_id
    }

    /// The hash algorithm in use.
    pub fn hash_algorithm(&self) -> HashAlgorithm {
        self.hash
    }

    /// The parsed key.
    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    /// Signs raw bytes (a policy) with the key and hash algorithm: the raw signature bytes
    /// (before CloudFront base64), as botocore's `rsa_signer(message)` returns.
    ///
    /// # Errors
    /// [`SigningError::SignatureFailed`] if the back end fails.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SigningError> {
        self.key.sign(message, self.hash)
    }

    /// The policy to sign. `resource_is_pattern` is true only for signed cookies, whose
    /// argument is the policy resource itself: there a `*` is the caller's explicit wildcard
    /// and needs a custom policy. For a URL (false) a canned policy stays canned and a `*`
    /// in the URL is signed literally, as botocore does: a canned signature must never be
    /// widened into one valid for every URL a pattern matches.
    fn effective<'a>(
        &self,
        resource: &'a str,
        policy: &'a Policy,
        resource_is_pattern: bool,
    ) -> Result<Effective<'a>, SigningError> {
        match policy {
            Policy::Canned { expires } if resource_is_pattern && resource.contains('*') => {
                Ok(Effective::Custom(CustomPolicy::new(resource, *expires)))
            }
            Policy::Canned { expires } => Ok(Effective::Canned {
                resource,
                expires: *expires,
            }),
            Policy::Custom(c) => {
                c.validate()?;
                Ok(Effective::CustomRef(c))
            }
        }
    }

    /// The key pair id and hash mode the URL / cookie carries.
    fn header(&self) -> Header<'_> {
        Header {
            key_pair_id: &self.key_pair_id,
            hash: self.hash,
        }
    }

    /// Builds the policy JSON, signs it, and returns the parameter string
    /// (`Expires=…|Policy=…` + `&Signature=…&Key-Pair-Id=…[&Hash-Algorithm=SHA256]`).
    fn params(&self, eff: &Effective<'_>) -> Result<String, SigningError> {
        let mut out = String::new();
        assemble::write_params(
            self.header(),
            &eff.statement(),
            &mut out,
            &mut |m: &[u8]| self.sign(m),
        )?;
        Ok(out)
    }

    /// A signed URL: `url` + `?`/`&` + `Expires=…` (canned) or `Policy=…` (custom) +
    /// `&Signature=…&Key-Pair-Id=…` (+ `&Hash-Algorithm=SHA256` in SHA-256 mode).
    ///
    /// With [`Policy::Canned`] the resource is exactly `url`: a `*` in it is signed as a
    /// literal character (the canned policy JSON carries it; CloudFront compares the request
    /// URL with it), never turned into a wildcard custom policy, as botocore does. Wildcards
    /// come only from [`Policy::Custom`], whose resource must match `url` (`*` / `?`
    /// wildcards). In SHA-1 mode with an RSA key the output is byte-identical to botocore's
    /// `generate_presigned_url`.
    ///
    /// # Errors
    /// [`SigningError::InvalidUrl`] (empty, whitespace/control characters, `#fragment`, an
    /// existing CloudFront signing parameter), [`SigningError::UrlTooLong`] (over
    /// [`super::MAX_URL_LEN`] bytes), [`SigningError::ResourceMismatch`], the policy errors of
    /// [`CustomPolicy::validate`], [`SigningError::SignatureFailed`].
    pub fn signed_url(&self, url: &str, policy: &Policy) -> Result<String, SigningError> {
        check_url(url)?;
        let eff = self.effective(url, policy, false)?;
        assemble::signed_url(self.header(), url, &eff.statement(), &mut |m: &[u8]| {
            self.sign(m)
        })
    }

    /// Signs a custom policy once; [`SignedPolicy::apply`] then adds the same signature to
    /// any URL its resource matches, without signing again.
    ///
    /// # Errors
    /// The errors of [`CustomPolicy::validate`] and [`SigningError::SignatureFailed`].
    pub fn sign_policy(&self, policy: &CustomPolicy) -> Result<SignedPolicy, SigningError> {
        policy.validate()?;
        let params = self.params(&Effective::CustomRef(policy))?;
        Ok(SignedPolicy {
            resource: policy.resource.clone(),
            params,
        })
    }

    /// Signs many URLs with one policy. A custom policy is signed once and applied to every
    /// URL; a canned policy needs one signature per URL. One result per input URL, in order.
    pub fn signed_urls(&self, urls: &[&str], policy: &Policy) -> Vec<Result<String, SigningError>> {
        match policy {
            Policy::Custom(c) => match self.sign_policy(c) {
                Ok(signed) => urls.iter().map(|u| signed.apply(u)).collect(),
                Err(e) => urls.iter().map(|_| Err(e.clone())).collect(),
            },
            Policy::Canned { .. } => urls.iter().map(|u| self.signed_url(u, policy)).collect(),
        }
    }

    /// Signed cookies for `resource`: the policy resource itself, not a URL. With a canned
    /// policy and no `*`, the exact URL the cookies grant; a `resource` containing `*` is the
    /// caller's explicit wildcard (the usual purpose of signed cookies, e.g.
    /// `https://d111111abcdef8.cloudfront.net/media/*`) and gets the equivalent custom policy,
    /// since CloudFront rebuilds a canned cookie's policy from the request URL. With a custom
    /// policy the policy's own resource is used and `resource` is ignored.
    ///
    /// Cookies, in AWS's order: `CloudFront-Expires` (canned) or `CloudFront-Policy`
    /// (custom), `CloudFront-Signature`, `CloudFront-Key-Pair-Id`, then
    /// `CloudFront-Hash-Algorithm=SHA256` in SHA-256 mode.
    ///
    /// # Errors
    /// The policy errors of [`CustomPolicy::validate`], [`SigningError::CookieTooLarge`] when
    /// a cookie exceeds [`super::MAX_COOKIE_LEN`] bytes, [`SigningError::SignatureFailed`].
    pub fn signed_cookies(
        &self,
        resource: &str,
        policy: &Policy,
    ) -> Result<SignedCookies, SigningError> {
        let eff = self.effective(resource, policy, true)?;
        assemble::signed_cookies(self.header(), &eff.statement(), &mut |m: &[u8]| {
            self.sign(m)
        })
    }

    /// Signs many URLs, building each URL's policy with `builder` (as
    /// [`PolicyBuilder::build_for`] does for one URL: canned unless a start time, an IP range
    /// or a resource different from the URL asks for a custom policy). A custom policy that
    /// is the same for several URLs (one `resource` pattern for all) is signed once and
    /// applied to each. One result per input URL, in order; what `pocket-sign url` prints.
    ///
    /// # Errors (per URL)
    /// The errors of [`PolicyBuilder::build_for`] and [`CloudFrontSigner::signed_url`].
    pub fn signed_urls_from(
        &self,
        urls: &[&str],
        builder: &PolicyBuilder,
    ) -> Vec<Result<String, SigningError>> {
        let mut shared: Option<(CustomPolicy, Result<SignedPolicy, SigningError>)> = None;
        urls.iter()
            .map(|url| match builder.clone().build_for(url)? {
                Policy::Custom(c) => {
                    let reuse = matches!(&shared, Some((p, _)) if *p == c);
                    if !reuse {
                        let signed = self.sign_policy(&c);
                        shared = Some((c, signed));
                    }
                    match &shared {
                        Some((_, Ok(signed))) => signed.apply(url),
                        Some((_, Err(e))) => Err(e.clone()),
                        None => Err(SigningError::SignatureFailed),
                    }
                }
                canned => self.signed_url(url, &canned),
            })
            .collect()
    }

    /// A signed URL for policy JSON given as bytes, signed as given: botocore's
    /// `generate_presigned_url(url, policy=json)` (custom form, [`PolicyJson::custom`]) or
    /// the canned form with a caller-built canned policy ([`PolicyJson::canned`], what
    /// botocore does with an overridden `build_policy`). Byte-identical to botocore for every
    /// URL the checks accept (RSA, SHA-1).
    ///
    /// # Errors
    /// The URL checks of [`CloudFrontSigner::signed_url`] ([`SigningError::InvalidUrl`],
    /// [`SigningError::UrlTooLong`], also before signing when the base64 policy alone is too
    /// long), [`SigningError::SignatureFailed`]. The policy's `Resource` is not checked
    /// against `url` (the JSON is not parsed).
    pub fn signed_url_json(
        &self,
        url: &str,
        policy: PolicyJson<'_>,
    ) -> Result<String, SigningError> {
        assemble::signed_url(
            self.header(),
            url,
            &Statement::Json(policy),
            &mut |m: &[u8]| self.sign(m),
        )
    }

    /// [`CloudFrontSigner::signed_url_json`] for many URLs: the policy is signed once and the
    /// same parameters are appended to each URL. One result per input URL, in order.
    pub fn signed_urls_json(
        &self,
        urls: &[&str],
        policy: PolicyJson<'_>,
    ) -> Vec<Result<String, SigningError>> {
        assemble::signed_urls_once(
            self.header(),
            urls,
            &Statement::Json(policy),
            &mut |m: &[u8]| self.sign(m),
        )
    }

    /// Signed cookies for policy JSON given as bytes, signed as given (cookie order and
    /// limits as [`CloudFrontSigner::signed_cookies`]).
    ///
    /// # Errors
    /// [`SigningError::CookieTooLarge`] (checked before signing for the policy cookie),
    /// [`SigningError::SignatureFailed`].
    pub fn signed_cookies_json(
        &self,
        policy: PolicyJson<'_>,
    ) -> Result<SignedCookies, SigningError> {
        assemble::signed_cookies(
            self.header(),
            &Statement::Json(policy),
            &mut |m: &[u8]| self.sign(m),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::keys::KeyOptions;
    use super::*;
    use crate::encoding::{cloudfront_b64_decode, cloudfront_b64_encode};

    const DEMO: &str = include_str!("../../../examples/demo-cloudfront-key.pem");
    const EC: &str = include_str!("../../../tests/vectors/cloudfront/test-ecdsa-key.pem");

    fn signer(pem: &str) -> CloudFrontSigner {
        CloudFrontSigner::new(
            "K2JCJMDEHXQW5F",
            SigningKey::from_pem(pem, KeyOptions::default()).unwrap(),
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
    fn signer_types_are_send_and_sync() {
        fn check<T: Send + Sync + Clone>() {}
        check::<CloudFrontSigner>();
        check::<SigningKey>();
        check::<SignedPolicy>();
        check::<SignedCookies>();
    }

    #[test]
    fn canned_url_shape_and_signature() {
        let s = signer(DEMO);
        let url = "https://d111111abcdef8.cloudfront.net/media/demo.jpg";
        let signed = s
            .signed_url(
                url,
                &Policy::Canned {
                    expires: 1767290400,
                },
            )
            .unwrap();
        assert!(signed.starts_with(
            "https://d111111abcdef8.cloudfront.net/media/demo.jpg?Expires=1767290400&Signature="
        ));
        assert!(signed.ends_with("&Key-Pair-Id=K2JCJMDEHXQW5F"));
        let sig = cloudfront_b64_decode(param(&signed, "Signature").unwrap()).unwrap();
        let mut json = String::new();
        write_canned_json(&mut json, url, 1767290400);
        assert!(s.key().verify(json.as_bytes(), &sig, HashAlgorithm::Sha1));
    }

    #[test]
    fn sha256_mode_adds_the_parameter_and_cookie() {
        for pem in [DEMO, EC] {
            let s = signer(pem).with_hash_algorithm(HashAlgorithm::Sha256);
            let url = "https://d/a.jpg?x=1";
            let signed = s.signed_url(url, &Policy::Canned { expires: 10 }).unwrap();
            assert!(
                signed.ends_with("&Key-Pair-Id=K2JCJMDEHXQW5F&Hash-Algorithm=SHA256"),
                "{signed}"
            );
            let sig = cloudfront_b64_decode(param(&signed, "Signature").unwrap()).unwrap();
            let json = CustomPolicy::new(url, 10).to_json();
            assert!(s.key().verify(json.as_bytes(), &sig, HashAlgorithm::Sha256));
            assert!(!s.key().verify(json.as_bytes(), &sig, HashAlgorithm::Sha1));
            let c = s
                .signed_cookies(url, &Policy::Canned { expires: 10 })
                .unwrap();
            assert_eq!(
                c.cookies().last().unwrap(),
                &(
                    String::from("CloudFront-Hash-Algorithm"),
                    String::from("SHA256")
                )
            );
        }
    }

    #[test]
    fn sign_policy_once_apply_many() {
        let s = signer(DEMO);
        let policy = CustomPolicy::new("https://d/images/*", 100).starting_at(50);
        let signed = s.sign_policy(&policy).unwrap();
        let a = signed.apply("https://d/images/a.jpg").unwrap();
        let b = signed.apply("https://d/images/b.jpg?w=1").unwrap();
        assert_eq!(param(&a, "Signature"), param(&b, "Signature"));
        assert_eq!(
            a,
            s.signed_url("https://d/images/a.jpg", &Policy::Custom(policy.clone()))
                .unwrap()
        );
        assert_eq!(
            signed.apply("https://d/video/a.mp4"),
            Err(SigningError::ResourceMismatch)
        );
        let pol = cloudfront_b64_decode(param(&a, "Policy").unwrap()).unwrap();
        assert_eq!(pol, policy.to_json().as_bytes());

        let batch = s.signed_urls(
            &["https://d/images/1", "https://d/x", "https://d/images/2"],
            &Policy::Custom(policy),
        );
        assert!(batch[0].is_ok() && batch[2].is_ok());
        assert_eq!(batch[1], Err(SigningError::ResourceMismatch));
        let canned = s.signed_urls(
            &["https://d/1", "https://d/2"],
            &Policy::Canned { expires: 9 },
        );
        assert_eq!(
            canned[1].as_ref().unwrap(),
            &s.signed_url("https://d/2", &Policy::Canned { expires: 9 })
                .unwrap()
        );
    }

    #[test]
    fn canned_url_with_star_stays_canned() {
        // A user-named file `*` must not turn a one-URL signature into a prefix-wide one.
        let s = signer(DEMO);
        let url = "https://media.example.com/u/*";
        let signed = s.signed_url(url, &Policy::Canned { expires: 9 }).unwrap();
        assert!(param(&signed, "Policy").is_none(), "{signed}");
        assert_eq!(param(&signed, "Expires"), Some("9"));
        let sig = cloudfront_b64_decode(param(&signed, "Signature").unwrap()).unwrap();
        let mut json = String::new();
        write_canned_json(&mut json, url, 9);
        assert!(s.key().verify(json.as_bytes(), &sig, HashAlgorithm::Sha1));
        let batch = s.signed_urls(&[url, "https://d/a*b"], &Policy::Canned { expires: 9 });
        for r in &batch {
            let u = r.as_ref().unwrap();
            assert!(
                param(u, "Expires").is_some() && param(u, "Policy").is_none(),
                "{u}"
            );
        }
    }

    #[test]
    fn wildcard_cookie_resource_is_custom() {
        let s = signer(DEMO);
        let c = s
            .signed_cookies("https://d/*", &Policy::Canned { expires: 9 })
            .unwrap();
        assert_eq!(
            c.get("CloudFront-Policy").unwrap(),
            cloudfront_b64_encode(CustomPolicy::new("https://d/*", 9).to_json().as_bytes())
        );
    }

    #[test]
    fn errors() {
        assert!(matches!(
            CloudFrontSigner::new(
                "bad id",
                SigningKey::from_pem(DEMO, KeyOptions::default()).unwrap()
            ),
            Err(SigningError::InvalidKeyPairId(_))
        ));
        let s = signer(DEMO);
        let long = alloc::format!("https://d/{}", "a".repeat(8000));
        assert!(matches!(
            s.signed_url(&long, &Policy::Canned { expires: 1 }),
            Err(SigningError::UrlTooLong { .. })
        ));
        let bad_start = Policy::Custom(CustomPolicy::new("https://d/a", 5).starting_at(6));
        assert_eq!(
            s.signed_url("https://d/a", &bad_start),
            Err(SigningError::StartNotBeforeExpiry {
                starts: 6,
                expires: 5
            })
        );
        let mut bad_ip = CustomPolicy::new("https://d/a", 5);
        bad_ip.ip_address = Some(String::from("::1"));
        assert_eq!(
            s.signed_cookies("x", &Policy::Custom(bad_ip)),
            Err(SigningError::Ipv6NotSupported)
        );
        let huge = Policy::Custom(CustomPolicy::new(&"r".repeat(3500), 5));
        assert!(matches!(
            s.signed_cookies("x", &huge),
            Err(SigningError::CookieTooLarge { .. })
        ));
    }

    #[cfg(feature = "std")]
    #[test]
    fn from_env_reads_the_magic_pocket_variables() {
        use base64::Engine as _;
        // Unique names: tests run in parallel in one process.
        std::env::set_var(
            "PS_TEST_CF_A_PEM_BASE64",
            base64::engine::general_purpose::STANDARD.encode(DEMO),
        );
        std::env::set_var("PS_TEST_CF_A_ID", "K2JCJMDEHXQW5F");
        let s = CloudFrontSigner::from_env("PS_TEST_CF_A").unwrap();
        assert_eq!(s.key_pair_id(), "K2JCJMDEHXQW5F");
        assert_eq!(
            CloudFrontSigner::from_env("PS_TEST_CF_MISSING").unwrap_err(),
            SigningError::MissingEnv(String::from("PS_TEST_CF_MISSING_PEM_BASE64"))
        );
    }
}
