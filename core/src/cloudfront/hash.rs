//! [`HashAlgorithm`]: the hash CloudFront signs the policy with (`Hash-Algorithm` URL parameter,
//! `CloudFront-Hash-Algorithm` cookie). AWS CloudFront Developer Guide, "Create a signed URL
//! using a canned policy" (`Hash-Algorithm`, SHA1 or SHA256).

/// The hash signed over the policy. SHA-1 is CloudFront's default (and botocore's only mode);
/// SHA-256 adds `Hash-Algorithm=SHA256` to URLs / a `CloudFront-Hash-Algorithm=SHA256` cookie.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum HashAlgorithm {
    /// SHA-1 (default; what botocore and older CloudFront clients produce).
    #[default]
    Sha1,
    /// SHA-256 (CloudFront's newer option).
    Sha256,
}

impl HashAlgorithm {
    /// The value CloudFront expects in `Hash-Algorithm` / `CloudFront-Hash-Algorithm`:
    /// `"SHA1"` or `"SHA256"`.
    pub fn as_str(self) -> &'static str {
        match self {
            HashAlgorithm::Sha1 => "SHA1",
            HashAlgorithm::Sha256 => "SHA256",
        }
    }
}
