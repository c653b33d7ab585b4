//! `CloudFrontKey`: a CloudFront key pair (id + RSA / ECDSA P-256 private key) that signs
//! policies with the GIL released, plus the policy JSON and CloudFront-base64 helpers.
//!
//! URL assembly follows botocore and lives in `pocket_sign/cloudfront.py`, so signed URLs are
//! byte-identical to botocore's `CloudFrontSigner` for every input botocore accepts.

use pocket_sign_core::cloudfront::{
    CloudFrontSigner, CustomPolicy, HashAlgorithm, KeyKind, KeyOptions, SigningError, SigningKey,
};
use pocket_sign_core::encoding::{cloudfront_b64_decode, cloudfront_b64_encode};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::errors::err;

/// Maps a core signing error to `pocket_sign.errors`.
pub fn map_cf(e: SigningError) -> PyErr {
    let (class, kind) = match &e {
        SigningError::InvalidKey(_) => ("InvalidKeyError", "InvalidKey"),
        SigningError::UnsupportedKey(_) => ("InvalidKeyError", "UnsupportedKey"),
        SigningError::WeakRsaKey { .. } => ("InvalidKeyError", "WeakRsaKey"),
        SigningError::InvalidKeyPairId(_) => ("InvalidKeyError", "InvalidKeyPairId"),
        SigningError::MissingEnv(_) => ("InvalidKeyError", "MissingEnv"),
        SigningError::MissingExpiry => ("InvalidPolicyError", "MissingExpiry"),
        SigningError::StartNotBeforeExpiry { .. } => ("InvalidPolicyError", "StartNotBeforeExpiry"),
        SigningError::UrlTooLong { .. } => ("InvalidPolicyError", "UrlTooLong"),
        SigningError::CookieTooLarge { .. } => ("InvalidPolicyError", "CookieTooLarge"),
        SigningError::InvalidUrl(_) => ("InvalidPolicyError", "InvalidUrl"),
        SigningError::ResourceMismatch => ("InvalidPolicyError", "ResourceMismatch"),
        SigningError::InvalidIpAddress(_) => ("InvalidPolicyError", "InvalidIpAddress"),
        SigningError::Ipv6NotSupported => ("InvalidPolicyError", "Ipv6NotSupported"),
        SigningError::InvalidCookieAttribute(_) => ("InvalidPolicyError", "InvalidCookieAttribute"),
        SigningError::SignatureFailed => ("SigningError", "SignatureFailed"),
        #[allow(unreachable_patterns)]
        _ => ("SigningError", "SigningError"),
    };
    err(class, kind, e.to_string())
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
        let hash = match hash_algorithm.to_ascii_lowercase().as_str() {
            "sha1" | "sha-1" => HashAlgorithm::Sha1,
            "sha256" | "sha-256" => HashAlgorithm::Sha256,
            _ => {
                return Err(err(
                    "InvalidKeyError",
                    "UnsupportedHashAlgorithm",
                    "hash_algorithm must be \"sha1\" or \"sha256\"",
                ))
            }
        };
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

    fn __repr__(&self) -> String {
        format!(
            "CloudFrontKey(key_id={:?}, private_key=<redacted>)",
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

/// Decodes CloudFront's URL-safe base64; raises `ValueError` on invalid input.
#[pyfunction(name = "cloudfront_b64_decode")]
pub fn py_cloudfront_b64_decode<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyBytes>> {
    let data = cloudfront_b64_decode(text)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    Ok(PyBytes::new(py, &data))
}

/// Registers the CloudFront items in the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCloudFrontKey>()?;
    m.add_function(wrap_pyfunction!(canned_policy_json, m)?)?;
    m.add_function(wrap_pyfunction!(custom_policy_json, m)?)?;
    m.add_function(wrap_pyfunction!(py_cloudfront_b64_encode, m)?)?;
    m.add_function(wrap_pyfunction!(py_cloudfront_b64_decode, m)?)?;
    Ok(())
}
