//! `CloudFrontKey` (a CloudFront key pair: id + RSA / ECDSA P-256 private key) and
//! `CloudFrontCallbackSigner` (id + a botocore-style `rsa_signer` callable): each signed URL,
//! batch of URLs or set of cookies is one call into the core, which builds the policy JSON,
//! signs, encodes, checks the URL and the 8,192-byte limit and assembles the result (the
//! core's `CloudFrontSigner` / `CallbackSigner`). `CloudFrontKey` signs with the GIL
//! released. Plus the policy JSON and CloudFront-base64 helpers.

use pocket_sign_core::cloudfront::{
    CallbackSigner, CloudFrontSigner, CustomPolicy, HashAlgorithm, KeyKind, KeyOptions, Policy,
    PolicyJson, SignedCookies, SigningError, SigningKey,
};
use pocket_sign_core::encoding::{cloudfront_b64_decode, cloudfront_b64_encode};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict};

use crate::errors::err;

/// Maps a core signing error to `pocket_sign.errors`.
pub fn map_cf(e: SigningError) -> PyErr {
    let class = match &e {
        SigningError::InvalidKey(_)
        | SigningError::UnsupportedKey(_)
        | SigningError::WeakRsaKey { .. }
        | SigningError::InvalidKeyPairId(_)
        | SigningError::MissingEnv(_) => "InvalidKeyError",
        SigningError::SignatureFailed => "SigningError",
        _ => "InvalidPolicyError",
    };
    err(class, e.kind(), e.to_string())
}

/// A CloudFront key pair: `CloudFrontKey(key_id, private_key, *, base64=False,
/// hash_algorithm="sha1", allow_weak_rsa=False)`.
///
/// `private_key` is a PEM (PKCS#1 / PKCS#8 RSA, PKCS#8 / SEC1 EC P-256), or with `base64=True`
/// the PEM base64-encoded again (magic-pocket's `{NAME}_PEM_BASE64`). `hash_algorithm` is
/// `"sha1"` (CloudFront's default) or `"sha256"`. Raises `InvalidKeyError` (a `ValueError`).
/// Immutable; share it freely between threads.
#[pyclass(frozen, module = "pocket_sign._native", name = "CloudFrontKey")]
pub struct PyCloudFrontKey {
    signer: CloudFrontSigner,
}

#[pymethods]
impl PyCloudFrontKey {
    #[new]
    #[pyo3(signature = (key_id, private_key, *, base64 = false, hash_algorithm = "sha1", allow_weak_rsa = false))]
    fn new(
        key_id: &str,
        private_key: &str,
        base64: bool,
        hash_algorithm: &str,
        allow_weak_rsa: bool,
    ) -> PyResult<Self> {
        let hash = parse_hash(hash_algorithm)?;
        let opts = KeyOptions { allow_weak_rsa };
        let key = if base64 {
            SigningKey::from_pem_base64(private_key.trim(), opts)
        } else {
            SigningKey::from_pem(private_key, opts)
        }
        .map_err(map_cf)?;
        let signer = CloudFrontSigner::new(key_id, key)
            .map_err(map_cf)?
            .with_hash_algorithm(hash);
        Ok(Self { signer })
    }

    /// The key pair id (`Key-Pair-Id`).
    #[getter]
    fn key_id(&self) -> &str {
        self.signer.key_pair_id()
    }

    /// `"SHA1"` or `"SHA256"`.
    #[getter]
    fn hash_algorithm(&self) -> &'static str {
        self.signer.hash_algorithm().as_str()
    }

    /// `"RSA"` or `"EC"` (ECDSA P-256; `"other"` for kinds the core may add): lets `pocket_sign.cloudfront` pick the signing back end.
    #[getter]
    fn key_type(&self) -> &'static str {
        match self.signer.key().kind() {
            KeyKind::Rsa { .. } => "RSA",
            KeyKind::EcdsaP256 => "EC",
            _ => "other",
        }
    }

    /// The public half as SPKI PEM (`-----BEGIN PUBLIC KEY-----`, LF line endings), for
    /// CloudFront key groups and for checking that another library parsed the same key.
    /// Raises `InvalidKeyError` if encoding fails (not expected).
    #[getter]
    fn public_key_pem(&self) -> PyResult<String> {
        self.signer.key().public_key_pem().map_err(map_cf)
    }

    /// Signature of `message` (raw bytes: RSA PKCS#1 v1.5 or ECDSA DER, with SHA-1 or
    /// SHA-256), computed with the GIL released.
    fn sign<'py>(&self, py: Python<'py>, message: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let sig = py
            .allow_threads(|| self.signer.sign(message))
            .map_err(map_cf)?;
        Ok(PyBytes::new(py, &sig))
    }

    /// Signatures of many messages, in order, computed in one call with the GIL released.
    fn sign_many<'py>(
        &self,
        py: Python<'py>,
        messages: Vec<Bound<'py, PyBytes>>,
    ) -> PyResult<Vec<Bound<'py, PyBytes>>> {
        let messages: Vec<Vec<u8>> = messages.iter().map(|m| m.as_bytes().to_vec()).collect();
        let sigs = py.allow_threads(|| {
            messages
                .iter()
                .map(|m| self.signer.sign(m))
                .collect::<Result<Vec<_>, _>>()
        });
        let sigs = sigs.map_err(map_cf)?;
        Ok(sigs.iter().map(|s| PyBytes::new(py, s)).collect())
    }

    /// A signed URL, one core call with the GIL released: `expires` alone signs the canned
    /// policy of `url`; `policy` alone signs that JSON as given (`Policy=`); both sign
    /// `policy` as the canned policy (`Expires=`, for a `build_policy` override). Raises
    /// `InvalidPolicyError` (`kind` `InvalidUrl`, `UrlTooLong`, ...) as `pocket-sign url`.
    #[pyo3(signature = (url, expires = None, policy = None))]
    fn signed_url(
        &self,
        py: Python<'_>,
        url: &str,
        expires: Option<u64>,
        policy: Option<&[u8]>,
    ) -> PyResult<String> {
        let what = Request::new(expires, policy)?;
        py.allow_threads(|| match what {
            Request::Canned(expires) => self.signer.signed_url(url, &Policy::Canned { expires }),
            Request::Json(p) => self.signer.signed_url_json(url, p),
        })
        .map_err(map_cf)
    }

    /// Signed URLs for `urls` in one core call with the GIL released (`expires` or `policy`
    /// as `signed_url`; a policy is signed once). Raises the first URL's error, in order.
    #[pyo3(signature = (urls, expires = None, policy = None))]
    fn signed_urls(
        &self,
        py: Python<'_>,
        urls: Vec<String>,
        expires: Option<u64>,
        policy: Option<&[u8]>,
    ) -> PyResult<Vec<String>> {
        let what = Request::new(expires, policy)?;
        let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
        let results = py.allow_threads(|| match what {
            Request::Canned(expires) => self.signer.signed_urls(&refs, &Policy::Canned { expires }),
            Request::Json(p) => self.signer.signed_urls_json(&refs, p),
        });
        results.into_iter().map(|r| r.map_err(map_cf)).collect()
    }

    /// Signed cookies (name -> value, AWS's order) for `resource`, one core call with the GIL
    /// released (`expires` or `policy` as `signed_url`).
    #[pyo3(signature = (resource, expires = None, policy = None))]
    fn signed_cookies<'py>(
        &self,
        py: Python<'py>,
        resource: &str,
        expires: Option<u64>,
        policy: Option<&[u8]>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let what = Request::new(expires, policy)?;
        let cookies = py
            .allow_threads(|| match what {
                Request::Canned(expires) => self
                    .signer
                    .signed_cookies(resource, &Policy::Canned { expires }),
                Request::Json(p) => self.signer.signed_cookies_json(p),
            })
            .map_err(map_cf)?;
        cookie_dict(py, &cookies)
    }

    /// The key is immutable: a copy is the same object.
    fn __copy__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    /// The key is immutable: a deep copy is the same object.
    fn __deepcopy__<'py>(slf: Bound<'py, Self>, _memo: &Bound<'py, PyAny>) -> Bound<'py, Self> {
        slf
    }

    /// Pickling is refused: it would write the private key into the pickle.
    fn __reduce__(&self) -> PyResult<()> {
        Err(err(
            "PocketSignError",
            "NotPicklable",
            "a CloudFrontKey cannot be pickled (it would copy the private key into the pickle); \
             build it again from the PEM in the other process",
        ))
    }

    fn __repr__(&self) -> String {
        format!(
            "CloudFrontKey(key_id={:?}, private_key=<redacted>)",
            self.signer.key_pair_id()
        )
    }
}

/// What a URL / cookie call signs.
#[derive(Clone, Copy)]
enum Request<'a> {
    Canned(u64),
    Json(PolicyJson<'a>),
}

impl<'a> Request<'a> {
    fn new(expires: Option<u64>, policy: Option<&'a [u8]>) -> PyResult<Self> {
        match (expires, policy) {
            (Some(e), None) => Ok(Request::Canned(e)),
            (None, Some(p)) => Ok(Request::Json(PolicyJson::custom(p))),
            (Some(e), Some(p)) => Ok(Request::Json(PolicyJson::canned(p, e))),
            (None, None) => Err(err(
                "InvalidPolicyError",
                "MissingExpiry",
                "Need to provide either date_less_than or policy, but not both",
            )),
        }
    }
}

fn parse_hash(hash_algorithm: &str) -> PyResult<HashAlgorithm> {
    match hash_algorithm.to_ascii_lowercase().as_str() {
        "sha1" | "sha-1" => Ok(HashAlgorithm::Sha1),
        "sha256" | "sha-256" => Ok(HashAlgorithm::Sha256),
        _ => Err(err(
            "InvalidKeyError",
            "UnsupportedHashAlgorithm",
            "hash_algorithm must be \"sha1\" or \"sha256\"",
        )),
    }
}

fn cookie_dict<'py>(py: Python<'py>, cookies: &SignedCookies) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (name, value) in cookies.cookies() {
        d.set_item(name, value)?;
    }
    Ok(d)
}

/// A CloudFront signer whose signature comes from a Python callable:
/// `CloudFrontCallbackSigner(key_id, rsa_signer, *, hash_algorithm="sha1")`.
///
/// `rsa_signer(message: bytes) -> bytes` is botocore's `rsa_signer`; the core builds the
/// policy, checks the URL and the key pair id (the same rules as `CloudFrontKey`) and
/// assembles URLs and cookies. An exception raised by `rsa_signer` propagates unchanged; a
/// result that is not bytes-like raises `TypeError`. The GIL is held (the callable needs it).
#[pyclass(
    frozen,
    module = "pocket_sign._native",
    name = "CloudFrontCallbackSigner"
)]
pub struct PyCloudFrontCallbackSigner {
    signer: CallbackSigner,
    rsa_signer: Py<PyAny>,
}

impl PyCloudFrontCallbackSigner {
    /// Runs `f` with a core callback that calls `rsa_signer`; a Python error raised inside is
    /// kept and re-raised instead of the core's `SignatureFailed`.
    fn with_callback<T>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&CallbackSigner, &mut dyn FnMut(&[u8]) -> Result<Vec<u8>, SigningError>) -> T,
    ) -> (T, Option<PyErr>) {
        let mut failure: Option<PyErr> = None;
        let callable = self.rsa_signer.bind(py);
        let mut sign = |message: &[u8]| -> Result<Vec<u8>, SigningError> {
            let result = callable
                .call1((PyBytes::new(py, message),))
                .and_then(|sig| signature_bytes(py, &sig));
            result.map_err(|e| {
                if failure.is_none() {
                    failure = Some(e);
                }
                SigningError::SignatureFailed
            })
        };
        let out = f(&self.signer, &mut sign);
        (out, failure)
    }
}

/// The bytes of an `rsa_signer` result (`bytes`, `bytearray`, or anything `bytes()` takes
/// except `str` and `int`, as botocore's base64 step accepts).
fn signature_bytes(py: Python<'_>, sig: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = sig.downcast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = sig.downcast::<PyByteArray>() {
        return Ok(b.to_vec());
    }
    let view = py
        .import("builtins")?
        .getattr("memoryview")?
        .call1((sig,))?;
    let bytes = view.call_method0("tobytes")?;
    Ok(bytes.downcast::<PyBytes>()?.as_bytes().to_vec())
}

/// The core result as Python: a `SignatureFailed` caused by the callable re-raises the
/// callable's own exception (taken from `failure`).
fn raise<T>(out: Result<T, SigningError>, failure: &mut Option<PyErr>) -> PyResult<T> {
    match out {
        Ok(v) => Ok(v),
        Err(SigningError::SignatureFailed) => match failure.take() {
            Some(e) => Err(e),
            None => Err(map_cf(SigningError::SignatureFailed)),
        },
        Err(e) => Err(map_cf(e)),
    }
}

#[pymethods]
impl PyCloudFrontCallbackSigner {
    #[new]
    #[pyo3(signature = (key_id, rsa_signer, *, hash_algorithm = "sha1"))]
    fn new(key_id: &str, rsa_signer: Bound<'_, PyAny>, hash_algorithm: &str) -> PyResult<Self> {
        if !rsa_signer.is_callable() {
            return Err(err(
                "InvalidKeyError",
                "InvalidKey",
                "rsa_signer must be a callable (message: bytes) -> bytes",
            ));
        }
        let hash = parse_hash(hash_algorithm)?;
        let signer = CallbackSigner::new(key_id)
            .map_err(map_cf)?
            .with_hash_algorithm(hash);
        Ok(Self {
            signer,
            rsa_signer: rsa_signer.unbind(),
        })
    }

    /// The key pair id (`Key-Pair-Id`).
    #[getter]
    fn key_id(&self) -> &str {
        self.signer.key_pair_id()
    }

    /// `"SHA1"` or `"SHA256"`.
    #[getter]
    fn hash_algorithm(&self) -> &'static str {
        self.signer.hash_algorithm().as_str()
    }

    /// The callable given at construction.
    #[getter]
    fn rsa_signer(&self, py: Python<'_>) -> Py<PyAny> {
        self.rsa_signer.clone_ref(py)
    }

    /// As `CloudFrontKey.signed_url`, the signature from `rsa_signer`.
    #[pyo3(signature = (url, expires = None, policy = None))]
    fn signed_url(
        &self,
        py: Python<'_>,
        url: &str,
        expires: Option<u64>,
        policy: Option<&[u8]>,
    ) -> PyResult<String> {
        let what = Request::new(expires, policy)?;
        let (out, failure) = self.with_callback(py, |s, sign| match what {
            Request::Canned(expires) => s.signed_url(url, &Policy::Canned { expires }, sign),
            Request::Json(p) => s.signed_url_json(url, p, sign),
        });
        raise(out, &mut { failure })
    }

    /// As `CloudFrontKey.signed_urls` (one `rsa_signer` call for a policy, one per URL for
    /// `expires`).
    #[pyo3(signature = (urls, expires = None, policy = None))]
    fn signed_urls(
        &self,
        py: Python<'_>,
        urls: Vec<String>,
        expires: Option<u64>,
        policy: Option<&[u8]>,
    ) -> PyResult<Vec<String>> {
        let what = Request::new(expires, policy)?;
        let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
        let (results, failure) = self.with_callback(py, |s, sign| match what {
            Request::Canned(expires) => s.signed_urls(&refs, &Policy::Canned { expires }, sign),
            Request::Json(p) => s.signed_urls_json(&refs, p, sign),
        });
        let mut failure = failure;
        results
            .into_iter()
            .map(|r| raise(r, &mut failure))
            .collect()
    }

    /// As `CloudFrontKey.signed_cookies`, the signature from `rsa_signer`.
    #[pyo3(signature = (resource, expires = None, policy = None))]
    fn signed_cookies<'py>(
        &self,
        py: Python<'py>,
        resource: &str,
        expires: Option<u64>,
        policy: Option<&[u8]>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let what = Request::new(expires, policy)?;
        let (out, failure) = self.with_callback(py, |s, sign| match what {
            Request::Canned(expires) => {
                s.signed_cookies(resource, &Policy::Canned { expires }, sign)
            }
            Request::Json(p) => s.signed_cookies_json(p, sign),
        });
        cookie_dict(py, &raise(out, &mut { failure })?)
    }

    /// Immutable (the callable is shared, as `copy.deepcopy` shares functions).
    fn __copy__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    /// Immutable (the callable is shared, as `copy.deepcopy` shares functions).
    fn __deepcopy__<'py>(slf: Bound<'py, Self>, _memo: &Bound<'py, PyAny>) -> Bound<'py, Self> {
        slf
    }

    /// Pickling is refused (the callable usually closes over a private key).
    fn __reduce__(&self) -> PyResult<()> {
        Err(err(
            "PocketSignError",
            "NotPicklable",
            "a CloudFrontCallbackSigner cannot be pickled (its rsa_signer usually holds a private key); \
             build it again in the other process",
        ))
    }

    fn __repr__(&self) -> String {
        format!(
            "CloudFrontCallbackSigner(key_id={:?}, rsa_signer=<callable>)",
            self.signer.key_pair_id()
        )
    }
}

/// The canned policy JSON for `url` expiring at `expires` (unix seconds): what botocore
/// signs for `generate_presigned_url(url, date_less_than=...)`.
#[pyfunction]
pub fn canned_policy_json(url: &str, expires: u64) -> String {
    CustomPolicy::new(url, expires).to_json()
}

/// botocore's `build_policy` JSON (Resource, then DateLessThan, IpAddress, DateGreaterThan),
/// validated: raises `InvalidPolicyError` (a `ValueError`) when `date_greater_than` is not
/// before `date_less_than` or `ip_address` is not an IPv4 address / CIDR block.
#[pyfunction]
#[pyo3(signature = (resource, date_less_than, date_greater_than = None, ip_address = None))]
pub fn custom_policy_json(
    resource: &str,
    date_less_than: u64,
    date_greater_than: Option<u64>,
    ip_address: Option<&str>,
) -> PyResult<String> {
    let mut policy = CustomPolicy::new(resource, date_less_than);
    if let Some(g) = date_greater_than {
        policy = policy.starting_at(g);
    }
    if let Some(ip) = ip_address {
        policy = policy.from_ip(ip).map_err(map_cf)?;
    }
    policy.validate().map_err(map_cf)?;
    Ok(policy.to_json())
}

/// CloudFront's URL-safe base64 of `data` (`+`→`-`, `=`→`_`, `/`→`~`).
#[pyfunction(name = "cloudfront_b64_encode")]
pub fn py_cloudfront_b64_encode(data: &[u8]) -> String {
    cloudfront_b64_encode(data)
}

/// Decodes CloudFront's URL-safe base64 (a `CloudFront-Policy` / `Signature` value); raises
/// `InvalidPolicyError` (a `ValueError`) with `kind` `"InvalidCloudFrontBase64"` on invalid
/// input.
#[pyfunction(name = "cloudfront_b64_decode")]
pub fn py_cloudfront_b64_decode<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyBytes>> {
    let data = cloudfront_b64_decode(text)
        .map_err(|e| crate::errors::err("InvalidPolicyError", e.kind(), e.to_string()))?;
    Ok(PyBytes::new(py, &data))
}

/// Registers the CloudFront items in the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCloudFrontKey>()?;
    m.add_class::<PyCloudFrontCallbackSigner>()?;
    m.add_function(wrap_pyfunction!(canned_policy_json, m)?)?;
    m.add_function(wrap_pyfunction!(custom_policy_json, m)?)?;
    m.add_function(wrap_pyfunction!(py_cloudfront_b64_encode, m)?)?;
    m.add_function(wrap_pyfunction!(py_cloudfront_b64_decode, m)?)?;
    Ok(())
}
